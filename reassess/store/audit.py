"""The audit trail: who looked at what, when and why; append-only, hash-chained (no Streamlit).

One JSON line per event in `<audit_dir>/YYYY-MM-DD.jsonl` (the UTC date of the event). The audit
uses the wall clock, unlike the dashboard's figures: it records when something happened.

How a record is written (`AuditLog.record`): the day's file is opened with O_APPEND, locked with
an exclusive `fcntl.flock`, its last line is read and hashed, and the new line carries that hash
as `prev` (the first line of a file carries the hash of the file's date, so a day's file moved to
another name breaks too). The line is written in one write(), fsynced, and the lock released.
Any number of threads and processes may record at once. If anything fails (disk full,
permissions, a read-only folder) a partial line is cut off again and the caller gets an
AuditError: a caller about to show case-level data must then refuse to show it (fail closed).

`AuditLog.verify` walks every file and reports each line whose `prev` does not match the line
before it, or that is not a complete record: an edited, inserted, deleted or reordered line shows
up. The chain alone cannot show that the newest lines of a file, or a whole file, were removed:
for that, `AuditLog.head` gives an anchor (`YYYY-MM-DD.jsonl:LINE:SHA256` of the newest line)
to keep somewhere else (a SIEM, a ticket, a write-once store), and `verify(anchors=...)` checks
that every line so anchored is still there, unchanged (see docs/operations.md).

What an event may hold: who (user, role), what (action, page, snapshot as-of, the filters as JSON
text, a detail such as "briefing.pdf" or a query name, a row count) and why (the reason the user
typed, required for a drill-down). Never case data: every text field has a length cap, and a
field holding what looks like a list of case or officer references (three or more tokens such as
`SYN-2010-00001` or `PPO-0004`) is refused. That check is a safety net, not a proof: callers
pass names of things, never their contents.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reassess.access import ROLES

if TYPE_CHECKING:  # pandas is imported where frames are made, so writers start quickly
    import pandas as pd

ACTIONS = (
    "page_view",
    "drilldown",
    "export",
    "scenario_save",
    "scenario_delete",
    "sign_in",
    "access_denied",
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


@dataclass(frozen=True)
class ChainProblem:
    """One line of one audit file that breaks the chain."""

    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.problem}"


@dataclass(frozen=True)
class Verification:
    """The result of checking every audit file's hash chain."""

    files: int
    records: int
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        records = f"{self.records:,} record{'' if self.records == 1 else 's'}"
        files = f"{self.files:,} file{'' if self.files == 1 else 's'}"
        if self.ok:
            return f"Audit chain intact: {records} in {files}."
        return (
            f"Audit chain BROKEN: {len(self.problems):,} problem(s) in {records} across {files}; "
            f"the first is {self.problems[0]}."
        )


ANCHOR_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}\.jsonl):([1-9]\d*):([0-9a-f]{64})$")


