"""Checking the audit trail: each file's hash chain, signatures, seals and anchors kept elsewhere."""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from reassess.store.audit_events import _os_message
from reassess.store.audit_keys import AuditKey, _seal_text, _sha, _signed_body


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
