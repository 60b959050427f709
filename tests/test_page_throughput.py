"""The throughput page and its queries, on a known-answer programme and on the synthetic demo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import AccessDenied
from reassess.snapshot.runner import Database
from tests import flow_fixtures as ff
from tests.page_helpers import latest, metric, open_page, table

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "throughput.py")
QUERIES: dict[str, dict[str, Any]] = {
    "throughput_completed_by_team": {"as_of": ff.AS_OF, "weeks": 12},
    "throughput_completed_by_bcu": {"as_of": ff.AS_OF, "weeks": 12},
    "throughput_cycle_time": {"as_of": ff.AS_OF, "weeks": 12},
    "throughput_ageing_wip": {"as_of": ff.AS_OF},
    "throughput_oldest_wip": {"as_of": ff.AS_OF, "limit": 20},
    "throughput_qa_turnaround": {"as_of": ff.AS_OF, "weeks": 8},
}


@pytest.fixture(scope="module")
def flow_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ff.build_flow_programme(tmp_path_factory.mktemp("flow-throughput"))


@pytest.fixture
def flow_env(flow_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(flow_dir))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield flow_dir


def run_page(role: str = "commander", **query: str) -> AppTest:
    return open_page(PAGE, role, **query)


def texts(at: AppTest) -> list[str]:
    """Every string the page shows: markdown, captions, metrics and every dataframe cell."""
    out = [m.value for m in at.markdown] + [c.value for c in at.caption]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for df in at.dataframe:
        out.append(df.value.to_csv(index=False))
    return out


def fixture_cases(as_of: date = ff.AS_OF) -> pd.DataFrame:
    """The fixture's cases table, dates parsed, for independent pandas counts."""
    cases = ff.cases_on(as_of)
    for col in ("allocated_date", "started_date", "completed_date", "qa_date"):
        cases[col] = pd.to_datetime(cases[col])
    return cases


# ---- every new query runs on a fixture snapshot ----------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_fixture(flow_dir: Path, name: str) -> None:
    frame = Database().run(name, latest(flow_dir), role="commander", **QUERIES[name])
    assert len(frame) > 0


def test_case_list_is_refused_below_commander(flow_dir: Path) -> None:
    with pytest.raises(AccessDenied):
        Database().run(
            "throughput_oldest_wip",
            latest(flow_dir),
            role="planner",
            **QUERIES["throughput_oldest_wip"],
        )


def test_team_weeks_sum_to_weekly_flow(flow_dir: Path) -> None:
    db, snap = Database(), latest(flow_dir)
    by_team = db.run("throughput_completed_by_team", snap, role="planner", as_of=ff.AS_OF, weeks=12)
    by_bcu = db.run("throughput_completed_by_bcu", snap, role="planner", as_of=ff.AS_OF, weeks=12)
    flow = db.run("weekly_flow", snap, role="planner", as_of=ff.AS_OF, weeks=12)
    totals = flow.set_index("week_ending")["completed"]
    assert by_team.groupby("week_ending")["completed"].sum().equals(totals)
    assert by_bcu.groupby("week_ending")["completed"].sum().equals(totals)


# ---- known answers on the fixture ------------------------------------------------------------


def test_headline_figures(flow_env: Path) -> None:
    at = run_page()
    cases = fixture_cases()
    week = (cases["started_date"] >= pd.Timestamp(ff.WEEK_START)) & (
        cases["started_date"] <= pd.Timestamp(ff.AS_OF)
    )
    assert metric(at, "Completed this week") == "11"
    assert metric(at, "Started this week") == str(int(week.sum()))
    assert metric(at, "Awaiting QA") == "6"
    # QA turnaround: sign-offs in the last 8 weeks, median days from completion.
    signed = cases[cases["qa_date"] > pd.Timestamp(ff.AS_OF - timedelta(weeks=8))]
    days = (signed["qa_date"] - signed["completed_date"]).dt.days
    assert metric(at, "Signed off in 8 weeks") == str(len(signed))
    assert metric(at, "Median days to QA") == f"{days.quantile(0.5):.1f}"
    assert metric(at, "85th percentile days") == f"{days.quantile(0.85):.1f}"


