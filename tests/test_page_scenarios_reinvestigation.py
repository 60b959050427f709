"""The scenarios page's reinvestigation levers under AppTest: adding investigators lowers the
unmet reinvestigation demand shown, the figures are the coupled forecast's, and the levers
survive a link."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.config import programme
from reassess.figures.reinvestigation_plan import coupled_plan, unmet_table
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "scenarios.py")
PEAK = "Reinvestigation FTE short at the peak (12 months)"
COST = "Cost of the reinvestigation shortfall (12 months)"


@pytest.fixture
def steady(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rf.Fixture:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    return fx


def page(role: str = "planner", **params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def unmet_shown(at: AppTest) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if list(d.value.columns)[:1] == ["Month"]]
    assert len(frames) == 1
    return frames[0]


def results(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value.set_index("Figure")


def total(column: pd.Series) -> float:
    return sum(float(v) for v in column.iloc[:-1])


def test_adding_investigators_lowers_the_unmet_demand_shown(steady: rf.Fixture) -> None:
    at = page()
    assert not at.exception
    before = unmet_shown(at)
    assert list(before.columns) == ["Month", "Current plan", "Scenario A"]
    assert total(before["Scenario A"]) > 0  # no change yet: the current plan's figures
    assert before["Scenario A"].equals(before["Current plan"])
    peak_before = float(results(at).loc[PEAK, "Scenario A"])
    at.number_input(key="a_inv_extra").set_value(20)
    at.run()
    assert not at.exception
    after = unmet_shown(at)
    assert total(after["Scenario A"]) < total(before["Scenario A"])
    assert after["Current plan"].equals(before["Current plan"])
    assert float(results(at).loc[PEAK, "Scenario A"]) < peak_before
    assert at.query_params["a_inv_extra"] == "20"


def test_the_current_plan_shows_the_headline_coupled_plan(steady: rf.Fixture) -> None:
    at = page()
    snap = list_snapshots(steady.data_dir / "snapshots").get("2026-03-06")
    assert snap is not None
    head = coupled_plan(Database(), snap, programme=programme())
    expected = unmet_table([("Current plan", head)])
    pd.testing.assert_series_equal(
        unmet_shown(at)["Current plan"], expected["Current plan"], check_names=False
    )
    assert head.statement() + " " + head.isva_statement() in [m.value for m in at.markdown]


def test_the_reinvestigation_levers_survive_a_link(steady: rf.Fixture) -> None:
    at = page(a_inv_extra="6", a_inv_start="2026-04-06", a_isva_extra="3")
    assert not at.exception
    assert not [w for w in at.warning if "link" in w.value]
    assert at.number_input(key="a_inv_extra").value == 6
    assert at.date_input(key="a_inv_start").value == date(2026, 4, 6)
    assert at.number_input(key="a_isva_extra").value == 3
    assert "6 from 6 April 2026" in results(at).loc["Extra investigators", "Scenario A"]
    isvas = results(at).loc["ISVAs needed at the peak, against in post (12 months)"]
    in_post = programme().isvas_in_post
    assert isvas["Current plan"].endswith(f"/ {in_post}")
    assert isvas["Scenario A"].endswith(f"/ {in_post + 3}")
    bad = page(a_inv_start="2025-01-01")
    assert any("Extra investigators start on" in w.value for w in bad.warning)
