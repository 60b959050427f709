"""Known-answer snapshots for the categories and data-quality pages, built by the real ingest.

Two weekly extracts of a tiny programme (officers OFF-01..OFF-03), so that:
- exactly 4 organised_group cases are in CE, 3 of them with suspect ethnicity "none";
- 3 gang_related cases (2 in NE, 1 in AS); 11 cases in scope on LATEST;
- every case allocated or later has an officer_ref (officer_ref 100% complete); one case in
  assessment has no hours_spent (hours_spent 7 of 8, 87.5%);
- OG-CE-3 has been in assessment since 2025-11-10: a stale_in_assessment warning;
- between PREVIOUS and LATEST, OG-CE-2 went back from assessed to awaiting_qa and OT-SE-1 left
  scope (so LATEST's changes table has one status_backwards and one removed case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from reassess.extract.contract import CASE_COLUMNS
from reassess.snapshot.ingest import ingest

PREVIOUS = date(2026, 2, 27)
LATEST = date(2026, 3, 6)


# ref, reported, category, bcu, borough, original outcome, victims, suspects, ethnicity, priority
_BASE = (
    (
        "OG-CE-1",
        "2012-05-01",
        "organised_group",
        "CE",
        "Hackney",
        "nfa_evidential",
        2,
        3,
        "none",
        "high",
    ),
    (
        "OG-CE-2",
        "2013-03-10",
        "organised_group",
        "CE",
        "Tower Hamlets",
        "nfa_victim_declined",
        1,
        2,
        "none",
        "medium",
    ),
    (
        "OG-CE-3",
        "2015-07-21",
        "organised_group",
        "CE",
        "Hackney",
        "nfa_other",
        3,
        4,
        "none",
        "high",
    ),
    ("OG-CE-4", "2016-01-05", "organised_group", "CE", "Hackney", "charged", 1, 1, "all", "low"),
    (
        "OG-AS-1",
        "2011-09-14",
        "organised_group",
        "AS",
        "Southwark",
        "nfa_evidential",
        4,
        2,
        "all",
        "high",
    ),
    (
        "GR-NE-1",
        "2014-02-02",
        "gang_related",
        "NE",
        "Newham",
        "nfa_no_suspect",
        2,
        5,
        "some",
        "high",
    ),
    (
        "GR-NE-2",
        "2018-06-30",
        "gang_related",
        "NE",
        "Waltham Forest",
        "nfa_evidential",
        1,
        2,
        "none",
        "medium",
    ),
    ("GR-AS-1", "2019-11-11", "gang_related", "AS", "Lambeth", "other", 1, 1, "all", "low"),
    (
        "ON-SW-1",
        "2020-04-04",
        "online",
        "SW",
        "Merton",
        "nfa_no_suspect",
        1,
        0,
        "not_applicable",
        "low",
    ),
    ("ON-CE-1", "2021-08-08", "online", "CE", "Hackney", "nfa_evidential", 1, 2, "some", "medium"),
    ("IF-NW-1", "2017-12-01", "intra_familial", "NW", "Brent", "nfa_other", 1, 1, "all", "high"),
)
# ref -> status, officer, allocated, started, completed, qa, outcome, victim support, hours
_LATEST_PROGRESS = {
    "OG-CE-1": (
        "assessed",
        "OFF-01",
        "2025-11-04",
        "2025-11-05",
        "2025-12-01",
        "2025-12-03",
        "reinvestigate",
        "referred",
        12,
    ),
    "OG-CE-2": (
        "awaiting_qa",
        "OFF-02",
        "2025-11-06",
        "2025-11-10",
        "2026-02-10",
        "",
        "safeguarding_referral",
        "referred",
        9.5,
    ),
    "OG-CE-3": (
        "in_assessment",
        "OFF-01",
        "2025-11-07",
        "2025-11-10",
        "",
        "",
        "",
        "not_assessed",
        "",
    ),
    "OG-CE-4": ("awaiting_allocation", "", "", "", "", "", "", "not_assessed", ""),
    "OG-AS-1": (
        "assessed",
        "OFF-02",
        "2025-11-04",
        "2025-11-06",
        "2025-12-15",
        "2025-12-18",
        "linked_live_investigation",
        "not_required",
        20,
    ),
    "GR-NE-1": (
        "assessed",
        "OFF-03",
        "2025-11-10",
        "2025-11-12",
        "2026-01-09",
        "2026-01-12",
        "refer_beaconport",
        "referred",
        15,
    ),
    "GR-NE-2": (
        "assessed",
        "OFF-03",
        "2025-11-10",
        "2025-11-17",
        "2026-01-20",
        "2026-01-22",
        "no_further_action",
        "not_required",
        6,
    ),
    "GR-AS-1": ("allocated", "OFF-02", "2026-02-25", "", "", "", "", "not_assessed", ""),
    "ON-SW-1": ("awaiting_allocation", "", "", "", "", "", "", "not_assessed", ""),
    "ON-CE-1": (
        "in_assessment",
        "OFF-01",
        "2026-02-16",
        "2026-02-20",
        "",
        "",
        "",
        "not_assessed",
        3,
    ),
    "IF-NW-1": (
        "assessed",
        "OFF-02",
        "2025-11-05",
        "2025-11-06",
        "2025-11-28",
        "2025-12-01",
        "no_further_action",
        "declined",
        10,
    ),
}
# What differs on PREVIOUS: OG-CE-2 was QA signed off (it goes backwards), OT-SE-1 was in scope.
_PREVIOUS_CHANGES = {
    "OG-CE-2": (
        "assessed",
        "OFF-02",
        "2025-11-06",
        "2025-11-10",
        "2026-02-10",
        "2026-02-12",
        "safeguarding_referral",
        "referred",
        9.5,
    ),
}
_PREVIOUS_ONLY = (
    ("OT-SE-1", "2010-10-10", "other", "SE", "Lewisham", "nfa_other", 1, 1, "none", "low"),
    ("awaiting_allocation", "", "", "", "", "", "", "not_assessed", ""),
)

OFFICERS = pd.DataFrame(
    [
        ("OFF-01", "Review Team 1", "detective_sergeant", 1, "2025-11-03", ""),
        ("OFF-02", "Review Team 1", "detective_constable", 0.8, "2025-11-03", ""),
        ("OFF-03", "Review Team 2", "staff_investigator", 1, "2025-11-03", ""),
    ],
    columns=["officer_ref", "team", "role", "fte", "start_date", "end_date"],
)


def cases_frame(as_of: date) -> pd.DataFrame:
    """The cases extract for PREVIOUS or LATEST, with the contract's columns."""
    progress = dict(_LATEST_PROGRESS)
    rows = [base + progress[base[0]] for base in _BASE]
    if as_of == PREVIOUS:
        progress.update(_PREVIOUS_CHANGES)
        rows = [base + progress[base[0]] for base in _BASE]
        rows.append(_PREVIOUS_ONLY[0] + _PREVIOUS_ONLY[1])
    elif as_of != LATEST:
        raise ValueError(f"the fixture has extracts for {PREVIOUS} and {LATEST}, not {as_of}")
    return pd.DataFrame(rows, columns=list(CASE_COLUMNS))


