"""Where the staffing model starts, read from a snapshot, and the answers built on it (no Streamlit).

``baseline_for`` reads a ``scenarios.Baseline`` through the query runner: the remaining cases
from queries/pages/kpis.sql and the weekly completions from queries/pages/weekly_flow.sql, the very
numbers the overview's forecast samples; the FTE available in the same weeks
(resources_weekly_fte); the FTE in post on the as-of date (scope_history); referrals so far
(resources_referrals) and recent hours per case (workload_hours_per_case).

With no extra officers, no attrition and an assumed abstraction equal to what was recorded
(a steady team), the scenario model gives the overview's dates exactly. Otherwise the two
differ by design: the overview projects recent weekly completions as they are, scope changes
included; the model projects completions per available FTE onto the team expected in post.

The resources page, the scenarios page and ``python -m reassess scenario`` share
``find_officers``, ``results_table`` and ``completion_curves``, so they give the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from reassess.config import Programme, Setting
from reassess.figures.status import weekly_completions
from reassess.model.scenarios import (
    Baseline,
    ScenarioInput,
    ScenarioResult,
    assumptions,
    officers_needed_with_reason,
    run_scenario,
)
from reassess.present.formats import long_date, money
from reassess.present.marking import marking
from reassess.present.vocabulary import CATEGORY_LABELS
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

DEFAULT_CONFIDENCE = 0.85
CURRENT_PLAN = "Current plan"
REFERRAL_COLUMNS = {
    "reinvestigate": "reinvestigate",
    "safeguarding_referral": "safeguarding_referral",
    "victim_support": "victim_support_referred",
}
"""Baseline.referrals_so_far key -> column of queries/pages/resources_referrals.sql."""


class BaselineError(ValueError):
    """The snapshot's figures cannot make a baseline (the message says which and why)."""


def default_start(as_of: date) -> date:
    """When extra officers start unless the planner says otherwise: one week after the as-of date."""
    return as_of + timedelta(weeks=1)


def target_passed(as_of: date, target: date) -> bool:
    """Whether fewer than one whole week is left before the target (so no one can help meet it)."""
    return (target - as_of).days // 7 < 1


def baseline_for(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    role: str,
    window_weeks: int | None = None,
) -> Baseline:
    """The Baseline of a snapshot over the last ``window_weeks`` (default: the forecast window)."""
    window = int(window_weeks or programme.throughput_window_weeks)
    as_of = snapshot.as_of
    kpis = db.scalar_row("kpis", snapshot, role=role)
    in_scope, assessed = int(kpis["in_scope"]), int(kpis["assessed"])
    completions = weekly_completions(db, snapshot, role, window)
    fte = db.run("resources_weekly_fte", snapshot, role=role, as_of=as_of, weeks=window)
    available = tuple(round(float(x), 9) for x in fte["available_fte"])
    for week_ending, done, free in zip(fte["week_ending"], completions, available, strict=True):
        if done and not free:
            raise BaselineError(
                f"In the week ending {week_ending:%-d %B %Y}, {done} assessments were completed "
                "but no officer was in post and available according to officers.csv and "
                "abstractions.csv. Check the officers' start and end dates and abstractions."
            )
    history = db.run("scope_history", snapshot, role=role)
    now = history[pd.to_datetime(history["as_of"]).dt.date == as_of]
    if now.empty:
        raise BaselineError(
            f"The snapshot {snapshot.label} has no row for itself in scope_history."
        )
    hours = db.scalar_row("workload_hours_per_case", snapshot, role=role, as_of=as_of, weeks=window)
    with_hours = int(hours["completed_with_hours"])
    return Baseline(
        as_of=as_of,
        remaining=in_scope - assessed,
        assessed=assessed,
        in_scope=in_scope,
        weekly_completions=completions,
        weekly_available_fte=available,
        current_fte=round(float(now["fte_active"].iloc[-1]), 9),
        referrals_so_far=referrals_so_far(db.run("resources_referrals", snapshot, role=role)),
        hours_per_case=float(hours["hours"]) / with_hours if with_hours else 0.0,
    )


def referrals_so_far(referrals: pd.DataFrame) -> dict[str, int]:
    """Totals of queries/pages/resources_referrals.sql keyed as Baseline.referrals_so_far."""
    return {key: int(referrals[col].sum()) for key, col in REFERRAL_COLUMNS.items()}


def recorded_abstraction(weekly_fte: pd.DataFrame) -> float | None:
    """Share of in-post FTE time recorded as abstracted over the weeks of resources_weekly_fte."""
    in_post = float(weekly_fte["fte_in_post"].sum())
    return float(weekly_fte["fte_abstracted"].sum()) / in_post if in_post else None


