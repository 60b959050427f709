"""Reading an extract (a CSV folder or an XLSX workbook): every file checked, hashed, and headed.

`read_extract` checks what can be checked without reading rows (the files present, their bytes,
their encodings, their headers); `load_rows` then reads each CSV's rows into an Arrow table. A
workbook's rows stay an iterator of typed cells, checked as they are read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from reassess.extract.contract import REQUIRED_TABLES, TABLES
from reassess.extract.csvload import (
    CsvFile,
    SourceFile,
    check_header_width,
    load_csv,
    scan_csv,
)
from reassess.extract.header import check_width
from reassess.extract.issues import ExtractError, Issue, file_issue, refused
from reassess.extract.limits import Limits
from reassess.extract.xlsx import open_workbook, sheet_rows

__all__ = ["Extract", "RawTable", "SourceFile", "load_rows", "read_extract", "refused"]


@dataclass
class RawTable:
    """A table as read: its header, and its rows (in DuckDB for CSV, an iterator for XLSX)."""

    name: str
    source: str  # how the user names it: "cases.csv" or "extract.xlsx, sheet cases"
    header: list[str]
    csv: CsvFile | None = None
    arrow: pa.Table | None = None  # CSV: _row and c0, c1, ... (the cells by position), once loaded
    rows: Iterator[tuple[int, Sequence[Any]]] | None = None
    ragged: list[Issue] = field(default_factory=list)  # rows wider than the header (CSV)


@dataclass
class Extract:
    """The raw tables of one extract and the files they came from."""

    tables: dict[str, RawTable]
    sources: list[SourceFile]
    form: str  # "csv" or "xlsx"


def read_extract(path: Path, limits: Limits, scratch: Path) -> Extract:
    """Open a CSV folder or an XLSX workbook; raise ExtractError on anything unreadable."""
    if not path.exists():
        raise refused(
            str(path),
            "does not exist; give the folder that holds cases.csv and officers.csv, or an .xlsx workbook",
        )
    if path.is_dir():
        return _read_folder(path, limits, scratch)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, limits)
    if path.suffix.lower() == ".csv":
        raise refused(
            path.name,
            f"is a single CSV file; give the folder that holds it ({path.parent}) so that cases.csv and officers.csv are read together",
        )
    raise refused(path.name, "is neither a folder of CSV files nor an .xlsx workbook")


def load_rows(con: duckdb.DuckDBPyConnection, extract: Extract, limits: Limits) -> None:
    """Read every CSV table's rows (as Arrow, by DuckDB's reader), refusing unreadable CSV."""
    for raw in extract.tables.values():
        if raw.csv is not None:
            raw.arrow, raw.ragged = load_csv(con, raw.csv, limits)


def _entries(folder: Path) -> tuple[dict[str, list[os.DirEntry[str]]], list[str]]:
    by_name: dict[str, list[os.DirEntry[str]]] = {}
    listed: list[str] = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                by_name.setdefault(entry.name.lower(), []).append(entry)
                listed.append(entry.name.lower())
    return by_name, sorted(set(listed))


def _read_folder(folder: Path, limits: Limits, scratch: Path) -> Extract:
    by_name, listed = _entries(folder)
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    sources: list[SourceFile] = []
    for name in TABLES:
        file = f"{name}.csv"
        found = by_name.get(file, [])
        if len(found) > 1:
            names = " and ".join(sorted(e.name for e in found))
            issues.append(
                file_issue(
                    file,
                    f"the folder holds {names}, whose names differ only in case, so which one "
                    "is the table is unclear; keep one of them",
                    "ambiguous_file",
                )
            )
            continue
        if not found:
            if name in REQUIRED_TABLES:
                others = ", ".join(listed) or "nothing"
                issues.append(
                    file_issue(
                        file,
                        f"is missing from {folder}; the folder holds {others}. Export the {name} table as {name}.csv",
                    )
                )
            continue
        entry = found[0]
        if entry.is_symlink():
            issues.append(
                file_issue(
                    entry.name,
                    "is a symbolic link, which ingest does not follow; copy the file itself into "
                    "the folder",
                    "symlink",
                )
            )
            continue
        try:
            source, csv_file = scan_csv(Path(entry.path), name, limits, scratch)
            check_header_width(csv_file, limits)
        except ExtractError as exc:
            issues.extend(exc.issues)
            continue
        except OSError as exc:
            issues.append(file_issue(entry.name, _unreadable(exc)))
            continue
        sources.append(source)
        tables[name] = RawTable(name, csv_file.source, csv_file.header, csv=csv_file)
    if issues:
        raise ExtractError(issues)
    return Extract(tables, sources, "csv")


def _unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc}); check the file's permissions"


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise refused(
            path.name,
            f"is {size / 1e6:,.0f} MB; the limit is {limits.max_file_bytes // 2**20} MB, set by "
            f"{limits.setting('max_file_bytes')}. Check it is the right file",
        )
    with path.open("rb") as fh:
        return fh.read(limits.max_file_bytes + 1)


def _read_workbook(path: Path, limits: Limits) -> Extract:
    data = _read_bytes(path, limits)
    wb, _archive = open_workbook(data, path.name, limits, tuple(TABLES))
    sheets = {s.strip().lower(): s for s in wb.sheetnames}
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    for name in TABLES:
        sheet_name = sheets.get(name)
        source = f"{path.name}, sheet {name}"
        if sheet_name is None:
            if name in REQUIRED_TABLES:
                issues.append(
                    file_issue(
                        path.name,
                        f"has no sheet named {name!r} (it has {', '.join(repr(s) for s in wb.sheetnames)}); rename the sheet that holds the {name} to {name!r}",
                    )
                )
            continue
        ws = wb[sheet_name]
        rows = sheet_rows(ws, source, limits)
        try:
            _, header_cells = next(rows)
        except StopIteration:
            issues.append(
                file_issue(
                    source,
                    "is empty; it needs a header row and one row per record",
                )
            )
            continue
        header = ["" if c is None else str(c) for c in header_cells]
        while header and header[-1] == "":
            header.pop()
        too_wide = check_width(source, len(header), limits)
        if too_wide is not None:
            issues.append(too_wide)
            continue
        tables[name] = RawTable(name, source, header, rows=rows)
    if issues:
        raise ExtractError(issues)
    digest = hashlib.sha256(data).hexdigest()
    return Extract(tables, [SourceFile(path.name, digest, len(data))], "xlsx")
