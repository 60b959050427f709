"""Building the demo: one extract per Friday, written as CSV and ingested like a real one."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reassess.config import Settings
from reassess.demo.calendar import first_friday, last_friday_on_or_before
from reassess.demo.extracts import Extract, take, write_extract
from reassess.demo.simulation import DemoSettings, Simulation
from reassess.snapshot.listing import list_snapshots, snapshot_path

DEFAULT_SEED = 42


class DemoError(Exception):
    """The demo cannot be built as asked; the message is one line saying how to fix it."""


@dataclass(frozen=True)
class DemoBuild:
    """What a demo build did, and where its time went (seconds)."""

    through: date
    snapshots: int
    skipped: int
    generate_seconds: float  # simulating and building the extracts' tables
    write_seconds: float  # writing the CSV files
    ingest_seconds: float


def default_through(today: date | None = None) -> date:
    """The last Friday on or before today (the only use of the wall clock in the demo)."""
    return last_friday_on_or_before(today or date.today())


def resolve_through(text: str | date | None, today: date | None = None) -> date:
    """The `--through` date as given (YYYY-MM-DD), checked; the default when None."""
    today = today or date.today()
    start = DemoSettings.from_programme().start
    first = first_friday(start)
    if text is None:
        through = default_through(today)
    elif isinstance(text, date):
        through = text
    else:
        try:
            through = date.fromisoformat(text.strip())
        except ValueError:
            raise DemoError(
                f"--through {text!r} is not a date; write it as YYYY-MM-DD, e.g. "
                f"{default_through(today).isoformat()}"
            ) from None
    if through < first:
        raise DemoError(
            f"--through {through.isoformat()} is before the first weekly extract "
            f"({first.isoformat()}); give a date from {first.isoformat()} to {today.isoformat()}"
        )
    if through > today:
        raise DemoError(
            f"--through {through.isoformat()} is in the future; the demo runs to today at the "
            f"latest (give a date up to {today.isoformat()}, or leave --through out)"
        )
    return last_friday_on_or_before(through)


def iter_weekly_extracts(
    seed: int = DEFAULT_SEED, through: date | None = None
) -> Iterator[Extract]:
    """One extract per Friday from the first through `through` (default: last Friday)."""
    through = through or default_through()
    sim = Simulation(seed)
    while True:
        friday = sim.run_week()
        if friday > through:
            return
        yield take(sim)


def extract_on(as_of: date, seed: int = DEFAULT_SEED) -> Extract:
    """The single extract for one Friday (the simulation is run up to it)."""
    last: Extract | None = None
    for extract in iter_weekly_extracts(seed, as_of):
        last = extract
    if last is None or last.as_of != as_of:
        raise ValueError(f"{as_of.isoformat()} is not a Friday of the demo programme")
    return last


def write_demo_extracts(folder: Path, *, seed: int = DEFAULT_SEED, through: date) -> list[date]:
    """Write every weekly extract as folder/<as-of>/*.csv, nothing ingested; the as-of dates."""
    written: list[date] = []
    for extract in iter_weekly_extracts(seed, through):
        write_extract(extract.tables, folder / extract.as_of.isoformat())
        written.append(extract.as_of)
    return written


def check_data_folder(cfg: Settings) -> None:
    """Refuse a data folder that holds real (non-synthetic) snapshots or extracts."""
    listing = list_snapshots(cfg.snapshot_dir)
    real = [s.label for s in listing.snapshots if not s.synthetic]
    if real:
        raise DemoError(
            f"{cfg.snapshot_dir} holds {len(real)} real (non-synthetic) snapshot(s), from "
            f"{real[0]}; the demo never writes beside real data: set REASSESS_DATA_DIR to an "
            "empty folder for the demo"
        )
    if listing.broken:
        raise DemoError(
            f"{cfg.snapshot_dir} holds files that are not readable snapshots "
            f"({listing.broken[0].path.name}); the demo cannot tell whether they are real data: "
            "set REASSESS_DATA_DIR to an empty folder for the demo"
        )
    if cfg.extract_dir.is_dir():
        for cases in sorted(cfg.extract_dir.glob("*/cases.csv")):
            with cases.open(encoding="utf-8", errors="replace") as fh:
                fh.readline()
                first = fh.readline()
            if first and not first.startswith("SYN-"):
                raise DemoError(
                    f"{cases.parent} holds an extract that is not synthetic; the demo never "
                    "writes beside real data: set REASSESS_DATA_DIR to an empty folder for the demo"
                )


def build_demo(
    cfg: Settings,
    *,
    seed: int = DEFAULT_SEED,
    through: date | None = None,
    progress: bool | None = None,
) -> DemoBuild:
    """Write and ingest one synthetic extract per Friday; snapshots already there are kept."""
    from reassess.snapshot.ingest import ingest

    through = through or default_through()
    check_data_folder(cfg)
    if progress is None:
        progress = sys.stderr.isatty()
    bar = None
    if progress:
        from tqdm import tqdm

        weeks = (through - first_friday(DemoSettings.from_programme().start)).days // 7 + 1
        bar = tqdm(total=weeks, desc="building synthetic demo", unit=" week")
    generate = write = load = 0.0
    written = skipped = 0
    try:
        clock = time.perf_counter()
        for extract in iter_weekly_extracts(seed, through):
            now = time.perf_counter()
            generate += now - clock
            if snapshot_path(cfg.snapshot_dir, extract.as_of).exists():
                skipped += 1
            else:
                folder = cfg.extract_dir / extract.as_of.isoformat()
                write_extract(extract.tables, folder)
                wrote = time.perf_counter()
                write += wrote - now
                ingest(folder, extract.as_of, cfg.snapshot_dir, synthetic=True, progress=False)
                load += time.perf_counter() - wrote
                written += 1
            if bar is not None:
                bar.update(1)
            clock = time.perf_counter()
    finally:
        if bar is not None:
            bar.close()
    return DemoBuild(through, written, skipped, generate, write, load)
