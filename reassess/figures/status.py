"""Programme status: the headline KPIs, deltas, forecast and RAG, shared by the overview and CLI."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from reassess.config import Programme
from reassess.model.forecast import Forecast, forecast_completion, forecast_fan
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


@dataclass(frozen=True)
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
                "forecast": {
                    "status": f.status,
                    "message": f.message,
                    "window_weeks": self.window_weeks,
                    "weekly_completions": list(self.weekly_completions),
                    "trials": f.trials,
                    "seed": f.seed,
                    "p50": f.p50,
                    "p85": f.p85,
                    "p95": f.p95,
                    "prob_by_target": f.prob_by_target,
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


def kpis_for(db: Database, snap: SnapshotInfo, role: str) -> dict[str, float]:
    """The headline counts and the 4-week average throughput of one snapshot."""
    row = db.scalar_row("kpis", snap, role=role)
    flow = db.run("weekly_flow", snap, role=role, as_of=snap.as_of, weeks=4)
    in_scope = int(row["in_scope"])
    assessed = int(row["assessed"])
    out: dict[str, float] = {k: int(v) for k, v in row.items()}
    out["pct_assessed"] = round(100.0 * assessed / in_scope, 1) if in_scope else 0.0
    out["throughput_4w"] = float(flow["completed"].sum()) / 4.0
    return out


def weekly_completions(db: Database, snap: SnapshotInfo, role: str, weeks: int) -> tuple[int, ...]:
    """Completed assessments in each of the last `weeks` weeks, oldest first."""
    flow = db.run("weekly_flow", snap, role=role, as_of=snap.as_of, weeks=weeks)
    return tuple(int(x) for x in flow["completed"])


def weekly_scope_change(
    db: Database, snap: SnapshotInfo, role: str, weeks: int
) -> tuple[int, ...] | None:
    """Net change in scope between consecutive snapshots over the window, if there is history."""
    hist = db.run("scope_history", snap, role=role)
    if len(hist) < 2:
        return None
    diffs = hist["in_scope"].astype(int).diff().dropna().astype(int).tolist()[-weeks:]
    # Weeks before the first snapshot count as no change, so the sample pairs with throughput.
    return tuple([0] * (weeks - len(diffs)) + diffs)


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
    chance = f"The forecast gives a {p:.0%} chance of finishing by the target."
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
    """The status of the programme at a snapshot: the one function the page and CLI share."""
    window = int(window_weeks or programme.throughput_window_weeks)
    # Never sample weeks before the programme started: they had no assessments by definition.
    weeks_running = max(1, (snap.as_of - programme.programme_start).days // 7)
    window = max(1, min(window, weeks_running))
    target: date = programme.target_date
    kpis = kpis_for(db, snap, role)
    deltas: dict[str, float | None] = dict.fromkeys(KPI_KEYS)
    changes = None
    if compare is not None:
        before = kpis_for(db, compare, role)
        deltas = {k: round(kpis[k] - before[k], 1) for k in KPI_KEYS}
        row = db.scalar_row(
            "changes_since", snap, role=role, compare=compare, compare_as_of=compare.as_of
        )
        changes = {k: int(v) for k, v in row.items()}
    remaining = int(kpis["in_scope"] - kpis["assessed"])
    completions = weekly_completions(db, snap, role, window)
    forecast = forecast_completion(
        remaining,
        completions,
        snap.as_of,
        target,
        weekly_scope_change=weekly_scope_change(db, snap, role, window),
        trials=programme.forecast_trials,
        seed=programme.forecast_seed,
    )
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
        weekly_completions=completions,
    )


def burn_up_frames(
    db: Database, snap: SnapshotInfo, programme: Programme, *, role: str = "commander"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative assessed by week, and scope by snapshot, for the burn-up chart."""
    assessed = db.run(
        "burn_up", snap, role=role, as_of=snap.as_of, programme_start=programme.programme_start
    )
    scope = db.run("scope_history", snap, role=role)
    return assessed, scope


def status_fan(status: Status, max_weeks: int = 104) -> pd.DataFrame | None:
    """Forecast bands of cumulative assessed, from now to past the later of target and P95."""
    f = status.forecast
    if f.status != "ok":
        return None
    end = max(status.target, f.p95 or status.target)
    horizon = max(4, min(max_weeks, (end - status.as_of).days // 7 + 2))
    return forecast_fan(
        int(status.kpis["assessed"]),
        status.weekly_completions,
        status.as_of,
        horizon,
        trials=f.trials,
        seed=f.seed,
        cap=int(status.kpis["in_scope"]),
    )
