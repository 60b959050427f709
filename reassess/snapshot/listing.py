"""Snapshot files: naming, listing (with their manifests) and the broken ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from reassess.snapshot.sql import sql_text

SNAPSHOT_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.duckdb$")


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot file and the headline facts of its manifest."""

    as_of: date
    path: Path
    in_scope: int
    assessed: int
    synthetic: bool
    warnings: int
    ingested_at: datetime
    bytes: int
    stat_key: tuple[int, int, int]
    contract_version: str = ""
    case_rows: int = 0
    officer_rows: int = 0
    sources: tuple[tuple[str, str, int], ...] = ()  # (file, sha256, bytes)

    @property
    def label(self) -> str:
        return self.as_of.isoformat()


@dataclass(frozen=True)
class BrokenSnapshot:
    """A file in the snapshot folder that could not be read, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Listing:
    """The readable snapshots (oldest first) and any broken ones."""

    snapshots: tuple[SnapshotInfo, ...]
    broken: tuple[BrokenSnapshot, ...]

    @property
    def latest(self) -> SnapshotInfo | None:
        return self.snapshots[-1] if self.snapshots else None

    def get(self, as_of: date | str) -> SnapshotInfo | None:
        key = as_of if isinstance(as_of, str) else as_of.isoformat()
        return next((s for s in self.snapshots if s.label == key), None)

    def previous(self, snap: SnapshotInfo) -> SnapshotInfo | None:
        earlier = [s for s in self.snapshots if s.as_of < snap.as_of]
        return earlier[-1] if earlier else None

    @property
    def all_synthetic(self) -> bool:
        return all(s.synthetic for s in self.snapshots)


def snapshot_path(snapshot_dir: Path, as_of: date) -> Path:
    """Where the snapshot for an as-of date lives."""
    return snapshot_dir / f"{as_of.isoformat()}.duckdb"


def list_snapshots(snapshot_dir: Path) -> Listing:
    """Scan the folder; read each manifest once per file version (cached by stat)."""
    found: list[SnapshotInfo] = []
    broken: list[BrokenSnapshot] = []
    if not snapshot_dir.is_dir():
        return Listing((), ())
    for entry in sorted(snapshot_dir.iterdir()):
        m = SNAPSHOT_RE.match(entry.name)
        if not m or not entry.is_file():
            continue
        st = entry.stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        result = _read_manifest(str(entry), key)
        if isinstance(result, str):
            broken.append(BrokenSnapshot(entry, result))
        else:
            found.append(result)
    found.sort(key=lambda s: s.as_of)
    return Listing(tuple(found), tuple(broken))


@lru_cache(maxsize=4096)
def _read_manifest(path: str, key: tuple[int, int, int]) -> SnapshotInfo | str:
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        return f"cannot be opened as a DuckDB snapshot ({_first_line(exc)})"
    try:
        row = con.execute(sql_text("snapshot", "manifest")).fetchone()
        sources = tuple(
            (str(f), str(h), int(b))
            for f, h, b in con.execute(sql_text("snapshot", "sources")).fetchall()
        )
    except duckdb.Error as exc:
        return f"is not a complete snapshot ({_first_line(exc)})"
    finally:
        con.close()
    if row is None:
        return "has an empty manifest"
    (
        as_of,
        synthetic,
        warnings,
        ingested_at,
        contract,
        case_rows,
        officer_rows,
        in_scope,
        assessed,
    ) = row
    name_date = Path(path).name.removesuffix(".duckdb")
    if as_of.isoformat() != name_date:
        return f"says it is for {as_of.isoformat()} but is named {name_date}"
    return SnapshotInfo(
        as_of=as_of,
        path=Path(path),
        in_scope=int(in_scope),
        assessed=int(assessed),
        synthetic=bool(synthetic),
        warnings=int(warnings),
        ingested_at=ingested_at,
        bytes=key[1],
        stat_key=key,
        contract_version=str(contract),
        case_rows=int(case_rows),
        officer_rows=int(officer_rows),
        sources=sources,
    )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]
