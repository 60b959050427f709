"""Backtest of the planning model: `python -m bench.backtest [options]`.

At every weekly snapshot from the 6th until the work is complete, forecast, then compare with
when the work actually finished: P50/P85/P95 coverage, median and worst P50 error. Programmes:
the synthetic ones of bench/programmes.py (a day-level team simulation, not the model's
formula), and any folder of snapshots (``--folder``, e.g. a REASSESS_DATA_DIR built by
`python -m reassess demo --through 2026-09-25`, so the demo runs to completion).

``--methods`` compares productivity processes of the model (local_level, local_trend,
level_only, iid). The old overview forecast (whole weeks of raw completions bootstrapped from
the window, ``raw`` in docs/forecasting.md) was removed when every page moved to this model;
its figures there are as measured before.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.programmes import PROGRAMMES, backtest_cases, simulate, variants
from reassess.model.backtest import FIRST_SNAPSHOT, Case, Outcome, summarise, table
from reassess.model.inputs import PlanSettings

METHODS = ("learning", "local_level", "local_trend", "level_only", "iid")


def folder_cases(folder: Path, name: str, first: int = FIRST_SNAPSHOT) -> list[Case]:
    """Cases from a folder of snapshots (a data folder or its snapshots/ folder)."""
    from reassess.config import programme
    from reassess.figures.plan import track_record_cases
    from reassess.snapshot.listing import list_snapshots
    from reassess.snapshot.runner import Database

    snapdir = folder / "snapshots" if (folder / "snapshots").is_dir() else folder
    snaps = list_snapshots(snapdir).snapshots
    if not snaps:
        raise SystemExit(f"{snapdir} holds no snapshots")
    cases = track_record_cases(Database(), snaps, programme(), "planner", first=first)
    return [replace(c, programme=name) for c in cases]


def run(cases: Sequence[Case], method: str, trials: int, **overrides: Any) -> list[Outcome]:
    """Score every case with one method of the model."""
    from reassess.model.backtest import outcome
    from reassess.model.plan import run_plan

    out = []
    for case in cases:
        s: PlanSettings = replace(case.inp.settings, trials=trials, **overrides)
        c = replace(case, inp=replace(case.inp, settings=s))
        c = replace(c, inp=replace(c.inp, settings=replace(s, method=method)))
        out.append(outcome(c, run_plan(c.inp)))
    return out


PHASES = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))


def by_phase(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The outcomes relabelled by the share of the work done at their snapshot."""
    out = []
    for case, o in zip(cases, outcomes, strict=True):
        done = case.inp.assessed / case.inp.in_scope if case.inp.in_scope else 0.0
        lo, hi = next((a, b) for a, b in PHASES if a <= done < b or (b == 1.0 and done >= a))
        out.append(replace(o, programme=f"{lo:.0%}-{hi:.0%} done"))
    return sorted(out, key=lambda o: o.programme)


def synthetic_cases(seeds: int) -> list[Case]:
    """Every synthetic programme in ``seeds`` variants, run to completion."""
    cases: list[Case] = []
    for spec in PROGRAMMES:
        for v in variants(spec, seeds):
            cases.extend(backtest_cases(simulate(v)))
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.backtest", description=__doc__.splitlines()[0]
    )
    p.add_argument(
        "--seeds", type=int, default=3, help="variants of each synthetic programme (0: none)"
    )
    p.add_argument(
        "--folder",
        action="append",
        default=[],
        type=Path,
        help="a folder of snapshots (repeatable)",
    )
    p.add_argument(
        "--methods", default=PlanSettings().method, help=f"comma-separated: {', '.join(METHODS)}"
    )
    p.add_argument("--trials", type=int, default=2000)
    p.add_argument("--drift", type=float, default=None, help="productivity_drift_per_week")
    p.add_argument("--half-life", type=float, default=None, help="scope_growth_half_life_weeks")
    p.add_argument("--outcomes", action="store_true", help="print every snapshot's outcome")
    p.add_argument(
        "--effort", action="store_true", help="forecast units of work (forecast_effort_weighting)"
    )
    p.add_argument(
        "--phases",
        action="store_true",
        help="also pool by how far through the work each snapshot was",
    )
    args = p.parse_args(argv)
    started = time.perf_counter()
    cases = synthetic_cases(args.seeds) if args.seeds else []
    for folder in args.folder:
        cases.extend(folder_cases(folder, f"folder {folder.name}"))
    overrides: dict[str, object] = {}
    if args.drift is not None:
        overrides["drift_per_week"] = args.drift
    if args.half_life is not None:
        overrides["scope_half_life_weeks"] = args.half_life
    if args.effort:
        overrides["effort_weighting"] = True
    print(f"{len(cases)} snapshots ({time.perf_counter() - started:.1f} s to build)")
    for method in args.methods.split(","):
        t = time.perf_counter()
        outcomes = run(cases, method, args.trials, **overrides)
        print(f"\n### {method} ({time.perf_counter() - t:.1f} s)\n")
        print(table(summarise(outcomes)))
        if args.phases:
            print()
            print(table(summarise(by_phase(cases, outcomes))[:-1]))
        if args.outcomes:
            for o in outcomes:
                print(
                    f"{o.programme:>18} {o.as_of} actual {o.actual} p50 {o.p50} p85 {o.p85} "
                    f"p95 {o.p95} err {o.error_weeks}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["folder_cases", "main", "run", "synthetic_cases"]
