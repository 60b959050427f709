"""Building the synthetic demo: weekly extracts written as CSV, each ingested like a real one."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

from reassess.config import Settings
from reassess.snapshot.ingest import ingest
from reassess.snapshot.listing import snapshot_path


@dataclass(frozen=True)
class DemoBuild:
    """What a demo build wrote."""

    snapshots: int
    skipped: int


def build_demo(
    cfg: Settings,
    *,
    seed: int = 42,
    through: date = date(2026, 6, 26),
    progress: bool | None = None,
) -> DemoBuild:
    """Write and ingest one synthetic extract per Friday; existing snapshots are left alone."""
    from reassess import demo

    if progress is None:
        progress = sys.stderr.isatty()
    weeks = demo.friday_as_ofs(date(2025, 11, 3), through)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(weeks), desc="building synthetic demo", unit=" week")
    written = skipped = 0
    try:
        for as_of, frames in demo.iter_weekly_extracts(seed=seed, through=through):
            if snapshot_path(cfg.snapshot_dir, as_of).exists():
                skipped += 1
            else:
                folder = cfg.extract_dir / as_of.isoformat()
                demo.write_extract(frames, folder)
                ingest(folder, as_of, cfg.snapshot_dir, synthetic=True, progress=False)
                written += 1
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return DemoBuild(written, skipped)
