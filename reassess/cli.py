"""Command line: python -m reassess {ingest, demo, snapshots, status, ...}."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reassess.config import ConfigError, settings
from reassess.contract import ExtractError

Handler = Callable[[argparse.Namespace], int]


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates with a helpful error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-26"
        ) from None


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate an extract and write its snapshot."""
    from reassess.ingest import ingest

    cfg = settings()
    try:
        result = ingest(
            Path(args.path),
            args.as_of,
            cfg.snapshot_dir,
            replace=args.replace,
            synthetic=args.synthetic,
        )
    except ExtractError as exc:
        for issue in exc.issues:
            print(f"error: {issue}", file=sys.stderr)
        print(exc.summary(), file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(
        f"Wrote {result.path} ({result.cases:,} cases, {result.officers:,} officers, "
        f"{result.abstractions:,} abstractions, {len(result.warnings):,} warnings)."
    )
    if result.replaced is not None:
        print(f"The previous snapshot for {args.as_of} is kept as {result.replaced}.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the synthetic demo programme: one extract and one snapshot per Friday."""
    from reassess.demo import DemoError, build_demo, resolve_through

    cfg = settings()
    try:
        through = resolve_through(args.through)
        built = build_demo(cfg, seed=args.seed, through=through, progress=None)
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Synthetic demo through {built.through.isoformat()}: {built.snapshots} snapshots "
        f"written to {cfg.snapshot_dir} ({built.skipped} already there), extracts in "
        f"{cfg.extract_dir}. Generating took {built.generate_seconds:.1f} s, writing CSV "
        f"{built.write_seconds:.1f} s, ingesting {built.ingest_seconds:.1f} s."
    )
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    """List the snapshots."""
    from reassess.snapshots import list_snapshots

    listing = list_snapshots(settings().snapshot_dir)
    rows = [
        {
            "as_of": s.label,
            "in_scope": s.in_scope,
            "assessed": s.assessed,
            "synthetic": s.synthetic,
            "warnings": s.warnings,
        }
        for s in listing.snapshots
    ]
    broken = [{"file": str(b.path), "problem": b.reason} for b in listing.broken]
    if args.json:
        print(json.dumps({"snapshots": rows, "broken": broken}, indent=2))
        return 0
    if not rows:
        print(f"No snapshots in {settings().snapshot_dir}. Run `python -m reassess demo`.")
    else:
        print(f"{'as_of':<12}{'in scope':>10}{'assessed':>10}  {'synthetic':<10}{'warnings':>9}")
        for r in rows:
            print(
                f"{r['as_of']:<12}{r['in_scope']:>10,}{r['assessed']:>10,}  "
                f"{'yes' if r['synthetic'] else 'no':<10}{r['warnings']:>9,}"
            )
    for b in broken:
        print(f"broken: {b['file']}: {b['problem']}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="python -m reassess",
        description="reassess: progress dashboard for the review (data folder: $REASSESS_DATA_DIR, default ./data)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="validate an extract and write one snapshot")
    p.add_argument("path", help="a folder holding cases.csv and officers.csv, or an .xlsx workbook")
    p.add_argument(
        "--as-of", required=True, type=parse_date, help="the date the extract describes, YYYY-MM-DD"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="supersede an existing snapshot (the old file is kept)",
    )
    p.add_argument(
        "--synthetic",
        action="store_true",
        help="mark the snapshot as synthetic (demo or example data)",
    )
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("demo", help="build the synthetic demo programme")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--through",
        default=None,
        metavar="YYYY-MM-DD",
        help="the last weekly extract (default: the last Friday on or before today)",
    )
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("snapshots", help="list snapshots")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_snapshots)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[Any], None]]:
    """Commands defined next to the feature they serve."""
    from reassess import commands

    return commands.REGISTRARS


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; user errors are printed without a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RuntimeError) as exc:
        if os.environ.get("REASSESS_DEBUG"):
            raise
        print(
            f"error: {type(exc).__name__}: {exc}\n(set REASSESS_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing partial was kept", file=sys.stderr)
        return 130
