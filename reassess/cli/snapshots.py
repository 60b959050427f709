"""`python -m reassess snapshots`: list the snapshots and any broken files."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from reassess.config import settings


def cmd_snapshots(args: argparse.Namespace) -> int:
    """List the snapshots."""
    from reassess.snapshot.listing import list_snapshots

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
        print(f"{'As at':<12}{'In scope':>10}{'Assessed':>10}  {'Synthetic':<10}{'Warnings':>9}")
        for r in rows:
            print(
                f"{r['as_of']:<12}{r['in_scope']:>10,}{r['assessed']:>10,}  "
                f"{'yes' if r['synthetic'] else 'no':<10}{r['warnings']:>9,}"
            )
    for b in broken:
        print(f"broken: {b['file']}: {b['problem']}", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add the snapshots command."""
    p = sub.add_parser("snapshots", help="list snapshots")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_snapshots)
