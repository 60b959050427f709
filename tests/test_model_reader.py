"""The planning model's reader: a PlanInput from snapshots built by the real ingest."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from reassess.config import programme
from reassess.figures.plan import (
    plan_input,
    plan_settings,
    recorded_history,
    track_record_cases,
    weeks_since_start,
)
from reassess.model.backtest import score
from reassess.model.plan import run_plan
from reassess.snapshot.ingest import ingest
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf
from tests.extracts import append_row, mutate_csv, write_valid_extract

JAN23, JAN30, FEB6 = date(2026, 1, 23), date(2026, 1, 30), date(2026, 2, 6)


@pytest.fixture(scope="module")
def redated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three weekly snapshots: TST-0003 is completed on 28 January (recorded by the 30 January
    snapshot), then re-dated to 3 February in the 6 February extract, which also books leave
    for OFF-01 in the week ending 13 February."""
    root = tmp_path_factory.mktemp("redated")
    snapshots = root / "snapshots"
    for as_of in (JAN23, JAN30, FEB6):
        folder = write_valid_extract(root / "extracts" / as_of.isoformat())
        if as_of >= JAN30:
            mutate_csv(folder, "cases.csv", 4, "status", "awaiting_qa")
            mutate_csv(folder, "cases.csv", 4, "completed_date", "2026-01-28")
            mutate_csv(folder, "cases.csv", 4, "outcome", "no_further_action")
        if as_of == FEB6:
            mutate_csv(folder, "cases.csv", 4, "completed_date", "2026-02-03")
            append_row(
                folder, "abstractions.csv", ["OFF-01", "2026-02-09", "2026-02-13", "annual_leave"]
            )
        ingest(folder, as_of, snapshots, synthetic=True, progress=False)
    return snapshots


@pytest.fixture(scope="module")
def latest(redated: Path):
    return list_snapshots(redated).snapshots[-1]


def test_completions_are_as_each_week_recorded_them(latest) -> None:
    inp = plan_input(Database(), latest, programme(), "planner")
    h = inp.history
    start = programme().programme_start
    assert h.weeks == weeks_since_start(FEB6, start) == 14
    assert h.week_ending[0] == date(2025, 11, 7) and h.week_ending[-1] == FEB6
    by_week = dict(zip(h.week_ending, zip(h.completions, h.as_recorded, strict=True), strict=True))
    assert by_week[JAN30] == (1, True)  # the 30 January snapshot recorded it that week
    assert by_week[FEB6] == (0, True)  # re-dated into this week: a revision, not a new completion
    assert by_week[JAN23] == (1, False)  # no snapshot the week before: counted from the dates
    assert by_week[date(2025, 11, 14)] == (1, False)  # TST-0001, completed 12 November
    assert (inp.in_scope, inp.remaining) == (5, 2)
    assert set(h.scope) == {5}


def test_fte_is_the_one_weekly_fte_query_and_abstraction_is_measured(latest) -> None:
    db = Database()
    inp = plan_input(db, latest, programme(), "planner")
    fte = db.run("model_weekly_fte", latest, role="planner", as_of=FEB6, weeks=14)
    assert inp.history.available_fte == tuple(round(float(x), 9) for x in fte["available_fte"])
    assert inp.history.headcount_fte == tuple(round(float(x), 9) for x in fte["fte_in_post"])
    assert inp.history.abstraction_measured


def test_officers_come_as_cohorts_without_references(latest) -> None:
    inp = plan_input(Database(), latest, programme(), "planner")
    cohorts = {(o.start, o.end): o.fte for o in inp.officers}
    assert cohorts == {
        (date(2025, 11, 3), None): pytest.approx(1.8),  # OFF-01 and OFF-02
        (date(2025, 11, 3), date(2026, 1, 16)): pytest.approx(0.6),  # OFF-03
    }
    assert not any("OFF-" in o.ref for o in inp.officers)


def test_leave_already_booked_is_read_for_the_weeks_ahead(latest) -> None:
    inp = plan_input(Database(), latest, programme(), "planner")
    assert [a.week_ending for a in inp.planned_absence] == [FEB6 + timedelta(weeks=1)]
    assert [a.fte_days for a in inp.planned_absence] == pytest.approx([5.0])


