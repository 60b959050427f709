"""A CSV table's cells checked as whole columns: Arrow arrays exported once from DuckDB.

Reference columns are checked by vectorised string functions (trim, length, a regular
expression). Every other column is dictionary-encoded: its distinct values that could pass
(a vectorised necessary condition, `candidates`) each go once through the reference check
(cells.CellChecker), and the verdicts and typed values are spread back to the rows by index.
So a cell's verdict and message are the ones a row-by-row check gives, while Python runs once
per distinct value and never per row. The arrays stay in file order, so no sort is needed.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reassess.extract.cells import Bad, CellChecker
from reassess.extract.contract import MAX_CELL_CHARS, REF_PATTERN, Column
from reassess.extract.issues import Issue
from reassess.extract.read import RawTable

# What str.strip() removes (every character for which str.isspace() holds).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
ARROW_TYPES = {"date": pa.date32(), "int": pa.int64(), "number": pa.float64()}
FEW_VALUES = 64  # a column with at most this many distinct values skips the vectorised filter
# Necessary conditions, on ASCII text, for the reference check to accept a value; a value that
# fails one is bad without asking Python (so 200,000 distinct bits of junk cost one vectorised
# pass). A value with any non-ASCII character always goes to the reference check.
ASCII_SHAPES = {
    "date": "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}",
    "int": "[+-]?[0-9]{1,9}(\\.0+)?",
    "number": "[+-]?([0-9]{1,9}(\\.[0-9]*)?|\\.[0-9]+)",
}


def arrow_type(col: Column) -> pa.DataType:
    return ARROW_TYPES.get(col.kind, pa.string())


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """pystrip(v): v without the surrounding whitespace str.strip() removes (fast when none)."""
    ws = WHITESPACE.replace("'", "''")
    con.execute(
        "create or replace temp macro pystrip(v) as case "  # noqa: S608 (a constant)
        "when ord(v[1]) between 33 and 126 and ord(v[-1]) between 33 and 126 then v "
        f"else trim(v, '{ws}') end"
    )


def _strings(chunked: pa.ChunkedArray) -> pa.Array:
    arr = chunked.combine_chunks() if isinstance(chunked, pa.ChunkedArray) else chunked
    return arr if arr.type == pa.string() else arr.cast(pa.string())


def candidates(values: pa.Array, col: Column) -> np.ndarray:
    """Which values the reference check might accept (every one it accepts is among them)."""
    length = pc.utf8_length(values)
    t = pc.utf8_trim(values, characters=WHITESPACE)
    if col.kind == "enum":
        shape = pc.is_in(pc.utf8_lower(t), value_set=pa.array([c.lower() for c in col.choices]))
    elif col.kind in ASCII_SHAPES:
        shape = pc.match_substring_regex(t, f"^(?:{ASCII_SHAPES[col.kind]})$")
    else:
        shape = pa.array(np.ones(len(values), dtype=bool))
    maybe = pc.or_(pc.or_(pc.equal(t, ""), pc.not_equal(pc.binary_length(values), length)), shape)
    keep = pc.and_(pc.less_equal(length, MAX_CELL_CHARS), maybe)
    return np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)


def _ref(values: pa.Array, col: Column) -> tuple[pa.Array, np.ndarray]:
    t = pc.utf8_trim(values, characters=WHITESPACE)
    empty = np.asarray(pc.equal(t, "").to_numpy(zero_copy_only=False), dtype=bool)
    too_long = np.asarray(
        pc.greater(pc.utf8_length(values), MAX_CELL_CHARS).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    shaped = np.asarray(
        pc.match_substring_regex(t, f"^(?:{REF_PATTERN})$").to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    bad = too_long | np.where(empty, col.required, ~shaped)
    typed = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), t)
    return typed, bad


def _mapped(values: pa.Array, col: Column, checker: CellChecker) -> tuple[pa.Array, np.ndarray]:
    encoded = pc.dictionary_encode(values)
    dictionary = encoded.dictionary
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    picked: np.ndarray
    if len(dictionary) <= FEW_VALUES:  # checking each is quicker than filtering first
        picked = np.arange(len(dictionary))
    else:
        picked = np.nonzero(candidates(dictionary, col))[0]
    results = [checker.check(col, v) for v in dictionary.take(pa.array(picked)).to_pylist()]
    bad_of = np.array([isinstance(r, Bad) for r in results], dtype=bool)
    typed_of = pa.array([None if isinstance(r, Bad) else r for r in results], arrow_type(col))
    position = np.full(len(dictionary), -1, dtype=np.int64)
    position[picked] = np.arange(len(picked))
    at = position[indices]
    missing = at < 0
    bad = np.where(missing, True, bad_of[np.where(missing, 0, at)] if len(picked) else True)
    if col.kind in ("enum", "text"):
        # Dictionary-encoded (a few distinct strings): a tenth of the memory of plain strings.
        empty = ~np.asarray(typed_of.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        null = missing | (empty[np.where(missing, 0, at)] if len(picked) else True)
        dictionary_values = pc.fill_null(typed_of, "") if len(typed_of) else typed_of
        index = pa.array(np.where(null, 0, at).astype(np.int32), mask=null)
        return pa.DictionaryArray.from_arrays(index, dictionary_values), bad
    typed = typed_of.take(pa.array(np.where(missing, 0, at), mask=missing))
    return typed, bad


def _not_blank(table: pa.Table, width: int) -> pa.Array:
    """Rows with any cell that is not empty or spaces (a blank row is skipped, as in a sheet)."""
    keep = None
    for i in range(width):
        values = pc.fill_null(_strings(table[f"c{i}"]), "")
        filled = pc.not_equal(pc.utf8_trim(values, characters=WHITESPACE), "")
        keep = filled if keep is None else pc.or_(keep, filled)
        if pc.all(keep).as_py():
            break
    return keep if keep is not None else pa.array(np.zeros(table.num_rows, dtype=bool))


def check_columns(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    positions: dict[str, int],
    columns: tuple[Column, ...],
    checker: CellChecker,
    room: int,
) -> tuple[pa.Table, pa.Array, list[Issue]]:
    """(valid typed rows, keys of rows with a bad cell, the first `room` errors) of one table."""
    table = raw.arrow
    assert table is not None
    raw.arrow = None  # let each raw column go once it is checked
    width = len(raw.header)
    keep = _not_blank(table, width)
    every_row = bool(pc.all(keep).as_py()) if len(keep) else True
    raw_columns = {n: table[n] for n in table.column_names}
    del table

    def cells_of(column: str) -> pa.Array:
        """A raw column (popped, so that its memory can go), blank rows out, empty as ''."""
        values = _strings(raw_columns.pop(column))
        if not every_row:
            values = values.filter(keep)
        return pc.fill_null(values, "") if values.null_count else values

    rows = raw_columns.pop("_row").combine_chunks()
    rows = (rows if every_row else rows.filter(keep)).cast(pa.int32())
    raw_values: dict[str, pa.Array] = {}
    arrays: dict[str, Any] = {"_row": rows}
    bads: list[np.ndarray] = []
    for col in columns:
        if col.name in positions:
            values = cells_of(f"c{positions[col.name]}")
        else:
            values = pa.array([""] * len(rows), pa.string())
        typed, bad = _ref(values, col) if col.kind == "ref" else _mapped(values, col, checker)
        arrays[col.name] = typed
        bads.append(bad)
        if bad.any():
            raw_values[col.name] = values  # kept only where messages may need it
        elif col is columns[0]:
            raw_values[col.name] = values
    raw_columns.clear()
    pa.default_memory_pool().release_unused()
    any_bad = np.logical_or.reduce(bads) if bads else np.zeros(len(rows), dtype=bool)
    typed_table = pa.table(arrays)
    failed_at = np.nonzero(any_bad)[0]
    if not len(failed_at):
        return typed_table, pa.array([], pa.string()), list(raw.ragged)[:room]
    valid = typed_table.filter(pa.array(~any_bad))
    take = pa.array(failed_at)
    keys = pc.utf8_trim(raw_values[columns[0].name].take(take), characters=WHITESPACE)
    issues: list[Issue] = []
    row_numbers = arrays["_row"]
    for at in failed_at:
        for i, col in enumerate(columns):
            if bads[i][at]:
                value = raw_values[col.name][int(at)].as_py()
                result = checker.check(col, value)
                if not isinstance(result, Bad):  # the vectorised and the reference check disagree
                    raise AssertionError(f"{raw.source} row {row_numbers[int(at)]} {col.name}")
                issues.append(
                    Issue(
                        raw.source,
                        row_numbers[int(at)].as_py(),
                        col.name,
                        result.shown,
                        result.message,
                    )
                )
        if len(issues) >= room:
            break
    issues = sorted(issues[:room] + raw.ragged, key=lambda x: x.row or 0)[:room]
    return valid, keys, issues