def test_completed_by_team_in_the_week_ending_as_of(flow_env: Path) -> None:
    at = run_page()
    at.radio(key="tp_split").set_value("team").run()
    assert not at.exception
    weekly = table(at, "Review Team 2").set_index("Week ending")
    assert weekly.loc[ff.AS_OF, "Review Team 2"] == ff.COMPLETED_WEEK_ENDING_AS_OF["Review Team 2"]
    assert weekly.loc[ff.AS_OF, "Review Team 1"] == ff.COMPLETED_WEEK_ENDING_AS_OF["Review Team 1"]
    assert weekly.loc[ff.AS_OF, "Total"] == 11
    assert at.query_params["split"] in ("team", ["team"])


def test_split_from_the_link(flow_env: Path) -> None:
    at = run_page(split="bcu")
    weekly = table(at, "CE").set_index("Week ending")
    cases = fixture_cases()
    done = cases[
        cases["completed_date"].between(pd.Timestamp(ff.WEEK_START), pd.Timestamp(ff.AS_OF))
    ]
    for bcu, n in done["bcu"].value_counts().items():
        assert weekly.loc[ff.AS_OF, bcu] == n


def test_unknown_split_in_the_link_warns(flow_env: Path) -> None:
    at = run_page(split="officer")
    assert any("not an option" in w.value for w in at.warning)
    assert at.radio(key="tp_split").value == "total"


def test_weekly_totals_agree_with_the_overview_query(flow_env: Path) -> None:
    at = run_page()
    shown = table(at, "Total").set_index("Week ending")["Total"]
    flow = Database().run(
        "weekly_flow", latest(flow_env), role="commander", as_of=ff.AS_OF, weeks=12
    )
    assert list(shown) == list(flow["completed"])
    assert list(shown.index) == [d.date() for d in pd.to_datetime(flow["week_ending"])]


def test_ageing_bands(flow_env: Path) -> None:
    at = run_page()
    bands = table(at, "Age since started").set_index("Age since started")
    assert bands.loc["4-8 weeks", "In assessment"] == 1  # FLW-0103, 40 days
    assert list(bands["In assessment"]) == [1, 1, 1, 1, 1]
    assert list(bands["Awaiting QA"]) == [6, 0, 0, 0, 0]


def test_commander_sees_the_oldest_cases_after_giving_a_reason(flow_env: Path) -> None:
    at = run_page()
    assert not [df for df in at.dataframe if "case_ref" in df.value.columns]
    assert not at.get("download_button")
    assert not [b for b in at.button if b.label.startswith("Download")]
    at.text_input(key="tp_oldest_reason").input("weekly review of old cases").run()
    assert not at.exception
    oldest = table(at, "Case reference").set_index("Case reference")
    assert oldest.loc[ff.AGE_40_DAYS_CASE, "Days since allocation"] == 40
    assert list(oldest.index[:3]) == ["FLW-0108", "FLW-0112", "FLW-0103"]
    assert len(oldest) == 11  # every case in progress; fewer than 20
    assert oldest.loc["FLW-0108", "Officer"] == "PPO-0004"
    assert (
        len([d for d in at.get("download_button") if d.proto.label == "Download these cases (CSV)"])
        == 1
    )


def test_planner_sees_no_case_or_officer_refs(flow_env: Path) -> None:
    at = run_page("planner")
    assert not at.get("download_button")
    assert not [b for b in at.button if b.label.startswith("Download")]
    shown = "\n".join(texts(at))
    assert "FLW-" not in shown and "PPO-" not in shown
    assert any("commanders only" in c.value for c in at.caption)
    at.radio(key="tp_split").set_value("team").run()
    assert not at.exception
    assert "Review Team 2" in table(at, "Total").columns


