"""`status --json` against an independent count from the extract CSVs, and the RAG rules."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from reassess.config import programme
from reassess.figures.status import Forecast, rag_for

ROOT = Path(__file__).resolve().parent.parent


def status_json(demo_dir: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "reassess", "status", "--json", *args],
        cwd=ROOT,
        env={"REASSESS_DATA_DIR": str(demo_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("as_of", ["2025-12-05", "2026-03-06", "2026-06-26"])
def test_counts_equal_an_independent_count_of_the_csvs(demo_dir: Path, as_of: str) -> None:
    data = status_json(demo_dir, "--snapshot", as_of)
    cases = pd.read_csv(
        demo_dir / "extracts" / as_of / "cases.csv", dtype=str, keep_default_na=False
    )
    k = data["kpis"]
    assert k["in_scope"] == len(cases)
    assert k["assessed"] == int((cases["completed_date"] != "").sum())
    for status in ("awaiting_allocation", "allocated", "in_assessment", "awaiting_qa"):
        assert k[status] == int((cases["status"] == status).sum()), status
    assert k["qa_signed_off"] == int((cases["status"] == "assessed").sum())
    end = date.fromisoformat(as_of)
    done = pd.to_datetime(cases.loc[cases["completed_date"] != "", "completed_date"]).dt.date
    last4 = int(((done > end - timedelta(days=28)) & (done <= end)).sum())
    assert k["throughput_4w"] == last4 / 4
    assert data["synthetic"] is True
    assert data["as_of"] == as_of


def test_compare_deltas_and_changes(demo_dir: Path) -> None:
    data = status_json(demo_dir, "--snapshot", "2026-03-06", "--compare", "2026-02-27")
    before = status_json(demo_dir, "--snapshot", "2026-02-27", "--compare", "none")
    assert data["deltas"]["assessed"] == data["kpis"]["assessed"] - before["kpis"]["assessed"]
    old = pd.read_csv(
        demo_dir / "extracts" / "2026-02-27" / "cases.csv", dtype=str, keep_default_na=False
    )
    new = pd.read_csv(
        demo_dir / "extracts" / "2026-03-06" / "cases.csv", dtype=str, keep_default_na=False
    )
    ch = data["changes_since_compare"]
    assert ch["added"] == len(set(new.case_ref) - set(old.case_ref))
    assert ch["removed"] == len(set(old.case_ref) - set(new.case_ref))
    assert ch["completed"] == int((new.completed_date > "2026-02-27").sum())
    assert before["changes_since_compare"] is None


def test_the_window_is_the_models_and_a_bad_one_is_refused(demo_dir: Path) -> None:
    four = status_json(demo_dir, "--snapshot", "2026-03-06", "--window", "4")["forecast"]
    twelve = status_json(demo_dir, "--snapshot", "2026-03-06", "--window", "12")["forecast"]
    assert len(four["weekly_completions"]) == 4 and len(twelve["weekly_completions"]) == 12
    assert (four["window_weeks"], twelve["window_weeks"]) == (4, 12)
    # the pace is measured over different weeks (a weekly rate: the total over the weeks)
    assert four["pace"]["weekly"] == pytest.approx(sum(four["weekly_completions"]) / 4)
    assert twelve["pace"]["weekly"] == pytest.approx(sum(twelve["weekly_completions"]) / 12)
    assert four["pace"]["per_available_fte_week"] != twelve["pace"]["per_available_fte_week"]
    out = subprocess.run(
        [sys.executable, "-m", "reassess", "status", "--window", "9"],
        cwd=ROOT,
        env={"REASSESS_DATA_DIR": str(demo_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "'9' is not a forecast window the pages offer; give one of 4, 6, 8" in out.stderr


def test_the_forecast_and_its_track_record_are_in_the_json(demo_dir: Path) -> None:
    data = status_json(demo_dir, "--snapshot", "2026-03-06", "--compare", "2026-02-27")
    f = data["forecast"]
    assert f["status"] == "ok" and f["p50"] <= f["p85"] <= f["p95"]
    cost = f["cost_to_completion"]
    assert 0 < cost["p50"] <= cost["p85"] <= cost["p95"]
    assert "loaded_cost_per_fte in config/programme.toml" in cost["definition"]
    t = data["track_record"]
    assert t["as_of"] == "2026-03-06"
    ledger = t["ledger"]
    assert [e["as_of"] for e in ledger][0] == "2025-11-07" and ledger[-1]["as_of"] == "2026-03-06"
    assert len(ledger) == 18  # one entry per weekly snapshot up to this one
    assert (ledger[-1]["p50"], ledger[-1]["p85"], ledger[-1]["p95"]) == (
        f["p50"],
        f["p85"],
        f["p95"],
    )
    moved = t["why_moved"]
    assert moved["compare_as_of"] == "2026-02-27" and moved["p85_now"] == f["p85"]
    parts = moved["weeks"]
    assert set(parts) == {"time", "scope", "pace", "staffing"}
    assert sum(parts.values()) == pytest.approx(moved["total_weeks"], abs=1e-6)
    cover = t["coverage"]
    # not finished by 6 March: a past date held only if it is still ahead; passed ones did not
    passed = [e for e in ledger if e["p85"] is not None and e["p85"] <= "2026-03-06"]
    assert cover["scored"] == len(passed) and cover["p85"] in (0.0, None)
    assert all(e["held"]["p85"] is False for e in passed)
    again = status_json(demo_dir, "--snapshot", "2026-03-06", "--compare", "2026-02-27")
    assert again["track_record"]["ledger"] == ledger  # read back from the ledger, unchanged


def test_unknown_snapshot_is_a_clear_error(demo_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "reassess", "status", "--snapshot", "2030-01-01"],
        cwd=ROOT,
        env={"REASSESS_DATA_DIR": str(demo_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "there is no snapshot for '2030-01-01'" in out.stderr
    assert "Traceback" not in out.stderr


def _forecast(status: str, prob: float | None, message: str = "") -> Forecast:
    day = date(2026, 4, 1)
    return Forecast(
        status, message, day, day, day, prob, 1000, 1, 1.0, 2.0, 3.0, "", (), (), 8, "learning"
    )


@pytest.mark.parametrize(
    ("remaining", "forecast", "as_of", "colour", "label", "reason"),
    [
        (0, _forecast("done", 1.0), date(2026, 3, 6), "green", "Complete", "Every case"),
        (3, _forecast("done", 1.0, "Complete: 99.5%"), date(2026, 3, 6), "green", "Complete", "Complete: 99.5%"),
        (100, _forecast("ok", 0.9), date(2026, 3, 6), "green", "On track", "a 90% chance"),
        (690, _forecast("ok", 0.6), date(2026, 3, 6), "amber", "At risk", "a 60% chance"),
        (5000, _forecast("ok", 0.001), date(2026, 3, 6), "red", "Off track", "less than 1%"),
        (100, _forecast("not_converging", 0.1, "In more than half"), date(2026, 3, 6), "red", "Off track", "In more than half"),
        (100, _forecast("ok", 0.9), date(2026, 5, 15), "red", "Target missed", "2 weeks ago"),
    ],
)  # fmt: skip
def test_rag_rules(
    remaining: int, forecast: Forecast, as_of: date, colour: str, label: str, reason: str
) -> None:
    rag = rag_for(forecast, as_of, date(2026, 4, 30), remaining, programme())
    assert (rag.colour, rag.label) == (colour, label)
    assert "85%" in rag.rule and "50%" in rag.rule
    assert reason in rag.reason


def test_the_pace_tile_divides_by_the_weeks_elapsed_in_the_first_weeks(demo_dir: Path) -> None:
    """At the 2nd weekly snapshot only two weeks have passed: the pace is over two weeks."""
    data = status_json(demo_dir, "--snapshot", "2025-11-14")
    cases = pd.read_csv(
        demo_dir / "extracts" / "2025-11-14" / "cases.csv", dtype=str, keep_default_na=False
    )
    assert data["pace_weeks"] == 2
    assert data["kpis"]["throughput_4w"] == int((cases["completed_date"] != "").sum()) / 2
    assert data["forecast"]["window_weeks"] == 2  # the forecast window too


def test_output_into_a_closed_pipe_ends_quietly(demo_dir: Path) -> None:
    """`python -m reassess snapshots | head -1`: the reader goes away; no BrokenPipeError."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "REASSESS_DATA_DIR": str(demo_dir)}
    for command in (["snapshots"], ["status"]):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before the first line is written
        proc = subprocess.run(
            [sys.executable, "-m", "reassess", *command],
            cwd=ROOT,
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(write)
        assert proc.returncode == 0, proc.stderr
        assert "BrokenPipeError" not in proc.stderr and "Traceback" not in proc.stderr