@dataclass(frozen=True)
class Fixture:
    """Where a fixture programme lives (use as REASSESS_DATA_DIR)."""

    data_dir: Path

    @property
    def snapshot_dir(self) -> Path:
        return self.data_dir / "snapshots"

    def extract(self, as_of: date) -> Path:
        return self.data_dir / "extracts" / as_of.isoformat()


def write_extract(folder: Path, as_of: date) -> Path:
    """Write cases.csv and officers.csv for one as-of date; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    cases_frame(as_of).to_csv(folder / "cases.csv", index=False)
    OFFICERS.to_csv(folder / "officers.csv", index=False)
    return folder


def build_fixture(data_dir: Path, dates: tuple[date, ...] = (PREVIOUS, LATEST)) -> Fixture:
    """Write and ingest the extracts for `dates` (oldest first) into data_dir/snapshots."""
    fixture = Fixture(data_dir)
    for as_of in dates:
        folder = write_extract(fixture.extract(as_of), as_of)
        ingest(folder, as_of, fixture.snapshot_dir, synthetic=True, progress=False)
    return fixture


def write_broken_snapshot(
    snapshot_dir: Path, name: str = "2026-03-13.duckdb", keep_bytes: int = 20_000
) -> Path:
    """A truncated copy of the newest snapshot, as a failed copy or a full disk would leave it."""
    newest = sorted(snapshot_dir.glob("*.duckdb"))[-1]
    path = snapshot_dir / name
    path.write_bytes(newest.read_bytes()[:keep_bytes])
    return path


def write_garbage_snapshot(snapshot_dir: Path, name: str = "2026-01-02.duckdb") -> Path:
    """A file named like a snapshot that is not a DuckDB database at all."""
    path = snapshot_dir / name
    path.write_bytes(b"this is not a database\n" * 100)
    return path
