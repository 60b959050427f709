"""`python -m reassess demo`: build the synthetic demo programme."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from reassess.cli.common import parse_date
from reassess.config import settings


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the synthetic demo programme: one extract and one snapshot per Friday."""
    from reassess.demobuild import build_demo

    cfg = settings()
    written = build_demo(cfg, seed=args.seed, through=args.through, progress=None)
    print(
        f"Synthetic demo: {written.snapshots} snapshots written to {cfg.snapshot_dir} "
        f"({written.skipped} already there), extracts in {cfg.extract_dir}."
    )
    return 0


def register(sub: Any) -> None:
    """Add the demo command."""
    p = sub.add_parser("demo", help="build the synthetic demo programme")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--through", type=parse_date, default=date(2026, 6, 26))
    p.set_defaults(handler=cmd_demo)
