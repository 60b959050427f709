"""A scaled synthetic programme: the demo's weekly extract repeated N times, ingested for real.

Copy k of every case, officer and abstraction gets the suffix ``-Xkkk`` on its reference, and
copy k of a team becomes ``<team> / unit kkk``, so an N-times programme has N times the cases,
officers, teams and abstractions of the demo, all distinct, with the demo's dates and mixes.
Extracts are written as CSV and ingested by ``reassess.snapshot.ingest.ingest``, exactly as a real
extract is, into a temporary folder (never ./data).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from bench.measure import Stats, summarise
from reassess import demo
from reassess.demo.calendar import fridays
from reassess.snapshot.ingest import check_extract, ingest
from reassess.snapshot.listing import snapshot_path

SEED = 42
THROUGH = date(2026, 6, 26)
PROGRAMME_START = date(2025, 11, 3)
REF_COLUMNS = {
    "cases": ("case_ref", "officer_ref"),
    "officers": ("officer_ref",),
    "abstractions": ("officer_ref",),
}


@dataclass(frozen=True)
class ScaleBuild:
    """One scale's data folder and what building it cost."""

    factor: int
    data_dir: Path
    weeks: tuple[date, ...]  # the as-of dates ingested, oldest first
    build_seconds: float  # writing every extract and ingesting every week, once
    ingest: Stats  # seconds to ingest the latest week (with every earlier snapshot present)
    validate_seconds: float  # of which: reading and validating the latest extract (one run)
    cases: int  # cases in the latest extract
    officers: int
    abstractions: int
    extract_bytes: int  # the latest extract's CSV files
    snapshot_bytes: int  # the latest snapshot file
    folder_bytes: int  # every snapshot of this scale
    read_csv: Stats | None = None  # DuckDB's own read_csv of the same files, in the same runs

    @property
    def ingest_ratio(self) -> float | None:
        """Ingest's median over read_csv's median: what validation and writing cost on top."""
        return self.ingest.median / self.read_csv.median if self.read_csv else None


def all_weeks() -> list[date]:
    """Every Friday of the benchmarked demo programme (34 weeks)."""
    return fridays(PROGRAMME_START, THROUGH)


Weekly = dict[date, dict[str, pd.DataFrame]]


def weekly_tables(weeks: Sequence[date] | None = None) -> Weekly:
    """The demo's extract tables for the given Fridays (default: every benchmarked week)."""
    wanted = set(weeks if weeks is not None else all_weeks())
    return {
        e.as_of: e.tables for e in demo.iter_weekly_extracts(SEED, max(wanted)) if e.as_of in wanted
    }


def scale_frames(frames: dict[str, pd.DataFrame], factor: int) -> dict[str, pd.DataFrame]:
    """The extract repeated `factor` times with every reference and team made unique per copy."""
    if factor < 1:
        raise ValueError(f"the scale factor must be 1 or more; got {factor}")
    if factor == 1:
        return {name: frame.copy() for name, frame in frames.items()}
    out: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        n = len(frame)
        big = pd.concat([frame] * factor, ignore_index=True)
        copy = np.repeat(np.arange(factor), n)
        ref_tags = pd.Series([f"-X{k:03d}" for k in copy], dtype=object)
        for column in REF_COLUMNS.get(name, ()):
            big[column] = _suffixed(big[column], ref_tags)
        if "team" in big.columns:
            team_tags = pd.Series([f" / unit {k:03d}" for k in copy], dtype=object)
            big["team"] = _suffixed(big["team"], team_tags)
        out[name] = big
    return out


def _suffixed(values: pd.Series, tags: pd.Series) -> pd.Series:
    """Each non-missing value with its copy's tag appended; missing values stay missing."""
    out = values.astype(object).copy()
    present = out.notna().to_numpy()
    out[present] = out[present].astype(str) + tags[present]
    return out


def folder_bytes(folder: Path, pattern: str = "*") -> int:
    """Total size of the files in a folder matching a pattern."""
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file())


def _ingest_with_history(
    extract: Path, as_of: date, snapshot_dir: Path, scratch: Path
) -> tuple[float, Path]:
    """Ingest into a scratch folder holding hard links of every earlier snapshot; seconds, file."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    for earlier in snapshot_dir.glob("*.duckdb"):
        if earlier.name < f"{as_of.isoformat()}.duckdb":
            os.link(earlier, scratch / earlier.name)
    start = time.perf_counter()
    result = ingest(extract, as_of, scratch, synthetic=True, progress=False)
    return time.perf_counter() - start, result.path


def read_csv_seconds(folder: Path) -> float:
    """DuckDB's own read_csv (types detected) of every CSV of an extract into memory."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(":memory:", config={"threads": 2})
    try:
        for path in sorted(folder.glob("*.csv")):
            con.execute(f"create table t_{path.stem} as select * from read_csv(?)", [str(path)])  # noqa: S608
    finally:
        con.close()
    return time.perf_counter() - start


