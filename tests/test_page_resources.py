"""The resources page under AppTest: the gap, its cost and the downstream demand it shows."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from reassess.figures.baseline import CURRENT_PLAN, baseline_for, find_officers
from streamlit.testing.v1 import AppTest

from reassess.config import programme
from reassess.extract.contract import CATEGORIES
from reassess.model.scenarios import ScenarioInput, officers_needed, run_scenario
from reassess.present.formats import money
from reassess.present.vocabulary import CATEGORY_LABELS
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf
from tests.page_helpers import metrics

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "resources.py")


def page(role: str = "planner", snapshot: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    if snapshot:
        at.query_params["snapshot"] = snapshot
    return at.run()


def plan_for(data_dir: Path, as_of: str, target: date | None = None):  # type: ignore[no-untyped-def]
    snap = list_snapshots(data_dir / "snapshots").get(as_of)
    assert snap is not None
    b = baseline_for(Database(), snap, programme(), "planner")
    overrides = {"target_date": target} if target else {}
    inp = ScenarioInput.from_programme(
        b, programme(), name=CURRENT_PLAN, start_date=snap.as_of + timedelta(weeks=1), **overrides
    )
    return b, inp


@pytest.fixture
def steady(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rf.Fixture:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    return fx


def span(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def test_known_answer_gap_and_pipeline(steady: rf.Fixture) -> None:
    at = page()
    assert not at.exception
    shown = metrics(at)
    b, inp = plan_for(steady.data_dir, "2026-03-06")
    n = officers_needed(b, inp, 0.85)
    assert n is not None and n > 0
    assert shown["FTE in post"] == "10.0"
    assert shown["FTE available (net of abstraction)"] == "8.0"
    assert shown["FTE available needed (85% confidence)"] == f"{(10 + n) * 0.8:,.1f}"
    assert shown["Extra officers needed"] == f"{n:,}"
    assert shown["Funding gap a year"] == money(n * 65_000)
    answer = find_officers(b, inp, 0.85)
    assert shown["Funding gap to completion"] == money(answer.cost_to_completion)
    assert (
        f"**{n} extra officers** from 13 March 2026 finish by 30 April 2026" in at.markdown[0].value
    )
    cases = steady.cases
    reinvestigate = int((cases["outcome"] == "reinvestigate").sum())
    supported = int((cases["victim_support"] == "referred").sum())
    assert shown["Reinvestigations so far"] == f"{reinvestigate:,}"
    assert shown["Investigator hours needed"] == f"{reinvestigate * 120:,}"
    expected = reinvestigate + round(rf.STEADY_REMAINING * 0.14)
    assert shown["Expected reinvestigations"] == f"{expected:,}"
    assert shown["Investigators for a year (FTE)"] == f"{expected * 120 / (30 * 46):,.1f}"
    assert shown["Victim-support referrals so far"] == f"{supported:,}"
    low, high = math.ceil(supported / 20), math.ceil(supported / 15)
    assert shown["ISVAs needed now"] == f"{low}–{high}"
    assert shown["ISVAs in post"] == "12"  # config/programme.toml
    assert shown["ISVA shortfall now"] == span(max(0, low - 12), max(0, high - 12))
    expected_support = supported + round(rf.STEADY_REMAINING * 0.20)
    assert shown["Expected referrals"] == f"{expected_support:,}"
    then_low, then_high = math.ceil(expected_support / 20), math.ceil(expected_support / 15)
    assert shown["ISVAs needed then"] == f"{then_low}–{then_high}"
    assert shown["ISVA shortfall then"] == span(max(0, then_low - 12), max(0, then_high - 12))
    table = at.dataframe[0].value
    done = cases[cases["completed_date"].notna()]
    by_category = done.groupby("category")["outcome"].apply(lambda s: (s == "reinvestigate").sum())
    for category in CATEGORIES:
        row = table[table["Category"] == CATEGORY_LABELS[category]].iloc[0]
        assert row["Referred for reinvestigation"] == by_category[category]
        assert row["Investigator hours needed"] == by_category[category] * 120
    assert table.iloc[-1]["Referred for reinvestigation"] == reinvestigate


def test_assumptions_are_beside_the_figures(steady: rf.Fixture) -> None:
    at = page()
    notes = " ".join(m.value for m in at.markdown)
    assert "**loaded cost per fte**: 65,000" in notes
    assert "**abstraction rate**: 20% — _assumption: leave, sickness" in notes
    assert "**isva cases per adviser**: 15–20 — _Solace Women's Aid" in notes
    measured = sum(rf.STEADY_WEEKLY) / (8 * 8.0)  # completions per available FTE-week
    assert f"**productivity per fte**: {measured:.2f} — _measured" in notes
    assert at.expander[0].label == "Assumptions behind these figures"


@pytest.mark.slow
def test_demo_figures_match_the_extract(demo_env: Path) -> None:
    at = page(snapshot="2026-03-06")
    assert not at.exception
    shown = metrics(at)
    folder = demo_env / "extracts" / "2026-03-06"
    officers = pd.read_csv(folder / "officers.csv", parse_dates=["start_date", "end_date"])
    as_of = pd.Timestamp("2026-03-06")
    in_post = officers[
        (officers["start_date"] <= as_of)
        & (officers["end_date"].isna() | (officers["end_date"] >= as_of))
    ]
    assert shown["FTE in post"] == f"{in_post['fte'].sum():,.1f}"
    cases = pd.read_csv(folder / "cases.csv")
    assert shown["Reinvestigations so far"] == f"{(cases['outcome'] == 'reinvestigate').sum():,}"
    supported = (cases["victim_support"] == "referred").sum()
    assert shown["Victim-support referrals so far"] == f"{supported:,}"
    b, inp = plan_for(demo_env, "2026-03-06")
    n = officers_needed(b, inp, 0.85)
    assert shown["Extra officers needed"] == ("—" if n is None else f"{n:,}")
    plan = run_scenario(b, inp)
    assert (
        f"finishes by {plan.p85.day} {plan.p85:%B %Y} with 85% confidence" in at.caption[-2].value
    )


@pytest.mark.slow
def test_target_passed_lets_the_planner_choose_a_date(demo_env: Path) -> None:
    at = page()  # the latest demo snapshot, 26 June 2026, after the 30 April target
    assert not at.exception
    b, _ = plan_for(demo_env, "2026-06-26")
    assert (
        f"The target date (30 April 2026) has passed with {b.remaining:,} cases still to assess"
        in at.warning[1].value
    )
    assert at.date_input(key="finish_by").value == date(2026, 9, 18)
    at.date_input(key="finish_by").set_value(date(2026, 8, 7)).run()
    assert not at.exception
    b, inp = plan_for(demo_env, "2026-06-26", target=date(2026, 8, 7))
    n = officers_needed(b, inp, 0.85)
    assert metrics(at)["Extra officers needed"] == ("—" if n is None else f"{n:,}")
    assert at.subheader[0].value == "The gap to 7 August 2026"


def test_roles(steady: rf.Fixture) -> None:
    assert not page(role="commander").exception
    assert not page(role="analyst").exception
    at = page(role="mayors_office")
    assert not at.exception
    assert "cannot open Resources" in at.error[0].value


def test_target_under_a_week_away_is_not_called_passed(demo_env: Path) -> None:
    at = page(snapshot="2026-04-24")  # six days before the 30 April target
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "The target date (30 April 2026) is less than a week away" in text
    assert "has passed" not in text
