"""Monte Carlo forecast of when the initial assessments will be complete.

Pure numbers in, frozen dataclasses out: no Streamlit, no database. "Now" is always the
snapshot date (``as_of``), never the wall clock.

Method: each trial bootstraps (samples with replacement) whole weeks from the recent weekly
counts of completed assessments, optionally paired week by week with the net change in scope
(cases added minus removed). A trial finishes in the first week in which its cumulative net
progress reaches the remaining cases. The granularity is one week: a completion date is
always ``as_of + 7 * weeks``.

Confidence convention, used everywhere in this module and in ``reassess.model.scenarios``:
"pNN" is the figure achieved with NN% confidence.
- For a completion date, p85 is the date by which 85% of trials have finished.
- For a count, p85 is the count that 85% of trials reach or exceed (the 15th percentile of the
  simulated totals); p95 is the 5th percentile, p05 the 95th percentile.
So p95 is always the cautious figure: the latest date, the lowest count.

Draws follow a fixed chunk schedule (13, 13, 26, 52, ... weeks, for every trial), so that the
first W weeks of draws are the same whatever the horizon: the forecast, the fan chart,
``how_many_by`` and a scenario with no change of staffing all see the same weeks for the same
seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from reassess.present.formats import horizon_phrase, long_date, weeks_phrase

Status = Literal["ok", "done", "cannot_forecast", "not_converging"]

NOT_REACHED = -1
"""Marks a trial that does not finish within the simulated horizon."""

REACH_TOLERANCE = 1e-6
"""Cumulative progress within a millionth of a case of the target counts as reaching it
(absorbs floating-point rounding when per-FTE rates are multiplied back by FTE)."""

FIRST_CHUNK_WEEKS = 13

NOT_CONVERGING_MESSAGE = (
    "Scope is growing as fast as assessments are completed: at this rate the work does not finish."
)
DONE_MESSAGE = "Every case in scope has been assessed."


@dataclass(frozen=True)
class Forecast:
    """When the remaining cases will be assessed, from a Monte Carlo of recent weeks.

    Dates are week-granular: ``as_of + 7 * weeks``. ``week_counts[k]`` is the number of
    trials that finish in week k after ``as_of`` (empty unless status is "ok");
    ``not_finished`` trials did not finish within ``max_weeks`` and are counted as
    later than every date (a quantile that falls among them is None).
    """

    as_of: date
    target: date
    remaining: int
    window_weeks: int
    trials: int
    seed: int
    status: Status
    message: str
    p50: date | None
    p85: date | None
    p95: date | None
    prob_by_target: float | None
    weeks_p50: int | None
    weeks_p85: int | None
    weeks_p95: int | None
    mean_weekly_throughput: float | None
    mean_weekly_net_progress: float | None
    week_counts: tuple[int, ...]
    not_finished: int
    max_weeks: int

    def distribution(self) -> pd.DataFrame:
        """One row per week in which some trial finishes: week_ending, trials, share, cumulative_share."""
        counts = np.asarray(self.week_counts, dtype=np.int64)
        weeks = np.nonzero(counts)[0]
        total = max(self.trials, 1)
        return pd.DataFrame(
            {
                "week_ending": [self.as_of + timedelta(days=7 * int(k)) for k in weeks],
                "trials": counts[weeks],
                "share": counts[weeks] / total,
                "cumulative_share": np.cumsum(counts)[weeks] / total,
            }
        )


@dataclass(frozen=True)
class CountForecast:
    """How many more assessments will be completed after ``as_of`` by date ``by``.

    Counts only whole weeks: ``weeks = (by - as_of).days // 7``. p85 is the count reached
    in at least 85% of trials (the 15th percentile), p95 the 5th percentile, p50 the median.
    """

    as_of: date
    by: date
    weeks: int
    p50: int | None
    p85: int | None
    p95: int | None
    trials: int
    seed: int
    message: str


@dataclass(frozen=True)
class Simulation:
    """Raw output of ``simulate_completion``.

    ``weeks``: completion week per trial (1-based; 0 if nothing remained; NOT_REACHED if not
    within max_weeks). ``cumulative``: cumulative net progress, trials x simulated weeks, or
    None when paths were not kept.
    """

    weeks: np.ndarray
    cumulative: np.ndarray | None


def chunk_sizes() -> Iterator[int]:
    """The fixed, endless schedule of weeks drawn per chunk: 13, 13, 26, 52, 104, ...

    The schedule never depends on the horizon, so the first W weeks of draws are the same
    whatever the horizon (a chunk that overruns the horizon is drawn whole and truncated).
    """
    drawn = 0
    while True:
        size = max(FIRST_CHUNK_WEEKS, drawn)
        yield size
        drawn += size


def sample_weekly(
    sample: np.ndarray, trials: int, weeks: int, rng: np.random.Generator
) -> np.ndarray:
    """Bootstrap draws (with replacement) from ``sample``: an array of trials x weeks."""
    sample = np.asarray(sample)
    if sample.size == 0:
        raise ValueError(
            "sample_weekly needs at least one week to sample from; the sample is empty"
        )
    index = rng.integers(0, sample.size, size=(trials, weeks))
    return sample[index]


def draw_schedule(
    sample: np.ndarray, trials: int, weeks: int, rng: np.random.Generator
) -> np.ndarray:
    """trials x weeks draws made chunk by chunk, exactly as ``simulate_completion`` makes them."""
    chunks: list[np.ndarray] = []
    drawn = 0
    for size in chunk_sizes():
        if drawn >= weeks:
            break
        chunks.append(sample_weekly(sample, trials, size, rng))
        drawn += size
    if not chunks:
        return np.zeros((trials, 0), dtype=np.asarray(sample).dtype)
    return np.concatenate(chunks, axis=1)[:, :weeks]


def _first_reach(cumulative: np.ndarray, remaining: float | np.ndarray) -> np.ndarray:
    """1-based first week in which cumulative >= remaining; 0 if remaining <= 0; else NOT_REACHED."""
    remaining = np.asarray(remaining, dtype=np.float64)
    threshold = remaining[:, None] if remaining.ndim else remaining
    reached = cumulative >= threshold - REACH_TOLERANCE
    weeks = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, NOT_REACHED)
    return np.where(remaining <= 0, 0, weeks).astype(np.int64)


def weeks_to_reach(progress: np.ndarray, remaining: float | np.ndarray) -> np.ndarray:
    """Weeks (1-based) until cumulative progress first reaches ``remaining``, per trial.

    ``progress`` is trials x weeks of net progress per week; ``remaining`` is a number or
    one per trial. 0 where nothing remains; NOT_REACHED (-1) where it is never reached.
    """
    return _first_reach(np.cumsum(progress, axis=1, dtype=np.float64), remaining)


def simulate_completion(
    remaining: float,
    draw: Callable[[int, int], np.ndarray],
    trials: int,
    max_weeks: int,
    *,
    keep_paths: bool = False,
) -> Simulation:
    """Run trials chunk by chunk until every trial finishes or max_weeks are simulated.

    ``draw(start_week, n_weeks)`` returns trials x n_weeks of net progress for weeks
    start_week+1 .. start_week+n_weeks. Every chunk of ``chunk_sizes()`` is drawn whole for
    every trial (the last one truncated at max_weeks), so the draws of the first W weeks do
    not depend on how long the simulation runs.
    """
    weeks = np.full(trials, NOT_REACHED, dtype=np.int64)
    carry = np.zeros(trials, dtype=np.float64)
    paths: list[np.ndarray] = []
    start = 0
    for size in chunk_sizes():
        if start >= max_weeks:
            break
        progress = np.array(draw(start, size)[:, : max_weeks - start], dtype=np.float64)
        size = progress.shape[1]
        progress[:, 0] += carry
        cumulative = np.cumsum(progress, axis=1)
        reached = _first_reach(cumulative, remaining)
        newly = (weeks == NOT_REACHED) & (reached != NOT_REACHED)
        weeks[newly] = start + reached[newly]
        carry = cumulative[:, -1]
        if keep_paths:
            paths.append(cumulative)
        start += size
        if not (weeks == NOT_REACHED).any():
            break
    cumulative_paths = np.concatenate(paths, axis=1) if keep_paths and paths else None
    return Simulation(weeks=weeks, cumulative=cumulative_paths)


def week_counts(weeks: np.ndarray) -> tuple[tuple[int, ...], int]:
    """Trials finishing in each week (index = week) and the number not finished."""
    finished = weeks[weeks != NOT_REACHED]
    counts = np.bincount(finished) if finished.size else np.zeros(0, dtype=np.int64)
    return tuple(int(c) for c in counts), int(weeks.size - finished.size)


def weeks_quantile(weeks: np.ndarray, confidence: float) -> int | None:
    """Smallest week k with P(finished by week k) >= confidence; None if not within the horizon."""
    needed = math.ceil(confidence * weeks.size - 1e-9)
    finished = np.sort(weeks[weeks != NOT_REACHED])
    if needed > finished.size:
        return None
    return int(finished[max(needed, 1) - 1])


def _reached_index(n: int, confidence: float) -> int:
    return min(n - 1, math.floor(round((1.0 - confidence) * n, 9)))


def reached_with(values: np.ndarray, confidence: float, axis: int = 0) -> np.ndarray:
    """The largest x with P(value >= x) >= confidence, along ``axis`` (e.g. 0.85 -> 15th pct)."""
    return reached_with_each(values, (confidence,), axis)[0]


def reached_with_each(
    values: np.ndarray, confidences: Sequence[float], axis: int = 0
) -> list[np.ndarray]:
    """``reached_with`` for several confidences, with one partial sort."""
    n = values.shape[axis]
    indices = [_reached_index(n, c) for c in confidences]
    ordered = np.partition(values, sorted(set(indices)), axis=axis)
    return [np.take(ordered, i, axis=axis) for i in indices]


def prob_within(weeks: np.ndarray, limit_weeks: int) -> float:
    """Share of trials finished within ``limit_weeks`` weeks (0.0 if the limit is negative)."""
    if limit_weeks < 0:
        return 0.0
    return float(((weeks != NOT_REACHED) & (weeks <= limit_weeks)).mean())


def unfinished_note(not_finished: int, trials: int, max_weeks: int) -> str:
    """Plain words for trials that do not finish within the horizon, or ''."""
    if not_finished == 0:
        return ""
    share = not_finished / trials
    pct = "fewer than 1%" if share < 0.005 else f"{share:.0%}"
    return f"In {pct} of trials the work does not finish within {horizon_phrase(max_weeks)}."


def _as_counts(values: Sequence[int] | np.ndarray, name: str, *, signed: bool) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of weekly counts, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, got {array.dtype}")
    if array.size and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has a missing or infinite value: {array.tolist()}")
    if not signed and array.size and (array < 0).any():
        week = int(np.argmax(array < 0)) + 1
        raise ValueError(
            f"{name} has a negative count ({array[week - 1]}) in week {week} of the window; "
            "completed assessments cannot be negative"
        )
    return array


def _check_trials(trials: int, max_weeks: int | None = None) -> None:
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    if max_weeks is not None and max_weeks < 1:
        raise ValueError(f"max_weeks must be at least 1, got {max_weeks}")


def _cannot_forecast_message(sample_size: int) -> str:
    if sample_size == 0:
        return "Cannot forecast: there are no weekly completion counts to sample from."
    return (
        f"Cannot forecast: no assessments were completed in the last {weeks_phrase(sample_size)}."
    )


def target_passed_message(target: date) -> str:
    return f"The target date ({long_date(target)}) has passed."


def forecast_completion(
    remaining: int,
    weekly_throughput: Sequence[int],
    as_of: date,
    target: date,
    *,
    weekly_scope_change: Sequence[int] | None = None,
    trials: int = 10_000,
    seed: int = 0,
    max_weeks: int = 520,
) -> Forecast:
    """Monte Carlo completion dates for ``remaining`` cases, week-granular from ``as_of``.

    ``weekly_throughput``: completed assessments in each recent week (the window).
    ``weekly_scope_change``: cases added minus removed in the same weeks; sampled paired
    with throughput (the same week is drawn for both). Trials not finished within
    ``max_weeks`` count as "not within N years".
    """
    _check_trials(trials, max_weeks)
    throughput = _as_counts(weekly_throughput, "weekly_throughput", signed=False)
    window = int(throughput.size)
    net = throughput
    if weekly_scope_change is not None and len(weekly_scope_change) > 0:
        scope = _as_counts(weekly_scope_change, "weekly_scope_change", signed=True)
        if scope.size != throughput.size:
            raise ValueError(
                f"weekly_scope_change has {scope.size} weeks but weekly_throughput has "
                f"{throughput.size}; pass both for the same weeks"
            )
        net = throughput - scope

    def result(status: Status, message: str, **values: object) -> Forecast:
        fields: dict[str, object] = {
            "p50": None,
            "p85": None,
            "p95": None,
            "prob_by_target": None,
            "weeks_p50": None,
            "weeks_p85": None,
            "weeks_p95": None,
            "mean_weekly_throughput": float(throughput.mean()) if window else None,
            "mean_weekly_net_progress": float(net.mean()) if window else None,
            "week_counts": (),
            "not_finished": 0,
        }
        fields.update(values)
        return Forecast(
            as_of=as_of,
            target=target,
            remaining=int(remaining),
            window_weeks=window,
            trials=trials,
            seed=seed,
            status=status,
            message=message,
            max_weeks=max_weeks,
            **fields,  # type: ignore[arg-type]
        )

    if remaining <= 0:
        return result(
            "done",
            DONE_MESSAGE,
            p50=as_of,
            p85=as_of,
            p95=as_of,
            prob_by_target=1.0 if as_of <= target else None,
            weeks_p50=0,
            weeks_p85=0,
            weeks_p95=0,
        )
    if window == 0 or throughput.sum() == 0:
        return result("cannot_forecast", _cannot_forecast_message(window))
    if net.mean() <= 0:
        return result("not_converging", NOT_CONVERGING_MESSAGE)

    rng = np.random.default_rng(seed)
    sim = simulate_completion(
        remaining, lambda _start, n: sample_weekly(net, trials, n, rng), trials, max_weeks
    )
    counts, not_finished = week_counts(sim.weeks)
    quantiles = {c: weeks_quantile(sim.weeks, c) for c in (0.50, 0.85, 0.95)}
    target_weeks = (target - as_of).days // 7
    notes = []
    if as_of > target:
        notes.append(target_passed_message(target))
    notes.append(unfinished_note(not_finished, trials, max_weeks))

    def when(weeks: int | None) -> date | None:
        return None if weeks is None else as_of + timedelta(days=7 * weeks)

    return result(
        "ok",
        " ".join(n for n in notes if n),
        p50=when(quantiles[0.50]),
        p85=when(quantiles[0.85]),
        p95=when(quantiles[0.95]),
        prob_by_target=0.0 if as_of > target else prob_within(sim.weeks, target_weeks),
        weeks_p50=quantiles[0.50],
        weeks_p85=quantiles[0.85],
        weeks_p95=quantiles[0.95],
        week_counts=counts,
        not_finished=not_finished,
    )


def how_many_by(
    weekly_throughput: Sequence[int],
    as_of: date,
    by: date,
    *,
    trials: int = 10_000,
    seed: int = 0,
) -> CountForecast:
    """How many more assessments will be completed in the whole weeks from ``as_of`` to ``by``."""
    _check_trials(trials)
    throughput = _as_counts(weekly_throughput, "weekly_throughput", signed=False)
    weeks = max(0, (by - as_of).days // 7)

    def result(p50: int | None, p85: int | None, p95: int | None, message: str) -> CountForecast:
        return CountForecast(as_of, by, weeks, p50, p85, p95, trials, seed, message)

    if throughput.size == 0 or throughput.sum() == 0:
        return result(None, None, None, _cannot_forecast_message(int(throughput.size)))
    if weeks == 0:
        return result(0, 0, 0, f"{long_date(by)} is less than a week after {long_date(as_of)}.")
    rng = np.random.default_rng(seed)
    totals = draw_schedule(throughput, trials, weeks, rng).sum(axis=1)
    p50, p85, p95 = (int(x) for x in reached_with_each(totals, (0.50, 0.85, 0.95)))
    return result(p50, p85, p95, "")


FAN_BANDS = {"p05": 0.05, "p15": 0.15, "p50": 0.50, "p85": 0.85, "p95": 0.95}


def forecast_fan(
    assessed_now: int,
    weekly_throughput: Sequence[int],
    as_of: date,
    weeks: int,
    *,
    trials: int = 10_000,
    seed: int = 0,
    cap: int | None = None,
) -> pd.DataFrame:
    """Bands of cumulative assessed per future week, for a burn-up fan chart.

    One row per week ending, from ``as_of`` (week 0, the actual figure) to ``as_of + 7 *
    weeks``. Columns p05, p15, p50, p85, p95: the cumulative count reached with that
    confidence (p95 is the low, cautious line; p05 the high one). Totals are capped at
    ``cap`` (cases in scope) when given. With no weeks to sample from, only week 0 is
    returned. With the same seed the p50/p85/p95 lines cross the scope line in the weeks of
    ``forecast_completion``'s p50/p85/p95 dates (when scope does not change).
    """
    _check_trials(trials)
    throughput = _as_counts(weekly_throughput, "weekly_throughput", signed=False)
    horizon = max(0, int(weeks)) if throughput.size else 0
    rng = np.random.default_rng(seed)
    cumulative = np.full((trials, horizon + 1), float(assessed_now))
    if horizon:
        cumulative[:, 1:] += np.cumsum(draw_schedule(throughput, trials, horizon, rng), axis=1)
    if cap is not None:
        cumulative = np.minimum(cumulative, cap)
    frame = pd.DataFrame(
        {"week_ending": [as_of + timedelta(days=7 * k) for k in range(horizon + 1)]}
    )
    bands = reached_with_each(cumulative, list(FAN_BANDS.values()), axis=0)
    for column, band in zip(FAN_BANDS, bands, strict=True):
        frame[column] = band.astype(np.int64)
    return frame
