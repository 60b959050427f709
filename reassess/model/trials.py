"""The Monte Carlo trials: weekly completions and scope growth, on common random numbers.

For trial i and week t (t = 1, 2, ... after the as-of date):

    completions[i, t] = level * exp(a_i + W_i(t) + L(t) + trend(t) + e_it) * FTE_i(t)
    scope_added[i, t] = s_i * 0.5 ** (t / half_life)

- a_i ~ N(0, level_sd^2): the level now is only an estimate;
- W_i: a random walk in log productivity (drift_sd per sqrt(week)), sampled at fixed knots
  (0, 1, 2, 3, 4, 6, ... 520 weeks) and interpolated, so its spread grows with the horizon;
- L(t): the learning curve, b * log(work done by week t / work done by now) at the level now
  (Wright's law; ``pace``), at most log 2;
- trend(t): a damped trend (the 'local_trend' method only);
- e_it: weekly noise, one of 256 quantiles of its distribution picked by a random byte;
- FTE_i(t): effective available FTE (``staffing``): ``fte(t) * (1 - u(t)) ** g_i + extra *
  unit(t)``, where u(t) is the expected share lost to attrition and g_i the trial's own
  attrition factor (more or fewer leavers than expected);
- s_i ~ N(mean, sd^2 / n): the weekly net scope change of the window, uncertain.

A trial finishes in the first week its remaining work (remaining - cumulative completions +
cumulative scope added) falls to the finish line. Weeks are simulated in a fixed schedule of
chunks for every trial, and each kind of draw has its own stream (``SeedSequence(seed).spawn``);
weekly noise after week 52 is a counter-based hash of (seed, trial, week). So the draws of week
t never depend on the horizon, the levers or which trials have finished, and a scenario
differs from the headline only by what its levers change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from statistics import NormalDist

import numpy as np

from reassess.model.pace import MAX_LEARNING, Pace
from reassess.model.staffing import Staffing, StaffPaths, attrition_factors

CHUNKS = (13, 13, 13, 13, 26, 26, 52, 52, 104, 208)
"""Weeks simulated per step, in this order for every trial (then 260 at a time)."""
BYTE_WEEKS = 52
"""Weekly noise of weeks 1..52 comes from a byte stream for every trial; later weeks are hashed."""
KNOTS = (0, 1, 2, 3, 4, 6, 9, 13, 18, 26, 36, 52, 72, 100, 140, 200, 280, 380, 520, 780, 1040)
NOISE_LEVELS = 256
REACH_TOLERANCE = 1e-3
"""Cases: progress within a thousandth of a case of the work left counts as reaching it."""
NOT_FINISHED = -1
FLOOR = -80.0
"""log of a week with no one available (exp(-80) is nothing)."""


def chunk_bounds(max_weeks: int) -> list[tuple[int, int]]:
    """(start, stop) of each step of the fixed schedule, up to max_weeks."""
    out, start, k = [], 0, 0
    while start < max_weeks:
        size = CHUNKS[k] if k < len(CHUNKS) else 260
        out.append((start, min(start + size, max_weeks)))
        start += size
        k += 1
    return out


@dataclass(frozen=True)
class ScopeGrowth:
    """Weekly net scope change: its mean and spread over the window, decaying by half-life."""

    mean: float
    sd: float
    weeks: int
    half_life_weeks: float

    def step(self, weeks: int) -> np.ndarray:
        """Decay factor of weeks 1..weeks (1 everywhere with an infinite half-life)."""
        t = np.arange(1, weeks + 1, dtype=np.float64)
        if not math.isfinite(self.half_life_weeks) or self.half_life_weeks <= 0:
            return np.ones(weeks)
        return 0.5 ** (t / self.half_life_weeks)

    def rates(self, z: np.ndarray) -> np.ndarray:
        """Each trial's weekly scope change now, from standard normal draws."""
        if self.weeks == 0 or (self.mean == 0 and self.sd == 0):
            return np.zeros_like(z)
        return self.mean + self.sd / math.sqrt(self.weeks) * z


@dataclass(frozen=True)
class Basis:
    """Everything the trials need, measured: the work, the pace, scope growth and staffing."""

    as_of: date
    remaining: float
    finish_line: float
    pace: Pace
    scope: ScopeGrowth
    staffing: Staffing
    trials: int
    seed: int
    max_weeks: int
    attrition_strength: float
    need: float  # units of work to finish (cases when there is no work content)
    scope_unit: float = 1.0  # units of work per case added to scope


