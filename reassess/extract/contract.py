"""The extract contract (v1): columns, types and rules, and the validator that applies them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from typing import Any

import pandas as pd

CONTRACT_VERSION = "1"
EARLIEST_REPORTED = date(2010, 1, 1)
MAX_ERRORS = 200
MAX_CELL_CHARS = 1000
STALE_IN_ASSESSMENT_DAYS = 90

CATEGORIES = (
    "organised_group",
    "intra_familial",
    "peer_on_peer",
    "institutional",
    "gang_related",
    "online",
    "other",
)
ORIGINAL_OUTCOMES = (
    "charged",
    "nfa_evidential",
    "nfa_victim_declined",
    "nfa_no_suspect",
    "nfa_other",
    "other",
)
ETHNICITY_RECORDED = ("all", "some", "none", "not_applicable")
PRIORITIES = ("high", "medium", "low")
STATUSES = ("awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed")
OUTCOMES = (
    "no_further_action",
    "reinvestigate",
    "safeguarding_referral",
    "refer_beaconport",
    "linked_live_investigation",
)
VICTIM_SUPPORT = ("not_assessed", "not_required", "referred", "declined")
OFFICER_ROLES = (
    "detective_sergeant",
    "detective_constable",
    "police_constable",
    "staff_investigator",
    "analyst",
)
ABSTRACTION_REASONS = (
    "annual_leave",
    "sickness",
    "training",
    "operational_abstraction",
    "other",
)

BCUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CN": ("Central North", ("Camden", "Islington")),
    "CE": ("Central East", ("Hackney", "Tower Hamlets")),
    "AS": ("Central South", ("Lambeth", "Southwark")),
    "AW": (
        "Central West",
        ("Westminster", "Kensington and Chelsea", "Hammersmith and Fulham"),
    ),
    "EA": ("East Area", ("Barking and Dagenham", "Havering", "Redbridge")),
    "NA": ("North Area", ("Enfield", "Haringey")),
    "NE": ("North East", ("Newham", "Waltham Forest")),
    "NW": ("North West", ("Barnet", "Brent", "Harrow")),
    "SN": ("South Area", ("Bromley", "Croydon", "Sutton")),
    "SE": ("South East", ("Bexley", "Greenwich", "Lewisham")),
    "SW": (
        "South West",
        ("Kingston upon Thames", "Merton", "Richmond upon Thames", "Wandsworth"),
    ),
    "WA": ("West Area", ("Ealing", "Hillingdon", "Hounslow")),
}
BOROUGH_BCU: dict[str, str] = {b: code for code, (_, bs) in BCUS.items() for b in bs}

# The order in which a case moves; a later status needs every earlier date.
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}

REF_RE = re.compile(r"^[A-Za-z0-9/_-]{1,32}$")
ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SHORT_YEAR_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
DOTTED_RE = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$")
SLASH_ISO_RE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


@dataclass(frozen=True)
class Issue:
    """One problem found in an extract: where it is, the value, and how to fix it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"value {show_value(self.value)}: "
        return text + self.message


