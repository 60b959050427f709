"""The weekly extract: the simulation's state on a Friday, as the case-management export.

Missing values are None (written as empty cells). From ``V2_FROM`` the extract follows the
contract's version 2: it carries ``reinvestigations.csv`` and ``officers.workstream``; before
that it is a version 1 extract, exactly as the force's export was before the reinvestigation
module went live.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from reassess.demo.assessment import (
    ALLOCATED,
    ASSESSED,
    AWAITING_QA,
    IN_ASSESSMENT,
    STATUSES,
)
from reassess.demo.calendar import iso, iso_column, ordinal
from reassess.demo.simulation import Simulation
from reassess.extract.contract import (
    ABSTRACTION_COLUMNS,
    CASE_COLUMNS,
    OFFICER_COLUMNS,
    REINVESTIGATION_COLUMNS,
)

# Demo assumption: the reinvestigation workstream stood up on 5 January 2026 and the
# case-management system's reinvestigation module went live with it; the first extract
# that carries reinvestigations.csv (and officers.workstream) is Friday 9 January 2026.
# Referrals made before then are in it with their own (earlier) referred dates.
V2_FROM = date(2026, 1, 9)

# Tables in the order they are written; cases.csv last, so a folder with cases.csv is whole.
TABLE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("abstractions", ABSTRACTION_COLUMNS),
    ("officers", OFFICER_COLUMNS),
    ("reinvestigations", REINVESTIGATION_COLUMNS),
    ("cases", CASE_COLUMNS),
)
REQUIRED = ("officers", "cases")


@dataclass(frozen=True, eq=False)
class Extract:
    """One week's extract: its as-of date, contract version and tables."""

    as_of: date
    version: int
    tables: dict[str, pd.DataFrame]


