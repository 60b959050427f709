"""Poor but valid data: assessments re-dated after the event, and a few withdrawn.

Both are decided on the Friday of the week they happen, from that week's QUALITY stream,
before the extract is taken, and both are allowed by the contract:

- a re-dated assessment had its completed date keyed wrongly and corrected later (the new
  date stays between its start and its QA sign-off), so a later extract disagrees with an
  earlier one about when it was done;
- a withdrawn assessment is reopened after sign-off because new information came to light:
  it goes back to in assessment, its dates and outcome cleared, and the ingest warns that
  its status went backwards.
Neither touches a case referred for reinvestigation (its referral would no longer hold).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from reassess.demo.assessment import ASSESSED, Casework
from reassess.demo.calendar import is_working_day, ordinal
from reassess.demo.people import Staff

# Demo assumption: the weekly chance of a re-dating, how many, and from when.
REDATE_CHANCE = 0.35
REDATE_MAX = 2
REDATE_FROM = date(2025, 12, 12)
REDATE_WITHIN_DAYS = 42  # only assessments completed in the last six weeks are corrected
# Demo assumption: the weekly chance an assessment is withdrawn, from when, and its rework.
WITHDRAW_CHANCE = 0.2
WITHDRAW_FROM = date(2026, 1, 9)
WITHDRAW_AFTER_DAYS = 14  # signed off at least two weeks before
WITHDRAW_REWORK_HOURS = (2.0, 6.0)


def friday_edits(rng: np.random.Generator, work: Casework, staff: Staff, friday: int) -> None:
    """This week's re-datings and withdrawals, while anyone is still assessing."""
    if work.pool_size() == 0:
        return
    signed = work.in_scope & (work.status == ASSESSED) & (work.book.finding != "reinvestigate")
    if friday >= ordinal(REDATE_FROM) and rng.random() < REDATE_CHANCE:
        recent = np.flatnonzero(signed & (work.completed >= friday - REDATE_WITHIN_DAYS))
        for case in (
            rng.choice(
                recent, size=min(len(recent), 1 + int(rng.integers(REDATE_MAX))), replace=False
            )
            if len(recent)
            else ()
        ):
            _redate(rng, work, int(case))
    if friday >= ordinal(WITHDRAW_FROM) and rng.random() < WITHDRAW_CHANCE:
        old = np.flatnonzero(signed & (work.qa <= friday - WITHDRAW_AFTER_DAYS))
        if len(old):
            case = int(rng.choice(old))
            work.reopen(case, staff, friday, float(rng.uniform(*WITHDRAW_REWORK_HOURS)))


def _redate(rng: np.random.Generator, work: Casework, case: int) -> None:
    """Move a completed date to another working day between start and sign-off."""
    options = [
        d
        for d in range(int(work.started[case]), int(work.qa[case]) + 1)
        if is_working_day(d) and d != work.completed[case]
    ]
    if options:
        work.completed[case] = int(rng.choice(options))
