"""Disclosure control for query results: the declared count columns of a frame, made safe to share.

The query runner (reassess/snapshot/runner.py) calls ``disclose_frame`` on every result it returns to the
Mayor's office role, with the count columns the query file declares (``-- counts: a, b``):

- a frame of several rows: each count column is a one-way table down the rows, protected by
  ``protect_series`` (small counts hidden as "<10", the rest rounded, and secondary suppression
  down the column, as if its total were shown: totals are usually published elsewhere);
- a one-row frame: each count is a whole-programme total, protected by ``protect_count``
  (rounded; 1 to 9 hidden);
- other columns are returned unchanged, even when they look numeric: the query's author
  declared which columns are counts.

A count column comes back as int64 when every figure is shown, else as object (Python ints and
the suppression labels). A missing value (NULL) stays missing and takes no part in the table.
Pure pandas: no Streamlit, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from numbers import Integral

import pandas as pd

from reassess.disclosure.tables import (
    DisclosureError,
    DisclosureRules,
    default_rules,
    protect_count,
    protect_series,
)


def disclose_frame(
    frame: pd.DataFrame, counts: Sequence[str], rules: DisclosureRules | None = None
) -> pd.DataFrame:
    """A copy of `frame` with every declared count column through disclosure control."""
    rules = rules or default_rules()
    missing = [c for c in counts if c not in frame.columns]
    if missing:
        raise DisclosureError(
            f"the count column(s) {', '.join(map(repr, missing))} declared in the query header "
            f"are not in its result (columns: {', '.join(map(str, frame.columns))}); fix the "
            "'-- counts:' line of the query file"
        )
    out = frame.copy()
    if len(out) == 0:
        return out
    for column in dict.fromkeys(counts):
        out[column] = _disclose_column(out[column], column, rules, one_row=len(out) == 1)
    return out


def _disclose_column(
    values: pd.Series, column: str, rules: DisclosureRules, *, one_row: bool
) -> pd.Series:
    """One count column as shown: rounded ints and suppression labels, NULLs kept."""
    present = values.notna()
    raw = [_count(v, column) for v in values[present].tolist()]
    try:
        if one_row:
            shown = [protect_count(v, rules) for v in raw]
        elif raw:
            series = pd.Series(raw, name=column, dtype=object)
            shown = protect_series(series, rules, total=False).shown.iloc[:, 0].tolist()
        else:
            shown = []
    except DisclosureError as exc:
        raise DisclosureError(f"the count column {column!r}: {exc}") from None
    result = pd.Series([None] * len(values), index=values.index, dtype=object, name=column)
    result[present.to_numpy()] = shown
    if present.all() and all(isinstance(v, int) for v in shown):
        return result.astype("int64")
    return result


def _count(value: object, column: str) -> int:
    """A value of a count column, with the column named if it is not a count."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str):
        raise DisclosureError(
            f"the count column {column!r} holds the text {value!r}; a count column must hold "
            "whole numbers (remove it from the query's '-- counts:' line if it is not a count)"
        )
    if isinstance(value, Integral):
        return int(value)
    raise DisclosureError(
        f"the count column {column!r}: {value!r} is not a count; a count column must hold "
        "whole numbers of 0 or more (remove it from the query's '-- counts:' line if it is "
        "not a count)"
    )


__all__ = ["disclose_frame"]
