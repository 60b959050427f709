"""The team behind the forecast, as the resources, workload and briefing figures show it (no
Streamlit): FTE in post and available, the abstraction the model used, from one ``Plan``.

Only officers of the assessment workstream count (contract v2 ``officers.workstream``; an
extract without it is all assessment): investigators working reinvestigations are not
assessing cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from reassess.model.build import Abstraction
from reassess.model.plan import Plan


@dataclass(frozen=True)
class Team:
    """``fte_in_post``: assessment FTE in post in the week to the as-of date. ``available_fte``:
    the FTE the model expects available next week (net of abstraction, booked leave included).
    ``abstraction``: the rate the model used, measured from the abstraction records or the
    configured one where there is no measurement (``abstraction.measured``, ``.source``)."""

    fte_in_post: float
    available_fte: float | None
    abstraction: Abstraction
    per_available_fte: float | None
    window_weeks: int


def team(plan: Plan) -> Team:
    """The team figures of a plan (the headline's, or a scenario's)."""
    h = plan.inp.history
    staffing = plan.staffing(1)
    available = float(staffing["available_fte"].iloc[0]) if len(staffing) else None
    pace = plan.pace
    return Team(
        fte_in_post=float(h.headcount_fte[-1]) if h.headcount_fte else 0.0,
        available_fte=available,
        abstraction=plan.abstraction,
        per_available_fte=None if pace is None else pace.per_available_fte,
        window_weeks=plan.window_weeks,
    )


def abstraction_words(a: Abstraction) -> str:
    """The abstraction the forecast used and where it comes from, in a sentence."""
    return f"{a.rate:.0%} of in-post time ({a.source})."


__all__ = ["Team", "abstraction_words", "team"]
