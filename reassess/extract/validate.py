"""Validation of a whole extract: headers, then each table's cells, then the rules across them.

A CSV table arrives in DuckDB as raw_<name> (varchar cells by position) and is checked as whole
columns (columns.py). A workbook's rows, already typed by openpyxl, go through the same reference
check (cells.CellChecker) one by one. Either way the result is t_<name> (the valid rows, typed,
with their spreadsheet row, in file order) and failed_<name> (the keys of rows with a bad cell),
and the errors in the order a reader meets them: table by table, row by row, column by column.
Then the rules across fields and rows (rules.py) run in SQL over the valid rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from reassess.extract import history, rules
from reassess.extract.cells import Bad, CellChecker, blank
from reassess.extract.columns import (
    arrow_type,
    check_columns,
    define_macros,
)
from reassess.extract.contract import (
    CONTRACT_VERSION,
    CONTRACT_VERSION_2,
    TABLES,
    VALIDATION_ORDER,
    Column,
)
from reassess.extract.header import check_header
from reassess.extract.issues import Issue, raise_if_errors
from reassess.extract.limits import Limits
from reassess.extract.read import Extract, RawTable

SQL_TYPES = {"date": "date", "int": "integer", "number": "double"}
BATCH_ROWS = 50_000


@dataclass
class Checked:
    """One table whose cells were checked: t_<name> and failed_<name> exist in DuckDB."""

    name: str
    source: str
    valid: int
    failed: int
    present: frozenset[str]  # contract columns the header has


@dataclass
class Validated:
    """An accepted extract: its typed tables (t_<name> in DuckDB), version and warnings."""

    version: str
    counts: dict[str, int]
    sources: dict[str, str]  # table -> how the user names its file or sheet
    warnings: list[Issue] = field(default_factory=list)


def sql_type(col: Column) -> str:
    return SQL_TYPES.get(col.kind, "varchar")


def validate(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    as_of: date,
    limits: Limits,
    *,
    progress: Callable[[int], None] | None = None,
) -> Validated:
    """Validate every table against the contract; raise ExtractError listing the errors found."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    checked: dict[str, Checked] = {}
    headers_ok = True
    checker = CellChecker()
    define_macros(con)
    for name in VALIDATION_ORDER:
        raw = extract.tables.get(name)
        if raw is None:
            continue
        columns = TABLES[name]
        positions, header_errors, header_warnings = check_header(raw.source, raw.header, columns)
        errors.extend(header_errors)
        warnings.extend(header_warnings)
        if header_errors:
            headers_ok = False
            continue
        room = limits.max_errors - len(errors)
        if room <= 0:
            break
        if raw.csv is not None:
            table, cell_errors = _check_columns(con, raw, positions, columns, checker, room)
        else:
            table, cell_errors = _check_rows(con, raw, positions, columns, checker, room)
        checked[name] = table
        errors.extend(cell_errors)
        if progress is not None:
            progress(table.valid + table.failed)
        if len(errors) >= limits.max_errors:
            break
    if headers_ok and len(errors) < limits.max_errors:
        errors.extend(rules.check(con, checked, as_of, limits.max_errors - len(errors)))
    raise_if_errors(errors, limits.max_errors)
    for name in ("abstractions", "reinvestigations"):
        if name not in checked:
            _empty_table(con, name)
    v2 = "reinvestigations" in checked or "workstream" in checked["officers"].present
    warnings.extend(history.stale_warnings(con, checked, as_of))
    return Validated(
        version=CONTRACT_VERSION_2 if v2 else CONTRACT_VERSION,
        counts={name: checked[name].valid if name in checked else 0 for name in TABLES},
        sources={name: t.source for name, t in checked.items()},
        warnings=warnings,
    )


def _empty_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    cols = ", ".join(f"{c.name} {sql_type(c)}" for c in TABLES[name])
    con.execute(f"create or replace temp table t_{name} (_row integer, {cols})")
    con.execute(f"create or replace temp table failed_{name} (key varchar)")


