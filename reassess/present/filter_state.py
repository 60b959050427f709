"""The categories filter bar's state, kept in the URL and checked against allow-lists (no Streamlit).

The state is a frozen `FilterState`, read from and written to a `st.query_params`-like mapping
such as `cat=organised_group,gang_related&bcu=CE&years=2012-2018&prio=high&by=bcu`. Every value
from a link is checked against an allow-list: anything unknown is dropped with a message saying
what and why. Identifiers never reach SQL: a dimension is one of `DIMENSIONS`, which the queries
map to one fixed expression (queries/shared/dimension.sql).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from reassess.extract.contract import BCUS, CATEGORIES, EARLIEST_REPORTED, PRIORITIES
from reassess.present.vocabulary import DIMENSION_LABELS, value_label

# The "break down by" allow-list: each maps to the fixed SQL expression of queries/shared/dimension.sql.
DIMENSIONS: dict[str, str] = DIMENSION_LABELS
ETHNICITY_DIMENSIONS = ("category", "year", "bcu")

# Query-parameter names this page owns (the shell owns snapshot, compare and role).
URL_KEYS = ("cat", "bcu", "years", "prio", "by", "rows", "cols")
# Widget keys of the filter bar and selectors, in the same order as URL_KEYS.
WIDGET_KEYS = ("f_cat", "f_bcu", "f_years", "f_prio", "by", "xrows", "xcols")

MAX_SHOWN_CHARS = 40


class WidgetValues(Protocol):
    """What the filter bar's widget values are read from: st.session_state, or a dict in tests."""

    def get(self, key: str, /) -> Any: ...


def year_bounds(as_of: date) -> tuple[int, int]:
    """The years a case can have been reported in: 2010 to the as-of year."""
    return EARLIEST_REPORTED.year, max(EARLIEST_REPORTED.year, as_of.year)


@dataclass(frozen=True)
class FilterState:
    """The categories page's filter bar, "break down by" and cross-tab choices.

    Empty tuples and `years=None` mean "no filter"; lists hold allow-listed values in the
    allow-list's order, so equal states compare (and cache) equal.
    """

    categories: tuple[str, ...] = ()
    bcus: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    priorities: tuple[str, ...] = ()
    by: str = "category"
    rows: str = "category"
    cols: str = "bcu"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("categories", CATEGORIES),
            ("bcus", tuple(BCUS)),
            ("priorities", PRIORITIES),
        ):
            values = getattr(self, name)
            if tuple(v for v in allowed if v in values) != tuple(values):
                raise ValueError(
                    f"FilterState.{name} must hold distinct values of {', '.join(allowed)} in "
                    f"that order; got {values!r}"
                )
        for name in ("by", "rows", "cols"):
            if getattr(self, name) not in DIMENSIONS:
                raise ValueError(
                    f"FilterState.{name} must be one of {', '.join(DIMENSIONS)}; "
                    f"got {getattr(self, name)!r}"
                )
        if self.years is not None and not (
            len(self.years) == 2 and int(self.years[0]) <= int(self.years[1])
        ):
            raise ValueError(
                f"FilterState.years must be (from, to) with from <= to; got {self.years!r}"
            )

    # ---- the URL

    def to_params(self) -> dict[str, str]:
        """The query parameters for this state; defaults are left out so links stay short."""
        out: dict[str, str] = {}
        if self.categories:
            out["cat"] = ",".join(self.categories)
        if self.bcus:
            out["bcu"] = ",".join(self.bcus)
        if self.years is not None:
            start, end = self.years
            out["years"] = str(start) if start == end else f"{start}-{end}"
        if self.priorities:
            out["prio"] = ",".join(self.priorities)
        default = FilterState()
        for name in ("by", "rows", "cols"):
            if getattr(self, name) != getattr(default, name):
                out[name] = getattr(self, name)
        return out

    def write(self, params: MutableMapping[str, str]) -> None:
        """Set this page's keys in `params` (e.g. st.query_params), removing those at default."""
        wanted = self.to_params()
        for key in URL_KEYS:
            if key in wanted:
                if params.get(key) != wanted[key]:
                    params[key] = wanted[key]
            elif key in params:
                del params[key]

    # ---- widgets

    def widget_values(self, bounds: tuple[int, int]) -> dict[str, Any]:
        """The value of each widget key (multiselects, slider, selectors) for this state."""
        return {
            "f_cat": list(self.categories),
            "f_bcu": list(self.bcus),
            "f_years": self.years if self.years is not None else bounds,
            "f_prio": list(self.priorities),
            "by": self.by,
            "xrows": self.rows,
            "xcols": self.cols,
        }

    @classmethod
    def from_widgets(cls, values: WidgetValues, bounds: tuple[int, int]) -> FilterState:
        """The state the widgets show (keys missing from `values` take their defaults)."""
        default = cls()
        years_raw = values.get("f_years")
        years: tuple[int, int] | None = None
        if years_raw is not None:
            start, end = sorted((int(years_raw[0]), int(years_raw[1])))
            start, end = max(start, bounds[0]), min(end, bounds[1])
            if start <= end and (start, end) != tuple(bounds):
                years = (start, end)
        return cls(
            categories=_in_order(values.get("f_cat") or (), CATEGORIES),
            bcus=_in_order(values.get("f_bcu") or (), tuple(BCUS)),
            years=years,
            priorities=_in_order(values.get("f_prio") or (), PRIORITIES),
            by=_pick(values.get("by"), default.by),
            rows=_pick(values.get("xrows"), default.rows),
            cols=_pick(values.get("xcols"), default.cols),
        )

    # ---- SQL and words

    def sql_params(self) -> dict[str, Any]:
        """The filter bar as query parameters: None where nothing is filtered."""
        return {
            "categories": list(self.categories) or None,
            "bcus": list(self.bcus) or None,
            "priorities": list(self.priorities) or None,
            "year_from": self.years[0] if self.years else None,
            "year_to": self.years[1] if self.years else None,
        }

    def describe(self) -> str:
        """The filters in words, e.g. 'Category: Gang-related · BCU: CE Central East'."""
        parts = []
        if self.categories:
            parts.append(
                "Category: " + ", ".join(value_label("category", v) for v in self.categories)
            )
        if self.bcus:
            parts.append("BCU: " + ", ".join(value_label("bcu", v) for v in self.bcus))
        if self.years is not None:
            start, end = self.years
            parts.append(f"Reported in {start}" if start == end else f"Reported {start}–{end}")
        if self.priorities:
            parts.append(
                "Priority: " + ", ".join(value_label("priority", v) for v in self.priorities)
            )
        return " · ".join(parts) if parts else "All cases in scope (no filter)"


