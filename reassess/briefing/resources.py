"""The briefing's resource position: officers in post, the gap and its cost (no Streamlit)."""

from __future__ import annotations

from typing import Any

from reassess.briefing.contents import MODEL_ROLE, ResourceLine
from reassess.briefing.words import count_words, lower_first
from reassess.config import Programme
from reassess.disclosure.tables import (
    DisclosureRules,
    protect_count,
)
from reassess.figures.baseline import (
    DEFAULT_CONFIDENCE,
    BaselineError,
    baseline_for,
    default_start,
    find_officers,
)
from reassess.figures.status import Status
from reassess.model.scenarios import WEEKS_PER_YEAR, ScenarioInput
from reassess.present.formats import long_date, money, number_words
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database


def resource_lines(
    db: Database,
    run: Any,
    snapshot: SnapshotInfo,
    programme: Programme,
    status: Status,
    rules: DisclosureRules,
) -> tuple[tuple[ResourceLine, ...], str]:
    """Officers and FTE in post, extra FTE needed for the target, and the funding gap.

    The same answer as the resources page (reassess.figures.baseline: baseline_for, default_start and
    find_officers), worked out from raw aggregates; only FTE, money and dates leave here, and
    the officer headcount through protect_count.
    """
    hist = run("scope_history")
    officers_raw = int(hist["officers_active"].iloc[-1]) if len(hist) else 0
    officers = protect_count(officers_raw, rules)
    fte = float(hist["fte_active"].iloc[-1]) if len(hist) else 0.0
    cost = programme.loaded_cost_per_fte
    confidence = f"{DEFAULT_CONFIDENCE:.0%}"
    lines = [
        ResourceLine(
            "Officers on the review",
            count_words(officers, rules, zero="none"),
            f"In post on {long_date(snapshot.as_of)}; rounded like every count.",
        ),
        ResourceLine(
            "Full-time equivalent (FTE) in post",
            f"{fte:,.1f} FTE",
            "Sum of the officers' FTE, before abstraction (leave, sickness, training).",
        ),
        ResourceLine(
            "Loaded cost per FTE",
            f"{money(cost)} a year",
            programme.setting("loaded_cost_per_fte").source,
        ),
    ]
    extra_measure = f"Extra FTE needed to meet the target with {confidence} confidence"
    try:
        baseline = baseline_for(db, snapshot, programme, MODEL_ROLE)
    except BaselineError as exc:
        lines.append(ResourceLine(extra_measure, "Not available", str(exc)))
        text = (
            f"The review has {count_words(officers, rules)} officers ({fte:,.1f} FTE). "
            "No extra FTE figure can be given: the staffing records do not support one."
        )
        text += cost_to_finish(lines, snapshot, status, fte, cost)
        return tuple(lines), text
    start = default_start(snapshot.as_of)
    inp = ScenarioInput.from_programme(
        baseline, programme, start_date=start, target_date=status.target
    )
    answer = find_officers(baseline, inp, DEFAULT_CONFIDENCE)
    lines.append(
        ResourceLine(
            "FTE available, net of abstraction",
            f"{answer.available_fte_now:,.1f} FTE",
            f"FTE in post less the assumed abstraction of {inp.abstraction_rate:.0%} "
            f"({programme.setting('abstraction_rate').source}).",
        )
    )
    n = answer.extra_officers
    if n is not None and answer.cost_per_year is not None:
        gap = answer.cost_per_year
        lines += [
            ResourceLine(
                extra_measure,
                f"{n:,} FTE",
                f"The fewest extra full-time officers, starting on {long_date(start)} and "
                f"reaching full pace over {number_words(inp.ramp_up_weeks)} weeks, with which "
                f"at least {confidence} of trials finish by {long_date(status.target)} "
                "(the staffing model of the resources page; scope held as it is).",
            ),
            ResourceLine(
                "Funding gap", f"{money(gap)} a year", "Extra FTE needed × loaded cost per FTE."
            ),
        ]
        if n == 0:
            text = (
                f"The current team of {count_words(officers, rules)} officers ({fte:,.1f} FTE) "
                f"is forecast to meet the target with at least {confidence} confidence; no "
                "extra funding is needed for it."
            )
        else:
            text = (
                f"To meet the target of {long_date(status.target)} with {confidence} "
                f"confidence, the review would need {n:,} more FTE than the {fte:,.1f} FTE in "
                f"post: a funding gap of about {money(gap)} a year at {money(cost)} per FTE."
            )
    else:
        lines.append(ResourceLine(extra_measure, "Not applicable", answer.reason))
        text = (
            f"The review has {count_words(officers, rules)} officers ({fte:,.1f} FTE). "
            f"No extra FTE figure can be given for the target: {lower_first(answer.reason)}"
        )
    text += cost_to_finish(lines, snapshot, status, fte, cost)
    return tuple(lines), text


def cost_to_finish(
    lines: list[ResourceLine], snapshot: SnapshotInfo, status: Status, fte: float, cost: float
) -> str:
    """Adds the current team's cost to the forecast's likely finish; returns its sentence."""
    finish = status.forecast.p85 if status.forecast.status == "ok" else None
    if finish is None or finish <= snapshot.as_of:
        return ""
    to_finish = fte * cost * (finish - snapshot.as_of).days / 7 / WEEKS_PER_YEAR
    lines.append(
        ResourceLine(
            "Cost of the current team until the work is likely finished",
            money(to_finish),
            f"{fte:,.1f} FTE from {long_date(snapshot.as_of)} to {long_date(finish)} (the "
            f"forecast date by which {DEFAULT_CONFIDENCE:.0%} of trials finish) at "
            f"{money(cost)} per FTE a year.",
        )
    )
    return (
        f" At its current strength, the team's cost until the work is likely finished "
        f"({long_date(finish)}) is about {money(to_finish)}."
    )
