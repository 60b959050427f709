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
from reassess.config import programme
from reassess.figures.forecast import headline
from reassess.model.plan import run_plan
from reassess.model.workload import (
    capacity_note,
)
from reassess.present.charts.workload import flagged_refs
from reassess.snapshot.runner import Database
from tests import flow_fixtures as ff
from tests.model_fixtures import plan_input
from tests.page_helpers import latest, metric, open_page, table

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "workload.py")
WORKLOAD: dict[str, Any] = {"as_of": ff.AS_OF, "window_weeks": 4, "idle_weeks": 2, "overload": 25}
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


def test_capacity_is_the_planning_models() -> None:
    """Capacity in cases is the expected effective FTE-weeks times the measured pace; in hours,
    the expected available FTE-weeks times the productive hours; demand is the work left and
    the expected scope growth."""
    plan = run_plan(plan_input(remaining=900, scope_growth=4, abstraction=0.2))
    cap = plan.capacity(8)
    assert cap is not None and plan.pace is not None
    assert cap.weeks == 8 and cap.until == plan.as_of + timedelta(weeks=8)
    assert cap.capacity_hours == pytest.approx(cap.available_fte_weeks * 30.0)
    assert cap.capacity_cases == pytest.approx(plan.pace.level * cap.effective_fte_weeks)
    assert cap.demand_cases >= 900  # the work left and some scope growth
    assert cap.gap_cases == pytest.approx(cap.capacity_cases - cap.demand_cases)
    assert cap.available_fte == pytest.approx(cap.available_fte_weeks / 8)
    assert cap.available_fte_needed is not None and cap.available_fte_gap is not None
    assert cap.available_fte_gap == pytest.approx(cap.available_fte_needed - cap.available_fte)
    note = capacity_note(cap, "20% of in-post time (measured).")
    assert f"{cap.available_fte_weeks:,.1f} available FTE-weeks" in note
    assert f"{cap.demand_cases:,.0f} cases" in note
    longer = plan.capacity(16)
    assert longer is not None and longer.capacity_cases > cap.capacity_cases


def test_flagged_refs() -> None:
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
    snap = latest(flow_env)
    plan = headline(Database(), snap, programme())
    for weeks in (8, 1):
        if weeks != 8:
            at.number_input(key="wl_horizon").set_value(weeks).run()
        cap = plan.capacity(weeks)
        assert cap is not None
        assert metric(at, "Capacity (cases)") == f"{cap.capacity_cases:,.0f}"
        assert metric(at, "Demand (cases)") == f"{cap.demand_cases:,.0f}"
        assert metric(at, "Gap (cases)") == f"{cap.gap_cases:+,.0f}"
        assert metric(at, "Capacity (hours)") == f"{cap.capacity_hours:,.0f}"
        assert cap.demand_hours is not None
        assert metric(at, "Demand (hours)") == f"{cap.demand_hours:,.0f}"
    shown = everything_shown(at)
    assert "productive hours per fte week" in shown  # the assumption beside the figures
    assert "planning model" in shown


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
    assert not [n for n in at.number_input if n.key in ("wl_overload", "wl_idle_weeks")]


def team_counts(at: AppTest) -> list[tuple[str, int, int]]:
    teams = table(at, "Officers in post")
    return [
        (
            str(r["Team"]),
            int(r["Officers overloaded"]),
            int(r["Officers with no recent completion"]),
        )
        for _, r in teams.iterrows()
    ]


@pytest.mark.parametrize("role", ["planner", "analyst"])
def test_sweeping_the_thresholds_reveals_nothing_below_commander(flow_env: Path, role: str) -> None:
    """The attack: step "overloaded above" from 0 to 60 and read each team's overloaded count."""
    at = run_page(role)
    fixed = team_counts(at)
    for threshold in range(0, 61, 3):
        at.session_state["wl_overload"] = threshold  # what a widget would have set
        at.session_state["wl_idle_weeks"] = 1 + threshold % 26
        at.run()
        assert not at.exception
        assert team_counts(at) == fixed, threshold
    config = programme()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Overloaded above (open cases)"] == str(config.overload_open_cases)
    assert shown["No completion for (weeks)"] == str(config.idle_weeks)


def test_the_same_sweep_moves_the_counts_for_a_commander(flow_env: Path) -> None:
    """The commander sees every officer's caseload anyway, so may move the thresholds; the
    sweep above would have had something to find."""
    at = run_page()
    seen = set()
    for threshold in (0, 4, 60):
        at.number_input(key="wl_overload").set_value(threshold).run()
        assert not at.exception
        seen.add(tuple(c[1] for c in team_counts(at)))
    assert len(seen) == 3
    assert metric(at, "Overloaded") == "0"  # nobody holds over 60 open cases


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
    # No pace to measure: no capacity figure, and a sentence saying why (never a number)
    assert not [m for m in at.metric if m.label.startswith(("Capacity", "Demand", "Gap"))]
    plan = headline(Database(), latest(data), programme())
    assert plan.capacity(8) is None and plan.reason
    assert plan.reason in [i.value for i in at.info]
    # Nobody has completed anything: everyone in post for 2 weeks and not on leave is flagged.
    assert flagged(at, "No recent completion") == "PPO-0001, PPO-0002, PPO-0003, PPO-0004, PPO-0005"


def test_demo_first_snapshot_renders(demo_env: Path) -> None:
    run_page(snapshot="2025-11-07")
    run_page("analyst", snapshot="2025-11-07")
