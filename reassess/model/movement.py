"""Why the P85 date moved between a compare snapshot and this one: scope, pace and staffing.

Method (common random numbers throughout; every figure in weeks of the P85 date):
1. The compare snapshot's forecast is rolled forward to this snapshot's date as it expected
   to go: the work left less the progress its trials expected in the weeks between (scope
   growth included), the pace moved on by its own learning and trend, its spread widened by the
   weeks of drift, its officers and plans as they were. The change from the compare P85 date to
   this rolled-forward one is "time": what the weeks that passed did by themselves (usually a
   little earlier, as uncertainty resolves).
2. From the rolled-forward forecast to this one, three things changed: scope (cases added or
   removed beyond what was expected, and the scope growth now measured), pace (assessments
   completed beyond what was expected, and the productivity now measured, with its work
   content), staffing (officers, plans, abstraction). Each hybrid of the two forecasts (a part
   from one, the rest from the other; eight in all) is run on the same draws, and each part gets
   its Shapley value: its marginal effect averaged over the six orders of swapping the parts in.
   So the three parts add up exactly to the change from step 1's date to this P85, and with
   "time" to the whole change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import permutations

import numpy as np

from reassess.model.build import Built, build
from reassess.model.effort import Work, after
from reassess.model.inputs import Officer, PlanInput
from reassess.model.levers import Levers
from reassess.model.pace import Pace
from reassess.model.plan import weeks_quantile
from reassess.model.staffing import Staffing
from reassess.model.trials import (
    Basis,
    Draws,
    ScopeGrowth,
    cumulative,
    learning_path,
    simulate,
    trend_path,
)

PARTS = ("scope", "pace", "staffing")


@dataclass(frozen=True)
class Movement:
    """The change in the P85 date from ``compare_as_of`` to ``as_of``, in weeks, split in parts.

    ``time + scope + pace + staffing == total`` (to rounding). ``reason`` says why there is
    no split (then the parts are None)."""

    compare_as_of: date
    as_of: date
    p85_before: date | None
    p85_now: date | None
    total: float | None
    time: float | None
    scope: float | None
    pace: float | None
    staffing: float | None
    reason: str
    method: str

    def parts(self) -> dict[str, float | None]:
        return {
            "time": self.time,
            "scope": self.scope,
            "pace": self.pace,
            "staffing": self.staffing,
        }


@dataclass(frozen=True)
class _Side:
    """One forecast's three parts, as hybrids take them."""

    remaining_scope: float  # cases: the scope part of the work left
    remaining_done: float  # cases: the completions part of the work left (negative)
    finish_line: float
    scope: ScopeGrowth
    pace: Pace
    work: Work | None
    staffing: Staffing


def _p85(b: Basis, draws: Draws) -> int | None:
    return weeks_quantile(simulate(b, draws).finish, 0.85)


def _rolled(a: Built, inp: PlanInput, weeks: int, draws: Draws) -> tuple[_Side, Basis]:
    """The compare forecast rolled forward ``weeks`` weeks as it expected to go."""
    b = a.basis
    assert b is not None
    sim = simulate(b, draws, horizon=max(1, weeks))
    units = float(cumulative(sim, b.trials, weeks)[:, -1].mean()) if weeks else 0.0
    scope_cases = (
        float(b.scope.rates(draws.scope).mean() * np.cumsum(b.scope.step(weeks))[-1])
        if weeks
        else 0.0
    )
    work = a.work
    done_cases = units if work is None else float(work.cases_for(np.array([units]))[0])
    p = b.pace
    gain = 0.0
    if weeks:
        fte = b.staffing.paths(b.as_of, weeks).effective
        gain = float(learning_path(p, fte, weeks)[-1] + trend_path(p, weeks)[-1])
    pace = replace(
        p,
        level=p.level * math.exp(gain),
        level_sd=math.sqrt(p.level_sd**2 + p.drift_sd**2 * weeks),
        experience=p.experience + units,
    )
    decay = (
        0.5 ** (weeks / b.scope.half_life_weeks)
        if math.isfinite(b.scope.half_life_weeks) and b.scope.half_life_weeks > 0
        else 1.0
    )
    scope = replace(b.scope, mean=b.scope.mean * decay, sd=b.scope.sd * decay)
    side = _Side(
        remaining_scope=float(inp.remaining) + scope_cases,
        remaining_done=-done_cases,
        finish_line=b.finish_line,
        scope=scope,
        pace=pace,
        work=None if work is None else after(work, done_cases),
        staffing=_carried(b.staffing, inp.as_of, inp.as_of + timedelta(weeks=weeks)),
    )
    return side, b


