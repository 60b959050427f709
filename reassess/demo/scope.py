"""Scope that moves: records found by the searches in the first months, duplicates removed.

Each week's finds and removals are drawn in that week from its own stream (SCOPE). Found
records join scope on the Monday, awaiting allocation; most turn up early, as the obvious
places are searched first. A duplicate is noticed before anyone has started on it and
vanishes from the next extract (the ingest warns that a case has gone).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from reassess.demo.assessment import ALLOCATED, AWAITING, Casework
from reassess.demo.calendar import ordinal

# Demo assumption: expected records found in the first search week, how fast finds fall off
# (weeks), and the last week of searching (CALIBRATION: a few hundred in the first months).
FINDS_FIRST_WEEK = 36.0
FINDS_DECAY_WEEKS = 5.5
SEARCH_FROM = date(2025, 11, 10)
SEARCH_UNTIL = date(2026, 3, 6)
# Demo assumption: duplicates noticed a week (Poisson mean), and over which weeks.
DUPLICATES_PER_WEEK = 2.0
DUPLICATES_FROM = date(2025, 11, 17)
DUPLICATES_UNTIL = date(2026, 3, 27)


class Scope:
    """The searches' progress through the records not yet in scope."""

    def __init__(self, work: Casework) -> None:
        self.work = work
        book = work.book
        hidden = np.flatnonzero(book.hidden_order >= 0)
        self.queue: list[int] = [int(c) for c in hidden[np.argsort(book.hidden_order[hidden])]]
        self.protected: set[int] = set()  # cases an episode relies on; never a duplicate

    def find(self, case: int, day: int) -> None:
        """A record comes into scope, awaiting allocation."""
        self.work.in_scope[case] = True
        self.work.added[case] = day

    def next_hidden(self, *, priority: str | None = None) -> int | None:
        """The next record the searches will find (of a priority, if given)."""
        for i, case in enumerate(self.queue):
            if priority is None or self.work.book.priority[case] == priority:
                return self.queue.pop(i)
        return None

    def week(self, rng: np.random.Generator, monday: int, *, sweeping: bool) -> list[int]:
        """This week's finds and duplicates; returns the cases found."""
        found: list[int] = []
        if ordinal(SEARCH_FROM) <= monday <= ordinal(SEARCH_UNTIL):
            weeks_in = (monday - ordinal(SEARCH_FROM)) // 7
            mean = FINDS_FIRST_WEEK * float(np.exp(-weeks_in / FINDS_DECAY_WEEKS))
            for _ in range(min(int(rng.poisson(mean)), len(self.queue))):
                case = self.queue.pop(0)
                self.find(case, monday)
                self.work.add_to_pool(case, float(rng.random()), sweeping=sweeping)
                found.append(case)
        if ordinal(DUPLICATES_FROM) <= monday <= ordinal(DUPLICATES_UNTIL):
            work = self.work
            candidates = np.flatnonzero(
                work.in_scope
                & ((work.status == AWAITING) | (work.status == ALLOCATED))
                & ~work.book.series
            )
            candidates = np.array([c for c in candidates if int(c) not in self.protected])
            n = min(int(rng.poisson(DUPLICATES_PER_WEEK)), len(candidates))
            for case in rng.choice(candidates, size=n, replace=False) if n else ():
                work.remove(int(case), monday)
        return found