@dataclass(eq=False)
class Draws:
    """The random numbers of one (seed, trials), shared by the headline, scenarios and hybrids."""

    seed: int
    trials: int
    level: np.ndarray = field(init=False)
    attrition: np.ndarray = field(init=False)
    scope: np.ndarray = field(init=False)
    key: np.uint64 = field(init=False)
    _bytes: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(self.seed).spawn(5)]
        self.level = streams[0].standard_normal((len(KNOTS), self.trials))
        raw = streams[1].bytes(self.trials * BYTE_WEEKS)
        self._bytes = np.frombuffer(raw, dtype=np.uint8).reshape(BYTE_WEEKS, self.trials)
        self.scope = streams[2].standard_normal(self.trials)
        self.attrition = streams[3].standard_normal(self.trials)
        self.key = np.uint64(streams[4].integers(0, 2**63))

    def noise(self, rows: np.ndarray, start: int, stop: int) -> np.ndarray:
        """Noise bytes, (stop - start) weeks x len(rows) trials, of weeks start+1..stop."""
        parts = []
        if start < BYTE_WEEKS:
            block = self._bytes[start : min(stop, BYTE_WEEKS)]
            parts.append(block if rows.size == self.trials else block[:, rows])
        if stop > BYTE_WEEKS:
            weeks = np.arange(max(start, BYTE_WEEKS), stop, dtype=np.uint64)
            parts.append(_hash_bytes(self.key, weeks, rows.astype(np.uint64)))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0)


