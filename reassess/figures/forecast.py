"""The one forecast of a snapshot, shared by every page, the CLI and the briefing (no Streamlit).

``headline(db, snapshot, programme)`` is ``run_plan(plan_input(...), Levers())``: the dates,
chances, fan, staffing, capacity and cost that the overview, ``python -m reassess status``, the
briefing (and its PDF, Excel and CSV), resources, the scenarios page's current plan,
``python -m reassess scenario`` and the workload capacity figure all show. ``scenario`` runs a
scenario's levers on the same input, so a scenario with no change is the headline, by
construction.

Both are cached in the process by the snapshot file (path and stat), the forecast window, the
settings in config/programme.toml and the levers: a page rerun, the CLI and the briefing reuse
one run. The model reads only team-level aggregates, always as ``MODEL_ROLE`` (the briefing's
model role), so every caller gets the same numbers; the caller's own access is checked by the
page or command that shows them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from reassess.config import Programme
from reassess.figures.plan import plan_input
from reassess.model.finder import OfficersAnswer, find_officers
from reassess.model.inputs import PlanInput
from reassess.model.levers import Levers
from reassess.model.plan import Plan, run_plan
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

MODEL_ROLE = "planner"
"""The role the model's queries run as (team-level aggregates only)."""
CACHE_ENTRIES = 96
CONFIGURED = {
    "ramp_up_weeks": "ramp_up_weeks",
    "loaded_cost_per_fte": "loaded_cost_per_fte",
    "trials": "forecast_trials",
}
"""Scenario settings -> the Programme attribute they default to."""

T = TypeVar("T")
_lock = threading.Lock()
_cache: OrderedDict[tuple[object, ...], object] = OrderedDict()


def cached(key: tuple[object, ...], make: Callable[[], T]) -> T:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[return-value]
    value = make()
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached input and plan (tests that change config mid-process)."""
    with _lock:
        _cache.clear()


def programme_key(programme: Programme) -> str:
    """A digest of every setting (a changed config/programme.toml gives new forecasts)."""
    return hashlib.sha256(repr(programme).encode()).hexdigest()[:16]


def window_for(programme: Programme, window_weeks: int | None) -> int | None:
    """The window lever as ``plan_input`` takes it: None when it is the configured one."""
    if window_weeks is None or int(window_weeks) == int(programme.throughput_window_weeks):
        return None
    return int(window_weeks)


def _key(snapshot: SnapshotInfo, programme: Programme, window: int | None) -> tuple[object, ...]:
    return (str(snapshot.path), snapshot.stat_key, programme_key(programme), window)


def model_input(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    window_weeks: int | None = None,
) -> PlanInput:
    """The planning model's input at a snapshot (cached)."""
    window = window_for(programme, window_weeks)
    return cached(
        ("input", *_key(snapshot, programme, window)),
        lambda: plan_input(db, snapshot, programme, MODEL_ROLE, window_weeks=window),
    )


def headline(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    window_weeks: int | None = None,
) -> Plan:
    """The headline forecast at a snapshot: ``run_plan(input, Levers())`` (cached)."""
    return scenario(db, snapshot, programme, Levers(), window_weeks)


def scenario(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    levers: Levers,
    window_weeks: int | None = None,
    *,
    ramp_up_weeks: int | None = None,
    loaded_cost_per_fte: float | None = None,
    trials: int | None = None,
) -> Plan:
    """A scenario's forecast on the headline's input (cached). The keyword settings, when they
    differ from config, change the input's settings too (a scenario's ramp-up, cost or trials);
    left as configured, the plan with ``Levers()`` is the headline exactly."""
    window = window_for(programme, window_weeks)
    overrides: dict[str, Any] = {
        k: v
        for k, v in (
            ("ramp_up_weeks", ramp_up_weeks),
            ("loaded_cost_per_fte", loaded_cost_per_fte),
            ("trials", trials),
        )
        if v is not None and v != getattr(programme, CONFIGURED[k])
    }

    def make_unnamed() -> Plan:
        return make_for(replace(levers, name=Levers().name))

    def make_for(lv: Levers) -> Plan:
        inp = model_input(db, snapshot, programme, window_weeks)
        changed = {k: v for k, v in overrides.items() if getattr(inp.settings, k) != v}
        if changed:
            inp = replace(inp, settings=replace(inp.settings, **changed))
        return run_plan(inp, lv)

    unnamed = replace(levers, name=Levers().name)
    key = ("plan", *_key(snapshot, programme, window), unnamed, tuple(sorted(overrides.items())))
    plan = cached(key, make_unnamed)
    if plan.name != levers.name:  # the same trials under the scenario's own name
        plan = replace(plan, name=levers.name, levers=levers)
    return plan


def officers(
    db: Database,
    snapshot: SnapshotInfo,
    programme: Programme,
    finish_by: date,
    *,
    start: date | None = None,
    confidence: float = 0.85,
    levers: Levers | None = None,
    window_weeks: int | None = None,
) -> OfficersAnswer:
    """The officers finder on the headline's input (cached): the extra officers from ``start``
    that finish by ``finish_by`` with ``confidence``, the curve against P85 and any warning
    about the recruitable limit."""
    window = window_for(programme, window_weeks)
    key = ("officers", *_key(snapshot, programme, window), finish_by, start, confidence, levers)
    return cached(
        key,
        lambda: find_officers(
            model_input(db, snapshot, programme, window_weeks),
            finish_by,
            start=start,
            confidence=confidence,
            levers=levers,
        ),
    )


__all__ = ["MODEL_ROLE", "cached", "clear_cache", "headline", "model_input", "officers", "scenario"]
