"""Staffing scenarios for the remaining work: officers, dates, cost and downstream demand.

Pure numbers in, frozen dataclasses out: no Streamlit, no database. The caller builds a
``Baseline`` from a snapshot and a ``ScenarioInput`` (usually ``ScenarioInput.from_programme``).

Model, one week at a time from the snapshot date ``as_of``:
- headcount FTE = current_fte * (1 - attrition_per_year) ** ((week - 1) / 52)
  + extra_officers from the week that contains start_date (extra officers are held at strength:
  leavers among them are assumed replaced);
- available FTE = (current team + extra officers * ramp) * (1 - abstraction_rate), where a new
  officer's ramp is k / ramp_up_weeks in their k-th week (full from week ramp_up_weeks);
- completions = available FTE * a per-FTE productivity drawn, per trial and week, by bootstrap
  from the baseline weeks (completions / available FTE), rescaled so that its mean is
  sum(completions) / sum(available FTE), or a given ``productivity_per_fte``.
The draws use ``forecast.sample_weekly`` on the chunk schedule of ``forecast.simulate_completion``
with the same seed, so a scenario with no extra officers, no attrition and the baseline's FTE
reproduces ``forecast.forecast_completion`` exactly. Scope is held fixed (use the plain forecast
for scope change). Confidence convention as in ``reassess.model.forecast``: p85 is the figure achieved
with 85% confidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from reassess import config
from reassess.model.forecast import (
    DONE_MESSAGE,
    REACH_TOLERANCE,
    Status,
    draw_schedule,
    prob_within,
    reached_with_each,
    sample_weekly,
    simulate_completion,
    target_passed_message,
    unfinished_note,
    week_counts,
    weeks_quantile,
)
from reassess.present.formats import long_date, weeks_phrase

WEEKS_PER_YEAR = 52
"""Calendar weeks in a year, for costs: a cost for N weeks is loaded_cost_per_fte * N / 52."""

DEFAULT_WORKING_WEEKS_PER_YEAR = 46.0
"""Used only when a ScenarioInput is built by hand; from_programme reads config/programme.toml."""

REFERRAL_OUTCOMES = {
    "reinvestigation": "reinvestigate",
    "safeguarding": "safeguarding_referral",
    "victim_support": "victim_support",
}
"""Keys of Baseline.referrals_so_far counted as referrals already made, by kind."""

SCENARIO_INPUT = "scenario input"

PROJECTION_COLUMNS = [
    "week_ending",
    "headcount_fte",
    "available_fte",
    "expected_completions",
    "assessed_p85",
    "assessed_p50",
    "assessed_p15",
]


@dataclass(frozen=True)
class Baseline:
    """Where the programme stands at the snapshot, as plain numbers.

    ``weekly_completions`` and ``weekly_available_fte`` cover the same recent weeks (the
    window); available FTE is net of abstraction. ``current_fte`` is headcount FTE now (gross).
    ``referrals_so_far`` maps assessment outcome to count (see REFERRAL_OUTCOMES). Weeks
    with no available FTE tell nothing about productivity and are left out of its sample.
    ``hours_per_case`` is carried for display; the model does not use it.
    """

    as_of: date
    remaining: int
    assessed: int
    in_scope: int
    weekly_completions: tuple[int, ...]
    weekly_available_fte: tuple[float, ...]
    current_fte: float
    referrals_so_far: Mapping[str, int] = field(default_factory=dict)
    hours_per_case: float = 0.0

    def __post_init__(self) -> None:
        if len(self.weekly_completions) != len(self.weekly_available_fte):
            raise ValueError(
                f"Baseline has {len(self.weekly_completions)} weeks of completions but "
                f"{len(self.weekly_available_fte)} weeks of available FTE; pass the same weeks"
            )
        for week, (done, fte) in enumerate(
            zip(self.weekly_completions, self.weekly_available_fte, strict=True), start=1
        ):
            if done < 0 or fte < 0:
                raise ValueError(
                    f"Baseline week {week} of the window has {done} completions and {fte} "
                    "available FTE; neither can be negative"
                )
            if done > 0 and fte == 0:
                raise ValueError(
                    f"Baseline week {week} of the window has {done} completions but no available "
                    "FTE; check the officer weeks for that week"
                )
        if self.current_fte < 0:
            raise ValueError(f"Baseline current_fte cannot be negative, got {self.current_fte}")

    @property
    def window_weeks(self) -> int:
        return len(self.weekly_completions)

    def measured_productivity(self) -> float | None:
        """Cases per available FTE-week over the window: sum(completions) / sum(FTE)."""
        fte = float(sum(self.weekly_available_fte))
        return sum(self.weekly_completions) / fte if fte > 0 else None


@dataclass(frozen=True)
class ScenarioInput:
    """One staffing scenario and every assumption it rests on (see ``assumptions``)."""

    name: str
    extra_officers: int
    start_date: date
    ramp_up_weeks: int
    productivity_per_fte: float | None
    abstraction_rate: float
    attrition_per_year: float
    target_date: date
    referral_rate_reinvestigation: float
    referral_rate_safeguarding: float
    referral_rate_victim_support: float
    investigator_hours_per_reinvestigation: float
    loaded_cost_per_fte: float
    productive_hours_per_fte_week: float
    isva_cases_per_adviser: tuple[int, ...] = (15, 20)
    isvas_in_post: int = 0
    working_weeks_per_year: float = DEFAULT_WORKING_WEEKS_PER_YEAR
    trials: int = 10_000
    seed: int = 0
    max_weeks: int = 520

    def __post_init__(self) -> None:
        problems = []
        if self.extra_officers < 0:
            problems.append(f"extra_officers must be 0 or more, got {self.extra_officers}")
        if self.ramp_up_weeks < 0:
            problems.append(f"ramp_up_weeks must be 0 or more, got {self.ramp_up_weeks}")
        for name in (
            "abstraction_rate",
            "attrition_per_year",
            "referral_rate_reinvestigation",
            "referral_rate_safeguarding",
            "referral_rate_victim_support",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                problems.append(f"{name} must be between 0 and 1, got {value}")
        if self.abstraction_rate == 1:
            problems.append("abstraction_rate of 1 leaves no one to do the work")
        if self.productivity_per_fte is not None and self.productivity_per_fte < 0:
            problems.append(
                f"productivity_per_fte must be 0 or more, got {self.productivity_per_fte}"
            )
        for name in (
            "productive_hours_per_fte_week",
            "working_weeks_per_year",
            "trials",
            "max_weeks",
        ):
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be more than 0, got {getattr(self, name)}")
        if not self.isva_cases_per_adviser or min(self.isva_cases_per_adviser) <= 0:
            problems.append(
                f"isva_cases_per_adviser must be caseloads above 0, got {self.isva_cases_per_adviser}"
            )
        if self.isvas_in_post < 0:
            problems.append(f"isvas_in_post must be 0 or more, got {self.isvas_in_post}")
        if problems:
            raise ValueError(f"Scenario {self.name!r}: " + "; ".join(problems))

    @classmethod
    def from_programme(
        cls,
        baseline: Baseline,
        programme: config.Programme | None = None,
        **overrides: Any,
    ) -> ScenarioInput:
        """Defaults from config/programme.toml (no extra officers, starting at the snapshot)."""
        prog = programme if programme is not None else config.programme()
        defaults = cls(
            name="Current team",
            extra_officers=0,
            start_date=baseline.as_of,
            ramp_up_weeks=prog.ramp_up_weeks,
            productivity_per_fte=None,
            abstraction_rate=prog.abstraction_rate,
            attrition_per_year=prog.attrition_per_year,
            target_date=prog.target_date,
            referral_rate_reinvestigation=prog.referral_rate_reinvestigation,
            referral_rate_safeguarding=prog.referral_rate_safeguarding,
            referral_rate_victim_support=prog.referral_rate_victim_support,
            investigator_hours_per_reinvestigation=float(
                prog.investigator_hours_per_reinvestigation
            ),
            loaded_cost_per_fte=prog.loaded_cost_per_fte,
            productive_hours_per_fte_week=prog.productive_hours_per_fte_week,
            isva_cases_per_adviser=(prog.isva_cases_min, prog.isva_cases_max),
            isvas_in_post=prog.isvas_in_post,
            working_weeks_per_year=prog.working_weeks_per_year,
            trials=prog.forecast_trials,
            seed=prog.forecast_seed,
        )
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(
                f"ScenarioInput has no field {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(sorted(known))}"
            )
        return replace(defaults, **overrides)


# Field -> config/programme.toml setting(s) it defaults from.
CONFIG_SOURCES: dict[str, tuple[str, ...]] = {
    "ramp_up_weeks": ("ramp_up_weeks",),
    "abstraction_rate": ("abstraction_rate",),
    "attrition_per_year": ("attrition_per_year",),
    "target_date": ("target_date",),
    "referral_rate_reinvestigation": ("referral_rate_reinvestigation",),
    "referral_rate_safeguarding": ("referral_rate_safeguarding",),
    "referral_rate_victim_support": ("referral_rate_victim_support",),
    "investigator_hours_per_reinvestigation": ("investigator_hours_per_reinvestigation",),
    "loaded_cost_per_fte": ("loaded_cost_per_fte",),
    "productive_hours_per_fte_week": ("productive_hours_per_fte_week",),
    "isva_cases_per_adviser": ("isva_cases_min", "isva_cases_max"),
    "isvas_in_post": ("isvas_in_post",),
    "working_weeks_per_year": ("working_weeks_per_year",),
    "trials": ("forecast_trials",),
    "seed": ("forecast_seed",),
}


def assumptions(
    inp: ScenarioInput,
    baseline: Baseline | None = None,
    programme: config.Programme | None = None,
) -> list[tuple[str, Any, str]]:
    """Every assumption of a scenario as (name, value, source).

    The source is the config/programme.toml source when the value is the configured one,
    and "scenario input" when the planner changed it.
    """
    prog = programme if programme is not None else config.programme()
    rows: list[tuple[str, Any, str]] = [
        ("extra_officers", inp.extra_officers, SCENARIO_INPUT),
        ("start_date", inp.start_date, SCENARIO_INPUT),
    ]
    if inp.productivity_per_fte is None:
        measured = baseline.measured_productivity() if baseline is not None else None
        window = f"the last {weeks_phrase(baseline.window_weeks)}" if baseline else "the window"
        rows.append(
            (
                "productivity_per_fte",
                measured if measured is not None else "measured",
                f"measured: completed assessments per available FTE-week over {window}, "
                "with its week-to-week variation",
            )
        )
    else:
        rows.append(("productivity_per_fte", inp.productivity_per_fte, SCENARIO_INPUT))
    for name, keys in CONFIG_SOURCES.items():
        value = getattr(inp, name)
        configured = tuple(getattr(prog, k) for k in keys if k in prog.sources)
        matches = len(configured) == len(keys) and (
            configured == tuple(value) if len(keys) > 1 else configured[0] == value
        )
        sources = dict.fromkeys(prog.setting(k).source for k in keys) if matches else {}
        source = " / ".join(sources) if matches else SCENARIO_INPUT
        rows.append((name, value, source))
    rows.append(
        (
            "weeks_per_year_for_cost",
            WEEKS_PER_YEAR,
            "calendar: a cost for N weeks is loaded_cost_per_fte * N / 52",
        )
    )
    return rows


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """What a scenario means for dates, cost and downstream demand.

    Costs (£, loaded): ``cost_to_target`` / ``cost_to_completion`` are the EXTRA officers'
    cost from their start date to the target date / to the P85 completion date;
    ``team_cost_to_target`` / ``team_cost_to_completion`` are the whole team's (current team
    with attrition, plus extra officers) from the snapshot date. Downstream figures are
    expected counts: remaining * rate + referrals already made. ``investigator_fte`` is the
    investigators needed to complete every reinvestigation within one year;
    ``isvas_needed[c]`` is advisers needed at c cases each if every victim-support referral
    were open at once (an upper bound).

    ``projection``: one row per week ending from the week after the snapshot to the later of
    the target and P95 weeks (PROJECTION_COLUMNS). ``expected_completions`` is the mean over
    trials (zero once a trial is done); ``assessed_p85`` is the cumulative count reached with
    85% confidence (the cautious line, the 15th percentile), ``assessed_p15`` the hopeful one.
    """

    name: str
    as_of: date
    target: date
    status: Status
    message: str
    projection: pd.DataFrame
    p50: date | None
    p85: date | None
    p95: date | None
    weeks_p50: int | None
    weeks_p85: int | None
    weeks_p95: int | None
    prob_by_target: float | None
    productivity_per_fte: float | None
    week_counts: tuple[int, ...]
    not_finished: int
    cost_to_target: float
    cost_to_completion: float | None
    team_cost_to_target: float
    team_cost_to_completion: float | None
    reinvestigations: int
    investigator_fte: float
    safeguarding_referrals: int
    victim_support_referrals: int
    isvas_needed: dict[int, int]


@dataclass(frozen=True)
class OfficersNeeded:
    """Answer of ``officers_needed_with_reason``: a count (or None) and why."""

    extra_officers: int | None
    prob_by_target: float | None
    reason: str


def _productivity_sample(baseline: Baseline, inp: ScenarioInput) -> tuple[np.ndarray, str]:
    """Per-FTE weekly productivity to bootstrap from, or an empty array and the reason."""
    done = np.asarray(baseline.weekly_completions, dtype=np.float64)
    fte = np.asarray(baseline.weekly_available_fte, dtype=np.float64)
    staffed = fte > 0
    ratios = done[staffed] / fte[staffed]
    if inp.productivity_per_fte is not None:
        if inp.productivity_per_fte == 0:
            return np.zeros(0), "At zero productivity the work does not finish."
        if ratios.size == 0 or ratios.mean() == 0:
            return np.array([float(inp.productivity_per_fte)]), ""
        return ratios * (inp.productivity_per_fte / ratios.mean()), ""
    if baseline.window_weeks == 0:
        return np.zeros(0), "Cannot forecast: there are no weekly completion counts to sample from."
    if done.sum() == 0:
        return np.zeros(0), (
            "Cannot forecast: no assessments were completed in the last "
            f"{weeks_phrase(baseline.window_weeks)}."
        )
    scale = done.sum() / fte.sum() / ratios.mean()
    return ratios * scale, ""


def fte_path(baseline: Baseline, inp: ScenarioInput, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """Headcount FTE and available FTE for weeks 1..weeks after the snapshot."""
    week = np.arange(1, weeks + 1)
    current = baseline.current_fte * (1.0 - inp.attrition_per_year) ** ((week - 1) / WEEKS_PER_YEAR)
    week_end_days = 7 * week - (inp.start_date - baseline.as_of).days
    service_weeks = np.ceil(week_end_days / 7)  # k-th week in post; < 1 means not yet started
    in_post = service_weeks >= 1
    if inp.ramp_up_weeks == 0:
        ramp = in_post.astype(np.float64)
    else:
        ramp = np.where(in_post, np.minimum(1.0, service_weeks / inp.ramp_up_weeks), 0.0)
    headcount = current + inp.extra_officers * in_post
    available = (current + inp.extra_officers * ramp) * (1.0 - inp.abstraction_rate)
    return headcount, available


def _extra_cost(inp: ScenarioInput, until: date) -> float:
    """Extra officers' loaded cost from start_date to ``until``: n * cost * weeks / 52."""
    weeks = max(0, (until - inp.start_date).days) / 7
    return inp.extra_officers * inp.loaded_cost_per_fte * weeks / WEEKS_PER_YEAR


