"""Staffing: who will be in post each future week, how much of their time is free, and ramp-up.

Week t (t = 1, 2, ...) is the week ending ``as_of + 7t``; a share of a week is the share of
its working days (Monday to Friday). For each week:
- headcount FTE: officers in post on the as-of date until their end date (planned leavers),
  plus the planned-headcount schedule's changes from their dates, plus a scenario's extra
  officers from their start;
- abstraction: the measured rate (the configured one only when nothing is measured), raised
  to a seasonal stretch's rate (Christmas, summer) and to the leave already booked that week,
  whichever is highest;
- effective FTE: available FTE with anyone in their k-th week in post, k <= ``ramp_up_weeks``,
  counted at (k - 0.5) / ramp_up_weeks;
- attrition: the expected loss among the officers in post now at the attrition rate, each
  leaver replaced ``replacement_weeks`` later by a starter who ramps up (never, if None). A
  trial scales this expected loss by its own factor (more or fewer leavers than expected).
Starters from the schedule and extra officers are held at strength.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from reassess.model.inputs import Officer, PlannedAbsence, PlannedChange, Seasonal

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True, eq=False)
class StaffPaths:
    """Weekly staffing for weeks 1..n after the as-of date (arrays of length n).

    A trial with attrition factor g has ``max(0, effective - g * loss_effective) + extra *
    unit_effective`` effective FTE in a week, and likewise for headcount.
    """

    headcount: np.ndarray
    effective: np.ndarray
    loss_effective: np.ndarray
    loss_headcount: np.ndarray
    unit_effective: np.ndarray
    unit_headcount: np.ndarray
    abstraction: np.ndarray
    extra: float

    @property
    def weeks(self) -> int:
        return int(self.headcount.size)

    def expected_headcount(self) -> np.ndarray:
        base = np.maximum(0.0, self.headcount - self.loss_headcount)
        return base + self.extra * self.unit_headcount

    def expected_effective(self) -> np.ndarray:
        base = np.maximum(0.0, self.effective - self.loss_effective)
        return base + self.extra * self.unit_effective

    def expected_available(self) -> np.ndarray:
        """Available FTE (net of abstraction; ramp-up not deducted), at expected attrition."""
        return self.expected_headcount() * (1.0 - self.abstraction)


def week_endings(as_of: date, weeks: int) -> np.ndarray:
    """datetime64 week endings of weeks 1..weeks after ``as_of``."""
    return np.datetime64(as_of, "D") + 7 * np.arange(1, weeks + 1) * DAY


def in_post_share(starts: np.ndarray, ends: np.ndarray, week_ending: np.ndarray) -> np.ndarray:
    """Share of each week's working days each person is in post: people x weeks.

    ``ends`` may hold NaT (no end date)."""
    first = week_ending[None, :] - 6 * DAY
    lo = np.maximum(first, starts[:, None])
    last = np.where(np.isnat(ends), np.datetime64("9999-12-31"), ends)
    hi = np.minimum(week_ending[None, :], last[:, None]) + DAY
    days = np.busday_count(lo, np.maximum(hi, lo))
    return days / 5.0


def ramp_shares(starts: np.ndarray, week_ending: np.ndarray, ramp_weeks: int) -> np.ndarray:
    """Productive share in each week (people x weeks): (k - 0.5) / ramp in the k-th week in post."""
    k = (week_ending[None, :] - starts[:, None]).astype(np.int64) // 7 + 1
    if ramp_weeks <= 0:
        return (k >= 1).astype(np.float64)
    return np.clip((k - 0.5) / ramp_weeks, 0.0, 1.0)


def seasonal_rates(seasons: tuple[Seasonal, ...], week_ending: np.ndarray) -> np.ndarray:
    """Per week, the highest rate of a seasonal stretch covering most of its working days."""
    out: np.ndarray = np.zeros(week_ending.size)
    if not seasons:
        return out
    days = week_ending[:, None] - np.arange(7)[None, :] * DAY
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday: Monday = 0
    working = weekday < 5
    month = (days.astype("datetime64[M]") - days.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    key = month * 100 + day
    for s in seasons:
        a, b = s.start[0] * 100 + s.start[1], s.end[0] * 100 + s.end[1]
        inside = (key >= a) & (key <= b) if a <= b else (key >= a) | (key <= b)
        most = (inside & working).sum(axis=1) * 2 > working.sum(axis=1)
        out = np.where(most, np.maximum(out, s.abstraction), out)
    return out


@dataclass(frozen=True)
class Staffing:
    """The team and its plans; ``paths(as_of, weeks)`` gives the weekly figures from any date."""

    officers: tuple[Officer, ...]
    changes: tuple[PlannedChange, ...]
    absence: tuple[PlannedAbsence, ...]
    abstraction: float
    abstraction_measured: bool
    abstraction_source: str
    seasonal: tuple[Seasonal, ...]
    ramp_up_weeks: int
    attrition_per_year: float
    replacement_weeks: int | None
    extra_officers: float = 0.0
    extra_from: date | None = None

    def in_post(self, on: date) -> list[Officer]:
        """Officers in post on a date (started, and not ended before it)."""
        return [o for o in self.officers if o.start <= on and (o.end is None or o.end >= on)]

    def fte_now(self, on: date) -> float:
        return float(sum(o.fte for o in self.in_post(on)))

    def paths(self, as_of: date, weeks: int) -> StaffPaths:
        """Weekly staffing for the ``weeks`` weeks after ``as_of``."""
        ends = week_endings(as_of, weeks)
        current = self.in_post(as_of)
        later = [c for c in self.changes if c.effective > as_of]
        starts = np.array(
            [o.start for o in current] + [c.effective for c in later], dtype="datetime64[D]"
        )
        stops = np.array(
            [o.end or np.datetime64("NaT") for o in current] + [np.datetime64("NaT")] * len(later),
            dtype="datetime64[D]",
        )
        fte = np.array([o.fte for o in current] + [c.fte for c in later], dtype=np.float64)
        share = in_post_share(starts, stops, ends)
        ramp = ramp_shares(starts, ends, self.ramp_up_weeks)
        ramp = np.where(fte[:, None] < 0, 1.0, ramp)  # a planned reduction bites at once
        headcount = np.maximum(0.0, (fte[:, None] * share).sum(axis=0))
        ramped = np.clip((fte[:, None] * share * ramp).sum(axis=0), 0.0, headcount)

        booked = np.zeros(weeks)
        index = {np.datetime64(e, "D"): i for i, e in enumerate(ends)}
        for a in self.absence:
            i = index.get(np.datetime64(a.week_ending, "D"))
            if i is not None:
                booked[i] += a.fte_days
        planned = np.divide(booked / 5.0, headcount, out=np.zeros(weeks), where=headcount > 0)
        abstraction = np.maximum(
            np.maximum(self.abstraction, seasonal_rates(self.seasonal, ends)),
            np.clip(planned, 0.0, 1.0),
        )
        free = 1.0 - abstraction

        # Expected attrition among the officers in post now (replacements are not lost again).
        n_now = len(current)
        current_fte = (fte[:n_now, None] * share[:n_now]).sum(axis=0) if n_now else np.zeros(weeks)
        current_ramped = (
            (fte[:n_now, None] * share[:n_now] * ramp[:n_now]).sum(axis=0)
            if n_now
            else np.zeros(weeks)
        )
        weekly = 1.0 - (1.0 - self.attrition_per_year) ** (1.0 / 52.0)
        survive = (1.0 - weekly) ** np.arange(0, weeks + 1)
        left_in = survive[:-1] - survive[1:]  # share leaving in week 1, 2, ...
        d = np.arange(weeks)
        gone: np.ndarray
        gone_effective: np.ndarray
        if self.replacement_weeks is None:
            gone, gone_effective = np.ones(weeks), np.ones(weeks)
        else:
            back = d - self.replacement_weeks + 1  # the replacement's week in post
            gone = (back < 1).astype(np.float64)
            if self.ramp_up_weeks > 0:
                gone_effective = 1.0 - np.clip((back - 0.5) / self.ramp_up_weeks, 0.0, 1.0)
            else:
                gone_effective = gone
            gone_effective = np.where(back < 1, 1.0, gone_effective)
        loss_headcount = current_fte * np.convolve(left_in, gone)[:weeks]
        mean_ramp = np.divide(
            current_ramped, current_fte, out=np.ones(weeks), where=current_fte > 0
        )
        loss_effective = current_fte * np.convolve(left_in, gone_effective)[:weeks] * mean_ramp

        start = np.array([self.extra_from or next_monday(as_of)], dtype="datetime64[D]")
        unit_share = in_post_share(start, np.array(["NaT"], dtype="datetime64[D]"), ends)[0]
        unit_ramp = ramp_shares(start, ends, self.ramp_up_weeks)[0]
        return StaffPaths(
            headcount=headcount,
            effective=ramped * free,
            loss_effective=np.minimum(loss_effective, ramped) * free,
            loss_headcount=np.minimum(loss_headcount, headcount),
            unit_effective=unit_share * unit_ramp * free,
            unit_headcount=unit_share,
            abstraction=abstraction,
            extra=float(self.extra_officers),
        )


def next_monday(d: date) -> date:
    """The Monday after a date (extra officers start then unless the planner says otherwise)."""
    return d + timedelta(days=7 - d.weekday())


def attrition_strength(attrition_per_year: float, officers_now: float) -> float:
    """Leavers expected in a year (at least 1): sets the spread of each trial's attrition factor."""
    return max(1.0, attrition_per_year * officers_now)


def attrition_factors(z: np.ndarray, strength: float) -> np.ndarray:
    """Each trial's multiple of the expected attrition: max(0, 1 + z / sqrt(strength))."""
    return np.maximum(0.0, 1.0 + z / math.sqrt(strength))
