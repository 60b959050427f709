"""`python -m reassess publish`: the weekly pack to each reader as their role, and the alerts.

Readers and alert rules come from config/subscriptions.toml (or --subscriptions FILE), checked
before anything is built. Messages go over SMTP (REASSESS_SMTP_HOST, REASSESS_SMTP_PORT,
optional REASSESS_SMTP_STARTTLS and REASSESS_SMTP_USER / REASSESS_SMTP_PASSWORD) or, with
--outbox FOLDER, into .eml files. A snapshot already delivered to a reader is not sent again
unless --resend. See docs/publishing.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reassess.config import settings
from reassess.snapshot.listing import list_snapshots


def run_publish(
    snapshot: str,
    *,
    subscriptions: str | None = None,
    outbox: str | None = None,
    dry_run: bool = False,
    resend: bool = False,
) -> int:
    """Publish a snapshot ('latest' or an as-of date); the exit status."""
    from reassess.cli.status import resolve_compare, resolve_snapshot
    from reassess.publish.run import Options, publish
    from reassess.publish.subscriptions import load_subscriptions

    subs_path = Path(subscriptions) if subscriptions else None
    load_subscriptions(subs_path)  # refused at start, before a snapshot is even read
    listing = list_snapshots(settings().snapshot_dir)
    snap = resolve_snapshot(listing, snapshot)
    opts = Options(
        snapshot=snap,
        compare=resolve_compare(listing, snap, "previous"),
        latest=snap == listing.latest,
        subscriptions=subs_path,
        outbox=Path(outbox) if outbox else None,
        dry_run=dry_run,
        resend=resend,
    )
    if not opts.latest:
        print(f"note: {snap.label} is not the latest snapshot; subjects say 'as at' its date")

    def say(line: str) -> None:
        print(line, file=sys.stderr if line.startswith(("error", "failed")) else sys.stdout)

    return publish(opts, listing, say)


def cmd_publish(args: argparse.Namespace) -> int:
    """Deliver the owed packs and alerts for a snapshot."""
    return run_publish(
        args.snapshot,
        subscriptions=args.subscriptions,
        outbox=args.outbox,
        dry_run=args.dry_run,
        resend=args.resend,
    )


def add_publish_options(p: Any) -> None:
    """The publish command's options."""
    p.add_argument("--snapshot", default="latest", help="'latest' (default) or an as-of date")
    p.add_argument(
        "--subscriptions",
        metavar="FILE",
        help="readers and alert rules (default config/subscriptions.toml)",
    )
    p.add_argument(
        "--outbox", metavar="FOLDER", help="write .eml files here instead of sending over SMTP"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="build every message and say what would go; send nothing",
    )
    p.add_argument(
        "--resend", action="store_true", help="send again to readers who already have this snapshot"
    )


def register(sub: Any) -> None:
    """Add the publish command."""
    p = sub.add_parser(
        "publish", help="the weekly pack to each reader as their role, and the alerts"
    )
    add_publish_options(p)
    p.set_defaults(handler=cmd_publish)
