"""Time away from the review: leave, sickness, training and operational abstraction.

Planned time away is booked ahead, in the week it is booked and from that week's random
stream, and is in every extract from its booking week on, so an extract lists leave that has
not happened yet (from_date after the as-of date), as a real duty system does. Sickness is
recorded on the day it starts, with the expected return (a fit note) as its to_date.

Rates (demo assumptions, CALIBRATION: 15-25% of time, with a Christmas dip): about 22 days of
annual leave a year outside Christmas (more in school holidays), most of the team off over
Christmas, 5 days of training, 5 of operational abstraction, 2 of other, and sickness of
about 8 days a year in a normal month, with a winter wave from December to February.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from reassess.demo.calendar import add_working_days, in_school_holiday, is_working_day, ordinal
from reassess.demo.people import Officer

# reason: (weekly chance an officer books one, spell lengths in working days and their
# chances, lead time in weeks (shortest, longest)). Demo assumptions.
ANNUAL_LEAVE = (0.13, (1, 2, 3, 5, 10), (0.25, 0.15, 0.10, 0.35, 0.15), (2, 14))
TRAINING = (0.065, (1, 2, 3), (0.5, 0.3, 0.2), (1, 6))
OPERATIONAL = (0.0175, (3, 4, 5, 6, 8), (0.2, 0.2, 0.3, 0.15, 0.15), (0, 1))
OTHER = (0.038, (1,), (1.0,), (0, 2))
PLANNED: tuple[
    tuple[str, tuple[float, tuple[int, ...], tuple[float, ...], tuple[int, int]]], ...
] = (
    ("annual_leave", ANNUAL_LEAVE),
    ("training", TRAINING),
    ("operational_abstraction", OPERATIONAL),
    ("other", OTHER),
)
# School-holiday weeks are this many times as likely to be chosen for annual leave.
SCHOOL_HOLIDAY_LEAVE_WEIGHT = 3.0
# Leave already booked before the programme began: weeks of booking replayed at the start.
PREBOOKED_WEEKS = 8

# Sickness (demo assumption): a daily chance of going sick, lengths, and the winter wave.
SICKNESS_DAILY = 0.009
SICKNESS_LENGTHS = (1, 2, 3, 4, 5)
LONG_SICKNESS_SHARE = 0.05
LONG_SICKNESS_DAYS = (10, 30)
WINTER_WAVE: dict[int, float] = {11: 1.1, 12: 1.6, 1: 2.3, 2: 1.5, 3: 1.1}

# Christmas (demo assumption): booked in the autumn; (booking opens, closes, first day, last day
# of the first half, first day of the second half, last day). Most take one half or both; each
# half is booked to include the bank holidays it spans, as a duty system records it.
CHRISTMASES: tuple[tuple[date, date, date, date, date, date], ...] = (
    (
        date(2025, 11, 3),
        date(2025, 11, 21),
        date(2025, 12, 22),
        date(2025, 12, 26),
        date(2025, 12, 25),
        date(2026, 1, 2),
    ),
    (
        date(2026, 10, 19),
        date(2026, 11, 13),
        date(2026, 12, 21),
        date(2026, 12, 25),
        date(2026, 12, 25),
        date(2027, 1, 1),
    ),
    (
        date(2027, 10, 18),
        date(2027, 11, 12),
        date(2027, 12, 20),
        date(2027, 12, 24),
        date(2027, 12, 25),
        date(2027, 12, 31),
    ),
)
CHRISTMAS_CHOICE = (0.3, 0.25, 0.35, 0.1)  # both halves, first, second, none

# Big operations (demo assumption): officers abstracted to police an event, told weeks ahead.
# (told on, first day, last day, share of constables and detective constables taken)
OPERATIONS: tuple[tuple[date, date, date, float], ...] = (
    (date(2026, 7, 27), date(2026, 8, 28), date(2026, 9, 1), 0.3),  # Notting Hill Carnival
)
OPERATION_ROLES = frozenset({"detective_constable", "police_constable"})
INDUCTION_DAYS = 2  # a new starter's first days, on the review's induction course
BRIEFING_DAYS = 1  # the programme's launch briefing for the team it starts with


@dataclass(frozen=True)
class Spell:
    """One abstraction: working days first..last (ordinals), known from day `known`."""

    officer: int
    first: int
    last: int
    reason: str
    known: int


class Diary:
    """Every spell booked so far and, per officer, the working days they are away."""

    def __init__(self) -> None:
        self.spells: list[Spell] = []
        self.away: dict[int, set[int]] = {}
        self.christmas_booked: set[tuple[int, int]] = set()

    def is_away(self, officer: int, day: int) -> bool:
        """Whether an officer is abstracted on a day."""
        days = self.away.get(officer)
        return days is not None and day in days

    def book(
        self,
        officer: Officer,
        first: int,
        length: int,
        reason: str,
        known: int,
        *,
        force: bool = False,
        through: int = 0,
    ) -> Spell | None:
        """Book up to `length` free working days from `first`; None if none is free.

        A spell booked in full runs to `through` when that is later than its last working
        day, and from `first` itself when that is a bank holiday (Christmas leave is booked
        over the bank holidays it spans)."""
        since = first
        while not is_working_day(first):
            first += 1
        if force:
            self._clear(officer.index, first, add_working_days(first, length - 1))
        away = self.away.setdefault(officer.index, set())
        days: list[int] = []
        day = first
        while len(days) < length:
            if day in away or (officer.end and day > officer.end):
                break
            days.append(day)
            day = add_working_days(day, 1)
        if not days:
            return None
        away.update(days)
        full = len(days) == length
        last = max(days[-1], through) if full else days[-1]
        spell = Spell(officer.index, since if full else days[0], last, reason, known)
        self.spells.append(spell)
        return spell

    def _clear(self, officer: int, first: int, last: int) -> None:
        """Cancel the parts of an officer's spells that fall in first..last (sickness overrides)."""
        kept: list[Spell] = []
        for s in self.spells:
            if s.officer != officer or s.last < first or s.first > last:
                kept.append(s)
                continue
            if s.first < first:
                kept += _piece(officer, s.first, _working_day_before(first), s)
            if s.last > last:
                kept += _piece(officer, add_working_days(last, 1), s.last, s)
        self.spells = kept
        self.away[officer] = {d for s in kept if s.officer == officer for d in _days(s)}

    def cancel_after(self, officer: Officer) -> None:
        """A leaver's spells after their end date are cancelled; one spanning it is cut."""
        kept: list[Spell] = []
        for s in self.spells:
            if s.officer != officer.index or s.last <= officer.end:
                kept.append(s)
            elif s.first <= officer.end:
                kept += _piece(s.officer, s.first, _last_working_on_or_before(officer.end), s)
        self.spells = kept
        self.away[officer.index] = {
            d for d in self.away.get(officer.index, set()) if d <= officer.end
        }

    def book_week(
        self,
        rng: np.random.Generator,
        officers: list[Officer],
        monday: int,
        *,
        known: int | None = None,
        lead_from_zero: bool = False,
    ) -> None:
        """Each officer's planned bookings made in the week starting `monday`."""
        told = monday if known is None else known
        for officer in officers:
            for reason, (chance, lengths, weights, (lo, hi)) in PLANNED:
                if rng.random() >= chance:
                    continue
                length = int(rng.choice(lengths, p=weights))
                lo = 0 if lead_from_zero else lo
                if reason == "annual_leave":
                    week = _leave_week(rng, monday, lo, hi)
                    first = monday + 7 * week + (0 if length >= 5 else int(rng.integers(0, 5)))
                else:
                    first = monday + 7 * int(rng.integers(lo, hi + 1)) + int(rng.integers(0, 5))
                if first < told:
                    first = told
                self.book(officer, first, length, reason, told)

    def book_christmas(
        self, rng: np.random.Generator, officers: list[Officer], monday: int
    ) -> None:
        """Christmas leave, booked in the autumn booking window (once per officer and year)."""
        for k, (opens, closes, first, mid, second, last) in enumerate(CHRISTMASES):
            if not ordinal(opens) <= monday <= ordinal(closes) + 6 or monday > ordinal(first):
                continue
            for officer in officers:
                if (officer.index, k) in self.christmas_booked:
                    continue
                self.christmas_booked.add((officer.index, k))
                choice = int(rng.choice(4, p=CHRISTMAS_CHOICE))
                spans = {
                    0: [(first, last)],
                    1: [(first, mid)],
                    2: [(second, last)],
                    3: [],
                }[choice]
                for lo, hi in spans:
                    n = sum(1 for d in range(ordinal(lo), ordinal(hi) + 1) if is_working_day(d))
                    self.book(officer, ordinal(lo), n, "annual_leave", monday, through=ordinal(hi))

    def book_operations(
        self, rng: np.random.Generator, officers: list[Officer], monday: int
    ) -> None:
        """Officers told this week that they are abstracted to police a big event."""
        for told, first, last, share in OPERATIONS:
            if not monday <= ordinal(told) <= monday + 6:
                continue
            n = sum(1 for d in range(ordinal(first), ordinal(last) + 1) if is_working_day(d))
            for officer in officers:
                if officer.role in OPERATION_ROLES and rng.random() < share:
                    self.book(officer, ordinal(first), n, "operational_abstraction", ordinal(told))

    def sickness_day(self, rng: np.random.Generator, officers: list[Officer], day: int) -> None:
        """Officers who go sick today, recorded today with their expected return."""
        month = date.fromordinal(day).month
        chance = SICKNESS_DAILY * WINTER_WAVE.get(month, 1.0)
        draws = rng.random(len(officers))
        for officer, u in zip(officers, draws, strict=True):
            if u >= chance or self.is_away(officer.index, day):
                continue
            if rng.random() < LONG_SICKNESS_SHARE:
                length = int(rng.integers(LONG_SICKNESS_DAYS[0], LONG_SICKNESS_DAYS[1] + 1))
            else:
                length = int(rng.choice(SICKNESS_LENGTHS))
            self.book(officer, day, length, "sickness", day)


def _leave_week(rng: np.random.Generator, monday: int, lo: int, hi: int) -> int:
    """Weeks ahead for a leave booking, school-holiday weeks more likely."""
    weeks = np.arange(lo, hi + 1)
    weight = np.array(
        [
            SCHOOL_HOLIDAY_LEAVE_WEIGHT if in_school_holiday(monday + 7 * int(w) + 2) else 1.0
            for w in weeks
        ]
    )
    return int(rng.choice(weeks, p=weight / weight.sum()))


def _piece(officer: int, first: int, last: int, spell: Spell) -> list[Spell]:
    """What is left of a cut spell: one spell, or none if no working day is left in it."""
    if last < first or not any(is_working_day(d) for d in range(first, last + 1)):
        return []
    return [Spell(officer, first, last, spell.reason, spell.known)]


def _days(spell: Spell) -> list[int]:
    """The working days of a spell."""
    return [d for d in range(spell.first, spell.last + 1) if is_working_day(d)]


def _working_day_before(day: int) -> int:
    """The last working day before `day`."""
    day -= 1
    while not is_working_day(day):
        day -= 1
    return day


def _last_working_on_or_before(day: int) -> int:
    """The last working day on or before `day`."""
    while not is_working_day(day):
        day -= 1
    return day
