"""A case-level list as a person reads it: headings, codes and dates in words (no Streamlit).

The CSV download of the same list keeps the contract's machine names (case_ref, status, ...),
because a script reads it; the screen shows the words.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from reassess.present.formats import DASH, short_date
from reassess.present.vocabulary import VALUES, label, relabel

CODED = {column: column for column in VALUES} | {
    "role": "officer_role",
    "bcu": "bcu",
    "previous_status": "status",
}
"""Columns whose cells are codes, and the kind of code each holds."""


def _day(value: object) -> str:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return DASH
    if isinstance(value, (pd.Timestamp, datetime)):
        return short_date(value.date())
    if isinstance(value, date):
        return short_date(value)
    return str(value)


def case_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` for the screen: every code in words, dates as '4 Jan 2010', blanks as a dash."""
    out = rows.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series) or (
            series.dtype == object and any(isinstance(v, date) for v in series.dropna()[:5])
        ):
            out[column] = [_day(v) for v in series]
        elif column in CODED:
            out[column] = [label(CODED[column], v) for v in series]
        elif series.dtype == object:
            out[column] = [
                DASH if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in series
            ]
    return relabel(out)
