"""The coupled forecast: measured inputs match an independent recount, assumptions switch to
measurements at the threshold, more investigators never raise the unmet demand, a v1 extract
gives a labelled plan, the same seed gives the same plan, and no change is the headline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from reassess.config import programme
from reassess.figures.forecast import clear_cache, headline
from reassess.figures.reinvestigation_plan import (
    assumptions,
    coupled_for,
    coupled_plan,
    reinvestigation_input,
    unmet_table,
)
from reassess.figures.scenarios import position_for, run_scenario
from reassess.model.inputs import Officer, PlannedChange
from reassess.model.reinvestigation import (
    MIN_SAMPLE,
    ReinvestigationInput,
    ReinvestigationLevers,
    month_starts,
    run_coupled,
    time_to_open,
)
from reassess.model.scenarios import ScenarioInput
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf

AS_OF = date(2026, 3, 6)


def snap_of(data_dir: Path, label: str) -> SnapshotInfo:
    snap = list_snapshots(data_dir / "snapshots").get(label)
    assert snap is not None
    return snap


def tables(snap: SnapshotInfo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The snapshot's cases and reinvestigations, read straight from the file."""
    with duckdb.connect(str(snap.path), read_only=True) as con:
        return con.sql("select * from cases").df(), con.sql("select * from reinvestigations").df()


