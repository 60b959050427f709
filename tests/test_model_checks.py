"""Nonsensical inputs name the setting and its file; a forecast that cannot be made says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from reassess.model.inputs import History, PlannedChange
from reassess.model.levers import Levers
from reassess.model.plan import run_plan
from tests.model_fixtures import START, fridays, plan_input


def messages(plan) -> list[str]:
    return [p.message for p in plan.problems]


def test_zero_fte_says_which_file_and_gives_no_date() -> None:
    base = plan_input()
    gone = tuple(replace(o, end=base.as_of - timedelta(days=1)) for o in base.officers)
    plan = run_plan(replace(base, officers=gone))
    assert plan.status == "cannot_forecast"
    assert (plan.p50, plan.p85, plan.p95, plan.prob_by_target) == (None, None, None, None)
    assert "no officers are in post or planned" in plan.reason
    [problem] = [p for p in plan.problems if p.file == "officers.csv"]
    assert (
        "zero FTE" in problem.message
        and "planned_headcount in config/programme.toml" in problem.message
    )
    assert plan.pace is not None  # what can be shown still is


def test_a_planned_change_before_the_start_is_named_and_left_out() -> None:
    early = PlannedChange(START - timedelta(days=30), 5.0, "workforce plan v1")
    kept = PlannedChange(START + timedelta(weeks=30), 2.0, "workforce plan v2")
    base = plan_input(changes=(early, kept))
    plan = run_plan(base)
    assert plan.status == "ok"
    [problem] = plan.problems
    assert problem.setting == "planned_headcount" and problem.file == "config/programme.toml"
    assert (
        "before the programme start" in problem.message and "workforce plan v1" in problem.message
    )
    assert plan.built.basis is not None
    assert plan.built.basis.staffing.changes == (kept,)
    without = run_plan(replace(base, planned_changes=(kept,)))
    assert plan.p85 == without.p85


def test_a_window_longer_than_the_history_is_named_and_the_history_used() -> None:
    plan = run_plan(plan_input(weeks=5, window=12))
    assert plan.status == "ok"
    [problem] = plan.problems
    assert problem.setting == "throughput_window_weeks" and problem.file == "config/programme.toml"
    assert "12 weeks, longer than the 5 weeks" in problem.message
    assert plan.window_weeks == 5 and plan.early_weeks


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("trials", 0, "forecast_trials"),
        ("abstraction_rate", 1.2, "abstraction_rate"),
        ("attrition_per_year", -0.1, "attrition_per_year"),
        ("complete_at_share", 0.2, "complete_at_share"),
        ("loaded_cost_per_fte", -5, "loaded_cost_per_fte"),
        ("recruitable_extra_officers", -3, "recruitable_extra_officers"),
    ],
)
def test_a_setting_out_of_range_is_named_and_replaced(field: str, value: float, key: str) -> None:
    base = plan_input(trials=500)
    out_of_range: dict[str, Any] = {field: value}
    plan = run_plan(replace(base, settings=replace(base.settings, **out_of_range)))
    [problem] = plan.problems
    assert problem.setting == key and problem.file == "config/programme.toml"
    assert f"{key} in config/programme.toml is {value:g}" in problem.message
    assert plan.status == "ok" and plan.p85 is not None


def test_nonsensical_levers_are_named_and_ignored() -> None:
    base = plan_input(trials=500)
    plan = run_plan(base, Levers(extra_officers=-4, abstraction_rate=1.5))
    assert any("extra officers must be 0 or more" in m for m in messages(plan))
    assert plan.p85 == run_plan(base).p85


def test_no_completions_in_the_window_cannot_forecast_and_says_so() -> None:
    base = plan_input(weeks=12)
    h = base.history
    quiet = replace(h, completions=h.completions[:4] + (0,) * 8)
    plan = run_plan(replace(base, history=quiet))
    assert plan.status == "cannot_forecast" and plan.p50 is None
    assert plan.reason == (
        "Cannot forecast: no assessments were completed in the last 8 weeks with officers available."
    )
    assert plan.fan().shape[0] == 1  # only the as-of week: nothing to fan out


def test_before_any_week_of_work_there_is_no_forecast() -> None:
    base = plan_input()
    plan = run_plan(replace(base, history=History(), as_of=START))
    assert plan.status == "cannot_forecast"
    assert "no week of work has been recorded" in plan.reason


def test_scope_growing_faster_than_the_work_has_no_finish_date() -> None:
    base = plan_input(per_fte=0.05, remaining=5000, scope_growth=0, max_weeks=104)
    plan = run_plan(base)
    assert plan.status == "not_converging" and plan.p50 is None
    assert "no finish date" in plan.reason


def test_early_weeks_divide_by_the_weeks_that_elapsed() -> None:
    start = date(2025, 11, 5)  # a Wednesday: the first week ending Friday 7th has 3 working days
    ends = fridays(start, 3)
    base = plan_input(weeks=3, start=start, window=8)
    done = (6, 20, 30)
    inp = replace(
        base,
        history=replace(base.history, completions=done, week_ending=ends),
        as_of=ends[-1],
        remaining=900,
        in_scope=900 + sum(done),
    )
    plan = run_plan(inp)
    assert plan.early_weeks and plan.window_weeks == 3
    assert plan.pace is not None
    assert plan.pace.weekly_pace == pytest.approx(sum(done) / (3 / 5 + 1 + 1))
    assert any("Only 3 weeks of work since the programme started" in n for n in plan.notes)
    assert any(p.setting == "throughput_window_weeks" for p in plan.problems)
