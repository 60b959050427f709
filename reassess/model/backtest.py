"""The forecast's track record: forecast at each past snapshot, compare with what happened.

A ``Case`` is one snapshot's input with what later snapshots show: the week the work actually
counted as complete (``actual``), or, while it has not finished yet, the last date known
(``known_until``). ``score`` runs the model on each case; a P-date "held" when the work was
complete by it. Where the work has not finished, a date already passed without the work done
did not hold, and a date still ahead is not scored yet (None). ``summarise`` gives coverage
(the share of scored snapshots whose P50/P85/P95 held), the median and worst error of the P50
in weeks (positive: the forecast was late, i.e. pessimistic), per programme and pooled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from reassess.model.inputs import PlanInput, PlanSettings
from reassess.model.plan import Plan, run_plan

FIRST_SNAPSHOT = 6
"""Backtests start at the 6th weekly snapshot (before it, there is too little to go on)."""
POOLED = "pooled"


@dataclass(frozen=True)
class Case:
    """One past snapshot to forecast from, and what happened after it."""

    programme: str
    inp: PlanInput
    actual: date | None
    known_until: date


@dataclass(frozen=True)
class Outcome:
    """What one snapshot's forecast said, and whether it held."""

    programme: str
    as_of: date
    actual: date | None
    status: str
    p50: date | None
    p85: date | None
    p95: date | None
    prob_by_target: float | None
    held50: bool | None
    held85: bool | None
    held95: bool | None
    error_weeks: float | None  # P50 minus actual finish, in weeks (positive: late)
    own50: float | None = None  # the forecast's own chance of finishing by its P50 week
    own85: float | None = None


@dataclass(frozen=True)
class Summary:
    """Coverage and error over one programme's scored snapshots (or all of them, pooled)."""

    programme: str
    snapshots: int
    scored: int
    cover50: float | None
    cover85: float | None
    cover95: float | None
    median_error_weeks: float | None
    median_abs_error_weeks: float | None
    worst_error_weeks: float | None
    expected50: float | None = None  # what a calibrated forecast with these week-granular
    expected85: float | None = None  # dates would hold: the mean of its own chance by each date


def held(when: date | None, actual: date | None, known_until: date, forecast: bool) -> bool | None:
    """Whether a forecast date held: True, False, or None while it cannot be told yet.

    ``when`` None with ``forecast`` True means "not within the horizon" (later than any date);
    with ``forecast`` False there was no forecast to score."""
    if not forecast:
        return None
    if actual is not None:
        return when is None or actual <= when
    if when is not None and when <= known_until:
        return False  # the date has passed and the work was not complete
    return None


def outcome(case: Case, plan: Plan) -> Outcome:
    """Score one forecast against what happened."""
    a = case.actual
    forecast = plan.status in ("ok", "not_converging")
    error = None if a is None or plan.p50 is None else (plan.p50 - a).days / 7
    return Outcome(
        programme=case.programme,
        as_of=case.inp.as_of,
        actual=a,
        status=plan.status,
        p50=plan.p50,
        p85=plan.p85,
        p95=plan.p95,
        prob_by_target=plan.prob_by_target,
        held50=held(plan.p50, a, case.known_until, forecast),
        held85=held(plan.p85, a, case.known_until, forecast),
        held95=held(plan.p95, a, case.known_until, forecast),
        error_weeks=error,
        own50=None if plan.p50 is None else plan.prob_by(plan.p50),
        own85=None if plan.p85 is None else plan.prob_by(plan.p85),
    )


def score(
    cases: Iterable[Case],
    settings: Callable[[PlanSettings], PlanSettings] | None = None,
) -> list[Outcome]:
    """Forecast every case (``settings`` may rewrite each case's settings, e.g. the method)."""
    out = []
    for case in cases:
        inp = (
            case.inp
            if settings is None
            else replace(case.inp, settings=settings(case.inp.settings))
        )
        out.append(outcome(case, run_plan(inp)))
    return out


def _cover(values: Sequence[bool | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def summarise(outcomes: Sequence[Outcome]) -> list[Summary]:
    """One Summary per programme (in order of first appearance), then the pooled one."""
    names = list(dict.fromkeys(o.programme for o in outcomes))
    groups = [(n, [o for o in outcomes if o.programme == n]) for n in names]
    groups.append((POOLED, list(outcomes)))
    out = []
    for name, group in groups:
        errors = np.array([o.error_weeks for o in group if o.error_weeks is not None])
        scored = [o for o in group if o.held85 is not None]
        out.append(
            Summary(
                programme=name,
                snapshots=len(group),
                scored=len(scored),
                cover50=_cover([o.held50 for o in group]),
                cover85=_cover([o.held85 for o in group]),
                cover95=_cover([o.held95 for o in group]),
                median_error_weeks=float(np.median(errors)) if errors.size else None,
                median_abs_error_weeks=float(np.median(np.abs(errors))) if errors.size else None,
                worst_error_weeks=float(errors[np.argmax(np.abs(errors))]) if errors.size else None,
                expected50=_mean([o.own50 for o in group if o.held50 is not None]),
                expected85=_mean([o.own85 for o in group if o.held85 is not None]),
            )
        )
    return out


def table(summaries: Sequence[Summary]) -> str:
    """The summaries as a markdown table."""

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.0%}"

    def wk(v: float | None) -> str:
        return "—" if v is None else f"{v:+.1f}"

    lines = [
        "| programme | snapshots | scored | P50 held | P85 held | P95 held | median P50 error (weeks) | median abs error | worst error | calibrated would hold P50 / P85 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        lines.append(
            f"| {s.programme} | {s.snapshots} | {s.scored} | {pct(s.cover50)} | {pct(s.cover85)} | "
            f"{pct(s.cover95)} | {wk(s.median_error_weeks)} | "
            f"{'—' if s.median_abs_error_weeks is None else f'{s.median_abs_error_weeks:.1f}'} | "
            f"{wk(s.worst_error_weeks)} | {pct(s.expected50)} / {pct(s.expected85)} |"
        )
    return "\n".join(lines)
