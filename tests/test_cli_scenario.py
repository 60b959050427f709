"""`python -m reassess scenario`: the same model as the scenarios page, headless."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from reassess.cli import scenario as cli_scenario
from reassess.config import programme
from reassess.figures.forecast import headline, officers
from reassess.figures.scenarios import position_for, run_scenario
from reassess.model.scenarios import ScenarioInput, ScenarioResult
from reassess.snapshot.listing import SnapshotInfo, list_snapshots
from reassess.snapshot.runner import Database
from tests import resource_fixtures as rf


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m reassess")
    cli_scenario.register(p.add_subparsers(dest="command", required=True))
    return p


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = parser().parse_args(["scenario", *argv])
    code = cli_scenario.cmd_scenario(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def steady(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rf.Fixture:
    fx = rf.build_steady(tmp_path / "data")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fx.data_dir))
    return fx


def snapshot(fx: rf.Fixture) -> SnapshotInfo:
    return list_snapshots(fx.snapshot_dir).snapshots[-1]


def model(fx: rf.Fixture, **overrides: object) -> ScenarioResult:
    snap, db = snapshot(fx), Database()
    inp = ScenarioInput.from_programme(snap.as_of, programme(), name="Scenario", **overrides)
    return run_scenario(db, snap, programme(), inp, position_for(db, snap, "planner"))


def test_zero_extra_officers_is_the_headline(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--extra-officers", "0", "--json"], capsys)
    assert code == 0
    res = json.loads(out)["result"]
    plan = headline(Database(), snapshot(steady), programme())
    assert plan.p50 and plan.p85 and plan.p95 and plan.cost
    assert (res["p50"], res["p85"], res["p95"]) == (
        plan.p50.isoformat(),
        plan.p85.isoformat(),
        plan.p95.isoformat(),
    )
    assert res["team_cost_to_completion"] == pytest.approx(plan.cost.to_p85)
    assert res["prob_by_target"] == plan.prob_by_target
    assert res["abstraction_measured"] is True


def test_json_equals_the_model(steady: rf.Fixture, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["--extra-officers", "4", "--start", "2026-03-16", "--trials", "2000", "--json"], capsys
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    r = model(steady, extra_officers=4, start_date=date(2026, 3, 16), trials=2000)
    assert r.p50 and r.p85 and r.p95
    assert data["snapshot"] == "2026-03-06" and data["synthetic"] is True
    assert data["marking"] == "OFFICIAL-SENSITIVE · SYNTHETIC DATA"
    assert data["scenario"]["extra_officers"] == 4
    assert data["scenario"]["start_date"] == "2026-03-16"
    res = data["result"]
    assert (res["p50"], res["p85"], res["p95"]) == (
        r.p50.isoformat(),
        r.p85.isoformat(),
        r.p95.isoformat(),
    )
    assert res["prob_by_target"] == r.prob_by_target
    assert res["cost_to_completion"] == pytest.approx(r.cost_to_completion)
    assert res["cost_per_year"] == 4 * programme().loaded_cost_per_fte
    assert res["trials"] == 2000
    assert res["reinvestigations"] == r.reinvestigations
    assert len(data["projection"]) == len(r.projection)
    assert {a["name"] for a in data["assumptions"]} >= {"extra_officers", "abstraction_rate"}
    assert "officers_needed" not in data


def test_every_option_reaches_the_model(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "--extra-officers", "3", "--start", "2026-03-09", "--target", "2026-06-30",
        "--ramp-up-weeks", "2", "--abstraction-rate", "0.15", "--attrition", "0.05",
        "--cost-per-fte", "£70,000", "--productivity", "4.5", "--trials", "500", "--json",
    ]  # fmt: skip
    code, out, _ = run(argv, capsys)
    assert code == 0
    s = json.loads(out)["scenario"]
    assert (s["extra_officers"], s["start_date"], s["target_date"]) == (
        3,
        "2026-03-09",
        "2026-06-30",
    )
    assert (s["ramp_up_weeks"], s["abstraction_rate"], s["attrition_per_year"]) == (2, 0.15, 0.05)
    assert (s["loaded_cost_per_fte"], s["productivity_per_fte"], s["trials"]) == (70000.0, 4.5, 500)


def test_find_officers_is_the_pages_answer(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--start", "2026-03-13", "--target", "2026-05-29", "--trials", "2000"]
    code, out, _ = run([*argv, "--find-officers", "--json"], capsys)
    assert code == 0
    answer = json.loads(out)["officers_needed"]
    expected = officers(
        Database(), snapshot(steady), programme(), date(2026, 5, 29), start=date(2026, 3, 13)
    )
    n = expected.extra_officers
    assert answer["extra_officers"] == n
    assert n is not None and n > 0
    assert answer["cost_per_year"] == n * 65_000
    assert answer["confidence"] == 0.85
    assert [p["extra_officers"] for p in answer["curve"]][:3] == [0, 1, 2]
    assert answer["recruitable_extra_officers"] == programme().recruitable_extra_officers
    assert bool(answer["warning"]) == (n > programme().recruitable_extra_officers)
    code, out, _ = run([*argv, "--find-officers"], capsys)
    assert f"Officers needed: {n} extra officers from 13 March 2026 finish by 29 May 2026" in out
    assert "[OFFICIAL-SENSITIVE · SYNTHETIC DATA]" in out


def test_a_higher_confidence_needs_no_fewer_officers(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--target", "2026-05-29", "--trials", "2000", "--find-officers", "--json"]
    found = {}
    for confidence in ("0.5", "0.95"):
        _, out, _ = run([*argv, "--confidence", confidence], capsys)
        found[confidence] = json.loads(out)["officers_needed"]["extra_officers"]
    assert found["0.5"] <= found["0.95"]


def test_text_output(steady: rf.Fixture, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--extra-officers", "2", "--trials", "500"], capsys)
    r = model(steady, extra_officers=2, start_date=date(2026, 3, 9), trials=500)
    assert code == 0 and r.p85 is not None
    assert "2 extra officers from 9 March 2026; target 30 April 2026" in out
    assert f"finish, 85% (P85)               {r.p85.day} {r.p85:%B %Y}" in out


def test_start_before_the_snapshot_is_refused(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["--start", "2026-02-02"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "error: --start 2026-02-02 is before the snapshot date 2026-03-06; extra officers can "
        "start on the snapshot date or later\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--abstraction-rate", "20"],
            "20 is not between 0 and 1; write a share such as 0.2 for 20%",
        ),
        (["--extra-officers", "-1"], "-1 is not between 0 and 500"),
        (["--start", "02/03/2026"], "'02/03/2026' is not a date; write it as YYYY-MM-DD"),
        (["--cost-per-fte", "lots"], "'lots' is not an amount in pounds"),
    ],
)
def test_bad_options_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["scenario", *argv])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_a_negative_productivity_is_explained(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--productivity", "-2"], capsys)
    assert code == 2
    assert "productivity_per_fte must be 0 or more, got -2.0" in err


def test_no_snapshots_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "empty"))
    with pytest.raises(SystemExit, match="no snapshots .* run `python -m reassess demo`"):
        run([], capsys)


@pytest.mark.slow
def test_demo_latest_default_scenario(demo_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--json", "--find-officers", "--target", "2026-08-28"], capsys)
    data = json.loads(out)
    assert code == 0 and data["snapshot"] == "2026-06-26"
    snap = list_snapshots(demo_env / "snapshots").latest
    assert snap is not None
    answer = officers(Database(), snap, programme(), date(2026, 8, 28), start=date(2026, 6, 29))
    assert data["officers_needed"]["extra_officers"] == answer.extra_officers
    plan = headline(Database(), snap, programme())
    assert data["result"]["p85"] == plan.p85.isoformat()  # type: ignore[union-attr]


def test_the_reinvestigation_levers_reach_the_coupled_forecast(
    steady: rf.Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--json"], capsys)
    assert code == 0
    base = json.loads(out)["result"]["reinvestigation_demand"]
    argv = ["--extra-investigators", "15", "--investigators-from", "2026-03-09"]
    code, out, _ = run([*argv, "--extra-isvas", "4", "--json"], capsys)
    assert code == 0
    more = json.loads(out)["result"]["reinvestigation_demand"]
    assert more["levers"] == {
        "extra_investigators": 15.0,
        "investigators_from": "2026-03-09",
        "extra_isvas": 4.0,
    }
    assert more["peak_unmet_fte"] < base["peak_unmet_fte"]
    snap, db = snapshot(steady), Database()
    inp = ScenarioInput.from_programme(
        snap.as_of,
        programme(),
        name="Scenario",
        start_date=snap.as_of,
        extra_investigators=15,
        investigators_from=date(2026, 3, 9),
        extra_isvas=4,
    )
    position = position_for(db, snap, "planner")
    expected = run_scenario(db, snap, programme(), inp, position, coupled=True).coupled
    assert expected is not None and more["peak_unmet_fte"] == expected.peak_unmet_fte
    code, out, _ = run(argv, capsys)
    assert code == 0 and "Reinvestigation demand, next 12 months" in out
    assert expected.statement() in out
    code, _, err = run(["--investigators-from", "2026-03-01"], capsys)
    assert code == 2 and "--investigators-from 2026-03-01 is before the snapshot date" in err