@dataclass(frozen=True)
class Anchor:
    """A line of the audit trail recorded elsewhere: file, line number (from 1), its SHA-256."""

    file: str
    line: int
    sha256: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.sha256}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """An anchor as `audit --head` prints it; ValueError with the expected form otherwise."""
        m = ANCHOR_RE.match(text.strip())
        if not m:
            raise ValueError(
                f"{text!r} is not an audit anchor; expected FILE:LINE:SHA256 as printed by "
                "`python -m reassess audit --head`, e.g. 2026-06-26.jsonl:42:<64 hex digits>"
            )
        return cls(m.group(1), int(m.group(2)), m.group(3))

    def check(self, path: Path) -> ChainProblem | None:
        """None when the anchored line is in ``path`` unchanged; the problem otherwise."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return ChainProblem(
                self.file, self.line, "the file is gone, but an anchor recorded this line in it"
            )
        except OSError as exc:
            return ChainProblem(self.file, 0, _os_message("read", path, exc))
        lines = _complete_lines(raw)
        if len(lines) < self.line:
            return ChainProblem(
                self.file,
                self.line,
                f"the file now has {len(lines):,} complete line(s): lines recorded by an anchor "
                "were removed",
            )
        if _sha(lines[self.line - 1]) != self.sha256:
            return ChainProblem(
                self.file, self.line, "the line differs from the one its anchor recorded"
            )
        return None


def genesis(day: date) -> str:
    """The `prev` of the first line of a day's file: bound to the file's date."""
    return _sha(f"reassess-audit:{day.isoformat()}".encode())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AuditLog:
    """The append-only audit files in one folder."""

    def __init__(self, audit_dir: Path) -> None:
        self.audit_dir = Path(audit_dir)

    def path_for(self, day: date) -> Path:
        return self.audit_dir / f"{day.isoformat()}.jsonl"

    def record(self, event: AuditEvent) -> None:
        """Append one event to its day's file, chained to the line before; AuditError on failure."""
        if not isinstance(event, AuditEvent):
            raise InvalidAuditEvent(f"expected an AuditEvent, got {type(event).__name__}")
        day = event.at.astimezone(UTC).date()
        path = self.path_for(day)
        try:
            self.audit_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
            created = not path.exists()
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
        except OSError as exc:
            raise AuditError(_os_message("open", path, exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            last, ends_clean = _last_line(fd, size)
            prev = genesis(day) if last is None else _sha(last)
            body = json.dumps(
                {**event.to_record(), "prev": prev}, separators=(",", ":"), ensure_ascii=True
            ).encode("ascii")
            data = (b"" if ends_clean else b"\n") + body + b"\n"
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(errno.EIO, f"short write ({written} of {len(data)} bytes)")
                os.fsync(fd)
            except OSError:
                _cut_back(fd, size)
                raise
        except OSError as exc:
            raise AuditError(_os_message("write to", path, exc)) from exc
        finally:
            os.close(fd)  # closing the descriptor releases the lock
        if created:
            _fsync_dir(self.audit_dir)

    def files(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[date, Path]]:
        """The day files, oldest first, optionally limited to a date range (inclusive)."""
        if not self.audit_dir.is_dir():
            return []
        out = []
        for p in self.audit_dir.iterdir():
            m = FILE_RE.match(p.name)
            if not m or not p.is_file():
                continue
            try:
                day = date.fromisoformat(m.group(1))
            except ValueError:
                continue
            if (since is None or day >= since) and (until is None or day <= until):
                out.append((day, p))
        return sorted(out)

    def head(self) -> Anchor | None:
        """The anchor of the newest complete line of the newest file (None when there is none)."""
        for _day, path in reversed(self.files()):
            try:
                st = path.stat()
                newest = _newest_line(str(path), (st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError as exc:
                raise AuditError(_os_message("read", path, exc)) from exc
            if newest is not None:
                return Anchor(path.name, *newest)
        return None

    def verify(self, anchors: Sequence[Anchor] = ()) -> Verification:
        """Check every file's hash chain, and that each anchored line is still there unchanged;
        report each broken or incomplete line and each anchor not found."""
        problems: list[ChainProblem] = []
        records = 0
        files = self.files()
        for anchor in anchors:
            found = anchor.check(self.audit_dir / anchor.file)
            if found is not None:
                problems.append(found)
        for day, path in files:
            try:
                st = path.stat()
            except OSError as exc:
                problems.append(ChainProblem(path.name, 0, _os_message("read", path, exc)))
                continue
            count, found = _verify_file(str(path), day, (st.st_ino, st.st_size, st.st_mtime_ns))
            records += count
            problems.extend(found)
        return Verification(len(files), records, tuple(problems))

    def read(
        self,
        since: date | None = None,
        until: date | None = None,
        user: str | Sequence[str] | None = None,
        action: str | Sequence[str] | None = None,
        role: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Events in a date range (inclusive, UTC days), newest first, filtered by user/action/role."""
        import pandas as pd

        users, actions, roles = _as_set(user), _as_set(action), _as_set(role)
        rows = []
        for _, path in self.files(since, until):
            for obj in _records(path):
                if users is not None and obj.get("user") not in users:
                    continue
                if actions is not None and obj.get("action") not in actions:
                    continue
                if roles is not None and obj.get("role") not in roles:
                    continue
                rows.append({c: obj.get(c) for c in COLUMNS})
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
        frame["rows"] = frame["rows"].astype("Int64")
        for c in ("user", "role", "action", "page", "snapshot", "filters", "detail", "reason"):
            frame[c] = frame[c].astype("string")
        return frame.sort_values("at", ascending=False, kind="stable").reset_index(drop=True)


def _complete_lines(raw: bytes) -> list[bytes]:
    """The lines of a file that end with a newline (what follows the last one is not a record)."""
    return raw.split(b"\n")[:-1]


@lru_cache(maxsize=64)
def _newest_line(path: str, key: tuple[int, int, int]) -> tuple[int, str] | None:
    """(line number, SHA-256) of a file's last complete line; cached by inode, size and mtime, so
    a page that shows the head on every rerun reads the file again only after an append."""
    lines = _complete_lines(Path(path).read_bytes())
    return (len(lines), _sha(lines[-1])) if lines else None


@lru_cache(maxsize=4096)
def _verify_file(
    path: str, day: date, key: tuple[int, int, int]
) -> tuple[int, tuple[ChainProblem, ...]]:
    """Check one file's chain (cached by inode, size and mtime: an appended file is re-read)."""
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return 0, (ChainProblem(name, 0, _os_message("read", Path(path), exc)),)
    problems: list[ChainProblem] = []
    records = 0
    expected = genesis(day)
    lines = raw.split(b"\n")
    torn = lines.pop()  # b"" when the file ends with a newline, as it should
    for n, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        prev = obj.get("prev") if isinstance(obj, dict) else None
        if not isinstance(prev, str):
            problems.append(ChainProblem(name, n, "not a complete audit record"))
        elif prev != expected:
            problems.append(
                ChainProblem(
                    name,
                    n,
                    "its prev hash does not match the line before: a line was edited, "
                    "inserted, deleted or reordered here",
                )
            )
        else:
            records += 1
            if str(obj.get("at", ""))[:10] != day.isoformat():
                problems.append(ChainProblem(name, n, f"dated {obj.get('at')!r}, not {day}"))
        expected = _sha(line)
    if torn:
        problems.append(
            ChainProblem(name, len(lines) + 1, "the last line is incomplete (a torn write)")
        )
    return records, tuple(problems)


def select(
    frame: pd.DataFrame,
    user: str | Sequence[str] | None = None,
    action: str | Sequence[str] | None = None,
    role: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The events of a frame from read() whose user, action and role are among those given."""
    import pandas as pd

    keep = pd.Series(True, index=frame.index)
    for column, wanted in (("user", user), ("action", action), ("role", role)):
        values = _as_set(wanted)
        if values is not None:
            keep &= frame[column].isin(values).fillna(False)
    return frame[keep].reset_index(drop=True)


def default_range(today: date, days: int = 7) -> tuple[date, date]:
    """The last `days` days up to and including `today`."""
    return today - timedelta(days=days - 1), today


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    values = set(value)
    return values or None


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The complete records of one file (broken lines are skipped: verify() reports them)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditError(_os_message("read", path, exc)) from exc
    for line in raw.split(b"\n"):
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "prev" in obj:
            yield obj


def _last_line(fd: int, size: int) -> tuple[bytes | None, bool]:
    """The last line of the file (without its newline) and whether the file ends with one."""
    if size == 0:
        return None, True
    chunk = 4096
    end = size
    tail = b""
    while end > 0:
        start = max(0, end - chunk)
        tail = os.pread(fd, end - start, start) + tail
        end = start
        body = tail[:-1] if tail.endswith(b"\n") else tail
        cut = body.rfind(b"\n")
        if cut >= 0:
            return body[cut + 1 :], tail.endswith(b"\n")
    body = tail[:-1] if tail.endswith(b"\n") else tail
    return body, tail.endswith(b"\n")


def _cut_back(fd: int, size: int) -> None:
    """After a failed write, remove whatever part of the line reached the file."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass  # verify() will report the torn line


def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _os_message(verb: str, path: Path, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    return (
        f"could not {verb} the audit file {path}: {why}. Nothing case-level is shown until the "
        "audit trail can be written: check the free space and permissions of REASSESS_DATA_DIR/audit"
    )
