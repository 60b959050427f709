"""The assessment casework, a working day at a time: allocation, effort, QA.

Each assessing officer keeps a handful of open cases (allocated or in assessment), topped up
from the pool of cases awaiting allocation, high priority first. Each day they work through
them with their hours for the day (the officer's FTE, their pace, and a learning curve for new
starters); a case is completed when its effort is used up, and waits for its team's detective
sergeant to sign it off. Old records often need files from archive: the case waits, still in
assessment, while the officer gets on with another. A few wait months for material from
another agency. The sergeant signs off from a queue, first come first served, with a few hours
a day, clearing a backlog with the whole day; when the sergeant is away a neighbouring sergeant
gives a little cover, so a long absence backs the queue up.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass

import numpy as np

from reassess.demo.calendar import add_working_days
from reassess.demo.cases import CaseBook
from reassess.demo.people import Officer, Staff

AWAITING, ALLOCATED, IN_ASSESSMENT, AWAITING_QA, ASSESSED = range(5)
STATUSES = ("awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed")
PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}

# Demo assumption: hours of casework in an assessing officer's day (per FTE). With sergeants'
# time mostly on QA, the programme records about 30 hours of casework per available FTE-week,
# config's productive_hours_per_fte_week, so capacity and throughput agree.
HOURS_PER_DAY = 7.4
# Demo assumption: a sergeant's QA time a day, the whole day when the queue is this long, and
# the share of what is left that goes on their own cases (the rest is supervision).
QA_HOURS_PER_DAY = 3.5
QA_CATCH_UP_QUEUE = 25
SERGEANT_CASEWORK_SHARE = 0.75
# Demo assumption: hours a sergeant spends signing off one assessment (lognormal).
QA_MEDIAN_HOURS = 0.4
QA_SIGMA = 0.4
# Demo assumption: hours a covering sergeant gives another team's queue when its own is away.
COVER_HOURS_PER_DAY = 1.0
# Demo assumption: share of completed assessments the sergeant sends back for more work, and
# the hours that work takes.
SEND_BACK_SHARE = 0.012
REWORK_HOURS = (1.0, 4.0)
# Demo assumption: records before this year are often on paper; the files come from archive.
ARCHIVE_BEFORE_YEAR = 2016
ARCHIVE_SHARE = 0.55
ARCHIVE_AFTER_HOURS = 1.0  # the officer reads what is on the system, then requests the files
ARCHIVE_WAIT_DAYS = (3, 12)  # working days
# Demo assumption: other records wait a few days on enquiries (intelligence checks, other
# units' files), part way through.
ENQUIRY_SHARE = 0.45
ENQUIRY_AT_SHARE = 0.4
ENQUIRY_WAIT_DAYS = (2, 7)  # working days
# Demo assumption: an officer works on up to this many of their cases on one day.
ACTIVE_AT_ONCE = 3
# Demo assumption: material from another agency (social care, health, CPS) takes months.
STUCK_AFTER_HOURS = 2.0
STUCK_WAIT_DAYS = (100, 190)  # calendar days
# Demo assumption: a new starter's effectiveness starts at this share and reaches full over
# config's ramp_up_weeks; the team the programme began with knew the work already.
RAMP_FLOOR = 0.35
# Demo assumption: cases waiting on files or enquiries do not count towards an officer's
# usual handful, up to this many open cases in all.
MAX_OPEN_CASES = 12
# Demo assumption: an officer serving notice takes no new cases in their last days.
NO_NEW_CASES_DAYS = 10


@dataclass
class DayCounts:
    """What happened on a day, for the notes."""

    completed: int = 0
    signed_off: int = 0
    sent_back: int = 0


class Casework:
    """The state of every record: scope, status, dates, hours, and who holds it."""

    def __init__(self, book: CaseBook, start: int, ramp_up_weeks: float) -> None:
        n = len(book)
        self.book = book
        self.start = start
        self.ramp_days = max(1.0, ramp_up_weeks * 5)
        self.in_scope = book.baseline.copy()
        self.added = np.where(book.baseline, start, 0).astype(np.int64)
        self.removed = np.zeros(n, dtype=np.int64)
        self.status = np.zeros(n, dtype=np.int8)
        self.officer = np.full(n, -1, dtype=np.int64)
        self.allocated = np.zeros(n, dtype=np.int64)
        self.started = np.zeros(n, dtype=np.int64)
        self.completed = np.zeros(n, dtype=np.int64)
        self.qa = np.zeros(n, dtype=np.int64)
        self.remaining = book.effort.astype(float).copy()
        self.spent = np.zeros(n, dtype=float)
        self.records_hours = np.zeros(n, dtype=bool)
        self.paused_until = np.zeros(n, dtype=np.int64)
        self.pause_at = np.full(n, np.inf)  # hours spent at which the case waits (archive)
        self.pause_days = np.zeros(n, dtype=np.int64)
        self.rank = np.array([PRIORITY_RANK[p] for p in book.priority], dtype=np.int64)
        self.year = np.array(
            [int(r.split("-")[1]) for r in book.ref], dtype=np.int64
        )  # the year in the reference is the year the allegation was recorded
        self.held: dict[int, list[int]] = {}
        self.pool: list[tuple[int, float, int]] = []
        self.sweep_pool: list[tuple[int, float, int]] = []
        self.qa_queue: dict[str, deque[int]] = {}
        self.hours_from: dict[str, int] = {}  # team -> first day its hours are recorded
        self.referrals: list[tuple[int, int]] = []  # (case, day signed off) with reinvestigate
        self.no_cover: dict[str, tuple[int, int]] = {}  # team -> days without QA cover
        self.focus: dict[int, int] = {}  # officer -> last day they hold only their one case
        self.handed_over: set[int] = set()
        self.winding_down = False  # nothing left to allocate: the last cases are being finished

    # ------------------------------------------------------------------ the pool

    def add_to_pool(self, case: int, tiebreak: float, *, sweeping: bool) -> None:
        """A case awaiting allocation joins the queue (the sweep's queue while it runs)."""
        entry = (int(self.rank[case]), tiebreak, case)
        if sweeping and self.book.sweep[case]:
            heapq.heappush(self.sweep_pool, entry)
        else:
            heapq.heappush(self.pool, entry)

    def end_sweep(self) -> None:
        """The desk-top sweep is over: its remaining cases queue by priority with the rest."""
        for entry in self.sweep_pool:
            heapq.heappush(self.pool, entry)
        self.sweep_pool = []

    def _next_from_pool(self) -> int | None:
        """The next case to allocate, skipping any removed since it was queued."""
        for heap in (self.sweep_pool, self.pool):
            while heap:
                case = heapq.heappop(heap)[2]
                if self.in_scope[case] and self.status[case] == AWAITING:
                    return case
        return None

    def pool_size(self) -> int:
        """Cases awaiting allocation in scope."""
        return int(np.count_nonzero(self.in_scope & (self.status == AWAITING)))

    def allocate(self, case: int, officer: Officer, day: int) -> None:
        """Give a case to an officer."""
        self.status[case] = ALLOCATED
        self.officer[case] = officer.index
        self.allocated[case] = day
        self.held.setdefault(officer.index, []).append(case)

    def unallocate(self, case: int, rng: np.random.Generator) -> None:
        """An allocated, unstarted case goes back to the pool (its status goes backwards)."""
        self.held[int(self.officer[case])].remove(case)
        self.status[case] = AWAITING
        self.officer[case] = -1
        self.allocated[case] = 0
        self.add_to_pool(case, float(rng.random()), sweeping=False)

    def remove(self, case: int, day: int) -> None:
        """A case leaves scope (found to be a duplicate)."""
        if self.status[case] == ALLOCATED:
            self.held[int(self.officer[case])].remove(case)
        self.in_scope[case] = False
        self.removed[case] = day

    # ------------------------------------------------------------------ a working day

    def officer_day(
        self,
        rng: np.random.Generator,
        qa_rng: np.random.Generator,
        staff: Staff,
        officer: Officer,
        day: int,
        counts: DayCounts,
    ) -> None:
        """One assessing officer's day: sign-offs (sergeants), top up, then casework."""
        hours = HOURS_PER_DAY * officer.fte
        if officer.sergeant:
            used = self._sign_off(qa_rng, staff, officer.team, day, hours, officer, counts)
            share = 1.0 if self.winding_down else SERGEANT_CASEWORK_SHARE
            hours = (hours - used) * share
        self._top_up(officer, day)
        self._work(rng, staff, officer, day, hours, counts)

    def _top_up(self, officer: Officer, day: int) -> None:
        """Allocate from the pool until the officer holds their usual handful."""
        if officer.end_known and officer.end and officer.end - day < NO_NEW_CASES_DAYS * 7 // 5:
            return
        held = self.held.setdefault(officer.index, [])
        if self.focus.get(officer.index, 0) >= day:
            target, cap = 1, 1
        else:
            target, cap = officer.open_target, MAX_OPEN_CASES
        workable = sum(1 for c in held if self.paused_until[c] <= day)
        while workable < target and len(held) < cap:
            case = self._next_from_pool()
            if case is None:
                return
            self.allocate(case, officer, day)
            workable += 1

    def efficiency(self, officer: Officer, day: int) -> float:
        """Effort done per hour worked: the officer's pace, less while they are learning."""
        if officer.initial:
            return officer.pace
        days_in = max(0, day - officer.start) * 5 / 7
        return officer.pace * min(1.0, RAMP_FLOOR + (1 - RAMP_FLOOR) * days_in / self.ramp_days)

    def _work(
        self,
        rng: np.random.Generator,
        staff: Staff,
        officer: Officer,
        day: int,
        hours: float,
        counts: DayCounts,
    ) -> None:
        """Spread the day's hours over the first few open cases that can be worked today."""
        held = self.held.get(officer.index, [])
        rate = self.efficiency(officer, day)
        while hours > 1e-6:
            active = [c for c in held if self.paused_until[c] <= day][:ACTIVE_AT_ONCE]
            if not active:
                return
            share = hours / len(active)
            for case in active:
                if self.status[case] == ALLOCATED:
                    self._start(rng, case, officer, day)
                need = self.remaining[case] / rate
                if np.isfinite(self.pause_at[case]):
                    need = min(need, max(0.0, self.pause_at[case] - self.spent[case]))
                worked = min(share, need)
                self.spent[case] += worked
                self.remaining[case] -= worked * rate
                hours -= worked
                if (
                    np.isfinite(self.pause_at[case])
                    and self.spent[case] >= self.pause_at[case] - 1e-9
                ):
                    self.pause_at[case] = np.inf
                    wait = int(self.pause_days[case])
                    self.paused_until[case] = (
                        day + wait if self.book.stuck[case] else add_working_days(day, wait)
                    )
                elif self.remaining[case] <= 1e-9:
                    self._complete(case, officer, day, counts)

    def _start(self, rng: np.random.Generator, case: int, officer: Officer, day: int) -> None:
        """Work on a case begins: it may need files from archive or another agency."""
        self.status[case] = IN_ASSESSMENT
        self.started[case] = day
        self.records_hours[case] = day >= self.hours_from.get(officer.team, 1 << 30)
        if self.book.stuck[case]:
            self.pause_at[case] = STUCK_AFTER_HOURS
            self.pause_days[case] = int(rng.integers(STUCK_WAIT_DAYS[0], STUCK_WAIT_DAYS[1] + 1))
        elif self.book.sweep[case]:
            return
        elif self.year[case] < ARCHIVE_BEFORE_YEAR and rng.random() < ARCHIVE_SHARE:
            self.pause_at[case] = ARCHIVE_AFTER_HOURS
            self.pause_days[case] = int(
                rng.integers(ARCHIVE_WAIT_DAYS[0], ARCHIVE_WAIT_DAYS[1] + 1)
            )
        elif rng.random() < ENQUIRY_SHARE:
            self.pause_at[case] = ENQUIRY_AT_SHARE * self.remaining[case]
            self.pause_days[case] = int(
                rng.integers(ENQUIRY_WAIT_DAYS[0], ENQUIRY_WAIT_DAYS[1] + 1)
            )

    def _complete(self, case: int, officer: Officer, day: int, counts: DayCounts) -> None:
        """The assessment is done: it waits for the team's sergeant."""
        self.remaining[case] = 0.0
        self.status[case] = AWAITING_QA
        self.completed[case] = day
        self.held[officer.index].remove(case)
        self.qa_queue.setdefault(officer.team, deque()).append(case)
        counts.completed += 1

    # ------------------------------------------------------------------ QA

    def _sign_off(
        self,
        rng: np.random.Generator,
        staff: Staff,
        team: str,
        day: int,
        hours: float,
        sergeant: Officer,
        counts: DayCounts,
    ) -> float:
        """The sergeant signs off assessments completed before today; returns the hours used."""
        queue = self.qa_queue.get(team)
        if not queue:
            return 0.0
        budget = hours if len(queue) >= QA_CATCH_UP_QUEUE else min(hours, QA_HOURS_PER_DAY)
        return self._clear_queue(rng, staff, team, day, budget, counts)

    def cover(
        self, rng: np.random.Generator, staff: Staff, team: str, day: int, counts: DayCounts
    ) -> None:
        """A sergeant in another team gives an hour to a team whose sergeant is away today."""
        window = self.no_cover.get(team)
        if window and window[0] <= day <= window[1]:
            return
        if self.qa_queue.get(team):
            self._clear_queue(rng, staff, team, day, COVER_HOURS_PER_DAY, counts)

    def _clear_queue(
        self,
        rng: np.random.Generator,
        staff: Staff,
        team: str,
        day: int,
        budget: float,
        counts: DayCounts,
        *,
        same_day: bool = False,
    ) -> float:
        """Sign off from the front of a team's queue within `budget` hours (assessments
        completed before today, or today too for the last sign-offs of the phase)."""
        queue = self.qa_queue[team]
        used = 0.0
        while queue and used < budget:
            case = queue[0]
            if self.completed[case] > day or (self.completed[case] == day and not same_day):
                break
            queue.popleft()
            used += float(QA_MEDIAN_HOURS * np.exp(rng.normal(0, QA_SIGMA)))
            if rng.random() < SEND_BACK_SHARE:
                self.reopen(case, staff, day, float(rng.uniform(*REWORK_HOURS)))
                counts.sent_back += 1
                continue
            self.status[case] = ASSESSED
            self.qa[case] = day
            counts.signed_off += 1
            if self.book.finding[case] == "reinvestigate":
                self.referrals.append((case, day))
        return used

    def final_sign_off(
        self, rng: np.random.Generator, staff: Staff, day: int, counts: DayCounts
    ) -> None:
        """With nothing left open, a sergeant at work signs off every assessment still waiting."""
        for team in list(self.qa_queue):
            if self.qa_queue[team]:
                self._clear_queue(rng, staff, team, day, float("inf"), counts, same_day=True)

    def reopen(self, case: int, staff: Staff, day: int, rework: float) -> None:
        """Back to in assessment (sent back by QA, or withdrawn): dates and outcome cleared."""
        if self.status[case] == AWAITING_QA:
            for team_queue in self.qa_queue.values():
                if case in team_queue:
                    team_queue.remove(case)
        self.status[case] = IN_ASSESSMENT
        self.completed[case] = 0
        self.qa[case] = 0
        self.remaining[case] = rework
        self.paused_until[case] = 0
        holder = staff.officers[int(self.officer[case])]
        if not holder.in_post(day + 1):
            holder = self.colleague(staff, holder.team, day) or holder
            self.officer[case] = holder.index
        self.held.setdefault(holder.index, []).insert(0, case)

    # ------------------------------------------------------------------ people moving

    def colleague(self, staff: Staff, team: str, day: int, exclude: int = -1) -> Officer | None:
        """Who takes on a case: the least-loaded assessing officer staying on (in the team if
        possible), else anyone still in post tomorrow, a sergeant last."""
        here = [
            o
            for o in staff.officers
            if o.workstream == "assessment" and o.index != exclude and o.in_post(day + 1)
        ]
        staying = [o for o in here if not (o.end_known and o.end and o.end - day < 20)]
        for group in (staying, here):
            for pool in ([o for o in group if not o.sergeant], group):
                same = [o for o in pool if o.team == team] or pool
                if same:
                    return min(same, key=lambda o: (len(self.held.get(o.index, [])), o.index))
        return None

    def hand_over(self, rng: np.random.Generator, staff: Staff, officer: Officer, day: int) -> None:
        """A leaver's started cases pass to a colleague; unstarted ones go back to the pool."""
        for case in list(self.held.get(officer.index, [])):
            if self.status[case] == ALLOCATED:
                self.unallocate(case, rng)
                continue
            to = self.colleague(staff, officer.team, day, exclude=officer.index)
            if to is None:
                continue
            self.held[officer.index].remove(case)
            self.officer[case] = to.index
            self.held.setdefault(to.index, []).append(case)
        self.handed_over.add(officer.index)

    def move(self, case: int, from_officer: Officer, to: Officer) -> None:
        """An open case passes from one officer to another."""
        self.held[from_officer.index].remove(case)
        self.officer[case] = to.index
        self.held.setdefault(to.index, []).append(case)
