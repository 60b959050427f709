"""Work content: cases weighted by the effort their kind of case has taken, so a change of case
mix (harder cases first, easier ones later) does not read as the team speeding up.

Each case's weight is its priority's effect times its category's effect on recorded hours
(``hours_spent`` of completed cases), fitted by alternating means and each shrunk towards 1
with the weight of ``SHRINK`` cases, then scaled so completed cases weigh 1 on average: a unit
of work is an average completed case. The cases not yet assessed are queued as the programme
works them: those already allocated or in assessment first, then the rest by priority (high,
medium, low). The model then forecasts units of work and maps them back to cases through the
queue. With too few recorded hours (under ``MIN_WITH_HOURS`` completed cases) there is no work
content and the model forecasts plain cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

PRIORITY_ORDER = ("high", "medium", "low")
SHRINK = 20.0
MIN_WITH_HOURS = 30
ITERATIONS = 6


@dataclass(frozen=True)
class CaseGroup:
    """Cases of one priority and category, completed in one week (or not yet: ``completed``
    None, ``queue`` 0 if allocated or in assessment, 1 if awaiting allocation)."""

    priority: str
    category: str
    completed: date | None
    queue: int
    cases: int
    hours: float
    with_hours: int


@dataclass(frozen=True)
class Work:
    """The remaining work in units (an average completed case is one unit).

    ``queue_cases`` / ``queue_units``: the cumulative cases and units along the queue of cases
    not yet assessed (starting at 0, 0). ``weekly_units``: units per case completed in each
    history week (1.0 where none were completed). ``scope_unit``: units per case added to scope.
    """

    queue_cases: tuple[float, ...]
    queue_units: tuple[float, ...]
    weekly_units: tuple[float, ...]
    scope_unit: float
    with_hours: int
    weights: tuple[tuple[str, str, float], ...]
    source: str

    def units_for(self, cases: float) -> float:
        """Units of work in the first ``cases`` cases of the queue (beyond it: at scope_unit)."""
        top = self.queue_cases[-1]
        if cases <= top:
            return float(np.interp(cases, self.queue_cases, self.queue_units))
        return self.queue_units[-1] + (cases - top) * self.scope_unit

    def cases_for(self, units: np.ndarray) -> np.ndarray:
        """Cases of the queue done by ``units`` of work (beyond it: at scope_unit)."""
        units = np.asarray(units, dtype=np.float64)
        inside = np.interp(units, self.queue_units, self.queue_cases)
        beyond = self.queue_cases[-1] + (units - self.queue_units[-1]) / self.scope_unit
        return np.where(units <= self.queue_units[-1], inside, beyond)


def _fit(
    done: Sequence[CaseGroup], mean: float, targets: tuple[dict[str, float], dict[str, float]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Priority and category effects by alternating means, each shrunk to its target."""
    pr, ca = dict(targets[0]), dict(targets[1])
    for _ in range(ITERATIONS):
        for effects, other, attr, other_attr, target in (
            (pr, ca, "priority", "category", targets[0]),
            (ca, pr, "category", "priority", targets[1]),
        ):
            sums: dict[str, float] = {}
            counts: dict[str, float] = {}
            for g in done:
                k = getattr(g, attr)
                sums[k] = sums.get(k, 0.0) + g.hours / (other[getattr(g, other_attr)] * mean)
                counts[k] = counts.get(k, 0.0) + g.with_hours
            for k in effects:
                effects[k] = (sums.get(k, 0.0) + SHRINK * target[k]) / (counts.get(k, 0.0) + SHRINK)
    return pr, ca


def _effects(
    groups: Sequence[CaseGroup], recent: set[date]
) -> tuple[dict[str, float], dict[str, float], float, int]:
    """Multiplicative priority and category effects on hours.

    Fitted once shrunk to 1, then again shrunk to the average effect among the cases completed
    in the recent weeks: a kind of case not assessed yet is taken to need as long as the cases
    being completed now, not as long as the programme's average so far."""
    done = [g for g in groups if g.completed is not None and g.with_hours > 0]
    n = sum(g.with_hours for g in done)
    if n == 0:
        return {}, {}, 0.0, 0
    mean = sum(g.hours for g in done) / n
    ones = ({g.priority: 1.0 for g in groups}, {g.category: 1.0 for g in groups})
    pr, ca = _fit(done, mean, ones)
    latest = [g for g in groups if g.completed in recent] or [g for g in groups if g.completed]
    total = sum(g.cases for g in latest)
    if total:
        p_target = sum(g.cases * pr[g.priority] for g in latest) / total
        c_target = sum(g.cases * ca[g.category] for g in latest) / total
        targets = (
            {k: (v if _observed(done, "priority", k) else p_target) for k, v in ones[0].items()},
            {k: (v if _observed(done, "category", k) else c_target) for k, v in ones[1].items()},
        )
        pr, ca = _fit(done, mean, targets)
    return pr, ca, mean, n