def _current_team_cost(baseline: Baseline, inp: ScenarioInput, until: date) -> float:
    """Current team's loaded cost from the snapshot to ``until``, with attrition, by week."""
    weeks = max(0, (until - baseline.as_of).days) / 7
    whole = math.floor(weeks)
    no_extra = replace(inp, extra_officers=0)
    headcount, _ = fte_path(baseline, no_extra, whole + 1)
    fte_weeks = headcount[:whole].sum() + (weeks - whole) * headcount[whole]
    return float(fte_weeks * inp.loaded_cost_per_fte / WEEKS_PER_YEAR)


def _downstream(baseline: Baseline, inp: ScenarioInput) -> dict[str, Any]:
    remaining = max(0, baseline.remaining)
    so_far = baseline.referrals_so_far

    def expected(rate: float, kind: str) -> int:
        return round(remaining * rate) + int(so_far.get(REFERRAL_OUTCOMES[kind], 0))

    reinvestigations = expected(inp.referral_rate_reinvestigation, "reinvestigation")
    victim_support = expected(inp.referral_rate_victim_support, "victim_support")
    return {
        "reinvestigations": reinvestigations,
        "investigator_fte": reinvestigations
        * inp.investigator_hours_per_reinvestigation
        / (inp.productive_hours_per_fte_week * inp.working_weeks_per_year),
        "safeguarding_referrals": expected(inp.referral_rate_safeguarding, "safeguarding"),
        "victim_support_referrals": victim_support,
        "isvas_needed": {int(c): math.ceil(victim_support / c) for c in inp.isva_cases_per_adviser},
    }