# --------------------------------------------------------------------------- officers needed


@dataclass(frozen=True)
class OfficersAnswer:
    """How many extra officers from ``start`` finish by ``finish_by`` with ``confidence``, and
    what they cost. ``extra_officers`` is None when no number up to 500 does (``reason`` says
    why). ``result`` is the scenario with that many extra officers."""

    extra_officers: int | None
    prob_by_target: float | None
    reason: str
    confidence: float
    start: date
    finish_by: date
    available_fte_now: float
    available_fte_needed: float | None
    cost_per_year: float | None
    cost_to_finish: float | None
    cost_to_completion: float | None
    result: ScenarioResult | None


def find_officers(
    baseline: Baseline, inp: ScenarioInput, confidence: float = DEFAULT_CONFIDENCE
) -> OfficersAnswer:
    """Extra officers from inp.start_date needed to finish by inp.target_date with ``confidence``.

    Every other assumption is the scenario's own; its ``extra_officers`` is ignored. Available
    FTE is headcount x (1 - abstraction): now, and with the extra officers once fully productive.
    """
    need = officers_needed_with_reason(baseline, inp, confidence)
    keep = 1.0 - inp.abstraction_rate
    now = baseline.current_fte * keep
    n = need.extra_officers
    if n is None:
        return OfficersAnswer(
            None, need.prob_by_target, need.reason, confidence, inp.start_date, inp.target_date,
            now, None, None, None, None, None,
        )  # fmt: skip
    result = run_scenario(baseline, replace(inp, extra_officers=n))
    return OfficersAnswer(
        extra_officers=n,
        prob_by_target=need.prob_by_target,
        reason=need.reason,
        confidence=confidence,
        start=inp.start_date,
        finish_by=inp.target_date,
        available_fte_now=now,
        available_fte_needed=(baseline.current_fte + n) * keep,
        cost_per_year=n * inp.loaded_cost_per_fte,
        cost_to_finish=result.cost_to_target,
        cost_to_completion=result.cost_to_completion,
        result=result,
    )


def answer_sentence(answer: OfficersAnswer) -> str:
    """The answer in one or two plain sentences."""
    when = long_date(answer.finish_by)
    pct = f"{answer.confidence:.0%}"
    n = answer.extra_officers
    if n is None:
        return answer.reason
    if n == 0:
        chance = f" (chance: {answer.prob_by_target:.0%})" if answer.prob_by_target else ""
        return f"The current team finishes by {when} with at least {pct} confidence{chance}; no extra officers are needed."
    done = answer.result.p85 if answer.result is not None else None
    until = f" until the work is done ({long_date(done)} with {pct} confidence)" if done else ""
    return (
        f"**{n} extra officer{'s' if n != 1 else ''}** from {long_date(answer.start)} finish by "
        f"{when} with {pct} confidence (chance: {answer.prob_by_target:.0%}; one fewer would not). "
        f"They cost {money(answer.cost_per_year)} a year: "
        f"{money(answer.cost_to_completion)}{until}."
    )


# --------------------------------------------------------------------------- the resources page's figures

Figure = tuple[str, str, str | None]
"""A headline figure as text: label, value, help."""


