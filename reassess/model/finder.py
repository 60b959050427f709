"""The officers finder: how many extra officers, from a date, finish by a date with 85%
confidence, and the curve of extra officers against the P85 finish date.

It answers from the same trials as ``run_plan`` (same seed, same draws): a trial's work with n
extra officers is its planned team's work plus n times one extra officer's, so for each trial
and week the officers it would need to have finished by then is a number, and the answer for a
date is the 85th percentile of those numbers, rounded up. The answer is then checked with
``run_plan`` itself (a scenario with that many officers meets the date with at least 85%
confidence, and one fewer does not). An answer above the recruitable limit in
config/programme.toml comes with a warning and the best the limit can do, never silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from reassess.model.build import build
from reassess.model.inputs import PlanInput, setting_name
from reassess.model.levers import Levers
from reassess.model.plan import Plan, long_date, run_plan
from reassess.model.staffing import next_monday
from reassess.model.trials import Draws, components

CURVE = (0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)
"""Extra officers at which the curve gives the P85 date."""


@dataclass(frozen=True)
class CurvePoint:
    """With this many extra officers from the start date: the P85 finish date (None: later
    than the horizon) and whether the number is within the recruitable limit."""

    extra_officers: int
    p85: date | None
    recruitable: bool


@dataclass(frozen=True)
class OfficersAnswer:
    """How many extra officers from ``start`` finish by ``finish_by`` with ``confidence``.

    ``extra_officers`` is None when no number up to ``max_extra`` does (``reason`` says why).
    ``warning`` is set when the answer is more than the recruitable limit; ``best`` is then the
    scenario with the limit. ``plan`` is the scenario with the answer.
    """

    finish_by: date
    start: date
    confidence: float
    extra_officers: int | None
    prob_by: float | None
    reason: str
    warning: str
    recruitable: int | None
    recruitable_source: str
    curve: tuple[CurvePoint, ...]
    plan: Plan | None
    best: Plan | None
    cost_per_year: float | None


def _needed_by_week(inp: PlanInput, levers: Levers, weeks: int, draws: Draws) -> np.ndarray | None:
    """weeks x trials: extra officers each trial needs to have finished by each week (inf:
    none would do)."""
    built = build(inp, levers)
    if built.basis is None:
        return None
    c0, c1, need = components(built.basis, draws, weeks)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where(c0 >= need, 0.0, np.where(c1 > 0, (need - c0) / c1, np.inf))
    return np.minimum.accumulate(np.maximum(n, 0.0), axis=0)


def _quantile(n: np.ndarray, confidence: float) -> np.ndarray:
    """Per week, the officers with which at least ``confidence`` of trials have finished."""
    k = max(1, math.ceil(confidence * n.shape[1] - 1e-9)) - 1
    return np.partition(n, k, axis=1)[:, k]


def find_officers(
    inp: PlanInput,
    finish_by: date,
    *,
    start: date | None = None,
    confidence: float = 0.85,
    levers: Levers | None = None,
    max_extra: int = 500,
) -> OfficersAnswer:
    """The smallest number of extra officers from ``start`` (default: the Monday after the as-of
    date) that finish by ``finish_by`` with ``confidence``, and the curve against P85."""
    start = start or next_monday(inp.as_of)
    base = levers or Levers()
    probe = Levers(
        name=base.name,
        extra_officers=1,
        extra_from=start,
        productivity=base.productivity,
        abstraction_rate=base.abstraction_rate,
        attrition_per_year=base.attrition_per_year,
        target=finish_by,
    )
    s = inp.settings
    limit = s.recruitable_extra_officers
    source = s.source("recruitable_extra_officers")
    headline = run_plan(inp, _with(probe, 0))
    weeks_to = (finish_by - inp.as_of).days // 7
    horizon = max(weeks_to, headline.weeks_p85 or 0, 1)
    horizon = min(horizon, s.max_weeks)

    def answer(n: int | None, reason: str, curve: tuple[CurvePoint, ...] = ()) -> OfficersAnswer:
        plan = run_plan(inp, _with(probe, n)) if n is not None else None
        warning, best = "", None
        if n is not None and limit is not None and n > limit:
            best = run_plan(inp, _with(probe, limit))
            chance = best.prob_by(finish_by)
            warning = (
                f"That is more than the {limit} extra officers that can be recruited "
                f"({setting_name('recruitable_extra_officers')}: {source or 'no source given'}). "
                f"With {limit}, the work finishes by {_date(best.p85)} with {confidence:.0%} "
                f"confidence, and the chance of finishing by {long_date(finish_by)} is "
                f"{0.0 if chance is None else chance:.0%}."
            )
        return OfficersAnswer(
            finish_by=finish_by,
            start=start,
            confidence=confidence,
            extra_officers=n,
            prob_by=None if plan is None else plan.prob_by(finish_by),
            reason=reason,
            warning=warning,
            recruitable=limit,
            recruitable_source=source,
            curve=curve,
            plan=plan,
            best=best,
            cost_per_year=None if n is None else n * s.loaded_cost_per_fte,
        )

    if headline.status == "done":
        return answer(0, "Every case that counts is already assessed.")
    if headline.status == "cannot_forecast":
        return answer(None, headline.reason)
    if weeks_to < 1:
        return answer(None, f"{long_date(finish_by)} is less than a week after the as-of date.")
    draws = Draws(s.seed, s.trials)
    needed = _needed_by_week(inp, probe, horizon, draws)
    if needed is None:
        return answer(None, headline.reason)
    q = _quantile(needed, confidence)
    curve = tuple(
        CurvePoint(
            n,
            _first_week(q, n, inp.as_of),
            limit is None or n <= limit,
        )
        for n in CURVE
        if n <= max_extra
    )
    target = q[min(weeks_to, horizon) - 1]
    if not math.isfinite(target) or target > max_extra:
        why = (
            f"Extra officers starting on {long_date(start)} start too late to help by "
            f"{long_date(finish_by)}."
            if start >= finish_by
            else f"Not even {max_extra} extra officers from {long_date(start)} would finish by "
            f"{long_date(finish_by)} with {confidence:.0%} confidence."
        )
        return answer(None, why, curve)
    n = max(0, math.ceil(target - 1e-9))
    # Check against the model itself (float rounding can move a trial at the boundary).
    while n < max_extra and (run_plan(inp, _with(probe, n)).prob_by(finish_by) or 0.0) < confidence:
        n += 1
    while n > 0 and (run_plan(inp, _with(probe, n - 1)).prob_by(finish_by) or 0.0) >= confidence:
        n -= 1
    reason = (
        f"The team planned finishes by {long_date(finish_by)} with {confidence:.0%} confidence; "
        "no extra officers are needed."
        if n == 0
        else f"{n} extra officer{'s' if n != 1 else ''} from {long_date(start)} finish by "
        f"{long_date(finish_by)} with {confidence:.0%} confidence; {n - 1} would not."
    )
    return answer(n, reason, curve)


def _with(levers: Levers, n: int | None) -> Levers:
    return Levers(
        name=levers.name if not n else f"{n} extra officers",
        extra_officers=n or 0,
        extra_from=levers.extra_from,
        productivity=levers.productivity,
        abstraction_rate=levers.abstraction_rate,
        attrition_per_year=levers.attrition_per_year,
        target=levers.target,
    )


def _first_week(q: np.ndarray, n: int, as_of: date) -> date | None:
    ok = np.flatnonzero(q <= n + 1e-9)
    return None if ok.size == 0 else as_of + timedelta(weeks=int(ok[0]) + 1)


def _date(d: date | None) -> str:
    return "beyond the forecast horizon" if d is None else long_date(d)
