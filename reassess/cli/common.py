"""What the commands share: argument types, and the audit record every export leaves."""

from __future__ import annotations

import argparse
import getpass
import socket
from datetime import date

from reassess.config import settings
from reassess.store.audit import AuditError, AuditEvent, open_trail


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates with a helpful error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-26"
        ) from None


def cli_user() -> str:
    """Who ran a command: the operating-system account and host, e.g. 'ops@reassess-1 (CLI)'."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"{name}@{socket.gethostname()} (command line)"[:254]


def record_cli_export(
    command: str, role: str, snapshot: date, detail: str, rows: int | None = None
) -> str | None:
    """Record that a command exported figures (action 'export'); the error in words, or None.

    The command must not write or print its figures when this returns an error (fail closed).
    """
    try:
        open_trail(settings()).record(
            AuditEvent(
                user=cli_user(),
                role=role,
                action="export",
                page=command,
                snapshot=snapshot,
                detail=detail[:200],
                rows=rows,
            )
        )
    except AuditError as exc:
        return f"error: nothing was exported, because the audit record could not be written: {exc}"
    return None