def _fte(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _count(value: float | None) -> str:
    return "—" if value is None else f"{round(value):,}"


def gap_figures(
    baseline: Baseline, inp: ScenarioInput, answer: OfficersAnswer, weekly_fte: pd.DataFrame
) -> list[Figure]:
    """FTE available against FTE needed, and the funding gap (``weekly_fte``: resources_weekly_fte)."""
    pct = f"{answer.confidence:.0%}"
    recorded = recorded_abstraction(weekly_fte)
    recorded_text = "—" if recorded is None else f"{recorded:.0%}"
    done = answer.result.p85 if answer.result is not None else None
    return [
        ("FTE in post", _fte(baseline.current_fte), "Officers on the review on the as-of date."),
        (
            "FTE available (net of abstraction)",
            _fte(answer.available_fte_now),
            f"FTE in post x (1 - {inp.abstraction_rate:.0%} assumed abstraction). Recorded abstraction over "
            f"the last {baseline.window_weeks} weeks: {recorded_text}; available FTE averaged "
            f"{weekly_fte['available_fte'].mean():,.1f} a week.",
        ),
        (
            f"FTE available needed ({pct} confidence)",
            _fte(answer.available_fte_needed),
            f"To finish by {long_date(answer.finish_by)} with extra officers from "
            f"{long_date(answer.start)}.",
        ),
        ("Extra officers needed", _count(answer.extra_officers), answer.reason),
        (
            "Funding gap a year",
            money(answer.cost_per_year),
            "Extra officers x loaded cost per FTE.",
        ),
        (
            "Funding gap to completion",
            money(answer.cost_to_completion),
            "Extra officers' loaded cost from their start until the work is done with "
            f"{pct} confidence" + (f" ({long_date(done)})." if done else "."),
        ),
    ]


def pipeline_figures(baseline: Baseline, inp: ScenarioInput, plan: ScenarioResult) -> list[Figure]:
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


def support_figures(baseline: Baseline, inp: ScenarioInput, plan: ScenarioResult) -> list[Figure]:
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
    "Finish, median (P50)",
    "Finish, 85% confidence (P85)",
    "Finish, 95% confidence (P95)",
    "Chance of finishing by the target",
    "Extra officers' cost to the target",
    "Extra officers' cost to the P85 date",
    "Whole team's cost to the P85 date",
    "Reinvestigations expected",
    "Investigators for a year (FTE)",
    "Safeguarding referrals expected",
    "Victim-support referrals expected",
    "Advocates (ISVAs) needed",
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
        "—" if prob is None else f"{prob:.0%}",
        money(result.cost_to_target),
        money(result.cost_to_completion),
        money(result.team_cost_to_completion),
        f"{result.reinvestigations:,}",
        f"{result.investigator_fte:,.1f}",
        f"{result.safeguarding_referrals:,}",
        f"{result.victim_support_referrals:,}",
        isva_range(result.isvas_needed),
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
    frames = []
    for r in results:
        if not r.week_counts:
            continue
        trials = sum(r.week_counts) + r.not_finished
        share = pd.Series(r.week_counts, dtype="float64").cumsum() / trials
        first = max(0, int((share > 0).to_numpy().argmax()) - 1)  # from the week before any finish
        frames.append(
            pd.DataFrame(
                {
                    "scenario": r.name,
                    "week_ending": [r.as_of + timedelta(weeks=k) for k in range(first, len(share))],
                    "share": share.to_numpy()[first:],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["scenario", "week_ending", "share"])
    return pd.concat(frames, ignore_index=True)


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
    inp: ScenarioInput, baseline: Baseline, programme: Programme
) -> list[Setting]:
    """Every assumption of a scenario with its source (scenarios.assumptions), values rounded
    for reading: rates as percentages, dates written out."""
    out = []
    for name, value, source in assumptions(inp, baseline, programme):
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
            "not_finished_trials": result.not_finished,
            "cost_to_target": result.cost_to_target,
            "cost_to_completion": result.cost_to_completion,
            "team_cost_to_target": result.team_cost_to_target,
            "team_cost_to_completion": result.team_cost_to_completion,
            "reinvestigations": result.reinvestigations,
            "investigator_fte": result.investigator_fte,
            "safeguarding_referrals": result.safeguarding_referrals,
            "victim_support_referrals": result.victim_support_referrals,
            "isvas_needed": result.isvas_needed,
        }
    )


def scenario_export(
    inp: ScenarioInput,
    result: ScenarioResult,
    baseline: Baseline,
    programme: Programme,
    snapshot: SnapshotInfo,
) -> dict[str, Any]:
    """A scenario, its assumptions with their sources, its results and weekly projection."""
    from reassess.store.scenarios import input_to_json

    projection = result.projection.copy()
    projection["week_ending"] = [d.isoformat() for d in projection["week_ending"]]
    return json_ready(
        {
            "marking": marking(snapshot.synthetic),
            "snapshot": snapshot.label,
            "baseline": {
                "remaining": baseline.remaining,
                "assessed": baseline.assessed,
                "in_scope": baseline.in_scope,
                "current_fte": baseline.current_fte,
                "weekly_completions": baseline.weekly_completions,
                "weekly_available_fte": baseline.weekly_available_fte,
            },
            "scenario": input_to_json(inp),
            "assumptions": [
                {"name": n, "value": v, "source": s}
                for n, v, s in assumptions(inp, baseline, programme)
            ],
            "result": result_summary(result),
            "projection": projection.to_dict(orient="records"),
        }
    )


def answer_summary(answer: OfficersAnswer) -> dict[str, Any]:
    """The officers-needed answer, JSON-ready."""
    return json_ready(
        {
            "extra_officers": answer.extra_officers,
            "confidence": answer.confidence,
            "prob_by_target": answer.prob_by_target,
            "start": answer.start,
            "finish_by": answer.finish_by,
            "reason": answer.reason,
            "available_fte_now": answer.available_fte_now,
            "available_fte_needed": answer.available_fte_needed,
            "cost_per_year": answer.cost_per_year,
            "cost_to_finish": answer.cost_to_finish,
            "cost_to_completion": answer.cost_to_completion,
        }
    )