def measure_latest_ingest(
    extract: Path, as_of: date, snapshot_dir: Path, runs: int
) -> tuple[list[float], float, list[float]]:
    """Ingest the latest week `runs` times beside every earlier snapshot; publish the first.

    Each run is preceded by DuckDB's own read_csv of the same files, so the two are measured
    under the same load. Returns the seconds of each ingest, the seconds one read-and-validate
    of the extract takes, and the seconds of each read_csv.
    """
    samples: list[float] = []
    reads: list[float] = []
    for k in range(runs):
        reads.append(read_csv_seconds(extract))
        scratch = snapshot_dir.parent / f"scratch-{k}"
        seconds, made = _ingest_with_history(extract, as_of, snapshot_dir, scratch)
        samples.append(seconds)
        final = snapshot_path(snapshot_dir, as_of)
        if not final.exists():
            os.link(made, final)
        shutil.rmtree(scratch)
    start = time.perf_counter()
    check_extract(extract, as_of)
    return samples, time.perf_counter() - start, reads


def build_scale(
    root: Path,
    factor: int,
    weeks: Sequence[date],
    *,
    ingest_runs: int,
    programme: Weekly | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> ScaleBuild:
    """Write and ingest the scaled extract of each week into root/<factor>x; measure the last."""
    weeks = sorted(weeks)
    if not weeks:
        raise ValueError("build_scale needs at least one week to ingest")
    data_dir = root / f"{factor}x"
    snapshot_dir = data_dir / "snapshots"
    extract_dir = data_dir / "extracts"
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    prog = programme if programme is not None else weekly_tables(weeks)
    start = time.perf_counter()
    latest_frames: dict[str, pd.DataFrame] = {}
    for i, as_of in enumerate(weeks):
        frames = scale_frames(prog[as_of], factor)
        folder = extract_dir / as_of.isoformat()
        demo.write_extract(frames, folder)
        if as_of == weeks[-1]:
            latest_frames = frames
            break
        ingest(folder, as_of, snapshot_dir, synthetic=True, progress=False)
        log(f"  {factor}x: ingested {as_of} ({i + 1}/{len(weeks)})")
    build_seconds = time.perf_counter() - start
    latest = weeks[-1]
    folder = extract_dir / latest.isoformat()
    samples, validate_seconds, reads = measure_latest_ingest(
        folder, latest, snapshot_dir, ingest_runs
    )
    build_seconds += samples[0]
    log(f"  {factor}x: ingested {latest} ({len(weeks)}/{len(weeks)}), {ingest_runs} timed runs")
    return ScaleBuild(
        factor=factor,
        data_dir=data_dir,
        weeks=tuple(weeks),
        build_seconds=build_seconds,
        ingest=summarise(samples),
        validate_seconds=validate_seconds,
        cases=len(latest_frames["cases"]),
        officers=len(latest_frames["officers"]),
        abstractions=len(latest_frames.get("abstractions", ())),
        extract_bytes=folder_bytes(folder, "*.csv"),
        snapshot_bytes=snapshot_path(snapshot_dir, latest).stat().st_size,
        folder_bytes=folder_bytes(snapshot_dir, "*.duckdb"),
        read_csv=summarise(reads),
    )


def build_demo_scale(
    root: Path,
    *,
    demo_runs: int,
    ingest_runs: int,
    log: Callable[[str], None] = lambda _msg: None,
) -> tuple[ScaleBuild, Stats]:
    """The 1x programme built by the real demo builder (timed), then its latest ingest measured."""
    from reassess.config import Settings
    from reassess.demo import build_demo

    data_dir = root / "1x"
    samples: list[float] = []
    for k in range(demo_runs):
        target = data_dir if k == 0 else root / f"demo-run-{k}"
        cfg = Settings(data_dir=target, demo_role=None)
        start = time.perf_counter()
        build_demo(cfg, seed=SEED, through=THROUGH, progress=False)
        samples.append(time.perf_counter() - start)
        log(f"  1x: whole demo built in {samples[-1]:.1f} s (run {k + 1}/{demo_runs})")
        if k > 0:
            shutil.rmtree(target)
    weeks = all_weeks()
    snapshot_dir = data_dir / "snapshots"
    latest = weeks[-1]
    folder = data_dir / "extracts" / latest.isoformat()
    ingests, validate_seconds, reads = measure_latest_ingest(
        folder, latest, snapshot_dir, ingest_runs
    )
    frames = {p.stem: pd.read_csv(p) for p in folder.glob("*.csv")}
    build = ScaleBuild(
        factor=1,
        data_dir=data_dir,
        weeks=tuple(weeks),
        build_seconds=samples[0],
        ingest=summarise(ingests),
        validate_seconds=validate_seconds,
        cases=len(frames["cases"]),
        officers=len(frames["officers"]),
        abstractions=len(frames.get("abstractions", ())),
        extract_bytes=folder_bytes(folder, "*.csv"),
        snapshot_bytes=snapshot_path(snapshot_dir, latest).stat().st_size,
        folder_bytes=folder_bytes(snapshot_dir, "*.duckdb"),
        read_csv=summarise(reads),
    )
    return build, summarise(samples)


_STARTED = time.monotonic()


def progress_log(message: str) -> None:
    """Progress lines, with minutes since start, go to stderr so the printed table stays clean."""
    elapsed = time.monotonic() - _STARTED
    print(f"[{elapsed / 60:5.1f} min] {message}", file=sys.stderr, flush=True)
