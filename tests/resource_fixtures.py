"""Known-answer snapshots for the resources and scenarios features, built by the real ingest.

Two tiny programmes, each one snapshot on Friday 6 March 2026 (so no scope history and no
scope change; the forecast window is the 8 weeks ending that day):

- STEADY: ten full-time officers, each abstracted every Monday of the window (training), so
  8.0 FTE are available every week: exactly 10 x (1 - the configured 20% abstraction). The
  weekly completions are STEADY_WEEKLY. With no attrition, the scenario model must then give
  the overview's forecast exactly.
- MIXED: five officers whose part-time hours, starts, ends and abstractions (overlapping,
  and at a weekend) give the available FTE in MIXED_AVAILABLE_FTE, worked out by hand below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from reassess.extract.contract import CATEGORIES
from reassess.snapshot.ingest import ingest

AS_OF = date(2026, 3, 6)  # a Friday
WEEK_ENDINGS = tuple(AS_OF - timedelta(weeks=7 - k) for k in range(8))  # 16 Jan .. 6 Mar
PROGRAMME_START = date(2025, 11, 3)

STEADY_WEEKLY = (30, 42, 25, 38, 40, 33, 45, 36)
STEADY_REMAINING = 700
STEADY_OFFICERS = 10

# MIXED: officers and what they give in each week of the window (Monday to Friday only).
#   A 1.0 FTE, annual leave Mon 2 - Fri 6 Feb (the whole week ending 6 Feb)
#   B 0.8 FTE, sickness Wed 4 - Thu 5 Feb and training Thu 5 - Mon 9 Feb (Thu counted once):
#     off Wed-Fri in the week ending 6 Feb (0.8 x 2/5 = 0.32) and Mon in the next (0.64)
#   C 0.5 FTE, never away
#   D 1.0 FTE, starts Wed 18 Feb: 3 days in the week ending 20 Feb (0.6), full after
#   E 1.0 FTE, leaves Tue 10 Feb: 2 days in the week ending 13 Feb (0.4), none after
#   F 1.0 FTE, an operational abstraction on Sat 14 - Sun 15 Feb (a weekend: no effect)
MIXED_OFFICERS = pd.DataFrame(
    {
        "officer_ref": ["OFF-A", "OFF-B", "OFF-C", "OFF-D", "OFF-E", "OFF-F"],
        "team": ["Review Team 1"] * 3 + ["Review Team 2"] * 3,
        "role": ["detective_sergeant", "detective_constable", "staff_investigator"] * 2,
        "fte": [1.0, 0.8, 0.5, 1.0, 1.0, 1.0],
        "start_date": ["2025-11-03"] * 3 + ["2026-02-18", "2025-11-03", "2025-11-03"],
        "end_date": [None, None, None, None, "2026-02-10", None],
    }
)
MIXED_ABSTRACTIONS = pd.DataFrame(
    {
        "officer_ref": ["OFF-A", "OFF-B", "OFF-B", "OFF-F"],
        "from_date": ["2026-02-02", "2026-02-04", "2026-02-05", "2026-02-14"],
        "to_date": ["2026-02-06", "2026-02-05", "2026-02-09", "2026-02-15"],
        "reason": ["annual_leave", "sickness", "training", "operational_abstraction"],
    }
)
MIXED_AVAILABLE_FTE = (4.3, 4.3, 4.3, 2.82, 3.54, 3.9, 4.3, 4.3)
MIXED_IN_POST_FTE = (4.3, 4.3, 4.3, 4.3, 3.7, 3.9, 4.3, 4.3)
MIXED_ABSTRACTED_FTE = (0.0, 0.0, 0.0, 1.48, 0.16, 0.0, 0.0, 0.0)
MIXED_OFFICERS_ACTIVE = (5, 5, 5, 5, 5, 5, 5, 5)
MIXED_CURRENT_FTE = 4.3  # A, B, C, D and F on 6 March
MIXED_WEEKLY = (3, 4, 2, 1, 3, 3, 5, 4)
MIXED_REMAINING = 40


@dataclass(frozen=True)
class Fixture:
    """One ingested known-answer programme: its data folder and the frames it was built from."""

    data_dir: Path
    cases: pd.DataFrame
    officers: pd.DataFrame
    abstractions: pd.DataFrame

    @property
    def snapshot_dir(self) -> Path:
        return self.data_dir / "snapshots"


def completed_case(i: int, completed: date, officer: str) -> dict[str, object]:
    """A case whose assessment was completed on ``completed`` (awaiting QA), with an outcome,
    victim-support decision and category that follow fixed patterns of ``i``."""
    if i % 7 == 0:
        outcome = "reinvestigate"
    elif i % 11 == 0:
        outcome = "safeguarding_referral"
    else:
        outcome = "no_further_action"
    return {
        "case_ref": f"RES-{i:05d}",
        "reported_date": "2012-05-01",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "bcu": "CE",
        "borough": "Hackney",
        "original_outcome": "nfa_evidential",
        "victims": 1,
        "suspects": 1,
        "suspect_ethnicity_recorded": "all",
        "priority": "medium",
        "status": "awaiting_qa",
        "officer_ref": officer,
        "allocated_date": (completed - timedelta(days=2)).isoformat(),
        "started_date": (completed - timedelta(days=1)).isoformat(),
        "completed_date": completed.isoformat(),
        "qa_date": None,
        "outcome": outcome,
        "victim_support": "referred" if i % 5 == 0 else "not_required",
        "hours_spent": 2.5 if i % 2 else 3.5,
    }


def waiting_case(i: int) -> dict[str, object]:
    """A case awaiting allocation."""
    return {
        "case_ref": f"RES-{i:05d}",
        "reported_date": "2013-09-10",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "bcu": "NW",
        "borough": "Brent",
        "original_outcome": "nfa_victim_declined",
        "victims": 2,
        "suspects": 1,
        "suspect_ethnicity_recorded": "none",
        "priority": "high",
        "status": "awaiting_allocation",
        "officer_ref": None,
        "allocated_date": None,
        "started_date": None,
        "completed_date": None,
        "qa_date": None,
        "outcome": None,
        "victim_support": "not_assessed",
        "hours_spent": None,
    }


def cases_for(weekly: tuple[int, ...], remaining: int, officers: list[str]) -> pd.DataFrame:
    """``weekly[k]`` cases completed on the Wednesday of week k of the window, and
    ``remaining`` awaiting allocation."""
    rows: list[dict[str, object]] = []
    i = 1
    for week_ending, count in zip(WEEK_ENDINGS, weekly, strict=True):
        for _ in range(count):
            rows.append(
                completed_case(i, week_ending - timedelta(days=2), officers[i % len(officers)])
            )
            i += 1
    for _ in range(remaining):
        rows.append(waiting_case(i))
        i += 1
    return pd.DataFrame(rows)


def steady_officers() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten full-time officers, and a training day every Monday of the window for each."""
    refs = [f"OFF-{n:02d}" for n in range(1, STEADY_OFFICERS + 1)]
    officers = pd.DataFrame(
        {
            "officer_ref": refs,
            "team": "Review Team 1",
            "role": "detective_constable",
            "fte": 1.0,
            "start_date": PROGRAMME_START.isoformat(),
            "end_date": None,
        }
    )
    mondays = [(w - timedelta(days=4)).isoformat() for w in WEEK_ENDINGS]
    abstractions = pd.DataFrame(
        [
            {"officer_ref": r, "from_date": d, "to_date": d, "reason": "training"}
            for r in refs
            for d in mondays
        ]
    )
    return officers, abstractions


