"""The reinvestigation phase read from snapshots: the funnel, its flow over time, ageing and victim support (no Streamlit).

A reinvestigation counts at every stage up to the furthest it has reached (`DEFINITIONS`), so
each stage of the funnel holds every reinvestigation of the stages after it. A snapshot of
contract version 1 has no reinvestigations table: none are recorded yet, and nothing is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from reassess.config import Programme
from reassess.present.vocabulary import CLOSURE_OUTCOME_LABELS
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database

FUNNEL: tuple[tuple[str, str], ...] = (
    ("referred", "Referred for reinvestigation"),
    ("engaged", "Victim contacted and engaged"),
    ("consent_given", "Consent given"),
    ("opened", "Investigation opened"),
    ("suspects_identified", "Suspects identified"),
    ("arrested", "Suspects arrested"),
    ("charged", "Suspects charged"),
)
"""The funnel's stages in order, with their names on screen."""
DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Referred for reinvestigation", "every reinvestigation recorded, open or closed"),
    (
        "Victim contacted and engaged",
        "the victim has been reached: the reinvestigation has moved beyond awaiting contact, "
        "or the victim has given or declined consent, or an investigation has opened",
    ),
    (
        "Consent given",
        "the victim agreed to a reinvestigation, or an investigation has opened",
    ),
    ("Investigation opened", "an opening date is recorded"),
    ("Suspects identified", "an investigation has been opened and at least one suspect identified"),
    ("Suspects arrested", "an investigation has been opened and at least one suspect arrested"),
    ("Suspects charged", "an investigation has been opened and at least one suspect charged"),
)
"""What each stage counts: cumulative, so a reinvestigation that reached a stage counts at every
stage before it too (a charged one is also engaged, consenting, opened, identified, arrested)."""
FURTHEST = tuple(f"furthest_{name}" for name, _ in FUNNEL)
"""The furthest stage each reinvestigation reached: one partition of the referred."""
CLOSURES: tuple[tuple[str, str], ...] = tuple(CLOSURE_OUTCOME_LABELS.items())
"""The closure outcomes, in the one vocabulary's words."""
STAGES = ("awaiting_contact", "victim_engaged", "investigating", "charging_decision", "charged")
"""The stages an open reinvestigation can be at."""
CONTACT_WEEKS = 8
"""A reinvestigation awaiting contact for longer than this is flagged (the contract's warning)."""
ZERO_COLUMNS = (
    *(name for name, _ in FUNNEL),
    "closed",
    "open",
    *(f"closed_{code}" for code, _ in CLOSURES),
    "isva_not_offered",
    "isva_offered",
    "isva_accepted",
    "isva_declined",
    "isva_accepted_open",
    *(f"at_{stage}" for stage in STAGES),
    *FURTHEST,
)


def is_recorded(snapshot: SnapshotInfo) -> bool:
    """Whether a snapshot records reinvestigations (contract version 2 or later)."""
    return snapshot.contract_version not in ("", "1")


def recorded_from(listing: Listing, upto: SnapshotInfo) -> date | None:
    """The first snapshot up to `upto` that records reinvestigations; None when none does."""
    return next(
        (s.as_of for s in listing.snapshots if s.as_of <= upto.as_of and is_recorded(s)), None
    )


@dataclass(frozen=True)
class Funnel:
    """The reinvestigation counts of one snapshot, as recorded."""

    as_of: date
    recorded: bool  # False: the snapshot has no reinvestigations table (contract version 1)
    counts: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    def to_json(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded,
            "funnel": {name: self.counts[name] for name, _ in FUNNEL},
            "closed": self.counts["closed"],
            "open": self.counts["open"],
            "closures": {code: self.counts[f"closed_{code}"] for code, _ in CLOSURES},
            "at_stage": {stage: self.counts[f"at_{stage}"] for stage in STAGES},
        }


def read_funnel(db: Database, snapshot: SnapshotInfo, *, role: str) -> Funnel:
    """The funnel of a snapshot as recorded (zeros, not recorded, for a version 1 snapshot)."""
    if not is_recorded(snapshot):
        return Funnel(snapshot.as_of, False, dict.fromkeys(ZERO_COLUMNS, 0))
    row = db.scalar_row("reinvestigation_funnel", snapshot, role=role)
    return Funnel(snapshot.as_of, True, {k: int(v or 0) for k, v in row.items()})