def synthetic_input(**changes: object) -> ReinvestigationInput:
    """A hand-made input: 30 referrals waiting 10 days, 40 open, no closed ones."""
    base = ReinvestigationInput(
        as_of=AS_OF,
        assessed=1000,
        referred=150,
        awaiting_referral=0,
        open_now=40,
        active_now=70,
        active_isva_accepted=35,
        resolution=((10, "waiting", 30), (20, "opened", 40), (15, "closed_unopened", 80)),
        closed_investigated=0,
        closed_with_hours=0,
        closed_hours=0.0,
        closed_months=0.0,
        open_months=80.0,
        officers=(Officer("team", 4.0, date(2026, 1, 5), None, "reinvestigation"),),
        planned_changes=(),
        assumptions=assumptions(programme()),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def completions(weekly: float, trials: int = 500, weeks: int = 60) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.poisson(weekly, (trials, weeks)).astype(np.float64)


# --------------------------------------------------------------------------- the recount


def aalen_johansen(days: pd.Series, outcome: pd.Series) -> pd.DataFrame:
    """An independent, loop-based cumulative incidence of opening and closing unopened."""
    frame = pd.DataFrame({"days": days, "outcome": outcome})
    survival, f_open, f_close, rows = 1.0, 0.0, 0.0, []
    at_risk = len(frame)
    for day, group in frame.groupby("days", sort=True):
        opened = int((group["outcome"] == "opened").sum())
        closed = int((group["outcome"] == "closed_unopened").sum())
        f_open += survival * opened / at_risk
        f_close += survival * closed / at_risk
        survival *= 1 - (opened + closed) / at_risk
        at_risk -= len(group)
        rows.append((int(day), f_open, f_close))
    return pd.DataFrame(rows, columns=["day", "open", "close"]).set_index("day")


@pytest.mark.parametrize("label", ["2026-03-06", "2026-06-26"])
def test_measured_inputs_match_a_pandas_recount(demo_dir: Path, label: str) -> None:
    snap = snap_of(demo_dir, label)
    cases, reinv = tables(snap)
    inp = reinvestigation_input(Database(), snap, programme())
    assessed = int(cases["completed_date"].notna().sum())
    assert (inp.assessed, inp.referred) == (assessed, len(reinv))
    plan = coupled_plan(Database(), snap, programme=programme(), trials=500)
    assert plan.referral_rate_measured
    assert plan.referral_rate == pytest.approx(len(reinv) / assessed)
    waiting_refs = set(cases.loc[cases["outcome"] == "reinvestigate", "case_ref"]) - set(
        reinv["case_ref"]
    )
    assert inp.awaiting_referral == len(waiting_refs)
    # effort: hours of closed reinvestigations that were opened
    closed = reinv[reinv["opened_date"].notna() & reinv["closed_date"].notna()]
    with_hours = closed[closed["hours_spent"].notna()]
    assert inp.closed_with_hours == len(with_hours)
    assert inp.closed_hours == pytest.approx(with_hours["hours_spent"].sum())
    opened = reinv[reinv["opened_date"].notna()]
    until = pd.to_datetime(opened["closed_date"]).fillna(pd.Timestamp(snap.as_of))
    months = (until - pd.to_datetime(opened["opened_date"])).dt.days.sum() / (365.25 / 12)
    assert inp.open_months == pytest.approx(months)
    # time to open: waiting referrals censored at the as-of date
    end = (
        pd.to_datetime(reinv["opened_date"])
        .fillna(pd.to_datetime(reinv["closed_date"]))
        .fillna(pd.Timestamp(snap.as_of))
    )
    days = (end - pd.to_datetime(reinv["referred_date"])).dt.days
    outcome = np.where(
        reinv["opened_date"].notna(),
        "opened",
        np.where(reinv["closed_date"].notna(), "closed_unopened", "waiting"),
    )
    expected = aalen_johansen(days, pd.Series(outcome))
    curves = time_to_open(inp.resolution)
    assert curves is not None
    f_open, f_close = curves
    for day, row in expected.iterrows():
        assert f_open[int(str(day))] == pytest.approx(row["open"])
        assert f_close[int(str(day))] == pytest.approx(row["close"])
    total = float(expected["open"].iloc[-1])
    median = int(expected.index[(expected["open"] >= total / 2 - 1e-12).to_numpy()][0])
    assert plan.median_days_to_open == median


# --------------------------------------------------------------------------- assumed vs measured


@pytest.mark.parametrize("closed", [MIN_SAMPLE - 1, MIN_SAMPLE])
def test_effort_switches_from_assumed_to_measured_at_the_threshold(closed: int) -> None:
    inp = synthetic_input(
        closed_investigated=closed,
        closed_with_hours=closed,
        closed_hours=closed * 200.0,
        closed_months=closed * 4.0,
    )
    plan = run_coupled(inp, completions(30))
    if closed < MIN_SAMPLE:
        assert not plan.effort_measured
        assert plan.hours_per_reinvestigation == programme().investigator_hours_per_reinvestigation
        assert plan.effort_basis.startswith("assumed")
        assert "reinvestigations have closed" in plan.statement()
    else:
        assert plan.effort_measured
        assert plan.hours_per_reinvestigation == pytest.approx(200.0)
        assert plan.effort_basis.startswith(f"measured from {MIN_SAMPLE} closed reinvestigations")
        assert f"measured from {MIN_SAMPLE} closed reinvestigations" in plan.statement()


@pytest.mark.parametrize("referred", [MIN_SAMPLE - 1, MIN_SAMPLE])
def test_referral_rate_switches_at_the_threshold(referred: int) -> None:
    plan = run_coupled(synthetic_input(referred=referred), completions(30))
    assert plan.referral_rate_measured is (referred >= MIN_SAMPLE)
    expected = (
        referred / 1000 if referred >= MIN_SAMPLE else programme().referral_rate_reinvestigation
    )
    assert plan.referral_rate == pytest.approx(expected)


def test_time_to_open_needs_enough_resolved_referrals() -> None:
    few = ((5, "opened", MIN_SAMPLE - 1), (3, "waiting", 100))
    assert time_to_open(few) is None
    plan = run_coupled(synthetic_input(resolution=few), completions(30))
    assert not plan.time_to_open_measured and plan.median_days_to_open is None
    assert plan.time_to_open_basis.startswith("assumed")


# --------------------------------------------------------------------------- levers


def test_more_investigators_never_raise_unmet_demand_and_lower_it_when_short() -> None:
    inp = synthetic_input()
    c = completions(40)
    previous = None
    for extra in (0, 2, 5, 10, 20, 40, 80):
        plan = run_coupled(inp, c, ReinvestigationLevers(extra_investigators=extra))
        unmet = np.array([m.unmet_fte for m in plan.months])
        needed = np.array([m.fte_needed for m in plan.months])
        if previous is not None:
            assert (unmet <= previous + 1e-12).all()
            short = previous > 0
            assert (unmet[short] < previous[short]).all()
        # the demand itself does not depend on the team in post
        assert needed == pytest.approx([m.fte_needed for m in run_coupled(inp, c).months])
        previous = unmet
    assert previous is not None and previous.max() == 0
    assert run_coupled(inp, c).peak_unmet_fte > 0


def test_investigators_count_from_their_start_date() -> None:
    inp = synthetic_input()
    months = month_starts(AS_OF)
    later = ReinvestigationLevers(extra_investigators=10, investigators_from=months[3])
    plan = run_coupled(inp, completions(40), later)
    base = run_coupled(inp, completions(40))
    in_post = [m.fte_in_post - b.fte_in_post for m, b in zip(plan.months, base.months, strict=True)]
    assert in_post[:3] == [0, 0, 0] and in_post[3:] == pytest.approx([10] * 9)


def test_planned_changes_after_the_as_of_date_add_capacity() -> None:
    change = PlannedChange(date(2026, 5, 1), 6.0, "test", workstream="reinvestigation")
    before = PlannedChange(date(2026, 2, 1), 6.0, "test", workstream="reinvestigation")
    other = PlannedChange(date(2026, 5, 1), 6.0, "test")
    plan = run_coupled(synthetic_input(planned_changes=(change, before, other)), completions(5))
    assert [m.fte_in_post for m in plan.months[:3]] == pytest.approx([4, 4 + 6, 10])


def test_extra_isvas_add_to_those_in_post() -> None:
    plan = run_coupled(synthetic_input(), completions(5), ReinvestigationLevers(extra_isvas=3))
    assert {m.isvas_in_post for m in plan.months} == {programme().isvas_in_post + 3}
    m = plan.months[0]
    assert m.isvas_needed_low * 20 == pytest.approx(m.isvas_needed_high * 15)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    inp = synthetic_input()
    c = completions(30)
    assert run_coupled(inp, c) == run_coupled(inp, c)
    assert run_coupled(inp, c, seed=1).months != run_coupled(inp, c, seed=2).months


def test_the_band_holds_the_median() -> None:
    plan = run_coupled(synthetic_input(), completions(30))
    for m in plan.months:
        assert m.open_p10 <= m.open_p50 <= m.open_p90
    assert len(plan.months) == 12
    assert plan.months[0].month == date(2026, 4, 1)


# --------------------------------------------------------------------------- snapshots


def test_a_v1_extract_gives_a_plan_with_the_assumptions_labelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    snap = snap_of(fx.data_dir, "2026-03-06")
    plan = coupled_plan(Database(), snap, programme=programme())
    assert len(plan.months) == 12
    assert not plan.referral_rate_measured and not plan.effort_measured
    assert not plan.time_to_open_measured and plan.median_days_to_open is None
    assert "assumed" in plan.statement()
    assert plan.referral_rate == programme().referral_rate_reinvestigation
    assert all(np.isfinite([m.open_p50, m.fte_needed, m.unmet_cost_gbp]).all() for m in plan.months)
    # cases already assessed as "reinvestigate" are waiting to be referred: they are demand
    assert plan.months[0].referrals >= int((fx.cases["outcome"] == "reinvestigate").sum())
    assert list(unmet_table([("Current plan", plan)])["Month"])[0] == "April 2026"


def test_no_change_is_the_headline_coupled_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    snap = snap_of(fx.data_dir, "2026-03-06")
    prog = programme()
    db = Database()
    head = coupled_plan(db, snap, programme=prog)
    inp = ScenarioInput.from_programme(snap.as_of, prog, name="No change")
    result = run_scenario(db, snap, prog, inp, position_for(db, snap, "planner"), coupled=True)
    assert result.coupled == head
    clear_cache()  # computed afresh, not only the same cached object
    again = coupled_for(Database(), snap, prog, headline(Database(), snap, prog))
    assert again == head
    more = replace(inp, extra_investigators=15, investigators_from=snap.as_of + timedelta(days=3))
    added = run_scenario(
        db, snap, prog, more, position_for(db, snap, "planner"), coupled=True
    ).coupled
    assert added is not None and added.peak_unmet_fte < head.peak_unmet_fte


def test_referrals_waiting_longer_than_the_assumed_wait_open_in_the_first_month() -> None:
    a = assumptions(programme())
    inp = synthetic_input(resolution=((100, "waiting", 15),), open_now=0, active_now=15)
    plan = run_coupled(inp, np.zeros((2000, 60)))
    assert not plan.time_to_open_measured
    first = plan.months[0]
    assert first.opened == pytest.approx(15 * a.open_share, rel=0.05)
    assert sum(m.opened for m in plan.months[1:]) == 0


def test_the_sentences_say_met_or_short_and_the_isva_range() -> None:
    inp = synthetic_input()
    short = run_coupled(inp, completions(40))
    met = run_coupled(inp, completions(40), ReinvestigationLevers(extra_investigators=500))
    assert short.statement().startswith(
        "Over the next 12 months reinvestigation demand exceeds the investigators in post by up to"
    )
    assert met.statement().startswith(
        "Over the next 12 months the investigators in post meet the expected reinvestigation demand"
    )
    low, high = short.peak_isvas_needed
    assert 0 < low < high
    assert (
        "ISVAs are needed in any of the next 12 months, as the forecast opens and closes "
        "reinvestigations (at 15–20 cases each, with 50% of victims" in (short.isva_statement())
    )
    assert short.isva_statement().endswith(f"against {programme().isvas_in_post} in post.")