def _hash_bytes(key: np.uint64, weeks: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A byte per (week, trial) from the splitmix64 finaliser of (key, week, trial)."""
    with np.errstate(over="ignore"):
        v = (weeks[:, None] * np.uint64(0xD1B54A32D192ED03)) ^ (
            rows[None, :] * np.uint64(0x9E3779B97F4A7C15)
        )
        v ^= key
        v ^= v >> np.uint64(30)
        v *= np.uint64(0xBF58476D1CE4E5B9)
        v ^= v >> np.uint64(27)
        v *= np.uint64(0x94D049BB133111EB)
        v ^= v >> np.uint64(31)
    return (v >> np.uint64(56)).astype(np.uint8)


def knot_values(pace: Pace, draws: Draws) -> np.ndarray:
    """len(KNOTS) x trials: a_i + W_i(knot) (the level shift plus the walk at each knot)."""
    gaps = np.sqrt(np.diff(np.asarray(KNOTS, dtype=np.float64)))
    walk = np.cumsum(pace.drift_sd * gaps[:, None] * draws.level[1:], axis=0)
    values = np.empty((len(KNOTS), draws.trials))
    values[0] = pace.level_sd * draws.level[0]
    values[1:] = values[0] + walk
    return values


def noise_table(pace: Pace) -> np.ndarray:
    """256 log-noise values: the empirical log ratios ('iid') or normal quantiles, mean one."""
    if pace.empirical:
        values = np.maximum(np.asarray(pace.empirical, dtype=np.float64), FLOOR)
        return values[np.arange(NOISE_LEVELS) % values.size].astype(np.float32)
    sd = pace.noise_sd
    q = [NormalDist().inv_cdf((j + 0.5) / NOISE_LEVELS) for j in range(NOISE_LEVELS)]
    return (sd * np.asarray(q) - sd * sd / 2).astype(np.float32)


def trend_path(pace: Pace, weeks: int, damping: float = 0.9) -> np.ndarray:
    """Cumulative damped trend of log productivity, weeks 1..weeks (zeros without a trend)."""
    if pace.trend == 0:
        return np.zeros(weeks)
    t = np.arange(1, weeks + 1, dtype=np.float64)
    return pace.trend * damping * (1 - damping**t) / (1 - damping)


def learning_path(pace: Pace, fte: np.ndarray, weeks: int) -> np.ndarray:
    """log productivity gained by learning, weeks 1..weeks: b * log(work done then / now),
    the work done then taken at the level now (at most MAX_LEARNING)."""
    if pace.learning == 0 or pace.experience <= 0:
        return np.zeros(weeks)
    ahead = pace.experience + pace.level * np.cumsum(fte[:weeks])
    gain = pace.learning * np.log(ahead / pace.experience)
    return np.clip(gain, -MAX_LEARNING, MAX_LEARNING)


@dataclass(frozen=True, eq=False)
class Chunk:
    """One step of simulated weeks for the trials still running at its start."""

    rows: np.ndarray
    start: int
    cumulative: np.ndarray  # weeks x rows: cumulative completions since the as-of date


@dataclass(frozen=True, eq=False)
class Simulation:
    """Finish week per trial (0: already complete; NOT_FINISHED: not within max_weeks)."""

    finish: np.ndarray
    chunks: tuple[Chunk, ...]
    paths: StaffPaths
    scope_rates: np.ndarray
    scope_cumulative: np.ndarray  # per week: cumulative decay factor (scope added = rate * this)
    simulated_weeks: int


@dataclass(frozen=True, eq=False)
class Exponent:
    """Log weekly completions, piecewise linear in the week between knots, plus a weekly row.

    In the knot interval (k_j, k_j+1], for trial i and week t:
        log completions = start[j, i] + slope[j, i] * (t - k_j) + row[t] + noise
    where start and slope carry the level shift, the walk and the attrition factor g_i times
    log(1 - expected attrition share) (interpolated between knots), and ``row`` is log(level) +
    trend + log(effective FTE). With extra officers, ``row`` leaves FTE out and completions are
    multiplied by ``fte * exp(g * log_keep) + extra * unit`` (``weekly_completions``).
    """

    start: np.ndarray  # intervals x trials
    slope: np.ndarray  # intervals x trials
    row: np.ndarray  # weeks
    table: np.ndarray
    attrition: np.ndarray  # per trial g
    keep_start: np.ndarray  # per interval: log keep at its first knot
    keep_slope: np.ndarray
    fte: np.ndarray
    unit: np.ndarray
    extra: float


def exponent_parts(b: Basis, draws: Draws, paths: StaffPaths, weeks: int) -> Exponent:
    """The pieces of log completions for weeks 1..weeks (see ``Exponent``)."""
    knots = np.asarray(KNOTS, dtype=np.float64)
    g = attrition_factors(draws.attrition, b.attrition_strength)
    fte = paths.effective[:weeks]
    loss = np.minimum(paths.loss_effective[:weeks], fte)
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.where(fte > 0, 1.0 - loss / fte, 1.0)
        log_fte = np.where(fte > 0, np.log(np.maximum(fte, 1e-300)), FLOOR)
    log_keep = np.log(np.maximum(keep, 1e-12))
    at = np.clip(knots.astype(np.int64), 0, weeks)
    keep_knots = np.concatenate([[0.0], log_keep])[at]  # log keep at each knot (0 at week 0)
    gap = np.diff(knots)
    values = knot_values(b.pace, draws) + g[None, :] * keep_knots[:, None]
    start = values[:-1]
    slope = (values[1:] - values[:-1]) / gap[:, None]
    row = math.log(b.pace.level) + trend_path(b.pace, weeks) + learning_path(b.pace, fte, weeks)
    if not paths.extra:
        row = np.maximum(row + log_fte, FLOOR)
        keep_start = keep_slope = np.zeros(gap.size)
    else:
        start = start - g[None, :] * keep_knots[:-1, None]
        slope = slope - g[None, :] * (np.diff(keep_knots) / gap)[:, None]
        keep_start, keep_slope = keep_knots[:-1], np.diff(keep_knots) / gap
    return Exponent(
        start.astype(np.float32),
        slope.astype(np.float32),
        row.astype(np.float32),
        noise_table(b.pace),
        g.astype(np.float32),
        keep_start,
        keep_slope,
        fte,
        paths.unit_effective[:weeks],
        paths.extra,
    )


def weekly_completions(
    e: Exponent, draws: Draws, rows: np.ndarray, start: int, stop: int
) -> np.ndarray:
    """(stop - start) weeks x len(rows) weekly completions of the trials ``rows`` (float32).

    With extra officers: exp(...) * (fte * keep ** g + extra * unit), FTE outside the exponent."""
    x = draws_exponent(e, draws, rows, start, stop)
    if e.extra:
        t = np.arange(start, stop)
        keep = np.exp(
            np.multiply.outer(_interpolated_keep(e, t), e.attrition[rows].astype(np.float64))
        )
        factor = keep * e.fte[start:stop, None] + e.extra * e.unit[start:stop, None]
        x += np.log(np.maximum(factor, np.exp(FLOOR))).astype(np.float32)
    np.exp(x, out=x)
    return x


def simulate(b: Basis, draws: Draws, *, horizon: int | None = None) -> Simulation:
    """Run every trial until it finishes (or for ``horizon`` weeks, when given, every trial)."""
    max_weeks = b.max_weeks if horizon is None else horizon
    paths = b.staffing.paths(b.as_of, max_weeks)
    rates = b.scope.rates(draws.scope)
    scope_cum = np.cumsum(b.scope.step(max_weeks))
    finish = np.full(b.trials, NOT_FINISHED, dtype=np.int64)
    if b.need <= 0:
        finish[:] = 0
        return Simulation(finish, (), paths, rates, scope_cum, 0)
    e = exponent_parts(b, draws, paths, max_weeks)
    has_scope = bool(rates.any())
    need = np.float32(b.need - REACH_TOLERANCE)
    rates32 = (rates * b.scope_unit).astype(np.float32)
    scope32 = scope_cum.astype(np.float32)
    carry = np.zeros(b.trials, dtype=np.float32)
    active = np.arange(b.trials)
    chunks: list[Chunk] = []
    simulated = 0
    for start, stop in chunk_bounds(max_weeks):
        if active.size == 0:
            break
        x = weekly_completions(e, draws, active, start, stop)
        x[0] += carry[active]
        np.cumsum(x, axis=0, out=x)
        chunks.append(Chunk(active, start, x))
        carry[active] = x[-1]
        simulated = stop
        if horizon is not None:
            continue
        if has_scope:
            hit = x >= need + np.multiply.outer(scope32[start:stop], rates32[active])
        else:
            hit = x >= need
        done = hit.any(axis=0)
        finish[active[done]] = start + hit[:, done].argmax(axis=0) + 1
        active = active[~done]
    return Simulation(finish, tuple(chunks), paths, rates, scope_cum, simulated)


def _end(sim: Simulation, weeks: int) -> np.ndarray:
    """Each trial's last simulated week that counts (its finish week; weeks for unfinished)."""
    return np.where(sim.finish == NOT_FINISHED, weeks, np.minimum(sim.finish, weeks))


def cumulative(sim: Simulation, trials: int, weeks: int) -> np.ndarray:
    """trials x weeks cumulative completions since the as-of date, frozen after each finish."""
    out = np.zeros((trials, weeks), dtype=np.float64)
    for c in sim.chunks:
        if c.start >= weeks:
            break
        stop = min(weeks, c.start + c.cumulative.shape[0])
        out[c.rows, c.start : stop] = c.cumulative[: stop - c.start].T
    end = _end(sim, weeks)
    frozen = np.where(end > 0, out[np.arange(trials), np.maximum(end, 1) - 1], 0.0)
    after = np.arange(1, weeks + 1)[None, :] > end[:, None]
    return np.where(after, frozen[:, None], out)


def scope_added(sim: Simulation, trials: int, weeks: int) -> np.ndarray:
    """trials x weeks cumulative scope added since the as-of date, frozen after each finish."""
    end = _end(sim, weeks)
    upto = np.minimum(np.arange(1, weeks + 1)[None, :], end[:, None])
    cum = np.concatenate([[0.0], sim.scope_cumulative[:weeks]])
    return sim.scope_rates[:, None] * cum[upto]


def components(b: Basis, draws: Draws, weeks: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """weeks x trials cumulative units of work from the team planned (c0) and from one extra
    officer (c1), and the units each trial needs by each week (need): a trial with n extra
    officers has finished by week t when max over s <= t of (c0 + n * c1 - need)[s] >= 0.

    The same draws and formula as ``simulate`` with extra officers (float64 here)."""
    paths = b.staffing.paths(b.as_of, weeks)
    with_unit = replace(b, staffing=replace(b.staffing, extra_officers=1.0))
    e = exponent_parts(with_unit, draws, paths, weeks)
    rows = np.arange(b.trials)
    base = np.empty((weeks, b.trials))
    for start, stop in chunk_bounds(weeks):
        x = draws_exponent(e, draws, rows, start, stop)
        base[start:stop] = np.exp(x.astype(np.float64))
    t = np.arange(weeks)
    keep = np.exp(np.multiply.outer(_interpolated_keep(e, t), e.attrition.astype(np.float64)))
    c0 = np.cumsum(base * keep * e.fte[:, None], axis=0)
    c1 = np.cumsum(base * e.unit[:, None], axis=0)
    rates = b.scope.rates(draws.scope) * b.scope_unit
    need = b.need + np.multiply.outer(np.cumsum(b.scope.step(weeks)), rates)
    return c0, c1, need


def _interpolated_keep(e: Exponent, t: np.ndarray) -> np.ndarray:
    """log(1 - attrition share) of weeks t + 1 (0-based t), interpolated between knots."""
    week = t + 1
    j = np.searchsorted(KNOTS, t, side="right") - 1
    return e.keep_start[j] + e.keep_slope[j] * (week - np.asarray(KNOTS)[j])


def draws_exponent(
    e: Exponent, draws: Draws, rows: np.ndarray, start: int, stop: int
) -> np.ndarray:
    """The exponent of ``weekly_completions`` (before exp and the FTE factor)."""
    x = np.take(e.table, draws.noise(rows, start, stop))
    every = rows.size == draws.trials
    week = start
    while week < stop:
        j = int(np.searchsorted(KNOTS, week, side="right") - 1)
        end = min(stop, KNOTS[j + 1])
        tau = np.arange(week + 1 - KNOTS[j], end + 1 - KNOTS[j], dtype=np.float32)
        s0 = e.start[j] if every else e.start[j, rows]
        s1 = e.slope[j] if every else e.slope[j, rows]
        part = x[week - start : end - start]
        part += np.multiply.outer(tau, s1)
        part += s0
        week = end
    x += e.row[start:stop, None]
    return x
