"""Scenarios and the resource position read from snapshots, on the one planning model: known
answers on small fixtures, the headline exactly for an unchanged scenario, the assessment
workstream only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reassess.config import programme
from reassess.figures.forecast import clear_cache, headline, model_input, officers
from reassess.figures.scenarios import (
    completion_curves,
    default_start,
    isva_capacity,
    isva_range,
    isva_shortfall,
    isvas_for,
    pipeline_table,
    position_for,
    results_table,
    run_scenario,
    target_passed,
)
from reassess.figures.status import compute_status
from reassess.figures.team import team
from reassess.model.scenarios import ScenarioInput
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf

RESOURCE_QUERIES = ("resources_referrals", "model_weekly_fte")


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
    params: dict[str, Any] = {"as_of": snap.as_of, "weeks": 8} if db.query(name).params else {}
    frame = db.run(name, snap, role=role, **params)
    assert len(frame) > 0
    assert db.query(name).access == "aggregate"
    assert db.query(name).counts  # may pass through disclosure control


def test_available_fte_per_week_known_answer(mixed: rf.Fixture) -> None:
    snap = only_snapshot(mixed)
    # every officer is of the assessment workstream (no workstream column: assessment)
    frame = Database().run("model_weekly_fte", snap, role="planner", as_of=rf.AS_OF, weeks=8)
    assert [d for d in pd.to_datetime(frame["week_ending"]).dt.date] == list(rf.WEEK_ENDINGS)
    assert frame["available_fte"].round(6).tolist() == list(rf.MIXED_AVAILABLE_FTE)
    assert frame["fte_in_post"].round(6).tolist() == list(rf.MIXED_IN_POST_FTE)
    assert frame["fte_abstracted"].round(6).tolist() == list(rf.MIXED_ABSTRACTED_FTE)
    assert frame["officers"].tolist() == list(rf.MIXED_OFFICERS_ACTIVE)


def test_the_model_counts_only_officers_of_the_assessment_workstream(tmp_path: Path) -> None:
    """Two investigators on reinvestigations (contract v2 workstream) are in post all along:
    the resources query counts them, the model's weekly FTE and cohorts do not."""
    investigators = pd.DataFrame(
        {
            "officer_ref": ["OFF-X", "OFF-Y"],
            "team": ["Reinvestigation Team"] * 2,
            "role": ["detective_constable"] * 2,
            "fte": [1.0, 1.0],
            "start_date": ["2025-11-03"] * 2,
            "end_date": [None, None],
            "workstream": ["reinvestigation"] * 2,
        }
    )
    officers = pd.concat(
        [rf.MIXED_OFFICERS.assign(workstream="assessment"), investigators], ignore_index=True
    )
    fx = rf.build(
        tmp_path,
        rf.cases_for(rf.MIXED_WEEKLY, rf.MIXED_REMAINING, ["OFF-C", "OFF-F"]),
        officers,
        rf.MIXED_ABSTRACTIONS,
    )
    db, snap = Database(), only_snapshot(fx)
    model = db.run("model_weekly_fte", snap, role="planner", as_of=rf.AS_OF, weeks=8)
    assert model["fte_in_post"].round(6).tolist() == list(rf.MIXED_IN_POST_FTE)
    inp = model_input(db, snap, programme())
    assert {o.workstream for o in inp.officers} == {"assessment", "reinvestigation"}
    assert inp.history.headcount_fte[-8:] == pytest.approx(rf.MIXED_IN_POST_FTE)
    assert team(headline(db, snap, programme())).fte_in_post == pytest.approx(rf.MIXED_CURRENT_FTE)


def test_position_known_answer(mixed: rf.Fixture) -> None:
    p = position_for(Database(), only_snapshot(mixed), "planner")
    cases = mixed.cases
    done = cases[cases["completed_date"].notna()]
    assert p.as_of == rf.AS_OF
    assert (p.remaining, p.assessed, p.in_scope) == (rf.MIXED_REMAINING, len(done), len(cases))
    assert dict(p.referrals_so_far) == {
        "reinvestigate": int((cases["outcome"] == "reinvestigate").sum()),
        "safeguarding_referral": int((cases["outcome"] == "safeguarding_referral").sum()),
        "victim_support": int((cases["victim_support"] == "referred").sum()),
    }


def test_an_unchanged_scenario_is_the_headline_exactly(steady: rf.Fixture) -> None:
    db, snap, prog = Database(), only_snapshot(steady), programme()
    status = compute_status(db, snap, None, prog)
    position = position_for(db, snap, "planner")
    inp = ScenarioInput.from_programme(snap.as_of, prog, name="Unchanged")
    result = run_scenario(db, snap, prog, inp, position)
    f = status.forecast
    assert f.status == result.status == "ok"
    assert (result.p50, result.p85, result.p95) == (f.p50, f.p85, f.p95)
    assert result.prob_by_target == f.prob_by_target
    assert result.team_cost_to_completion == f.cost_to_p85
    assert (result.plan.finish_weeks == status.plan.finish_weeks).all()
    assert result.plan.name == "Unchanged" and status.plan.name == "Current plan"
    assert result.cost_per_year == 0 and result.cost_to_completion == 0


