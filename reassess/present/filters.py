"""The categories filter bar (state kept in the URL) and the breakdowns it feeds (no Streamlit).

The filter bar's state is a frozen `FilterState`, read from and written to a
`st.query_params`-like mapping such as
`cat=organised_group,gang_related&bcu=CE&years=2012-2018&prio=high&by=bcu`. Every value from a
link is checked against an allow-list: anything unknown is dropped with a message saying what
and why. Identifiers never reach SQL: a dimension is one of `DIMENSIONS`, which the queries map
to fixed expressions with `case $dimension when ... end`.

The rest of the module shapes query results for the categories and data-quality pages: labels,
orders, the cross-tab pivot, outcome shares, ethnicity totals and the snapshot history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from reassess.extract.contract import (
    BCUS,
    CATEGORIES,
    EARLIEST_REPORTED,
    ORIGINAL_OUTCOMES,
    OUTCOMES,
    PRIORITIES,
)
from reassess.snapshot.listing import SnapshotInfo

# The "break down by" allow-list: each maps to a fixed SQL expression in queries/categories_*.sql.
DIMENSIONS: dict[str, str] = {
    "category": "Category",
    "bcu": "BCU",
    "borough": "Borough",
    "year": "Year of original report",
    "original_outcome": "Original outcome",
    "priority": "Priority",
}
ETHNICITY_DIMENSIONS = ("category", "year", "bcu")

CATEGORY_LABELS = {
    "organised_group": "Organised group",
    "intra_familial": "Intra-familial",
    "peer_on_peer": "Peer-on-peer",
    "institutional": "Institutional",
    "gang_related": "Gang-related",
    "online": "Online",
    "other": "Other",
}
ORIGINAL_OUTCOME_LABELS = {
    "charged": "Charged",
    "nfa_evidential": "NFA: evidential",
    "nfa_victim_declined": "NFA: victim declined",
    "nfa_no_suspect": "NFA: no suspect identified",
    "nfa_other": "NFA: other",
    "other": "Other",
}
PRIORITY_LABELS = {p: p.capitalize() for p in PRIORITIES}
OUTCOME_LABELS = {
    "no_further_action": "No further action",
    "reinvestigate": "Reinvestigate",
    "safeguarding_referral": "Safeguarding referral",
    "refer_beaconport": "Refer to Operation Beaconport",
    "linked_live_investigation": "Linked live investigation",
}
ETHNICITY_LABELS = {
    "none_recorded": "None recorded",
    "some_recorded": "Some recorded",
    "all_recorded": "All recorded",
    "not_applicable": "Not applicable (no suspect)",
}
BOROUGHS: tuple[str, ...] = tuple(b for _, (_, bs) in BCUS.items() for b in bs)

# Query-parameter names this page owns (the shell owns snapshot, compare and role).
URL_KEYS = ("cat", "bcu", "years", "prio", "by", "rows", "cols")
# Widget keys of the filter bar and selectors, in the same order as URL_KEYS.
WIDGET_KEYS = ("f_cat", "f_bcu", "f_years", "f_prio", "by", "xrows", "xcols")

MAX_SHOWN_CHARS = 40


# --------------------------------------------------------------------------- the filter state


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
    def from_widgets(cls, values: Mapping[str, Any], bounds: tuple[int, int]) -> FilterState:
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
                f"The link asked to {what} {_shown(raw)}, which is not one of "
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


# --------------------------------------------------------------------------- labels and order


def dimension_label(dimension: str) -> str:
    """The words for a dimension, e.g. 'Year of original report'."""
    return DIMENSIONS[dimension]


def value_label(dimension: str, value: Any) -> str:
    """The words for one value of a dimension, e.g. 'CE Central East', 'Gang-related'."""
    text = str(value)
    if dimension == "category":
        return CATEGORY_LABELS.get(text, text)
    if dimension == "bcu":
        return f"{text} {BCUS[text][0]}" if text in BCUS else text
    if dimension == "original_outcome":
        return ORIGINAL_OUTCOME_LABELS.get(text, text)
    if dimension == "priority":
        return PRIORITY_LABELS.get(text, text)
    return text


def labeller(dimension: str) -> Callable[[Any], str]:
    """A format function for a widget listing values of a dimension."""
    return lambda value: value_label(dimension, value)


def sort_key(dimension: str, value: Any) -> tuple[int, str]:
    """Order values as the contract lists them (years and boroughs in their natural order)."""
    text = str(value)
    order = {
        "category": CATEGORIES,
        "bcu": tuple(BCUS),
        "borough": BOROUGHS,
        "original_outcome": ORIGINAL_OUTCOMES,
        "priority": PRIORITIES,
    }.get(dimension)
    if order is None:  # year
        return (0, text.zfill(8))
    return (order.index(text), text) if text in order else (len(order), text)


def in_display_order(
    frame: pd.DataFrame, dimension: str, column: str = "dim_value"
) -> pd.DataFrame:
    """Rows sorted by their dimension value in display order."""
    keys = frame[column].map(lambda v: sort_key(dimension, v))
    return (
        frame.assign(_k=keys)
        .sort_values("_k", kind="stable")
        .drop(columns="_k")
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------- categories page


def breakdown_totals(breakdown: pd.DataFrame) -> dict[str, float]:
    """Totals over every value of a breakdown (the filtered cases as a whole), and % assessed."""
    cols = ("in_scope", "assessed", "victims", "suspects")
    out: dict[str, float] = {c: int(breakdown[c].sum()) if len(breakdown) else 0 for c in cols}
    out["pct_assessed"] = (
        round(100.0 * out["assessed"] / out["in_scope"], 1) if out["in_scope"] else 0.0
    )
    return out


def ordered_values(frame: pd.DataFrame, column: str, dimension: str) -> list[str]:
    """The distinct values in a column, in display order."""
    return sorted({str(v) for v in frame[column].dropna()}, key=lambda v: sort_key(dimension, v))


@dataclass(frozen=True)
class Cell:
    """One figure a commander can open: a value of one dimension, or a cell of the cross-tab."""

    rows: str
    row_value: str
    cols: str | None = None
    col_value: str | None = None

    def __post_init__(self) -> None:
        if self.rows not in DIMENSIONS or (self.cols is not None and self.cols not in DIMENSIONS):
            raise ValueError(f"Cell dimensions must be among {', '.join(DIMENSIONS)}")

    def params(self) -> dict[str, str | None]:
        """The query parameters that pick this cell in queries/pages/categories_cases.sql."""
        return {
            "rows": self.rows,
            "row_value": self.row_value,
            "cols": self.cols,
            "col_value": self.col_value if self.cols is not None else None,
        }

    def describe(self) -> str:
        """E.g. 'Category: Organised group × BCU: CE Central East'."""
        text = f"{dimension_label(self.rows)}: {value_label(self.rows, self.row_value)}"
        if self.cols is not None:
            text += f" × {dimension_label(self.cols)}: {value_label(self.cols, self.col_value)}"
        return text


def breakdown_table(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The breakdown as shown: one row per value, in display order, with words for headings."""
    b = in_display_order(breakdown, dimension)
    return pd.DataFrame(
        {
            dimension_label(dimension): [value_label(dimension, v) for v in b["dim_value"]],
            "In scope": b["in_scope"].astype(int),
            "Assessed": b["assessed"].astype(int),
            "% assessed": (100.0 * b["assessed"] / b["in_scope"]).round(1).astype(float),
            "Awaiting allocation": b["awaiting_allocation"].astype(int),
            "Victims": b["victims"].astype(int),
            "Suspects": b["suspects"].astype(int),
        }
    )


