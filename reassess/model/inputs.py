"""What the planning model is given: one frozen dataclass tree, ``PlanInput``.

Plain numbers and dates only (no database): ``reassess.figures.plan.plan_input`` builds one
from a snapshot and config/programme.toml; the backtest builds them from simulated
programmes. Every setting that comes from config/programme.toml carries the name of its key
there (``SETTING_KEYS``), so a message about a nonsensical value can name the setting and file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reassess.model.effort import Work

CONFIG_FILE = "config/programme.toml"
EXTRACT_OFFICERS = "officers.csv"
EXTRACT_ABSTRACTIONS = "abstractions.csv"

SETTING_KEYS: dict[str, str] = {
    "trials": "forecast_trials",
    "seed": "forecast_seed",
    "window_weeks": "throughput_window_weeks",
    "ramp_up_weeks": "ramp_up_weeks",
    "attrition_per_year": "attrition_per_year",
    "replacement_weeks": "leaver_replacement_weeks",
    "abstraction_rate": "abstraction_rate",
    "loaded_cost_per_fte": "loaded_cost_per_fte",
    "weeks_per_year": "cost_weeks_per_year",
    "recruitable_extra_officers": "recruitable_extra_officers",
    "productive_hours_per_fte_week": "productive_hours_per_fte_week",
    "complete_at_share": "complete_at_share",
    "max_weeks": "forecast_max_weeks",
    "seasonal": "seasonal_abstraction",
    "drift_per_week": "productivity_drift_per_week",
    "scope_half_life_weeks": "scope_growth_half_life_weeks",
    "learning_per_doubling": "learning_rate_per_doubling",
    "effort_weighting": "forecast_effort_weighting",
    "planned_changes": "planned_headcount",
    "programme_start": "programme_start",
    "target": "target_date",
}
"""PlanSettings field (or PlanInput field) -> its key in config/programme.toml."""


def setting_name(field_name: str) -> str:
    """How a message names a setting: 'throughput_window_weeks in config/programme.toml'."""
    return f"{SETTING_KEYS.get(field_name, field_name)} in {CONFIG_FILE}"


@dataclass(frozen=True)
class History:
    """The programme week by week, oldest first; week k ends on ``week_ending[k]``.

    ``completions[k]``: assessments completed in week k as recorded (as week k's own snapshot
    recorded them, where there is one). ``scope[k]``: cases in scope at the end of week k.
    ``headcount_fte[k]``: FTE in post; ``available_fte[k]``: FTE in post and not abstracted
    according to the abstraction records. ``abstraction_measured`` is False when the extract
    has no abstraction records at all: then available equals headcount and the model applies
    the configured abstraction rate (and says so). ``as_recorded[k]`` is False where week k
    had no snapshot of its own and its figures were counted from the dates in this one.
    """

    week_ending: tuple[date, ...] = ()
    completions: tuple[int, ...] = ()
    scope: tuple[int, ...] = ()
    headcount_fte: tuple[float, ...] = ()
    available_fte: tuple[float, ...] = ()
    as_recorded: tuple[bool, ...] = ()
    abstraction_measured: bool = True

    def __post_init__(self) -> None:
        n = len(self.week_ending)
        lengths = {
            "completions": len(self.completions),
            "scope": len(self.scope),
            "headcount_fte": len(self.headcount_fte),
            "available_fte": len(self.available_fte),
        }
        if self.as_recorded:
            lengths["as_recorded"] = len(self.as_recorded)
        wrong = {k: v for k, v in lengths.items() if v != n}
        if wrong:
            raise ValueError(
                f"History has {n} week endings but "
                + ", ".join(f"{v} {k}" for k, v in wrong.items())
                + "; give one value per week"
            )

    @property
    def weeks(self) -> int:
        return len(self.week_ending)


@dataclass(frozen=True)
class Officer:
    """A person on the review: ``end`` may be in the future (a planned leaver) or None."""

    ref: str
    fte: float
    start: date
    end: date | None = None
    workstream: str = "assessment"


@dataclass(frozen=True)
class PlannedChange:
    """A dated change in headcount from the planned-headcount schedule (config), with its source.

    ``fte`` is signed: +7 is seven full-time starters from ``effective`` (they ramp up), -2 two
    leavers. Changes dated on or before the as-of date are taken as already in the officers.
    """

    effective: date
    fte: float
    source: str
    note: str = ""
    workstream: str = "assessment"


@dataclass(frozen=True)
class PlannedAbsence:
    """Leave already booked in the extract: FTE-days abstracted in a future week."""

    week_ending: date
    fte_days: float


@dataclass(frozen=True)
class Seasonal:
    """A yearly stretch (month, day)..(month, day) with at least this abstraction, e.g. Christmas."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]
    abstraction: float

    def covers(self, d: date) -> bool:
        key = (d.month, d.day)
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end


@dataclass(frozen=True)
class PlanSettings:
    """The model's settings; each field's config key is in SETTING_KEYS, its source in ``sources``.

    ``abstraction_rate`` is the configured rate, used only when the history has no measurement.
    ``recruitable_extra_officers`` (None: no limit configured) bounds the officers finder's
    answer with a warning. ``complete_at_share``: the work counts as complete once this share of
    the cases in scope are assessed (the last few, parked awaiting material from elsewhere, are
    tracked case by case). ``effort_weighting``: forecast units of work (cases weighted by
    recorded effort, ``PlanInput.work``) instead of cases. ``drift_per_week``: the prior for how far productivity wanders, the
    standard deviation of its weekly change in logs (see docs/forecasting.md).
    """

    trials: int = 10_000
    seed: int = 20251103
    window_weeks: int = 8
    ramp_up_weeks: int = 4
    attrition_per_year: float = 0.10
    replacement_weeks: int | None = 8
    abstraction_rate: float = 0.20
    loaded_cost_per_fte: float = 65_000.0
    weeks_per_year: float = 52.0
    recruitable_extra_officers: int | None = None
    productive_hours_per_fte_week: float = 30.0
    complete_at_share: float = 0.995
    max_weeks: int = 520
    seasonal: tuple[Seasonal, ...] = ()
    drift_per_week: float = 0.03
    scope_half_life_weeks: float = 8.0
    learning_per_doubling: float = 0.15
    effort_weighting: bool = False
    method: str = "learning"
    sources: tuple[tuple[str, str], ...] = ()

    def source(self, field_name: str) -> str:
        """The configured source of a setting, or '' when it was not read from config."""
        return dict(self.sources).get(field_name, "")


@dataclass(frozen=True)
class PlanInput:
    """Everything one forecast rests on, as at ``as_of`` (the snapshot date, never the clock).

    ``officers``: everyone on the review in the extract (past leavers too, for the ramp-up of
    the history). ``planned_absence``: leave already booked for weeks after ``as_of``.
    ``planned_changes``: the planned-headcount schedule from config. ``hours_per_case``:
    recorded hours per recent assessment, for the capacity figure in hours (None: unknown).
    ``work``: the work content (cases weighted by recorded effort, ``reassess.model.effort``);
    None forecasts plain cases.
    """

    as_of: date
    programme_start: date
    target: date
    in_scope: int
    remaining: int
    history: History = field(default_factory=History)
    officers: tuple[Officer, ...] = ()
    planned_absence: tuple[PlannedAbsence, ...] = ()
    planned_changes: tuple[PlannedChange, ...] = ()
    settings: PlanSettings = field(default_factory=PlanSettings)
    hours_per_case: float | None = None
    work: Work | None = None
    workstream: str = "assessment"
    label: str = ""

    @property
    def assessed(self) -> int:
        return self.in_scope - self.remaining
