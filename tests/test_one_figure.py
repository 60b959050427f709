"""One answer everywhere: at every demo snapshot the overview, `status --json`, the briefing
CSV, the resources page and `scenario --extra-officers 0 --json` give the same P50/P85/P95 dates
and the same cost to completion, and the fan's median reaches the finish line in the P50 week.

The commands run in-process through their own handlers (the code `python -m reassess` runs),
so the plans cached for one snapshot serve every surface; the pages run under AppTest.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reassess.briefing.build import build_briefing
from reassess.briefing.export import briefing_csvs
from reassess.cli import scenario as cli_scenario
from reassess.cli import status as cli_status
from reassess.config import programme
from reassess.figures.forecast import headline
from reassess.figures.status import compute_status, status_fan
from reassess.present.formats import long_date, money
from reassess.present.vocabulary import FORECAST_LABELS
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests.page_helpers import metrics

ROOT = Path(__file__).resolve().parent.parent
DEMO_WEEKS = [date(2025, 11, 7) + timedelta(weeks=k) for k in range(34)]


def command(module: object, name: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    p = argparse.ArgumentParser()
    module.register(p.add_subparsers(dest="command", required=True))  # type: ignore[attr-defined]
    args = p.parse_args([name, *argv])
    assert args.handler(args) == 0
    return json.loads(capsys.readouterr().out)


def page(name: str, as_of: str) -> dict[str, str]:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.session_state["demo_role"] = "planner"
    at.query_params["snapshot"] = as_of
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return metrics(at)


def day(iso: str | None) -> str:
    return "—" if iso is None else long_date(date.fromisoformat(iso))


@pytest.mark.parametrize("as_of", [d.isoformat() for d in DEMO_WEEKS])
def test_every_surface_gives_the_same_dates_and_cost(
    demo_env: Path, as_of: str, capsys: pytest.CaptureFixture[str]
) -> None:
    snap = list_snapshots(demo_env / "snapshots").get(as_of)
    assert snap is not None
    status = command(cli_status, "status", ["--snapshot", as_of, "--json"], capsys)
    f = status["forecast"]
    dates = (f["p50"], f["p85"], f["p95"])
    cost = f["cost_to_completion"]["p85"]
    plan = headline(Database(), snap, programme())
    if plan.status == "ok":
        assert None not in dates and cost is not None
    # scenario --extra-officers 0 --json
    scenario = command(
        cli_scenario, "scenario", ["--snapshot", as_of, "--extra-officers", "0", "--json"], capsys
    )["result"]
    assert (scenario["p50"], scenario["p85"], scenario["p95"]) == dates
    assert scenario["team_cost_to_completion"] == pytest.approx(cost)
    # the briefing CSV (notes.csv)
    files = briefing_csvs(build_briefing(Database(), snap, None, programme()))
    rows = {
        (r["section"], r["item"]): r["text"]
        for r in csv.DictReader(io.StringIO(files["notes.csv"].decode("utf-8-sig")))
    }
    if f["status"] == "ok":
        assert tuple(rows[("forecast", k)] for k in ("p50", "p85", "p95")) == dates
        assert rows[("forecast", "cost_to_completion_p85")] == f"{cost:.0f}"
    # the overview and the resources page
    shown = {"overview": page("overview", as_of), "resources": page("resources", as_of)}
    for name, tiles in shown.items():
        for key, iso in zip(("p50", "p85", "p95"), dates, strict=True):
            assert tiles[FORECAST_LABELS[key]] == day(iso), (name, key)
        expected_cost = money(cost) if cost is not None else "—"
        assert tiles[FORECAST_LABELS["cost_to_p85"]] == expected_cost, name


@pytest.mark.parametrize("as_of", [d.isoformat() for d in DEMO_WEEKS])
def test_the_fan_median_is_the_p50(demo_env: Path, as_of: str) -> None:
    snap = list_snapshots(demo_env / "snapshots").get(as_of)
    assert snap is not None
    status = compute_status(Database(), snap, None, programme())
    fan = status_fan(status)
    plan = status.plan
    if plan.status != "ok":
        assert fan is None
        return
    assert fan is not None and plan.p50 is not None
    by_week = fan.set_index("week_ending")
    reached = by_week["p50"] >= by_week["finish_line"] - 1e-9
    first = min(w for w, ok in reached.items() if ok)
    assert first == plan.p50  # the median reaches the finish line exactly in the P50 week
    assert by_week.loc[plan.as_of, "p50"] == status.kpis["assessed"]
