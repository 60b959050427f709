"""A CSV file into DuckDB: checked byte by byte as it is hashed, then read as whole columns.

Every table lands as `raw_<name>`: one varchar column per heading (c0, c1, ...) and `_row`, the
row number a spreadsheet shows (header = row 1). A plain file (no double quotes, one kind of
line ending) is read by DuckDB's own CSV reader; anything else by Python's csv module in chunks,
so quoting, blank lines and row numbers follow one set of rules (RFC 4180 as Python reads it).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb
import numpy as np
import pyarrow as pa

from reassess.extract.cells import blank
from reassess.extract.header import check_width
from reassess.extract.issues import ExtractError, Issue, refused
from reassess.extract.limits import Limits, too_many_rows

CHUNK_BYTES = 8 * 2**20
ROWS_PER_BATCH = 50_000
SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "pipes"}
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class SourceFile:
    """One file the extract was read from."""

    name: str
    sha256: str
    bytes: int


@dataclass
class CsvFile:
    """A CSV file that passed the byte checks: its UTF-8 text, header and what it holds."""

    name: str  # the table
    source: str  # the file name as the user knows it
    text: Path  # UTF-8 text to parse: the file itself, or its transcoding from Windows-1252
    header: list[str]
    quotes: bool
    line_ends: int  # line endings (CR LF counted once), when they are of one kind; else -1
    unterminated: bool  # the last line has no line ending
    plain: bool = False  # read by DuckDB's reader (else by Python's csv module)
    size: int = 0  # bytes of the file


def open_regular(path: Path) -> int:
    """Open a file for reading without following a symbolic link."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))


def scan_csv(path: Path, table: str, limits: Limits, scratch: Path) -> tuple[SourceFile, CsvFile]:
    """Hash the file and check its bytes; refuse anything that is not CSV text."""
    name = path.name
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limits.max_file_bytes:
            raise refused(
                name,
                f"is {size / 1e6:,.0f} MB; the limit is {limits.max_file_bytes // 2**20} MB, set by "
                f"{limits.setting('max_file_bytes')}. Check it is the right file",
            )
        digest = hashlib.sha256()
        head = b""
        nonblank = quotes = False
        lf = cr = 0
        last = b""
        utf8 = codecs.getincrementaldecoder("utf-8")()
        valid_utf8 = True
        total = 0
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
            if not head:
                head = chunk[:65536]
                _check_head(head, name)
            total += len(chunk)
            nonblank = nonblank or bool(chunk.strip())
            quotes = quotes or b'"' in chunk
            lf += chunk.count(b"\n")
            if b"\r" in chunk:  # most files have one kind of line ending: skip a second count
                cr += chunk.count(b"\r")
            last = chunk[-1:]
            if valid_utf8 and not (chunk.isascii() and not utf8.getstate()[0]):
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    valid_utf8 = False
    if not nonblank:
        raise refused(name, "is empty; export the table again with its header row")
    if valid_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    text = path
    if not valid_utf8:
        text = _transcode(path, name, scratch / f"{table}.csv")
    kinds = (lf > 0) + (cr > 0)
    line_ends = lf or cr if kinds == 1 or lf == cr else -1
    source = SourceFile(name, digest.hexdigest(), total)
    header = _read_header(text, name)
    return source, CsvFile(
        table, name, text, header, quotes, line_ends, last not in (b"\n", b"\r"), size=total
    )


