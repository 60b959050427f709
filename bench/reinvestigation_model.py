"""The coupled forecast's speed target: `python -m bench.reinvestigation_model [--folder DIR]`.

- the coupled model, 10,000 trials: ``run_coupled`` on a snapshot's measured input and the
  headline plan's weekly completions (target under 100 ms), at the earliest, a middle and the
  latest snapshot of the folder;
- for context, not part of the target: the headline plan's completions for the 12 months
  (``Plan.completions``, paid once per plan and shared by every lever setting), and the whole
  ``coupled_plan`` cold (queries, headline forecast and the coupled model, no cache).

Without ``--folder`` the synthetic demo to 26 June 2026 is built into a temporary folder first.
Each is repeated ``--runs`` times; the median, quartiles and range are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path

from bench.measure import Stats, time_runs
from reassess.config import programme, settings
from reassess.figures.forecast import clear_cache, headline
from reassess.figures.reinvestigation_plan import coupled_plan, reinvestigation_input
from reassess.model.reinvestigation import run_coupled, weeks_for
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database

TARGET_MS = 100.0
DEMO_THROUGH = date(2026, 6, 26)


def fmt(stats: Stats) -> str:
    s = stats.scaled(1000)
    return (
        f"median {s.median:.1f} ms (IQR {s.q1:.1f}-{s.q3:.1f}, min {s.min:.1f}, "
        f"max {s.max:.1f}, n={s.n})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.reinvestigation_model", description=__doc__.splitlines()[0]
    )
    p.add_argument("--folder", type=Path, help="a data folder (with snapshots/); default: build")
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="reassess-bench-"))
    os.environ["REASSESS_DATA_DIR"] = str(work)
    if args.folder is None:
        from reassess.demo.build import build_demo

        build_demo(settings(), seed=42, through=DEMO_THROUGH, progress=False)
    else:
        shutil.copytree(args.folder / "snapshots", work / "snapshots")
    snaps = list_snapshots(work / "snapshots").snapshots
    prog = programme()
    db = Database()
    picks = [snaps[0], snaps[len(snaps) // 2], snaps[-1]]
    met = True
    for snap in picks:
        plan = headline(db, snap, prog)
        inp = reinvestigation_input(db, snap, prog)
        weeks = weeks_for(snap.as_of)
        completions = plan.completions(weeks)
        model = time_runs(
            partial(run_coupled, inp, completions, trials=10_000), args.runs, warmup=2
        )
        met = met and model.median * 1000 < TARGET_MS
        extract = time_runs(partial(plan.completions, weeks), max(3, args.runs // 4))
        print(
            f"{snap.label}: {inp.referred} referred, {inp.open_now} open, "
            f"{plan.trials:,} plan trials"
        )
        print(f"  coupled model, 10,000 trials: {fmt(model)}")
        print(f"  headline completions for the 12 months (context): {fmt(extract)}")

    def cold() -> None:
        clear_cache()
        coupled_plan(Database(), snaps[-1], programme=prog)

    whole = time_runs(cold, max(3, args.runs // 4))
    print(f"coupled_plan cold, latest snapshot (queries + headline + model): {fmt(whole)}")
    print(
        f"target (coupled model under {TARGET_MS:.0f} ms at every snapshot): {'met' if met else 'NOT met'}"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
