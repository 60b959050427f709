"""Staffing scenarios: worked examples checkable by hand, and properties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reassess.model.forecast import forecast_completion

from reassess.config import programme
from reassess.model.scenarios import (
    PROJECTION_COLUMNS,
    SCENARIO_INPUT,
    Baseline,
    ScenarioInput,
    assumptions,
    fte_path,
    officers_needed,
    officers_needed_with_reason,
    run_scenario,
)

AS_OF = date(2026, 2, 6)
TARGET = date(2026, 4, 30)
RECENT = (180, 220, 195, 210, 205, 190, 230, 170)


def make_baseline(**overrides: Any) -> Baseline:
    """10 available FTE doing 100 assessments a week: 10 per FTE-week, every week."""
    values: dict[str, Any] = {
        "as_of": AS_OF,
        "remaining": 2000,
        "assessed": 7000,
        "in_scope": 9000,
        "weekly_completions": (100,) * 8,
        "weekly_available_fte": (10.0,) * 8,
        "current_fte": 10.0,
        "referrals_so_far": {},
        "hours_per_case": 3.0,
    }
    values.update(overrides)
    return Baseline(**values)


def make_input(**overrides: Any) -> ScenarioInput:
    """Neutral assumptions (no abstraction, attrition or ramp) so results check by hand."""
    values: dict[str, Any] = {
        "name": "test",
        "extra_officers": 0,
        "start_date": AS_OF,
        "ramp_up_weeks": 0,
        "productivity_per_fte": None,
        "abstraction_rate": 0.0,
        "attrition_per_year": 0.0,
        "target_date": TARGET,
        "referral_rate_reinvestigation": 0.14,
        "referral_rate_safeguarding": 0.08,
        "referral_rate_victim_support": 0.20,
        "investigator_hours_per_reinvestigation": 120.0,
        "loaded_cost_per_fte": 65_000.0,
        "productive_hours_per_fte_week": 30.0,
        "trials": 2000,
        "seed": 1,
    }
    values.update(overrides)
    return ScenarioInput(**values)


def test_constant_throughput_gives_an_exact_date() -> None:
    # 2000 remaining at 10 FTE x 10 per FTE-week = 100 a week: exactly 20 weeks.
    result = run_scenario(make_baseline(), make_input())
    assert result.status == "ok"
    assert (result.weeks_p50, result.weeks_p85, result.weeks_p95) == (20, 20, 20)
    assert result.p50 == result.p85 == result.p95 == AS_OF + timedelta(weeks=20)
    assert result.productivity_per_fte == 10.0
    assert result.prob_by_target == 0.0  # the target is 11 whole weeks away
    on_time = run_scenario(make_baseline(), make_input(target_date=AS_OF + timedelta(weeks=20)))
    assert on_time.prob_by_target == 1.0


def test_doubling_fte_halves_the_remaining_weeks() -> None:
    base = run_scenario(make_baseline(), make_input())
    doubled = run_scenario(make_baseline(), make_input(extra_officers=10))
    assert doubled.weeks_p50 == base.weeks_p50 // 2 == 10
    assert doubled.p85 == AS_OF + timedelta(weeks=10)


def test_doubling_fte_is_halving_the_work_with_variable_weeks() -> None:
    # Twice the FTE on the same draws does in w weeks exactly what the current team does for
    # half the remaining cases: the whole distribution of completion weeks is the same.
    varied = make_baseline(weekly_completions=RECENT, remaining=4000)
    doubled = run_scenario(varied, make_input(extra_officers=10, trials=5000))
    half = run_scenario(replace(varied, remaining=2000), make_input(trials=5000))
    assert doubled.week_counts == half.week_counts
    assert (doubled.weeks_p50, doubled.weeks_p85) == (half.weeks_p50, half.weeks_p85)


@pytest.mark.parametrize(
    ("available", "current", "abstraction"),
    [(20.0, 25.0, 0.2), (7.0, 8.75, 0.2), (13.3, 13.3 / 0.85, 0.15), (10.0, 10.0, 0.0)],
)
def test_zero_extra_officers_reproduces_the_plain_forecast(
    available: float, current: float, abstraction: float
) -> None:
    baseline = make_baseline(
        remaining=4000,
        weekly_completions=RECENT,
        weekly_available_fte=(available,) * len(RECENT),
        current_fte=current,
    )
    inp = make_input(abstraction_rate=abstraction, trials=10_000, seed=20251103)
    result = run_scenario(baseline, inp)
    plain = forecast_completion(4000, RECENT, AS_OF, TARGET, trials=10_000, seed=20251103)
    assert (result.p50, result.p85, result.p95) == (plain.p50, plain.p85, plain.p95)
    assert result.prob_by_target == plain.prob_by_target
    assert result.week_counts == plain.week_counts


def test_zero_extra_officers_from_programme_defaults_reproduces_the_plain_forecast() -> None:
    prog = programme()
    fte = 26 * (1 - prog.abstraction_rate)
    baseline = make_baseline(
        remaining=4000,
        weekly_completions=RECENT,
        weekly_available_fte=(fte,) * 8,
        current_fte=26.0,
    )
    inp = ScenarioInput.from_programme(baseline, prog, attrition_per_year=0.0)
    result = run_scenario(baseline, inp)
    plain = forecast_completion(
        4000, RECENT, AS_OF, prog.target_date, trials=inp.trials, seed=inp.seed
    )
    assert (result.p50, result.p85, result.p95) == (plain.p50, plain.p85, plain.p95)


@settings(max_examples=40, deadline=None)
@given(
    completions=st.lists(st.integers(0, 300), min_size=1, max_size=8).filter(any),
    fte=st.floats(5.0, 40.0),
    remaining=st.integers(1, 8000),
    fewer=st.integers(0, 40),
    more_by=st.integers(0, 40),
    start_in_days=st.integers(0, 120),
    ramp=st.integers(0, 8),
    attrition=st.floats(0.0, 0.3),
    abstraction=st.floats(0.0, 0.3),
)
def test_more_officers_never_finish_later(
    completions: list[int],
    fte: float,
    remaining: int,
    fewer: int,
    more_by: int,
    start_in_days: int,
    ramp: int,
    attrition: float,
    abstraction: float,
) -> None:
    baseline = make_baseline(
        remaining=remaining,
        weekly_completions=tuple(completions),
        weekly_available_fte=(fte,) * len(completions),
        current_fte=fte,
    )
    inp = make_input(
        extra_officers=fewer,
        start_date=AS_OF + timedelta(days=start_in_days),
        ramp_up_weeks=ramp,
        attrition_per_year=attrition,
        abstraction_rate=abstraction,
        target_date=AS_OF + timedelta(weeks=30),
        trials=1000,
    )
    a = run_scenario(baseline, inp)
    b = run_scenario(baseline, replace(inp, extra_officers=fewer + more_by))

    def weeks(value: int | None) -> float:
        return math.inf if value is None else value

    assert weeks(b.weeks_p50) <= weeks(a.weeks_p50)
    assert weeks(b.weeks_p85) <= weeks(a.weeks_p85)
    assert a.prob_by_target is not None and b.prob_by_target is not None
    assert b.prob_by_target >= a.prob_by_target


def test_officers_needed_meets_the_target_and_one_fewer_does_not() -> None:
    baseline = make_baseline(
        remaining=4000,
        weekly_completions=RECENT,
        weekly_available_fte=(20.0,) * 8,
        current_fte=25.0,
    )
    inp = make_input(
        start_date=AS_OF + timedelta(days=10),
        ramp_up_weeks=4,
        abstraction_rate=0.2,
        attrition_per_year=0.1,
        trials=10_000,
    )
    answer = officers_needed_with_reason(baseline, inp)
    assert answer.extra_officers is not None and answer.extra_officers > 1
    assert officers_needed(baseline, inp) == answer.extra_officers
    meets = run_scenario(baseline, replace(inp, extra_officers=answer.extra_officers))
    short = run_scenario(baseline, replace(inp, extra_officers=answer.extra_officers - 1))
    assert meets.prob_by_target is not None and short.prob_by_target is not None
    assert meets.prob_by_target >= 0.85 > short.prob_by_target
    assert meets.prob_by_target == answer.prob_by_target
    assert answer.reason.startswith(f"{answer.extra_officers} extra officers from 16 February")


def test_officers_needed_is_zero_when_the_team_already_suffices() -> None:
    inp = make_input(target_date=AS_OF + timedelta(weeks=25))
    assert officers_needed(make_baseline(), inp) == 0


@pytest.mark.parametrize(
    ("inp_overrides", "reason"),
    [
        (
            {"start_date": TARGET + timedelta(days=1)},
            "Extra officers starting on 1 May 2026 start after the target date (30 April 2026). "
            "No number up to 500 meets the target with 85% confidence.",
        ),
        (
            {"start_date": TARGET - timedelta(days=10), "ramp_up_weeks": 4},
            "Extra officers starting on 20 April 2026 would not reach full productivity "
            "(4 weeks) before the target date (30 April 2026). "
            "No number up to 500 meets the target with 85% confidence.",
        ),
        (
            {"target_date": AS_OF - timedelta(days=1)},
            "The target date (5 February 2026) has passed.",
        ),
    ],
)
def test_officers_needed_unattainable_says_why(inp_overrides: dict, reason: str) -> None:
    baseline = make_baseline(remaining=8000)
    answer = officers_needed_with_reason(baseline, make_input(**inp_overrides))
    assert answer.extra_officers is None
    assert answer.reason == reason


def test_cost_arithmetic_by_hand() -> None:
    # 10 extra officers at £65,000 a year for 26 weeks: 10 * 65,000 * 26 / 52 = £325,000.
    inp = make_input(extra_officers=10, target_date=AS_OF + timedelta(weeks=26))
    result = run_scenario(make_baseline(remaining=3000), inp)
    assert result.cost_to_target == pytest.approx(325_000)
    # The whole team: the current 10 FTE for the same 26 weeks, plus the extra officers.
    assert result.team_cost_to_target == pytest.approx(325_000 + 325_000)
    # 3000 cases at 20 FTE x 10 = 200 a week: P85 in 15 weeks; 10 * 65,000 * 15 / 52.
    assert result.weeks_p85 == 15
    assert result.cost_to_completion == pytest.approx(187_500)
    assert result.team_cost_to_completion == pytest.approx(375_000)


def test_cost_counts_from_the_start_date_and_part_weeks() -> None:
    start = AS_OF + timedelta(weeks=2)
    target = AS_OF + timedelta(weeks=28, days=3)
    inp = make_input(extra_officers=4, start_date=start, target_date=target)
    result = run_scenario(make_baseline(), inp)
    weeks_extra = 26 + 3 / 7
    assert result.cost_to_target == pytest.approx(4 * 65_000 * weeks_extra / 52)
    assert result.team_cost_to_target == pytest.approx(
        10 * 65_000 * (28 + 3 / 7) / 52 + 4 * 65_000 * weeks_extra / 52
    )
    late = run_scenario(make_baseline(), replace(inp, start_date=target + timedelta(days=7)))
    assert late.cost_to_target == 0.0
    assert "after the target date; they cannot help meet it." in late.message


def test_downstream_demand_by_hand() -> None:
    baseline = make_baseline(
        remaining=1000,
        referrals_so_far={"reinvestigate": 60, "safeguarding_referral": 20, "victim_support": 30},
    )
    result = run_scenario(baseline, make_input())
    assert result.reinvestigations == 140 + 60
    # 200 reinvestigations x 120 hours / (30 productive hours x 46 working weeks)
    assert result.investigator_fte == pytest.approx(200 * 120 / (30 * 46))
    assert result.safeguarding_referrals == 80 + 20
    assert result.victim_support_referrals == 200 + 30
    assert result.isvas_needed == {15: 16, 20: 12}  # ceil(230 / 15), ceil(230 / 20)


def test_fte_path_ramp_attrition_and_start_week() -> None:
    baseline = make_baseline(current_fte=20.0)
    inp = make_input(extra_officers=8, ramp_up_weeks=4, abstraction_rate=0.25)
    headcount, available = fte_path(baseline, inp, 6)
    assert headcount.tolist() == [28.0] * 6
    assert available.tolist() == [(20 + 8 * r) * 0.75 for r in (0.25, 0.5, 0.75, 1, 1, 1)]
    # Starting on the last day of week 1 still counts week 1 as the first week in post;
    # starting on the day week 1 ends makes week 2 the first.
    _, part = fte_path(baseline, replace(inp, start_date=AS_OF + timedelta(days=6)), 2)
    _, next_week = fte_path(baseline, replace(inp, start_date=AS_OF + timedelta(days=7)), 2)
    assert part.tolist() == [(20 + 2) * 0.75, (20 + 4) * 0.75]
    assert next_week.tolist() == [20 * 0.75, (20 + 2) * 0.75]
    # One in ten leaves a year: after 52 weeks the current team is 90%.
    headcount, _ = fte_path(baseline, make_input(attrition_per_year=0.1), 53)
    assert headcount[0] == 20.0
    assert headcount[52] == pytest.approx(18.0)


def test_productivity_given_by_the_planner_rescales_the_weeks() -> None:
    result = run_scenario(make_baseline(), make_input(productivity_per_fte=20.0))
    assert result.weeks_p50 == 10
    assert result.productivity_per_fte == 20.0


def test_projection_runs_to_the_later_of_target_and_p95() -> None:
    baseline = make_baseline(remaining=4000, assessed=5000, weekly_completions=RECENT)
    result = run_scenario(baseline, make_input(trials=5000))
    frame = result.projection
    assert list(frame.columns) == PROJECTION_COLUMNS
    assert result.weeks_p95 is not None
    assert len(frame) == max(result.weeks_p95, 11)
    assert frame["week_ending"].iloc[0] == AS_OF + timedelta(weeks=1)
    assert (frame["assessed_p85"] <= frame["assessed_p50"]).all()
    assert (frame["assessed_p50"] <= frame["assessed_p15"]).all()
    # By the P95 week at least 95% of trials are done, so the cautious line is at the scope.
    assert frame["assessed_p85"].iloc[-1] == 9000
    assert 0.95 * 4000 <= frame["expected_completions"].sum() <= 4000
    # The P50 line reaches the scope in the P50 week.
    first = int((frame["assessed_p50"] >= 9000).to_numpy().argmax()) + 1
    assert first == result.weeks_p50


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"remaining": 0}, "done", "Every case in scope has been assessed."),
        (
            {"weekly_completions": (0,) * 8},
            "cannot_forecast",
            "Cannot forecast: no assessments were completed in the last 8 weeks.",
        ),
        (
            {"weekly_completions": (), "weekly_available_fte": ()},
            "cannot_forecast",
            "Cannot forecast: there are no weekly completion counts to sample from.",
        ),
    ],
)
def test_edge_cases_in_words(overrides: dict, status: str, message: str) -> None:
    result = run_scenario(make_baseline(**overrides), make_input())
    assert (result.status, result.message) == (status, message)
    assert result.cost_to_target == 0.0


def test_target_passed_is_said() -> None:
    baseline = make_baseline(as_of=date(2026, 5, 8))
    result = run_scenario(baseline, make_input(start_date=date(2026, 5, 8)))
    assert result.prob_by_target == 0.0
    assert result.message == "The target date (30 April 2026) has passed."


def test_bad_input_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="start_date 2026-02-01 is before the snapshot date"):
        run_scenario(make_baseline(), make_input(start_date=date(2026, 2, 1)))
    with pytest.raises(ValueError, match="abstraction_rate must be between 0 and 1, got 1.5"):
        make_input(abstraction_rate=1.5)
    with pytest.raises(ValueError, match="week 2 of the window has 5 completions but no"):
        make_baseline(weekly_completions=(5, 5), weekly_available_fte=(1.0, 0.0))
    with pytest.raises(ValueError, match="8 weeks of completions but 2 weeks"):
        make_baseline(weekly_available_fte=(1.0, 1.0))
    with pytest.raises(TypeError, match="ScenarioInput has no field 'extra_officer'"):
        ScenarioInput.from_programme(make_baseline(), programme(), extra_officer=3)


def test_from_programme_fills_every_assumption_from_config() -> None:
    prog = programme()
    inp = ScenarioInput.from_programme(make_baseline(), prog, extra_officers=12)
    assert inp.extra_officers == 12
    assert inp.start_date == AS_OF
    assert inp.loaded_cost_per_fte == prog.loaded_cost_per_fte
    assert inp.abstraction_rate == prog.abstraction_rate
    assert inp.isva_cases_per_adviser == (prog.isva_cases_min, prog.isva_cases_max)
    assert (inp.trials, inp.seed) == (prog.forecast_trials, prog.forecast_seed)
    assert inp.target_date == prog.target_date


def test_assumptions_name_every_value_and_its_source() -> None:
    prog = programme()
    baseline = make_baseline()
    inp = ScenarioInput.from_programme(baseline, prog, abstraction_rate=0.25)
    rows = {name: (value, source) for name, value, source in assumptions(inp, baseline, prog)}
    assert rows["abstraction_rate"] == (0.25, SCENARIO_INPUT)
    assert rows["loaded_cost_per_fte"] == (65_000, prog.setting("loaded_cost_per_fte").source)
    assert rows["target_date"][1] == prog.setting("target_date").source
    assert rows["isva_cases_per_adviser"] == ((15, 20), prog.setting("isva_cases_min").source)
    assert rows["productivity_per_fte"][0] == 10.0
    assert rows["productivity_per_fte"][1].startswith("measured:")
    assert rows["working_weeks_per_year"] == (46.0, prog.setting("working_weeks_per_year").source)
    assert rows["isvas_in_post"] == (12, prog.setting("isvas_in_post").source)
    assert rows["extra_officers"] == (0, SCENARIO_INPUT)
    model_fields = {
        "extra_officers",
        "start_date",
        "ramp_up_weeks",
        "productivity_per_fte",
        "abstraction_rate",
        "attrition_per_year",
        "target_date",
        "referral_rate_reinvestigation",
        "referral_rate_safeguarding",
        "referral_rate_victim_support",
        "investigator_hours_per_reinvestigation",
        "loaded_cost_per_fte",
        "productive_hours_per_fte_week",
        "isva_cases_per_adviser",
        "isvas_in_post",
        "working_weeks_per_year",
        "trials",
        "seed",
    }
    assert model_fields <= set(rows)
    assert all(source for _, source in rows.values())
