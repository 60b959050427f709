"""Programme status: the headline KPIs, deltas, forecast and RAG, shared by the overview, the
status CLI and the briefing.

The forecast is the one planning model's headline (``reassess.figures.forecast.headline``):
its P50/P85/P95 dates, chance of meeting the target, cost to completion and fan are the same
trials everywhere. ``Forecast`` is the part of that ``Plan`` a sentence or a JSON needs.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from reassess.config import Programme
from reassess.figures.forecast import headline
from reassess.figures.plan import recorded_history, weeks_since_start
from reassess.model.plan import Plan
from reassess.present import formats
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

KPI_KEYS = (
    "in_scope",
    "assessed",
    "pct_assessed",
    "in_assessment",
    "awaiting_allocation",
    "allocated",
    "awaiting_qa",
    "qa_signed_off",
    "throughput_4w",
)


@dataclass(frozen=True)
class Rag:
    """A red/amber/green status, always with words and the rule that set it."""

    colour: str  # "green", "amber", "red"
    label: str
    reason: str
    rule: str


PACE_WEEKS = 4
"""The weekly pace tile averages the last four weeks (fewer in the first weeks, said so)."""


@dataclass(frozen=True)
class Forecast:
    """What the headline forecast says, for a sentence, a tile or JSON (from one ``Plan``).

    ``status``: "ok", "done" (the work counts as complete), "cannot_forecast" or
    "not_converging"; ``message`` says why there is no date. Costs are the whole team's cost to
    completion at each confidence (``reassess.model.plan``'s one definition)."""

    status: str
    message: str
    p50: date | None
    p85: date | None
    p95: date | None
    prob_by_target: float | None
    trials: int
    seed: int
    cost_to_p50: float | None
    cost_to_p85: float | None
    cost_to_p95: float | None
    cost_definition: str
    notes: tuple[str, ...]
    problems: tuple[str, ...]
    window_weeks: int
    method: str

    @classmethod
    def from_plan(cls, plan: Plan) -> Forecast:
        done = plan.status == "done"
        message = plan.reason or (plan.notes[0] if done and plan.notes else "")
        c = plan.cost
        return cls(
            status=plan.status,
            message=message,
            p50=plan.p50 if plan.status in ("ok", "done") else None,
            p85=plan.p85 if plan.status in ("ok", "done") else None,
            p95=plan.p95 if plan.status in ("ok", "done") else None,
            prob_by_target=plan.prob_by_target,
            trials=plan.trials,
            seed=plan.seed,
            cost_to_p50=None if c is None else c.to_p50,
            cost_to_p85=None if c is None else c.to_p85,
            cost_to_p95=None if c is None else c.to_p95,
            cost_definition="" if c is None else c.definition,
            notes=tuple(plan.notes),
            problems=tuple(str(p) for p in plan.problems),
            window_weeks=plan.window_weeks,
            method=plan.built.settings.method,
        )


@dataclass(frozen=True, eq=False)
class Status:
    """Everything the overview's headline shows, for one snapshot (and a comparison)."""

    as_of: date
    compare_as_of: date | None
    target: date
    kpis: dict[str, float]
    deltas: dict[str, float | None]
    required_weekly: float | None
    weeks_to_target: float
    forecast: Forecast
    rag: Rag
    changes: dict[str, int] | None
    window_weeks: int
    plan: Plan
    pace_weeks: int = PACE_WEEKS
    weekly_completions: tuple[int, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        f = self.forecast
        return _jsonable(
            {
                "as_of": self.as_of,
                "compare_as_of": self.compare_as_of,
                "target_date": self.target,
                "kpis": self.kpis,
                "deltas": self.deltas,
                "required_weekly_rate": self.required_weekly,
                "weeks_to_target": self.weeks_to_target,
                "rag": asdict(self.rag),
                "changes_since_compare": self.changes,
                "pace_weeks": self.pace_weeks,
                "forecast": {
                    "status": f.status,
                    "message": f.message,
                    "method": f.method,
                    "window_weeks": self.window_weeks,
                    "weekly_completions": list(self.weekly_completions),
                    "trials": f.trials,
                    "seed": f.seed,
                    "p50": f.p50,
                    "p85": f.p85,
                    "p95": f.p95,
                    "prob_by_target": f.prob_by_target,
                    "cost_to_completion": {
                        "p50": f.cost_to_p50,
                        "p85": f.cost_to_p85,
                        "p95": f.cost_to_p95,
                        "definition": f.cost_definition,
                    },
                    "pace": None
                    if self.plan.pace is None
                    else {
                        "per_available_fte_week": self.plan.pace.per_available_fte,
                        "weekly": self.plan.pace.weekly_pace,
                        "measured_weeks": self.plan.pace.measured_weeks,
                    },
                    "abstraction": {
                        "rate": self.plan.abstraction.rate,
                        "measured": self.plan.abstraction.measured,
                        "source": self.plan.abstraction.source,
                    },
                    "notes": list(f.notes),
                    "problems": list(f.problems),
                },
            }
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def pace_weeks(as_of: date, programme_start: date) -> int:
    """Weeks the pace tile averages: four, or the weeks elapsed since the start if fewer."""
    return max(1, min(PACE_WEEKS, weeks_since_start(as_of, programme_start)))


def kpis_for(
    db: Database, snap: SnapshotInfo, role: str, programme_start: date | None = None
) -> dict[str, float]:
    """The headline counts and the average weekly throughput of one snapshot over the last four
    weeks (in the first weeks, over the weeks elapsed since ``programme_start``)."""
    row = db.scalar_row("kpis", snap, role=role)
    weeks = PACE_WEEKS if programme_start is None else pace_weeks(snap.as_of, programme_start)
    flow = db.run("weekly_flow", snap, role=role, as_of=snap.as_of, weeks=weeks)
    in_scope = int(row["in_scope"])
    assessed = int(row["assessed"])
    out: dict[str, float] = {k: int(v) for k, v in row.items()}
    out["pct_assessed"] = round(100.0 * assessed / in_scope, 1) if in_scope else 0.0
    out["throughput_4w"] = float(flow["completed"].sum()) / weeks
    return out


def weekly_completions(db: Database, snap: SnapshotInfo, role: str, weeks: int) -> tuple[int, ...]:
    """Completed assessments in each of the last `weeks` weeks, oldest first."""
    flow = db.run("weekly_flow", snap, role=role, as_of=snap.as_of, weeks=weeks)
    return tuple(int(x) for x in flow["completed"])


def rag_for(
    forecast: Forecast, as_of: date, target: date, remaining: int, programme: Programme
) -> Rag:
    """Red/amber/green from the chance of finishing by the target, with its rule in words."""
    green = programme.rag_green_probability
    amber = programme.rag_amber_probability
    rule = (
        f"Green when the forecast gives a chance of at least {green:.0%} of assessing every case in "
        f"scope by {target:%-d %B %Y}; amber from {amber:.0%}; red below {amber:.0%}, when no "
        "forecast can be made, or once the target has passed with cases still to assess."
    )
    if remaining <= 0:
        return Rag("green", "Complete", "Every case in scope has been assessed.", rule)
    if forecast.status == "done":
        return Rag("green", "Complete", forecast.message, rule)
    if as_of > target:
        weeks = (as_of - target).days // 7
        return Rag(
            "red",
            "Target missed",
            f"The target passed {weeks} week{'s' if weeks != 1 else ''} ago with {remaining:,} "
            "cases not yet assessed.",
            rule,
        )
    p = forecast.prob_by_target
    if forecast.status != "ok" or p is None:
        return Rag("red", "Off track", forecast.message, rule)
    chance = f"The forecast gives a {formats.chance(p)} chance of finishing by the target."
    if p >= green:
        return Rag("green", "On track", chance, rule)
    if p >= amber:
        return Rag("amber", "At risk", chance, rule)
    return Rag("red", "Off track", chance, rule)


def compute_status(
    db: Database,
    snap: SnapshotInfo,
    compare: SnapshotInfo | None,
    programme: Programme,
    *,
    role: str = "commander",
    window_weeks: int | None = None,
) -> Status:
    """The status of the programme at a snapshot: the one function the page, CLI and briefing
    share. The forecast is the planning model's headline with the forecast window given
    (default: config/programme.toml's)."""
    target: date = programme.target_date
    start: date = programme.programme_start
    kpis = kpis_for(db, snap, role, start)
    deltas: dict[str, float | None] = dict.fromkeys(KPI_KEYS)
    changes = None
    if compare is not None:
        before = kpis_for(db, compare, role, start)
        deltas = {k: round(kpis[k] - before[k], 1) for k in KPI_KEYS}
        row = db.scalar_row(
            "changes_since", snap, role=role, compare=compare, compare_as_of=compare.as_of
        )
        changes = {k: int(v) for k, v in row.items()}
    remaining = int(kpis["in_scope"] - kpis["assessed"])
    plan = headline(db, snap, programme, window_weeks)
    forecast = Forecast.from_plan(plan)
    window = plan.window_weeks
    completions = tuple(int(x) for x in plan.inp.history.completions[-window:]) if window else ()
    days_left = (target - snap.as_of).days
    weeks_to_target = round(days_left / 7, 1)
    required = round(remaining / (days_left / 7), 1) if days_left > 0 else None
    return Status(
        as_of=snap.as_of,
        compare_as_of=compare.as_of if compare else None,
        target=target,
        kpis=kpis,
        deltas=deltas,
        required_weekly=required,
        weeks_to_target=weeks_to_target,
        forecast=forecast,
        rag=rag_for(forecast, snap.as_of, target, remaining, programme),
        changes=changes,
        window_weeks=window,
        plan=plan,
        pace_weeks=pace_weeks(snap.as_of, start),
        weekly_completions=completions,
    )


def burn_up_frames(
    db: Database, snap: SnapshotInfo, programme: Programme, *, role: str = "commander"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative assessed by week "as recorded" (each week as that week's own snapshot recorded
    it, where there is one; other weeks counted from the completion dates here), and scope by
    snapshot, for the burn-up chart. A re-dated or withdrawn assessment changes a later week's
    figure, never the week already recorded."""
    history = recorded_history(db, snap, programme, role)
    assessed = history[["week_ending", "assessed", "as_recorded"]].reset_index(drop=True)
    scope = db.run("scope_history", snap, role=role)
    return assessed, scope


FAN_COLUMNS = ("p05", "p15", "p50", "p85", "p95")


def status_fan(status: Status) -> pd.DataFrame | None:
    """The burn-up fan of cumulative assessed from the headline's own trials (scope change
    included): week_ending, p05..p95 (cases assessed; p50 is the median, which reaches the
    finish line in the P50 week), scope (median projected scope) and finish_line."""
    plan = status.plan
    if plan.status not in ("ok", "not_converging") or plan.sim is None:
        return None
    fan = plan.fan()
    out = pd.DataFrame({"week_ending": fan["week_ending"]})
    for name in FAN_COLUMNS:
        out[name] = fan[f"assessed_{name}"]
    out["scope"] = fan["scope"]
    out["finish_line"] = fan["finish_line"]
    return out
