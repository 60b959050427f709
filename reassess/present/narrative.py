"""Plain-English sentences generated from the figures (overview headline, briefing narrative)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reassess.figures.status import Status
from reassess.figures.track_record import TrackRecord
from reassess.model.movement import Movement
from reassess.present.formats import chance, long_date
from reassess.present.vocabulary import CHANGE_LABELS, MOVEMENT_LABELS

OVERVIEW_CHANGES = (
    "added",
    "removed",
    "completed",
    "newly_allocated",
    "reassigned",
    "high_priority_awaiting",
)
"""The changes since the compare snapshot the overview lists, in its order."""


def weeks_to_target_tile(
    weeks: float, target: date, finished: date | None = None
) -> tuple[str, str, str]:
    """Label, value and help for the weeks-to-target tile: in words once the target has passed,
    and, once every case is assessed (``finished``: the day the last one was), how far before
    or after the target the work finished (no longer counting up to the snapshot)."""
    if finished is not None:
        late = (finished - target).days / 7
        label = "Finished after target" if late > 0 else "Finished before target"
        return (
            f"Weeks {label.lower()}",
            f"{abs(late):,.1f}",
            f"The last case in scope was assessed on {long_date(finished)}; the target was "
            f"{long_date(target)}.",
        )
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
    """The headline: how far the work has got, when it is likely to finish, and the target.

    The dates are the planning model's P50 and P85 (the same trials as the fan below it)."""
    k, f = status.kpis, status.forecast
    assessed, in_scope = int(k["assessed"]), int(k["in_scope"])
    pct = 100.0 * assessed / in_scope if in_scope else 0.0
    first = f"{assessed:,} of {in_scope:,} cases in scope have been assessed ({pct:.0f}%)."
    if f.status == "done":
        return f"{first} {f.message or 'Every case in scope has been assessed.'}"
    if f.status != "ok" or f.p50 is None:
        return f"{first} {f.message}"
    if f.p85 is not None and f.p85 != f.p50:
        when = (
            f"On the forecast, assessment is likely to finish between {long_date(f.p50)} "
            f"and {long_date(f.p85)} (median and 85% confidence)"
        )
    else:
        when = f"On the forecast, assessment is likely to finish by {long_date(f.p50)}"
    target = long_date(status.target)
    if status.as_of > status.target:
        tail = f"; the target of {target} was missed."
    elif f.prob_by_target is not None:
        tail = f"; the chance of finishing by the target of {target} is {chance(f.prob_by_target)}."
    else:
        tail = "."
    return f"{first} {when}{tail}"


def chance_by_sentence(when: date, p: float | None, as_of: date) -> str:
    """P(finish by a date the reader picked), in words."""
    if p is None:
        return "No chance can be given: there is no forecast."
    if when < as_of:
        return f"{long_date(when)} is before the as-of date."
    return f"The chance of finishing by {long_date(when)} is {chance(p)}."


def changes_table(changes: dict[str, int]) -> pd.DataFrame:
    """The 'what changed' figures as a two-column table, in a fixed order."""
    return pd.DataFrame(
        {
            "Change": [CHANGE_LABELS[k] for k in OVERVIEW_CHANGES],
            "Cases": [int(changes[k]) for k in OVERVIEW_CHANGES],
        }
    )


def movement_table(movement: Movement) -> pd.DataFrame | None:
    """Why the P85 date moved, in weeks (later is positive), part by part and in total; None
    when it cannot be split (``movement.reason`` says why)."""
    parts = movement.parts()
    if movement.total is None or any(v is None for v in parts.values()):
        return None
    rows = [(MOVEMENT_LABELS[k], round(float(v), 1)) for k, v in parts.items()]  # type: ignore[arg-type]
    rows.append(("Total", round(float(movement.total), 1)))
    return pd.DataFrame(rows, columns=["Reason", "Weeks (later +, earlier -)"])


def coverage_table(record: TrackRecord) -> pd.DataFrame:
    """How often past P50/P85/P95 dates held, where this snapshot shows the outcome."""
    c = record.coverage
    if c.finished is not None:
        basis = f"the work counted as complete in the week ending {long_date(c.finished)}"
    else:
        basis = "dates already passed without the work complete count as not held"
    rows = []
    for name, count, aim in (
        ("P50", c.held50, "about half"),
        ("P85", c.held85, "about 85%"),
        ("P95", c.held95, "about 95%"),
    ):
        share = c.share(count)
        rows.append(
            (
                name,
                f"{count} of {c.scored}" if c.scored else "—",
                "—" if share is None else f"{share:.0%}",
                aim,
            )
        )
    frame = pd.DataFrame(rows, columns=["Forecast date", "Held", "Share", "Aim"])
    frame.attrs["basis"] = basis
    return frame
