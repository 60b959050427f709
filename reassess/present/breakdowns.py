"""The categories page's breakdowns and cross-tab, shaped for display in contract order (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from reassess.extract.contract import BCUS, CATEGORIES, ORIGINAL_OUTCOMES, OUTCOMES, PRIORITIES
from reassess.present.filter_state import DIMENSIONS
from reassess.present.vocabulary import OUTCOME_LABELS, dimension_label, value_label

BOROUGHS: tuple[str, ...] = tuple(b for _, (_, bs) in BCUS.items() for b in bs)


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
