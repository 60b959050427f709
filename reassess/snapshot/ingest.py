"""Ingest: validate an extract, then write it as one immutable snapshot, atomically."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from reassess import __version__
from reassess.extract.contract import CONTRACT_VERSION_2, TABLES
from reassess.extract.history import (
    capped,
    case_change_warnings,
    reinvestigation_change_warnings,
)
from reassess.extract.issues import ExtractError, Issue, file_issue, refused
from reassess.extract.limits import Limits, limits
from reassess.extract.read import Extract, load_rows, read_extract
from reassess.extract.validate import Validated, validate
from reassess.snapshot.listing import (
    SNAPSHOT_RE,
    SnapshotInfo,
    _read_manifest,
    snapshot_path,
)
from reassess.snapshot.sql import sql_text

TMP_PREFIX = ".ingest-"
SNAPSHOT_TABLES = ("cases", "officers", "abstractions", "reinvestigations")


@dataclass(frozen=True)
class IngestResult:
    """What an ingest wrote."""

    as_of: date
    path: Path
    cases: int
    officers: int
    abstractions: int
    warnings: tuple[Issue, ...]
    replaced: Path | None
    reinvestigations: int = 0
    contract_version: str = "1"
    warning_count: int = 0  # every warning found; `warnings` lists at most max_warnings of them


class SnapshotExists(ExtractError):
    """The as-of date already has a snapshot and --replace was not given."""


def check_as_of(as_of: date, lim: Limits, today: date | None = None) -> None:
    """Refuse an as-of date later than today by more than the as_of_future_days margin."""
    today = today or date.today()
    latest = today + timedelta(days=lim.as_of_future_days)
    if as_of > latest:
        raise ExtractError(
            [
                Issue(
                    "--as-of",
                    None,
                    None,
                    as_of.isoformat(),
                    f"is after today ({today.isoformat()}) by more than the "
                    f"{lim.as_of_future_days} day{'s' if lim.as_of_future_days != 1 else ''} "
                    "allowed by "
                    f"{lim.setting('as_of_future_days')}; give the date the extract was taken",
                    "limit",
                )
            ]
        )


@contextmanager
def workspace(lim: Limits) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """An in-memory DuckDB for reading and checking, and a private scratch folder (system temp)."""
    scratch = Path(tempfile.mkdtemp(prefix="reassess-ingest-"))
    try:
        con = duckdb.connect(
            ":memory:",
            config={
                "threads": 2,
                "memory_limit": f"{lim.duckdb_memory_mb}MB",
                "temp_directory": str(scratch / "spill"),
                # Give freed memory back at once (a dropped raw table, a finished hash table),
                # so one table's working memory is not kept while the next is checked.
                "allocator_flush_threshold": "32MB",
                "allocator_bulk_deallocation_flush_threshold": "32MB",
            },
        )
        try:
            yield con, scratch
        finally:
            con.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_extract(source: Path, as_of: date, limits_: Limits | None = None) -> Validated:
    """Read and validate an extract without writing anything; raise ExtractError if refused."""
    lim = limits_ or limits()
    with workspace(lim) as (con, scratch):
        extract = read_extract(source, lim, scratch)
        load_rows(con, extract, lim)
        return validate(con, extract, as_of, lim)


def ingest(
    source: Path,
    as_of: date,
    snapshot_dir: Path,
    *,
    replace: bool = False,
    synthetic: bool = False,
    progress: bool | None = None,
    limits_: Limits | None = None,
) -> IngestResult:
    """Validate `source` and write the snapshot for `as_of`; raise ExtractError, writing nothing."""
    lim = limits_ or limits()
    check_as_of(as_of, lim)
    final = snapshot_path(snapshot_dir, as_of)
    if final.exists() and not replace:
        raise SnapshotExists(
            [
                file_issue(
                    str(final),
                    f"a snapshot for {as_of.isoformat()} already exists and snapshots are never "
                    "overwritten; run again with --replace to supersede it (the old file is kept "
                    "beside the new one)",
                    "exists",
                )
            ]
        )
    with workspace(lim) as (con, scratch):
        try:
            extract = read_extract(source, lim, scratch)
            load_rows(con, extract, lim)
            bar = _progress_bar(progress, source.name)
            try:
                validated = validate(con, extract, as_of, lim, progress=bar)
            finally:
                if bar is not None:
                    bar(-1)
        except duckdb.OutOfMemoryException:
            raise refused(
                source.name,
                f"needs more than {lim.duckdb_memory_mb:,} MB of working memory to read and "
                f"check; the limit is set by {lim.setting('duckdb_memory_mb')}",
                "limit",
            ) from None
        return _write(
            con, source, as_of, snapshot_dir, final, replace, synthetic, extract, validated, lim
        )


def _write(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    as_of: date,
    snapshot_dir: Path,
    final: Path,
    replace: bool,
    synthetic: bool,
    extract: Extract,
    validated: Validated,
    lim: Limits,
) -> IngestResult:
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    previous = previous_snapshot(snapshot_dir, as_of)
    tmp = snapshot_dir / f"{TMP_PREFIX}{as_of.isoformat()}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    warnings = list(validated.warnings)
    try:
        con.execute(f"attach '{_quote(tmp)}' as snap")
        try:
            con.execute("use snap")
            con.execute(sql_text("ingest", "schema"))
            for name in SNAPSHOT_TABLES:
                _insert(con, name, validated)
            con.execute(sql_text("ingest", "summary"), {"as_of": as_of})
            con.execute(sql_text("ingest", "scope_history"))
            if previous is not None:
                con.execute(f"attach '{_quote(previous.path)}' as prev (read_only)")
                # The previous snapshot carries the history of every snapshot before it, so one
                # file is read however many snapshots there are.
                con.execute(sql_text("ingest", "scope_history_previous"))
                con.execute(sql_text("ingest", "changes"))
                warnings.extend(_change_warnings(con, previous.as_of, validated.sources))
                con.execute("detach prev")
            total = len(warnings)
            warnings = capped(warnings, lim.max_warnings, lim.setting("max_warnings"))
            _write_manifest(
                con, source, as_of, synthetic, extract, validated, warnings, total, previous
            )
            con.execute("checkpoint snap")
        finally:
            con.execute("use memory")
            con.execute("detach database if exists snap")
        _fsync(tmp)
        replaced = _publish(tmp, final, replace)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    counts = validated.counts
    return IngestResult(
        as_of=as_of,
        path=final,
        cases=counts["cases"],
        officers=counts["officers"],
        abstractions=counts["abstractions"],
        warnings=tuple(warnings),
        replaced=replaced,
        reinvestigations=counts["reinvestigations"],
        contract_version=validated.version,
        warning_count=total,
    )


def previous_snapshot(snapshot_dir: Path, as_of: date) -> SnapshotInfo | None:
    """The latest readable snapshot before `as_of`, opening only as many files as it takes."""
    names = sorted(
        (p for p in snapshot_dir.iterdir() if SNAPSHOT_RE.match(p.name) and p.is_file()),
        reverse=True,
    )
    for path in names:
        if path.name >= f"{as_of.isoformat()}.duckdb":
            continue
        st = path.stat()
        info = _read_manifest(str(path), (st.st_ino, st.st_size, st.st_mtime_ns))
        if not isinstance(info, str):
            return info
    return None


def _quote(path: Path) -> str:
    """A file path as a SQL string literal body (ATTACH takes no parameters)."""
    return str(path).replace("'", "''")


def _insert(con: duckdb.DuckDBPyConnection, name: str, validated: Validated) -> None:
    """One table into the snapshot, in file order (t_<name> holds the rows in that order)."""
    cols = ", ".join(c.name for c in TABLES[name])
    con.execute(
        f"insert into {name} (source_row, {cols}) "  # noqa: S608 (names from the contract)
        f"select _row, {cols} from temp.main.t_{name}"
    )


def _change_warnings(
    con: duckdb.DuckDBPyConnection, prev_as_of: date, sources: dict[str, str]
) -> list[Issue]:
    """What changed since the previous snapshot (attached as prev) that a reader should know."""
    out = case_change_warnings(con, prev_as_of, sources["cases"])
    if "reinvestigations" in sources and _follows_v2(con):
        con.execute(sql_text("ingest", "reinvestigation_changes"))
        out.extend(reinvestigation_change_warnings(con, prev_as_of, sources["reinvestigations"]))
    return out


def _follows_v2(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the previous snapshot recorded reinvestigations (a v2 extract); else history starts here."""
    row = con.execute(
        "select count(*) from duckdb_tables() "
        "where database_name = 'prev' and table_name = 'reinvestigations'"
    ).fetchall()
    if not row or not row[0][0]:
        return False
    version = con.execute("select max(contract_version) from prev.manifest").fetchall()
    return bool(version) and version[0][0] == CONTRACT_VERSION_2


