"""What an audit record may hold, and how a bad one is refused (see reassess.store.audit).

Who (user, role), what (action, page, snapshot as-of, filters as JSON text, a detail, a row
count) and why (a reason, required for a drill-down); every text field has a length cap, and
one that looks like a list of case or officer references is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from reassess.access import ROLES

ACTIONS = (
    "page_view",
    "drilldown",
    "export",
    "scenario_save",
    "scenario_delete",
    "scenario_overwrite",
    "sign_in",
    "access_denied",
    "delivery",
    "delivery_failed",
    "alert_raised",
    "alert_resolved",
)
NO_ROLE = "none"  # an identity that signed in but has no role (access_denied, sign_in)
SCHEMA_VERSION = 1

MAX_USER = 254  # the longest e-mail address
MAX_PAGE = 40
MAX_FILTERS = 2_000
MAX_DETAIL = 200
MAX_REASON = 500
MIN_REASON = 10  # a drill-down needs a stated reason of at least this many characters
MAX_REF_LIKE = 2  # more tokens that look like case/officer references than this are refused

FILE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.jsonl$")
PAGE_RE = re.compile(r"^[a-z0-9_]*$")
REF_LIKE_RE = re.compile(r"(?<![\w/-])[A-Za-z]{2,}[-/_][\w/-]*\d{3,}(?![\w/-])")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
COLUMNS = (
    "at",
    "user",
    "role",
    "action",
    "page",
    "snapshot",
    "filters",
    "detail",
    "reason",
    "rows",
)


class AuditError(Exception):
    """The audit trail could not be written or read; case-level data must not be shown."""


class AuditKeyMissing(AuditError):
    """Real data, and no audit key to sign records with: nothing may be shown."""


class InvalidAuditEvent(AuditError, ValueError):
    """An audit event breaks a rule (unknown action, too long, looks like case data ...)."""


def utc_now() -> datetime:
    """The wall clock in UTC (the audit records real time, not the snapshot's as-of date)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class AuditEvent:
    """One thing a person did on the dashboard. Holds names of things, never case data."""

    user: str
    role: str
    action: str
    page: str = ""
    snapshot: date | None = None
    filters: str = "{}"  # JSON object as text, e.g. '{"bcu": "CE", "compare": "2026-02-27"}'
    detail: str = ""  # what was exported or opened: "briefing.pdf", "categories_cases"
    reason: str = ""  # the reason the user typed (required for a drill-down)
    rows: int | None = None  # how many rows a drill-down or export held
    at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        problems = list(_problems(self))
        if problems:
            raise InvalidAuditEvent(
                f"audit event {self.action!r} by {self.user[:60]!r} refused: " + "; ".join(problems)
            )
        if self.at.tzinfo is None:
            object.__setattr__(self, "at", self.at.replace(tzinfo=UTC))
        else:
            object.__setattr__(self, "at", self.at.astimezone(UTC))

    def to_record(self) -> dict[str, Any]:
        """The event as the JSON object stored in the file (without `prev`)."""
        return {
            "v": SCHEMA_VERSION,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "user": self.user,
            "role": self.role,
            "action": self.action,
            "page": self.page,
            "snapshot": self.snapshot.isoformat() if self.snapshot else None,
            "filters": self.filters,
            "detail": self.detail,
            "reason": self.reason,
            "rows": self.rows,
        }


def filters_json(filters: dict[str, Any] | None) -> str:
    """Filters as the canonical JSON text an AuditEvent stores (sorted keys, compact)."""
    return json.dumps(filters or {}, sort_keys=True, separators=(",", ":"), default=str)


def looks_like_case_refs(text: str) -> bool:
    """Whether text holds more than MAX_REF_LIKE tokens shaped like case or officer references."""
    return len(set(REF_LIKE_RE.findall(text))) > MAX_REF_LIKE


def _problems(e: AuditEvent) -> Iterator[str]:
    if e.action not in ACTIONS:
        yield f"action must be one of {', '.join(ACTIONS)}"
    if e.role not in ROLES and e.role != NO_ROLE:
        yield f"role must be one of {', '.join(ROLES)} or {NO_ROLE!r}"
    if not isinstance(e.at, datetime):
        yield "at must be a datetime"
    if e.snapshot is not None and not isinstance(e.snapshot, date):
        yield "snapshot must be a date or None"
    if e.rows is not None and (
        not isinstance(e.rows, int) or isinstance(e.rows, bool) or e.rows < 0
    ):
        yield "rows must be a count (an int >= 0) or None"
    for name, value, cap in (
        ("user", e.user, MAX_USER),
        ("page", e.page, MAX_PAGE),
        ("filters", e.filters, MAX_FILTERS),
        ("detail", e.detail, MAX_DETAIL),
        ("reason", e.reason, MAX_REASON),
    ):
        if not isinstance(value, str):
            yield f"{name} must be text"
            continue
        if len(value) > cap:
            yield f"{name} is {len(value):,} characters; at most {cap:,}"
        if CONTROL_RE.search(value):
            yield f"{name} holds control characters"
        if name in ("filters", "detail", "reason") and looks_like_case_refs(value):
            yield (
                f"{name} looks like a list of case or officer references; the audit records "
                "what was opened and why, never the cases themselves"
            )
    if isinstance(e.user, str) and not e.user.strip():
        yield "user must not be empty"
    if isinstance(e.page, str) and not PAGE_RE.match(e.page):
        yield "page must be a page id (lower-case letters, digits, _)"
    if isinstance(e.filters, str):
        try:
            parsed = json.loads(e.filters)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            yield "filters must be a JSON object as text"
    if e.action == "drilldown" and (
        not isinstance(e.reason, str) or len(e.reason.strip()) < MIN_REASON
    ):
        yield f"a drill-down needs a reason of at least {MIN_REASON} characters"


def _os_message(verb: str, path: Path, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    return (
        f"could not {verb} the audit file {path}: {why}. Nothing case-level is shown until the "
        "audit trail can be written: check the free space and permissions of REASSESS_DATA_DIR/audit"
    )
