"""Settings (environment) and programme facts/assumptions (config/programme.toml)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"


class ConfigError(Exception):
    """A configuration file or setting is missing or malformed."""


@dataclass(frozen=True)
class Setting:
    """One programme fact or assumption, with where it comes from."""

    name: str
    value: Any
    source: str
    kind: str  # "fact" or "assumption"


def _fact() -> Any:
    return field(metadata={"kind": "fact"})


def _assumption() -> Any:
    return field(metadata={"kind": "assumption"})


@dataclass(frozen=True)
class Programme:
    """Programme facts and planning assumptions (config/programme.toml), typed, each with its source.

    Read a value as an attribute (``programme.target_date``); its source with ``setting(name)``.
    """

    # Public facts ([facts]: each source cites where the figure was published).
    target_date: date = _fact()
    baseline_scope: int = _fact()
    initial_team: int = _fact()
    scope_from_year: int = _fact()
    national_ethnicity_missing_share: float = _fact()
    flagging_accuracy_share: float = _fact()
    isva_cases_min: int = _fact()
    isva_cases_max: int = _fact()
    staff_investigator_salary: float = _fact()
    constable_salary_start: float = _fact()
    # Planning assumptions ([assumptions]: the review's or the demo's choices, labelled so).
    programme_start: date = _assumption()
    loaded_cost_per_fte: float = _assumption()
    working_weeks_per_year: float = _assumption()
    isvas_in_post: int = _assumption()
    productive_hours_per_fte_week: float = _assumption()
    abstraction_rate: float = _assumption()
    ramp_up_weeks: int = _assumption()
    attrition_per_year: float = _assumption()
    throughput_window_weeks: int = _assumption()
    forecast_trials: int = _assumption()
    forecast_seed: int = _assumption()
    referral_rate_reinvestigation: float = _assumption()
    referral_rate_safeguarding: float = _assumption()
    referral_rate_victim_support: float = _assumption()
    investigator_hours_per_reinvestigation: float = _assumption()
    reinvestigation_open_share: float = _assumption()
    reinvestigation_days_to_open: float = _assumption()
    reinvestigation_months_open: float = _assumption()
    isva_accepted_share: float = _assumption()
    overload_open_cases: int = _assumption()
    idle_weeks: int = _assumption()
    stale_in_assessment_days: int = _assumption()
    rag_green_probability: float = _assumption()
    rag_amber_probability: float = _assumption()
    # The planning model (reassess/model; docs/forecasting.md).
    planned_headcount: list[dict[str, Any]] = _assumption()
    recruitable_extra_officers: int = _assumption()
    leaver_replacement_weeks: int = _assumption()
    cost_weeks_per_year: float = _assumption()
    complete_at_share: float = _assumption()
    forecast_max_weeks: int = _assumption()
    seasonal_abstraction: list[dict[str, Any]] = _assumption()
    productivity_drift_per_week: float = _assumption()
    scope_growth_half_life_weeks: float = _assumption()
    learning_rate_per_doubling: float = _assumption()
    forecast_effort_weighting: bool = _assumption()
    sources: Mapping[str, Setting] = field(default_factory=dict, repr=False, compare=False)

    def setting(self, name: str) -> Setting:
        """A value with its source and kind."""
        try:
            return self.sources[name]
        except KeyError:
            raise ConfigError(
                f"config/programme.toml has no setting {name!r}; add it under [facts] or "
                "[assumptions] with a value and a source"
            ) from None

    def assumptions(self) -> list[Setting]:
        return [s for s in self.sources.values() if s.kind == "assumption"]

    def facts(self) -> list[Setting]:
        return [s for s in self.sources.values() if s.kind == "fact"]


SECTIONS = {"fact": "facts", "assumption": "assumptions"}


def _typed(path: Path, section: str, name: str, value: Any, kind: Any) -> Any:
    """A TOML value checked against the setting's declared type (an int is a float too)."""
    kind = get_origin(kind) or kind
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind in (int, float) and isinstance(value, bool):
        value = str(value)
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: [{section}] {name} must be {_TYPE_WORDS[kind]}, got {value!r}")
    return value


_TYPE_WORDS = {
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    date: "a date (YYYY-MM-DD)",
    str: "text",
    list: "a list ([ ... ])",
}


def read_toml(path: Path, fix: str = "restore it from the repository") -> dict[str, Any]:
    """A settings file's TOML; a missing or unreadable file is a ConfigError naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; {fix}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def load_programme(path: Path | None = None) -> Programme:
    """Read config/programme.toml; every entry needs a value of its type and a source."""
    path = path or CONFIG_DIR / "programme.toml"
    raw = read_toml(path)
    declared = {f.name: f for f in fields(Programme) if f.name != "sources"}
    hints = get_type_hints(Programme)
    sources: dict[str, Setting] = {}
    values: dict[str, Any] = {}
    for kind, section in SECTIONS.items():
        for name, entry in raw.get(section, {}).items():
            if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
                raise ConfigError(
                    f'{path}: [{section}] {name} must be {{ value = ..., source = "..." }}'
                )
            spec = declared.get(name)
            if spec is None or spec.metadata["kind"] != kind:
                raise ConfigError(
                    f"{path}: [{section}] {name} is not a setting reassess knows"
                    + (f" (it belongs under [{SECTIONS[spec.metadata['kind']]}])" if spec else "")
                    + "; check its spelling or remove it"
                )
            values[name] = _typed(path, section, name, entry["value"], hints[name])
            sources[name] = Setting(name, values[name], str(entry["source"]), kind)
    missing = [n for n in declared if n not in values]
    if missing:
        raise ConfigError(
            f"{path} lacks {', '.join(missing)}; add each under "
            f"[{SECTIONS[declared[missing[0]].metadata['kind']]}] with a value and a source"
        )
    return Programme(**values, sources=sources)


@lru_cache(maxsize=1)
def programme() -> Programme:
    """The programme configuration, read once per process."""
    return load_programme()


@dataclass(frozen=True)
class Settings:
    """Where things live; read once from the environment (REASSESS_*)."""

    data_dir: Path
    demo_role: str | None

    @property
    def snapshot_dir(self) -> Path:
        return self.data_dir / "snapshots"

    @property
    def extract_dir(self) -> Path:
        return self.data_dir / "extracts"

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def scenario_db(self) -> Path:
        return self.data_dir / "scenarios.duckdb"

    @property
    def ledger_db(self) -> Path:
        """The release ledger: every figure the Mayor's office has been shown (append-only)."""
        return self.data_dir / "store" / "releases.duckdb"

    @property
    def ledger_file(self) -> Path:
        """The forecast ledger: what the forecast said at each snapshot (reassess.store.ledger)."""
        return self.data_dir / "forecast_ledger.jsonl"

    @property
    def secrets_file(self) -> Path:
        """Streamlit's secrets file (sign-in settings, the audit key): never in the repository."""
        return ROOT / ".streamlit" / "secrets.toml"


def settings() -> Settings:
    """Settings from the environment. Cheap; called where needed, never cached globally."""
    data_dir = Path(os.environ.get("REASSESS_DATA_DIR") or ROOT / "data")
    return Settings(
        data_dir=data_dir.resolve(),
        demo_role=os.environ.get("REASSESS_DEMO_ROLE") or None,
    )
