"""Speed of the planning model on a folder of snapshots: `python -m bench.plan --folder DIR`.

Reads every snapshot's PlanInput once (the reader is timed separately), finds the slowest
snapshot for ``run_plan`` at 10,000 trials, then times there: the headline (run_plan), the fan,
a scenario with extra officers, the officers finder, why it moved (against the week before),
and rebuilding the whole track record (run_plan at every snapshot).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import numpy as np

from bench.measure import Stats, time_runs, timed
from reassess.config import programme
from reassess.figures.plan import plan_input
from reassess.model.finder import find_officers
from reassess.model.levers import Levers
from reassess.model.movement import why_moved
from reassess.model.plan import run_plan
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database


def fmt(stats: Stats) -> str:
    s = stats.scaled(1000)
    return f"median {s.median:.1f} ms (IQR {s.q1:.1f}-{s.q3:.1f}, min {s.min:.1f}, max {s.max:.1f}, n={s.n})"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plan", description=__doc__.splitlines()[0])
    p.add_argument("--folder", type=Path, required=True, help="a data folder or its snapshots/")
    p.add_argument("--trials", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args(argv)
    snapdir = args.folder / "snapshots" if (args.folder / "snapshots").is_dir() else args.folder
    snaps = list_snapshots(snapdir).snapshots
    db, prog = Database(), programme()
    read = []
    inputs = []
    for snap in snaps:
        seconds, inp = timed(partial(plan_input, db, snap, prog, "planner"))
        read.append(seconds)
        inputs.append(replace(inp, settings=replace(inp.settings, trials=args.trials)))
    # The slowest snapshot is the one whose trials simulate the most weeks (a single timing on
    # a shared machine is too noisy to pick it).
    plans = [run_plan(inp) for inp in inputs]
    work = [int(np.where(p.finish_weeks < 0, p.max_weeks, p.finish_weeks).sum()) for p in plans]
    k = int(np.argmax(work))
    slow, plan = inputs[k], plans[k]
    print(f"{len(snaps)} snapshots in {snapdir}; {args.trials:,} trials")
    print(
        f"reader (plan_input), per snapshot, cached runner: median {1000 * sorted(read)[len(read) // 2]:.0f} ms"
    )
    print(
        f"slowest snapshot: {slow.as_of} (remaining {slow.remaining:,}, P95 week {plan.weeks_p95})"
    )
    print(f"run_plan (headline): {fmt(time_runs(lambda: run_plan(slow), args.runs, warmup=2))}")
    print(f"fan (on a run plan): {fmt(time_runs(lambda: plan.fan(), args.runs, warmup=1))}")
    extra = Levers(extra_officers=10)
    print(
        f"scenario, 10 extra officers: {fmt(time_runs(lambda: run_plan(slow, extra), args.runs))}"
    )
    target = plan.p50 or slow.as_of + timedelta(weeks=26)
    print(
        f"officers finder: {fmt(time_runs(lambda: find_officers(slow, target), max(3, args.runs // 4)))}"
    )
    if k > 0:
        before = inputs[k - 1]
        print(
            f"why it moved: {fmt(time_runs(lambda: why_moved(before, slow), max(3, args.runs // 4)))}"
        )
    started = time.perf_counter()
    for inp in inputs:
        run_plan(inp)
    print(
        f"track record rebuilt (run_plan at all {len(inputs)} snapshots): {time.perf_counter() - started:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