def _cell_issue(raw: RawTable, rownum: int, col: Column, bad: Bad) -> Issue:
    return Issue(raw.source, rownum, col.name, bad.shown, bad.message)


# CSV: whole columns (columns.py), registered with DuckDB as t_<name> and failed_<name>.


def _check_columns(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    positions: dict[str, int],
    columns: tuple[Column, ...],
    checker: CellChecker,
    room: int,
) -> tuple[Checked, list[Issue]]:
    name = raw.name
    valid, keys, issues = check_columns(con, raw, positions, columns, checker, room)
    # Into DuckDB's own storage once: the rules and the snapshot scan it several times, and
    # DuckDB's copy is smaller than the Arrow one, which then goes.
    con.register("checked_rows", valid)
    con.register("failed_keys", pa.table({"key": keys}))
    try:
        con.execute(
            f"create or replace temp table t_{name} as select * from checked_rows; "  # noqa: S608
            f"create or replace temp table failed_{name} as select key from failed_keys"
        )
    finally:
        con.unregister("checked_rows")
        con.unregister("failed_keys")
    rows = valid.num_rows
    del valid
    pa.default_memory_pool().release_unused()
    return Checked(name, raw.source, rows, len(keys), frozenset(positions)), issues


# XLSX: typed cells, row by row.


def _check_rows(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    positions: dict[str, int],
    columns: tuple[Column, ...],
    checker: CellChecker,
    room: int,
) -> tuple[Checked, list[Issue]]:
    name = raw.name
    _empty_table(con, name)
    width = len(raw.header)
    key_pos = positions.get(columns[0].name)
    issues: list[Issue] = []
    failed: list[str] = []
    batch: dict[str, list[Any]] = {"_row": [], **{c.name: [] for c in columns}}
    valid = 0
    assert raw.rows is not None
    for rownum, cells in raw.rows:
        if len(issues) >= room:
            break
        if all(blank(c) for c in cells):
            continue
        if len(cells) > width and any(not blank(c) for c in cells[width:]):
            issues.append(
                Issue(
                    raw.source,
                    rownum,
                    None,
                    None,
                    f"the row has {len(cells)} cells but the header has {width}; "
                    "check for an unquoted comma in a value",
                    "ragged_row",
                )
            )
            continue
        row: list[Any] = []
        ok = True
        for col in columns:
            pos = positions.get(col.name)
            value = cells[pos] if pos is not None and pos < len(cells) else None
            result = checker.check(col, value)
            if isinstance(result, Bad):
                ok = False
                issues.append(_cell_issue(raw, rownum, col, result))
            row.append(result)
        if ok:
            batch["_row"].append(rownum)
            for col, value in zip(columns, row, strict=True):
                batch[col.name].append(value)
            valid += 1
            if len(batch["_row"]) >= BATCH_ROWS:
                _append(con, name, columns, batch)
        elif key_pos is not None and key_pos < len(cells):
            failed.append(str(cells[key_pos]).strip())
    _append(con, name, columns, batch)
    if failed:
        con.register("failed", pa.table({"key": pa.array(failed, pa.string())}))
        try:
            con.execute(f"insert into failed_{name} select key from failed")  # noqa: S608
        finally:
            con.unregister("failed")
    return Checked(name, raw.source, valid, len(failed), frozenset(positions)), issues[:room]


def _append(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: tuple[Column, ...],
    batch: dict[str, list[Any]],
) -> None:
    if not batch["_row"]:
        return
    arrays = {"_row": pa.array(batch["_row"], pa.int32())}
    for col in columns:
        arrays[col.name] = pa.array(batch[col.name], arrow_type(col))
    con.register("incoming", pa.table(arrays))
    try:
        con.execute(f"insert into t_{name} select * from incoming")  # noqa: S608
    finally:
        con.unregister("incoming")
    for values in batch.values():
        values.clear()
