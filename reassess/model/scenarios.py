"""Staffing scenarios: what a planner changes, as levers on the one planning model, and the
demand the remaining assessments create (no Streamlit, no database).

A ``ScenarioInput`` holds every lever a planner can set and every demand assumption, each
defaulting to config/programme.toml. ``levers_for`` turns it into the planning model's
``Levers`` (``reassess.model.levers``): a lever left as configured is "as in the baseline", so
a scenario with no change is the headline forecast exactly, by construction. The dates, the
chance of meeting the target, the staffing and the cost are the model's (``run_plan``);
``result_from_plan`` adds the downstream demand (reinvestigations, referrals, advocates):
the referrals already made plus the remaining cases times each referral rate. The
reinvestigation levers (``reinvestigation_levers``: extra investigators from a date, extra
ISVAs) act on the coupled forecast (``reassess.model.reinvestigation``), which carries the
scenario's own trials into reinvestigation demand month by month; a scenario's result holds it
as ``coupled`` when it was run.
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
from reassess.model.levers import Levers
from reassess.model.plan import Plan
from reassess.model.reinvestigation import CoupledPlan, ReinvestigationLevers

DEFAULT_WORKING_WEEKS_PER_YEAR = 46.0
"""Used only when a ScenarioInput is built by hand; from_programme reads config/programme.toml."""

REFERRAL_OUTCOMES = {
    "reinvestigation": "reinvestigate",
    "safeguarding": "safeguarding_referral",
    "victim_support": "victim_support",
}
"""Keys of Position.referrals_so_far counted as referrals already made, by kind."""

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
class Position:
    """Where the programme stands at the snapshot, for the demand figures: the cases, and
    referrals made so far by assessment outcome (keys of REFERRAL_OUTCOMES' values)."""

    as_of: date
    remaining: int
    assessed: int
    in_scope: int
    referrals_so_far: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioInput:
    """One staffing scenario and every assumption it rests on (see ``assumptions``).

    ``productivity_per_fte`` and ``abstraction_rate`` None mean "as measured" (the model's own
    measurement, or the configured abstraction where the extract records none)."""

    name: str
    extra_officers: int
    start_date: date
    ramp_up_weeks: int
    productivity_per_fte: float | None
    abstraction_rate: float | None
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
    extra_investigators: int = 0
    investigators_from: date | None = None
    extra_isvas: int = 0

    def __post_init__(self) -> None:
        problems = []
        if self.extra_officers < 0:
            problems.append(f"extra_officers must be 0 or more, got {self.extra_officers}")
        if self.ramp_up_weeks < 0:
            problems.append(f"ramp_up_weeks must be 0 or more, got {self.ramp_up_weeks}")
        for name in (
            "attrition_per_year",
            "referral_rate_reinvestigation",
            "referral_rate_safeguarding",
            "referral_rate_victim_support",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                problems.append(f"{name} must be between 0 and 1, got {value}")
        if self.abstraction_rate is not None and not 0 <= self.abstraction_rate < 1:
            problems.append(
                f"abstraction_rate must be from 0 to below 1 (1 leaves no one to do the work), "
                f"got {self.abstraction_rate}"
            )
        if self.attrition_per_year == 1:
            problems.append("attrition_per_year of 1 means the whole team leaves within a year")
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
        for name in ("extra_investigators", "extra_isvas"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be 0 or more, got {getattr(self, name)}")
        if problems:
            raise ValueError(f"Scenario {self.name!r}: " + "; ".join(problems))

    @classmethod
    def from_programme(
        cls,
        as_of: date,
        programme: config.Programme | None = None,
        **overrides: Any,
    ) -> ScenarioInput:
        """Defaults from config/programme.toml (no extra officers, from the snapshot date;
        productivity and abstraction as measured)."""
        prog = programme if programme is not None else config.programme()
        defaults = cls(
            name="Current team",
            extra_officers=0,
            start_date=as_of,
            ramp_up_weeks=prog.ramp_up_weeks,
            productivity_per_fte=None,
            abstraction_rate=None,
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


def levers_for(
    inp: ScenarioInput, programme: config.Programme, *, current_plan: bool = False
) -> Levers:
    """The planning model's levers for a scenario: only what differs from config/programme.toml
    (and the measurement) is a lever, so the configured scenario is the headline exactly.
    ``current_plan`` names it as the model's current plan (its levers still apply)."""
    attrition = (
        None if inp.attrition_per_year == programme.attrition_per_year else inp.attrition_per_year
    )
    target = None if inp.target_date == programme.target_date else inp.target_date
    name = Levers().name if current_plan else inp.name
    return Levers(
        name=name,
        extra_officers=inp.extra_officers,
        extra_from=inp.start_date if inp.extra_officers else None,
        productivity=inp.productivity_per_fte,
        abstraction_rate=inp.abstraction_rate,
        attrition_per_year=attrition,
        target=target,
    )


def reinvestigation_levers(inp: ScenarioInput) -> ReinvestigationLevers:
    """The coupled forecast's levers for a scenario (none set: the headline coupled plan)."""
    return ReinvestigationLevers(
        extra_investigators=float(inp.extra_investigators),
        investigators_from=inp.investigators_from if inp.extra_investigators else None,
        extra_isvas=float(inp.extra_isvas),
    )


def measured_assumptions(plan: Plan) -> dict[str, tuple[Any, str]]:
    """The measured assumptions of a plan: productivity and abstraction, with their sources."""
    pace = plan.pace
    window = f"the last {plan.window_weeks} week{'s' if plan.window_weeks != 1 else ''}"
    return {
        "productivity_per_fte": (
            "measured" if pace is None else round(pace.per_available_fte, 4),
            f"measured: completed assessments per available FTE-week over {window}, allowed "
            "to drift (see docs/forecasting.md)",
        ),
        "abstraction_rate": (plan.abstraction.rate, plan.abstraction.source),
    }


def assumptions(
    inp: ScenarioInput,
    plan: Plan | None = None,
    programme: config.Programme | None = None,
) -> list[tuple[str, Any, str]]:
    """Every assumption of a scenario as (name, value, source).

    The source is the config/programme.toml source when the value is the configured one, the
    measurement when it is measured, and "scenario input" when the planner changed it.
    """
    prog = programme if programme is not None else config.programme()
    rows: list[tuple[str, Any, str]] = [
        ("extra_officers", inp.extra_officers, SCENARIO_INPUT),
        ("start_date", inp.start_date, SCENARIO_INPUT),
        ("extra_investigators", inp.extra_investigators, SCENARIO_INPUT),
        (
            "investigators_from",
            inp.investigators_from or "the Monday after the as-of date",
            SCENARIO_INPUT,
        ),
        ("extra_isvas", inp.extra_isvas, SCENARIO_INPUT),
    ]
    measured = measured_assumptions(plan) if plan is not None else {}
    for name in ("productivity_per_fte", "abstraction_rate"):
        value = getattr(inp, name)
        if value is None:
            shown, source = measured.get(name, ("measured", "measured from the snapshot"))
            rows.append((name, shown, source))
        else:
            rows.append((name, value, SCENARIO_INPUT))
    for name, keys in CONFIG_SOURCES.items():
        value = getattr(inp, name)
        configured = tuple(getattr(prog, k) for k in keys if k in prog.sources)
        matches = len(configured) == len(keys) and (
            configured == tuple(value) if len(keys) > 1 else configured[0] == value
        )
        sources = dict.fromkeys(prog.setting(k).source for k in keys) if matches else {}
        source = " / ".join(sources) if matches else SCENARIO_INPUT
        rows.append((name, value, source))
    s = plan.built.settings if plan is not None else None
    rows.append(
        (
            "weeks_per_year_for_cost",
            s.weeks_per_year if s is not None else 52.0,
            "a cost for N weeks is loaded_cost_per_fte * N / weeks a year (cost_weeks_per_year)",
        )
    )
    return rows


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """A scenario's figures: the planning model's dates, chance and cost, and the demand.

    Costs (£, loaded): ``cost_to_completion`` is the EXTRA officers' cost from their start to
    the P85 date; ``team_cost_to_completion`` the whole team's (the model's cost to
    completion at P85); ``cost_per_year`` the extra officers' cost a year. Downstream figures
    are expected counts: remaining * rate + referrals already made. ``investigator_fte`` is
    the investigators needed to complete every reinvestigation within one year;
    ``isvas_needed[c]`` the advisers needed at c cases each if every victim-support referral
    were open at once (an upper bound). ``plan`` is the model's answer itself; ``coupled`` the
    coupled forecast of reinvestigation demand on its trials (None when not run).
    """

    name: str
    as_of: date
    target: date
    status: str
    message: str
    p50: date | None
    p85: date | None
    p95: date | None
    weeks_p50: int | None
    weeks_p85: int | None
    weeks_p95: int | None
    prob_by_target: float | None
    productivity_per_fte: float | None
    cost_per_year: float
    cost_to_completion: float | None
    team_cost_to_completion: float | None
    reinvestigations: int
    investigator_fte: float
    safeguarding_referrals: int
    victim_support_referrals: int
    isvas_needed: dict[int, int]
    plan: Plan
    coupled: CoupledPlan | None = None

    @property
    def projection(self) -> pd.DataFrame:
        """One row per week ending after the as-of date to the plan's horizon
        (PROJECTION_COLUMNS): the expected team, expected completions (the mean over trials)
        and cases assessed reached with 85%, 50% and 15% confidence (from the fan)."""
        return projection(self.plan)


def downstream(position: Position, inp: ScenarioInput) -> dict[str, Any]:
    """Expected reinvestigations, referrals and advocates: so far plus remaining x rate."""
    remaining = max(0, position.remaining)
    so_far = position.referrals_so_far

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


def message_for(plan: Plan) -> str:
    """What the reader should know about a plan, in one line (why there is no date, notes)."""
    parts = [plan.reason] if plan.reason else []
    parts += [n for n in plan.notes if n]
    return " ".join(parts)


def result_from_plan(
    inp: ScenarioInput, plan: Plan, position: Position, coupled: CoupledPlan | None = None
) -> ScenarioResult:
    """A scenario's result: the model's plan for its levers, with the demand figures (and the
    coupled forecast of reinvestigation demand, when given)."""
    dated = plan.status in ("ok", "done")
    c = plan.cost
    pace = plan.pace
    productivity = (
        inp.productivity_per_fte
        if inp.productivity_per_fte is not None
        else (None if pace is None else pace.per_available_fte)
    )
    return ScenarioResult(
        name=inp.name,
        as_of=plan.as_of,
        target=plan.target,
        status=plan.status,
        message=message_for(plan),
        p50=plan.p50 if dated else None,
        p85=plan.p85 if dated else None,
        p95=plan.p95 if dated else None,
        weeks_p50=plan.weeks_p50,
        weeks_p85=plan.weeks_p85,
        weeks_p95=plan.weeks_p95,
        prob_by_target=plan.prob_by_target,
        productivity_per_fte=productivity,
        cost_per_year=inp.extra_officers * inp.loaded_cost_per_fte,
        cost_to_completion=None if c is None or not dated else c.extra_to_p85,
        team_cost_to_completion=None if c is None or not dated else c.to_p85,
        plan=plan,
        coupled=coupled,
        **downstream(position, inp),
    )


def projection(plan: Plan) -> pd.DataFrame:
    """The weekly projection of a plan (PROJECTION_COLUMNS), weeks 1..horizon."""
    if plan.sim is None or plan.status not in ("ok", "not_converging"):
        return pd.DataFrame(columns=PROJECTION_COLUMNS)
    n = plan.horizon()
    fan = plan.fan(n).iloc[1:].reset_index(drop=True)
    staff = plan.staffing(n)
    expected = plan.completions(n).mean(axis=0)
    return pd.DataFrame(
        {
            "week_ending": list(fan["week_ending"]),
            "headcount_fte": staff["headcount_fte"].to_numpy(),
            "available_fte": staff["available_fte"].to_numpy(),
            "expected_completions": np.asarray(expected, dtype=np.float64),
            # assessed_p85: reached with 85% confidence, the cautious (low) line
            "assessed_p85": fan["assessed_p85"].to_numpy(),
            "assessed_p50": fan["assessed_p50"].to_numpy(),
            "assessed_p15": fan["assessed_p15"].to_numpy(),
        }
    )[PROJECTION_COLUMNS]


def completion_curve(plan: Plan) -> pd.DataFrame:
    """The chance of having finished by each week: week_ending, share (from the week before
    the first trial finishes)."""
    dist = plan.distribution()
    if dist.empty:
        return pd.DataFrame(columns=["week_ending", "share"])
    first = dist["week_ending"].iloc[0] - timedelta(weeks=1)
    start = max(first, plan.as_of)
    weeks = (dist["week_ending"].iloc[-1] - start).days // 7
    days = [start + timedelta(weeks=k) for k in range(weeks + 1)]
    share = pd.Series(dist["cumulative_share"].to_numpy(), index=list(dist["week_ending"]))
    filled = share.reindex(days).ffill().fillna(0.0)
    return pd.DataFrame({"week_ending": days, "share": filled.to_numpy()})


__all__ = [
    "Position",
    "ScenarioInput",
    "ScenarioResult",
    "assumptions",
    "completion_curve",
    "downstream",
    "levers_for",
    "reinvestigation_levers",
    "projection",
    "result_from_plan",
]
