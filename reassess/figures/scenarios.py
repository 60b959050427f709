"""Scenarios and the resource position read from a snapshot, on the one planning model (no Streamlit).

``run_scenario`` runs a ``ScenarioInput``'s levers (``reassess.model.scenarios.levers_for``) on
the headline's input through ``reassess.figures.forecast.scenario``: the scenario with no
change is the headline forecast exactly (the same cached plan), and every scenario differs
from it only by its levers. ``position_for`` reads the cases and the referrals so far
(queries/pages/kpis.sql, resources_referrals.sql) for the demand figures.

The resources page, the scenarios page, the briefing and ``python -m reassess scenario`` share
``officers`` (the officers finder), ``results_table`` and ``completion_curves``, so they give
the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from reassess.config import Programme, Setting
from reassess.figures.forecast import scenario
from reassess.figures.reinvestigation_plan import coupled_for, coupled_summary
from reassess.figures.team import Team, abstraction_words
from reassess.model.finder import OfficersAnswer
from reassess.model.plan import Capacity
from reassess.model.reinvestigation import CoupledPlan
from reassess.model.scenarios import (
    Position,
    ScenarioInput,
    ScenarioResult,
    assumptions,
    completion_curve,
    levers_for,
    reinvestigation_levers,
    result_from_plan,
)
from reassess.model.staffing import next_monday
from reassess.present.formats import chance, long_date, money
from reassess.present.marking import marking
from reassess.present.vocabulary import CATEGORY_LABELS, FORECAST_LABELS
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

DEFAULT_CONFIDENCE = 0.85
CURRENT_PLAN = "Current plan"
REFERRAL_COLUMNS = {
    "reinvestigate": "reinvestigate",
    "safeguarding_referral": "safeguarding_referral",
    "victim_support": "victim_support_referred",
}
"""Position.referrals_so_far key -> column of queries/pages/resources_referrals.sql."""


def default_start(as_of: date) -> date:
    """When extra officers start unless the planner says otherwise: the Monday after the as-of
    date (as the planning model's levers and officers finder assume)."""
    return next_monday(as_of)


def target_passed(as_of: date, target: date) -> bool:
    """Whether fewer than one whole week is left before the target (so no one can help meet it)."""
    return (target - as_of).days // 7 < 1


def position_for(db: Database, snapshot: SnapshotInfo, role: str) -> Position:
    """The cases and referrals so far at a snapshot, for the demand figures."""
    kpis = db.scalar_row("kpis", snapshot, role=role)
    in_scope, assessed = int(kpis["in_scope"]), int(kpis["assessed"])
    return Position(
        as_of=snapshot.as_of,
        remaining=in_scope - assessed,
        assessed=assessed,
        in_scope=in_scope,
        referrals_so_far=referrals_so_far(db.run("resources_referrals", snapshot, role=role)),
    )


def referrals_so_far(referrals: pd.DataFrame) -> dict[str, int]:
    """Totals of queries/pages/resources_referrals.sql keyed as Position.referrals_so_far."""
    return {key: int(referrals[col].sum()) for key, col in REFERRAL_COLUMNS.items()}


def run_scenario(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    inp: ScenarioInput,
    position: Position,
    window_weeks: int | None = None,
    *,
    current_plan: bool = False,
    coupled: bool = False,
) -> ScenarioResult:
    """A scenario on the planning model: its levers on the headline's input (cached), and the
    coupled forecast of reinvestigation demand on its trials with its reinvestigation levers
    (``coupled=True``: the scenarios page and the CLI; the resources page does without)."""
    plan = scenario(
        db,
        snapshot,
        programme,
        levers_for(inp, programme, current_plan=current_plan),
        window_weeks,
        ramp_up_weeks=inp.ramp_up_weeks,
        loaded_cost_per_fte=inp.loaded_cost_per_fte,
        trials=inp.trials,
    )
    demand = (
        coupled_for(db, snapshot, programme, plan, reinvestigation_levers(inp), inp.trials)
        if coupled
        else None
    )
    return result_from_plan(inp, plan, position, demand)


def answer_sentence(answer: OfficersAnswer) -> str:
    """The officers finder's answer in one or two plain sentences (and its warning)."""
    when = long_date(answer.finish_by)
    pct = f"{answer.confidence:.0%}"
    n = answer.extra_officers
    if n is None:
        return answer.reason
    chance = f" (chance: {answer.prob_by:.0%})" if answer.prob_by is not None else ""
    if n == 0:
        return (
            f"The current team finishes by {when} with at least {pct} confidence{chance}; no "
            "extra officers are needed."
        )
    plan = answer.plan
    until = ""
    if plan is not None and plan.p85 is not None and plan.cost is not None:
        until = (
            f" With them the work is done by {long_date(plan.p85)} ({pct} confidence), and "
            f"the whole team costs {money(plan.cost.to_p85)} to then."
        )
    text = (
        f"**{n} extra officer{'s' if n != 1 else ''}** from {long_date(answer.start)} finish by "
        f"{when} with {pct} confidence{chance}; one fewer would not. They cost "
        f"{money(answer.cost_per_year)} a year.{until}"
    )
    return text + (f"\n\n**Warning:** {answer.warning}" if answer.warning else "")


def finder_curve(answer: OfficersAnswer) -> pd.DataFrame:
    """The officers finder's curve: extra officers against the P85 finish date, and whether
    each number is within the recruitable limit."""
    return pd.DataFrame(
        {
            "extra_officers": [p.extra_officers for p in answer.curve],
            "p85": [p.p85 for p in answer.curve],
            "recruitable": [p.recruitable for p in answer.curve],
        }
    )


# --------------------------------------------------------------------------- the resources page's figures

Figure = tuple[str, str, str | None]
"""A headline figure as text: label, value, help."""


def _fte(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _count(value: float | None) -> str:
    return "—" if value is None else f"{round(value):,}"


def gap_figures(team: Team, answer: OfficersAnswer, capacity: Capacity | None) -> list[Figure]:
    """FTE in post and available against FTE needed, and the funding gap (the planning model's
    team, the officers finder's answer and the capacity to the finish-by date)."""
    pct = f"{answer.confidence:.0%}"
    done = answer.plan.p85 if answer.plan is not None else None
    needed = None if capacity is None else capacity.available_fte_needed
    return [
        (
            "FTE in post (assessment)",
            _fte(team.fte_in_post),
            "Assessment officers' FTE in post in the week to the as-of date (investigators on "
            "reinvestigations are not counted).",
        ),
        (
            "FTE available (net of abstraction)",
            _fte(team.available_fte),
            "Expected next week, booked leave included; abstraction "
            + abstraction_words(team.abstraction),
        ),
        (
            "Average FTE available needed",
            _fte(needed),
            f"To finish the work left and the expected scope growth by {long_date(answer.finish_by)} "
            "at the measured pace (on average; the extra officers below meet it with "
            f"{pct} confidence).",
        ),
        ("Extra officers needed", _count(answer.extra_officers), answer.reason),
        (
            "Funding gap a year",
            money(answer.cost_per_year),
            "Extra officers x loaded cost per FTE.",
        ),
        (
            "Extra officers' cost to completion",
            money(
                None
                if answer.plan is None or answer.plan.cost is None
                else answer.plan.cost.extra_to_p85
            ),
            "Extra officers' loaded cost from their start until the work is done with "
            f"{pct} confidence" + (f" ({long_date(done)})." if done else "."),
        ),
    ]


def pipeline_figures(baseline: Position, inp: ScenarioInput, plan: ScenarioResult) -> list[Figure]:
    """Reinvestigations referred so far and expected, and the investigators they need."""
    so_far = baseline.referrals_so_far.get("reinvestigate", 0)
    hours = inp.investigator_hours_per_reinvestigation
    return [
        ("Reinvestigations so far", _count(so_far), None),
        (
            "Investigator hours needed",
            _count(so_far * hours),
            f"{hours:,.0f} hours per reinvestigation.",
        ),
        (
            "Expected reinvestigations",
            _count(plan.reinvestigations),
            f"So far, plus {inp.referral_rate_reinvestigation:.0%} of the "
            f"{baseline.remaining:,} cases still to assess.",
        ),
        (
            "Investigators for a year (FTE)",
            _fte(plan.investigator_fte),
            "Investigators needed to complete every expected reinvestigation in one year "
            f"({inp.productive_hours_per_fte_week:g} productive hours a week, "
            f"{inp.working_weeks_per_year:g} working weeks a year).",
        ),
    ]


def support_figures(baseline: Position, inp: ScenarioInput, plan: ScenarioResult) -> list[Figure]:
    """Victim-support referrals so far and expected, the advocates (ISVAs) they need, and the
    shortfall against the ISVAs in post."""
    caseloads = inp.isva_cases_per_adviser
    load = f"{min(caseloads)}–{max(caseloads)} cases each"
    each = f"At {load}."
    so_far = baseline.referrals_so_far.get("victim_support", 0)
    needed_now = isvas_for(so_far, caseloads)
    in_post = inp.isvas_in_post
    return [
        ("Victim-support referrals so far", _count(so_far), None),
        ("ISVAs needed now", isva_range(needed_now), each),
        (
            "ISVAs in post",
            _count(in_post),
            f"They can carry {isva_range(isva_capacity(in_post, caseloads))} cases at {load} "
            "(config/programme.toml: isvas_in_post).",
        ),
        ("ISVA shortfall now", isva_range(isva_shortfall(needed_now, in_post)), each),
        (
            "Expected referrals",
            _count(plan.victim_support_referrals),
            f"So far, plus {inp.referral_rate_victim_support:.0%} of the cases still to assess.",
        ),
        ("ISVAs needed then", isva_range(plan.isvas_needed), each),
        ("ISVA shortfall then", isva_range(isva_shortfall(plan.isvas_needed, in_post)), each),
    ]


def isva_peak(plan: CoupledPlan) -> str:
    """The most ISVAs the coupled forecast needs in a month, against those in post: '20–27 / 12'."""
    low, high = (math.ceil(x - 1e-9) for x in plan.peak_isvas_needed)
    in_post = plan.months[0].isvas_in_post if plan.months else 0
    return f"{isva_range({20: low, 15: high})} / {in_post:,.0f}"


def isva_capacity(in_post: int, caseloads: Sequence[int]) -> dict[int, int]:
    """Cases the advisers in post can carry at each caseload."""
    return {int(c): in_post * int(c) for c in caseloads}


def isva_shortfall(needed: Mapping[int, int], in_post: int) -> dict[int, int]:
    """More advisers needed beyond those in post, at each caseload (0 when enough)."""
    return {c: max(0, n - in_post) for c, n in needed.items()}


# --------------------------------------------------------------------------- tables and curves


def _date(value: date | None) -> str:
    return "—" if value is None else long_date(value)


def isva_range(isvas_needed: Mapping[int, int]) -> str:
    """Advisers needed at the largest and smallest caseload, e.g. '74–98'."""
    needed = sorted(isvas_needed.values())
    return (
        "—"
        if not needed
        else f"{needed[0]:,}"
        if needed[0] == needed[-1]
        else f"{needed[0]:,}–{needed[-1]:,}"
    )


RESULT_ROWS = (
    "Extra officers",
    "Start",
    "Assessments per available FTE a week",
    FORECAST_LABELS["p50"],
    FORECAST_LABELS["p85"],
    FORECAST_LABELS["p95"],
    FORECAST_LABELS["prob_by_target"],
    "Extra officers' cost a year",
    "Extra officers' cost to the P85 date",
    "Whole team's cost to the P85 date",
    "Reinvestigations expected",
    "Investigators for a year (FTE)",
    "Safeguarding referrals expected",
    "Victim-support referrals expected",
    "Advocates (ISVAs) needed",
    "Extra investigators",
    "Reinvestigation FTE short at the peak (12 months)",
    "Cost of the reinvestigation shortfall (12 months)",
    "ISVAs needed at the peak, against in post (12 months)",
    "Notes",
)


def result_column(inp: ScenarioInput, result: ScenarioResult) -> list[str]:
    """One scenario's figures as text, in the order of RESULT_ROWS."""
    prob = result.prob_by_target
    productivity = result.productivity_per_fte
    return [
        f"{inp.extra_officers:,}",
        long_date(inp.start_date) if inp.extra_officers else "—",
        "—" if productivity is None else f"{productivity:.2f}",
        _date(result.p50),
        _date(result.p85),
        _date(result.p95),
        "—" if prob is None else chance(prob),
        money(result.cost_per_year),
        money(result.cost_to_completion),
        money(result.team_cost_to_completion),
        f"{result.reinvestigations:,}",
        f"{result.investigator_fte:,.1f}",
        f"{result.safeguarding_referrals:,}",
        f"{result.victim_support_referrals:,}",
        isva_range(result.isvas_needed),
        f"{inp.extra_investigators:,}"
        + (
            f" from {long_date(inp.investigators_from)}"
            if inp.extra_investigators and inp.investigators_from
            else ""
        ),
        "—" if result.coupled is None else f"{result.coupled.peak_unmet_fte:,.1f}",
        "—" if result.coupled is None else money(result.coupled.unmet_cost_12m_gbp),
        "—" if result.coupled is None else isva_peak(result.coupled),
        result.message or "",
    ]


def results_table(pairs: Sequence[tuple[ScenarioInput, ScenarioResult]]) -> pd.DataFrame:
    """Scenarios side by side: one row per figure (RESULT_ROWS), one column per scenario."""
    table = pd.DataFrame({"Figure": list(RESULT_ROWS)})
    for inp, result in pairs:
        table[result.name] = result_column(inp, result)
    return table


def completion_curves(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """The chance of having finished by each week, per scenario: scenario, week_ending, share."""
    frames = [completion_curve(r.plan).assign(scenario=r.name) for r in results]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["scenario", "week_ending", "share"])
    return pd.concat(frames, ignore_index=True)[["scenario", "week_ending", "share"]]


def pipeline_table(referrals: pd.DataFrame, hours_per_reinvestigation: float) -> pd.DataFrame:
    """Referrals so far by category with the investigator hours the reinvestigations need,
    and a total row (from queries/pages/resources_referrals.sql)."""
    table = pd.DataFrame(
        {
            "Category": [CATEGORY_LABELS.get(c, c) for c in referrals["category"]],
            "Assessed": referrals["assessed"].astype(int),
            "Referred for reinvestigation": referrals["reinvestigate"].astype(int),
            "Investigator hours needed": referrals["reinvestigate"].astype(int)
            * hours_per_reinvestigation,
            "Safeguarding referrals": referrals["safeguarding_referral"].astype(int),
            "Victim-support referrals": referrals["victim_support_referred"].astype(int),
        }
    )
    total = table.drop(columns="Category").sum().to_dict()
    table = pd.concat(
        [table, pd.DataFrame([{"Category": "All categories", **total}])], ignore_index=True
    )
    return table.astype({c: "int64" for c in table.columns if c != "Category"})


def isvas_for(cases: int, caseloads: Sequence[int]) -> dict[int, int]:
    """Advisers needed to hold ``cases`` at each caseload (cases per adviser), rounded up."""
    return {int(c): math.ceil(cases / c) for c in caseloads}


def assumption_settings(
    inp: ScenarioInput, result: ScenarioResult, programme: Programme
) -> list[Setting]:
    """Every assumption of a scenario with its source (scenarios.assumptions), values rounded
    for reading: rates as percentages, dates written out."""
    out = []
    for name, value, source in assumptions(inp, result.plan, programme):
        shown: Any = value
        if isinstance(value, date):
            shown = long_date(value)
        elif name in PERCENT_FIELDS:
            shown = f"{value:.1%}".replace(".0%", "%")
        elif isinstance(value, float):
            shown = f"{value:,.2f}".rstrip("0").rstrip(".")
        elif isinstance(value, tuple):
            shown = "–".join(str(v) for v in value)
        out.append(Setting(name, shown, source, "assumption"))
    return out


PERCENT_FIELDS = frozenset(
    {
        "abstraction_rate",
        "attrition_per_year",
        "referral_rate_reinvestigation",
        "referral_rate_safeguarding",
        "referral_rate_victim_support",
    }
)


def json_ready(value: Any) -> Any:
    """Dates as ISO text and tuples as lists, recursively (for JSON exports)."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def result_summary(result: ScenarioResult) -> dict[str, Any]:
    """A scenario's headline figures, JSON-ready (the projection is separate)."""
    plan = result.plan
    return json_ready(
        {
            "name": result.name,
            "status": result.status,
            "message": result.message,
            "p50": result.p50,
            "p85": result.p85,
            "p95": result.p95,
            "prob_by_target": result.prob_by_target,
            "productivity_per_fte": result.productivity_per_fte,
            "abstraction_rate": plan.abstraction.rate,
            "abstraction_measured": plan.abstraction.measured,
            "window_weeks": plan.window_weeks,
            "trials": plan.trials,
            "seed": plan.seed,
            "cost_per_year": result.cost_per_year,
            "cost_to_completion": result.cost_to_completion,
            "team_cost_to_completion": result.team_cost_to_completion,
            "reinvestigations": result.reinvestigations,
            "investigator_fte": result.investigator_fte,
            "safeguarding_referrals": result.safeguarding_referrals,
            "victim_support_referrals": result.victim_support_referrals,
            "isvas_needed": result.isvas_needed,
            "notes": list(plan.notes),
            "problems": [str(p) for p in plan.problems],
            "reinvestigation_demand": coupled_summary(result.coupled),
        }
    )


def scenario_export(
    inp: ScenarioInput,
    result: ScenarioResult,
    position: Position,
    programme: Programme,
    snapshot: SnapshotInfo,
) -> dict[str, Any]:
    """A scenario, its assumptions with their sources, its results and weekly projection."""
    from reassess.present.csvsafe import safe_cell
    from reassess.store.scenarios import input_to_json

    scenario = input_to_json(inp)
    scenario["name"] = safe_cell(scenario["name"])  # a typed name never opens as a formula
    summary = result_summary(result)
    summary["name"] = safe_cell(summary["name"])
    projection = result.projection.copy()
    projection["week_ending"] = [d.isoformat() for d in projection["week_ending"]]
    return json_ready(
        {
            "marking": marking(snapshot.synthetic),
            "snapshot": snapshot.label,
            "position": {
                "remaining": position.remaining,
                "assessed": position.assessed,
                "in_scope": position.in_scope,
                "fte_in_post": result.plan.inp.history.headcount_fte[-1]
                if result.plan.inp.history.headcount_fte
                else 0.0,
            },
            "scenario": scenario,
            "assumptions": [
                {"name": n, "value": v, "source": s}
                for n, v, s in assumptions(inp, result.plan, programme)
            ],
            "result": summary,
            "projection": projection.to_dict(orient="records"),
        }
    )


def answer_summary(answer: OfficersAnswer) -> dict[str, Any]:
    """The officers finder's answer, JSON-ready (with its curve and any warning)."""
    plan = answer.plan
    return json_ready(
        {
            "extra_officers": answer.extra_officers,
            "confidence": answer.confidence,
            "prob_by": answer.prob_by,
            "start": answer.start,
            "finish_by": answer.finish_by,
            "reason": answer.reason,
            "warning": answer.warning,
            "recruitable_extra_officers": answer.recruitable,
            "recruitable_source": answer.recruitable_source,
            "cost_per_year": answer.cost_per_year,
            "p85_with_them": None if plan is None else plan.p85,
            "team_cost_to_completion": None
            if plan is None or plan.cost is None
            else plan.cost.to_p85,
            "curve": [
                {"extra_officers": p.extra_officers, "p85": p.p85, "recruitable": p.recruitable}
                for p in answer.curve
            ],
        }
    )
