"""Accessibility: axe-core (WCAG 2.2 A and AA rules) on every page, for every role, in chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassess.access import ROLES, pages_for
from tests.e2e.server import ROOT, streamlit_server, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def server(demo_dir: Path):
    with streamlit_server(demo_dir) as url:
        yield url


def violations(page) -> list[dict[str, object]]:
    """axe-core's violations on the page as it stands (WCAG 2.2 A/AA rules only)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        TAGS,
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_or_critical_violation_on_any_page(server: str, browser, role: str) -> None:
    assert AXE.is_file(), (
        f"{AXE} is missing: `make test` installs axe-core (npm ci in tests/e2e/axe)"
    )
    found: dict[str, list[dict[str, object]]] = {}
    for width in (1440, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            for spec in pages_for(role):
                page.goto(f"{server}/{spec.page_id}?role={role}")
                wait_ready(page)
                bad = [v for v in violations(page) if v["impact"] in BLOCKING]
                if bad:
                    found[f"{spec.page_id} at {width}px"] = bad
        finally:
            context.close()
    assert found == {}, found
