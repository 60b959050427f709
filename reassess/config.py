"""Settings (environment) and programme facts/assumptions (config/programme.toml)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Programme:
    """Programme facts and planning assumptions, each with its source."""

    settings: dict[str, Setting] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.settings[name].value
        except KeyError:
            raise ConfigError(
                f"config/programme.toml has no setting {name!r}; add it under [facts] or "
                "[assumptions] with a value and a source"
            ) from None

    def setting(self, name: str) -> Setting:
        self[name]
        return self.settings[name]

    @property
    def target_date(self) -> date:
        return self["target_date"]

    def assumptions(self) -> list[Setting]:
        return [s for s in self.settings.values() if s.kind == "assumption"]

    def facts(self) -> list[Setting]:
        return [s for s in self.settings.values() if s.kind == "fact"]


def load_programme(path: Path | None = None) -> Programme:
    """Read config/programme.toml; every entry needs a value and a source."""
    path = path or CONFIG_DIR / "programme.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; restore it from the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    settings: dict[str, Setting] = {}
    for section, kind in (("facts", "fact"), ("assumptions", "assumption")):
        for name, entry in raw.get(section, {}).items():
            if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
                raise ConfigError(
                    f'{path}: [{section}] {name} must be {{ value = ..., source = "..." }}'
                )
            settings[name] = Setting(name, entry["value"], str(entry["source"]), kind)
    return Programme(settings)


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


def settings() -> Settings:
    """Settings from the environment. Cheap; called where needed, never cached globally."""
    data_dir = Path(os.environ.get("REASSESS_DATA_DIR") or ROOT / "data")
    return Settings(
        data_dir=data_dir.resolve(),
        demo_role=os.environ.get("REASSESS_DEMO_ROLE") or None,
    )
