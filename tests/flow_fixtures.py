"""A tiny known-answer programme for the throughput and workload pages.

Three weekly snapshots (AS_OFS) are ingested from extracts made by rewinding one case history to
each as-of date, so every figure below can be checked by hand:

- officer PPO-0003 holds exactly 3 open cases (2 allocated, 1 in assessment);
- PPO-0004 holds 5 open cases, so it is overloaded once the threshold is lowered below 5;
- PPO-0005 is in post, never abstracted, and completed nothing in the last 2 weeks (idle);
- PPO-0006 completed nothing in the last 2 weeks but was on leave for all of them (not idle);
- PPO-0008 joined on Monday 2 March 2026 (not in post long enough to be flagged idle);
- PPO-0007 left on 30 January 2026;
- Review Team 2 completed 7 assessments and Review Team 1 completed 4 in the week ending AS_OF;
- the in-assessment case FLW-0103 started 40 days before AS_OF (the 4-8 weeks band).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from reassess.snapshot.ingest import ingest

AS_OF = date(2026, 3, 6)  # a Friday
AS_OFS = (date(2026, 2, 20), date(2026, 2, 27), AS_OF)
WEEK_START = AS_OF - timedelta(days=6)  # the week ending AS_OF runs Saturday 28 Feb .. Friday 6 Mar

OFFICERS = pd.DataFrame(
    [
        ("PPO-0001", "Review Team 1", "detective_sergeant", 1.0, "2025-11-03", None),
        ("PPO-0002", "Review Team 1", "detective_constable", 0.8, "2025-11-03", None),
        ("PPO-0003", "Review Team 2", "staff_investigator", 1.0, "2025-11-03", None),
        ("PPO-0004", "Review Team 2", "detective_constable", 0.5, "2025-11-03", None),
        ("PPO-0005", "Review Team 2", "police_constable", 1.0, "2025-11-03", None),
        ("PPO-0006", "Review Team 1", "staff_investigator", 1.0, "2025-11-03", None),
        ("PPO-0007", "Review Team 1", "detective_constable", 1.0, "2025-11-03", "2026-01-30"),
        ("PPO-0008", "Review Team 2", "detective_constable", 1.0, "2026-03-02", None),
    ],
    columns=["officer_ref", "team", "role", "fte", "start_date", "end_date"],
)

ABSTRACTIONS = pd.DataFrame(
    [
        ("PPO-0001", "2026-02-05", "2026-02-10", "training"),
        ("PPO-0002", "2026-02-16", "2026-02-20", "sickness"),
        ("PPO-0006", "2026-02-23", "2026-03-06", "annual_leave"),
        ("PPO-0004", "2026-03-02", "2026-03-03", "training"),
        ("PPO-0004", "2026-03-03", "2026-03-04", "other"),  # overlaps the training on 3 March
        ("PPO-0007", "2026-01-05", "2026-01-09", "annual_leave"),
    ],
    columns=["officer_ref", "from_date", "to_date", "reason"],
)

# Known answers on AS_OF (4-week window 7 Feb .. 6 Mar: 20 working days; idle window 2 weeks).
OPEN_CASES = {
    "PPO-0001": 1,
    "PPO-0002": 2,
    "PPO-0003": 3,
    "PPO-0004": 5,
    "PPO-0005": 1,
    "PPO-0006": 0,
    "PPO-0008": 1,
}
AVAILABLE_FTE = {
    "PPO-0001": 0.9,  # 2 of 20 days training
    "PPO-0002": 0.6,  # 0.8 x (1 - 5/20) sickness
    "PPO-0003": 1.0,
    "PPO-0004": 0.425,  # 0.5 x (1 - 3/20): the overlapping day counts once
    "PPO-0005": 1.0,
    "PPO-0006": 0.5,  # 10 of 20 days annual leave
    "PPO-0008": 1.0,  # in post 5 working days, none abstracted
}
COMPLETED_LAST_4_WEEKS = {"Review Team 1": 7, "Review Team 2": 8}
COMPLETED_WEEK_ENDING_AS_OF = {"Review Team 1": 4, "Review Team 2": 7}
IDLE = ("PPO-0005",)
AGE_40_DAYS_CASE = "FLW-0103"

BOROUGHS = {"CE": "Hackney", "AS": "Lambeth", "NW": "Brent", "SW": "Merton"}


@dataclass(frozen=True)
class History:
    """One case's whole history; its row in an extract depends on the as-of date."""

    ref: str
    officer: str | None
    allocated: str | None = None
    started: str | None = None
    completed: str | None = None
    qa: str | None = None
    hours: float = 0.0
    category: str = "peer_on_peer"
    priority: str = "medium"
    bcu: str = "CE"


