"""The overview page under AppTest: the KPIs it shows equal `status --json` for the same snapshot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_helpers import metrics

ROOT = Path(__file__).resolve().parent.parent


def run_overview(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("as_of", ["2026-01-09", "2026-06-26"])
def test_kpis_equal_status_json(demo_env: Path, as_of: str) -> None:
    at = run_overview(snapshot=as_of)
    shown = metrics(at)
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "reassess", "status", "--json", "--snapshot", as_of],
            cwd=ROOT,
            env={"REASSESS_DATA_DIR": str(demo_env), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    k = data["kpis"]
    assert shown["In scope"] == f"{k['in_scope']:,}"
    assert shown["Assessed"] == f"{k['assessed']:,}"
    assert shown["% assessed"] == f"{k['pct_assessed']:.1f}%"
    assert shown["In assessment"] == f"{k['in_assessment']:,}"
    assert shown["Awaiting allocation"] == f"{k['awaiting_allocation']:,}"
    assert shown["Awaiting QA"] == f"{k['awaiting_qa']:,}"
    assert shown["Weekly pace"] == f"{k['throughput_4w']:,.1f}"
    weeks = data["weeks_to_target"]
    if weeks >= 0:
        assert shown["Weeks to target"] == f"{weeks:,.1f}"
        assert shown["Pace needed"] == f"{data['required_weekly_rate']:,.1f}"
    else:
        assert shown["Weeks overdue"] == f"{-weeks:,.1f}"
        assert shown["Pace needed"] == "—"
    assert data["headline"] in [m.value for m in at.markdown]
    rag = data["rag"]
    banner = " ".join(e.value for e in [*at.success, *at.warning, *at.error])
    assert f"Status: {rag['colour'].upper()} — {rag['label']}." in banner


def test_synthetic_banner_and_as_of(demo_env: Path) -> None:
    at = run_overview(snapshot="2026-03-06")
    assert any("SYNTHETIC DATA" in w.value for w in at.warning)
    assert any("Friday 6 March 2026" in c.value for c in at.caption)


def test_changes_table_against_compare(demo_env: Path) -> None:
    at = run_overview(snapshot="2026-03-06", compare="2026-02-27")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Change", "Cases"]
    assert set(table["Change"]) >= {"Cases added to scope", "Assessments completed"}


def test_unknown_snapshot_in_url_gives_a_message(demo_env: Path) -> None:
    at = run_overview(snapshot="'; drop table cases; --")
    assert any("does not exist" in w.value for w in at.sidebar.warning)
    assert metrics(at)["In scope"]


def test_first_run_screen_without_snapshots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("no snapshots" in i.value for i in at.info)
    assert "python -m reassess demo" in at.info[0].value
