"""The planning model, timed on a snapshot's real inputs (10,000 trials): the headline
(``run_plan``), its fan, a scenario with 10 extra officers and the officers finder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bench.measure import Stats, time_runs
from reassess.config import programme
from reassess.figures.plan import plan_input
from reassess.model.finder import find_officers
from reassess.model.levers import Levers
from reassess.model.plan import run_plan
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

ROLE = "planner"
TRIALS = 10_000


@dataclass(frozen=True)
class DomainTiming:
    """Run times (seconds) of the planning model on one snapshot."""

    as_of: date
    remaining: int
    weeks_p85: int | None  # how far ahead the forecast had to simulate
    forecast: Stats
    fan: Stats
    scenario: Stats
    officers_needed: Stats


def time_domain(db: Database, snap: SnapshotInfo, runs: int) -> DomainTiming:
    """Time run_plan, Plan.fan, a scenario (+10 officers) and find_officers, 10,000 trials."""
    inp = plan_input(db, snap, programme(), ROLE)
    inp = replace(inp, settings=replace(inp.settings, trials=TRIALS))
    plan = run_plan(inp)
    finish_by = plan.p50 or snap.as_of + timedelta(weeks=26)
    extra = Levers(extra_officers=10)
    return DomainTiming(
        as_of=snap.as_of,
        remaining=inp.remaining,
        weeks_p85=plan.weeks_p85,
        forecast=time_runs(lambda: run_plan(inp), runs, warmup=1),
        fan=time_runs(lambda: plan.fan(), runs, warmup=1),
        scenario=time_runs(lambda: run_plan(inp, extra), runs, warmup=1),
        officers_needed=time_runs(
            lambda: find_officers(inp, finish_by), max(3, runs // 4), warmup=1
        ),
    )
