"""One cell against its column: the reference check that every message about a cell comes from.

The column-wise validation (validate.py) decides in DuckDB which cells are bad; the messages, and
the typed values of every low-cardinality column, come from `CellChecker.check` here, so that a
cell gets the same verdict and the same words however the extract was read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reassess.extract.contract import MAX_CELL_CHARS, REF_RE, Column

ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SHORT_YEAR_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
DOTTED_RE = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$")
SLASH_ISO_RE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")
DATE_FIX = "write dates as YYYY-MM-DD (2025-04-03) or DD/MM/YYYY (03/04/2025)"

# Characters refused in text: C0 controls (but tab and line breaks, which a quoted CSV cell may
# hold), DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Full-width forms (U+FF01-U+FF5E, and the ideographic space) are stored as their ASCII
# equivalents, so that a full-width '＝' cannot slip a formula past the check below.
FULLWIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})
FORMULA_STARTS = ("=", "+", "@", "-")


@dataclass(frozen=True)
class Bad:
    """A cell that failed: the value as messages show it, and what is wrong."""

    shown: str
    message: str


def blank(value: Any) -> bool:
    """Empty, or only spaces (as str.strip() sees them)."""
    return value is None or (isinstance(value, str) and not value.strip())


def expected(col: Column) -> str:
    """What a column wants, in words."""
    return {
        "date": "a date, YYYY-MM-DD or DD/MM/YYYY",
        "ref": "a reference of 1-32 letters, digits, / _ or -",
        "int": "a whole number",
        "number": "a number",
        "text": f"text of at most {col.max_chars} characters",
        "enum": "one of " + ", ".join(col.choices),
    }[col.kind]


def character_problem(text: str) -> str | None:
    """Why text may not be stored (a control or bidirectional character), or None."""
    m = CONTROL_RE.search(text)
    if m:
        return f"contains a control character (U+{ord(m.group()):04X}); remove it"
    m = BIDI_RE.search(text)
    if m:
        return (
            f"contains a bidirectional control character (U+{ord(m.group()):04X}), which can "
            "make text display in a misleading order; remove it"
        )
    return None


class CellChecker:
    """Turns cell values into typed values or a Bad, memoising dates of repeated text."""

    def __init__(self) -> None:
        self._dates: dict[str, date | str] = {}

    def check(self, col: Column, value: Any) -> Any:
        """The typed value of one cell (None or the column's default when empty), or a Bad."""
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                return Bad(value, f"is too long; expected at most {col.max_chars} characters")
            value = value.strip()
        if blank(value):
            if col.required:
                return Bad("", f"is empty; a value is required ({expected(col)})")
            return col.default
        kind = col.kind
        if kind == "enum":
            hit = _lookup(col.choices).get(str(value).strip().lower())
            if hit is None:
                return Bad(str(value), f"is not allowed; expected one of {', '.join(col.choices)}")
            return hit
        if kind == "date":
            d = self.parse_date(value)
            return Bad(str(value), d) if isinstance(d, str) else d
        if kind == "ref":
            text = str(value)
            if not REF_RE.match(text):
                return Bad(
                    text,
                    "is not a valid reference; use 1-32 characters of letters, digits, / _ or -",
                )
            return text
        if kind == "text":
            return _text(col, str(value))
        if kind == "int":
            n = parse_int(value)
            return Bad(str(value), n) if isinstance(n, str) else _range(col, value, n)
        if kind == "number":
            x = parse_number(value)
            return Bad(str(value), x) if isinstance(x, str) else _range(col, value, x)
        raise AssertionError(kind)

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
        if cached is None:
            cached = self._dates[text] = parse_date_text(text)
        return cached


def _text(col: Column, shown: str) -> Any:
    problem = character_problem(shown)
    if problem:
        return Bad(shown, problem)
    text = shown.translate(FULLWIDTH)
    if len(text) > col.max_chars:
        return Bad(shown, f"is too long; expected at most {col.max_chars} characters")
    if text[:1] in FORMULA_STARTS:
        return Bad(shown, "must not start with = + - or @ (a spreadsheet formula)")
    return text


_LOOKUPS: dict[tuple[str, ...], dict[str, str]] = {}


def _lookup(choices: tuple[str, ...]) -> dict[str, str]:
    table = _LOOKUPS.get(choices)
    if table is None:
        table = _LOOKUPS[choices] = {c.lower(): c for c in choices}
    return table


PLAIN_ISO_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date_text(text: str) -> date | str:
    """A date written as text, or what is wrong with it."""
    fix = DATE_FIX
    if PLAIN_ISO_RE.fullmatch(text):  # the common form, parsed in C (same verdict as below)
        try:
            return date.fromisoformat(text)
        except ValueError:
            return f"is not a real date; {fix}"
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
    if TIME_RE.match(text):
        return f"has a time part; {fix}"
    return f"is not a date; {fix}"


def _make_date(y: int, mo: int, d: int, fix: str) -> date | str:
    try:
        return date(y, mo, d)
    except ValueError:
        return f"is not a real date; {fix}"


def parse_int(value: Any) -> int | str:
    """A whole number, or what is wrong with the value."""
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


def parse_number(value: Any) -> float | str:
    """A number, or what is wrong with the value."""
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


def _range(col: Column, value: Any, n: float) -> Any:
    lo, hi = col.min_value, col.max_value
    if col.name == "fte":
        if not (0 < n <= 1):
            return Bad(
                str(value),
                "is out of range; fte must be more than 0 and at most 1 (e.g. 0.6 for three days a week)",
            )
        return n
    if lo is not None and n < lo:
        return Bad(str(value), f"is too small; expected at least {lo:g}")
    if hi is not None and n > hi:
        return Bad(str(value), f"is too large; expected at most {hi:g}")
    return n