def _check_start(baseline: Baseline, inp: ScenarioInput) -> None:
    if inp.start_date < baseline.as_of:
        raise ValueError(
            f"Scenario {inp.name!r}: start_date {inp.start_date} is before the snapshot date "
            f"{baseline.as_of}; extra officers can start on the snapshot date or later"
        )


def _target_weeks(baseline: Baseline, inp: ScenarioInput) -> int:
    return (inp.target_date - baseline.as_of).days // 7


def run_scenario(baseline: Baseline, inp: ScenarioInput) -> ScenarioResult:
    """Simulate the scenario: completion dates, chance of meeting the target, cost, demand."""
    _check_start(baseline, inp)
    as_of, target = baseline.as_of, inp.target_date
    productivity, reason = _productivity_sample(baseline, inp)
    notes: list[str] = []
    if as_of > target:
        notes.append(target_passed_message(target))
    if inp.extra_officers and inp.start_date > target:
        notes.append(
            f"The extra officers start on {long_date(inp.start_date)}, after the target date; "
            "they cannot help meet it."
        )

    def result(status: Status, message: str, **values: Any) -> ScenarioResult:
        p85 = values.get("p85")
        filled: dict[str, Any] = {
            "projection": pd.DataFrame(columns=PROJECTION_COLUMNS),
            "p50": None,
            "p85": None,
            "p95": None,
            "weeks_p50": None,
            "weeks_p85": None,
            "weeks_p95": None,
            "prob_by_target": None,
            "productivity_per_fte": float(productivity.mean()) if productivity.size else None,
            "week_counts": (),
            "not_finished": 0,
        }
        filled.update(values)
        extra_to_target = _extra_cost(inp, target)
        extra_to_completion = _extra_cost(inp, p85) if p85 is not None else None
        return ScenarioResult(
            name=inp.name,
            as_of=as_of,
            target=target,
            status=status,
            message=" ".join(m for m in (message, *notes) if m),
            cost_to_target=extra_to_target,
            cost_to_completion=extra_to_completion,
            team_cost_to_target=_current_team_cost(baseline, inp, target) + extra_to_target,
            team_cost_to_completion=None
            if p85 is None or extra_to_completion is None
            else _current_team_cost(baseline, inp, p85) + extra_to_completion,
            **_downstream(baseline, inp),
            **filled,
        )

    if baseline.remaining <= 0:
        return result(
            "done",
            DONE_MESSAGE,
            p50=as_of,
            p85=as_of,
            p95=as_of,
            weeks_p50=0,
            weeks_p85=0,
            weeks_p95=0,
            prob_by_target=1.0 if as_of <= target else None,
        )
    if productivity.size == 0:
        status: Status = "not_converging" if inp.productivity_per_fte == 0 else "cannot_forecast"
        return result(status, reason)
    _, available_max = fte_path(baseline, inp, inp.max_weeks)
    if not available_max.any():
        return result("not_converging", "With no available officers the work does not finish.")

    trials = inp.trials
    rng = np.random.default_rng(inp.seed)

    def draw(start: int, n: int) -> np.ndarray:
        draws = sample_weekly(productivity, trials, n, rng)
        return draws * _fte_slice(baseline, inp, available_max, start, n)

    sim = simulate_completion(baseline.remaining, draw, trials, inp.max_weeks, keep_paths=True)
    counts, not_finished = week_counts(sim.weeks)
    quantiles = {c: weeks_quantile(sim.weeks, c) for c in (0.50, 0.85, 0.95)}
    assert sim.cumulative is not None

    def when(weeks: int | None) -> date | None:
        return None if weeks is None else as_of + timedelta(days=7 * weeks)

    return result(
        "ok",
        unfinished_note(not_finished, trials, inp.max_weeks),
        projection=_projection(baseline, inp, sim.cumulative, quantiles[0.95]),
        p50=when(quantiles[0.50]),
        p85=when(quantiles[0.85]),
        p95=when(quantiles[0.95]),
        weeks_p50=quantiles[0.50],
        weeks_p85=quantiles[0.85],
        weeks_p95=quantiles[0.95],
        prob_by_target=0.0
        if as_of > target
        else prob_within(sim.weeks, _target_weeks(baseline, inp)),
        week_counts=counts,
        not_finished=not_finished,
    )