@dataclass(frozen=True)
class Parsed:
    """A state read from a link, and a message for every value that was dropped."""

    state: FilterState
    problems: tuple[str, ...] = field(default=())


def parse_params(params: Mapping[str, Any], bounds: tuple[int, int]) -> Parsed:
    """Read the filter state from query parameters, dropping (and explaining) unknown values.

    A parameter may be a string ("CE,NW") or a list of strings (repeated keys). Values are
    matched ignoring case and surrounding spaces, as the extract contract matches them.
    """
    problems: list[str] = []
    categories = _parse_list(params.get("cat"), CATEGORIES, "category", str.lower, problems)
    bcus = _parse_list(params.get("bcu"), tuple(BCUS), "BCU", str.upper, problems)
    priorities = _parse_list(params.get("prio"), PRIORITIES, "priority", str.lower, problems)
    years = _parse_years(params.get("years"), bounds, problems)
    default = FilterState()
    dims = {}
    for key, what in (
        ("by", "break down by"),
        ("rows", "cross-tab rows"),
        ("cols", "cross-tab columns"),
    ):
        raw = _last(params.get(key))
        value = raw.strip().lower() if raw is not None else None
        if value is None or value == "":
            dims[key] = getattr(default, key)
        elif value in DIMENSIONS:
            dims[key] = value
        else:
            problems.append(
                f"The link asked to {what} {_shown(str(raw))}, which is not one of "
                f"{', '.join(DIMENSIONS)}; showing {getattr(default, key)} instead."
            )
            dims[key] = getattr(default, key)
    state = FilterState(categories, bcus, years, priorities, dims["by"], dims["rows"], dims["cols"])
    return Parsed(state, tuple(problems))


def _last(raw: Any) -> str | None:
    if isinstance(raw, (list, tuple)):
        return str(raw[-1]) if raw else None
    return None if raw is None else str(raw)


def _parse_list(
    raw: Any, allowed: Sequence[str], what: str, fold: Any, problems: list[str]
) -> tuple[str, ...]:
    if raw is None:
        return ()
    texts = raw if isinstance(raw, (list, tuple)) else [raw]
    wanted: list[str] = []
    for text in texts:
        for part in str(text).split(","):
            value = fold(part.strip())
            if not value:
                continue
            if value in allowed:
                wanted.append(value)
            else:
                problems.append(
                    f"The link asked for {what} {_shown(part.strip())}, which is not one of "
                    f"{', '.join(allowed)}; it was ignored."
                )
    return _in_order(wanted, allowed)


def _parse_years(raw: Any, bounds: tuple[int, int], problems: list[str]) -> tuple[int, int] | None:
    text = _last(raw)
    if text is None or not text.strip():
        return None
    bits = text.strip().split("-")
    try:
        if len(bits) == 1:
            start = end = int(bits[0])
        elif len(bits) == 2:
            start, end = int(bits[0]), int(bits[1])
        else:
            raise ValueError(text)
    except ValueError:
        problems.append(
            f"The link asked for years {_shown(text)}; years are written like 2012-2018 or 2015. "
            "The year filter was ignored."
        )
        return None
    if start > end:
        problems.append(
            f"The link asked for years {_shown(text)}, which ends before it starts; "
            "the year filter was ignored."
        )
        return None
    low, high = bounds
    if end < low or start > high:
        problems.append(
            f"The link asked for years {_shown(text)}, but cases in scope were reported "
            f"{low}-{high}; the year filter was ignored."
        )
        return None
    clipped = (max(start, low), min(end, high))
    if clipped != (start, end):
        problems.append(
            f"The link asked for years {_shown(text)}; cases in scope were reported {low}-{high}, "
            f"so showing {clipped[0]}-{clipped[1]}."
        )
    return None if clipped == (low, high) else clipped


def _in_order(values: Iterable[str], allowed: Sequence[str]) -> tuple[str, ...]:
    chosen = set(values)
    return tuple(v for v in allowed if v in chosen)


def _pick(value: Any, default: str) -> str:
    return value if value in DIMENSIONS else default


def _shown(value: str) -> str:
    """A value from a link, safe to put in a message: shortened, inside code quotes."""
    clean = "".join(ch for ch in str(value) if ch.isprintable() and ch != "`")
    if len(clean) > MAX_SHOWN_CHARS:
        clean = clean[:MAX_SHOWN_CHARS] + "…"
    return f"`{clean}`"
