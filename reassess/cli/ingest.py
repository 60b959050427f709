"""`python -m reassess ingest`: validate an extract and write one immutable snapshot.

With --publish it then publishes that snapshot (`python -m reassess publish`), as one
scheduled job: see docs/operations.md.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from reassess.config import settings
from reassess.extract.issues import ExtractError

AS_OF_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_of_date(text: str) -> date | str:
    """The --as-of date, written only as YYYY-MM-DD; or what is wrong with it."""
    if AS_OF_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return "is not a real date; write it as YYYY-MM-DD, e.g. 2026-06-26"
    return "is not a date written as YYYY-MM-DD, e.g. 2026-06-26 (the date the extract was taken)"


def _refused(lines: list[str], summary: str) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    print(summary, file=sys.stderr)
    return 1


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate an extract and write its snapshot."""
    import duckdb

    from reassess.snapshot.ingest import ingest

    as_of = as_of_date(args.as_of)
    if isinstance(as_of, str):
        return _refused(
            [f"--as-of: value {args.as_of!r}: {as_of}"],
            "The extract was refused: 1 error. Nothing was written.",
        )
    if args.publish:
        from reassess.publish.subscriptions import load_subscriptions

        # A bad subscriptions file is refused before anything is ingested.
        load_subscriptions(Path(args.subscriptions) if args.subscriptions else None)
    elif args.subscriptions or args.outbox:
        return _refused(
            ["--subscriptions and --outbox go with --publish"],
            "Nothing was ingested.",
        )
    cfg = settings()
    try:
        result = ingest(
            Path(args.path),
            as_of,
            cfg.snapshot_dir,
            replace=args.replace,
            synthetic=args.synthetic,
        )
    except ExtractError as exc:
        return _refused([str(issue) for issue in exc.issues], exc.summary())
    except (OSError, duckdb.IOException) as exc:
        return _refused([_write_failure(cfg.snapshot_dir, exc)], "Nothing was written.")
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    v2 = f"{result.reinvestigations:,} reinvestigations, " if result.contract_version != "1" else ""
    print(
        f"Wrote {result.path} ({result.cases:,} cases, {result.officers:,} officers, "
        f"{result.abstractions:,} abstractions, {v2}{result.warning_count:,} warnings)."
    )
    if result.replaced is not None:
        print(f"The previous snapshot for {as_of} is kept as {result.replaced}.")
    if not args.publish:
        return 0
    from reassess.cli.publish import run_publish

    code = run_publish(as_of.isoformat(), subscriptions=args.subscriptions, outbox=args.outbox)
    if code:
        print(
            f"The snapshot for {as_of} was written; what could not be delivered is owed and "
            "is sent by the next run (python -m reassess publish).",
            file=sys.stderr,
        )
    return code


def _write_failure(folder: Path, exc: BaseException) -> str:
    """One line for a snapshot that could not be written (a full disk above all)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in text
    if full:
        return (
            f"{folder}: the disk is full (no space left on device) while writing the snapshot; "
            "free some space and run again"
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else text
    return f"{folder}: the snapshot could not be written ({reason})"


def register(sub: Any) -> None:
    """Add the ingest command."""
    p = sub.add_parser("ingest", help="validate an extract and write one snapshot")
    p.add_argument("path", help="a folder holding cases.csv and officers.csv, or an .xlsx workbook")
    p.add_argument("--as-of", required=True, help="the date the extract describes, YYYY-MM-DD")
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
    p.add_argument(
        "--publish",
        action="store_true",
        help="then publish the new snapshot to its readers (python -m reassess publish)",
    )
    p.add_argument(
        "--subscriptions",
        metavar="FILE",
        help="with --publish: readers and alert rules (default config/subscriptions.toml)",
    )
    p.add_argument(
        "--outbox", metavar="FOLDER", help="with --publish: write .eml files instead of SMTP"
    )
    p.set_defaults(handler=cmd_ingest)