def show_value(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of a cell value for messages."""
    text = str(value)
    length = len(text)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if length > limit:
        return f"'{text[:limit]}…' ({length:,} characters)"
    return f"'{text}'"


class ExtractError(Exception):
    """The extract was refused; `issues` lists every error found."""

    def __init__(self, issues: Sequence[Issue], truncated: bool = False) -> None:
        self.issues = list(issues)
        self.truncated = truncated
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.issues)
        more = f" (stopped after the first {n}; fix these and run again)" if self.truncated else ""
        return (
            f"The extract was refused: {n} error{'s' if n != 1 else ''}{more}. Nothing was written."
        )


@dataclass(frozen=True)
class Column:
    """One column of the contract."""

    name: str
    kind: str  # text, ref, date, int, number, enum
    required: bool = True
    choices: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    max_chars: int = 32


CASES = (
    Column("case_ref", "ref"),
    Column("reported_date", "date"),
    Column("category", "enum", choices=CATEGORIES),
    Column("bcu", "enum", choices=tuple(BCUS)),
    Column("borough", "enum", choices=tuple(BOROUGH_BCU)),
    Column("original_outcome", "enum", choices=ORIGINAL_OUTCOMES),
    Column("victims", "int", min_value=1, max_value=10_000),
    Column("suspects", "int", min_value=0, max_value=10_000),
    Column("suspect_ethnicity_recorded", "enum", choices=ETHNICITY_RECORDED),
    Column("priority", "enum", choices=PRIORITIES),
    Column("status", "enum", choices=STATUSES),
    Column("officer_ref", "ref", required=False),
    Column("allocated_date", "date", required=False),
    Column("started_date", "date", required=False),
    Column("completed_date", "date", required=False),
    Column("qa_date", "date", required=False),
    Column("outcome", "enum", required=False, choices=OUTCOMES),
    Column("victim_support", "enum", choices=VICTIM_SUPPORT),
    Column("hours_spent", "number", required=False, min_value=0, max_value=500),
)
OFFICERS = (
    Column("officer_ref", "ref"),
    Column("team", "text", max_chars=40),
    Column("role", "enum", choices=OFFICER_ROLES),
    Column("fte", "number", min_value=0, max_value=1),
    Column("start_date", "date"),
    Column("end_date", "date", required=False),
)
ABSTRACTIONS = (
    Column("officer_ref", "ref"),
    Column("from_date", "date"),
    Column("to_date", "date"),
    Column("reason", "enum", choices=ABSTRACTION_REASONS),
)
TABLES: dict[str, tuple[Column, ...]] = {
    "cases": CASES,
    "officers": OFFICERS,
    "abstractions": ABSTRACTIONS,
}
CASE_COLUMNS: tuple[str, ...] = tuple(c.name for c in CASES)
OFFICER_COLUMNS: tuple[str, ...] = tuple(c.name for c in OFFICERS)
ABSTRACTION_COLUMNS: tuple[str, ...] = tuple(c.name for c in ABSTRACTIONS)
REQUIRED_TABLES = ("cases", "officers")
# Columns that may be left out of the header altogether (their values are optional).
OPTIONAL_COLUMNS = frozenset({"hours_spent", "end_date"})

# The date columns of a case, in the order they must hold, and the status that sets each.
CASE_DATES = (
    ("allocated_date", "allocated"),
    ("started_date", "in_assessment"),
    ("completed_date", "awaiting_qa"),
    ("qa_date", "assessed"),
)


@dataclass
class RawTable:
    """A table as read from a file: header and rows of cell values, with spreadsheet rows."""

    name: str
    source: str  # how the user names it: "cases.csv" or "extract.xlsx, sheet cases"
    header: list[str]
    rows: Iterable[tuple[int, Sequence[Any]]]  # (spreadsheet row number, cells)


@dataclass
class Validated:
    """Typed tables of an accepted extract, and its warnings."""

    tables: dict[str, pd.DataFrame]
    warnings: list[Issue] = field(default_factory=list)


class Collector:
    """Gathers issues, stopping the validation once there are too many to be useful."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.limit

    def error(self, issue: Issue) -> None:
        if not self.full:
            self.errors.append(issue)

    def warn(self, issue: Issue) -> None:
        self.warnings.append(issue)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ExtractError(self.errors, truncated=self.full)


class _TooMany(Exception):
    """Internal: the error limit was reached."""


def _norm_header(name: str) -> str:
    return str(name).strip().lower().lstrip("\ufeff")


def check_header(raw: RawTable, columns: tuple[Column, ...], out: Collector) -> dict[str, int]:
    """Map contract columns to positions; report missing, misspelt and duplicate columns."""
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    names = [_norm_header(h) for h in raw.header]
    expected = {c.name for c in columns}
    for i, name in enumerate(names):
        if name in seen and name in expected:
            out.error(
                Issue(
                    raw.source,
                    1,
                    name,
                    None,
                    f"the column appears twice (columns {seen[name] + 1} and {i + 1}); "
                    "delete one of them",
                    "duplicate_column",
                )
            )
        seen.setdefault(name, i)
    unknown = [n for n in names if n not in expected]
    for col in columns:
        if col.name in seen:
            positions[col.name] = seen[col.name]
            continue
        if col.name in OPTIONAL_COLUMNS:
            continue
        close = get_close_matches(col.name, unknown, n=1, cutoff=0.75)
        hint = (
            f"; the file has {close[0]!r}: rename it to {col.name!r}"
            if close
            else f"; add a column headed {col.name!r} in row 1"
            + (" (it may be empty for cases not yet at that stage)" if not col.required else "")
        )
        out.error(
            Issue(
                raw.source, 1, col.name, None, "required column is missing" + hint, "missing_column"
            )
        )
    for name in unknown:
        if name and not get_close_matches(name, sorted(expected - set(seen)), n=1, cutoff=0.75):
            out.warn(
                Issue(
                    raw.source,
                    1,
                    name,
                    None,
                    "column is not in the contract and was ignored",
                    "extra_column",
                )
            )
        elif not name:
            out.warn(
                Issue(
                    raw.source,
                    1,
                    None,
                    None,
                    "a column has no heading and was ignored",
                    "extra_column",
                )
            )
    return positions


class CellParser:
    """Turns cell values into typed values, with memoised parsing of repeated text."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self._dates: dict[str, date | str] = {}

    def parse_date(self, value: Any) -> date | str:
        """A date, or a message saying what is wrong with the value."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)):
            return "is a number, not a date; format the cell as a date or write it as YYYY-MM-DD"
        text = str(value)
        cached = self._dates.get(text)
        if cached is not None:
            return cached
        result = _parse_date_text(text)
        self._dates[text] = result
        return result


def _parse_date_text(text: str) -> date | str:
    fix = "write dates as YYYY-MM-DD (2025-04-03) or DD/MM/YYYY (03/04/2025)"
    m = ISO_RE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return _make_date(y, mo, d, fix)
    m = UK_RE.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        if mo > 12 and d <= 12:
            return (
                f"looks like a US-order date (month {d}, day {mo}); {fix}, "
                f"e.g. {mo:02d}/{d:02d}/{y}"
            )
        return _make_date(y, mo, d, fix)
    if SHORT_YEAR_RE.match(text):
        return f"has a two-digit year, which is ambiguous; {fix}"
    if DOTTED_RE.match(text) or SLASH_ISO_RE.match(text):
        return f"is not in an accepted date form; {fix}"
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", text):
        return f"has a time part; {fix}"
    return f"is not a date; {fix}"


def _make_date(y: int, mo: int, d: int, fix: str) -> date | str:
    try:
        return date(y, mo, d)
    except ValueError:
        return f"is not a real date; {fix}"


def _parse_int(value: Any) -> int | str:
    if isinstance(value, bool):
        return "is not a whole number"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else "is not a whole number"
    text = str(value)
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d{1,9}\.0+", text):
        return int(float(text))
    return "is not a whole number; write digits only, e.g. 3"


def _parse_number(value: Any) -> float | str:
    if isinstance(value, bool):
        return "is not a number"
    if isinstance(value, (int, float)):
        v = float(value)
    else:
        text = str(value)
        if not re.fullmatch(r"[+-]?(\d{1,9}(\.\d*)?|\.\d+)", text):
            return "is not a number; write digits with an optional decimal point, e.g. 0.8"
        v = float(text)
    if math.isnan(v) or math.isinf(v):
        return "is not a number"
    return v


def _lookup(choices: tuple[str, ...]) -> dict[str, str]:
    return {c.lower(): c for c in choices}


class TableValidator:
    """Validates one raw table against its columns, row by row."""

    def __init__(
        self, raw: RawTable, columns: tuple[Column, ...], parser: CellParser, out: Collector
    ) -> None:
        self.raw = raw
        self.columns = columns
        self.parser = parser
        self.out = out
        self.lookups = {c.name: _lookup(c.choices) for c in columns if c.kind == "enum"}
        self.header_ok = True
        self.failed_keys: set[str] = set()  # keys of rows that failed, so references still resolve

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (row number, typed values) for rows whose cells all parsed."""
        before = len(self.out.errors)
        positions = check_header(self.raw, self.columns, self.out)
        if len(self.out.errors) > before:
            self.header_ok = False
            return
        key = self.columns[0].name
        width = len(self.raw.header)
        for rownum, cells in self.raw.rows:
            if self.out.full:
                raise _TooMany
            if all(_blank(c) for c in cells):
                continue
            if len(cells) > width and any(not _blank(c) for c in cells[width:]):
                self.out.error(
                    Issue(
                        self.raw.source,
                        rownum,
                        None,
                        None,
                        f"the row has {len(cells)} cells but the header has {width}; "
                        "check for an unquoted comma in a value",
                        "ragged_row",
                    )
                )
                continue
            typed: dict[str, Any] = {}
            ok = True
            for col in self.columns:
                pos = positions.get(col.name)
                value = cells[pos] if pos is not None and pos < len(cells) else None
                parsed = self.cell(rownum, col, value)
                if parsed is _BAD:
                    ok = False
                else:
                    typed[col.name] = parsed
            if ok:
                yield rownum, typed
            elif key in positions and positions[key] < len(cells):
                self.failed_keys.add(str(cells[positions[key]]).strip())

    def cell(self, rownum: int, col: Column, value: Any) -> Any:
        """Parse one cell, reporting any problem; returns _BAD when it failed."""
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                return self._bad(
                    rownum, col, value, f"is too long; expected at most {col.max_chars} characters"
                )
            value = value.strip()
        if _blank(value):
            if col.required:
                return self._bad(
                    rownum, col, "", f"is empty; a value is required ({_expected(col)})"
                )
            return None
        kind = col.kind
        if kind == "enum":
            key = str(value).strip().lower()
            hit = self.lookups[col.name].get(key)
            if hit is None:
                return self._bad(
                    rownum, col, value, f"is not allowed; expected one of {', '.join(col.choices)}"
                )
            return hit
        if kind == "date":
            d = self.parser.parse_date(value)
            if isinstance(d, str):
                return self._bad(rownum, col, value, d)
            return d
        if kind == "ref":
            text = str(value)
            if not REF_RE.match(text):
                return self._bad(
                    rownum,
                    col,
                    value,
                    "is not a valid reference; use 1-32 characters of letters, digits, / _ or -",
                )
            return text
        if kind == "text":
            text = str(value)
            if len(text) > col.max_chars:
                return self._bad(
                    rownum, col, value, f"is too long; expected at most {col.max_chars} characters"
                )
            if text[:1] in ("=", "+", "@", "-"):
                return self._bad(
                    rownum, col, value, "must not start with = + - or @ (a spreadsheet formula)"
                )
            return text
        if kind == "int":
            n = _parse_int(value)
            if isinstance(n, str):
                return self._bad(rownum, col, value, n)
            return self._range(rownum, col, value, n)
        if kind == "number":
            x = _parse_number(value)
            if isinstance(x, str):
                return self._bad(rownum, col, value, x)
            return self._range(rownum, col, value, x)
        raise AssertionError(kind)

    def _range(self, rownum: int, col: Column, value: Any, n: float) -> Any:
        lo, hi = col.min_value, col.max_value
        if col.name == "fte":
            if not (0 < n <= 1):
                return self._bad(
                    rownum,
                    col,
                    value,
                    "is out of range; fte must be more than 0 and at most 1 (e.g. 0.6 for three days a week)",
                )
            return n
        if lo is not None and n < lo:
            return self._bad(rownum, col, value, f"is too small; expected at least {lo:g}")
        if hi is not None and n > hi:
            return self._bad(rownum, col, value, f"is too large; expected at most {hi:g}")
        return n

    def _bad(self, rownum: int, col: Column, value: Any, message: str) -> object:
        self.out.error(
            Issue(self.raw.source, rownum, col.name, "" if value is None else str(value), message)
        )
        return _BAD


_BAD = object()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _expected(col: Column) -> str:
    return {
        "date": "a date, YYYY-MM-DD or DD/MM/YYYY",
        "ref": "a reference of 1-32 letters, digits, / _ or -",
        "int": "a whole number",
        "number": "a number",
        "text": f"text of at most {col.max_chars} characters",
        "enum": "one of " + ", ".join(col.choices),
    }[col.kind]


def validate(
    raws: dict[str, RawTable], as_of: date, *, progress: Callable[[int], None] | None = None
) -> Validated:
    """Validate raw tables against the contract; raise ExtractError listing every error."""
    out = Collector()
    parser = CellParser(as_of)
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    failed_keys: dict[str, set[str]] = {}
    headers_ok = True
    try:
        for name in ("officers", "abstractions", "cases"):
            raw = raws.get(name)
            if raw is None:
                continue
            rows: list[tuple[int, dict[str, Any]]] = []
            table = TableValidator(raw, TABLES[name], parser, out)
            for i, item in enumerate(table.rows()):
                rows.append(item)
                if progress and i % 500 == 499:
                    progress(500)
            tables[name] = rows
            headers_ok = headers_ok and table.header_ok
            failed_keys[name] = table.failed_keys
        if headers_ok:
            _check_rules(raws, tables, as_of, out, failed_keys)
    except _TooMany:
        pass
    out.raise_if_errors()
    frames = {name: _frame(name, rows) for name, rows in tables.items()}
    if "abstractions" not in frames:
        frames["abstractions"] = _frame("abstractions", [])
    _stale_warnings(raws["cases"].source, tables["cases"], as_of, out)
    return Validated(frames, out.warnings)


def _frame(name: str, rows: list[tuple[int, dict[str, Any]]]) -> pd.DataFrame:
    cols = [c.name for c in TABLES[name]]
    frame = pd.DataFrame([r for _, r in rows], columns=cols)
    frame.insert(0, "source_row", pd.Series([n for n, _ in rows], dtype="int64"))
    return frame


def _check_rules(
    raws: dict[str, RawTable],
    tables: dict[str, list[tuple[int, dict[str, Any]]]],
    as_of: date,
    out: Collector,
    failed_keys: dict[str, set[str]],
) -> None:
    """Rules across cells and rows: keys, references, dates in order, status consistency."""
    officers_src = raws["officers"].source
    officer_refs: dict[str, int] = {}
    for rownum, r in tables["officers"]:
        ref = r["officer_ref"]
        if ref in officer_refs:
            out.error(
                Issue(
                    officers_src,
                    rownum,
                    "officer_ref",
                    ref,
                    f"is a duplicate of row {officer_refs[ref]}; each officer must appear once",
                    "duplicate_key",
                )
            )
        else:
            officer_refs[ref] = rownum
        if r["start_date"] > as_of:
            out.error(
                Issue(
                    officers_src,
                    rownum,
                    "start_date",
                    r["start_date"].isoformat(),
                    f"is after the as-of date {as_of.isoformat()}; list officers who have started by then",
                )
            )
        if r["end_date"] is not None and r["end_date"] < r["start_date"]:
            out.error(
                Issue(
                    officers_src,
                    rownum,
                    "end_date",
                    r["end_date"].isoformat(),
                    f"is before start_date {r['start_date'].isoformat()}",
                )
            )
    officer_refs = {**dict.fromkeys(failed_keys.get("officers", set()), 0), **officer_refs}
    if "abstractions" in tables:
        src = raws["abstractions"].source
        for rownum, r in tables["abstractions"]:
            if r["officer_ref"] not in officer_refs:
                out.error(
                    Issue(
                        src,
                        rownum,
                        "officer_ref",
                        r["officer_ref"],
                        f"is not in {officers_src}; add the officer there or correct the reference",
                        "unknown_officer",
                    )
                )
            if r["to_date"] < r["from_date"]:
                out.error(
                    Issue(
                        src,
                        rownum,
                        "to_date",
                        r["to_date"].isoformat(),
                        f"is before from_date {r['from_date'].isoformat()}",
                    )
                )
    src = raws["cases"].source
    if not tables["cases"] and not failed_keys.get("cases"):
        out.error(
            Issue(
                src,
                None,
                None,
                None,
                "has no cases; an extract must list every case in scope",
                "empty",
            )
        )
        return
    case_refs: dict[str, int] = {}
    for rownum, r in tables["cases"]:
        if out.full:
            raise _TooMany
        ref = r["case_ref"]
        if ref in case_refs:
            out.error(
                Issue(
                    src,
                    rownum,
                    "case_ref",
                    ref,
                    f"is a duplicate of row {case_refs[ref]}; each case must appear once",
                    "duplicate_key",
                )
            )
        else:
            case_refs[ref] = rownum
        _check_case(src, rownum, r, as_of, officer_refs, officers_src, out)


def _check_case(
    src: str,
    rownum: int,
    r: dict[str, Any],
    as_of: date,
    officer_refs: dict[str, int],
    officers_src: str,
    out: Collector,
) -> None:
    def err(column: str, value: Any, message: str, code: str = "invalid") -> None:
        shown = (
            value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))
        )
        out.error(Issue(src, rownum, column, shown, message, code))

    reported = r["reported_date"]
    if reported < EARLIEST_REPORTED:
        err("reported_date", reported, "is before 2010-01-01, the start of the review's scope")
    if reported > as_of:
        err(
            "reported_date",
            reported,
            _future(as_of),
        )
    borough, bcu = r["borough"], r["bcu"]
    if BOROUGH_BCU[borough] != bcu:
        err(
            "borough",
            borough,
            f"is not in BCU {bcu}; {borough} is in {BOROUGH_BCU[borough]} ({BCUS[BOROUGH_BCU[borough]][0]})",
            "borough_bcu",
        )
    eth, suspects = r["suspect_ethnicity_recorded"], r["suspects"]
    if eth == "not_applicable" and suspects != 0:
        err(
            "suspect_ethnicity_recorded",
            eth,
            f"is only for cases with no suspects, but suspects is {suspects}",
        )
    if suspects == 0 and eth in ("all", "some"):
        err(
            "suspect_ethnicity_recorded",
            eth,
            "says ethnicity was recorded but suspects is 0; use not_applicable",
        )
    status = r["status"]
    rank = STATUS_RANK[status]
    officer = r["officer_ref"]
    if rank == 0 and officer is not None:
        err("officer_ref", officer, "must be empty while the case is awaiting_allocation")
    if rank >= 1:
        if officer is None:
            err(
                "officer_ref",
                "",
                f"is empty but the case is {status}; give the officer it is allocated to",
            )
        elif officer not in officer_refs:
            err(
                "officer_ref",
                officer,
                f"is not in {officers_src}; add the officer there or correct the reference",
                "unknown_officer",
            )
    previous: tuple[str, date] | None = ("reported_date", reported)
    for column, from_status in CASE_DATES:
        d = r[column]
        needed = rank >= STATUS_RANK[from_status]
        if needed and d is None:
            err(
                column,
                "",
                f"is empty but the case is {status}; it is required from {from_status} on",
            )
        elif not needed and d is not None:
            err(
                column,
                d,
                f"is set but the case is only {status}; it belongs to {from_status} and later (check the status or clear the date)",
                "status_date",
            )
        if d is not None:
            if d > as_of:
                err(column, d, _future(as_of))
            if previous is not None and d < previous[1]:
                err(
                    column,
                    d,
                    f"is before {previous[0]} {previous[1].isoformat()}; dates must run reported <= allocated <= started <= completed <= qa",
                    "date_order",
                )
            previous = (column, d)
    outcome = r["outcome"]
    if rank >= STATUS_RANK["awaiting_qa"] and outcome is None:
        err("outcome", "", f"is empty but the case is {status}; give the assessment outcome")
    if rank < STATUS_RANK["awaiting_qa"] and outcome is not None:
        err(
            "outcome",
            outcome,
            f"is set but the case is only {status}; an outcome belongs to awaiting_qa and later",
            "status_date",
        )


def _future(as_of: date) -> str:
    return (
        f"is in the future (after the as-of date {as_of.isoformat()}); correct the date, "
        "or give the date the extract was taken as --as-of"
    )


def _stale_warnings(
    src: str, rows: list[tuple[int, dict[str, Any]]], as_of: date, out: Collector
) -> None:
    limit = as_of - timedelta(days=STALE_IN_ASSESSMENT_DAYS)
    for rownum, r in rows:
        started = r["started_date"]
        if r["status"] == "in_assessment" and started is not None and started < limit:
            out.warn(
                Issue(
                    src,
                    rownum,
                    "started_date",
                    started.isoformat(),
                    f"case {r['case_ref']} has been in assessment for {(as_of - started).days} days "
                    f"(over {STALE_IN_ASSESSMENT_DAYS})",
                    "stale_in_assessment",
                )
            )
