"""Reading an extract (a CSV folder or an XLSX workbook) into raw tables, with source hashes."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reassess.extract.contract import REQUIRED_TABLES, TABLES, ExtractError, Issue, RawTable

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_000_000
csv.field_size_limit(MAX_FILE_BYTES)
# One line with its ending (\r\n, \r or \n), as io.StringIO(newline="") splits them.
LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass(frozen=True)
class SourceFile:
    """One file the extract was read from."""

    name: str
    sha256: str
    bytes: int


@dataclass
class Extract:
    """The raw tables of one extract and the files they came from."""

    tables: dict[str, RawTable]
    sources: list[SourceFile]
    form: str  # "csv" or "xlsx"


def refused(file: str, message: str) -> ExtractError:
    """The extract refused for one reason about a whole file (no row or column to point at)."""
    return ExtractError([Issue(file, None, None, None, message)])


def read_extract(path: Path) -> Extract:
    """Open a CSV folder or an XLSX workbook; raise ExtractError on anything unreadable."""
    if not path.exists():
        raise refused(
            str(path),
            "does not exist; give the folder that holds cases.csv and officers.csv, or an .xlsx workbook",
        )
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if path.suffix.lower() == ".csv":
        raise refused(
            path.name,
            f"is a single CSV file; give the folder that holds it ({path.parent}) so that cases.csv and officers.csv are read together",
        )
    raise refused(path.name, "is neither a folder of CSV files nor an .xlsx workbook")


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_folder(folder: Path) -> Extract:
    files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    sources: list[SourceFile] = []
    for name in TABLES:
        path = files.get(f"{name}.csv")
        if path is None:
            if name in REQUIRED_TABLES:
                others = ", ".join(sorted(files)) or "nothing"
                issues.append(
                    Issue(
                        f"{name}.csv",
                        None,
                        None,
                        None,
                        f"is missing from {folder}; the folder holds {others}. Export the {name} table as {name}.csv",
                    )
                )
            continue
        try:
            data = _read_bytes(path)
            text = decode(data, path.name)
        except ExtractError as exc:
            issues.extend(exc.issues)
            continue
        sources.append(SourceFile(path.name, _hash(data), len(data)))
        try:
            tables[name] = _csv_table(name, path.name, text)
        except ExtractError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ExtractError(issues)
    return Extract(tables, sources, "csv")


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refused(
            path.name,
            f"is {size / 1e6:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB. Check it is the right file",
        )
    return path.read_bytes()


def decode(data: bytes, name: str) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or Windows-1252, or refuse clearly."""
    fix = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
    if not data.strip():
        raise refused(name, "is empty; export the table again with its header row")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refused(name, f"is UTF-16 text, which is not accepted; {fix}")
    if data.startswith(b"PK\x03\x04"):
        raise refused(
            name,
            "is a zip or Excel workbook, not CSV text; give the .xlsx itself, or export each sheet as CSV",
        )
    if data.startswith(b"%PDF"):
        raise refused(name, f"is a PDF, not CSV text; {fix}")
    if b"\x00" in data[:65536]:
        raise refused(name, f"is binary (it contains NUL bytes), not CSV text; {fix}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise refused(
            name,
            f"is in an unsupported text encoding (byte 0x{data[exc.start]:02x} at position {exc.start} is neither UTF-8 nor Windows-1252); {fix}",
        ) from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        raise refused(name, f"contains {controls} control characters, so it is not CSV text; {fix}")
    return text


def _csv_table(name: str, source: str, text: str) -> RawTable:
    # Lines are cut from `text` lazily: io.StringIO would hold a 4-bytes-a-character copy.
    lines = (m.group() for m in LINE_RE.finditer(text))
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise refused(source, "is empty; export the table again with its header row") from None
    except csv.Error as exc:
        raise ExtractError(
            [Issue(source, 1, None, None, f"the header row cannot be read as CSV ({exc})")]
        ) from None
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in header[0])
        shown = {";": "semicolons", "\t": "tabs", "|": "pipes"}[sep]
        raise ExtractError(
            [
                Issue(
                    source,
                    1,
                    None,
                    header[0][:60],
                    f"the file is separated by {shown}; the contract needs commas. Save it as 'CSV UTF-8 (Comma delimited)'",
                )
            ]
        )
    return RawTable(name, source, header, _csv_rows(reader, source))


def _csv_rows(reader: Any, source: str) -> Iterator[tuple[int, Sequence[Any]]]:
    rownum = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExtractError(
                [
                    Issue(
                        source,
                        rownum + 1,  # the row being read (line_num is where the reader stopped)
                        None,
                        None,
                        f"cannot be read as CSV ({exc}); check for an unmatched double quote",
                    )
                ]
            ) from None
        rownum += 1
        if rownum > MAX_ROWS + 1:
            raise ExtractError(
                [
                    Issue(
                        source,
                        rownum,
                        None,
                        None,
                        f"has more than {MAX_ROWS:,} rows; check it is the right file",
                    )
                ]
            )
        yield rownum, cells


def _read_workbook(path: Path) -> Extract:
    from openpyxl import load_workbook

    data = _read_bytes(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise refused(
            path.name, "is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook'"
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise refused(
            path.name,
            f"cannot be opened as an Excel workbook ({type(exc).__name__}); save it again from Excel as 'Excel Workbook'",
        ) from None
    sheets = {s.strip().lower(): s for s in wb.sheetnames}
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    for name in TABLES:
        sheet_name = sheets.get(name)
        source = f"{path.name}, sheet {name}"
        if sheet_name is None:
            if name in REQUIRED_TABLES:
                issues.append(
                    Issue(
                        path.name,
                        None,
                        None,
                        None,
                        f"has no sheet named {name!r} (it has {', '.join(repr(s) for s in wb.sheetnames)}); rename the sheet that holds the {name} to {name!r}",
                    )
                )
            continue
        rows = wb[sheet_name].iter_rows(values_only=True)
        try:
            header_cells = next(rows)
        except StopIteration:
            issues.append(
                Issue(
                    source,
                    None,
                    None,
                    None,
                    "is empty; it needs a header row and one row per record",
                )
            )
            continue
        header = ["" if c is None else str(c) for c in header_cells]
        while header and header[-1] == "":
            header.pop()
        tables[name] = RawTable(name, source, header, _sheet_rows(rows))
    if issues:
        raise ExtractError(issues)
    return Extract(tables, [SourceFile(path.name, _hash(data), len(data))], "xlsx")


def _sheet_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, Sequence[Any]]]:
    for i, cells in enumerate(rows, start=2):
        yield i, [_cell(c) for c in cells]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime) and value.hour == value.minute == value.second == 0:
        return value.date()
    return value
