"""The coupled forecast read from a snapshot: reinvestigation demand against capacity (no Streamlit).

``coupled_plan(db, snapshot, levers)`` carries the headline forecast's trials
(``reassess.figures.forecast.headline``) into reinvestigation demand with
``reassess.model.reinvestigation.run_coupled``; ``coupled_for(db, snapshot, programme, plan,
levers)`` does the same for a scenario's plan, so a scenario with no change is the headline
coupled plan, one figure from one source. The measured inputs come through the query runner
(queries/pages/reinvestigation_model_position.sql and reinvestigation_model_resolution.sql,
as ``MODEL_ROLE``); the capacity from the model input's officers of the reinvestigation
workstream and config/programme.toml's dated planned changes; the assumptions from
config/programme.toml. Cached in the process like the headline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from reassess import config
from reassess.config import Programme
from reassess.figures.forecast import MODEL_ROLE, cached, headline, model_input, programme_key
from reassess.model.plan import Plan
from reassess.model.reinvestigation import (
    Assumptions,
    CoupledPlan,
    ReinvestigationInput,
    ReinvestigationLevers,
    run_coupled,
    weeks_for,
)
from reassess.present.formats import money
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

COUPLED_COLUMNS = [
    "month",
    "open_p50",
    "open_p10",
    "open_p90",
    "fte_needed",
    "fte_in_post",
    "unmet_fte",
    "isvas_needed_low",
    "isvas_needed_high",
    "isvas_in_post",
    "unmet_cost_gbp",
]


def assumptions(programme: Programme) -> Assumptions:
    """The configured values the coupled forecast uses until it has measurements."""
    return Assumptions(
        referral_rate=float(programme.referral_rate_reinvestigation),
        hours_per_reinvestigation=float(programme.investigator_hours_per_reinvestigation),
        open_share=float(programme.reinvestigation_open_share),
        days_to_open=float(programme.reinvestigation_days_to_open),
        months_open=float(programme.reinvestigation_months_open),
        isva_accepted_share=float(programme.isva_accepted_share),
        isva_cases_min=int(programme.isva_cases_min),
        isva_cases_max=int(programme.isva_cases_max),
        isvas_in_post=float(programme.isvas_in_post),
        salary=float(programme.staff_investigator_salary),
        productive_hours_per_fte_week=float(programme.productive_hours_per_fte_week),
        working_weeks_per_year=float(programme.working_weeks_per_year),
        seed=int(programme.forecast_seed),
    )


def reinvestigation_input(
    db: Database, snapshot: SnapshotInfo, programme: Programme, role: str = MODEL_ROLE
) -> ReinvestigationInput:
    """The coupled forecast's input at a snapshot (a v1 extract: no reinvestigations yet)."""
    row = db.scalar_row("reinvestigation_model_position", snapshot, role=role, as_of=snapshot.as_of)
    res = db.run("reinvestigation_model_resolution", snapshot, role=role, as_of=snapshot.as_of)
    base = model_input(db, snapshot, programme)

    def whole(name: str) -> int:
        value = row.get(name)
        return 0 if value is None or pd.isna(value) else int(value)

    def number(name: str) -> float:
        value = row.get(name)
        return 0.0 if value is None or pd.isna(value) else float(value)

    return ReinvestigationInput(
        as_of=snapshot.as_of,
        assessed=whole("assessed"),
        referred=whole("referred"),
        awaiting_referral=whole("awaiting_referral"),
        open_now=whole("open_now"),
        active_now=whole("active_now"),
        active_isva_accepted=whole("active_isva_accepted"),
        resolution=tuple(
            (int(r.days), str(r.outcome), int(r.reinvestigations)) for r in res.itertuples()
        ),
        closed_investigated=whole("closed_investigated"),
        closed_with_hours=whole("closed_with_hours"),
        closed_hours=number("closed_hours"),
        closed_months=number("closed_months"),
        open_months=number("open_months"),
        officers=base.officers,
        planned_changes=base.planned_changes,
        assumptions=assumptions(programme),
    )


def _key(snapshot: SnapshotInfo, programme: Programme) -> tuple[object, ...]:
    return (str(snapshot.path), snapshot.stat_key, programme_key(programme))


