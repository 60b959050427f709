"""CSV that a spreadsheet opens as data, never as formulas (no Streamlit).

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return can hide one; a crafted value (a typed reason, a
user name) could then run when someone opens the export. `safe_cell` prefixes such text with a
single quote, as OWASP recommends for CSV injection; numbers, dates and empty cells are kept as
they are, so a negative number stays a number.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that could start a formula gets a leading `'`; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every text cell made safe, column names too."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_safe_csv(frame: pd.DataFrame, marking: str | None = None) -> bytes:
    """The frame as UTF-8 CSV (with a BOM, so Excel reads the encoding), formula-safe.

    With a `marking`, the file's first line is the marking as a comment ("# OFFICIAL-SENSITIVE
    · SYNTHETIC DATA"); the header row follows. A script skips it with `skiprows=1` (pandas) or
    by reading past one line (docs/operations.md, "Exported files").
    """
    body = safe_frame(frame).to_csv(index=False)
    if marking is not None:
        body = f"# {marking}\n{body}"
    return body.encode("utf-8-sig")
