"""`python -m bench [--quick] [--scales 1,10,100] [--runs N] [--out docs/benchmarks.md]`."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bench import scale as scaling
from bench.domain import time_domain
from bench.measure import summarise, timed
from bench.pages import time_pages
from bench.queries import time_queries
from bench.report import (
    recorded_page_medians,
    regression_guard,
    render,
    write_report,
)
from bench.results import BenchResults, ScaleResult, load_average, machine_info
from bench.rollup import time_rollup
from bench.server import measure_memory

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
EARLY_SNAPSHOT = date(2026, 2, 6)  # far from done: the forecast's slow case
log = scaling.progress_log


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks at 1x, 10x and 100x the synthetic demo; writes docs/benchmarks.md.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI mode: 1x only, 3 runs, no browser or roll-up; exit 1 when a page takes more "
        "than 3x its median recorded in --out; the file is not rewritten",
    )
    parser.add_argument(
        "--scales", default="1,10,100", help="comma-separated factors (default 1,10,100)"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per measurement (default 5; quick 3)"
    )
    parser.add_argument(
        "--big-runs", type=int, default=3, help="runs per measurement at 100x and above (default 3)"
    )
    parser.add_argument(
        "--big-weeks",
        type=int,
        default=3,
        help="weeks ingested at 100x and above, the latest ones (default 3; 1x and 10x ingest all 34)",
    )
    parser.add_argument(
        "--demo-runs", type=int, default=2, help="whole-demo builds timed (default 2)"
    )
    parser.add_argument(
        "--forces", type=int, default=10, help="forces in the roll-up proof (default 10)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the server memory measurement"
    )
    parser.add_argument("--no-rollup", action="store_true", help="skip the national roll-up proof")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="the report (default docs/benchmarks.md)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="build the scaled data here and keep it (default: a temporary folder, removed)",
    )
    args = parser.parse_args(argv)
    try:
        args.factors = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    except ValueError:
        parser.error(
            f"--scales takes whole numbers separated by commas, e.g. 1,10,100; got {args.scales!r}"
        )
    if not args.factors or min(args.factors) < 1:
        parser.error(f"--scales needs factors of 1 or more; got {args.scales!r}")
    if args.quick:
        args.factors = [1]
        args.runs = args.runs or 3
        args.demo_runs = 1
        args.no_browser = True
        args.no_rollup = True
    args.runs = args.runs or 5
    if args.runs < 1 or args.big_runs < 1 or args.big_weeks < 1:
        parser.error("--runs, --big-runs and --big-weeks must be 1 or more")
    return args


def run_scale(
    root: Path,
    factor: int,
    args: argparse.Namespace,
    results: BenchResults,
    prog: scaling.Weekly | None,
) -> ScaleResult:
    """Build one scale's data, then measure listing, pages, queries, models and memory."""
    from reassess.snapshot.listing import _read_manifest, list_snapshots
    from reassess.snapshot.runner import Database

    big = factor >= 100
    runs = min(args.runs, args.big_runs) if big else args.runs
    load_start = load_average()
    log(f"{factor}x: building the data ({runs} runs per measurement)")
    if factor == 1:
        build, demo_stats = scaling.build_demo_scale(
            root, demo_runs=args.demo_runs, ingest_runs=runs, log=log
        )
        results.demo = demo_stats
    else:
        weeks = scaling.all_weeks()
        if big:
            weeks = weeks[-args.big_weeks :]
        build = scaling.build_scale(
            root,
            factor,
            weeks,
            ingest_runs=runs,
            programme=prog,
            log=log,
        )
    shutil.rmtree(build.data_dir / "extracts", ignore_errors=True)
    scale = ScaleResult(build)
    snapshot_dir = build.data_dir / "snapshots"

    def listing_cold() -> None:
        _read_manifest.cache_clear()
        list_snapshots(snapshot_dir)

    samples = [timed(listing_cold)[0] for _ in range(runs)]
    scale.listing = summarise(samples)
    listing = list_snapshots(snapshot_dir)
    log(f"{factor}x: pages under AppTest")
    scale.pages = time_pages(build.data_dir, runs, timeout=600 if big else 120, log=log)
    log(f"{factor}x: query layer")
    scale.queries = time_queries(listing, runs, fresh_runs=min(runs, 3), log=log)
    log(f"{factor}x: forecast and scenario")
    db = Database()
    assert listing.latest is not None
    scale.domain = time_domain(db, listing.latest, runs)
    early = listing.get(EARLY_SNAPSHOT)
    if factor == 1 and early is not None:
        results.domain_worst = time_domain(db, early, runs)
    if not args.no_browser:
        log(f"{factor}x: app server memory with chromium")
        try:
            scale.memory = measure_memory(build.data_dir, timeout_s=600 if big else 120, log=log)
        except Exception as exc:  # no chromium, no playwright: say so in the report
            scale.memory_error = f"not measured: {str(exc).splitlines()[0][:200]}"
            log(f"  {scale.memory_error}")
    scale.load = (load_start, load_average())
    return scale


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    results = BenchResults(
        machine=machine_info(),
        started=datetime.now(),
        quick=args.quick,
        runs=args.runs,
        big_runs=min(args.runs, args.big_runs),
    )
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        root = args.workdir
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="reassess-bench-")
        root = Path(cleanup.name)
    try:
        prog = None
        if any(f > 1 for f in args.factors):
            prog = scaling.weekly_tables()
        for factor in args.factors:
            results.scales.append(run_scale(root, factor, args, results, prog))
            if args.workdir is None:
                shutil.rmtree(root / f"{factor}x", ignore_errors=True)
        if not args.no_rollup:
            log(f"national roll-up: {args.forces} forces")
            results.rollup = time_rollup(root / "rollup", args.forces, args.runs, log)
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    results.notes.extend(run_notes(args))
    results.elapsed_seconds = time.perf_counter() - started
    generated = render(results)
    print(generated)

    if args.quick:
        recorded = (
            recorded_page_medians(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        )
        guard = regression_guard(results, recorded)
        print("Regression guard (a page over 3x its recorded 1x median, and 100 ms more, fails):")
        for line in guard.lines:
            print(f"  {line}")
        print("PASSED" if guard.ok else "FAILED")
        return 0 if guard.ok else 1
    write_report(args.out, generated)
    log(f"wrote {args.out}")
    return 0


def run_notes(args: argparse.Namespace) -> list[str]:
    """What this run did and did not do, in words, for the report."""
    notes = [
        "Scaled programmes (10x, 100x) are the demo's extract for each as-of date repeated N "
        "times: every case, officer and abstraction reference gets a per-copy suffix (-X007) and "
        "every team a per-copy name (Review Team 1 / unit 007), so there are N times the cases, "
        "officers and teams with the demo's dates and mixes. They are written as CSV and "
        "ingested by reassess.snapshot.ingest into a temporary folder.",
        "1x is the demo itself, built by `reassess.demo.build_demo` (34 weekly snapshots, through 2026-06-26).",
    ]
    if any(f >= 100 for f in args.factors):
        notes.append(
            f"At 100x only the latest {args.big_weeks} weeks are ingested (not all 34), to keep "
            "the run near 20 minutes on this machine; the pages show the latest snapshot, "
            "compared with the one before, as at every scale. The snapshot history (scope "
            "history chart) therefore has fewer points at 100x."
        )
    if args.quick:
        notes.append("Quick mode: 1x only; no browser memory measurement and no roll-up.")
    if args.no_browser and not args.quick:
        notes.append("The browser memory measurement was skipped (--no-browser).")
    return notes


if __name__ == "__main__":
    sys.exit(main())
