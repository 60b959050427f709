"""`python -m reassess demo`: build the synthetic demo programme."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reassess.config import settings


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


def register(sub: Any) -> None:
    """Add the demo command."""
    p = sub.add_parser("demo", help="build the synthetic demo programme")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--through",
        default=None,
        metavar="YYYY-MM-DD",
        help="the last weekly extract (default: the last Friday on or before today)",
    )
    p.set_defaults(handler=cmd_demo)
