"""Nonsensical model inputs: a message naming the setting and its file, and what is used instead.

``check(inp)`` never raises: it returns the settings and schedule to use (a nonsensical value is
replaced by its default, or left out) and one ``Problem`` per thing it had to set aside, so the
forecast and everything else on a page can still be shown beside the message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reassess.model.inputs import (
    CONFIG_FILE,
    SETTING_KEYS,
    PlanInput,
    PlannedChange,
    PlanSettings,
)

DEFAULTS = PlanSettings()


@dataclass(frozen=True)
class Problem:
    """One input that makes no sense: the setting, the file it lives in, and what was done."""

    setting: str
    file: str
    message: str

    def __str__(self) -> str:
        return self.message


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _named(field_name: str) -> tuple[str, str]:
    return SETTING_KEYS.get(field_name, field_name), CONFIG_FILE


def _bounded(
    s: PlanSettings, name: str, low: float, high: float | None, *, open_high: bool = False
) -> tuple[object, Problem | None]:
    value = getattr(s, name)
    if value is None:
        return value, None
    too_high = high is not None and (value >= high if open_high else value > high)
    if value < low or too_high:
        key, file = _named(name)
        default = getattr(DEFAULTS, name)
        top = (
            ""
            if high is None
            else (f" and below {high:g}" if open_high else f" and at most {high:g}")
        )
        return default, Problem(
            key,
            file,
            f"{key} in {file} is {value:g}; it must be at least {low:g}{top}. "
            f"The forecast uses {default if default is not None else 'no value'} instead.",
        )
    return value, None


def check(inp: PlanInput) -> tuple[PlanSettings, tuple[PlannedChange, ...], list[Problem]]:
    """The settings and planned changes to use, and the problems found."""
    s = inp.settings
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    rules: dict[str, tuple[float, float | None, bool]] = {
        "trials": (1, 1_000_000, False),
        "window_weeks": (1, None, False),
        "ramp_up_weeks": (0, 104, False),
        "attrition_per_year": (0, 1, True),
        "replacement_weeks": (0, 520, False),
        "abstraction_rate": (0, 1, True),
        "loaded_cost_per_fte": (0, None, False),
        "weeks_per_year": (1, 53, False),
        "recruitable_extra_officers": (0, None, False),
        "productive_hours_per_fte_week": (0, 168, False),
        "complete_at_share": (0.5, 1, False),
        "max_weeks": (1, 5200, False),
        "drift_per_week": (0, 1, False),
        "scope_half_life_weeks": (0, float("inf"), False),
        "learning_per_doubling": (0, 0.5, False),
    }
    for name, (low, high, open_high) in rules.items():
        value, problem = _bounded(s, name, low, high, open_high=open_high)
        if problem is not None:
            problems.append(problem)
            changes[name] = value
    seasons = []
    for season in s.seasonal:
        if 0 <= season.abstraction < 1:
            seasons.append(season)
        else:
            key, file = _named("seasonal")
            problems.append(
                Problem(
                    key,
                    file,
                    f"{key} in {file}: {season.name} has abstraction {season.abstraction:g}; it "
                    "must be from 0 to below 1. That stretch is left out.",
                )
            )
    if len(seasons) != len(s.seasonal):
        changes["seasonal"] = tuple(seasons)
    settings = replace(s, **changes) if changes else s

    planned = []
    key, file = _named("planned_changes")
    for c in inp.planned_changes:
        if c.effective < inp.programme_start:
            problems.append(
                Problem(
                    key,
                    file,
                    f"{key} in {file}: the change of {c.fte:+g} FTE dated {_long(c.effective)} "
                    f"({c.source}) is before the programme start ({_long(inp.programme_start)}, "
                    f"{SETTING_KEYS['programme_start']} in {file}). It is left out.",
                )
            )
        elif c.fte == 0:
            problems.append(
                Problem(
                    key,
                    file,
                    f"{key} in {file}: the change dated {_long(c.effective)} is 0 FTE; it is left out.",
                )
            )
        elif c.workstream == inp.workstream:
            planned.append(c)
    if inp.target < inp.programme_start:
        tkey, tfile = _named("target")
        problems.append(
            Problem(
                tkey,
                tfile,
                f"{tkey} in {tfile} ({_long(inp.target)}) is before the programme start "
                f"({_long(inp.programme_start)}); the chance of meeting it is not shown.",
            )
        )
    return settings, tuple(planned), problems
