"""config/programme.toml read into a typed, frozen Programme: every value typed, sourced, known."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from reassess.config import CONFIG_DIR, ConfigError, Programme, load_programme

REAL = (CONFIG_DIR / "programme.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_is_typed_and_carries_its_source() -> None:
    prog = load_programme()
    hints = {f.name: f.type for f in dataclasses.fields(Programme) if f.name != "sources"}
    assert set(prog.sources) == set(hints)
    assert isinstance(prog.target_date, date) and prog.target_date == date(2026, 4, 30)
    assert isinstance(prog.loaded_cost_per_fte, float)  # written 65000 in the file
    assert isinstance(prog.forecast_trials, int)
    for name, setting in prog.sources.items():
        assert setting.source.strip(), name
        assert getattr(prog, name) == setting.value
    assert {s.kind for s in prog.facts()} == {"fact"}
    assert "loaded_cost_per_fte" in {s.name for s in prog.assumptions()}


def test_programme_is_frozen() -> None:
    prog = load_programme()
    with pytest.raises(dataclasses.FrozenInstanceError):
        prog.target_date = date(2027, 1, 1)  # type: ignore[misc]


def test_a_value_of_the_wrong_type_names_the_setting_and_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        REAL.replace("forecast_trials = { value = 10000", 'forecast_trials = { value = "many"'),
    )
    with pytest.raises(
        ConfigError, match=r"\[assumptions\] forecast_trials must be a whole number, got 'many'"
    ):
        load_programme(path)


def test_an_unknown_or_misplaced_setting_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, REAL + '\n[assumptions.extra_thing]\nvalue = 1\nsource = "x"\n')
    with pytest.raises(ConfigError, match="extra_thing is not a setting reassess knows"):
        load_programme(path)
    moved = REAL.replace(
        "[assumptions]\n", '[assumptions]\ntarget_date = { value = 2026-04-30, source = "x" }\n', 1
    )
    moved = moved.replace('target_date = { value = 2026-04-30, source = "Commissioner', "#", 1)
    with pytest.raises(ConfigError, match=r"belongs under \[facts\]"):
        load_programme(_write(tmp_path, moved))


def test_a_missing_setting_is_named(tmp_path: Path) -> None:
    lines = [ln for ln in REAL.splitlines() if not ln.startswith("idle_weeks")]
    with pytest.raises(ConfigError, match=r"lacks idle_weeks; add each under \[assumptions\]"):
        load_programme(_write(tmp_path, "\n".join(lines)))
