"""Known-answer programmes for the briefing tests: two weekly snapshots built by the real ingest.

`build_programme(root, spec)` writes a tiny extract for the compare date and for the latest date
(the latest is a full picture: the compare extract is the same cases as they stood a week
earlier, without the cases added since) and ingests both, synthetic. Every figure a briefing
shows can be worked out from the spec: e.g. spec A has 123 cases in scope and 47 assessed,
shown as "about 125" and "about 45".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from reassess.extract.contract import (
    BOROUGH_BCU,
    CASE_COLUMNS,
    CATEGORIES,
    OFFICER_COLUMNS,
    OUTCOMES,
)
from reassess.snapshot.ingest import ingest
from reassess.snapshot.listing import SnapshotInfo, list_snapshots

BOROUGHS = tuple(BOROUGH_BCU)
ETHNICITY = ("none", "some", "all")


@dataclass(frozen=True)
class ProgrammeSpec:
    """What the latest snapshot holds; the compare snapshot is one week earlier."""

    in_scope: int
    assessed: int
    completed_since: int  # assessments completed in the week since the compare snapshot
    added_since: int  # cases in scope now that were not in the compare snapshot
    officers: int
    latest: date = date(2026, 3, 6)

    @property
    def compare(self) -> date:
        return self.latest - timedelta(days=7)

    @property
    def with_suspects(self) -> int:
        """Cases with at least one suspect: suspects = i % 4, so three in four."""
        return sum(1 for i in range(self.in_scope) if i % 4)

    @property
    def ethnicity_none(self) -> int:
        """Cases with suspects where no suspect's ethnicity is recorded."""
        return sum(1 for i in range(self.in_scope) if i % 4 and ETHNICITY[i % 3] == "none")


# Two programmes with different counts: the generated sentences must differ accordingly.
SPEC_A = ProgrammeSpec(in_scope=123, assessed=47, completed_since=12, added_since=3, officers=12)
SPEC_B = ProgrammeSpec(in_scope=212, assessed=168, completed_since=31, added_since=0, officers=14)
# After the target date (30 April 2026): the target was missed.
SPEC_LATE = ProgrammeSpec(
    in_scope=212,
    assessed=168,
    completed_since=31,
    added_since=0,
    officers=14,
    latest=date(2026, 6, 5),
)


def case_rows(spec: ProgrammeSpec, as_of: date) -> list[dict[str, str]]:
    """The cases as they stood on `as_of` (the latest date or the compare date)."""
    if spec.assessed > spec.in_scope or spec.completed_since > spec.assessed:
        raise ValueError(f"inconsistent spec {spec}")
    if spec.added_since > spec.in_scope - spec.assessed:
        raise ValueError(f"added cases must be among the unassessed ones: {spec}")
    latest, compare = spec.latest, spec.compare
    rows = []
    for i in range(spec.in_scope):
        added = i >= spec.in_scope - spec.added_since
        if as_of < latest and added:
            continue
        borough = BOROUGHS[i % len(BOROUGHS)]
        suspects = i % 4
        row = {
            "case_ref": f"SYN-2012-{i:05d}",
            "reported_date": (date(2012, 1, 1) + timedelta(days=3 * i)).isoformat(),
            "category": CATEGORIES[(i // 3) % len(CATEGORIES)],
            "bcu": BOROUGH_BCU[borough],
            "borough": borough,
            "original_outcome": "nfa_evidential",
            "victims": str(1 + i % 3),
            "suspects": str(suspects),
            "suspect_ethnicity_recorded": ETHNICITY[i % 3] if suspects else "not_applicable",
            "priority": ("high", "medium", "low")[i % 3],
            "status": "awaiting_allocation",
            "officer_ref": "",
            "allocated_date": "",
            "started_date": "",
            "completed_date": "",
            "qa_date": "",
            "outcome": "",
            "victim_support": "not_assessed",
            "hours_spent": "",
        }
        officer = f"PPO-{i % spec.officers + 1:04d}"
        allocated = (compare - timedelta(days=60)).isoformat()
        started = (compare - timedelta(days=59)).isoformat()
        if i < spec.assessed:
            if i < spec.completed_since:  # completed in the week after the compare date
                completed = latest - timedelta(days=i % 7)
            else:  # spread over the seven weeks before the compare date
                completed = compare - timedelta(days=7 * (i % 7) + i % 5)
            if completed <= as_of:
                row.update(
                    status="assessed",
                    completed_date=completed.isoformat(),
                    qa_date=completed.isoformat(),
                    outcome=OUTCOMES[i % len(OUTCOMES)],
                    victim_support=("not_required", "referred", "declined")[i % 3],
                )
            else:
                row.update(status="in_assessment")
            row.update(officer_ref=officer, allocated_date=allocated, started_date=started)
            if row["status"] == "in_assessment":
                row.update(completed_date="", qa_date="")
        elif not added and i % 3 == 0:
            row.update(status="in_assessment", officer_ref=officer, allocated_date=allocated)
            row.update(started_date=started)
        elif not added and i % 3 == 1:
            row.update(status="allocated", officer_ref=officer, allocated_date=allocated)
        rows.append(row)
    return rows


def officer_rows(spec: ProgrammeSpec) -> list[dict[str, str]]:
    """`spec.officers` full-time officers in two teams, all in post since the programme start."""
    return [
        {
            "officer_ref": f"PPO-{k:04d}",
            "team": f"Review Team {1 + k % 2}",
            "role": "detective_constable",
            "fte": "1",
            "start_date": "2025-11-03",
            "end_date": "",
        }
        for k in range(1, spec.officers + 1)
    ]


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def build_programme(root: Path, spec: ProgrammeSpec, *, synthetic: bool = True) -> Path:
    """Write and ingest the compare and latest extracts under root; returns the data folder."""
    data = root / "data"
    for as_of in (spec.compare, spec.latest):
        folder = root / "extracts" / as_of.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "cases.csv", CASE_COLUMNS, case_rows(spec, as_of))
        _write(folder / "officers.csv", OFFICER_COLUMNS, officer_rows(spec))
        ingest(folder, as_of, data / "snapshots", synthetic=synthetic, progress=False)
    return data


def snapshots_of(data: Path) -> tuple[SnapshotInfo, SnapshotInfo]:
    """The (latest, compare) snapshots of a programme built by build_programme."""
    listing = list_snapshots(data / "snapshots")
    assert len(listing.snapshots) == 2, listing
    return listing.snapshots[1], listing.snapshots[0]
