"""Workload maths: team totals, capacity against demand, abstraction share (no Streamlit)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

# The window over which recent completions, availability and hours per case are measured.
RECENT_WEEKS = 4
# How many weeks the team-by-week completions heatmap covers.
HEATMAP_WEEKS = 12
# The planning horizon when the target date has already passed.
FALLBACK_HORIZON_WEEKS = 12
# The settings in config/programme.toml the capacity figures depend on, shown beside them.
ASSUMPTIONS = (
    "productive_hours_per_fte_week",
    "abstraction_rate",
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


@dataclass(frozen=True)
class CapacityDemand:
    """Hours the team can give over a horizon, against the hours the remaining cases need."""

    horizon_weeks: int
    available_fte: float
    fte_weeks: float
    productive_hours_per_fte_week: float
    capacity_hours: float
    remaining_cases: int
    recent_cases: int
    hours_per_case: float | None
    demand_hours: float | None
    gap_hours: float | None  # capacity minus demand: negative is a shortfall

    @property
    def shortfall(self) -> bool:
        return self.gap_hours is not None and self.gap_hours < 0


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


def capacity_vs_demand(
    *,
    available_fte: float,
    horizon_weeks: int,
    productive_hours_per_fte_week: float,
    remaining_cases: int,
    recent_hours: float,
    recent_cases: int,
) -> CapacityDemand:
    """Capacity = available FTE x weeks x productive hours; demand = remaining cases x recent hours per case."""
    if horizon_weeks < 1:
        raise ValueError(f"the planning horizon must be at least one week; got {horizon_weeks}")
    fte_weeks = available_fte * horizon_weeks
    capacity = fte_weeks * productive_hours_per_fte_week
    per_case = recent_hours / recent_cases if recent_cases > 0 else None
    demand = remaining_cases * per_case if per_case is not None else None
    return CapacityDemand(
        horizon_weeks=horizon_weeks,
        available_fte=available_fte,
        fte_weeks=fte_weeks,
        productive_hours_per_fte_week=productive_hours_per_fte_week,
        capacity_hours=capacity,
        remaining_cases=remaining_cases,
        recent_cases=recent_cases,
        hours_per_case=per_case,
        demand_hours=demand,
        gap_hours=None if demand is None else capacity - demand,
    )


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
        "for all of it, and no assessment completed in it (no recent completion)."
    )


def capacity_note(cd: CapacityDemand) -> str:
    """How capacity and demand were worked out, as markdown bullet points."""
    per_case = "—" if cd.hours_per_case is None else f"{cd.hours_per_case:.2f}"
    return (
        f"- **Capacity** = {cd.available_fte:,.2f} available FTE × {cd.horizon_weeks} weeks "
        f"= {cd.fte_weeks:,.1f} FTE-weeks, × {cd.productive_hours_per_fte_week:g} productive "
        "hours per FTE-week.\n"
        f"- **Demand** = {cd.remaining_cases:,} cases not yet assessed × {per_case} hours per "
        f"case (recorded hours on the {cd.recent_cases:,} assessments completed in the last "
        f"{RECENT_WEEKS} weeks).\n"
        "- Officers in post stay for the whole horizon at their recent availability: no joiners, "
        "leavers or ramp-up. QA and reinvestigation time are not included."
    )
