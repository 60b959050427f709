"""From a ``PlanInput`` and ``Levers`` to what the trials need (a ``Basis``), or why there is none."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from reassess.model.checks import Problem, check
from reassess.model.effort import Work
from reassess.model.inputs import (
    CONFIG_FILE,
    EXTRACT_ABSTRACTIONS,
    EXTRACT_OFFICERS,
    SETTING_KEYS,
    PlanInput,
    PlanSettings,
    setting_name,
)
from reassess.model.levers import Levers
from reassess.model.pace import Measured, Pace, measure, measure_pace
from reassess.model.staffing import Staffing, attrition_strength, seasonal_rates
from reassess.model.trials import Basis, ScopeGrowth

ABSTRACTION_WEEKS = 13
"""Abstraction is the median weekly rate of the last 13 weeks (or the window, if longer) outside
seasonal stretches: a surge or a long sickness does not set the rate for months after."""


@dataclass(frozen=True)
class Abstraction:
    """The abstraction rate the forecast used, and whether it was measured or configured."""

    rate: float
    measured: bool
    source: str


@dataclass(frozen=True, eq=False)
class Built:
    """A basis for the trials (None when no forecast can be made, ``reason`` says why)."""

    basis: Basis | None
    reason: str
    settings: PlanSettings
    pace: Pace | None
    abstraction: Abstraction
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]
    measured: Measured
    target: date
    work: Work | None = None


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def measured_abstraction(inp: PlanInput, s: PlanSettings) -> Abstraction:
    """The measured abstraction over recent non-seasonal weeks, else the configured rate."""
    h = inp.history
    configured = Abstraction(
        s.abstraction_rate,
        False,
        f"configured: {setting_name('abstraction_rate')} ({s.source('abstraction_rate') or 'no source given'}); "
        f"{EXTRACT_ABSTRACTIONS} has no abstractions to measure",
    )
    if not h.abstraction_measured:
        return configured
    ends = np.array(h.week_ending, dtype="datetime64[D]")
    since = np.array([inp.programme_start <= d <= inp.as_of for d in h.week_ending], dtype=bool)
    head = np.asarray(h.headcount_fte, dtype=np.float64)
    free = np.asarray(h.available_fte, dtype=np.float64)
    usable = since & (head > 0)
    seasonal = seasonal_rates(s.seasonal, ends) > 0 if ends.size else np.zeros(0, dtype=bool)
    idx = np.flatnonzero(usable & ~seasonal)
    if idx.size < 2:
        idx = np.flatnonzero(usable)
    idx = idx[-max(ABSTRACTION_WEEKS, s.window_weeks) :]
    if idx.size == 0 or head[idx].sum() <= 0:
        return configured
    rate = float(np.clip(np.median(1.0 - free[idx] / head[idx]), 0.0, 0.95))
    return Abstraction(
        rate,
        True,
        f"measured: {rate:.1%} of in-post FTE time abstracted in a typical week (the median of "
        f"the last {idx.size} week{'s' if idx.size != 1 else ''} outside seasonal stretches, "
        f"{EXTRACT_ABSTRACTIONS})",
    )


def scope_growth(inp: PlanInput, m: Measured, s: PlanSettings) -> ScopeGrowth:
    """Weekly net scope change over the window's weeks (the first week of history has none)."""
    scope = (
        np.asarray(inp.history.scope, dtype=np.float64)[m.since_start]
        if m.since_start.size
        else np.zeros(0)
    )
    changes = np.diff(scope)[-max(1, m.window.size) :] if scope.size > 1 else np.zeros(0)
    if changes.size == 0:
        return ScopeGrowth(0.0, 0.0, 0, s.scope_half_life_weeks)
    sd = float(changes.std(ddof=1)) if changes.size > 1 else abs(float(changes[0]))
    return ScopeGrowth(float(changes.mean()), sd, int(changes.size), s.scope_half_life_weeks)


