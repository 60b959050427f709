"""The scenario baseline read from snapshots: known answers, the overview's numbers, the demo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from reassess.figures.baseline import (
    BaselineError,
    baseline_for,
    completion_curves,
    default_start,
    find_officers,
    isva_capacity,
    isva_range,
    isva_shortfall,
    isvas_for,
    pipeline_table,
    recorded_abstraction,
    results_table,
    target_passed,
)

from reassess.config import programme
from reassess.figures.status import compute_status
from reassess.model.scenarios import ScenarioInput, officers_needed_with_reason, run_scenario
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database, Query
from tests import resource_fixtures as rf

RESOURCE_QUERIES = ("resources_weekly_fte", "resources_referrals")


def only_snapshot(fx: rf.Fixture) -> SnapshotInfo:
    return list_snapshots(fx.snapshot_dir).snapshots[-1]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> rf.Fixture:
    return rf.build_mixed(tmp_path_factory.mktemp("mixed"))


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory) -> rf.Fixture:
    return rf.build_steady(tmp_path_factory.mktemp("steady"))


@pytest.mark.parametrize("name", RESOURCE_QUERIES)
@pytest.mark.parametrize("role", ["commander", "planner", "analyst"])
def test_every_resources_query_runs_on_a_fixture(mixed: rf.Fixture, name: str, role: str) -> None:
    db = Database()
    snap = only_snapshot(mixed)
    params = {"as_of": snap.as_of, "weeks": 8} if db.query(name).params else {}
    frame = db.run(name, snap, role=role, **params)
    assert len(frame) > 0
    assert db.query(name).access == "aggregate"
    assert db.query(name).counts  # may pass through disclosure control


def test_available_fte_per_week_known_answer(mixed: rf.Fixture) -> None:
    snap = only_snapshot(mixed)
    frame = Database().run("resources_weekly_fte", snap, role="planner", as_of=rf.AS_OF, weeks=8)
    assert [d for d in pd.to_datetime(frame["week_ending"]).dt.date] == list(rf.WEEK_ENDINGS)
    assert frame["available_fte"].round(6).tolist() == list(rf.MIXED_AVAILABLE_FTE)
    assert frame["fte_in_post"].round(6).tolist() == list(rf.MIXED_IN_POST_FTE)
    assert frame["fte_abstracted"].round(6).tolist() == list(rf.MIXED_ABSTRACTED_FTE)
    assert frame["officers"].tolist() == list(rf.MIXED_OFFICERS_ACTIVE)
    # recorded abstraction = abstracted / in post over the window
    assert recorded_abstraction(frame) == pytest.approx(1.64 / sum(rf.MIXED_IN_POST_FTE))


def test_baseline_known_answer(mixed: rf.Fixture) -> None:
    b = baseline_for(Database(), only_snapshot(mixed), programme(), "planner")
    cases = mixed.cases
    done = cases[cases["completed_date"].notna()]
    assert b.as_of == rf.AS_OF
    assert b.weekly_completions == rf.MIXED_WEEKLY
    assert b.weekly_available_fte == pytest.approx(rf.MIXED_AVAILABLE_FTE)
    assert b.current_fte == pytest.approx(rf.MIXED_CURRENT_FTE)
    assert (b.remaining, b.assessed, b.in_scope) == (rf.MIXED_REMAINING, len(done), len(cases))
    assert dict(b.referrals_so_far) == {
        "reinvestigate": int((cases["outcome"] == "reinvestigate").sum()),
        "safeguarding_referral": int((cases["outcome"] == "safeguarding_referral").sum()),
        "victim_support": int((cases["victim_support"] == "referred").sum()),
    }
    assert b.hours_per_case == pytest.approx(done["hours_spent"].mean())


def test_a_window_week_with_completions_and_no_officers_is_explained(tmp_path: Path) -> None:
    officers = rf.MIXED_OFFICERS[rf.MIXED_OFFICERS["officer_ref"] == "OFF-C"]
    officers = officers.assign(start_date="2026-02-16")  # nobody in post before 16 February
    fx = rf.build(
        tmp_path, rf.cases_for(rf.MIXED_WEEKLY, 5, ["OFF-C"]), officers, rf.MIXED_ABSTRACTIONS[:0]
    )
    with pytest.raises(BaselineError, match=r"week ending 16 January 2026, 3 assessments"):
        baseline_for(Database(), only_snapshot(fx), programme(), "planner")


def test_zero_extra_officers_reproduces_the_overview_on_a_steady_team(steady: rf.Fixture) -> None:
    db, snap, prog = Database(), only_snapshot(steady), programme()
    status = compute_status(db, snap, None, prog)
    b = baseline_for(db, snap, prog, "planner")
    assert b.weekly_completions == status.weekly_completions == rf.STEADY_WEEKLY
    assert b.remaining == status.kpis["in_scope"] - status.kpis["assessed"] == rf.STEADY_REMAINING
    result = run_scenario(b, ScenarioInput.from_programme(b, prog, attrition_per_year=0.0))
    f = status.forecast
    assert f.status == result.status == "ok"
    assert (result.p50, result.p85, result.p95) == (f.p50, f.p85, f.p95)
    assert result.prob_by_target == f.prob_by_target
    assert result.week_counts == f.week_counts


@pytest.mark.slow
@pytest.mark.parametrize("as_of", ["2026-05-29", "2026-06-26"])
def test_the_demo_baseline_uses_the_overviews_numbers(demo_dir: Path, as_of: str) -> None:
    """On the demo, the baseline samples the very weeks the overview's forecast samples; with
    those weeks staffed as the current team is expected to be (the configured abstraction, no
    attrition) and no scope change in the window, the dates are the overview's exactly. With
    the FTE recorded week by week they differ by design (see reassess/figures/baseline.py)."""
    db, prog = Database(), programme()
    snap = list_snapshots(demo_dir / "snapshots").get(as_of)
    assert snap is not None
    status = compute_status(db, snap, None, prog)
    b = baseline_for(db, snap, prog, "planner")
    assert b.weekly_completions == status.weekly_completions
    assert b.remaining == status.kpis["in_scope"] - status.kpis["assessed"]
    extract = pd.read_csv(demo_dir / "extracts" / as_of / "cases.csv")
    assert b.remaining == int(extract["completed_date"].isna().sum())
    assert b.referrals_so_far["reinvestigate"] == int((extract["outcome"] == "reinvestigate").sum())
    history = db.run("scope_history", snap, role="planner")
    assert set(history["in_scope"].tail(b.window_weeks + 1)) == {status.kpis["in_scope"]}
    inp = ScenarioInput.from_programme(b, prog, attrition_per_year=0.0)
    steady_b = replace(
        b, weekly_available_fte=(b.current_fte * (1 - inp.abstraction_rate),) * b.window_weeks
    )
    result = run_scenario(steady_b, inp)
    f = status.forecast
    assert (result.p50, result.p85, result.p95) == (f.p50, f.p85, f.p95)
    assert result.prob_by_target == f.prob_by_target


def test_find_officers_is_officers_needed_with_its_cost(steady: rf.Fixture) -> None:
    prog = programme()
    b = baseline_for(Database(), only_snapshot(steady), prog, "planner")
    inp = ScenarioInput.from_programme(
        b, prog, start_date=default_start(b.as_of), target_date=date(2026, 5, 29), trials=2000
    )
    answer = find_officers(b, inp, 0.85)
    need = officers_needed_with_reason(b, inp, 0.85)
    assert answer.extra_officers == need.extra_officers
    n = answer.extra_officers
    assert n is not None and n > 0
    assert answer.prob_by_target == need.prob_by_target >= 0.85
    assert answer.cost_per_year == n * 65_000
    weeks = (date(2026, 5, 29) - date(2026, 3, 13)).days / 7
    assert answer.cost_to_finish == pytest.approx(n * 65_000 * weeks / 52)
    assert answer.available_fte_now == pytest.approx(8.0)
    assert answer.available_fte_needed == pytest.approx((10 + n) * 0.8)
    with_n = run_scenario(b, replace(inp, extra_officers=n))
    assert with_n.prob_by_target >= 0.85
    assert run_scenario(b, replace(inp, extra_officers=n - 1)).prob_by_target < 0.85


def test_target_passed_and_default_start() -> None:
    assert default_start(date(2026, 6, 26)) == date(2026, 7, 3)
    assert target_passed(date(2026, 6, 26), date(2026, 4, 30))
    assert target_passed(date(2026, 4, 24), date(2026, 4, 30))  # less than a whole week left
    assert not target_passed(date(2026, 4, 23), date(2026, 4, 30))


def test_tables_and_curves_follow_the_results(steady: rf.Fixture) -> None:
    prog = programme()
    b = baseline_for(Database(), only_snapshot(steady), prog, "planner")
    plan = ScenarioInput.from_programme(b, prog, name="Current plan", trials=1000)
    more = replace(plan, name="More", extra_officers=5, start_date=default_start(b.as_of))
    pairs = [(i, run_scenario(b, i)) for i in (plan, more)]
    table = results_table(pairs).set_index("Figure")
    for inp, r in pairs:
        column = table[inp.name]
        assert column["Extra officers"] == str(inp.extra_officers)
        assert column["Finish, 85% confidence (P85)"] == f"{r.p85.day} {r.p85:%B %Y}"
        assert column["Chance of finishing by the target"] == f"{r.prob_by_target:.0%}"
    curves = completion_curves([r for _, r in pairs])
    for _, r in pairs:
        rows = curves[curves["scenario"] == r.name]
        assert rows["share"].is_monotonic_increasing
        assert rows["share"].iloc[-1] == pytest.approx(1 - r.not_finished / 1000)
        reached = rows[rows["share"] >= 0.85]["week_ending"].iloc[0]
        assert reached == r.p85


def test_pipeline_table_totals(mixed: rf.Fixture) -> None:
    referrals = Database().run("resources_referrals", only_snapshot(mixed), role="planner")
    table = pipeline_table(referrals, 120.0)
    total = table.iloc[-1]
    assert total["Category"] == "All categories"
    assert (
        total["Referred for reinvestigation"] == (mixed.cases["outcome"] == "reinvestigate").sum()
    )
    assert total["Investigator hours needed"] == total["Referred for reinvestigation"] * 120
    assert (
        table["Assessed"].iloc[:-1].sum()
        == total["Assessed"]
        == mixed.cases["completed_date"].notna().sum()
    )


def test_the_warm_baseline_runs_no_query_again(
    steady: rf.Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline is a handful of cached queries: a second call executes none of them."""
    db, snap, prog = Database(), only_snapshot(steady), programme()
    first = baseline_for(db, snap, prog, "planner")
    executed: list[str] = []
    real = db._execute

    def counting(
        q: Query, snapshot: SnapshotInfo, compare: SnapshotInfo | None, params: dict[str, Any]
    ) -> pd.DataFrame:
        executed.append(q.name)
        return real(q, snapshot, compare, params)

    monkeypatch.setattr(db, "_execute", counting)
    again = baseline_for(db, snap, prog, "planner")
    assert executed == []
    assert again == first


def test_the_default_start_is_a_week_after_the_snapshot(steady: rf.Fixture) -> None:
    snap = only_snapshot(steady)
    assert default_start(snap.as_of) - snap.as_of == timedelta(weeks=1)


def test_isva_capacity_and_shortfall_by_hand() -> None:
    assert isva_capacity(12, (15, 20)) == {15: 180, 20: 240}
    # 230 referrals need ceil(230/15) = 16 or ceil(230/20) = 12 advisers: with 12 in post,
    # 4 more at 15 cases each and none at 20.
    needed = isvas_for(230, (15, 20))
    assert needed == {15: 16, 20: 12}
    assert isva_shortfall(needed, 12) == {15: 4, 20: 0}
    assert isva_range(isva_shortfall(needed, 12)) == "0–4"
    assert isva_range(isva_shortfall(needed, 20)) == "0"