def _fte_slice(
    baseline: Baseline, inp: ScenarioInput, available: np.ndarray, start: int, n: int
) -> np.ndarray:
    """Available FTE for weeks start+1 .. start+n, extending the precomputed path if needed."""
    if start + n <= available.size:
        return available[start : start + n]
    return fte_path(baseline, inp, start + n)[1][start:]


def _projection(
    baseline: Baseline, inp: ScenarioInput, cumulative: np.ndarray, weeks_p95: int | None
) -> pd.DataFrame:
    """One row per week ending from the snapshot to the later of the target and P95 dates."""
    simulated = cumulative.shape[1]
    horizon = max(1, _target_weeks(baseline, inp), weeks_p95 or simulated)
    horizon = min(horizon, inp.max_weeks)
    capped = np.minimum(cumulative[:, :horizon], baseline.remaining)
    if horizon > simulated:  # every trial had finished (or stopped) by the last simulated week
        capped = np.concatenate(
            [capped, np.repeat(capped[:, -1:], horizon - simulated, axis=1)], axis=1
        )
    headcount, available = fte_path(baseline, inp, horizon)
    mean_cumulative = capped.mean(axis=0)
    frame = pd.DataFrame(
        {
            "week_ending": [baseline.as_of + timedelta(days=7 * w) for w in range(1, horizon + 1)],
            "headcount_fte": headcount,
            "available_fte": available,
            "expected_completions": np.diff(mean_cumulative, prepend=0.0),
        }
    )
    bands = reached_with_each(capped, (0.85, 0.50, 0.15), axis=0)
    for column, band in zip(("assessed_p85", "assessed_p50", "assessed_p15"), bands, strict=True):
        frame[column] = baseline.assessed + band
    return frame[PROJECTION_COLUMNS]


