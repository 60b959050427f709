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

Keyed (`AuditKey`): with a secret key (REASSESS_AUDIT_KEY, or `[audit] key` in
.streamlit/secrets.toml; never in the repository), every line also carries `kid` (which key) and
`mac`, an HMAC-SHA256 of the line's record under that key, and each day's file has a seal
(`.YYYY-MM-DD.seal`: its line count and newest line's hash, HMAC'd) rewritten under the same lock
after each append. Without the key, someone who edits a line and re-chains the rest, or removes
the newest lines, produces a chain that looks intact; with the key, `verify` shows both. On real
(non-synthetic) data the app refuses to write an unkeyed record (`require_key`), and `verify`
without the key says what it cannot prove. Old keys stay listed (`old_keys`) so records signed
before a rotation still verify (docs/operations.md).

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
import hmac
import json
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reassess.access import ROLES
from reassess.config import Settings

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
    signed: int = 0  # records carrying a signature (checked when keyed)
    keyed: bool = False  # whether the verifying side held the audit key

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        records = f"{self.records:,} record{'' if self.records == 1 else 's'}"
        files = f"{self.files:,} file{'' if self.files == 1 else 's'}"
        if self.ok and self.keyed:
            return f"Audit chain intact and every signature and seal checks: {records} in {files}."
        if self.ok:
            unsigned = self.records - self.signed
            what = (
                f"{self.signed:,} of them signed, whose signatures cannot be checked"
                if self.signed
                else "none of them signed"
            )
            return (
                f"Audit chain intact: {records} in {files}, {what}. Without the audit key this "
                "cannot prove that no line was edited and the rest re-chained, or that the "
                "newest lines were not removed: set REASSESS_AUDIT_KEY to check the signatures"
                + (f" ({unsigned:,} unsigned)." if self.signed and unsigned else ".")
            )
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


MIN_KEY_CHARS = 32
SEAL_FORMAT = ".{day}.seal"


@dataclass(frozen=True)
class AuditKey:
    """A secret for signing audit records; `kid` names it in each record (never the secret)."""

    secret: bytes = field(repr=False)
    source: str

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_KEY_CHARS:
            raise AuditError(
                f"the audit key from {self.source} is {len(self.secret)} characters; use at "
                f"least {MIN_KEY_CHARS} random characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`)"
            )

    @property
    def kid(self) -> str:
        """A short public name for the key: the first 12 hex digits of a hash of it."""
        return _sha(b"reassess-audit-kid:" + self.secret)[:12]

    def sign(self, data: bytes) -> str:
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()


KEY_ENV = "REASSESS_AUDIT_KEY"
OLD_KEYS_ENV = "REASSESS_AUDIT_OLD_KEYS"