def build(
    data_dir: Path, cases: pd.DataFrame, officers: pd.DataFrame, abstractions: pd.DataFrame
) -> Fixture:
    """Write the extract under data_dir/extracts and ingest its snapshot for AS_OF."""
    folder = data_dir / "extracts" / AS_OF.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    cases.to_csv(folder / "cases.csv", index=False)
    officers.to_csv(folder / "officers.csv", index=False)
    abstractions.to_csv(folder / "abstractions.csv", index=False)
    ingest(folder, AS_OF, data_dir / "snapshots", synthetic=True, progress=False)
    return Fixture(data_dir, cases, officers, abstractions)


def build_steady(data_dir: Path) -> Fixture:
    """The STEADY programme (see the module docstring)."""
    officers, abstractions = steady_officers()
    cases = cases_for(STEADY_WEEKLY, STEADY_REMAINING, list(officers["officer_ref"]))
    return build(data_dir, cases, officers, abstractions)


def build_mixed(data_dir: Path) -> Fixture:
    """The MIXED programme (see the module docstring): cases completed by C and F."""
    cases = cases_for(MIXED_WEEKLY, MIXED_REMAINING, ["OFF-C", "OFF-F"])
    return build(data_dir, cases, MIXED_OFFICERS, MIXED_ABSTRACTIONS)