def _check_head(head: bytes, name: str) -> None:
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise refused(name, f"is UTF-32 text, which is not accepted; {SAVE_AS_CSV}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refused(name, f"is UTF-16 text, which is not accepted; {SAVE_AS_CSV}")
    if head.startswith(b"PK\x03\x04"):
        raise refused(
            name,
            "is a zip or Excel workbook, not CSV text; give the .xlsx itself, or export each sheet as CSV",
        )
    if head.startswith(b"%PDF"):
        raise refused(name, f"is a PDF, not CSV text; {SAVE_AS_CSV}")
    if b"\x00" in head:
        raise refused(name, f"is binary (it contains NUL bytes), not CSV text; {SAVE_AS_CSV}")


def _transcode(path: Path, name: str, out: Path) -> Path:
    """Windows-1252 text rewritten as UTF-8 in the scratch folder, or refused."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    offset = 0
    first = True
    with os.fdopen(open_regular(path), "rb") as src, out.open("w", encoding="utf-8") as dst:
        while chunk := src.read(CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise refused(
                    name,
                    f"is in an unsupported text encoding (byte 0x{chunk[exc.start]:02x} at position {offset + exc.start} is neither UTF-8 nor Windows-1252); {SAVE_AS_CSV}",
                ) from None
            if first:
                controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
                if controls:
                    raise refused(
                        name,
                        f"contains {controls} control characters, so it is not CSV text; {SAVE_AS_CSV}",
                    )
                first = False
            dst.write(text)
            offset += len(chunk)
    return out


def _reader(text: Path) -> tuple[Iterator[list[str]], TextIO]:
    """Python's csv reader over UTF-8 text (a byte-order mark dropped), and the open file."""
    fh = text.open(encoding="utf-8-sig", newline="")
    return csv.reader(fh, strict=True), fh


def _read_header(text: Path, source: str) -> list[str]:
    reader, fh = _reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise refused(source, "is empty; export the table again with its header row") from None
    except csv.Error as exc:
        raise ExtractError(
            [Issue(source, 1, None, None, f"the header row cannot be read as CSV ({exc})")]
        ) from None
    finally:
        fh.close()
    if len(header) == 1 and any(sep in header[0] for sep in SEPARATORS):
        sep = next(s for s in SEPARATORS if s in header[0])
        raise ExtractError(
            [
                Issue(
                    source,
                    1,
                    None,
                    header[0][:60],
                    f"the file is separated by {SEPARATORS[sep]}; the contract needs commas. Save it as 'CSV UTF-8 (Comma delimited)'",
                )
            ]
        )
    return header


def check_header_width(csv_file: CsvFile, limits: Limits) -> None:
    """Refuse a header wider than the limit before any row is read."""
    issue = check_width(csv_file.source, len(csv_file.header), limits)
    if issue is not None:
        raise ExtractError([issue])


def load_csv(
    con: duckdb.DuckDBPyConnection, f: CsvFile, limits: Limits
) -> tuple[pa.Table, list[Issue]]:
    """The rows as an Arrow table (_row, c0, c1, ...), and the ragged rows (errors).

    Raises ExtractError for CSV that cannot be read.
    """
    width = len(f.header)
    if not f.quotes and f.line_ends >= 0:
        records = f.line_ends + f.unterminated
        if records - 1 > limits.max_rows:
            raise _too_many_rows(f.source, limits)
        table = _load_plain(con, f, width, records)
        if table is not None:
            f.plain = True
            return table, []
    return _load_python(f, width, limits)


def _too_many_rows(source: str, limits: Limits) -> ExtractError:
    return ExtractError([too_many_rows(source, limits)])


def column_names(width: int) -> list[str]:
    """The raw table's column names, by position."""
    return [f"c{i}" for i in range(width)]


def _load_plain(
    con: duckdb.DuckDBPyConnection, f: CsvFile, width: int, records: int
) -> pa.Table | None:
    """DuckDB's reader, when it sees exactly the records Python's would; None to fall back."""
    columns = dict.fromkeys(column_names(width), "varchar")
    try:
        table = con.sql(
            "select * from read_csv($path, header=false, all_varchar=true, delim=',', "
            "quote='\"', escape='\"', auto_detect=false, columns=$columns, strict_mode=true, "
            "null_padding=true)",
            params={"path": str(f.text), "columns": columns},
        ).to_arrow_table()
    except duckdb.Error:
        return None
    if table.num_rows != records:
        return None
    body = table.slice(1)  # row 0 is the header
    rows = pa.array(np.arange(2, body.num_rows + 2, dtype=np.int32))
    return body.add_column(0, "_row", rows)


def _load_python(f: CsvFile, width: int, limits: Limits) -> tuple[pa.Table, list[Issue]]:
    """Python's csv reader, in batches of columns; the exact reading every path must agree with."""
    names = column_names(width)
    schema = pa.schema([("_row", pa.int32())] + [(n, pa.string()) for n in names])
    batches: list[pa.Table] = []
    ragged: list[Issue] = []
    reader, fh = _reader(f.text)
    try:
        next(reader)
        rownum = 1
        batch: list[list[str | None]] = []
        numbers: list[int] = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise ExtractError(
                    [
                        Issue(
                            f.source,
                            rownum + 1,  # the row being read (line_num is where the reader stopped)
                            None,
                            None,
                            f"cannot be read as CSV ({exc}); check for an unmatched double quote",
                        )
                    ]
                ) from None
            rownum += 1
            if rownum > limits.max_rows + 1:
                raise _too_many_rows(f.source, limits)
            n = len(cells)
            if n > width:
                if any(not blank(c) for c in cells[width:]):
                    ragged.append(
                        Issue(
                            f.source,
                            rownum,
                            None,
                            None,
                            f"the row has {n} cells but the header has {width}; "
                            "check for an unquoted comma in a value",
                            "ragged_row",
                        )
                    )
                    continue
                cells = cells[:width]
            padded: list[str | None] = list(cells)
            if n < width:
                padded.extend([None] * (width - n))
            batch.append(padded)
            numbers.append(rownum)
            if len(batch) >= ROWS_PER_BATCH:
                batches.append(_batch(schema, numbers, batch, width))
                batch, numbers = [], []
        batches.append(_batch(schema, numbers, batch, width))
    finally:
        fh.close()
    return pa.concat_tables(batches), ragged


def _batch(
    schema: pa.Schema, numbers: list[int], batch: list[list[str | None]], width: int
) -> pa.Table:
    columns = list(zip(*batch, strict=True)) if batch else [()] * width
    arrays = [pa.array(numbers, pa.int32())] + [pa.array(c, pa.string()) for c in columns]
    return pa.Table.from_arrays(arrays, schema=schema)
