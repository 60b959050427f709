"""Ingest limits (config/ingest.toml): named settings that bound one ingest's memory and time."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from reassess.config import CONFIG_DIR, ConfigError, Setting, read_toml
from reassess.extract.issues import Issue

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


def too_many_rows(source: str, limits: Limits) -> Issue:
    """The row limit, as every table (CSV file or sheet) reports it."""
    return Issue(
        source,
        limits.max_rows + 2,
        None,
        None,
        f"has more than {limits.max_rows:,} rows (the limit set by {limits.setting('max_rows')}); "
        "check it is the right file",
    )


def load_limits(path: Path | None = None) -> Limits:
    """Read the [limits] of config/ingest.toml; every entry needs a whole-number value and a source."""
    path = path or Path(os.environ.get("REASSESS_INGEST_CONFIG") or CONFIG_DIR / "ingest.toml")
    raw = read_toml(path)
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