def _observed(done: Sequence[CaseGroup], attr: str, key: str) -> bool:
    return any(getattr(g, attr) == key for g in done)


def work_content(
    groups: Sequence[CaseGroup], week_endings: Sequence[date], recent_weeks: int = 8
) -> Work | None:
    """The work content of a snapshot's cases, or None with too few recorded hours.

    ``recent_weeks``: the last weeks of ``week_endings`` whose completions set what an
    unobserved kind of case is assumed to take (the forecast window)."""
    pr, ca, mean, n = _effects(groups, set(list(week_endings)[-recent_weeks:]))
    if n < MIN_WITH_HOURS:
        return None
    raw = {(g.priority, g.category): pr[g.priority] * ca[g.category] for g in groups}
    done = [g for g in groups if g.completed is not None]
    total = sum(g.cases for g in done)
    scale = sum(g.cases * raw[(g.priority, g.category)] for g in done) / total if total else 1.0
    weight = {k: v / scale for k, v in raw.items()}
    rank = {p: i for i, p in enumerate(PRIORITY_ORDER)}
    waiting = sorted(
        (g for g in groups if g.completed is None and g.cases > 0),
        key=lambda g: (g.queue, rank.get(g.priority, len(rank)), g.priority),
    )
    segments: dict[tuple[int, str], list[float]] = {}
    for g in waiting:
        seg = segments.setdefault((g.queue, g.priority), [0.0, 0.0])
        seg[0] += g.cases
        seg[1] += g.cases * weight[(g.priority, g.category)]
    cases, units = [0.0], [0.0]
    for c, u in segments.values():
        cases.append(cases[-1] + c)
        units.append(units[-1] + u)
    by_week: dict[date, list[float]] = {}
    for g in done:
        wk = by_week.setdefault(g.completed, [0.0, 0.0])  # type: ignore[arg-type]
        wk[0] += g.cases
        wk[1] += g.cases * weight[(g.priority, g.category)]
    weekly = tuple(
        by_week[d][1] / by_week[d][0] if d in by_week and by_week[d][0] > 0 else 1.0
        for d in week_endings
    )
    scope_unit = units[-1] / cases[-1] if cases[-1] > 0 else 1.0
    return Work(
        queue_cases=tuple(cases),
        queue_units=tuple(units),
        weekly_units=weekly,
        scope_unit=scope_unit,
        with_hours=n,
        weights=tuple((p, c, w) for (p, c), w in sorted(weight.items())),
        source=(
            f"measured: hours recorded on {n:,} completed assessments (mean {mean:.1f} h), by "
            "priority and category; cases not yet assessed queued in progress first, then by priority"
        ),
    )


def after(work: Work, cases: float) -> Work:
    """The same work content once the first ``cases`` cases of the queue are done."""
    cases = max(0.0, cases)
    done_units = work.units_for(cases)
    qc = np.asarray(work.queue_cases, dtype=np.float64)
    qu = np.asarray(work.queue_units, dtype=np.float64)
    keep = qc > cases
    new_c = np.concatenate([[0.0], qc[keep] - cases])
    new_u = np.concatenate([[0.0], qu[keep] - done_units])
    if new_c.size == 1:  # the queue is used up: what is left is at scope_unit a case
        new_c, new_u = np.array([0.0, 1.0]), np.array([0.0, work.scope_unit])
    return Work(
        queue_cases=tuple(float(x) for x in new_c),
        queue_units=tuple(float(x) for x in new_u),
        weekly_units=work.weekly_units,
        scope_unit=work.scope_unit,
        with_hours=work.with_hours,
        weights=work.weights,
        source=work.source,
    )
