"""Reading the synthetic demo's weekly extracts back from CSV, with pandas only.

The demo tests check the generator against its extract files and the contract, never
through the app's own code: everything here is computed from the CSVs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

FIRST_FRIDAY = date(2025, 11, 7)
V2_FROM = date(2026, 1, 9)  # the first extract with reinvestigations.csv (the demo's choice)
# The full demo the tests build: every Friday to the last before this work was written.
FULL_THROUGH = date(2026, 11, 27)
PREFIX_THROUGH = date(2026, 3, 6)  # 18 weeks
TARGET = date(2026, 4, 30)
STATUSES = ["awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed"]


@dataclass(frozen=True)
class Week:
    """One weekly extract: its as-of date and its tables as text ('' for an empty cell)."""

    as_of: date
    folder: Path
    cases: pd.DataFrame
    officers: pd.DataFrame
    abstractions: pd.DataFrame
    reinvestigations: pd.DataFrame | None

    @property
    def assessing(self) -> pd.DataFrame:
        """Officers of the assessment workstream (all of them in a v1 extract)."""
        if "workstream" not in self.officers.columns:
            return self.officers
        return self.officers[self.officers.workstream.isin(["", "assessment"])]


def read_table(path: Path) -> pd.DataFrame:
    """A CSV as text, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_week(folder: Path) -> Week:
    """One extract folder."""
    ri = folder / "reinvestigations.csv"
    return Week(
        as_of=date.fromisoformat(folder.name),
        folder=folder,
        cases=read_table(folder / "cases.csv"),
        officers=read_table(folder / "officers.csv"),
        abstractions=read_table(folder / "abstractions.csv"),
        reinvestigations=read_table(ri) if ri.exists() else None,
    )


def load_weeks(root: Path) -> list[Week]:
    """Every extract folder under root, oldest first."""
    return [load_week(p) for p in sorted(root.iterdir()) if p.is_dir()]


def days(values: pd.Series) -> pd.Series:
    """A text date column as datetime64 (NaT where empty)."""
    return pd.to_datetime(values.replace("", None), format="%Y-%m-%d")


def numbers(values: pd.Series) -> pd.Series:
    """A text number column as floats (NaN where empty)."""
    return pd.to_numeric(values.replace("", None))


def weekdays(start: date, end: date) -> np.ndarray:
    """Monday to Friday from start to end inclusive, as datetime64[D]."""
    all_days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    return all_days[np.is_busday(all_days)]


def available_fte(officers: pd.DataFrame, spells: pd.DataFrame, start: date, end: date) -> float:
    """Sum of fte x (weekdays in post and not abstracted) / 5 over start..end."""
    fte = officers.fte.astype(float).to_numpy()
    return float((fte * available_days(officers, spells, start, end)).sum() / 5)


def available_days(
    officers: pd.DataFrame, spells: pd.DataFrame, start: date, end: date
) -> np.ndarray:
    """Per officer (in row order): weekdays from start to end in post and not abstracted."""
    grid = weekdays(start, end)
    if len(grid) == 0 or officers.empty:
        return np.zeros(len(officers))
    first = days(officers.start_date).to_numpy(dtype="datetime64[D]")
    last = days(officers.end_date).to_numpy(dtype="datetime64[D]")
    last = np.where(np.isnat(last), np.datetime64("9999-12-31"), last)
    in_post = (grid[None, :] >= first[:, None]) & (grid[None, :] <= last[:, None])
    away = np.zeros_like(in_post)
    row = {ref: i for i, ref in enumerate(officers.officer_ref)}
    mine = spells[spells.officer_ref.isin(row)]
    if len(mine):
        lo = days(mine.from_date).to_numpy(dtype="datetime64[D]")
        hi = days(mine.to_date).to_numpy(dtype="datetime64[D]")
        idx = mine.officer_ref.map(row).to_numpy()
        hit = (grid[None, :] >= lo[:, None]) & (grid[None, :] <= hi[:, None])
        np.logical_or.at(away, idx, hit)
    return (in_post & ~away).sum(axis=1)


def week_start(as_of: date) -> date:
    """The Saturday that starts the week ending on an as-of Friday."""
    return as_of - timedelta(days=6)


def completions_in_week(week: Week) -> int:
    """Assessments completed in the week ending on the extract's as-of date."""
    done = days(week.cases.completed_date)
    return int(
        ((done >= pd.Timestamp(week_start(week.as_of))) & (done <= pd.Timestamp(week.as_of))).sum()
    )


def status_rank(values: pd.Series) -> pd.Series:
    """Statuses as their place in the order."""
    return values.map(STATUSES.index)
