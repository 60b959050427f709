"""Workload maths: team totals, capacity against demand, abstraction share (no Streamlit)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from reassess.model.plan import Capacity

# The window over which recent completions, availability and hours per case are measured.
RECENT_WEEKS = 4
# How many weeks the team-by-week completions heatmap covers.
HEATMAP_WEEKS = 12
# The planning horizon when the target date has already passed.
FALLBACK_HORIZON_WEEKS = 12
# The settings in config/programme.toml the capacity figures depend on, shown beside them.
ASSUMPTIONS = (
    "productive_hours_per_fte_week",
    "overload_open_cases",
    "idle_weeks",
)


@dataclass(frozen=True)
class WorkloadTotals:
    """Programme-wide sums of the team-level workload figures."""

    officers_in_post: int
    fte_in_post: float
    available_fte: float
    open_cases: int
    awaiting_qa: int
    completed_recent: int
    officers_overloaded: int
    officers_idle: int


def workload_totals(teams: pd.DataFrame) -> WorkloadTotals:
    """Sum the rows of `workload_by_team` (one per team) into programme totals."""

    def total(col: str) -> float:
        return float(teams[col].fillna(0).sum()) if len(teams) else 0.0

    return WorkloadTotals(
        officers_in_post=int(total("officers_in_post")),
        fte_in_post=total("fte_in_post"),
        available_fte=total("available_fte"),
        open_cases=int(total("open_cases")),
        awaiting_qa=int(total("awaiting_qa")),
        completed_recent=int(total("completed_recent")),
        officers_overloaded=int(total("officers_overloaded")),
        officers_idle=int(total("officers_idle")),
    )


def remaining_cases(kpis: dict[str, int]) -> int:
    """Cases in scope whose assessment is not yet completed (from the `kpis` query)."""
    return int(kpis["in_scope"]) - int(kpis["assessed"])


def planning_horizon_weeks(
    as_of: date, target: date, fallback: int = FALLBACK_HORIZON_WEEKS
) -> int:
    """Whole weeks from the as-of date to the target (rounded up), or `fallback` once it has passed."""
    days = (target - as_of).days
    return max(1, math.ceil(days / 7)) if days > 0 else fallback


def abstraction_share(weekly: pd.DataFrame) -> float | None:
    """FTE days abstracted as a share of FTE days in post, over `workload_abstraction_weekly` rows."""
    if weekly.empty:
        return None
    in_post = float(weekly.groupby("week_ending")["fte_days_in_post"].first().sum())
    return float(weekly["fte_days"].sum()) / in_post if in_post > 0 else None


def definitions_note(overload: int, idle_weeks: int) -> str:
    """What 'open', 'available FTE' and the two flags mean, in one caption."""
    return (
        "**Open** means allocated or in assessment; cases awaiting QA are counted separately. "
        "**Available FTE** = FTE × (1 − abstracted working days ÷ working days in post) over the "
        f"last {RECENT_WEEKS} weeks, Monday to Friday. **Flagged**: more than {overload} open "
        f"cases (overloaded), or in post throughout the last {idle_weeks} weeks, not abstracted "
        "for all of it, and no assessment completed in it (no recent completion). Officers of "
        "the assessment workstream only: the reinvestigation workstream's investigators are on "
        "the Reinvestigation page."
    )


def capacity_note(cap: Capacity, abstraction: str) -> str:
    """How the planning model's capacity and demand were worked out, as markdown bullet points."""
    per_case = (
        "—"
        if not cap.demand_hours or not cap.demand_cases
        else (f"{cap.demand_hours / cap.demand_cases:.2f}")
    )
    needed = "—" if cap.available_fte_needed is None else f"{cap.available_fte_needed:,.1f}"
    return (
        f"- **Capacity** = the team the planning model expects in post for the next {cap.weeks} "
        f"weeks (starters, leavers, attrition and booked leave), {cap.available_fte_weeks:,.1f} "
        f"available FTE-weeks (on average {cap.available_fte:,.1f} FTE; abstraction {abstraction}), "
        f"at the measured pace of {cap.pace:.2f} assessments per effective FTE-week: "
        f"{cap.capacity_cases:,.0f} cases; in hours, × {cap.productive_hours_per_fte_week:g} "
        "productive hours per FTE-week.\n"
        f"- **Demand** = the cases not yet assessed plus the expected growth of scope: "
        f"{cap.demand_cases:,.0f} cases; in hours, × {per_case} recorded hours per recent case.\n"
        f"- **Available FTE needed** on average to finish the demand in {cap.weeks} weeks at the "
        f"measured pace: {needed}. The same model gives every date and head-count in the app; "
        "the extra officers needed with 85% confidence are on the resources page."
    )
