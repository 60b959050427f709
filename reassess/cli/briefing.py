"""`python -m reassess briefing`: the Mayor's office briefing as PDF, Excel and CSV files, headless.

The same `build_briefing` and exports as the briefing page, so the files match the screen.
Existing files are never overwritten unless --force; each file is written to a temporary file
in the same folder and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reassess.access import ROLES
from reassess.cli.common import record_cli_export
from reassess.config import programme, settings
from reassess.disclosure.releases import allowed_compares, compare_refusal, may_compare
from reassess.snapshot.listing import list_snapshots
from reassess.store.files import write_atomic

KEYWORDS = ("previous", "none", "four-weeks", "start")


def planned_outputs(args: argparse.Namespace, csv_names: list[str]) -> list[Path]:
    """Every file the command would write, in order."""
    out = []
    if args.pdf:
        out.append(Path(args.pdf))
    if args.xlsx:
        out.append(Path(args.xlsx))
    if args.csv_dir:
        out += [Path(args.csv_dir) / name for name in csv_names]
    return out


def check_outputs(paths: list[Path], force: bool) -> list[str]:
    """Problems that stop the command before anything is written (existing files, bad folders)."""
    problems = []
    for path in paths:
        if path.is_dir():
            problems.append(f"{path} is a folder; give a file name")
        elif path.exists() and not force:
            problems.append(f"{path} exists; run again with --force to replace it")
        elif path.parent.exists() and not path.parent.is_dir():
            problems.append(f"{path.parent} is not a folder")
    return problems


def cmd_briefing(args: argparse.Namespace) -> int:
    """Build the briefing for a snapshot and write the files asked for."""
    from reassess.briefing.build import build_briefing
    from reassess.briefing.export import briefing_csvs, briefing_pdf, briefing_xlsx
    from reassess.cli.status import resolve_compare, resolve_snapshot
    from reassess.snapshot.runner import Database

    listing = list_snapshots(settings().snapshot_dir)
    snap = resolve_snapshot(listing, args.snapshot)
    wanted = args.compare.lower() if args.compare.lower() in KEYWORDS else args.compare
    allowed = allowed_compares(listing, snap)
    if wanted in ("four-weeks", "start"):
        named = allowed.get(wanted.replace("-", "_"))
        if named is None:
            print(f"error: {compare_refusal(listing, snap, wanted)}", file=sys.stderr)
            return 1
        wanted = named.label
    compare = resolve_compare(listing, snap, wanted)
    if not may_compare(args.role, listing, snap, compare):
        assert compare is not None
        print(f"error: {compare_refusal(listing, snap, compare.label)}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    # The CSV names are fixed by the briefing's tables; check every target before building.
    csv_names = _csv_names(compare is not None)
    problems = check_outputs(planned_outputs(args, csv_names), args.force)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    b = build_briefing(Database(), snap, compare, programme(), role=args.role)
    files: list[tuple[Path, bytes]] = []
    if args.pdf:
        files.append((Path(args.pdf), briefing_pdf(b)))
    if args.xlsx:
        files.append((Path(args.xlsx), briefing_xlsx(b)))
    if args.csv_dir:
        folder = Path(args.csv_dir)
        files += [(folder / name, data) for name, data in briefing_csvs(b).items()]
    refused = record_cli_export(
        "briefing",
        args.role,
        snap.as_of,
        "briefing " + ", ".join(path.name for path, _ in files),
    )
    if refused:
        print(refused, file=sys.stderr)
        return 1
    for path, data in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    print(
        f"[{b.marking}] Briefing at {snap.label}"
        + (f", compared with {compare.label}" if compare else "")
    )
    print(b.headline)
    for path, data in files:
        print(f"wrote {path} ({len(data):,} bytes)")
    return 0


def _csv_names(with_compare: bool) -> list[str]:
    """The CSV files a briefing writes (changes.csv only with a comparison)."""
    from reassess.briefing.contents import TABLE_KEYS

    keys = [k for k in TABLE_KEYS if with_compare or k != "changes"]
    return [f"{k}.csv" for k in keys] + ["notes.csv"]


def register(sub: Any) -> None:
    """Add the briefing command."""
    p = sub.add_parser(
        "briefing", help="the Mayor's office briefing as PDF, Excel and CSV (disclosure-controlled)"
    )
    p.add_argument("--snapshot", default="latest", help="'latest' (default) or an as-of date")
    p.add_argument(
        "--compare",
        default="previous",
        help="'previous' (default), 'four-weeks', 'start', 'none' or an earlier as-of date "
        "(the Mayor's office: only the previous week, four weeks back or the programme start)",
    )
    p.add_argument(
        "--role",
        choices=ROLES,
        default="mayors_office",
        help="the role the briefing is made for (default mayors_office); recorded in the audit",
    )
    p.add_argument("--pdf", metavar="FILE", help="write the A4 PDF pack here")
    p.add_argument("--xlsx", metavar="FILE", help="write the Excel workbook here")
    p.add_argument(
        "--csv-dir", metavar="FOLDER", help="write one CSV per table (and notes.csv) here"
    )
    p.add_argument("--force", action="store_true", help="replace output files that exist")
    p.set_defaults(handler=cmd_briefing)