def test_settings_and_the_schedule_come_from_config_with_their_sources(latest) -> None:
    prog = programme()
    inp = plan_input(Database(), latest, prog, "planner", window_weeks=4)
    s = inp.settings
    assert s.window_weeks == 4 and s.source("window_weeks").startswith("chosen on screen")
    assert s.trials == prog.forecast_trials and s.seed == prog.forecast_seed
    assert s.recruitable_extra_officers == prog.recruitable_extra_officers
    assert (
        s.source("recruitable_extra_officers") == prog.setting("recruitable_extra_officers").source
    )
    assert [(c.effective, c.fte) for c in inp.planned_changes] == [
        (e["date"], e["fte"]) for e in prog.planned_headcount
    ]
    assert all(c.source for c in inp.planned_changes)
    assert {x.name for x in s.seasonal} == {e["name"] for e in prog.seasonal_abstraction}
    assert plan_settings(prog).window_weeks == prog.throughput_window_weeks


def test_the_burn_up_as_recorded_keeps_each_weeks_own_figures(latest) -> None:
    frame = recorded_history(Database(), latest, programme(), "planner")
    recorded = frame.set_index("week_ending")
    assert recorded.loc[JAN23, "assessed"] == 2 and recorded.loc[JAN30, "assessed"] == 3
    assert recorded.loc[FEB6, "assessed"] == 3


def test_the_model_runs_on_a_snapshot_read_as_the_briefing_reads_it(latest) -> None:
    plan = run_plan(plan_input(Database(), latest, programme(), "planner"))
    assert plan.status in ("ok", "cannot_forecast", "not_converging")
    if plan.status == "cannot_forecast":
        assert plan.reason and plan.p85 is None


def test_known_available_fte_and_work_content(tmp_path: Path) -> None:
    mixed = rf.build_mixed(tmp_path / "mixed")
    steady = rf.build_steady(tmp_path / "steady")
    db, prog = Database(), programme()
    m = plan_input(db, list_snapshots(mixed.snapshot_dir).snapshots[-1], prog, "planner")
    assert m.history.available_fte[-8:] == pytest.approx(rf.MIXED_AVAILABLE_FTE)
    assert m.history.completions[-8:] == rf.MIXED_WEEKLY
    assert m.work is None  # 25 completions with hours: too few to weigh cases by effort
    s = plan_input(db, list_snapshots(steady.snapshot_dir).snapshots[-1], prog, "planner")
    assert s.work is not None and s.work.with_hours == sum(rf.STEADY_WEEKLY)
    assert s.work.queue_cases[-1] == rf.STEADY_REMAINING
    plan = run_plan(s)
    assert plan.status == "ok" and plan.pace is not None
    assert plan.pace.per_available_fte == pytest.approx(sum(rf.STEADY_WEEKLY) / (8 * 8.0))


def test_no_abstraction_records_means_the_configured_rate(tmp_path: Path) -> None:
    folder = write_valid_extract(tmp_path / "extract", abstractions=False)
    ingest(folder, JAN23, tmp_path / "snapshots", synthetic=True, progress=False)
    snap = list_snapshots(tmp_path / "snapshots").snapshots[-1]
    inp = plan_input(Database(), snap, programme(), "planner")
    assert not inp.history.abstraction_measured
    assert inp.history.available_fte == inp.history.headcount_fte
    plan = run_plan(inp)
    assert not plan.abstraction.measured
    assert plan.abstraction.rate == programme().abstraction_rate


def test_track_record_cases_give_each_snapshot_with_what_came_after(redated: Path) -> None:
    snaps = list_snapshots(redated).snapshots
    cases = track_record_cases(Database(), snaps, programme(), "planner")
    assert [c.inp.as_of for c in cases] == [JAN23, JAN30, FEB6]
    assert all(c.actual is None and c.known_until == FEB6 for c in cases)  # not finished yet
    outcomes = score(cases)
    assert [o.as_of for o in outcomes] == [JAN23, JAN30, FEB6]
    for o in outcomes:  # a date still ahead cannot be scored yet; one passed did not hold
        if o.p85 is not None:
            assert o.held85 is (None if o.p85 > FEB6 else False)