def funnel_frame(now: Funnel, then: Funnel | None) -> pd.DataFrame:
    """The funnel and closures as rows: stage, reinvestigations, change since the comparison."""
    rows: list[tuple[str, int, int | None]] = []
    names = [*FUNNEL, ("closed", "Closed"), ("open", "Not yet closed")]
    names += [(f"closed_{code}", f"Closed: {text}") for code, text in CLOSURES]
    for name, text in names:
        change = None if then is None else now[name] - then[name]
        rows.append((text, now[name], change))
    return pd.DataFrame(rows, columns=["Stage", "Reinvestigations", "Change"])


def flow_frame(db: Database, listing: Listing, upto: SnapshotInfo, *, role: str) -> pd.DataFrame:
    """Each recorded week's arrivals (referred), openings and closures, and the open stock.

    Worked out across snapshots: a week's arrivals are the referred count at its snapshot less
    the one before. The first recorded snapshot starts the history, so it has no flow figures.
    """
    rows = []
    previous: Funnel | None = None
    for snap in listing.snapshots:
        if snap.as_of > upto.as_of or not is_recorded(snap):
            continue
        f = read_funnel(db, snap, role=role)
        row: dict[str, Any] = {"week_ending": snap.as_of, "open": f["open"]}
        for name in ("referred", "opened", "closed"):
            row[name] = None if previous is None else f[name] - previous[name]
        rows.append(row)
        previous = f
    return pd.DataFrame(rows, columns=["week_ending", "referred", "opened", "closed", "open"])


def ageing_frame(db: Database, snapshot: SnapshotInfo, *, role: str) -> pd.DataFrame:
    """Open reinvestigations by stage: how many, median and longest days since referral."""
    columns = ["stage", "reinvestigations", "median_days", "longest_days", "over_weeks"]
    if not is_recorded(snapshot):
        return pd.DataFrame(columns=columns)
    return db.run(
        "reinvestigation_ageing", snapshot, role=role, as_of=snapshot.as_of, weeks=CONTACT_WEEKS
    )


@dataclass(frozen=True)
class VictimSupport:
    """ISVA support for victims in the reinvestigation phase, against the ISVAs in post."""

    offered: int  # offered, whether accepted, declined or still deciding
    accepted: int
    declined: int
    not_offered: int
    accepted_open: int  # accepted, reinvestigation still open: the live ISVA caseload
    isvas_in_post: int
    cases_min: int
    cases_max: int

    @property
    def capacity(self) -> tuple[int, int]:
        """The cases the ISVAs in post can carry: (at 15 each, at 20 each)."""
        return self.isvas_in_post * self.cases_min, self.isvas_in_post * self.cases_max

    @property
    def isvas_needed(self) -> tuple[int, int]:
        """ISVAs the live caseload needs: (at 20 cases each, at 15 each)."""
        return (
            math.ceil(self.accepted_open / self.cases_max),
            math.ceil(self.accepted_open / self.cases_min),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "accepted": self.accepted,
            "declined": self.declined,
            "not_offered": self.not_offered,
            "accepted_open": self.accepted_open,
            "isvas_in_post": self.isvas_in_post,
            "isva_cases_min": self.cases_min,
            "isva_cases_max": self.cases_max,
            "isvas_needed_low": self.isvas_needed[0],
            "isvas_needed_high": self.isvas_needed[1],
        }


def victim_support(f: Funnel, programme: Programme) -> VictimSupport:
    """ISVA counts of a funnel with the ISVAs in post and their caseload from config."""
    return VictimSupport(
        offered=f["isva_offered"] + f["isva_accepted"] + f["isva_declined"],
        accepted=f["isva_accepted"],
        declined=f["isva_declined"],
        not_offered=f["isva_not_offered"],
        accepted_open=f["isva_accepted_open"],
        isvas_in_post=int(programme.isvas_in_post),
        cases_min=int(programme.isva_cases_min),
        cases_max=int(programme.isva_cases_max),
    )


def assessments_complete(db: Database, snapshot: SnapshotInfo, *, role: str) -> date | None:
    """The day the last in-scope assessment was completed, once every one is; else None."""
    row = db.scalar_row("assessments_complete", snapshot, role=role)
    if not row["in_scope"] or row["remaining"] or row["last_completed"] is None:
        return None
    return pd.Timestamp(row["last_completed"]).date()


__all__ = [
    "assessments_complete",
    "CLOSURES",
    "CONTACT_WEEKS",
    "DEFINITIONS",
    "FUNNEL",
    "FURTHEST",
    "Funnel",
    "VictimSupport",
    "ageing_frame",
    "flow_frame",
    "funnel_frame",
    "is_recorded",
    "read_funnel",
    "recorded_from",
    "victim_support",
]