def test_a_lever_moves_the_dates_and_the_cost(steady: rf.Fixture) -> None:
    db, snap, prog = Database(), only_snapshot(steady), programme()
    position = position_for(db, snap, "planner")
    base = ScenarioInput.from_programme(snap.as_of, prog, name="base")
    plain = run_scenario(db, snap, prog, base, position)
    more = run_scenario(db, snap, prog, replace(base, name="more", extra_officers=5), position)
    away = run_scenario(db, snap, prog, replace(base, name="away", abstraction_rate=0.5), position)
    assert more.p85 is not None and plain.p85 is not None and away.p85 is not None
    assert more.p85 <= plain.p85 <= away.p85 and more.p85 < away.p85
    assert more.cost_per_year == 5 * prog.loaded_cost_per_fte
    assert more.cost_to_completion is not None and more.cost_to_completion > 0
    # the extra officers' share of the team's cost: start the Monday after, at the loaded rate
    assert more.plan.abstraction.rate == plain.plan.abstraction.rate
    assert away.plan.abstraction.rate == 0.5 and not away.plan.abstraction.measured
    table = results_table([(base, plain), (replace(base, extra_officers=5), more)])
    assert list(table.columns) == ["Figure", "base", "more"]
    assert table.set_index("Figure").loc["Extra officers", "more"] == "5"
    curves = completion_curves([plain, more])
    assert set(curves["scenario"]) == {"base", "more"}
    for r in (plain, more):
        share = curves[curves["scenario"] == r.name].set_index("week_ending")["share"]
        assert r.p50 is not None
        assert share[r.p50] >= 0.5 > share[r.p50 - timedelta(weeks=1)]


def test_the_officers_finder_meets_the_date_and_one_fewer_does_not(steady: rf.Fixture) -> None:
    db, snap, prog = Database(), only_snapshot(steady), programme()
    plan = headline(db, snap, prog)
    assert plan.p50 is not None
    finish_by = plan.p50 - timedelta(weeks=2)
    answer = officers(db, snap, prog, finish_by, confidence=0.85)
    n = answer.extra_officers
    assert n is not None and n > 0
    position = position_for(db, snap, "planner")
    base = ScenarioInput.from_programme(snap.as_of, prog, start_date=answer.start)
    with_n = run_scenario(db, snap, prog, replace(base, extra_officers=n), position)
    fewer = run_scenario(db, snap, prog, replace(base, extra_officers=n - 1), position)
    assert (with_n.plan.prob_by(finish_by) or 0) >= 0.85 > (fewer.plan.prob_by(finish_by) or 0)
    assert answer.curve and answer.curve[0].extra_officers == 0
    p85s = [p.p85 for p in answer.curve if p.p85 is not None]
    assert p85s == sorted(p85s, reverse=True)  # more officers never finish later
    limit = prog.recruitable_extra_officers
    assert answer.recruitable == limit
    assert bool(answer.warning) == (limit is not None and n > limit)


def test_target_passed_and_default_start() -> None:
    assert target_passed(date(2026, 4, 30), date(2026, 4, 30))
    assert target_passed(date(2026, 4, 25), date(2026, 4, 30))
    assert not target_passed(date(2026, 4, 23), date(2026, 4, 30))
    assert default_start(date(2026, 3, 6)) == date(2026, 3, 9)  # the Monday after a Friday


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


def test_the_warm_headline_is_reused(steady: rf.Fixture) -> None:
    db, snap, prog = Database(), only_snapshot(steady), programme()
    clear_cache()
    first = headline(db, snap, prog)
    assert headline(db, snap, prog) is first
    assert headline(db, snap, prog, prog.throughput_window_weeks) is first
    other = headline(db, snap, prog, 4)
    assert other is not first and other.window_weeks == 4


def test_isva_capacity_and_shortfall_by_hand() -> None:
    assert isva_capacity(12, (15, 20)) == {15: 180, 20: 240}
    # 230 referrals need ceil(230/15) = 16 or ceil(230/20) = 12 advisers: with 12 in post,
    # 4 more at 15 cases each and none at 20.
    needed = isvas_for(230, (15, 20))
    assert needed == {15: 16, 20: 12}
    assert isva_shortfall(needed, 12) == {15: 4, 20: 0}
    assert isva_range(isva_shortfall(needed, 12)) == "0–4"
    assert isva_range(isva_shortfall(needed, 20)) == "0"
