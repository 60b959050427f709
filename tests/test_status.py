"""`status --json` against an independent count from the extract CSVs, and the RAG rules."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from reassess.model.forecast import forecast_completion

from reassess.config import programme
from reassess.figures.status import rag_for

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


def test_p85_moves_when_the_window_does(demo_dir: Path) -> None:
    four = status_json(demo_dir, "--snapshot", "2026-03-06", "--window", "4")["forecast"]
    twelve = status_json(demo_dir, "--snapshot", "2026-03-06", "--window", "12")["forecast"]
    assert len(four["weekly_completions"]) == 4 and len(twelve["weekly_completions"]) == 12
    # Throughput rose through the winter, so the shorter, more recent window finishes sooner.
    assert four["p85"] < twelve["p85"]


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


def _forecast(remaining: int, sample: list[int], as_of: date):  # type: ignore[no-untyped-def]
    return forecast_completion(remaining, sample, as_of, date(2026, 4, 30), trials=2000, seed=1)


@pytest.mark.parametrize(
    ("remaining", "sample", "as_of", "colour", "label"),
    [
        (0, [10], date(2026, 3, 6), "green", "Complete"),
        (100, [100] * 8, date(2026, 3, 6), "green", "On track"),
        (690, [90, 110] * 4, date(2026, 3, 6), "amber", "At risk"),
        (5000, [100] * 8, date(2026, 3, 6), "red", "Off track"),
        (100, [0] * 8, date(2026, 3, 6), "red", "Off track"),
        (100, [100] * 8, date(2026, 5, 15), "red", "Target missed"),
    ],
)
def test_rag_rules(remaining: int, sample: list[int], as_of: date, colour: str, label: str) -> None:
    rag = rag_for(
        _forecast(remaining, sample, as_of), as_of, date(2026, 4, 30), remaining, programme()
    )
    assert (rag.colour, rag.label) == (colour, label)
    assert "85%" in rag.rule and "50%" in rag.rule
    assert rag.reason


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
