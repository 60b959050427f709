"""Plain-English sentences generated from the figures (overview headline, briefing narrative)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reassess.figures.status import Status
from reassess.present.formats import long_date
from reassess.present.vocabulary import CHANGE_LABELS

OVERVIEW_CHANGES = (
    "added",
    "removed",
    "completed",
    "newly_allocated",
    "reassigned",
    "high_priority_awaiting",
)
"""The changes since the compare snapshot the overview lists, in its order."""


def weeks_to_target_tile(weeks: float, target: date) -> tuple[str, str, str]:
    """Label, value and help for the weeks-to-target tile: in words once the target has passed."""
    if weeks >= 0:
        return (
            "Weeks to target",
            f"{weeks:,.1f}",
            f"Weeks from the snapshot to {long_date(target)}.",
        )
    return (
        "Weeks overdue",
        f"{-weeks:,.1f}",
        f"The target date, {long_date(target)}, passed {-weeks:,.1f} weeks before the snapshot.",
    )


def forecast_sentence(status: Status) -> str:
    """The headline: how far the work has got, when it is likely to finish, and the target."""
    k, f = status.kpis, status.forecast
    assessed, in_scope = int(k["assessed"]), int(k["in_scope"])
    pct = 100.0 * assessed / in_scope if in_scope else 0.0
    first = f"{assessed:,} of {in_scope:,} cases in scope have been assessed ({pct:.0f}%)."
    if f.status == "done":
        return first + " Every case in scope has been assessed."
    if f.status != "ok" or f.p50 is None:
        return f"{first} {f.message}"
    if f.p85 is not None and f.p85 != f.p50:
        when = (
            f"At the current rate, assessment is likely to finish between {long_date(f.p50)} "
            f"and {long_date(f.p85)} (median and 85% confidence)"
        )
    else:
        when = f"At the current rate, assessment is likely to finish by {long_date(f.p50)}"
    target = long_date(status.target)
    if status.as_of > status.target:
        tail = f"; the target of {target} was missed."
    elif f.prob_by_target is not None:
        tail = f"; the chance of finishing by the target of {target} is {f.prob_by_target:.0%}."
    else:
        tail = "."
    return f"{first} {when}{tail}"


def changes_table(changes: dict[str, int]) -> pd.DataFrame:
    """The 'what changed' figures as a two-column table, in a fixed order."""
    return pd.DataFrame(
        {
            "Change": [CHANGE_LABELS[k] for k in OVERVIEW_CHANGES],
            "Cases": [int(changes[k]) for k in OVERVIEW_CHANGES],
        }
    )