def _completed(
    ref: str,
    officer: str,
    alloc: str,
    start: str,
    done: str,
    qa: str | None,
    hours: float,
    **kw: str,
) -> History:
    return History(ref, officer, alloc, start, done, qa, hours, **kw)


HISTORIES: tuple[History, ...] = (
    # Week ending AS_OF: Review Team 2 completes 7 (PPO-0003 x3, PPO-0004 x4) ...
    _completed(
        "FLW-0001",
        "PPO-0003",
        "2026-02-20",
        "2026-02-23",
        "2026-03-02",
        "2026-03-04",
        3.0,
        category="online",
        priority="high",
    ),
    _completed(
        "FLW-0002",
        "PPO-0003",
        "2026-02-24",
        "2026-02-26",
        "2026-03-03",
        "2026-03-05",
        4.0,
        category="online",
        bcu="AS",
    ),
    _completed(
        "FLW-0003", "PPO-0003", "2026-02-25", "2026-03-02", "2026-03-05", None, 2.5, bcu="NW"
    ),
    _completed(
        "FLW-0004",
        "PPO-0004",
        "2026-02-16",
        "2026-02-17",
        "2026-02-28",
        "2026-03-03",
        5.0,
        category="institutional",
        priority="high",
    ),
    _completed(
        "FLW-0005",
        "PPO-0004",
        "2026-02-18",
        "2026-02-25",
        "2026-03-01",
        "2026-03-06",
        1.5,
        bcu="SW",
    ),
    _completed(
        "FLW-0006", "PPO-0004", "2026-02-27", "2026-03-02", "2026-03-04", None, 2.0, priority="low"
    ),
    _completed(
        "FLW-0007",
        "PPO-0004",
        "2026-03-02",
        "2026-03-03",
        "2026-03-06",
        None,
        1.0,
        priority="low",
        bcu="AS",
    ),
    # ... and Review Team 1 completes 4 (PPO-0001 x1, PPO-0002 x3).
    _completed(
        "FLW-0008",
        "PPO-0001",
        "2026-02-11",
        "2026-02-12",
        "2026-03-02",
        "2026-03-03",
        6.0,
        category="organised_group",
        priority="high",
    ),
    _completed(
        "FLW-0009",
        "PPO-0002",
        "2026-02-20",
        "2026-02-23",
        "2026-03-03",
        "2026-03-04",
        2.0,
        bcu="SW",
    ),
    _completed(
        "FLW-0010",
        "PPO-0002",
        "2026-02-26",
        "2026-02-27",
        "2026-03-04",
        None,
        2.0,
        category="online",
    ),
    _completed(
        "FLW-0011",
        "PPO-0002",
        "2026-03-02",
        "2026-03-02",
        "2026-03-06",
        None,
        1.0,
        priority="low",
        bcu="NW",
    ),
    # Week ending 27 February: Review Team 1 completes 2, Review Team 2 completes 1.
    _completed("FLW-0012", "PPO-0002", "2026-02-09", "2026-02-10", "2026-02-23", "2026-02-25", 3.5),
    _completed(
        "FLW-0013",
        "PPO-0002",
        "2026-02-12",
        "2026-02-19",
        "2026-02-26",
        "2026-03-02",
        2.5,
        category="institutional",
    ),
    _completed(
        "FLW-0014", "PPO-0003", "2026-02-19", "2026-02-23", "2026-02-25", None, 2.0, priority="low"
    ),
    # Week ending 20 February: PPO-0006 completes 1 before going on leave.
    _completed(
        "FLW-0015",
        "PPO-0006",
        "2026-02-02",
        "2026-02-04",
        "2026-02-18",
        "2026-02-19",
        4.0,
        bcu="AS",
    ),
    # Older completions: PPO-0005 (last on 30 January), PPO-0007 before leaving, PPO-0001.
    _completed("FLW-0016", "PPO-0005", "2026-01-12", "2026-01-19", "2026-01-30", "2026-02-02", 3.0),
    _completed(
        "FLW-0017",
        "PPO-0007",
        "2026-01-05",
        "2026-01-06",
        "2026-01-20",
        "2026-01-22",
        5.0,
        category="online",
    ),
    _completed(
        "FLW-0018",
        "PPO-0007",
        "2026-01-06",
        "2026-01-12",
        "2026-01-20",
        "2026-01-23",
        3.0,
        priority="high",
    ),
    _completed(
        "FLW-0019",
        "PPO-0001",
        "2025-12-15",
        "2025-12-17",
        "2026-01-09",
        "2026-01-14",
        4.0,
        category="organised_group",
    ),
    # Open work on AS_OF. PPO-0003: exactly 3 open (2 allocated, 1 in assessment for 40 days).
    History("FLW-0101", "PPO-0003", "2026-03-02"),
    History("FLW-0102", "PPO-0003", "2026-03-04"),
    History("FLW-0103", "PPO-0003", "2026-01-20", "2026-01-25", hours=6.0),
    # PPO-0004: 5 open (3 allocated; in assessment 3 days and 106 days).
    History("FLW-0104", "PPO-0004", "2026-03-03"),
    History("FLW-0105", "PPO-0004", "2026-03-04"),
    History("FLW-0106", "PPO-0004", "2026-03-05"),
    History("FLW-0107", "PPO-0004", "2026-03-02", "2026-03-03", hours=1.0),
    History("FLW-0108", "PPO-0004", "2025-11-18", "2025-11-20", hours=9.0, priority="high"),
    # PPO-0001: in assessment 21 days; PPO-0002: 2 allocated; PPO-0005: in assessment 60 days.
    History("FLW-0109", "PPO-0001", "2026-02-12", "2026-02-13", hours=2.0),
    History("FLW-0110", "PPO-0002", "2026-03-03"),
    History("FLW-0111", "PPO-0002", "2026-03-05"),
    History("FLW-0112", "PPO-0005", "2026-01-02", "2026-01-05", hours=4.5),
    History("FLW-0113", "PPO-0008", "2026-03-04"),
    # Awaiting allocation.
    History("FLW-0201", None, bcu="AS"),
    History("FLW-0202", None, bcu="NW"),
    History("FLW-0203", None, priority="high"),
    History("FLW-0204", None, priority="low", bcu="SW"),
)


