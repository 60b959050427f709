"""The planning model's answer: ``run_plan(inp, levers) -> Plan``.

Confidence convention (as in the rest of reassess): "P85" is the figure achieved with 85%
confidence. For a finish date it is the week by which 85% of trials have finished; for a count
of cases still to assess, the count that 85% of trials are at or below (the cautious, high
one); for cases assessed, the count 85% of trials reach (the cautious, low one).

Cost to completion is defined once, here: the loaded cost per FTE-year divided by the weeks
per year, times the FTE-weeks of the team expected in post (the officers in post now, with
their planned leaving dates and expected attrition, the planned-headcount schedule, and any
extra officers from their start) over the weeks from the as-of date to the finish week at that
confidence (P50, P85 or P95).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from reassess.model.build import Abstraction, Built, build
from reassess.model.checks import Problem
from reassess.model.inputs import PlanInput, setting_name
from reassess.model.levers import Levers
from reassess.model.pace import Pace
from reassess.model.trials import (
    NOT_FINISHED,
    REACH_TOLERANCE,
    Draws,
    Simulation,
    cumulative,
    scope_added,
    simulate,
)

Status = Literal["ok", "done", "cannot_forecast", "not_converging"]
CONFIDENCES = (0.50, 0.85, 0.95)
FAN_BANDS = {"p05": 0.05, "p15": 0.15, "p50": 0.50, "p85": 0.85, "p95": 0.95}
CAPACITY_FALLBACK_WEEKS = 13
ABOVE_LINE = 1e-3
"""A trial not finished yet is at least a thousandth of a case above the finish line."""


def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def weeks_quantile(finish: np.ndarray, confidence: float) -> int | None:
    """Smallest week k with P(finished by week k) >= confidence; None if not within the horizon."""
    needed = math.ceil(confidence * finish.size - 1e-9)
    done = np.sort(finish[finish != NOT_FINISHED])
    if needed > done.size:
        return None
    return int(done[max(needed, 1) - 1])


def order_statistic(values: np.ndarray, confidence: float, axis: int = 0) -> np.ndarray:
    """The k-th smallest along ``axis``, k = ceil(confidence * n): P(value <= it) >= confidence."""
    return order_statistics(values, (confidence,), axis)[0]


def order_statistics(
    values: np.ndarray, confidences: tuple[float, ...], axis: int = 0
) -> list[np.ndarray]:
    """``order_statistic`` for several confidences, with one partial sort."""
    n = values.shape[axis]
    ks = [max(1, math.ceil(c * n - 1e-9)) - 1 for c in confidences]
    # partition along a contiguous axis (much faster than across the rows of a C array)
    along = np.ascontiguousarray(np.moveaxis(values, axis, -1))
    ordered = np.partition(along, sorted(set(ks)), axis=-1)
    return [ordered[..., k] for k in ks]


@dataclass(frozen=True)
class Cost:
    """Cost to completion (see the module docstring for the one definition)."""

    to_p50: float | None
    to_p85: float | None
    to_p95: float | None
    fte_weeks_p50: float | None
    fte_weeks_p85: float | None
    extra_to_p85: float | None
    loaded_cost_per_fte: float
    weeks_per_year: float
    definition: str


@dataclass(frozen=True)
class Capacity:
    """What the team can do over a horizon against the work left (the workload page's figure).

    Capacity in cases is the expected effective FTE-weeks times the measured pace; in hours,
    the expected available FTE-weeks times the productive hours per FTE-week. Demand is the
    cases still to assess plus the expected scope growth. ``available_fte_needed`` is the
    average available FTE that would finish the demand by the horizon at the measured pace
    (for the 85%-confidence answer in officers, use the officers finder).
    """

    weeks: int
    until: date
    available_fte: float
    available_fte_weeks: float
    effective_fte_weeks: float
    capacity_cases: float
    capacity_hours: float
    demand_cases: float
    demand_hours: float | None
    gap_cases: float
    available_fte_needed: float | None
    available_fte_gap: float | None
    productive_hours_per_fte_week: float
    pace: float


@dataclass(frozen=True, eq=False)
class Plan:
    """One forecast (the headline, or a scenario): dates, chances, paths, cost and reasons.

    ``reason`` is set whenever no forecast can be made, and then every date is None. ``notes``
    say what the reader should know (early weeks, assumed abstraction, unfinished trials);
    ``problems`` name nonsensical settings and their file.
    """

    name: str
    as_of: date
    target: date
    status: Status
    reason: str
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]
    in_scope: int
    remaining: int
    finish_line: int
    weeks_p50: int | None
    weeks_p85: int | None
    weeks_p95: int | None
    prob_by_target: float | None
    pace: Pace | None
    abstraction: Abstraction
    levers: Levers
    trials: int
    seed: int
    max_weeks: int
    complete_at_share: float
    cost: Cost | None
    inp: PlanInput = field(repr=False)
    built: Built = field(repr=False)
    sim: Simulation | None = field(repr=False, default=None)
    # fan() by horizon: a plan is immutable and the fan is read on every run of a page
    _fans: dict[int, pd.DataFrame] = field(init=False, repr=False, default_factory=dict)

    def _when(self, weeks: int | None) -> date | None:
        return None if weeks is None else self.as_of + timedelta(weeks=weeks)

    @property
    def p50(self) -> date | None:
        return self._when(self.weeks_p50)

    @property
    def p85(self) -> date | None:
        return self._when(self.weeks_p85)

    @property
    def p95(self) -> date | None:
        return self._when(self.weeks_p95)

    @property
    def finish_weeks(self) -> np.ndarray:
        """Finish week per trial (0: already complete; -1: not within max_weeks)."""
        if self.sim is None:
            return np.zeros(0, dtype=np.int64)
        return self.sim.finish

    @property
    def early_weeks(self) -> bool:
        """True when fewer weeks have passed since the start than the forecast window."""
        return self.built.measured.since_start.size < self.built.settings.window_weeks

    @property
    def window_weeks(self) -> int:
        """Weeks the pace was measured over (the window, or fewer in the first weeks)."""
        return int(self.built.measured.window.size)

    def prob_by(self, when: date) -> float | None:
        """Chance of finishing by a date (week-granular: by the last week ending on or before it)."""
        if self.status == "done":
            return 1.0
        if self.sim is None:
            return None
        weeks = (when - self.as_of).days // 7
        if weeks < 0:
            return 0.0
        f = self.sim.finish
        return float(((f != NOT_FINISHED) & (f <= weeks)).mean())

    def distribution(self) -> pd.DataFrame:
        """One row per week in which some trial finishes: week_ending, trials, share, cumulative_share."""
        if self.sim is None:
            return pd.DataFrame(columns=["week_ending", "trials", "share", "cumulative_share"])
        f = self.sim.finish
        counts = np.bincount(f[f != NOT_FINISHED]) if (f != NOT_FINISHED).any() else np.zeros(0)
        weeks = np.nonzero(counts)[0]
        return pd.DataFrame(
            {
                "week_ending": [self.as_of + timedelta(weeks=int(k)) for k in weeks],
                "trials": counts[weeks].astype(np.int64),
                "share": counts[weeks] / f.size,
                "cumulative_share": np.cumsum(counts)[weeks] / f.size,
            }
        )

    def horizon(self) -> int:
        """Weeks a chart should cover: to the later of the target and the P95 (at least 4)."""
        end = max(self.target, self.p95 or self.target)
        return int(max(4, min(self.max_weeks, (end - self.as_of).days // 7 + 2)))

    def _done_and_scope(self, weeks: int) -> tuple[np.ndarray, np.ndarray]:
        """trials x weeks cases assessed and cases added to scope since the as-of date.

        Units of work map to cases through the queue (``reassess.model.effort``); cases added
        to scope are worked as they arrive, at the queue's average units per case."""
        assert self.sim is not None and self.built.basis is not None
        units = cumulative(self.sim, self.trials, weeks)
        scope = scope_added(self.sim, self.trials, weeks)
        work = self.built.work
        if work is None:
            return units, scope
        unit = self.built.basis.scope_unit
        on_scope = np.minimum(scope, units / unit)
        return on_scope + work.cases_for(np.maximum(0.0, units - scope * unit)), scope

    def completions(self, weeks: int | None = None) -> np.ndarray:
        """trials x weeks of weekly completions in cases (zero after each trial's finish week)."""
        n = self.horizon() if weeks is None else weeks
        if self.sim is None:
            return np.zeros((0, n))
        done, _ = self._done_and_scope(n)
        return np.diff(done, axis=1, prepend=0.0)

    def remaining_paths(self, weeks: int) -> np.ndarray:
        """trials x (weeks + 1) cases still to assess (week 0 = now), frozen once finished.

        A finished trial's path is held at or below the finish line from its finish week, so
        "at or below the line in week t" is exactly "finished by week t"."""
        return self._paths(weeks)[0]

    def _paths(self, weeks: int) -> tuple[np.ndarray, np.ndarray]:
        """(remaining_paths, scope added) for ``weeks`` weeks."""
        paths = np.full(
            (self.trials if self.sim is not None else 0, weeks + 1), float(self.remaining)
        )
        if self.sim is None:
            return paths, np.zeros((0, weeks))
        done, scope = self._done_and_scope(weeks)
        paths[:, 1:] = self.remaining + scope - done
        f = self.sim.finish
        done = (f != NOT_FINISHED)[:, None] & (np.arange(weeks + 1)[None, :] >= f[:, None])
        line = float(self.finish_line)
        frozen = np.where(done, np.minimum(paths, line), np.maximum(paths, line + ABOVE_LINE))
        return frozen, scope

    def scope_paths(self, weeks: int) -> np.ndarray:
        """trials x (weeks + 1) cases in scope (week 0 = now), frozen once finished."""
        if self.sim is None:
            return np.full((0, weeks + 1), float(self.in_scope))
        paths = np.empty((self.trials, weeks + 1))
        paths[:, 0] = self.in_scope
        paths[:, 1:] = self.in_scope + scope_added(self.sim, self.trials, weeks)
        return paths

    def fan(self, weeks: int | None = None) -> pd.DataFrame:
        """The burn-up fan from the same trials as the dates, scope change included.

        One row per week ending from the as-of date (week 0). ``remaining_pNN``: cases still to
        assess with NN% confidence (at or below); ``scope``: the median projected scope;
        ``finish_line``: the scope less the cases that may remain when the work counts as done;
        ``assessed_pNN`` = scope - remaining_pNN. The median's remaining falls to the finish
        line exactly in the P50 week (and the P85 band in the P85 week), because a trial's path
        is frozen once it finishes, so "at or below the line in week t" is "finished by week t".
        """
        n = self.horizon() if weeks is None else weeks
        if n not in self._fans:
            self._fans[n] = self._fan(n)
        return self._fans[n].copy()

    def _fan(self, n: int) -> pd.DataFrame:
        frame = pd.DataFrame(
            {"week_ending": [self.as_of + timedelta(weeks=k) for k in range(n + 1)]}
        )
        if self.sim is None or self.status not in ("ok", "not_converging"):
            return frame.iloc[:1].assign(
                scope=self.in_scope, finish_line=self.in_scope - self.finish_line
            )
        remaining, added = self._paths(n)
        median_added = order_statistic(added.astype(np.float32), 0.5).astype(np.float64)
        scope = np.concatenate([[self.in_scope], self.in_scope + median_added])
        frame["scope"] = scope
        frame["finish_line"] = scope - self.finish_line
        bands = order_statistics(remaining.astype(np.float32), tuple(FAN_BANDS.values()))
        for name, band in zip(FAN_BANDS, bands, strict=True):
            band = band.astype(np.float64)
            frame[f"remaining_{name}"] = band
            frame[f"assessed_{name}"] = scope - band
        return frame

    def staffing(self, weeks: int | None = None) -> pd.DataFrame:
        """Expected weekly headcount, available and effective FTE and abstraction (weeks 1..n)."""
        n = self.horizon() if weeks is None else weeks
        basis = self.built.basis
        if basis is None:
            return pd.DataFrame(
                columns=[
                    "week_ending",
                    "headcount_fte",
                    "available_fte",
                    "effective_fte",
                    "abstraction",
                ]
            )
        p = basis.staffing.paths(self.as_of, n)
        return pd.DataFrame(
            {
                "week_ending": [self.as_of + timedelta(weeks=k) for k in range(1, n + 1)],
                "headcount_fte": p.expected_headcount(),
                "available_fte": p.expected_available(),
                "effective_fte": p.expected_effective(),
                "abstraction": p.abstraction,
            }
        )

    def capacity(self, weeks: int | None = None) -> Capacity | None:
        """Capacity against demand to the target (or 13 weeks once the target has passed)."""
        basis = self.built.basis
        if basis is None or self.pace is None:
            return None
        if weeks is None:
            days = (self.target - self.as_of).days
            weeks = max(1, math.ceil(days / 7)) if days > 0 else CAPACITY_FALLBACK_WEEKS
        p = basis.staffing.paths(self.as_of, weeks)
        s = self.built.settings
        available = p.expected_available()
        effective_weeks = float(p.expected_effective().sum())
        work = self.built.work
        capacity_units = self.pace.level * effective_weeks
        scope_cases = float(basis.scope.mean * basis.scope.step(weeks).sum())
        demand = self.remaining + scope_cases
        if work is None:
            capacity, demand_units = capacity_units, demand
        else:
            capacity = float(work.cases_for(np.array([capacity_units]))[0])
            demand_units = work.units_for(self.remaining) + scope_cases * basis.scope_unit
        per_fte_week = capacity_units / available.sum() if available.sum() > 0 else None
        needed = demand_units / (per_fte_week * weeks) if per_fte_week else None
        return Capacity(
            weeks=weeks,
            until=self.as_of + timedelta(weeks=weeks),
            available_fte=float(available.mean()),
            available_fte_weeks=float(available.sum()),
            effective_fte_weeks=effective_weeks,
            capacity_cases=capacity,
            capacity_hours=float(available.sum()) * s.productive_hours_per_fte_week,
            demand_cases=demand,
            demand_hours=None
            if self.inp.hours_per_case is None
            else demand * self.inp.hours_per_case,
            gap_cases=capacity - demand,
            available_fte_needed=needed,
            available_fte_gap=None if needed is None else needed - float(available.mean()),
            productive_hours_per_fte_week=s.productive_hours_per_fte_week,
            pace=self.pace.level,
        )


def _cost(built: Built, as_of: date, weeks: dict[float, int | None]) -> Cost:
    s = built.settings
    definition = (
        f"Loaded cost per FTE-year (£{s.loaded_cost_per_fte:,.0f}, "
        f"{setting_name('loaded_cost_per_fte')}) / {s.weeks_per_year:g} weeks, times the FTE-weeks of "
        "the team expected in post from the as-of date to the finish week: the officers in post now "
        "(planned leavers leaving, expected attrition), the planned-headcount schedule and any extra "
        "officers from their start."
    )
    per_week = s.loaded_cost_per_fte / s.weeks_per_year
    basis = built.basis
    known = [w for w in weeks.values() if w is not None]
    if basis is None or not known:
        return Cost(
            None, None, None, None, None, None, s.loaded_cost_per_fte, s.weeks_per_year, definition
        )
    paths = basis.staffing.paths(as_of, max(known) if max(known) > 0 else 1)
    cum = np.concatenate([[0.0], np.cumsum(paths.expected_headcount())])
    extra = np.concatenate([[0.0], np.cumsum(paths.extra * paths.unit_headcount)])

    def fte_weeks(w: int | None) -> float | None:
        return None if w is None else float(cum[w])

    def pounds(w: int | None) -> float | None:
        return None if w is None else float(cum[w] * per_week)

    w50, w85, w95 = (weeks[c] for c in CONFIDENCES)
    return Cost(
        to_p50=pounds(w50),
        to_p85=pounds(w85),
        to_p95=pounds(w95),
        fte_weeks_p50=fte_weeks(w50),
        fte_weeks_p85=fte_weeks(w85),
        extra_to_p85=None if w85 is None else float(extra[w85] * per_week),
        loaded_cost_per_fte=s.loaded_cost_per_fte,
        weeks_per_year=s.weeks_per_year,
        definition=definition,
    )


def _completed_on(inp: PlanInput, share: float) -> date | None:
    """The first week ending whose recorded figures count as complete, if the history shows one."""
    h = inp.history
    assessed = inp.assessed - sum(h.completions) + np.cumsum(h.completions)
    for end, done, scope in zip(h.week_ending, assessed, h.scope, strict=True):
        if scope > 0 and done >= share * scope - 1e-9:
            return end
    return None


def run_plan(inp: PlanInput, levers: Levers | None = None, *, draws: Draws | None = None) -> Plan:
    """The forecast for an input and a scenario's levers (none: the headline forecast)."""
    levers = levers or Levers()
    built = build(inp, levers)
    s = built.settings
    notes = list(built.notes)
    target = built.target
    finish_line = int(math.floor((1.0 - s.complete_at_share) * inp.in_scope + 1e-9))

    def plan(
        status: Status,
        reason: str,
        weeks: dict[float, int | None],
        prob: float | None,
        sim: Simulation | None,
    ) -> Plan:
        return Plan(
            name=levers.name,
            as_of=inp.as_of,
            target=target,
            status=status,
            reason=reason,
            notes=tuple(n for n in notes if n),
            problems=built.problems,
            in_scope=inp.in_scope,
            remaining=inp.remaining,
            finish_line=finish_line,
            weeks_p50=weeks[0.50],
            weeks_p85=weeks[0.85],
            weeks_p95=weeks[0.95],
            prob_by_target=prob,
            pace=built.pace,
            abstraction=built.abstraction,
            levers=levers,
            trials=s.trials,
            seed=s.seed,
            max_weeks=s.max_weeks,
            complete_at_share=s.complete_at_share,
            cost=_cost(built, inp.as_of, weeks),
            inp=inp,
            built=built,
            sim=sim,
        )

    none: dict[float, int | None] = dict.fromkeys(CONFIDENCES)
    if inp.remaining <= finish_line:
        when = _completed_on(inp, s.complete_at_share)
        notes.insert(
            0,
            f"Complete: {s.complete_at_share:.1%} of the cases in scope are assessed"
            + (f" (since the week ending {long_date(when)})." if when else "."),
        )
        return plan(
            "done", "", dict.fromkeys(CONFIDENCES, 0), 1.0 if inp.as_of <= target else None, None
        )
    if built.basis is None:
        return plan("cannot_forecast", built.reason, none, None, None)
    basis = built.basis
    if draws is None or draws.seed != basis.seed or draws.trials != basis.trials:
        draws = Draws(basis.seed, basis.trials)
    sim = simulate(basis, draws)
    weeks = {c: weeks_quantile(sim.finish, c) for c in CONFIDENCES}
    unfinished = int((sim.finish == NOT_FINISHED).sum())
    if unfinished:
        share = unfinished / sim.finish.size
        pct = "fewer than 1%" if share < 0.005 else f"{share:.0%}"
        notes.append(
            f"In {pct} of trials the work does not finish within {s.max_weeks} weeks "
            f"({setting_name('max_weeks')})."
        )
    if inp.as_of > target:
        notes.append(f"The target date ({long_date(target)}) has passed.")
    target_weeks = (target - inp.as_of).days // 7
    prob = (
        0.0
        if inp.as_of > target
        else float(((sim.finish != NOT_FINISHED) & (sim.finish <= target_weeks)).mean())
    )
    if weeks[0.50] is None:
        return plan(
            "not_converging",
            "In more than half of the trials the work does not finish within "
            f"{s.max_weeks} weeks: at this pace, with scope still growing, there is no finish date "
            "to give.",
            none,
            prob,
            sim,
        )
    return plan("ok", "", weeks, prob, sim)


__all__ = ["Capacity", "Cost", "Plan", "REACH_TOLERANCE", "run_plan", "weeks_quantile"]
