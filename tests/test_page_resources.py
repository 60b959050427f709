"""The resources page under AppTest: the gap, its cost and the downstream demand it shows."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.config import programme
from reassess.extract.contract import CATEGORIES
from reassess.figures.forecast import headline, officers
from reassess.figures.team import team
from reassess.model.finder import OfficersAnswer
from reassess.model.plan import Plan
from reassess.model.workload import planning_horizon_weeks
from reassess.present.formats import long_date, money
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


def plan_for(data_dir: Path, as_of: str, target: date | None = None) -> tuple[Plan, OfficersAnswer]:
    """The headline and the officers finder's answer the page should show."""
    snap = list_snapshots(data_dir / "snapshots").get(as_of)
    assert snap is not None
    db, prog = Database(), programme()
    finish_by = target or prog.target_date
    monday = snap.as_of + timedelta(days=7 - snap.as_of.weekday())
    return headline(db, snap, prog), officers(db, snap, prog, finish_by, start=monday)


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
    plan, answer = plan_for(steady.data_dir, "2026-03-06")
    n = answer.extra_officers
    assert n is not None and n > 0
    t = team(plan)
    assert shown["FTE in post (assessment)"] == "10.0"
    # a training day every Monday: 20% measured abstraction, so 8 of 10 FTE available
    assert plan.abstraction.measured and plan.abstraction.rate == pytest.approx(0.2)
    assert shown["FTE available (net of abstraction)"] == f"{t.available_fte:,.1f}"
    cap = plan.capacity(planning_horizon_weeks(plan.as_of, plan.target))
    assert cap is not None and cap.available_fte_needed is not None
    assert shown["Average FTE available needed"] == f"{cap.available_fte_needed:,.1f}"
    assert shown["Extra officers needed"] == f"{n:,}"
    assert shown["Funding gap a year"] == money(n * 65_000)
    assert answer.plan is not None and answer.plan.cost is not None
    assert shown["Extra officers' cost to completion"] == money(answer.plan.cost.extra_to_p85)
    assert (
        f"**{n} extra officers** from 9 March 2026 finish by 30 April 2026" in at.markdown[0].value
    )
    assert plan.p85 is not None and plan.cost is not None
    assert (
        f"finishes by {long_date(plan.p85)} with 85% confidence; the whole team costs "
        f"{money(plan.cost.to_p85)}" in " ".join(c.value for c in at.caption)
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
    assert "**abstraction rate**: 20% — _measured: 20.0% of in-post FTE time" in notes
    assert "**isva cases per adviser**: 15–20 — _Solace Women's Aid" in notes
    plan, _ = plan_for(steady.data_dir, "2026-03-06")
    assert plan.pace is not None
    assert f"**productivity per fte**: {plan.pace.per_available_fte:.2f} — _measured" in notes
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
    assessing = in_post[in_post["workstream"].fillna("assessment") == "assessment"]
    assert shown["FTE in post (assessment)"] == f"{assessing['fte'].sum():,.1f}"
    cases = pd.read_csv(folder / "cases.csv")
    assert shown["Reinvestigations so far"] == f"{(cases['outcome'] == 'reinvestigate').sum():,}"
    supported = (cases["victim_support"] == "referred").sum()
    assert shown["Victim-support referrals so far"] == f"{supported:,}"
    plan, answer = plan_for(demo_env, "2026-03-06")
    n = answer.extra_officers
    assert shown["Extra officers needed"] == ("—" if n is None else f"{n:,}")
    assert plan.p85 is not None
    text = " ".join(c.value for c in at.caption)
    assert f"finishes by {long_date(plan.p85)} with 85% confidence" in text
    limit = programme().recruitable_extra_officers
    if n is not None and limit is not None and n > limit:  # the demo needs more than can be had
        warned = " ".join(w.value for w in at.warning)
        assert f"more than the {limit} extra officers that can be recruited" in warned
        assert "recruitable_extra_officers in config/programme.toml" in warned


@pytest.mark.slow
def test_target_passed_lets_the_planner_choose_a_date(demo_env: Path) -> None:
    at = page()  # the latest demo snapshot, 26 June 2026, after the 30 April target
    assert not at.exception
    plan, _ = plan_for(demo_env, "2026-06-26")
    assert (
        f"The target date (30 April 2026) has passed with {plan.remaining:,} cases still to assess"
        in " ".join(w.value for w in at.warning)
    )
    assert at.date_input(key="finish_by").value == date(2026, 9, 18)
    at.date_input(key="finish_by").set_value(date(2026, 8, 7)).run()
    assert not at.exception
    _, answer = plan_for(demo_env, "2026-06-26", target=date(2026, 8, 7))
    n = answer.extra_officers
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
