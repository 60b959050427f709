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

The parts: `audit_events` (what a record may hold), `audit_keys` (signing), `audit_chain`
(verification and anchors); this module writes and reads the files.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reassess.config import Settings
from reassess.store.audit_chain import (
    ANCHOR_RE,
    Anchor,
    ChainProblem,
    Verification,
    _complete_lines,
    _newest_line,
    _sealed_lines,
    _verify_file,
    _verify_seal,
    _verify_signatures,
    genesis,
)
from reassess.store.audit_events import (
    ACTIONS,
    COLUMNS,
    FILE_RE,
    MAX_DETAIL,
    MAX_FILTERS,
    MAX_PAGE,
    MAX_REASON,
    MAX_USER,
    MIN_REASON,
    NO_ROLE,
    PAGE_RE,
    REF_LIKE_RE,
    AuditError,
    AuditEvent,
    AuditKeyMissing,
    InvalidAuditEvent,
    _os_message,
    filters_json,
    looks_like_case_refs,
    utc_now,
)
from reassess.store.audit_keys import (
    KEY_ENV,
    OLD_KEYS_ENV,
    AuditKey,
    _seal_text,
    _sha,
    _signed_body,
    load_keys,
)

if TYPE_CHECKING:  # pandas is imported where frames are made, so writers start quickly
    import pandas as pd

__all__ = [
    "REF_LIKE_RE",
    "ACTIONS",
    "ANCHOR_RE",
    "KEY_ENV",
    "MAX_DETAIL",
    "MAX_FILTERS",
    "MAX_PAGE",
    "MAX_REASON",
    "MAX_USER",
    "MIN_REASON",
    "NO_ROLE",
    "OLD_KEYS_ENV",
    "PAGE_RE",
    "Anchor",
    "AuditError",
    "AuditEvent",
    "AuditKey",
    "AuditKeyMissing",
    "AuditLog",
    "ChainProblem",
    "InvalidAuditEvent",
    "Verification",
    "_verify_file",
    "default_range",
    "filters_json",
    "genesis",
    "load_keys",
    "looks_like_case_refs",
    "open_trail",
    "select",
    "utc_now",
]

SEAL_FORMAT = ".{day}.seal"


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
