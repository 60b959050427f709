"""The workload page, its queries and reassess.model.workload, on a known-answer programme and the demo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import AccessDenied
from reassess.model.workload import (
    abstraction_share,
    capacity_vs_demand,
    planning_horizon_weeks,
    workload_totals,
)
from reassess.present.charts.workload import flagged_refs
from reassess.snapshot.runner import Database
from tests import flow_fixtures as ff
from tests.page_helpers import latest, metric, open_page, table

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "workload.py")
WORKLOAD = {"as_of": ff.AS_OF, "window_weeks": 4, "idle_weeks": 2, "overload": 25}
QUERIES: dict[str, dict[str, Any]] = {
    "workload_by_officer": WORKLOAD,
    "workload_by_team": WORKLOAD,
    "workload_hours_per_case": {"as_of": ff.AS_OF, "weeks": 4},
    "workload_abstraction_weekly": {"as_of": ff.AS_OF, "weeks": 12},
}


@pytest.fixture(scope="module")
def flow_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ff.build_flow_programme(tmp_path_factory.mktemp("flow-workload"))


@pytest.fixture
def flow_env(flow_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(flow_dir))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield flow_dir


def run_page(role: str = "commander", **query: str) -> AppTest:
    return open_page(PAGE, role, **query)


def flagged(at: AppTest, what: str) -> str:
    prefix = f"**{what}:** "
    lines = [m.value for m in at.markdown if m.value.startswith(prefix)]
    assert lines, f"no markdown line for {what!r}"
    return lines[0].removeprefix(prefix)


def everything_shown(at: AppTest) -> str:
    """Markdown, captions, metrics, widget labels and every dataframe cell, as one text."""
    out = [m.value for m in at.markdown] + [c.value for c in at.caption]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [str(e.value) for e in at.warning] + [str(e.value) for e in at.info]
    out += [df.value.to_csv(index=False) for df in at.dataframe]
    out += [str(chart.proto.spec) for chart in at.get("plotly_chart")]
    return "\n".join(out)


# ---- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_fixture(flow_dir: Path, name: str) -> None:
    frame = Database().run(name, latest(flow_dir), role="commander", **QUERIES[name])
    assert len(frame) > 0


def test_officer_query_is_refused_below_commander(flow_dir: Path) -> None:
    for role in ("planner", "analyst"):
        with pytest.raises(AccessDenied):
            Database().run("workload_by_officer", latest(flow_dir), role=role, **WORKLOAD)


def test_officer_known_answers(flow_dir: Path) -> None:
    officers = Database().run("workload_by_officer", latest(flow_dir), role="commander", **WORKLOAD)
    officers = officers.set_index("officer_ref")
    assert officers["open_cases"].to_dict() == ff.OPEN_CASES  # PPO-0007 (left, no work) not listed
    assert officers["available_fte"].to_dict() == pytest.approx(ff.AVAILABLE_FTE)
    assert tuple(officers.index[officers["idle"]]) == ff.IDLE
    assert not officers["overloaded"].any()


def test_team_rows_sum_the_officer_rows(flow_dir: Path) -> None:
    db, snap = Database(), latest(flow_dir)
    params = {**WORKLOAD, "overload": 2}
    officers = db.run("workload_by_officer", snap, role="commander", **params)
    teams = db.run("workload_by_team", snap, role="planner", **params).set_index("team")
    per_team = officers.groupby("team")
    for col in ("open_cases", "awaiting_qa", "completed_recent", "overloaded", "idle"):
        team_col = {"overloaded": "officers_overloaded", "idle": "officers_idle"}.get(col, col)
        assert per_team[col].sum().to_dict() == teams[team_col].to_dict(), col
    in_post = officers[officers["in_post"]].groupby("team")["available_fte"].sum()
    assert in_post.to_dict() == pytest.approx(teams["available_fte"].to_dict())
    assert teams["completed_recent"].to_dict() == ff.COMPLETED_LAST_4_WEEKS


# ---- domain ----------------------------------------------------------------------------------


def test_capacity_vs_demand() -> None:
    cd = capacity_vs_demand(
        available_fte=5.0,
        horizon_weeks=8,
        productive_hours_per_fte_week=30.0,
        remaining_cases=100,
        recent_hours=50.0,
        recent_cases=20,
    )
    assert (cd.capacity_hours, cd.hours_per_case, cd.demand_hours, cd.gap_hours) == (
        1200.0,
        2.5,
        250.0,
        950.0,
    )
    assert not cd.shortfall
    none = capacity_vs_demand(
        available_fte=5.0,
        horizon_weeks=1,
        productive_hours_per_fte_week=30.0,
        remaining_cases=10,
        recent_hours=0.0,
        recent_cases=0,
    )
    assert none.demand_hours is None and none.gap_hours is None and not none.shortfall
    with pytest.raises(ValueError, match="at least one week"):
        capacity_vs_demand(
            available_fte=1.0,
            horizon_weeks=0,
            productive_hours_per_fte_week=30.0,
            remaining_cases=1,
            recent_hours=1.0,
            recent_cases=1,
        )


@pytest.mark.parametrize(
    ("as_of", "target", "weeks"),
    [
        (date(2026, 3, 6), date(2026, 4, 30), 8),  # 55 days: rounded up
        (date(2026, 4, 23), date(2026, 4, 30), 1),
        (date(2026, 4, 30), date(2026, 4, 30), 12),  # the target day itself: fallback
        (date(2026, 6, 26), date(2026, 4, 30), 12),
    ],
)
def test_planning_horizon(as_of: date, target: date, weeks: int) -> None:
    assert planning_horizon_weeks(as_of, target) == weeks


def test_totals_and_abstraction_share() -> None:
    teams = pd.DataFrame(
        {
            "officers_in_post": [3, 4],
            "fte_in_post": [2.8, 3.5],
            "available_fte": [2.0, 3.425],
            "open_cases": [3, 10],
            "awaiting_qa": [2, 4],
            "completed_recent": [7, 8],
            "officers_overloaded": [0, 1],
            "officers_idle": [0, 1],
        }
    )
    t = workload_totals(teams)
    assert (t.officers_in_post, t.available_fte, t.open_cases, t.officers_idle) == (
        7,
        pytest.approx(5.425),
        13,
        1,
    )
    weekly = pd.DataFrame(
        {
            "week_ending": [1, 1, 2, 2],
            "fte_days": [1.0, 2.0, 0.0, 1.0],
            "fte_days_in_post": [10.0, 10.0, 10.0, 10.0],
        }
    )
    assert abstraction_share(weekly) == pytest.approx(4.0 / 20.0)
    assert abstraction_share(weekly.iloc[0:0]) is None


# ---- the page on the known-answer fixture ----------------------------------------------------


def test_commander_known_answers(flow_env: Path) -> None:
    at = run_page()
    officers = table(at, "Officer").set_index("Officer")
    assert officers.loc["PPO-0003", "Open cases"] == 3
    assert officers["Open cases"].to_dict() == ff.OPEN_CASES
    assert officers["Available FTE"].to_dict() == pytest.approx(ff.AVAILABLE_FTE)
    assert officers.loc["PPO-0002", "Completed, last 4 weeks"] == 5
    assert officers.loc["PPO-0003", "Hours spent"] == pytest.approx(3 + 4 + 2.5 + 2 + 6)
    assert officers.loc["PPO-0005", "Flags"] == "no recent completion"
    assert metric(at, "Open cases") == "13"
    assert metric(at, "Available FTE") == "5.4"
    assert metric(at, "Completed in 4 weeks") == "15"
    assert metric(at, "Overloaded") == "0"
    assert metric(at, "No recent completion") == "1"
    assert flagged(at, "Overloaded") == "none"
    assert flagged(at, "No recent completion") == "PPO-0005"
    teams = table(at, "Officers in post").set_index("Team")
    assert teams.loc["Review Team 2", "Open cases"] == 10
    assert teams["Completed, last 4 weeks"].to_dict() == ff.COMPLETED_LAST_4_WEEKS


def test_lowering_the_threshold_flags_an_officer(flow_env: Path) -> None:
    at = run_page()
    at.number_input(key="wl_overload").set_value(4).run()
    assert not at.exception
    assert flagged(at, "Overloaded") == "PPO-0004"  # 5 open cases; PPO-0003 has 3
    assert metric(at, "Overloaded") == "1"
    assert table(at, "Officer").set_index("Officer").loc["PPO-0004", "Flags"] == "overloaded"
    teams = table(at, "Officers in post").set_index("Team")
    assert teams["Officers overloaded"].to_dict() == {"Review Team 1": 0, "Review Team 2": 1}
    at.number_input(key="wl_idle_weeks").set_value(6).run()
    assert flagged(at, "No recent completion") == "none"  # PPO-0005 completed on 30 January


def test_heatmap_figures(flow_env: Path) -> None:
    at = run_page()
    grid = table(at, "Total").set_index("Team")
    week = f"{ff.AS_OF:%-d %b %Y}"
    assert list(grid.columns)[-2:] == [week, "Total"]
    assert len(grid.columns) == 12 + 1  # one column per week, then the total
    assert grid.loc["Review Team 2", week] == 7
    assert grid.loc["Review Team 1", week] == 4
    assert (grid["Total"] == grid.drop(columns="Total").sum(axis=1)).all()


def test_a_long_flag_list_is_cut_short_with_a_count() -> None:
    officers = pd.DataFrame(
        {"officer_ref": [f"PPO-{n:04d}" for n in range(1, 36)], "overloaded": [True] * 35}
    )
    line = flagged_refs(officers, "overloaded")
    assert line.startswith("PPO-0001, PPO-0002, ")
    assert "PPO-0030 and 5 more (see the flags in the table above)" in line
    assert "PPO-0031" not in line
    assert flagged_refs(officers.head(3), "overloaded") == "PPO-0001, PPO-0002, PPO-0003"
    assert flagged_refs(officers.assign(overloaded=False), "overloaded") == "none"


def test_capacity_against_demand(flow_env: Path) -> None:
    at = run_page()
    assert at.number_input(key="wl_horizon").value == 8  # 55 days to 30 April 2026
    # 5.425 available FTE x 8 weeks x 30 hours; 17 cases left x (42 hours / 15 completed).
    assert metric(at, "Capacity (hours)") == "1,302"
    assert metric(at, "Demand (hours)") == "48"
    assert metric(at, "Gap (hours)") == "+1,254"
    shown = everything_shown(at)
    assert "productive hours per fte week" in shown  # the assumption beside the figures
    at.number_input(key="wl_horizon").set_value(1).run()
    assert metric(at, "Capacity (hours)") == "163"


def test_abstraction_figures(flow_env: Path) -> None:
    at = run_page()
    weekly = table(at, "Annual leave").set_index("Week ending")
    assert weekly.loc[ff.AS_OF, "Annual leave"] == 5.0
    assert weekly.loc[ff.AS_OF, "Other"] == 1.0  # 3 March counts once, under "other"
    assert weekly.loc[ff.AS_OF, "Training"] == 0.5
    assert weekly.loc[ff.AS_OF - timedelta(weeks=2), "Sickness"] == 4.0
    assert weekly.loc[ff.AS_OF, "FTE days in post"] == pytest.approx(31.5)


@pytest.mark.parametrize("role", ["planner", "analyst"])
def test_team_level_roles_see_no_officer_refs(flow_env: Path, role: str) -> None:
    at = run_page(role)
    assert "PPO-" not in everything_shown(at)
    assert not [df for df in at.dataframe if "Officer" in df.value.columns]
    teams = table(at, "Officers in post").set_index("Team")
    assert teams.loc["Review Team 2", "Open cases"] == 10
    assert teams.loc["Review Team 2", "Officers with no recent completion"] == 1
    assert metric(at, "Open cases") == "13"
    at.number_input(key="wl_overload").set_value(4).run()
    assert not at.exception
    assert "PPO-" not in everything_shown(at)
    assert metric(at, "Overloaded") == "1"


def test_commander_sees_officer_refs(flow_env: Path) -> None:
    assert "PPO-0003" in everything_shown(run_page())


# ---- the synthetic demo ----------------------------------------------------------------------


def demo_extract(demo_dir: Path, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = demo_dir / "extracts" / as_of.isoformat()
    cases = pd.read_csv(folder / "cases.csv", parse_dates=["completed_date"])
    officers = pd.read_csv(folder / "officers.csv")
    return cases, officers


def test_demo_matches_the_extract(demo_env: Path) -> None:
    at = run_page()
    snap = latest(demo_env)
    cases, officers = demo_extract(demo_env, snap.as_of)
    cases = cases.merge(officers[["officer_ref", "team"]], on="officer_ref", how="left")
    start = pd.Timestamp(snap.as_of - timedelta(days=27))
    recent = cases[cases["completed_date"] >= start]
    teams = table(at, "Officers in post").set_index("Team")
    # Teams with nothing to count (e.g. a reinvestigation team) show 0.
    completed = recent["team"].value_counts().reindex(teams.index, fill_value=0)
    assert teams["Completed, last 4 weeks"].to_dict() == completed.to_dict()
    assert set(recent["team"]) <= set(teams.index)
    open_cases = cases[cases["status"].isin(["allocated", "in_assessment"])]
    held = open_cases["team"].value_counts().reindex(teams.index, fill_value=0)
    assert teams["Open cases"].to_dict() == held.to_dict()
    assert set(open_cases["team"]) <= set(teams.index)
    shown = table(at, "Officer").set_index("Officer")["Open cases"]
    expected = open_cases["officer_ref"].value_counts()
    assert shown[shown > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    assert metric(at, "Completed in 4 weeks") == f"{len(recent):,}"


def test_demo_planner_sees_no_officer_refs(demo_env: Path) -> None:
    at = run_page("planner")
    assert "PPO-" not in everything_shown(at)
    assert "PPO-" in everything_shown(run_page("commander"))


# ---- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("snapshot", [d.isoformat() for d in ff.AS_OFS])
def test_every_fixture_snapshot_renders(flow_env: Path, snapshot: str) -> None:
    for role in ("commander", "planner"):
        run_page(role, snapshot=snapshot)


def test_nothing_completed_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ff.build_flow_programme(tmp_path / "data", (ff.AS_OF,), ff.NOTHING_DONE)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    at = run_page()
    assert metric(at, "Demand (hours)") == "—"
    assert metric(at, "Gap (hours)") == "—"
    # Nobody has completed anything: everyone in post for 2 weeks and not on leave is flagged.
    assert flagged(at, "No recent completion") == "PPO-0001, PPO-0002, PPO-0003, PPO-0004, PPO-0005"


def test_demo_first_snapshot_renders(demo_env: Path) -> None:
    run_page(snapshot="2025-11-07")
    run_page("analyst", snapshot="2025-11-07")
