"""Column-wise validation: each table's cells checked as whole columns in DuckDB.

A CSV table arrives as raw_<name> (varchar cells by position). Reference columns are checked by a
regular expression in SQL; every other column by its distinct values, each put once through the
reference check (cells.CellChecker) and joined back, so a verdict and its message are the ones a
row-by-row check would give. A workbook's rows, already typed by openpyxl, go through the same
reference check one by one. Either way the result is t_<name> (the valid rows, typed, with their
spreadsheet row) and failed_<name> (the keys of rows with a bad cell), and the errors in the order
a reader meets them: table by table, row by row, column by column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from reassess.extract.cells import Bad, CellChecker, blank
from reassess.extract.contract import (
    CONTRACT_VERSION,
    CONTRACT_VERSION_2,
    MAX_CELL_CHARS,
    REF_PATTERN,
    TABLES,
    VALIDATION_ORDER,
    Column,
)
from reassess.extract.header import check_header
from reassess.extract.issues import Issue, raise_if_errors
from reassess.extract.limits import Limits
from reassess.extract.read import Extract, RawTable

# What str.strip() removes (every character for which str.isspace() holds), for DuckDB's trim.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
SQL_TYPES = {"date": "date", "int": "integer", "number": "double"}
ARROW_TYPES = {"date": pa.date32(), "int": pa.int64(), "number": pa.float64()}
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


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """pystrip(v): v without the surrounding whitespace str.strip() removes (fast when none)."""
    ws = WHITESPACE.replace("'", "''")
    con.execute(
        "create or replace temp macro pystrip(v) as case "  # noqa: S608 (a constant)
        "when ord(v[1]) between 33 and 126 and ord(v[-1]) between 33 and 126 then v "
        f"else trim(v, '{ws}') end"
    )


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
    from reassess.extract import history, rules

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


# CSV: whole columns.


def _check_columns(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    positions: dict[str, int],
    columns: tuple[Column, ...],
    checker: CellChecker,
    room: int,
) -> tuple[Checked, list[Issue]]:
    name = raw.name
    width = len(raw.header)
    not_blank = " or ".join(f"pystrip(coalesce(c{i}, '')) <> ''" for i in range(width))
    picked = ", ".join(
        f"coalesce(c{positions[c.name]}, '') as {c.name}"
        if c.name in positions
        else f"''::varchar as {c.name}"
        for c in columns
    )
    con.execute(
        f"create or replace temp view s_{name} as select _row, {picked} "  # noqa: S608
        f"from raw_{name} where {not_blank or 'false'}"
    )
    mapped = [(i, c) for i, c in enumerate(columns) if c.kind != "ref"]
    registered = _map_columns(con, name, mapped, checker)
    typed: list[str] = []
    bads: list[str] = []
    joins: list[str] = []
    for i, col in enumerate(columns):
        if col.kind == "ref":
            t = f"pystrip(s.{col.name})"
            bad = (
                f"(case when length(s.{col.name}) > {MAX_CELL_CHARS} then true "
                f"when {t} = '' then {str(col.required).lower()} "
                f"else not regexp_full_match({t}, '{REF_PATTERN}') end)"
            )
            typed.append(f"nullif({t}, '') as {col.name}")
        else:
            joins.append(f"left join m_{name}_{i} as m{i} on s.{col.name} = m{i}.raw")
            bad = f"coalesce(m{i}.bad, true)"
            typed.append(f"m{i}.typed as {col.name}")
        bads.append(f"{bad} as b{i}")
    any_bad = " or ".join(f"b{i}" for i in range(len(columns)))
    names = ", ".join(c.name for c in columns)
    key = columns[0].name
    try:
        con.execute(
            f"create or replace temp table k_{name} as select s._row, "  # noqa: S608
            + ", ".join(typed + bads)
            + f" from s_{name} as s "
            + " ".join(joins)
        )
    finally:
        for table in registered:
            con.unregister(table)
    failed = _created(
        con,
        f"create or replace temp table failed_{name} as select pystrip(s.{key}) as key "  # noqa: S608
        f"from k_{name} as k join s_{name} as s using (_row) where {any_bad}",
    )
    con.execute(
        f"create or replace temp view t_{name} as select _row, {names} "  # noqa: S608
        f"from k_{name} where not ({any_bad})"
    )
    valid = _count(con, f"k_{name}") - failed
    bad_cells: list[tuple[int, int]] = []
    if failed:
        branches = " union all ".join(
            f"select _row, {i} as i from k_{name} where b{i}"  # noqa: S608
            for i in range(len(columns))
        )
        bad_cells = con.execute(
            f"select _row, i from ({branches}) order by _row, i limit {int(room)}"  # noqa: S608
        ).fetchall()
    issues = _cell_messages(con, raw, columns, bad_cells, checker)
    issues = sorted(issues + raw.ragged, key=lambda x: x.row or 0)[:room]
    dropped = (
        f"drop view raw_{name}; drop table raw_{name}_all"
        if raw.csv is not None and raw.csv.plain
        else f"drop table raw_{name}"
    )
    con.execute(f"drop view s_{name}; {dropped}")
    return Checked(name, raw.source, valid, failed, frozenset(positions)), issues


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    rows = con.execute(f"select count(*) from {table}").fetchall()  # noqa: S608
    return int(rows[0][0]) if rows else 0


def _created(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """Run a create table ... as select, returning how many rows it made."""
    rows = con.execute(sql).fetchall()
    row = rows[0] if rows else None
    return int(row[0]) if row else 0


def _map_columns(
    con: duckdb.DuckDBPyConnection,
    name: str,
    mapped: list[tuple[int, Column]],
    checker: CellChecker,
) -> list[str]:
    """m_<name>_<i> (registered): each distinct value a column may accept, verdict and typed value.

    One query gathers every column's distinct candidate values; each goes once through the
    reference check. A value missing from its mapping is bad (see `_candidate`).
    """
    if not mapped:
        return []
    lists = ", ".join(
        f"list_filter(list(distinct {c.name}), lambda v: {_candidate(c)})" for _, c in mapped
    )
    rows = con.execute(f"select {lists} from s_{name}").fetchall()  # noqa: S608
    row = rows[0] if rows else None
    registered: list[str] = []
    for (i, col), values in zip(mapped, row or [[]] * len(mapped), strict=True):
        values = values or []
        bad: list[bool] = []
        typed: list[Any] = []
        for v in values:
            result = checker.check(col, v)
            is_bad = isinstance(result, Bad)
            bad.append(is_bad)
            typed.append(None if is_bad else result)
        mapping = pa.table(
            {
                "raw": pa.array(values, pa.string()),
                "bad": pa.array(bad, pa.bool_()),
                "typed": pa.array(typed, ARROW_TYPES.get(col.kind, pa.string())),
            }
        )
        table = f"m_{name}_{i}"
        con.register(table, mapping)
        registered.append(table)
    return registered


# Necessary conditions, on ASCII text, for the reference check to accept a value; a value that
# fails one is bad without asking Python (so a column of 200,000 distinct bits of junk costs one
# SQL pass). Text with any non-ASCII character always goes to the reference check.
ASCII_SHAPES = {
    "date": "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}",
    "int": "[+-]?[0-9]{1,9}(\\.0+)?",
    "number": "[+-]?([0-9]{1,9}(\\.[0-9]*)?|\\.[0-9]+)",
}


def _candidate(col: Column) -> str:
    """SQL over v (a distinct raw value): whether the reference check could accept it."""
    t = "pystrip(v)"
    maybe = {
        "enum": f"list_contains({_literal([c.lower() for c in col.choices])}, lower({t}))",
        "date": f"regexp_full_match({t}, '{ASCII_SHAPES['date']}')",
        "int": f"regexp_full_match({t}, '{ASCII_SHAPES['int']}')",
        "number": f"regexp_full_match({t}, '{ASCII_SHAPES['number']}')",
        "text": "true",
    }[col.kind]
    return f"length(v) <= {MAX_CELL_CHARS} and ({t} = '' or strlen(v) <> length(v) or {maybe})"


def _literal(values: list[str]) -> str:
    """A list of our own constants as a SQL list literal."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _cell_messages(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    columns: tuple[Column, ...],
    bad_cells: list[tuple[int, int]],
    checker: CellChecker,
) -> list[Issue]:
    """The reference check's message for each bad cell, in row and column order."""
    if not bad_cells:
        return []
    rows = sorted({r for r, _ in bad_cells})
    names = ", ".join(c.name for c in columns)
    con.register("bad_rows", pa.table({"_row": pa.array(rows, pa.int32())}))
    try:
        cells = {
            r[0]: r[1:]
            for r in con.execute(
                f"select _row, {names} from s_{raw.name} where _row in (select _row from bad_rows)"  # noqa: S608
            ).fetchall()
        }
    finally:
        con.unregister("bad_rows")
    issues: list[Issue] = []
    for rownum, i in bad_cells:
        col = columns[i]
        result = checker.check(col, cells[rownum][i])
        if not isinstance(result, Bad):  # the SQL and the reference check disagree: a bug
            raise AssertionError(f"{raw.source} row {rownum} {col.name}: SQL said bad")
        issues.append(_cell_issue(raw, rownum, col, result))
    return issues


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
        arrays[col.name] = pa.array(batch[col.name], ARROW_TYPES.get(col.kind, pa.string()))
    con.register("incoming", pa.table(arrays))
    try:
        con.execute(f"insert into t_{name} select * from incoming")  # noqa: S608
    finally:
        con.unregister("incoming")
    for values in batch.values():
        values.clear()
