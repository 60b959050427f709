"""Staffing scenarios as levers on the one planning model (pure: no database): the configured
scenario is the headline exactly, levers move only what they change, demand by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from reassess.config import programme
from reassess.model.levers import Levers
from reassess.model.plan import run_plan
from reassess.model.scenarios import (
    PROJECTION_COLUMNS,
    SCENARIO_INPUT,
    Position,
    ScenarioInput,
    assumptions,
    completion_curve,
    downstream,
    levers_for,
    projection,
    result_from_plan,
)
from tests.model_fixtures import plan_input

AS_OF = date(2026, 3, 6)


def make_input(**overrides: object) -> ScenarioInput:
    return ScenarioInput.from_programme(AS_OF, programme(), name="test", **overrides)


def position(remaining: int = 1000, **so_far: int) -> Position:
    return Position(AS_OF, remaining, 5000, 5000 + remaining, so_far)


def test_the_configured_scenario_is_the_headline_exactly() -> None:
    prog = programme()
    levers = levers_for(make_input(), prog)
    assert levers.is_baseline
    inp = plan_input()
    a, b = run_plan(inp), run_plan(inp, levers)
    assert (a.p50, a.p85, a.p95, a.prob_by_target) == (b.p50, b.p85, b.p95, b.prob_by_target)
    assert a.cost is not None and b.cost is not None and a.cost.to_p85 == b.cost.to_p85
    assert (a.finish_weeks == b.finish_weeks).all()
    assert levers_for(make_input(), prog, current_plan=True).name == Levers().name


def test_levers_carry_only_what_differs_from_config() -> None:
    prog = programme()
    start = date(2026, 3, 16)
    lv = levers_for(
        make_input(
            extra_officers=6,
            start_date=start,
            productivity_per_fte=4.0,
            abstraction_rate=0.3,
            attrition_per_year=prog.attrition_per_year,
            target_date=prog.target_date + timedelta(weeks=4),
        ),
        prog,
    )
    assert (lv.extra_officers, lv.extra_from, lv.productivity, lv.abstraction_rate) == (
        6,
        start,
        4.0,
        0.3,
    )
    assert lv.attrition_per_year is None  # as configured: not a lever
    assert lv.target == prog.target_date + timedelta(weeks=4)
    assert levers_for(make_input(attrition_per_year=0.3), prog).attrition_per_year == 0.3
    assert levers_for(make_input(extra_officers=0, start_date=start), prog).extra_from is None


@pytest.mark.parametrize("extra", [1, 4, 12])
def test_more_officers_never_finish_later(extra: int) -> None:
    inp = plan_input(remaining=2000)
    base = run_plan(inp)
    more = run_plan(inp, Levers(extra_officers=extra))
    assert base.weeks_p85 is not None and more.weeks_p85 is not None
    assert (more.finish_weeks <= base.finish_weeks).all()  # trial by trial (common draws)
    assert more.weeks_p85 <= base.weeks_p85
    assert more.cost is not None and more.cost.extra_to_p85 is not None
    assert more.cost.extra_to_p85 > 0


def test_downstream_demand_by_hand() -> None:
    out = downstream(
        position(1000, reinvestigate=60, safeguarding_referral=20, victim_support=30),
        make_input(
            referral_rate_reinvestigation=0.14,
            referral_rate_safeguarding=0.08,
            referral_rate_victim_support=0.20,
            investigator_hours_per_reinvestigation=120.0,
            productive_hours_per_fte_week=30.0,
            working_weeks_per_year=46.0,
            isva_cases_per_adviser=(15, 20),
        ),
    )
    assert out["reinvestigations"] == 140 + 60
    # 200 reinvestigations x 120 hours / (30 productive hours x 46 working weeks)
    assert out["investigator_fte"] == pytest.approx(200 * 120 / (30 * 46))
    assert out["safeguarding_referrals"] == 80 + 20
    assert out["victim_support_referrals"] == 200 + 30
    assert out["isvas_needed"] == {15: 16, 20: 12}  # ceil(230 / 15), ceil(230 / 20)


def test_a_result_carries_the_plans_figures_and_the_extra_cost() -> None:
    inp = plan_input(remaining=1500)
    s = make_input(extra_officers=3, loaded_cost_per_fte=70_000.0)
    plan = run_plan(inp, levers_for(s, programme()))
    r = result_from_plan(s, plan, position(1500))
    assert (r.p50, r.p85, r.p95) == (plan.p50, plan.p85, plan.p95)
    assert r.cost_per_year == 3 * 70_000
    assert plan.cost is not None
    assert r.team_cost_to_completion == plan.cost.to_p85
    assert r.cost_to_completion == plan.cost.extra_to_p85
    assert r.productivity_per_fte == pytest.approx(plan.pace.per_available_fte)  # type: ignore[union-attr]


def test_the_projection_and_curve_are_the_plans_own_trials() -> None:
    plan = run_plan(plan_input(remaining=1200, scope_growth=5))
    frame = projection(plan)
    assert list(frame.columns) == PROJECTION_COLUMNS
    assert frame["week_ending"].iloc[0] == plan.as_of + timedelta(weeks=1)
    assert len(frame) == plan.horizon()
    assert (frame["assessed_p85"] <= frame["assessed_p50"] + 1e-9).all()
    assert (frame["assessed_p50"] <= frame["assessed_p15"] + 1e-9).all()
    fan = plan.fan().set_index("week_ending")
    assert plan.p50 is not None
    # the median reaches the finish line in the P50 week, not before
    assert fan.loc[plan.p50, "remaining_p50"] <= plan.finish_line
    assert fan.loc[plan.p50 - timedelta(weeks=1), "remaining_p50"] > plan.finish_line
    curve = completion_curve(plan).set_index("week_ending")["share"]
    assert curve[plan.p50] >= 0.5 > curve[plan.p50 - timedelta(weeks=1)]
    assert plan.p85 is not None and curve[plan.p85] >= 0.85


def test_bad_input_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="abstraction_rate must be from 0 to below 1"):
        make_input(abstraction_rate=1.0)
    with pytest.raises(ValueError, match="attrition_per_year must be between 0 and 1, got 1.5"):
        make_input(attrition_per_year=1.5)
    with pytest.raises(ValueError, match="extra_officers must be 0 or more, got -1"):
        make_input(extra_officers=-1)
    with pytest.raises(TypeError, match="ScenarioInput has no field 'extra_officer'"):
        ScenarioInput.from_programme(AS_OF, programme(), extra_officer=3)


def test_from_programme_fills_every_assumption_from_config() -> None:
    prog = programme()
    inp = ScenarioInput.from_programme(AS_OF, prog, extra_officers=12)
    assert inp.extra_officers == 12
    assert inp.start_date == AS_OF
    assert inp.loaded_cost_per_fte == prog.loaded_cost_per_fte
    assert inp.abstraction_rate is None  # measured, not the configured 20%
    assert inp.productivity_per_fte is None
    assert inp.isva_cases_per_adviser == (prog.isva_cases_min, prog.isva_cases_max)
    assert (inp.trials, inp.seed) == (prog.forecast_trials, prog.forecast_seed)
    assert inp.target_date == prog.target_date


def test_assumptions_name_every_value_and_its_source() -> None:
    prog = programme()
    plan = run_plan(plan_input(abstraction=0.25))
    rows = {n: (v, s) for n, v, s in assumptions(make_input(), plan, prog)}
    assert rows["abstraction_rate"][0] == pytest.approx(0.25)
    assert rows["abstraction_rate"][1] == plan.abstraction.source
    assert rows["abstraction_rate"][1].startswith("measured:")
    assert rows["productivity_per_fte"][1].startswith("measured:")
    assert rows["loaded_cost_per_fte"] == (65_000, prog.setting("loaded_cost_per_fte").source)
    assert rows["target_date"][1] == prog.setting("target_date").source
    assert rows["isva_cases_per_adviser"] == ((15, 20), prog.setting("isva_cases_min").source)
    assert rows["extra_officers"] == (0, SCENARIO_INPUT)
    changed = {n: (v, s) for n, v, s in assumptions(make_input(abstraction_rate=0.3), plan, prog)}
    assert changed["abstraction_rate"] == (0.3, SCENARIO_INPUT)
    assert all(source for _, source in rows.values())
    assert replace(make_input(), name="x").name == "x"