def load_keys(
    environ: Mapping[str, str], secrets_file: Path | None = None
) -> tuple[AuditKey | None, tuple[AuditKey, ...]]:
    """The signing key and earlier keys, from the environment, else `[audit]` in the secrets file.

    REASSESS_AUDIT_KEY / `key` signs new records; REASSESS_AUDIT_OLD_KEYS (comma-separated) /
    `old_keys` only verify records signed before a rotation.
    """
    if environ.get(KEY_ENV):
        old = [k for k in environ.get(OLD_KEYS_ENV, "").split(",") if k.strip()]
        return (
            AuditKey(environ[KEY_ENV].strip().encode(), f"${KEY_ENV}"),
            tuple(AuditKey(k.strip().encode(), f"${OLD_KEYS_ENV}") for k in old),
        )
    if secrets_file is None or not secrets_file.is_file():
        return None, ()
    try:
        section = tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("audit", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuditError(f"could not read the audit key from {secrets_file}: {exc}") from exc
    where = f"{secrets_file} [audit]"
    key = section.get("key")
    old = section.get("old_keys", [])
    if not isinstance(old, list) or not all(isinstance(k, str) for k in old):
        raise AuditError(f'{where} old_keys must be a list of strings, e.g. old_keys = ["..."]')
    return (
        AuditKey(str(key).encode(), f"{where} key") if key else None,
        tuple(AuditKey(k.encode(), f"{where} old_keys") for k in old),
    )


def _signed_body(record: dict[str, Any]) -> bytes:
    """The bytes a record's `mac` signs: the record without `mac`, canonical JSON."""
    body = {k: v for k, v in record.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _seal_text(file: str, lines: int, sha256: str) -> bytes:
    return f"reassess-audit-seal:{file}:{lines}:{sha256}".encode()


class AuditLog:
    """The append-only audit files in one folder."""

    def __init__(
        self,
        audit_dir: Path,
        key: AuditKey | None = None,
        old_keys: Sequence[AuditKey] = (),
        *,
        require_key: bool = False,
    ) -> None:
        self.audit_dir = Path(audit_dir)
        self.key = key
        self.keys = {k.kid: k for k in (*old_keys, *((key,) if key else ()))}
        self.require_key = require_key

    def seal_path(self, day: date) -> Path:
        return self.audit_dir / SEAL_FORMAT.format(day=day.isoformat())

    def path_for(self, day: date) -> Path:
        return self.audit_dir / f"{day.isoformat()}.jsonl"

    def record(self, event: AuditEvent) -> None:
        """Append one event to its day's file, chained to the line before; AuditError on failure."""
        if not isinstance(event, AuditEvent):
            raise InvalidAuditEvent(f"expected an AuditEvent, got {type(event).__name__}")
        if self.require_key and self.key is None:
            raise AuditKeyMissing(
                "the audit key is not set, and these are real (non-synthetic) snapshots: set "
                "REASSESS_AUDIT_KEY (or [audit] key in .streamlit/secrets.toml) so that every "
                "record is signed; nothing is shown until the audit trail can be written"
            )
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
            record: dict[str, Any] = {**event.to_record(), "prev": prev}
            if self.key is not None:
                record["kid"] = self.key.kid
                record["mac"] = self.key.sign(_signed_body(record))
            body = json.dumps(record, separators=(",", ":"), ensure_ascii=True).encode("ascii")
            data = (b"" if ends_clean else b"\n") + body + b"\n"
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(errno.EIO, f"short write ({written} of {len(data)} bytes)")
                os.fsync(fd)
                if self.key is not None:
                    self._reseal(day, fd, size, ends_clean, body)
            except OSError:
                _cut_back(fd, size)
                raise
        except OSError as exc:
            raise AuditError(_os_message("write to", path, exc)) from exc
        finally:
            os.close(fd)  # closing the descriptor releases the lock
        if created:
            _fsync_dir(self.audit_dir)

    def _reseal(self, day: date, fd: int, size: int, ends_clean: bool, body: bytes) -> None:
        """Rewrite the day's seal after an append (under the file's lock): lines and newest hash."""
        assert self.key is not None
        seal = self.seal_path(day)
        before = _sealed_lines(seal, self.key, self.path_for(day).name) if size else 0
        if before is None:  # no seal yet, or one this key did not sign: count the lines
            before = len(_complete_lines(os.pread(fd, size, 0)))
        # A torn last line was closed off by the newline written before this record.
        lines = before + (0 if ends_clean else 1) + 1
        digest = _sha(body)
        text = json.dumps(
            {
                "file": self.path_for(day).name,
                "lines": lines,
                "sha256": digest,
                "kid": self.key.kid,
                "mac": self.key.sign(_seal_text(self.path_for(day).name, lines, digest)),
            },
            sort_keys=True,
        ).encode()
        tmp = seal.with_name(seal.name + ".tmp")
        tmp_fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        try:
            os.write(tmp_fd, text)
            os.fsync(tmp_fd)
        finally:
            os.close(tmp_fd)
        os.replace(tmp, seal)

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
        records = signed = 0
        files = self.files()
        keys = tuple(sorted(self.keys.items()))
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
            key = (st.st_ino, st.st_size, st.st_mtime_ns)
            count, chain_problems = _verify_file(str(path), day, key)
            records += count
            problems.extend(chain_problems)
            file_signed, signature_problems = _verify_signatures(str(path), key, keys)
            signed += file_signed
            problems.extend(signature_problems)
            if self.keys:
                problems.extend(_verify_seal(self.seal_path(day), path, self.keys))
        for seal in sorted(self.audit_dir.glob(".*.seal")) if self.audit_dir.is_dir() else ():
            day_file = self.audit_dir / (seal.name[1:].removesuffix(".seal") + ".jsonl")
            if FILE_RE.match(day_file.name) and not day_file.exists():
                problems.append(
                    ChainProblem(day_file.name, 0, "the file is gone, but its seal is still there")
                )
        return Verification(len(files), records, tuple(problems), signed, bool(self.keys))

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


def open_trail(cfg: Settings) -> AuditLog:
    """The audit trail of a data folder, keyed from the environment or secrets file.

    With real (non-synthetic) snapshots in the folder, an unkeyed record is refused.
    """
    from reassess.snapshot.listing import list_snapshots

    key, old = load_keys(os.environ, cfg.secrets_file)
    real = not list_snapshots(cfg.snapshot_dir).all_synthetic
    return AuditLog(cfg.audit_dir, key, old, require_key=real)


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


@lru_cache(maxsize=4096)
def _verify_signatures(
    path: str, key: tuple[int, int, int], keys: tuple[tuple[str, AuditKey], ...]
) -> tuple[int, tuple[ChainProblem, ...]]:
    """Signed records in one file, and each line whose signature fails (keyed: unsigned too)."""
    name = Path(path).name
    try:
        lines = _complete_lines(Path(path).read_bytes())
    except OSError:
        return 0, ()  # _verify_file reports it
    by_kid = dict(keys)
    problems: list[ChainProblem] = []
    signed = 0
    for n, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # _verify_file reports it
        if not isinstance(obj, dict):
            continue
        mac, kid = obj.get("mac"), obj.get("kid")
        if mac is None:
            if by_kid:
                problems.append(
                    ChainProblem(name, n, "the line is not signed, but the trail is keyed")
                )
            continue
        signed += 1
        if not by_kid:
            continue
        audit_key = by_kid.get(str(kid))
        if audit_key is None:
            problems.append(
                ChainProblem(name, n, f"signed with key {kid!r}, which is not configured")
            )
        elif not hmac.compare_digest(str(mac), audit_key.sign(_signed_body(obj))):
            problems.append(
                ChainProblem(
                    name, n, "its signature does not match: the line was edited after signing"
                )
            )
    return signed, tuple(problems)


def _sealed_lines(seal: Path, key: AuditKey, file: str) -> int | None:
    """The line count a seal records, if the seal is there and signed by this key."""
    try:
        obj = json.loads(seal.read_bytes())
        lines, digest = int(obj["lines"]), str(obj["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if obj.get("kid") != key.kid or not hmac.compare_digest(
        str(obj.get("mac")), key.sign(_seal_text(file, lines, digest))
    ):
        return None
    return lines


def _verify_seal(seal: Path, path: Path, keys: dict[str, AuditKey]) -> list[ChainProblem]:
    """A keyed file's seal must be there, signed, and match the file's lines and newest line."""
    name = path.name
    try:
        lines = _complete_lines(path.read_bytes())
    except OSError:
        return []
    if not any(b'"mac":' in line for line in lines):
        return []  # an unsigned file (before the trail was keyed) has no seal to check
    try:
        obj = json.loads(seal.read_bytes())
        count, digest, kid = int(obj["lines"]), str(obj["sha256"]), str(obj["kid"])
    except FileNotFoundError:
        return [ChainProblem(name, 0, "its seal is missing: the newest lines cannot be checked")]
    except (OSError, ValueError, KeyError, TypeError):
        return [ChainProblem(name, 0, "its seal is unreadable")]
    audit_key = keys.get(kid)
    if audit_key is None or not hmac.compare_digest(
        str(obj.get("mac")), audit_key.sign(_seal_text(name, count, digest))
    ):
        return [ChainProblem(name, 0, "its seal's signature does not match")]
    if count > len(lines):
        return [
            ChainProblem(
                name,
                len(lines) + 1,
                f"the seal records {count:,} lines but the file has {len(lines):,}: the newest "
                "lines were removed",
            )
        ]
    if count < len(lines) or _sha(lines[-1]) != digest:
        return [ChainProblem(name, count, "the file does not end where its seal says it does")]
    return []


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
