"""The whole programme, simulated one week (and within it one working day) at a time.

Each week first makes the week's decisions (who joins or gives notice, leave booked, records
found, duplicates noticed), then runs its working days (sickness, allocation, casework, QA,
referrals, reinvestigation), then the Friday's data edits; the extract is the state at the end
of the Friday. Every random draw in week k comes from ``week_rng(seed, k, stream)``, so week
k's extract depends only on the seed and weeks 0..k: a build that stops earlier is a prefix
of one that runs on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from reassess.config import Programme, programme
from reassess.demo.abstractions import BRIEFING_DAYS, INDUCTION_DAYS, PREBOOKED_WEEKS, Diary
from reassess.demo.assessment import (
    AWAITING,
    AWAITING_QA,
    MAX_OPEN_CASES,
    Casework,
    DayCounts,
)
from reassess.demo.calendar import (
    Stream,
    first_friday,
    is_working_day,
    ordinal,
    week_rng,
)
from reassess.demo.cases import CaseBook, make_casebook
from reassess.demo.episodes import (
    QA_BACKLOG_DAYS,
    QA_BACKLOG_FROM,
    QA_BACKLOG_TEAM,
    SWEEP_UNTIL,
    Episodes,
)
from reassess.demo.people import (
    ASSESSMENT,
    ATTRITION_FROM,
    LAST_REPLACEMENT_START,
    NOTICE_WEEKS,
    REINVESTIGATION,
    REPLACEMENT_WEEKS_AFTER_END,
    SETTLING_IN_DAYS,
    Officer,
    Staff,
    Wave,
    waves_from_plan,
)
from reassess.demo.quality import friday_edits
from reassess.demo.reinvestigation import Reinvestigations
from reassess.demo.scope import SEARCH_UNTIL, Scope


@dataclass(frozen=True)
class DemoSettings:
    """What the simulation reads from config/programme.toml (so demo and planner agree)."""

    start: date
    baseline_scope: int
    initial_team: int
    scope_from_year: int
    ramp_up_weeks: float
    attrition_per_year: float
    referral_rate_reinvestigation: float
    referral_rate_safeguarding: float
    referral_rate_victim_support: float
    investigator_hours_per_reinvestigation: float
    assessment_waves: tuple[Wave, ...]
    reinvestigation_waves: tuple[Wave, ...]

    @classmethod
    def from_programme(cls, prog: Programme | None = None) -> DemoSettings:
        """The settings from config/programme.toml."""
        p = prog if prog is not None else programme()
        return cls(
            start=p.programme_start,
            baseline_scope=p.baseline_scope,
            initial_team=p.initial_team,
            scope_from_year=p.scope_from_year,
            ramp_up_weeks=p.ramp_up_weeks,
            attrition_per_year=p.attrition_per_year,
            referral_rate_reinvestigation=p.referral_rate_reinvestigation,
            referral_rate_safeguarding=p.referral_rate_safeguarding,
            referral_rate_victim_support=p.referral_rate_victim_support,
            investigator_hours_per_reinvestigation=float(p.investigator_hours_per_reinvestigation),
            assessment_waves=waves_from_plan(p.planned_headcount, ASSESSMENT),
            reinvestigation_waves=waves_from_plan(p.planned_headcount, REINVESTIGATION),
        )


class Simulation:
    """The programme's state; `run_week` advances it by one week (to that week's Friday)."""

    def __init__(self, seed: int, settings: DemoSettings | None = None) -> None:
        self.seed = seed
        self.settings = s = settings or DemoSettings.from_programme()
        self.book: CaseBook = make_casebook(
            seed,
            s.baseline_scope,
            s.scope_from_year,
            s.referral_rate_reinvestigation,
            s.referral_rate_safeguarding,
            s.referral_rate_victim_support,
        )
        self.start = ordinal(s.start)
        self.first_friday = ordinal(first_friday(s.start))
        self.week = 0
        self.staff = Staff()
        self.diary = Diary()
        self.work = Casework(self.book, self.start, s.ramp_up_weeks)
        self.scope = Scope(self.work)
        self.episodes = Episodes(self.work, self.scope)
        self.reinvestigations = Reinvestigations(
            self.book, s.investigator_hours_per_reinvestigation
        )
        self.sweeping = True
        self.week_counts = DayCounts()  # what happened in the last week run (diagnostics)

    @property
    def friday(self) -> date:
        """The Friday of the last week run (the as-of date of its extract)."""
        return date.fromordinal(self.first_friday + 7 * (self.week - 1))

    def run_week(self) -> date:
        """Run the next week; returns its Friday."""
        k = self.week
        friday = self.first_friday + 7 * k
        monday = friday - 4
        rng = {stream: week_rng(self.seed, k, stream) for stream in Stream}
        if k == 0:
            self._initial_queue(rng[Stream.WORK])
        self._people(rng[Stream.PEOPLE], k, monday, friday)
        self._diary(rng[Stream.DIARY], k, monday)
        self.scope.week(rng[Stream.SCOPE], monday, sweeping=self.sweeping)
        counts = DayCounts()
        for day in range(max(monday, self.start), friday + 1):
            if is_working_day(day):
                self._day(rng, day, counts)
        friday_edits(rng[Stream.QUALITY], self.work, self.staff, friday)
        self.week_counts = counts
        self.week += 1
        return date.fromordinal(friday)

    # ------------------------------------------------------------------ the week's decisions

    def _initial_queue(self, rng: np.random.Generator) -> None:
        """Day one: the baseline scope queues for allocation (the sweep's records first)."""
        for case, tiebreak in zip(
            np.flatnonzero(self.work.in_scope),
            rng.random(int(self.work.in_scope.sum())),
            strict=True,
        ):
            self.work.add_to_pool(int(case), float(tiebreak), sweeping=True)

    def _people(self, rng: np.random.Generator, k: int, monday: int, friday: int) -> None:
        """Starters this week, and notices given this week."""
        s = self.settings
        starters: list[Officer] = []
        if k == 0:
            self.staff.initial_teams(rng, s.start, s.initial_team)
            starters = list(self.staff.officers)
        for wave in (*s.assessment_waves, *s.reinvestigation_waves):
            day = ordinal(wave.start)
            if monday - 2 <= day <= friday:
                starters += self.staff.new_team(rng, day, wave.size, wave.workstream, initial=False)
        for start, team, workstream in sorted(self.staff.pending):
            if monday - 2 <= start <= friday:
                starters.append(self.staff.hire(rng, team, start, workstream))
        self.staff.pending = [p for p in self.staff.pending if not monday - 2 <= p[0] <= friday]
        for o in starters:
            days = BRIEFING_DAYS if o.initial else INDUCTION_DAYS
            self.diary.book(o, o.start, days, "training", o.start)
        if monday < ordinal(ATTRITION_FROM) or self.work.pool_size() == 0:
            return
        chance = s.attrition_per_year / 52
        for o in self.staff.in_post(monday, ASSESSMENT):
            if (
                o.sergeant
                or o.end_known
                or o.start > monday - SETTLING_IN_DAYS
                or rng.random() >= chance
            ):
                continue
            weeks = int(rng.integers(NOTICE_WEEKS[0], NOTICE_WEEKS[1] + 1))
            o.end = friday + 7 * weeks
            o.end_known = monday
            self.diary.cancel_after(o)
            gap = int(
                rng.integers(REPLACEMENT_WEEKS_AFTER_END[0], REPLACEMENT_WEEKS_AFTER_END[1] + 1)
            )
            start = o.end + 3 + 7 * gap  # a Monday
            if start <= ordinal(LAST_REPLACEMENT_START):
                self.staff.pending.append((start, o.team, ASSESSMENT))

    def _diary(self, rng: np.random.Generator, k: int, monday: int) -> None:
        """Leave, training and operations booked this week."""
        officers = [o for o in self.staff.officers if o.in_post(monday + 4)]
        if k == 0:
            for _ in range(PREBOOKED_WEEKS):
                self.diary.book_week(rng, officers, monday, known=self.start, lead_from_zero=True)
        self.diary.book_christmas(rng, officers, monday)
        self.diary.book_operations(rng, officers, monday)
        self.diary.book_week(rng, officers, monday)

    # ------------------------------------------------------------------ a working day

    def _day(self, rng: dict[Stream, np.random.Generator], day: int, counts: DayCounts) -> None:
        work, staff, diary = self.work, self.staff, self.diary
        if self.sweeping and day > ordinal(SWEEP_UNTIL):
            work.end_sweep()
            self.sweeping = False
        for o in staff.officers:
            if o.team not in work.hours_from:
                work.hours_from[o.team] = self.episodes.hours_from(o.team)
        in_post = [o for o in staff.officers if o.in_post(day)]
        diary.sickness_day(rng[Stream.SICKNESS], in_post, day)
        if day == ordinal(QA_BACKLOG_FROM):
            sergeant = staff.sergeant_of(QA_BACKLOG_TEAM, day)
            if sergeant is not None:
                diary.book(sergeant, day, QA_BACKLOG_DAYS, "sickness", day, force=True)
        self.episodes.on_day(rng[Stream.WORK], staff, day)
        for o in staff.officers:
            if o.end and o.end < day and o.index not in work.handed_over:
                work.hand_over(rng[Stream.WORK], staff, o, day)
        working = [o for o in in_post if not diary.is_away(o.index, day)]
        assessing = [o for o in working if o.workstream == ASSESSMENT]
        for i in rng[Stream.WORK].permutation(len(assessing)):
            work.officer_day(
                rng[Stream.WORK], rng[Stream.QA], staff, assessing[int(i)], day, counts
            )
        present = {o.team for o in assessing if o.sergeant}
        covering = [o for o in assessing if o.sergeant]
        for team in list(work.qa_queue):
            if team not in present and covering:
                work.cover(rng[Stream.QA], staff, team, day, counts)
        self._release(rng[Stream.QA], day, working, counts)
        for case, signed in work.referrals:
            self.reinvestigations.refer(rng[Stream.REINVESTIGATION], case, signed)
        work.referrals = []
        self.reinvestigations.day(
            rng[Stream.REINVESTIGATION],
            [o for o in working if o.workstream == REINVESTIGATION],
            day,
        )

    def _release(
        self, rng: np.random.Generator, day: int, working: list[Officer], counts: DayCounts
    ) -> None:
        """When nothing is left to allocate, the assessment winds down.

        Cases held by anyone away today pass to a colleague at work, so the last ones are not
        left waiting on someone's leave; an investigator with nothing left leaves the
        assessment, and a sergeant goes once their team's investigators and queue have gone.
        """
        work = self.work
        if day <= ordinal(SEARCH_UNTIL) or work.pool_size() > 0:
            return
        if self.episodes.held_case is not None and work.status[self.episodes.held_case] == AWAITING:
            return
        work.winding_down = True
        if not (work.in_scope & (work.status < AWAITING_QA)).any():
            # The last assessment is done: the sergeants at work sign off what waits, and the
            # assessment teams go today.
            if any(o.sergeant and o.workstream == ASSESSMENT for o in working):
                work.final_sign_off(rng, self.staff, day, counts)
            if not any(work.qa_queue.values()) and not (work.in_scope & (work.status < 4)).any():
                for o in self.staff.officers:
                    if o.workstream == ASSESSMENT and o.in_post(day):
                        self._end(o, day, at_once=True)
                return
        at_work = [o for o in working if o.workstream == ASSESSMENT and not o.end_known]
        if at_work:
            for o in self.staff.officers:
                if o.workstream == ASSESSMENT and o.in_post(day) and o not in at_work:
                    for case in list(work.held.get(o.index, [])):
                        to = min(
                            at_work,
                            key=lambda p: (p.sergeant, len(work.held.get(p.index, [])), p.index),
                        )
                        work.move(case, o, to)
        assessing = [
            o for o in self.staff.officers if o.workstream == ASSESSMENT and o.in_post(day)
        ]
        investigators = sorted(
            (o for o in assessing if not o.sergeant),
            key=lambda o: (len(work.held.get(o.index, [])), o.index),
        )
        for o in investigators:
            held = work.held.get(o.index, [])
            if held and all(work.paused_until[c] > day for c in held):
                # Only waiting cases left: they go to a colleague still working, and they go.
                keepers = [
                    p
                    for p in investigators
                    if p is not o
                    and not p.end_known
                    and len(work.held.get(p.index, [])) + len(held) <= MAX_OPEN_CASES
                ]
                if keepers:
                    keeper = max(keepers, key=lambda p: (len(work.held.get(p.index, [])), -p.index))
                    for case in list(held):
                        work.move(case, o, keeper)
            if not work.held.get(o.index):
                self._end(o, day)
        staying = {o.team for o in assessing if not o.sergeant and not o.end_known}
        for o in assessing:
            if (
                o.sergeant
                and o.team not in staying
                and not work.held.get(o.index)
                and not work.qa_queue.get(o.team)
            ):
                self._end(o, day)

    def _end(self, officer: Officer, day: int, *, at_once: bool = False) -> None:
        """An officer is released, the work having run out: they go at the end of the week
        (or today, `at_once`, when the assessments are all done)."""
        friday = day if at_once else day + (4 - date.fromordinal(day).weekday()) % 7
        if officer.end and officer.end <= friday:
            return
        officer.end = friday
        officer.end_known = day
        self.diary.cancel_after(officer)
        self.work.handed_over.add(officer.index)