def coupled_for(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    plan: Plan,
    levers: ReinvestigationLevers | None = None,
    trials: int = 10_000,
) -> CoupledPlan:
    """The coupled forecast on a plan's trials (the headline's or a scenario's; cached by the
    plan's levers and settings, so the scenario with no change shares the headline's run)."""
    levers = levers or ReinvestigationLevers()
    plan_key = (replace(plan.levers, name=""), plan.inp.settings)
    key = ("coupled", *_key(snapshot, programme), plan_key, levers, trials)

    def make() -> CoupledPlan:
        inp = cached(
            ("coupled_input", *_key(snapshot, programme)),
            lambda: reinvestigation_input(db, snapshot, programme),
        )
        weeks = weeks_for(snapshot.as_of)
        completions = plan.completions(weeks)
        return run_coupled(inp, completions, levers, trials=trials)

    return cached(key, make)


def coupled_plan(
    db: Database,
    snapshot: SnapshotInfo,
    levers: ReinvestigationLevers | None = None,
    trials: int = 10_000,
    *,
    programme: Programme | None = None,
) -> CoupledPlan:
    """The headline coupled forecast at a snapshot (cached): the headline assessment forecast's
    trials carried into reinvestigation demand, against the reinvestigation team in post."""
    prog = programme if programme is not None else config.programme()
    return coupled_for(db, snapshot, prog, headline(db, snapshot, prog), levers, trials)


def months_frame(plan: CoupledPlan) -> pd.DataFrame:
    """One row per month ahead (COUPLED_COLUMNS), for a table or chart."""
    return pd.DataFrame(
        [[getattr(m, c) for c in COUPLED_COLUMNS] for m in plan.months], columns=COUPLED_COLUMNS
    )


def coupled_summary(plan: CoupledPlan | None) -> dict[str, Any] | None:
    """A coupled plan's figures for a JSON export (codes kept; dates as dates)."""
    if plan is None:
        return None
    return {
        "statement": plan.statement(),
        "referral_rate": plan.referral_rate,
        "referral_rate_measured": plan.referral_rate_measured,
        "referral_basis": plan.referral_basis,
        "hours_per_reinvestigation": plan.hours_per_reinvestigation,
        "effort_measured": plan.effort_measured,
        "effort_basis": plan.effort_basis,
        "median_days_to_open": plan.median_days_to_open,
        "time_to_open_basis": plan.time_to_open_basis,
        "months_open": plan.months_open,
        "isva_accepted_share": plan.isva_accepted_share,
        "peak_unmet_fte": plan.peak_unmet_fte,
        "unmet_cost_12m_gbp": plan.unmet_cost_12m_gbp,
        "levers": {
            "extra_investigators": plan.levers.extra_investigators,
            "investigators_from": plan.levers.investigators_from,
            "extra_isvas": plan.levers.extra_isvas,
        },
        "trials": plan.trials,
        "seed": plan.seed,
        "months": months_frame(plan).to_dict(orient="records"),
    }


def month_label(d: date) -> str:
    """A month as it is read: 'July 2026'."""
    return f"{d:%B %Y}"


def unmet_by_month(plans: Sequence[tuple[str, CoupledPlan]]) -> pd.DataFrame:
    """Unmet reinvestigation demand by month, one row per scenario and month: scenario, month
    (first of the month), fte_needed, fte_in_post, unmet_fte, unmet_cost_gbp (for the chart)."""
    rows = [
        (name, m.month, m.fte_needed, m.fte_in_post, m.unmet_fte, m.unmet_cost_gbp)
        for name, plan in plans
        for m in plan.months
    ]
    return pd.DataFrame(
        rows,
        columns=["scenario", "month", "fte_needed", "fte_in_post", "unmet_fte", "unmet_cost_gbp"],
    )


def unmet_table(plans: Sequence[tuple[str, CoupledPlan]]) -> pd.DataFrame:
    """Unmet reinvestigation demand (FTE) by month, one row per month, one column per scenario,
    then a row of the 12 months' cost; as text, for reading."""
    if not plans:
        return pd.DataFrame(columns=["Month"])
    months = [m.month for m in plans[0][1].months]
    table = pd.DataFrame({"Month": [month_label(d) for d in months] + ["Cost over 12 months"]})
    for name, plan in plans:
        table[name] = [f"{m.unmet_fte:,.1f}" for m in plan.months] + [
            money(plan.unmet_cost_12m_gbp)
        ]
    return table


__all__ = [
    "COUPLED_COLUMNS",
    "assumptions",
    "coupled_for",
    "coupled_summary",
    "coupled_plan",
    "month_label",
    "months_frame",
    "reinvestigation_input",
    "unmet_by_month",
    "unmet_table",
]