def build(inp: PlanInput, levers: Levers) -> Built:
    """Check the input, measure the history, and set up the trials (or say why not)."""
    settings, planned, problems = check(inp)
    levers, lever_problems = levers.checked()
    for text in lever_problems:
        problems.append(
            Problem("scenario", "the scenario's levers", f"In the scenario: {text}; it is ignored.")
        )
    notes: list[str] = []
    target = levers.target or inp.target
    abstraction = measured_abstraction(inp, settings)
    if levers.abstraction_rate is not None:
        abstraction = Abstraction(
            levers.abstraction_rate, False, "scenario: abstraction set by the planner"
        )
    configured_rate = None if inp.history.abstraction_measured else settings.abstraction_rate
    work = inp.work if settings.effort_weighting else None
    m = measure(replace(inp, settings=settings, work=work), configured_rate)
    notes.extend(m.notes)
    since = int(m.since_start.size)
    if 0 < since < settings.window_weeks:
        key = SETTING_KEYS["window_weeks"]
        problems.append(
            Problem(
                key,
                CONFIG_FILE,
                f"{key} in {CONFIG_FILE} is {settings.window_weeks} weeks, longer than the "
                f"{since} week{'s' if since != 1 else ''} of history since the programme started; "
                f"the forecast uses the {since}.",
            )
        )
    attrition = (
        levers.attrition_per_year
        if levers.attrition_per_year is not None
        else settings.attrition_per_year
    )
    officers = tuple(o for o in inp.officers if o.workstream == inp.workstream)
    staffing = Staffing(
        officers=officers,
        changes=planned,
        absence=inp.planned_absence,
        abstraction=abstraction.rate,
        abstraction_measured=abstraction.measured,
        abstraction_source=abstraction.source,
        seasonal=settings.seasonal,
        ramp_up_weeks=settings.ramp_up_weeks,
        attrition_per_year=attrition,
        replacement_weeks=settings.replacement_weeks,
        extra_officers=float(levers.extra_officers),
        extra_from=levers.extra_from,
    )
    unit = (
        "units of work (cases weighted by recorded effort)" if work is not None else "completions"
    )
    pace = measure_pace(
        m,
        settings.method,
        settings.drift_per_week,
        levers.productivity,
        unit,
        settings.learning_per_doubling,
    )

    def result(basis: Basis | None, reason: str) -> Built:
        return Built(
            basis,
            reason,
            settings,
            pace,
            abstraction,
            tuple(notes),
            tuple(problems),
            m,
            target,
            work,
        )

    if not abstraction.measured and levers.abstraction_rate is None:
        notes.append(
            f"Abstraction: no abstractions are recorded, so the configured "
            f"{abstraction.rate:.0%} ({setting_name('abstraction_rate')}) is assumed."
        )
    finish_line = math.floor((1.0 - settings.complete_at_share) * inp.in_scope + 1e-9)
    if inp.remaining <= finish_line:
        return result(None, "")
    if inp.history.weeks == 0 or since == 0:
        return result(
            None,
            f"Cannot forecast: no week of work has been recorded since the programme started "
            f"({_long(inp.programme_start)}).",
        )
    if pace is None:
        return result(
            None,
            f"Cannot forecast: no assessments were completed in the last "
            f"{max(1, m.window.size)} week{'s' if m.window.size != 1 else ''} with officers available.",
        )
    if pace.level <= 0:
        return result(None, "At zero productivity the work does not finish.")
    probe = staffing.paths(inp.as_of, min(settings.max_weeks, 104))
    if not probe.expected_effective().any():
        key = SETTING_KEYS["planned_changes"]
        problems.append(
            Problem(
                "fte",
                EXTRACT_OFFICERS,
                f"No officer is in post on {_long(inp.as_of)} according to {EXTRACT_OFFICERS} "
                f"(zero FTE), and {key} in {CONFIG_FILE} plans no starters.",
            )
        )
        return result(
            None,
            "Cannot forecast: no officers are in post or planned, so the work would not finish.",
        )
    need = float(inp.remaining - finish_line)
    scope_unit = 1.0
    if work is not None:
        need = work.units_for(need)
        scope_unit = work.scope_unit
    basis = Basis(
        as_of=inp.as_of,
        remaining=float(inp.remaining),
        finish_line=float(finish_line),
        pace=pace,
        scope=scope_growth(inp, m, settings),
        staffing=staffing,
        trials=settings.trials,
        seed=settings.seed,
        max_weeks=settings.max_weeks,
        attrition_strength=attrition_strength(
            settings.attrition_per_year, staffing.fte_now(inp.as_of)
        ),
        need=need,
        scope_unit=scope_unit,
    )
    return result(basis, "")
