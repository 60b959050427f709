"""Timing helpers: run something several times, report median, min, max and IQR."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stats:
    """Summary of several timed runs, in seconds (or any one unit)."""

    n: int
    median: float
    min: float
    max: float
    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    def scaled(self, factor: float) -> Stats:
        """The same summary in another unit (e.g. factor 1000 for ms)."""
        return Stats(
            self.n,
            self.median * factor,
            self.min * factor,
            self.max * factor,
            self.q1 * factor,
            self.q3 * factor,
        )


def summarise(samples: Sequence[float]) -> Stats:
    """Median, min, max and quartiles (inclusive method) of one or more samples."""
    values = sorted(float(v) for v in samples)
    if not values:
        raise ValueError("summarise needs at least one sample; got none")
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Stats(len(values), statistics.median(values), values[0], values[-1], q1, q3)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes (perf_counter, garbage collection run beforehand), and its value."""
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def time_runs(
    fn: Callable[[], Any],
    runs: int,
    *,
    setup: Callable[[], Any] | None = None,
    warmup: int = 0,
) -> Stats:
    """Call fn `warmup` times untimed, then `runs` times timed (setup before each, untimed)."""
    if runs < 1:
        raise ValueError(f"runs must be 1 or more; got {runs}")
    for _ in range(warmup):
        if setup is not None:
            setup()
        fn()
    samples = []
    for _ in range(runs):
        if setup is not None:
            setup()
        seconds, _ = timed(fn)
        samples.append(seconds)
    return summarise(samples)


def fmt_ms(seconds: float) -> str:
    """Seconds as a short millisecond figure: '0.42 ms', '12.3 ms', '1,234 ms'."""
    ms = seconds * 1000
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    return f"{ms:,.0f} ms"


def fmt_seconds(seconds: float) -> str:
    """Seconds as '0.31 s', '12.4 s' or '1,234 s'."""
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 1000:
        return f"{seconds:.1f} s"
    return f"{seconds:,.0f} s"


def fmt_bytes(n: float) -> str:
    """Bytes as '512 B', '3.4 MB', '1.2 GB' (powers of 1024)."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def fmt_stats_ms(s: Stats) -> str:
    """'412 (IQR 30; 380–450)' in milliseconds, for a table cell (median first, parseable)."""
    ms = s.scaled(1000)
    return f"{_num(ms.median)} (IQR {_num(ms.iqr)}; {_num(ms.min)}–{_num(ms.max)})"


def _num(ms: float) -> str:
    if ms < 10:
        return f"{ms:.2f}"
    if ms < 100:
        return f"{ms:.1f}"
    return f"{ms:,.0f}"
