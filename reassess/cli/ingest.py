"""`python -m reassess ingest`: validate an extract and write one immutable snapshot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reassess.cli.common import parse_date
from reassess.config import settings
from reassess.extract.contract import ExtractError


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate an extract and write its snapshot."""
    from reassess.snapshot.ingest import ingest

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


def register(sub: Any) -> None:
    """Add the ingest command."""
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