def _text(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """An object column: the values where present, None elsewhere."""
    out = np.full(len(values), None, dtype=object)
    out[present] = values[present]
    return out


def _dates(days: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Day numbers as YYYY-MM-DD where present, None elsewhere."""
    return _text(iso_column(np.where(present, days, 0)), present)


def take(sim: Simulation) -> Extract:
    """The extract for the Friday the simulation has just run."""
    as_of = sim.friday
    version = 2 if as_of >= V2_FROM else 1
    tables = {
        "cases": _cases(sim),
        "officers": _officers(sim, as_of, version),
        "abstractions": _abstractions(sim, as_of),
    }
    if version == 2:
        tables["reinvestigations"] = _reinvestigations(sim)
    return Extract(as_of, version, tables)


def _cases(sim: Simulation) -> pd.DataFrame:
    work, book = sim.work, sim.book
    idx = np.flatnonzero(work.in_scope)
    status = work.status[idx]
    refs = np.array([o.ref for o in sim.staff.officers] + [None], dtype=object)
    officer = work.officer[idx]
    allocated = status >= ALLOCATED
    started = status >= IN_ASSESSMENT
    done = status >= AWAITING_QA
    recorded = started & work.records_hours[idx]
    hours_text = np.full(len(idx), None, dtype=object)
    hours_text[recorded] = [f"{h:.1f}" for h in work.spent[idx][recorded]]
    return _frame(
        {
            "case_ref": book.ref[idx],
            "reported_date": iso_column(book.reported[idx]),
            "category": book.category[idx],
            "bcu": book.bcu[idx],
            "borough": book.borough[idx],
            "original_outcome": book.original_outcome[idx],
            "victims": book.victims[idx],
            "suspects": book.suspects[idx],
            "suspect_ethnicity_recorded": book.ethnicity[idx],
            "priority": book.priority[idx],
            "status": np.array(STATUSES, dtype=object)[status],
            "officer_ref": _text(refs[np.where(allocated, officer, -1)], allocated),
            "allocated_date": _dates(work.allocated[idx], allocated),
            "started_date": _dates(work.started[idx], started),
            "completed_date": _dates(work.completed[idx], done),
            "qa_date": _dates(work.qa[idx], status == ASSESSED),
            "outcome": _text(book.finding[idx], done),
            "victim_support": np.where(done, book.support[idx], "not_assessed").astype(object),
            "hours_spent": hours_text,
        }
    )


def _frame(columns: dict[str, object]) -> pd.DataFrame:
    """A table of object columns (no string-dtype inference: the values are written as they are)."""
    return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})


def _officers(sim: Simulation, as_of: date, version: int) -> pd.DataFrame:
    day = ordinal(as_of)
    rows = [o for o in sim.staff.officers if o.start <= day]
    frame = pd.DataFrame(
        {
            "officer_ref": [o.ref for o in rows],
            "team": [o.team for o in rows],
            "role": [o.role for o in rows],
            "fte": [f"{o.fte:.1f}" for o in rows],
            "start_date": [iso(o.start) for o in rows],
            "end_date": [iso(o.end) if o.end and o.end_known <= day else None for o in rows],
        },
        dtype=object,
    )
    if version == 2:
        frame["workstream"] = [o.workstream for o in rows]
    return frame


def _abstractions(sim: Simulation, as_of: date) -> pd.DataFrame:
    day = ordinal(as_of)
    refs = [o.ref for o in sim.staff.officers]
    spells = sorted(
        (s for s in sim.diary.spells if s.known <= day),
        key=lambda s: (s.officer, s.first, s.last, s.reason),
    )
    return pd.DataFrame(
        {
            "officer_ref": [refs[s.officer] for s in spells],
            "from_date": [iso(s.first) for s in spells],
            "to_date": [iso(s.last) for s in spells],
            "reason": [s.reason for s in spells],
        },
        columns=list(ABSTRACTION_COLUMNS),
        dtype=object,
    )


def _reinvestigations(sim: Simulation) -> pd.DataFrame:
    refs = [o.ref for o in sim.staff.officers]
    items = sim.reinvestigations.items
    return pd.DataFrame(
        {
            "investigation_ref": [r.ref for r in items],
            "case_ref": [sim.book.ref[r.case] for r in items],
            "referred_date": [iso(r.referred) for r in items],
            "stage": [r.stage for r in items],
            "victim_consent": [r.consent for r in items],
            "lead_officer_ref": [refs[r.lead] if r.opened else None for r in items],
            "opened_date": [iso(r.opened) if r.opened else None for r in items],
            "suspects_identified": [r.identified for r in items],
            "suspects_arrested": [r.arrested for r in items],
            "suspects_charged": [r.charged for r in items],
            "isva": [r.isva for r in items],
            "closed_date": [iso(r.closed) if r.closed else None for r in items],
            "closure_outcome": [r.closure or None for r in items],
            "hours_spent": [f"{r.hours:.1f}" for r in items],
        },
        columns=list(REINVESTIGATION_COLUMNS),
        dtype=object,
    )


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """One table as UTF-8 CSV with a header row, \n line endings, empty cells for missing."""
    frame.to_csv(path, index=False, na_rep="", encoding="utf-8", lineterminator="\n")


def write_extract(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """Write each table as <name>.csv (UTF-8, header row); cases.csv is moved in last."""
    folder = Path(folder)
    for name in REQUIRED:
        if name not in frames:
            raise ValueError(f"write_extract needs a {name!r} table; got {sorted(frames)}")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for name, columns in TABLE_COLUMNS:
            if name not in frames:
                continue
            frame = frames[name]
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(f"the {name} table lacks contract columns {missing}")
            extra = [c for c in frame.columns if c not in columns]
            final = folder / f"{name}.csv"
            temp = folder / f".{name}.csv.tmp"
            _write_csv(frame.loc[:, [*columns, *extra]], temp)
            written.append((temp, final))
        for temp, final in written:
            os.replace(temp, final)
        if "reinvestigations" not in frames:
            (folder / "reinvestigations.csv").unlink(missing_ok=True)
    finally:
        for temp, _ in written:
            temp.unlink(missing_ok=True)
