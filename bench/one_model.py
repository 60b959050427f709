"""The one planning model's three speed targets: `python -m bench.one_model --folder DIR`.

- the model, 10,000 trials, at the slowest snapshot (the one whose trials simulate the most
  weeks): ``run_plan`` on its input (target under 50 ms);
- the overview warm at 1x: a rerun of pages/overview.py under AppTest on the latest snapshot
  after a first run (every figure cached as in a live session; target under 100 ms);
- rebuilding the whole track record for every snapshot: no ledger file, no cached input or
  plan, a fresh query runner; every snapshot's input read and forecast and the ledger written
  (target under 5 s).

Each is repeated ``--runs`` times; the median, quartiles and range are printed. The folder is
copied to a temporary one first, so its own ledger is never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.measure import Stats, summarise, time_runs
from reassess.config import programme
from reassess.figures.forecast import clear_cache, model_input
from reassess.figures.track_record import ledger_entries
from reassess.model.plan import run_plan
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database

ROOT = Path(__file__).resolve().parent.parent


def fmt(stats: Stats) -> str:
    s = stats.scaled(1000)
    return f"median {s.median:.1f} ms (IQR {s.q1:.1f}-{s.q3:.1f}, min {s.min:.1f}, max {s.max:.1f}, n={s.n})"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.one_model", description=__doc__.splitlines()[0]
    )
    p.add_argument("--folder", type=Path, required=True, help="a data folder (with snapshots/)")
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="reassess-bench-"))
    shutil.copytree(args.folder / "snapshots", work / "snapshots")
    os.environ["REASSESS_DATA_DIR"] = str(work)
    snaps = list_snapshots(work / "snapshots").snapshots
    prog = programme()
    db = Database()
    inputs = [model_input(db, s, prog) for s in snaps]
    inputs = [replace(i, settings=replace(i.settings, trials=10_000)) for i in inputs]
    plans = [run_plan(i) for i in inputs]
    weeks = [
        int(np.where(pl.finish_weeks < 0, pl.max_weeks, pl.finish_weeks).sum()) for pl in plans
    ]
    k = int(np.argmax(weeks))
    print(f"{len(snaps)} snapshots; slowest for the model: {snaps[k].label}")
    model = time_runs(lambda: run_plan(inputs[k]), args.runs * 2, warmup=2)
    print(f"model, 10,000 trials, slowest snapshot: {fmt(model)}")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=600)
    at.session_state["demo_role"] = "planner"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warm = time_runs(lambda: at.run(), args.runs * 2, warmup=1)
    print(f"overview warm at 1x (AppTest rerun, latest snapshot): {fmt(warm)}")

    ledger = work / "forecast_ledger.jsonl"
    rebuild = []
    for _ in range(max(3, args.runs // 2)):
        ledger.unlink(missing_ok=True)
        clear_cache()
        fresh = Database()
        started = time.perf_counter()
        entries = ledger_entries(fresh, snaps, prog, ledger)
        rebuild.append(time.perf_counter() - started)
        assert len(entries) == len(snaps)
    print(f"track record rebuilt, all {len(snaps)} snapshots: {fmt(summarise(rebuild))}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