def outcome_mix(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Outcomes of completed assessments as shares of each value: one row per value per outcome."""
    b = in_display_order(breakdown, dimension)
    rows = []
    for _, r in b.iterrows():
        total = int(sum(int(r[o]) for o in OUTCOMES))
        for o in OUTCOMES:
            n = int(r[o])
            rows.append(
                {
                    "dim_value": r["dim_value"],
                    "label": value_label(dimension, r["dim_value"]),
                    "outcome": o,
                    "outcome_label": OUTCOME_LABELS[o],
                    "cases": n,
                    "with_outcome": total,
                    "share": n / total if total else 0.0,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "dim_value",
            "label",
            "outcome",
            "outcome_label",
            "cases",
            "with_outcome",
            "share",
        ],
    )


def outcome_table(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Counts of each outcome per value, with the number that has an outcome."""
    b = in_display_order(breakdown, dimension)
    table = pd.DataFrame(
        {dimension_label(dimension): [value_label(dimension, v) for v in b["dim_value"]]}
    )
    for o in OUTCOMES:
        table[OUTCOME_LABELS[o]] = b[o].astype(int).to_numpy()
    table["Assessments with an outcome"] = b[list(OUTCOMES)].astype(int).sum(axis=1).to_numpy()
    return table


def cross_tab(counts: pd.DataFrame, rows: str, cols: str) -> pd.DataFrame:
    """Cases in scope as rows x columns (from one row per pair), with totals; zeros where none."""
    if counts.empty:
        return pd.DataFrame()
    pivot = counts.pivot_table(
        index="row_value", columns="col_value", values="in_scope", aggfunc="sum", fill_value=0
    )
    row_order = sorted(pivot.index, key=lambda v: sort_key(rows, v))
    col_order = sorted(pivot.columns, key=lambda v: sort_key(cols, v))
    pivot = pivot.loc[row_order, col_order].astype(int)
    pivot["Total"] = pivot.sum(axis=1)
    pivot.loc["Total"] = pivot.sum(axis=0)
    pivot.index = [value_label(rows, v) if v != "Total" else "Total" for v in pivot.index]
    pivot.columns = [value_label(cols, v) if v != "Total" else "Total" for v in pivot.columns]
    pivot.index.name = f"{dimension_label(rows)} \\ {dimension_label(cols)}"
    return pivot


# --------------------------------------------------------------------------- data quality page


def completeness_table(completeness: pd.DataFrame) -> pd.DataFrame:
    """Each contract column: where it is expected, how many cases, how many have it, the share."""
    c = completeness.sort_values("position")
    return pd.DataFrame(
        {
            "Field": c["column_name"].to_numpy(),
            "Expected for": c["expected_when"].to_numpy(),
            "Cases expected": c["expected"].astype(int).to_numpy(),
            "Recorded": c["present"].astype(int).to_numpy(),
            "% recorded": c["pct_present"].astype(float).to_numpy(),
        }
    )


def ethnicity_shares(ethnicity: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Suspect ethnicity recorded per value, in display order, with an 'All cases' row at the end."""
    e = in_display_order(ethnicity, dimension)
    counts = [
        "cases",
        "with_suspects",
        "all_recorded",
        "some_recorded",
        "none_recorded",
        "not_applicable",
    ]
    labels = [value_label(dimension, v) for v in e["dim_value"]]
    frame = e[counts].astype(int).assign(label=labels)
    total = frame[counts].sum().to_frame().T.assign(label="All cases")
    frame = pd.concat([frame, total], ignore_index=True)
    with_suspects = frame["with_suspects"].where(frame["with_suspects"] > 0)
    frame["pct_none"] = (100.0 * frame["none_recorded"] / with_suspects).round(1)
    frame["pct_not_all"] = (
        100.0 * (frame["none_recorded"] + frame["some_recorded"]) / with_suspects
    ).round(1)
    return frame[["label", *counts, "pct_none", "pct_not_all"]]


def ethnicity_table(shares: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The ethnicity shares with words for headings."""
    return shares.rename(
        columns={
            "label": dimension_label(dimension),
            "cases": "Cases",
            "with_suspects": "Cases with suspects",
            "all_recorded": ETHNICITY_LABELS["all_recorded"],
            "some_recorded": ETHNICITY_LABELS["some_recorded"],
            "none_recorded": ETHNICITY_LABELS["none_recorded"],
            "not_applicable": ETHNICITY_LABELS["not_applicable"],
            "pct_none": "% none recorded",
            "pct_not_all": "% not all recorded",
        }
    )


def history_table(snapshots: Sequence[SnapshotInfo]) -> pd.DataFrame:
    """One row per snapshot, newest first: rows, warnings, ingest time and each source's SHA-256.

    Read from the snapshot listing, which reads each file's manifest once per file version,
    so the history costs nothing per page run however many snapshots there are.
    """
    rows = []
    for snap in reversed(snapshots):
        row: dict[str, Any] = {
            "As of": snap.as_of,
            "Cases": snap.case_rows or snap.in_scope,
            "Officers": snap.officer_rows,
            "Warnings": snap.warnings,
            "Ingested (UTC)": snap.ingested_at,
            "Contract": snap.contract_version,
            "Synthetic": "yes" if snap.synthetic else "no",
        }
        for file, sha256, _ in snap.sources:
            row[f"{file} SHA-256"] = sha256
        rows.append(row)
    return pd.DataFrame(rows)


def broken_table(broken: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Snapshot files that could not be read: name and reason."""
    return pd.DataFrame(list(broken), columns=["File", "Why it could not be read"])


CHANGE_LABELS = {
    "added": "Added to scope",
    "left_scope": "Left scope",
    "status_backwards": "Status went backwards",
    "reassigned": "Reassigned to another officer",
}


def warning_counts(summary: pd.DataFrame) -> dict[str, int]:
    """Warnings per code (from queries/pages/quality_warning_summary.sql)."""
    return {str(r.code): int(r.warnings) for r in summary.itertuples(index=False)}


def previous_as_of(changes: Mapping[str, Any]) -> date | None:
    """The previous snapshot's as-of date from quality_change_counts, or None for the first."""
    value = changes.get("previous_as_of")
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def change_counts_table(changes: Mapping[str, Any]) -> pd.DataFrame:
    """The changes since the previous snapshot as a two-column table, in a fixed order."""
    return pd.DataFrame(
        {
            "Change": list(CHANGE_LABELS.values()),
            "Cases": [int(changes[k]) for k in CHANGE_LABELS],
        }
    )
