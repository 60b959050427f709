"""The forecast and the scenario model, timed on a snapshot's real inputs (10,000 trials)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bench.measure import Stats, time_runs
from reassess.config import Programme, programme
from reassess.figures.status import kpis_for, weekly_completions, weekly_scope_change
from reassess.model.forecast import Forecast, forecast_completion, forecast_fan
from reassess.model.scenarios import Baseline, ScenarioInput, officers_needed, run_scenario
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

ROLE = "commander"
TRIALS = 10_000


@dataclass(frozen=True)
class DomainTiming:
    """Run times (seconds) of the Monte Carlo models on one snapshot."""

    as_of: date
    remaining: int
    weeks_p85: int | None  # how far ahead the forecast had to simulate
    forecast: Stats
    fan: Stats
    scenario: Stats
    officers_needed: Stats


def baseline_for(db: Database, snap: SnapshotInfo, prog: Programme, window: int) -> Baseline:
    """The scenario baseline of a snapshot from the shared queries (commander view)."""
    kpis = kpis_for(db, snap, ROLE)
    completions = weekly_completions(db, snap, ROLE, window)
    fte = db.run("resources_weekly_fte", snap, role=ROLE, as_of=snap.as_of, weeks=window)
    available = tuple(float(x) for x in fte["available_fte"])
    return Baseline(
        as_of=snap.as_of,
        remaining=int(kpis["in_scope"] - kpis["assessed"]),
        assessed=int(kpis["assessed"]),
        in_scope=int(kpis["in_scope"]),
        weekly_completions=completions,
        weekly_available_fte=available,
        current_fte=float(fte["fte_in_post"].iloc[-1]),
    )


def time_domain(db: Database, snap: SnapshotInfo, runs: int) -> DomainTiming:
    """Time forecast_completion, forecast_fan, run_scenario and officers_needed, 10,000 trials."""
    prog = programme()
    window = prog.throughput_window_weeks
    seed = prog.forecast_seed
    kpis = kpis_for(db, snap, ROLE)
    remaining = int(kpis["in_scope"] - kpis["assessed"])
    completions = weekly_completions(db, snap, ROLE, window)
    scope = weekly_scope_change(db, snap, ROLE, window)

    def forecast() -> Forecast:
        return forecast_completion(
            remaining,
            completions,
            snap.as_of,
            prog.target_date,
            weekly_scope_change=scope,
            trials=TRIALS,
            seed=seed,
        )

    result = forecast()
    end = max(prog.target_date, result.p95 or prog.target_date)
    horizon = max(4, min(104, (end - snap.as_of).days // 7 + 2))

    def fan() -> object:
        return forecast_fan(
            int(kpis["assessed"]),
            completions,
            snap.as_of,
            horizon,
            trials=TRIALS,
            seed=seed,
            cap=int(kpis["in_scope"]),
        )

    baseline = baseline_for(db, snap, prog, window)
    inp = ScenarioInput.from_programme(baseline, prog, trials=TRIALS, extra_officers=10)
    return DomainTiming(
        as_of=snap.as_of,
        remaining=remaining,
        weeks_p85=result.weeks_p85,
        forecast=time_runs(forecast, runs, warmup=1),
        fan=time_runs(fan, runs, warmup=1),
        scenario=time_runs(lambda: run_scenario(baseline, inp), runs, warmup=1),
        officers_needed=time_runs(lambda: officers_needed(baseline, inp), runs, warmup=1),
    )