def _on(value: str | None, as_of: date) -> str | None:
    """A history date as it stood on `as_of`: only dates that had happened."""
    return value if value is not None and date.fromisoformat(value) <= as_of else None


def cases_on(as_of: date, histories: tuple[History, ...] = HISTORIES) -> pd.DataFrame:
    """The cases table of an extract for `as_of`: each history rewound to that date."""
    rows = []
    for h in histories:
        allocated, started = _on(h.allocated, as_of), _on(h.started, as_of)
        completed, qa = _on(h.completed, as_of), _on(h.qa, as_of)
        status = (
            "assessed"
            if qa
            else "awaiting_qa"
            if completed
            else "in_assessment"
            if started
            else "allocated"
            if allocated
            else "awaiting_allocation"
        )
        rows.append(
            {
                "case_ref": h.ref,
                "reported_date": "2014-05-01",
                "category": h.category,
                "bcu": h.bcu,
                "borough": BOROUGHS[h.bcu],
                "original_outcome": "nfa_evidential",
                "victims": 1,
                "suspects": 2,
                "suspect_ethnicity_recorded": "some",
                "priority": h.priority,
                "status": status,
                "officer_ref": h.officer if allocated else None,
                "allocated_date": allocated,
                "started_date": started,
                "completed_date": completed,
                "qa_date": qa,
                "outcome": "no_further_action" if completed else None,
                "victim_support": "not_required" if completed else "not_assessed",
                "hours_spent": h.hours if started else None,
            }
        )
    return pd.DataFrame(rows)


def write_extract(folder: Path, as_of: date, histories: tuple[History, ...] = HISTORIES) -> Path:
    """Write cases.csv, officers.csv and abstractions.csv for `as_of` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    cases_on(as_of, histories).to_csv(folder / "cases.csv", index=False)
    started = pd.to_datetime(OFFICERS["start_date"]).dt.date <= as_of
    OFFICERS[started].to_csv(folder / "officers.csv", index=False)
    begun = pd.to_datetime(ABSTRACTIONS["from_date"]).dt.date <= as_of
    ABSTRACTIONS[begun].to_csv(folder / "abstractions.csv", index=False)
    return folder


def build_flow_programme(
    data_dir: Path, as_ofs: tuple[date, ...] = AS_OFS, histories: tuple[History, ...] = HISTORIES
) -> Path:
    """Ingest one snapshot per as-of date under `data_dir` (a REASSESS_DATA_DIR); returns it."""
    for as_of in as_ofs:
        folder = write_extract(data_dir / "extracts" / as_of.isoformat(), as_of, histories)
        ingest(folder, as_of, data_dir / "snapshots", synthetic=True, progress=False)
    return data_dir


# Nothing completed yet: only open work and cases awaiting allocation (one snapshot, AS_OF).
NOTHING_DONE = tuple(h for h in HISTORIES if h.completed is None)
