"""Every page, for every role that may open it, in a real browser: loads, no exception, screenshot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassess.access import PAGES, ROLES, pages_for
from tests.e2e.server import SCREENSHOTS, streamlit_server, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def server(demo_dir: Path):
    with streamlit_server(demo_dir) as url:
        yield url


@pytest.mark.parametrize("role", ROLES)
def test_every_permitted_page_loads(server: str, browser, role: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for spec in pages_for(role):
            page.goto(f"{server}/{spec.page_id}?role={role}")
            wait_ready(page)
            exceptions = page.locator("[data-testid='stException']")
            assert exceptions.count() == 0, (
                f"{role} {spec.page_id}: {exceptions.first.inner_text()[:500]}"
            )
            assert page.get_by_text("SYNTHETIC DATA").count() >= 1, (
                f"{spec.page_id} lacks the synthetic banner"
            )
            assert page.locator("h1").filter(has_text=spec.title).count() == 1, spec.page_id
            page.screenshot(path=str(SCREENSHOTS / f"{role}-{spec.page_id}.png"), full_page=True)
    finally:
        context.close()
    assert not errors, errors


def test_forbidden_page_by_url_is_refused_and_audited(server: str, browser, demo_dir: Path) -> None:
    from reassess.store.audit import AuditLog

    log = AuditLog(demo_dir / "audit")
    before = len(log.read(date(2000, 1, 1), action="access_denied"))
    page = browser.new_page()
    try:
        page.goto(f"{server}/workload?role=mayors_office")
        wait_ready(page)
        page.get_by_text("role cannot open Workload").first.wait_for(timeout=20_000)
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert page.locator("[data-testid='stMetric']").count() == 0
        # The refusal is not in the menu (a role with one page has no menu at all).
        assert (
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Workload").count() == 0
        )
    finally:
        page.close()
    refused = log.read(date(2000, 1, 1), action="access_denied")
    assert len(refused) == before + 1
    assert refused.iloc[0]["page"] == "workload" and refused.iloc[0]["role"] == "mayors_office"


def test_menu_lists_exactly_the_roles_pages(server: str, browser) -> None:
    page = browser.new_page()
    try:
        for role in ("commander", "planner", "analyst"):
            page.goto(f"{server}/overview?role={role}")
            wait_ready(page)
            links = page.locator("[data-testid='stSidebarNav'] a")
            shown = sorted(
                links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())
            )
            assert shown == sorted(p.title for p in pages_for(role)), role
    finally:
        page.close()


def test_pasted_link_reproduces_the_view(server: str, browser) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{server}/overview?snapshot=2026-03-06&compare=2026-02-06&role=commander")
        wait_ready(page)
        assert page.get_by_text("Friday 6 March 2026").count() >= 1
        assert "snapshot=2026-03-06" in page.url and "compare=2026-02-06" in page.url
        page.goto(f"{server}/overview?snapshot=1999-01-01")
        wait_ready(page)
        assert page.get_by_text("which does not exist").count() >= 1
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()


def test_all_pages_listed() -> None:
    assert {p.page_id for p in PAGES} == {
        p.stem for p in (Path(__file__).parents[2] / "pages").glob("*.py")
    }
