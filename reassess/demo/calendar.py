"""The demo's calendar: working days, bank holidays, the weekly extracts and per-week seeds.

Days are proleptic ordinals (``date.toordinal()``) inside the simulation, so that a day is a
plain int; ``iso`` turns them back into ``YYYY-MM-DD`` text for the extracts.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from enum import IntEnum
from functools import lru_cache

import numpy as np

# England and Wales bank holidays (gov.uk), 2025-2028. Nobody works on them; they are not
# recorded as abstractions (a real force's duty system does not record them either).
BANK_HOLIDAYS: frozenset[date] = frozenset(
    {
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
        date(2028, 1, 3),
        date(2028, 4, 14),
        date(2028, 4, 17),
        date(2028, 5, 1),
        date(2028, 5, 29),
        date(2028, 8, 28),
        date(2028, 12, 25),
        date(2028, 12, 26),
    }
)
_HOLIDAY_ORDINALS: frozenset[int] = frozenset(d.toordinal() for d in BANK_HOLIDAYS)

# School holidays (London, demo assumption): when annual leave is most often booked. Christmas
# is left out: its leave is booked separately, in the autumn (abstractions.CHRISTMASES).
SCHOOL_HOLIDAYS: tuple[tuple[date, date], ...] = (
    (date(2026, 2, 16), date(2026, 2, 20)),
    (date(2026, 3, 30), date(2026, 4, 10)),
    (date(2026, 5, 25), date(2026, 5, 29)),
    (date(2026, 7, 22), date(2026, 9, 2)),
    (date(2026, 10, 26), date(2026, 10, 30)),
    (date(2027, 2, 15), date(2027, 2, 19)),
    (date(2027, 3, 29), date(2027, 4, 9)),
    (date(2027, 5, 31), date(2027, 6, 4)),
    (date(2027, 7, 21), date(2027, 9, 1)),
)


class Stream(IntEnum):
    """The independent random streams; each week draws from its own generator per stream."""

    UNIVERSE = 0  # the records that exist (drawn once, in week 0)
    SCOPE = 1  # records found by searches, duplicates removed
    PEOPLE = 2  # hires, notices, the roles and hours of new starters
    DIARY = 3  # leave, training and operational abstraction booked that week
    SICKNESS = 4
    WORK = 5  # allocation order, archive waits, effort on rework
    QA = 6
    QUALITY = 7  # re-dated and withdrawn assessments
    REINVESTIGATION = 8


def week_rng(seed: int, week: int, stream: Stream) -> np.random.Generator:
    """The generator for one stream in one week: the same whatever the build's end date."""
    return np.random.default_rng([seed, week, int(stream)])


def first_friday(start: date) -> date:
    """The first Friday on or after the programme start: the first extract's as-of date."""
    return start + timedelta(days=(4 - start.weekday()) % 7)


def last_friday_on_or_before(day: date) -> date:
    """The Friday on or before a day."""
    return day - timedelta(days=(day.weekday() - 4) % 7)


def fridays(start: date, through: date) -> list[date]:
    """Every Friday from the first extract through `through` (inclusive)."""
    first = first_friday(start)
    if through < first:
        return []
    return [first + timedelta(days=7 * k) for k in range((through - first).days // 7 + 1)]


def is_working_day(ordinal: int) -> bool:
    """Monday to Friday and not a bank holiday."""
    return ordinal % 7 not in (6, 0) and ordinal not in _HOLIDAY_ORDINALS


# Lookup tables over the days the demo can touch (records from 2010, the simulation to 2031).
_TABLE_FIRST = date(2009, 1, 1).toordinal()
_TABLE_LAST = date(2031, 12, 31).toordinal()
_WORKING: tuple[int, ...] = tuple(
    d for d in range(_TABLE_FIRST, _TABLE_LAST + 1) if is_working_day(d)
)
_ISO = np.array(
    [""] + [date.fromordinal(d).isoformat() for d in range(_TABLE_FIRST, _TABLE_LAST + 1)],
    dtype=object,
)


def add_working_days(day: int, n: int) -> int:
    """The working day n working days after `day` (n >= 1), or `day` itself for n = 0."""
    if n <= 0:
        return day
    i = bisect_right(_WORKING, day) + n - 1
    if _TABLE_FIRST <= day and i < len(_WORKING):
        return _WORKING[i]
    while n > 0:
        day += 1
        if is_working_day(day):
            n -= 1
    return day


def in_school_holiday(ordinal: int) -> bool:
    """Whether a day falls in a (demo) London school holiday."""
    d = date.fromordinal(ordinal)
    return any(lo <= d <= hi for lo, hi in SCHOOL_HOLIDAYS)


def ordinal(day: date) -> int:
    """A date as the simulation's day number."""
    return day.toordinal()


@lru_cache(maxsize=8192)
def iso(day: int) -> str:
    """A day number as YYYY-MM-DD; 0 (no date) as the empty string."""
    return date.fromordinal(day).isoformat() if day > 0 else ""


def iso_column(days: np.ndarray) -> np.ndarray:
    """Day numbers as an object column of YYYY-MM-DD text ('' where 0)."""
    days = np.asarray(days, dtype=np.int64)
    index = np.where(days > 0, days - _TABLE_FIRST + 1, 0)
    if len(index) and (index.min() < 0 or index.max() >= len(_ISO)):
        return np.array([iso(int(d)) for d in days], dtype=object)
    return _ISO[index]
