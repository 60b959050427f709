"""The forecast's track record on the overview, in a real browser: the P85 drift chart, why it
moved since the compare snapshot, how often past forecasts held, and the forecast window kept
in the link when another page is opened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.server import streamlit_server, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(demo_dir: Path):
    with streamlit_server(demo_dir) as url:
        yield url


def test_the_overview_shows_the_track_record_and_the_drift_chart(
    server: str, browser, demo_dir: Path
) -> None:
    as_of, compare = "2026-05-29", "2026-05-22"
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "reassess", "status", "--json", "--snapshot", as_of],
            cwd=ROOT,
            env={"REASSESS_DATA_DIR": str(demo_dir), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["track_record"]
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server}/overview?role=planner&snapshot={as_of}&compare={compare}&window=8")
        wait_ready(page)
        assert page.locator("[data-testid='stException']").count() == 0
        heading = page.get_by_role("heading", name="Track record of the forecast")
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        chart = page.locator(".js-plotly-plot", has_text="How the forecast finish date has moved")
        chart.first.scroll_into_view_if_needed()
        chart.first.wait_for(state="visible", timeout=30_000)
        # one P85 point per snapshot up to this one
        points = chart.first.locator(".scatterlayer .trace").nth(1).locator("path.point")
        assert points.count() == len(data["ledger"])
        body = page.locator("body").inner_text()
        assert "Why the P85 date moved since 22 May 2026" in body
        assert "How often past forecasts held" in body
        scored = data["coverage"]["scored"]
        assert f"Past snapshots scored: {scored}" in body
        # the forecast window is in the link and survives opening another page
        page.goto(f"{server}/scenarios?role=planner&snapshot={as_of}&window=12")
        wait_ready(page)
        assert "window=12" in page.url
        slider = page.get_by_label("Forecast window (weeks)")
        assert slider.count() >= 1
    finally:
        context.close()
