"""Ingest limits (config/ingest.toml): named settings that bound one ingest's memory and time."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from reassess.config import CONFIG_DIR, ConfigError, Setting

CONFIG_FILE = "config/ingest.toml"


@dataclass(frozen=True)
class Limits:
    """Every ingest limit, each read from config/ingest.toml with its source."""

    max_file_bytes: int
    max_rows: int
    max_columns: int
    max_cell_chars: int
    max_errors: int
    max_warnings: int
    max_xlsx_part_bytes: int
    max_xlsx_ratio: int
    xlsx_ratio_from_bytes: int
    duckdb_memory_mb: int
    as_of_future_days: int
    sources: tuple[Setting, ...] = ()

    def setting(self, name: str) -> str:
        """How a message names the setting that raises a limit."""
        return f"the {name} setting in {CONFIG_FILE}"


def load_limits(path: Path | None = None) -> Limits:
    """Read the [limits] of config/ingest.toml; every entry needs a whole-number value and a source."""
    path = path or Path(os.environ.get("REASSESS_INGEST_CONFIG") or CONFIG_DIR / "ingest.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; restore it from the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    entries = raw.get("limits", {})
    values: dict[str, int] = {}
    sources: list[Setting] = []
    for f in fields(Limits):
        if f.name == "sources":
            continue
        entry = entries.get(f.name)
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise ConfigError(
                f'{path}: [limits] {f.name} must be {{ value = ..., source = "..." }}'
            )
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{path}: [limits] {f.name} must be a whole number of 0 or more")
        values[f.name] = value
        sources.append(Setting(f.name, value, str(entry["source"]), "assumption"))
    return Limits(**values, sources=tuple(sources))


@lru_cache(maxsize=1)
def limits() -> Limits:
    """The ingest limits, read once per process."""
    return load_limits()
