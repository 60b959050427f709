"""The planning model's headline and scenarios: one set of trials, honest fan, levers, cost."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from reassess.model.inputs import PlannedAbsence, PlannedChange, Seasonal
from reassess.model.levers import Levers
from reassess.model.plan import run_plan
from tests.model_fixtures import known, plan_input


def finishes(plan) -> np.ndarray:
    """Finish week per trial, 'not within the horizon' as infinity (for comparing trials)."""
    weeks = plan.finish_weeks.astype(float)
    weeks[weeks < 0] = np.inf
    return weeks


@pytest.fixture(scope="module")
def inp():
    return plan_input(scope_growth=6)


@pytest.fixture(scope="module")
def headline(inp):
    return run_plan(inp)


def test_headline_forecasts_dates_in_order(headline) -> None:
    assert headline.status == "ok", headline.reason
    assert headline.as_of < headline.p50 <= headline.p85 <= headline.p95
    assert headline.reason == ""


def test_a_scenario_without_levers_is_the_headline_exactly(inp, headline) -> None:
    same = run_plan(inp, Levers(name="Planner's copy"))
    assert np.array_equal(same.finish_weeks, headline.finish_weeks)
    assert (same.p50, same.p85, same.p95) == (headline.p50, headline.p85, headline.p95)
    assert same.prob_by_target == headline.prob_by_target
    assert same.cost == headline.cost
    assert np.array_equal(same.completions(30), headline.completions(30))


def test_the_target_lever_moves_only_the_chance_of_meeting_it(inp, headline) -> None:
    later = run_plan(inp, Levers(target=headline.p95))
    assert np.array_equal(later.finish_weeks, headline.finish_weeks)
    assert known(later.prob_by_target) >= 0.95 > headline.prob_by_target


@pytest.mark.parametrize("scope_growth", [0, 6, -3])
def test_fan_median_reaches_the_finish_line_in_the_p50_week(scope_growth: int) -> None:
    plan = run_plan(plan_input(scope_growth=scope_growth, seed=7))
    fan = plan.fan(known(plan.weeks_p95) + 2)
    line = plan.finish_line
    for band, band_weeks in (
        ("p50", plan.weeks_p50),
        ("p85", plan.weeks_p85),
        ("p95", plan.weeks_p95),
    ):
        weeks = known(band_weeks)
        remaining = fan[f"remaining_{band}"].to_numpy()
        assert remaining[weeks] <= line < remaining[weeks - 1], band
        assert fan["week_ending"].iloc[weeks] == getattr(plan, band)
    # the burn-up form: the median assessed line meets the scope line's finish line then
    assessed, finish = fan["assessed_p50"].to_numpy(), fan["finish_line"].to_numpy()
    w = known(plan.weeks_p50)
    assert assessed[w] >= finish[w] and assessed[w - 1] < finish[w - 1]


def test_scope_growth_makes_the_finish_later_on_the_same_draws() -> None:
    flat = run_plan(plan_input(scope_growth=0, seed=3))
    growing = run_plan(plan_input(scope_growth=10, seed=3))
    assert known(growing.weeks_p50) > known(flat.weeks_p50)
    fan = growing.fan(10)
    assert fan["scope"].iloc[-1] > fan["scope"].iloc[0]


def test_chance_by_any_date_is_consistent_with_the_dates(headline) -> None:
    week = timedelta(weeks=1)
    assert headline.prob_by(headline.p85) >= 0.85 > headline.prob_by(headline.p85 - week)
    assert headline.prob_by(headline.p50) >= 0.5 > headline.prob_by(headline.p50 - week)
    days = [headline.as_of + timedelta(days=d) for d in range(0, 7 * 60, 5)]
    chances = [headline.prob_by(d) for d in days]
    assert chances == sorted(chances)
    assert headline.prob_by(headline.as_of - week) == 0.0


@pytest.mark.parametrize("start_weeks", [1, 6])
def test_adding_officers_never_makes_the_p85_later(inp, start_weeks: int) -> None:
    start = inp.as_of + timedelta(weeks=start_weeks)
    plans = [run_plan(inp, Levers(extra_officers=n, extra_from=start)) for n in range(0, 7)]
    weeks = [known(p.weeks_p85) for p in plans]
    chances = [known(p.prob_by_target) for p in plans]
    assert weeks == sorted(weeks, reverse=True)
    assert weeks[-1] < weeks[0]
    assert chances == sorted(chances)
    assert all((finishes(b) <= finishes(a)).all() for a, b in zip(plans, plans[1:], strict=False))


def test_more_attrition_and_more_abstraction_never_make_it_earlier(inp, headline) -> None:
    worse = [
        run_plan(inp, Levers(attrition_per_year=0.4)),
        run_plan(inp, Levers(abstraction_rate=0.45)),
        run_plan(inp, Levers(productivity=known(headline.pace).per_available_fte * 0.7)),
    ]
    for plan in worse:
        assert plan.weeks_p85 >= headline.weeks_p85
        assert (finishes(plan) >= finishes(headline)).all()


def test_the_productivity_lever_is_in_cases_per_available_fte_week(inp, headline) -> None:
    measured = headline.pace.per_available_fte
    window = slice(-8, None)
    assert measured == pytest.approx(
        sum(inp.history.completions[window]) / sum(inp.history.available_fte[window])
    )
    same = known(run_plan(inp, Levers(productivity=measured)).pace)
    assert same.per_available_fte == pytest.approx(measured)
    assert same.level == pytest.approx(measured)  # no work content, everyone ramped up
    doubled = run_plan(inp, Levers(productivity=2 * measured))
    assert known(doubled.pace).level == pytest.approx(2 * same.level)
    assert doubled.weeks_p50 < headline.weeks_p50


def test_cost_to_completion_is_the_team_in_post_to_the_finish_week(inp, headline) -> None:
    staffing = headline.staffing(headline.weeks_p95)
    per_week = inp.settings.loaded_cost_per_fte / inp.settings.weeks_per_year
    fte_weeks = staffing["headcount_fte"].iloc[: headline.weeks_p85].sum()
    assert headline.cost.to_p85 == pytest.approx(per_week * fte_weeks)
    assert headline.cost.to_p50 < headline.cost.to_p85 < headline.cost.to_p95
    extra = run_plan(inp, Levers(extra_officers=3))
    # from the Monday after the as-of date: every week to the P85 week
    assert known(extra.cost).extra_to_p85 == pytest.approx(3 * per_week * known(extra.weeks_p85))


def test_planned_starters_ramp_up_and_leavers_go() -> None:
    base = plan_input(attrition_per_year=0.0)
    start = base.as_of + timedelta(days=10)  # a Monday: the second week after the as-of date
    inp = replace(
        base,
        planned_changes=(PlannedChange(start, 4.0, "test plan"),),
        officers=base.officers[:-1]
        + (replace(base.officers[-1], end=base.as_of + timedelta(weeks=3)),),
    )
    staffing = run_plan(inp).staffing(10)
    head = staffing["headcount_fte"].to_numpy()
    effective = staffing["effective_fte"].to_numpy()
    assert head[:4].tolist() == pytest.approx([10, 14, 14, 13])  # join in week 2; leave after 3
    assert effective[1] < effective[2] < effective[5]  # the starters ramp up
    assert effective[5] == pytest.approx(13 * 0.8)  # all ramped up, 20% abstracted


def test_booked_leave_and_seasons_raise_the_abstraction_of_their_weeks() -> None:
    base = plan_input(weeks=6)
    week3 = base.as_of + timedelta(weeks=3)
    christmas = Seasonal("Christmas", (12, 22), (1, 2), 0.5)
    inp = replace(
        base,
        planned_absence=(PlannedAbsence(week3, 5.0 * 10 * 0.6),),
        settings=replace(base.settings, seasonal=(christmas,)),
    )
    staffing = run_plan(inp).staffing(12)
    rates = dict(zip(staffing["week_ending"], staffing["abstraction"], strict=True))
    assert rates[week3] == pytest.approx(0.6)
    assert rates[base.as_of + timedelta(weeks=1)] == pytest.approx(0.2)
    in_christmas = [
        r for d, r in rates.items() if (d.month, d.day) >= (12, 24) or (d.month, d.day) <= (1, 1)
    ]
    assert in_christmas and all(r == pytest.approx(0.5) for r in in_christmas)


def test_the_plan_says_which_abstraction_it_used() -> None:
    measured = run_plan(plan_input(measured=True))
    assumed = run_plan(plan_input(measured=False))
    assert measured.abstraction.measured and measured.abstraction.rate == pytest.approx(0.2)
    assert not assumed.abstraction.measured
    assert assumed.abstraction.rate == assumed.built.settings.abstraction_rate
    assert any("abstraction_rate in config/programme.toml" in n for n in assumed.notes)


def test_capacity_is_the_same_model_in_cases_and_hours(inp, headline) -> None:
    cap = headline.capacity()
    assert cap.weeks == 12  # to the target
    assert cap.capacity_cases == pytest.approx(headline.pace.level * cap.effective_fte_weeks)
    assert cap.capacity_hours == pytest.approx(
        cap.available_fte_weeks * inp.settings.productive_hours_per_fte_week
    )
    assert cap.demand_cases > inp.remaining  # scope is growing
    assert cap.gap_cases == pytest.approx(cap.capacity_cases - cap.demand_cases)


def test_complete_work_gives_no_trials_and_the_as_of_date() -> None:
    done = run_plan(plan_input(remaining=2))
    assert done.status == "done"
    assert done.p85 == done.as_of and done.prob_by(done.as_of) == 1.0
