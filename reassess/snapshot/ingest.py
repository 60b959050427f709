"""Ingest: validate an extract, then write it as one immutable snapshot, atomically."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from reassess import __version__
from reassess.extract.contract import CONTRACT_VERSION, ExtractError, Issue, validate
from reassess.extract.read import read_extract
from reassess.snapshot.listing import list_snapshots, snapshot_path
from reassess.snapshot.sql import sql_text

TMP_PREFIX = ".ingest-"


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


class SnapshotExists(ExtractError):
    """The as-of date already has a snapshot and --replace was not given."""


def ingest(
    source: Path,
    as_of: date,
    snapshot_dir: Path,
    *,
    replace: bool = False,
    synthetic: bool = False,
    progress: bool | None = None,
) -> IngestResult:
    """Validate `source` and write the snapshot for `as_of`; raise ExtractError, writing nothing."""
    final = snapshot_path(snapshot_dir, as_of)
    if final.exists() and not replace:
        raise SnapshotExists(
            [
                Issue(
                    str(final),
                    None,
                    None,
                    None,
                    f"a snapshot for {as_of.isoformat()} already exists and snapshots are never "
                    "overwritten; run again with --replace to supersede it (the old file is kept "
                    "beside the new one)",
                    "exists",
                )
            ]
        )
    extract = read_extract(source)
    bar = _progress_bar(progress, source.name)
    try:
        validated = validate(extract.tables, as_of, progress=bar)
    finally:
        if bar is not None:
            bar(-1)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    listing = list_snapshots(snapshot_dir)
    earlier = [s for s in listing.snapshots if s.as_of < as_of]
    previous = earlier[-1] if earlier else None
    tmp = snapshot_dir / f"{TMP_PREFIX}{as_of.isoformat()}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    warnings = list(validated.warnings)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("set threads = 2")
            con.execute(sql_text("ingest", "schema"))
            for name, frame in validated.tables.items():
                _insert(con, name, frame)
            con.execute(sql_text("ingest", "summary"), {"as_of": as_of})
            con.execute(sql_text("ingest", "scope_history"))
            if previous is not None:
                con.execute(f"attach '{_quote(previous.path)}' as prev (read_only)")
                # The previous snapshot carries the history of every snapshot before it, so one
                # file is read however many snapshots there are.
                con.execute(sql_text("ingest", "scope_history_previous"))
                con.execute(sql_text("ingest", "changes"))
                warnings.extend(
                    _change_warnings(con, previous.as_of, extract.tables["cases"].source)
                )
                con.execute("detach prev")
            _write_manifest(
                con, source, as_of, synthetic, extract, validated.tables, warnings, previous
            )
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        replaced = _publish(tmp, final, replace)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return IngestResult(
        as_of=as_of,
        path=final,
        cases=len(validated.tables["cases"]),
        officers=len(validated.tables["officers"]),
        abstractions=len(validated.tables["abstractions"]),
        warnings=tuple(warnings),
        replaced=replaced,
    )


def _quote(path: Path) -> str:
    """A file path as a SQL string literal body (ATTACH takes no parameters)."""
    return str(path).replace("'", "''")


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("incoming", frame)
    try:
        cols = ", ".join(frame.columns)
        con.execute(f"insert into {name} ({cols}) select {cols} from incoming")  # noqa: S608
    finally:
        con.unregister("incoming")


def _change_warnings(con: duckdb.DuckDBPyConnection, prev_as_of: date, source: str) -> list[Issue]:
    rows = con.execute(
        "select case_ref, change, previous_status, status from changes "
        "where change in ('removed', 'status_backwards') order by change, case_ref"
    ).fetchall()
    out: list[Issue] = []
    for case_ref, change, before, after in rows:
        if change == "removed":
            msg = f"case {case_ref} was in the snapshot of {prev_as_of.isoformat()} and is gone from this extract"
            out.append(Issue(source, None, "case_ref", case_ref, msg, "left_scope"))
        else:
            msg = (
                f"case {case_ref} went back from {before} to {after} since {prev_as_of.isoformat()}"
            )
            out.append(Issue(source, None, "status", after, msg, "status_backwards"))
    return out


def _write_manifest(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    as_of: date,
    synthetic: bool,
    extract: object,
    tables: dict[str, pd.DataFrame],
    warnings: list[Issue],
    previous: object,
) -> None:
    con.execute(
        "insert into manifest values ($as_of, $at, $contract, $software, $synthetic, $form, "
        "$path, $cases, $officers, $abstractions, $warnings, $previous)",
        {
            "as_of": as_of,
            "at": datetime.now(UTC).replace(tzinfo=None),
            "contract": CONTRACT_VERSION,
            "software": __version__,
            "synthetic": synthetic,
            "form": extract.form,  # type: ignore[attr-defined]
            "path": source.name,
            "cases": len(tables["cases"]),
            "officers": len(tables["officers"]),
            "abstractions": len(tables["abstractions"]),
            "warnings": len(warnings),
            "previous": previous.as_of if previous is not None else None,  # type: ignore[attr-defined]
        },
    )
    for src in extract.sources:  # type: ignore[attr-defined]
        con.execute(
            "insert into sources values ($f, $h, $b)",
            {"f": src.name, "h": src.sha256, "b": src.bytes},
        )
    if warnings:
        con.executemany(
            "insert into warnings values (?, ?, ?, ?, ?, ?)",
            [(w.code, w.file, w.row, w.column, w.value, w.message) for w in warnings],
        )


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
                    Issue(
                        str(final),
                        None,
                        None,
                        None,
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