def _write_manifest(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    as_of: date,
    synthetic: bool,
    extract: Extract,
    validated: Validated,
    warnings: list[Issue],
    total: int,
    previous: SnapshotInfo | None,
) -> None:
    counts = validated.counts
    con.execute(
        "insert into manifest values ($as_of, $at, $contract, $software, $synthetic, $form, "
        "$path, $cases, $officers, $abstractions, $warnings, $previous)",
        {
            "as_of": as_of,
            "at": datetime.now(UTC).replace(tzinfo=None),
            "contract": validated.version,
            "software": __version__,
            "synthetic": synthetic,
            "form": extract.form,
            "path": source.name,
            "cases": counts["cases"],
            "officers": counts["officers"],
            "abstractions": counts["abstractions"],
            "warnings": total,
            "previous": previous.as_of if previous is not None else None,
        },
    )
    for src in extract.sources:
        con.execute(
            "insert into sources values ($f, $h, $b)",
            {"f": src.name, "h": src.sha256, "b": src.bytes},
        )
    if warnings:
        rows = pa.table(
            {
                "code": pa.array([w.code for w in warnings], pa.string()),
                "file": pa.array([w.file for w in warnings], pa.string()),
                "row_number": pa.array([w.row for w in warnings], pa.int32()),
                "column_name": pa.array([w.column for w in warnings], pa.string()),
                "value": pa.array([w.value for w in warnings], pa.string()),
                "message": pa.array([w.message for w in warnings], pa.string()),
            }
        )
        con.register("incoming_warnings", rows)
        try:
            con.execute("insert into warnings select * from incoming_warnings")
        finally:
            con.unregister("incoming_warnings")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(tmp: Path, final: Path, replace: bool) -> Path | None:
    """Move the finished file into place without ever overwriting a snapshot."""
    kept: Path | None = None
    if replace and final.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        kept = final.with_name(f"{final.stem}.replaced-{stamp}.duckdb")
        os.link(final, kept)
        os.replace(tmp, final)
    else:
        try:
            os.link(tmp, final)  # fails if another ingest got there first
        except FileExistsError:
            raise SnapshotExists(
                [
                    file_issue(
                        str(final),
                        "another ingest wrote this snapshot while this one ran; nothing was overwritten",
                        "exists",
                    )
                ]
            ) from None
        tmp.unlink()
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return kept


def _progress_bar(enabled: bool | None, label: str) -> Callable[[int], None] | None:
    """A tqdm bar on a terminal, nothing otherwise; called with -1 to close."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    bar = tqdm(desc=f"validating {label}", unit=" rows", leave=False)

    def step(n: int) -> None:
        if n < 0:
            bar.close()
        else:
            bar.update(n)

    return step
