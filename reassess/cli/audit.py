"""`python -m reassess audit`: read the audit trail (table, JSON lines or CSV) or verify its chain."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from reassess.cli.common import parse_date
from reassess.config import settings
from reassess.store.audit import ACTIONS, Anchor, AuditError, default_range, open_trail, utc_now


def _parse_anchor(text: str) -> Anchor:
    try:
        return Anchor.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_audit(args: argparse.Namespace) -> int:
    """Print audit events, or verify every file's hash chain (exit 1 when broken)."""
    log = open_trail(settings())
    if args.head:
        try:
            anchor = log.head()
        except AuditError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if anchor is None:
            print("error: the audit trail has no records yet", file=sys.stderr)
            return 1
        print(anchor)
        return 0
    if args.anchor and not args.verify:
        print("error: --anchor goes with --verify", file=sys.stderr)
        return 2
    if args.verify:
        result = log.verify(args.anchor or ())
        print(result.summary(), file=sys.stdout if result.ok else sys.stderr)
        for problem in result.problems:
            print(f"broken: {problem}", file=sys.stderr)
        return 0 if result.ok else 1
    since = args.since if args.since is not None else default_range(utc_now().date())[0]
    until = args.until
    if until is not None and until < since:
        print(f"error: --until {until} is before --since {since}", file=sys.stderr)
        return 2
    try:
        frame = log.read(since, until, user=args.user, action=args.action, role=args.role)
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        sys.stdout.flush()
        from reassess.present.csvsafe import to_safe_csv

        sys.stdout.buffer.write(to_safe_csv(frame))
        return 0
    if args.json:
        for record in frame.to_dict(orient="records"):
            print(json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False))
        return 0
    if frame.empty:
        print(f"No audit events from {since} to {until or 'today'} match.")
        return 0
    from reassess.access import PAGES, ROLE_LABELS
    from reassess.present.formats import timestamp
    from reassess.present.vocabulary import AUDIT_ACTION_LABELS

    titles = {p.page_id: p.title for p in PAGES}

    print(f"{'When (UTC)':<22} {'Person':<28} {'Role':<24} {'Action':<22} {'Page':<13} What")
    for r in frame.itertuples(index=False):
        detail = r.detail or ""
        if r.reason:
            detail = f"{detail} (reason: {r.reason})".strip()
        print(
            f"{timestamp(r.at, seconds=True):<22} {str(r.user)[:27]:<28} "
            f"{ROLE_LABELS.get(r.role, r.role)[:23]:<24} "
            f"{AUDIT_ACTION_LABELS.get(r.action, r.action)[:21]:<22} "
            f"{titles.get(r.page or '', r.page or '')[:12]:<13} {_printable(detail)}"
        )
    print(f"{len(frame):,} event{'' if len(frame) == 1 else 's'}.")
    return 0


def _plain(v: Any) -> Any:
    import pandas as pd

    if v is None or v is pd.NA:
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _printable(text: str) -> str:
    """Text for a terminal: no escape sequences or other control characters."""
    return "".join(c if c.isprintable() else "?" for c in text)


def register(sub: Any) -> None:
    """Add the audit command."""
    p = sub.add_parser(
        "audit",
        help="read or verify the audit trail (who opened what, when and why)",
        description="Read the audit trail in $REASSESS_DATA_DIR/audit, or verify its hash chain.",
    )
    p.add_argument(
        "--since",
        type=parse_date,
        default=None,
        help="first day, YYYY-MM-DD (UTC; default: 7 days ago)",
    )
    p.add_argument(
        "--until", type=parse_date, default=None, help="last day, YYYY-MM-DD (inclusive)"
    )
    p.add_argument("--user", action="append", default=None, help="only this person (repeatable)")
    p.add_argument(
        "--action",
        action="append",
        choices=ACTIONS,
        default=None,
        help="only this action (repeatable)",
    )
    p.add_argument("--role", action="append", default=None, help="only this role (repeatable)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line")
    out.add_argument("--csv", action="store_true", help="CSV, safe to open in a spreadsheet")
    out.add_argument(
        "--verify", action="store_true", help="check every file's hash chain; exit 1 if broken"
    )
    out.add_argument(
        "--head",
        action="store_true",
        help="print an anchor for the newest record (FILE:LINE:SHA256) to keep elsewhere",
    )
    p.add_argument(
        "--anchor",
        type=_parse_anchor,
        action="append",
        default=None,
        help="with --verify: also check that this anchored line is still there (repeatable)",
    )
    p.set_defaults(handler=cmd_audit)
