"""The things that go wrong, placed so the dashboard's flags and alerts have something true to say.

Each is a demo assumption with its date, and each is something a review team meets:

- a linked series of records from one children's home is found in January and, for
  continuity, given to one experienced officer, who is then overloaded for weeks;
- in May an analyst links a run of online cases, allocated to one officer together;
- a team's detective sergeant goes off sick for four weeks in March and no cover is arranged
  for the first three, so that team's QA queue backs up;
- in April an officer takes on one very large case alone and completes nothing for weeks (the
  workload page flags them as having no recent completion);
- a high-priority record found in February sits unallocated for six weeks while its scope is
  argued over;
- hours were not recorded against cases until the time codes were set up (week 4), one team
  never records them and another only from April.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from reassess.demo.assessment import AWAITING, Casework
from reassess.demo.calendar import ordinal
from reassess.demo.people import ASSESSMENT, Officer, Staff
from reassess.demo.scope import Scope

# The desk-top sweep: the first four weeks, while files for the full assessments come from archive.
SWEEP_UNTIL = date(2025, 11, 28)
# The children's-home series (cases.SERIES_RECORDS records) is found on this day, given to one
# officer of this team.
SERIES_FOUND = date(2026, 1, 19)
SERIES_TEAM = "Review Team 1"
# A run of online cases linked by an analyst and allocated together.
ONLINE_SERIES_ON = date(2026, 5, 11)
ONLINE_SERIES_CASES = 32
ONLINE_SERIES_TEAM = "Review Team 5"
# A sergeant's long sickness, and the days without cover for that team's QA.
QA_BACKLOG_TEAM = "Review Team 2"
QA_BACKLOG_FROM = date(2026, 3, 2)
QA_BACKLOG_DAYS = 20  # working days off sick
QA_NO_COVER_UNTIL = date(2026, 3, 20)
# One very large case taken on alone.
IDLE_FROM = date(2026, 4, 13)
IDLE_UNTIL = date(2026, 5, 15)
IDLE_TEAM = "Review Team 4"
IDLE_CASE_HOURS = 95.0
# A high-priority record left unallocated while its scope is decided.
HELD_FOUND = date(2026, 2, 23)
HELD_RELEASED = date(2026, 4, 7)
# Time recording: from this day for everyone; one team never; one team from a later day.
HOURS_RECORDED_FROM = date(2025, 11, 24)
TEAM_NOT_RECORDING_HOURS = "Review Team 3"
TEAM_RECORDING_LATE = ("Review Team 6", date(2026, 4, 1))


class Episodes:
    """Applies each episode on its day."""

    def __init__(self, work: Casework, scope: Scope) -> None:
        self.work = work
        self.scope = scope
        self.held_case: int | None = None
        work.no_cover[QA_BACKLOG_TEAM] = (ordinal(QA_BACKLOG_FROM), ordinal(QA_NO_COVER_UNTIL))

    def hours_from(self, team: str) -> int:
        """The first day a team's hours are recorded against its cases."""
        if team == TEAM_NOT_RECORDING_HOURS:
            return 1 << 30
        if team == TEAM_RECORDING_LATE[0]:
            return ordinal(TEAM_RECORDING_LATE[1])
        return ordinal(HOURS_RECORDED_FROM)

    def on_day(self, rng: np.random.Generator, staff: Staff, day: int) -> None:
        """Whatever episode falls on this day."""
        if day == ordinal(SERIES_FOUND):
            self._series(staff, day)
        if day == ordinal(ONLINE_SERIES_ON):
            self._online_series(staff, day)
        if day == ordinal(IDLE_FROM):
            self._one_large_case(rng, staff, day)
        if day == ordinal(HELD_FOUND):
            case = self.scope.next_hidden(priority="high")
            if case is not None:
                self.scope.find(case, day)
                self.scope.protected.add(case)
                self.held_case = case
        if day == ordinal(HELD_RELEASED) and self.held_case is not None:
            self.work.add_to_pool(self.held_case, -1.0, sweeping=False)

    def _experienced(self, staff: Staff, team: str, day: int) -> Officer | None:
        """The longest-serving full-time investigator of a team, not leaving."""
        options = [
            o
            for o in staff.officers
            if o.team == team
            and o.workstream == ASSESSMENT
            and not o.sergeant
            and o.fte == 1.0
            and o.in_post(day)
            and not o.end_known
        ]
        return min(options, key=lambda o: (o.start, o.index)) if options else None

    def _series(self, staff: Staff, day: int) -> None:
        """The children's-home series comes into scope, all to one officer."""
        officer = self._experienced(staff, SERIES_TEAM, day)
        for case in np.flatnonzero(self.work.book.series):
            self.scope.find(int(case), day)
            self.scope.protected.add(int(case))
            if officer is not None:
                self.work.allocate(int(case), officer, day)

    def _online_series(self, staff: Staff, day: int) -> None:
        """Online cases awaiting allocation in one BCU, linked and given to one officer."""
        officer = self._experienced(staff, ONLINE_SERIES_TEAM, day)
        work = self.work
        waiting = work.in_scope & (work.status == AWAITING) & (work.book.category == "online")
        if officer is None or not waiting.any():
            return
        bcus, counts = np.unique(work.book.bcu[waiting], return_counts=True)
        bcu = bcus[int(np.argmax(counts))]
        cases = np.flatnonzero(waiting & (work.book.bcu == bcu))[:ONLINE_SERIES_CASES]
        for case in cases:
            work.allocate(int(case), officer, day)

    def _one_large_case(self, rng: np.random.Generator, staff: Staff, day: int) -> None:
        """An officer hands on what they hold and takes one very large case alone."""
        work = self.work
        officer = self._experienced(staff, IDLE_TEAM, day)
        if officer is None:
            return
        work.hand_over(rng, staff, officer, day)
        work.handed_over.discard(officer.index)
        big = np.flatnonzero(
            work.in_scope & (work.status == AWAITING) & (work.book.category == "institutional")
        )
        if len(big) == 0:
            return
        case = int(big[0])
        self.scope.protected.add(case)
        work.remaining[case] = IDLE_CASE_HOURS
        work.allocate(case, officer, day)
        work.focus[officer.index] = ordinal(IDLE_UNTIL)
