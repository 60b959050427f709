"""An .xlsx workbook: its zip parts checked against the limits, then each sheet's rows read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from reassess.extract.issues import ExtractError, Issue, refused
from reassess.extract.limits import Limits, too_many_rows

CHUNK_BYTES = 4 * 2**20


def check_parts(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack too large, or too many times their packed size."""
    mb = 2**20
    for info in archive.infolist():
        if info.file_size > limits.max_xlsx_part_bytes:
            raise refused(
                name,
                f"its part {info.filename} unpacks to {info.file_size / mb:,.0f} MB; the limit is "
                f"{limits.max_xlsx_part_bytes / mb:,.0f} MB, set by "
                f"{limits.setting('max_xlsx_part_bytes')}. Save the workbook again from Excel, "
                "or export each sheet as CSV",
                "limit",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.xlsx_ratio_from_bytes and ratio > limits.max_xlsx_ratio:
            raise refused(
                name,
                f"its part {info.filename} unpacks to {ratio:,.0f} times its packed size; the "
                f"limit is {limits.max_xlsx_ratio:,} times, set by "
                f"{limits.setting('max_xlsx_ratio')}. Save the workbook again from Excel, "
                "or export each sheet as CSV",
                "limit",
            )


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the part that holds it, read from the workbook's own small XML.

    Needed before openpyxl opens the workbook: its read-only mode parses every sheet whole at
    load when the sheet states no dimension.
    """
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{pkg}Relationship")}
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel_ns}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = part
    return parts


def count_rows(archive: zipfile.ZipFile, part: str) -> int:
    """About how many rows a sheet's XML holds, counted as it unpacks (no XML parsing)."""
    count = 0
    tail = b""
    with archive.open(part) as src:
        while chunk := src.read(CHUNK_BYTES):
            data = tail + chunk  # a tag split between chunks is counted once, here
            count += data.count(b"<row") - data.count(b"<rowBreaks")
            tail = data[-3:]
    return count


def sheet_rows(ws: Any, source: str, limits: Limits) -> Iterator[tuple[int, Sequence[Any]]]:
    """(spreadsheet row, cells) of a read-only sheet, refusing rows past the row limit at once.

    openpyxl's own iter_rows fills every gap between row numbers (and up to a stated dimension)
    with empty rows, so one row numbered 50,000,000 costs minutes; this reads the rows present.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    last_allowed = limits.max_rows + 1
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=ws.parent.data_only,
            epoch=ws.parent.epoch,
            date_formats=ws.parent._date_formats,
            timedelta_formats=ws.parent._timedelta_formats,
        )
        for idx, row in parser.parse():
            if idx > last_allowed:
                if idx > last_allowed + 1:
                    raise ExtractError([beyond_last_row(source, idx, limits)])
                raise ExtractError([too_many_rows(source, limits)])
            if not row:
                yield idx, ()
                continue
            width = max(cell["column"] for cell in row)
            cells: list[Any] = [None] * width
            for cell in row:
                cells[cell["column"] - 1] = _cell(cell["value"])
            yield idx, cells


def beyond_last_row(source: str, row: int, limits: Limits) -> Issue:
    """A row numbered far past any the limit allows (a sheet with one cell at row 50,000,000)."""
    return Issue(
        source,
        row,
        None,
        None,
        f"is beyond the last row allowed ({limits.max_rows + 1:,}: {limits.max_rows:,} rows "
        f"and the header, set by {limits.setting('max_rows')}); delete everything below the "
        "data and save the workbook again",
        "limit",
    )


def _cell(value: Any) -> Any:
    if isinstance(value, datetime) and value.hour == value.minute == value.second == 0:
        return value.date()
    return value


def open_workbook(
    data: bytes, name: str, limits: Limits, tables: Sequence[str]
) -> tuple[Any, zipfile.ZipFile]:
    """The workbook (read-only, values only) after its parts passed the limits."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise refused(
            name, "is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook'"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refused(
            name, "is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook'"
        ) from None
    check_parts(archive, name, limits)
    for sheet, part in sheet_parts(archive).items():
        table = sheet.strip().lower()
        if table in tables and part in archive.namelist():
            if count_rows(archive, part) > limits.max_rows + 1:
                raise ExtractError([too_many_rows(f"{name}, sheet {table}", limits)])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise refused(
            name,
            f"cannot be opened as an Excel workbook ({type(exc).__name__}); save it again from Excel as 'Excel Workbook'",
        ) from None
    return wb, archive