def test_cycle_time_matches_pandas(flow_env: Path) -> None:
    at = run_page()
    shown = table(at, "Group").set_index("Group")
    cases = fixture_cases()
    done = cases[cases["completed_date"] > pd.Timestamp(ff.AS_OF - timedelta(weeks=12))]
    alloc = (done["completed_date"] - done["allocated_date"]).dt.days
    started = (done["completed_date"] - done["started_date"]).dt.days
    row = shown.loc["all cases"]
    assert row["Assessments"] == len(done)
    assert row["From allocation: median days"] == pytest.approx(alloc.quantile(0.5))
    assert row["From allocation: 85th percentile"] == pytest.approx(alloc.quantile(0.85))
    assert row["From start: 85th percentile"] == pytest.approx(started.quantile(0.85))
    high = done["priority"] == "high"
    assert shown.loc["priority: high", "From allocation: median days"] == pytest.approx(
        alloc[high].quantile(0.5)
    )


def test_earlier_snapshot_from_the_link(flow_env: Path) -> None:
    at = run_page(snapshot="2026-02-27")
    assert metric(at, "Completed this week") == "3"


# ---- the synthetic demo ----------------------------------------------------------------------


def demo_extract(demo_dir: Path, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = demo_dir / "extracts" / as_of.isoformat()
    cases = pd.read_csv(folder / "cases.csv", parse_dates=["completed_date", "started_date"])
    officers = pd.read_csv(folder / "officers.csv")
    return cases, officers


def test_demo_completed_by_team_matches_the_extract(demo_env: Path) -> None:
    at = run_page()
    at.radio(key="tp_split").set_value("team").run()
    assert not at.exception
    shown = table(at, "Review Team 1").set_index("Week ending")
    snap = latest(demo_env)
    cases, officers = demo_extract(demo_env, snap.as_of)
    done = cases.merge(officers[["officer_ref", "team"]], on="officer_ref")
    for week_ending in shown.index[-4:]:
        start = pd.Timestamp(week_ending - timedelta(days=6))
        in_week = done[done["completed_date"].between(start, pd.Timestamp(week_ending))]
        expected = in_week["team"].value_counts()
        for team, n in expected.items():
            assert shown.loc[week_ending, team] == n, (week_ending, team)
        assert shown.loc[week_ending, "Total"] == len(in_week)


def test_demo_weekly_totals_agree_with_the_overview(demo_env: Path) -> None:
    from reassess.figures.status import weekly_completions

    at = run_page()
    shown = table(at, "Total")["Total"]
    snap = latest(demo_env)
    assert tuple(int(x) for x in shown) == weekly_completions(Database(), snap, "commander", 12)
    assert metric(at, "Completed in 12 weeks") == f"{int(shown.sum()):,}"


def test_demo_ageing_matches_the_extract(demo_env: Path) -> None:
    at = run_page()
    snap = latest(demo_env)
    cases, _ = demo_extract(demo_env, snap.as_of)
    wip = cases[cases["status"].isin(["in_assessment", "awaiting_qa"])]
    age = (pd.Timestamp(snap.as_of) - wip["started_date"]).dt.days
    bands = table(at, "Age since started")
    assert bands["Total"].sum() == len(wip)
    assert (
        bands.set_index("Age since started").loc["13 weeks or more", "Total"] == (age >= 91).sum()
    )


# ---- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("snapshot", [d.isoformat() for d in ff.AS_OFS])
def test_every_fixture_snapshot_renders(flow_env: Path, snapshot: str) -> None:
    for role in ("commander", "planner"):
        run_page(role, snapshot=snapshot, split="team")


def test_nothing_completed_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ff.build_flow_programme(tmp_path / "data", (ff.AS_OF,), ff.NOTHING_DONE)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    at = run_page()
    assert metric(at, "Completed this week") == "0"
    assert metric(at, "Median days to QA") == "—"
    assert any("No assessment was completed" in i.value for i in at.info)


def test_demo_first_snapshot_renders(demo_env: Path) -> None:
    run_page(snapshot="2025-11-07", split="bcu")