def _carried(staffing: Staffing, since: date, until: date) -> Staffing:
    """The staffing with its planned changes dated after ``since`` and up to ``until`` held as
    people in post from their dates, so rolling the forecast past a change does not drop it."""
    passed = [c for c in staffing.changes if since < c.effective <= until]
    planned = tuple(
        Officer(f"planned {c.effective.isoformat()}", c.fte, c.effective, None, c.workstream)
        for c in passed
    )
    later = tuple(c for c in staffing.changes if c.effective > until)
    return replace(staffing, officers=staffing.officers + planned, changes=later)


def _side(built: Built, inp: PlanInput, before: PlanInput) -> _Side:
    """This forecast's parts, the work left split into scope change and completions since."""
    b = built.basis
    assert b is not None
    return _Side(
        remaining_scope=float(before.remaining) + (inp.in_scope - before.in_scope),
        remaining_done=-float(inp.assessed - before.assessed),
        finish_line=b.finish_line,
        scope=b.scope,
        pace=b.pace,
        work=built.work,
        staffing=b.staffing,
    )


def _hybrid(template: Basis, sides: dict[str, _Side]) -> Basis:
    """A basis taking each part from the side named for it."""
    s, p, f = sides["scope"], sides["pace"], sides["staffing"]
    remaining = s.remaining_scope + p.remaining_done
    work = p.work
    cases = remaining - s.finish_line
    need = cases if work is None else work.units_for(cases)
    return replace(
        template,
        remaining=remaining,
        finish_line=s.finish_line,
        need=need,
        scope=s.scope,
        pace=p.pace,
        staffing=f.staffing,
        scope_unit=1.0 if work is None else work.scope_unit,
    )


def why_moved(before: PlanInput, now: PlanInput) -> Movement:
    """Split the change in the P85 date from ``before`` to ``now`` into its parts."""
    method = (
        "Shapley split over scope, pace and staffing on common random numbers, after rolling "
        "the compare forecast forward to this date as it expected; the parts add up to the change."
    )
    a, b = build(before, Levers()), build(now, Levers())

    def none(reason: str, p85_a: date | None = None, p85_b: date | None = None) -> Movement:
        return Movement(
            before.as_of, now.as_of, p85_a, p85_b, None, None, None, None, None, reason, method
        )

    if a.basis is None or b.basis is None:
        why = (a.reason or b.reason) or "One of the two snapshots is already complete."
        return none(why)
    if now.as_of < before.as_of:
        return none("The compare snapshot is later than this one.")
    draws = Draws(b.basis.seed, b.basis.trials)
    w_a = _p85(a.basis, Draws(a.basis.seed, a.basis.trials))
    w_b = _p85(b.basis, draws)
    p85_a = None if w_a is None else before.as_of + timedelta(weeks=w_a)
    p85_b = None if w_b is None else now.as_of + timedelta(weeks=w_b)
    if w_a is None or w_b is None:
        return none(
            "A P85 date lies beyond the forecast horizon, so its move cannot be split.",
            p85_a,
            p85_b,
        )
    weeks = (now.as_of - before.as_of).days // 7
    rolled, _ = _rolled(a, before, weeks, Draws(a.basis.seed, a.basis.trials))
    rolled = replace(
        rolled, remaining_scope=rolled.remaining_scope, remaining_done=rolled.remaining_done
    )
    mine = _side(b, now, before)
    template = b.basis
    values: dict[frozenset[str], int | None] = {}
    for mask in range(8):
        chosen = frozenset(part for i, part in enumerate(PARTS) if mask >> i & 1)
        sides = {part: (mine if part in chosen else rolled) for part in PARTS}
        values[chosen] = _p85(_hybrid(template, sides), draws)
    values[frozenset(PARTS)] = w_b  # all three parts from this snapshot: its headline, exactly
    if any(v is None for v in values.values()):
        return none(
            "A mixed forecast lies beyond the horizon, so the move cannot be split.", p85_a, p85_b
        )
    shapley = {part: 0.0 for part in PARTS}
    orders = list(permutations(PARTS))
    for order in orders:
        seen: frozenset[str] = frozenset()
        for part in order:
            shapley[part] += (values[seen | {part}] - values[seen]) / len(orders)  # type: ignore[operator]
            seen = seen | {part}
    start = values[frozenset()]
    assert start is not None
    time_part = weeks + start - w_a
    assert p85_a is not None and p85_b is not None
    total = (p85_b - p85_a).days / 7
    return Movement(
        compare_as_of=before.as_of,
        as_of=now.as_of,
        p85_before=p85_a,
        p85_now=p85_b,
        total=total,
        time=float(time_part),
        scope=shapley["scope"],
        pace=shapley["pace"],
        staffing=shapley["staffing"],
        reason="",
        method=method,
    )
