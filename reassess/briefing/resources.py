"""The briefing's resource position: officers in post, the gap and its cost (no Streamlit).

Every figure is the planning model's (``reassess.figures.forecast``): the team from the
headline plan (``reassess.figures.team``), the extra FTE from the officers finder on the same
input, the cost to completion from the headline's own definition. So the briefing, the
resources page and ``python -m reassess scenario`` agree.
"""

from __future__ import annotations

from typing import Any

from reassess.briefing.contents import ResourceLine
from reassess.briefing.words import count_words, lower_first
from reassess.config import Programme
from reassess.disclosure.tables import (
    DisclosureRules,
    protect_count,
)
from reassess.figures.forecast import officers
from reassess.figures.status import Status
from reassess.figures.team import abstraction_words, team
from reassess.model.staffing import next_monday
from reassess.present.formats import long_date, money, number_words
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

DEFAULT_CONFIDENCE = 0.85


def resource_lines(
    db: Database,
    run: Any,
    snapshot: SnapshotInfo,
    programme: Programme,
    status: Status,
    rules: DisclosureRules,
) -> tuple[tuple[ResourceLine, ...], str]:
    """Officers and FTE in post, extra FTE needed for the target, and the funding gap; only
    FTE, money and dates leave here, and the officer headcount through protect_count."""
    hist = run("scope_history")
    officers_raw = int(hist["officers_active"].iloc[-1]) if len(hist) else 0
    people = protect_count(officers_raw, rules)
    plan = status.plan
    t = team(plan)
    fte = t.fte_in_post
    cost = programme.loaded_cost_per_fte
    confidence = f"{DEFAULT_CONFIDENCE:.0%}"
    lines = [
        ResourceLine(
            "Officers on the review",
            count_words(people, rules, zero="none"),
            f"In post on {long_date(snapshot.as_of)}, every workstream; rounded like every count.",
        ),
        ResourceLine(
            "Full-time equivalent (FTE) assessing cases",
            f"{fte:,.1f} FTE",
            "Sum of the assessment officers' FTE, before abstraction (leave, sickness, training).",
        ),
        ResourceLine(
            "Loaded cost per FTE",
            f"{money(cost)} a year",
            programme.setting("loaded_cost_per_fte").source,
        ),
    ]
    if t.available_fte is not None:
        lines.append(
            ResourceLine(
                "FTE available, net of abstraction",
                f"{t.available_fte:,.1f} FTE",
                "Expected next week, after abstraction of " + abstraction_words(t.abstraction),
            )
        )
    extra_measure = f"Extra FTE needed to meet the target with {confidence} confidence"
    start = next_monday(snapshot.as_of)
    answer = officers(
        db,
        snapshot,
        programme,
        status.target,
        start=start,
        confidence=DEFAULT_CONFIDENCE,
        window_weeks=status.window_weeks,
    )
    n = answer.extra_officers
    ramp = plan.built.settings.ramp_up_weeks
    if n is not None and answer.cost_per_year is not None and status.as_of < status.target:
        gap = answer.cost_per_year
        lines += [
            ResourceLine(
                extra_measure,
                f"{n:,} FTE",
                f"The fewest extra full-time officers, starting on {long_date(start)} and "
                f"reaching full pace over {number_words(ramp)} weeks, with which at least "
                f"{confidence} of the forecast's trials finish by {long_date(status.target)} "
                "(the planning model of every page; scope growth included)."
                + (f" {answer.warning}" if answer.warning else ""),
            ),
            ResourceLine(
                "Funding gap", f"{money(gap)} a year", "Extra FTE needed × loaded cost per FTE."
            ),
        ]
        if n == 0:
            text = (
                f"The current team ({fte:,.1f} FTE assessing cases) is forecast to meet the "
                f"target with at least {confidence} confidence; no extra funding is needed for it."
            )
        else:
            text = (
                f"To meet the target of {long_date(status.target)} with {confidence} "
                f"confidence, the review would need {n:,} more FTE than the {fte:,.1f} FTE "
                f"assessing cases: a funding gap of about {money(gap)} a year at {money(cost)} "
                "per FTE."
            )
            if answer.warning:
                text += f" {answer.warning}"
    else:
        reason = (
            f"The target date ({long_date(status.target)}) has passed."
            if status.as_of >= status.target
            else answer.reason
        )
        lines.append(ResourceLine(extra_measure, "Not applicable", reason))
        text = (
            f"The review has {count_words(people, rules)} officers ({fte:,.1f} FTE assessing "
            f"cases). No extra FTE figure can be given for the target: {lower_first(reason)}"
        )
    text += cost_to_finish(lines, status)
    return tuple(lines), text


def cost_to_finish(lines: list[ResourceLine], status: Status) -> str:
    """Adds the current team's cost to completion (P85); returns its sentence."""
    f = status.forecast
    if f.status != "ok" or f.p85 is None or f.cost_to_p85 is None:
        return ""
    lines.append(
        ResourceLine(
            "Cost of the current team until the work is likely finished",
            money(f.cost_to_p85),
            f"To {long_date(f.p85)}, the forecast date by which {DEFAULT_CONFIDENCE:.0%} of "
            f"trials finish. {f.cost_definition}",
        )
    )
    return (
        f" The team's cost until the work is likely finished ({long_date(f.p85)}) is about "
        f"{money(f.cost_to_p85)}."
    )