def officers_needed_with_reason(
    baseline: Baseline,
    inp: ScenarioInput,
    confidence: float = 0.85,
    max_extra: int = 500,
) -> OfficersNeeded:
    """Smallest number of extra officers from inp.start_date that meets the target with at
    least ``confidence``; None, with the reason, if none up to ``max_extra`` does.

    Uses the draws of ``run_scenario`` (same seed), so ``run_scenario`` with the answer gives
    prob_by_target >= confidence and with one fewer gives less.
    """
    _check_start(baseline, inp)
    target = inp.target_date
    if baseline.remaining <= 0:
        return OfficersNeeded(0, 1.0, DONE_MESSAGE)
    target_weeks = _target_weeks(baseline, inp)
    if target_weeks < 1:
        if baseline.as_of > target:
            return OfficersNeeded(None, 0.0, target_passed_message(target))
        return OfficersNeeded(
            None,
            0.0,
            f"The target date ({long_date(target)}) is less than a week after the snapshot.",
        )
    productivity, reason = _productivity_sample(baseline, inp)
    if productivity.size == 0:
        return OfficersNeeded(None, None, reason)

    rng = np.random.default_rng(inp.seed)
    draws = draw_schedule(productivity, inp.trials, target_weeks, rng)
    needed = math.ceil(confidence * inp.trials - 1e-9)

    def prob(extra: int) -> tuple[bool, float]:
        _, available = fte_path(baseline, replace(inp, extra_officers=extra), target_weeks)
        total = np.cumsum(draws * available, axis=1)[:, -1]
        hits = int((total >= baseline.remaining - REACH_TOLERANCE).sum())
        return hits >= needed, hits / inp.trials

    ok, p = prob(0)
    if ok:
        return OfficersNeeded(0, p, "The current team meets the target without extra officers.")
    ok, p = prob(max_extra)
    if not ok:
        pct = f"{confidence:.0%}"
        if inp.start_date >= target:
            why = (
                f"Extra officers starting on {long_date(inp.start_date)} start after the target "
                f"date ({long_date(target)})."
            )
        elif inp.start_date + timedelta(weeks=inp.ramp_up_weeks) > target:
            why = (
                f"Extra officers starting on {long_date(inp.start_date)} would not reach full "
                f"productivity ({weeks_phrase(inp.ramp_up_weeks)}) before the target date "
                f"({long_date(target)})."
            )
        else:
            why = f"Even {max_extra} extra officers would not be enough."
        return OfficersNeeded(
            None, p, f"{why} No number up to {max_extra} meets the target with {pct} confidence."
        )
    low, high = 0, max_extra  # low fails, high succeeds
    best_p = p
    while high - low > 1:
        middle = (low + high) // 2
        ok, p = prob(middle)
        if ok:
            high, best_p = middle, p
        else:
            low = middle
    return OfficersNeeded(
        high,
        best_p,
        f"{high} extra officers from {long_date(inp.start_date)} meet the target with "
        f"{best_p:.0%} confidence; {high - 1} would not.",
    )


def officers_needed(
    baseline: Baseline,
    inp: ScenarioInput,
    confidence: float = 0.85,
    max_extra: int = 500,
) -> int | None:
    """Smallest number of extra officers meeting the target with ``confidence``, or None.

    The reason for None is in ``officers_needed_with_reason``.
    """
    return officers_needed_with_reason(baseline, inp, confidence, max_extra).extra_officers


__all__ = [
    "Baseline",
    "OfficersNeeded",
    "ScenarioInput",
    "ScenarioResult",
    "assumptions",
    "fte_path",
    "officers_needed",
    "officers_needed_with_reason",
    "run_scenario",
]
