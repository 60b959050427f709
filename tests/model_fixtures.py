"""Planning-model inputs built by hand (no database), seeded, for the tests/test_model_*.py files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

import numpy as np

from reassess.model.inputs import (
    History,
    Officer,
    PlanInput,
    PlannedAbsence,
    PlannedChange,
    PlanSettings,
)

T = TypeVar("T")

START = date(2025, 11, 3)  # a Monday
TRIALS = 1000


def fridays(start: date, weeks: int) -> tuple[date, ...]:
    """The first ``weeks`` Fridays on or after ``start``."""
    first = start + timedelta(days=(4 - start.weekday()) % 7)
    return tuple(first + timedelta(weeks=k) for k in range(weeks))


def team(n: int, start: date = START, fte: float = 1.0) -> tuple[Officer, ...]:
    return tuple(Officer(f"OFF-{i:02d}", fte, start) for i in range(n))


def plan_input(
    *,
    weeks: int = 20,
    officers: int = 10,
    per_fte: float = 5.0,
    remaining: int = 800,
    scope_growth: int = 0,
    abstraction: float = 0.2,
    seed: int = 1,
    trials: int = TRIALS,
    window: int = 8,
    changes: tuple[PlannedChange, ...] = (),
    absence: tuple[PlannedAbsence, ...] = (),
    measured: bool = True,
    start: date = START,
    **settings: Any,
) -> PlanInput:
    """A programme ``weeks`` weeks in: ``officers`` full-time officers since the start, about
    ``per_fte`` completions per available FTE-week (Poisson) once ramped up (four weeks), scope growing by ``scope_growth``
    cases a week, ``remaining`` cases still to assess at the end."""
    rng = np.random.default_rng(seed)
    ends = fridays(start, weeks)
    head = float(officers)
    available = head * (1 - abstraction) if measured else head
    ramp = np.clip((np.arange(1, weeks + 1) - 0.5) / 4, 0, 1)  # the first weeks ramp up
    done = rng.poisson(per_fte * head * (1 - abstraction) * ramp)
    assessed = int(done.sum())
    in_scope = assessed + remaining
    scope = in_scope - scope_growth * np.arange(weeks)[::-1]
    history = History(
        week_ending=ends,
        completions=tuple(int(x) for x in done),
        scope=tuple(int(x) for x in scope),
        headcount_fte=(head,) * weeks,
        available_fte=(available,) * weeks,
        as_recorded=(True,) * weeks,
        abstraction_measured=measured,
    )
    s = replace(PlanSettings(), trials=trials, window_weeks=window, seed=seed + 100, **settings)
    return PlanInput(
        as_of=ends[-1],
        programme_start=start,
        target=ends[-1] + timedelta(weeks=12),
        in_scope=in_scope,
        remaining=remaining,
        history=history,
        officers=team(officers, start),
        planned_absence=absence,
        planned_changes=changes,
        settings=s,
    )


def known(value: T | None) -> T:
    """``value``, failing the test when the model gave None (a date, a count, a pace)."""
    assert value is not None
    return value
