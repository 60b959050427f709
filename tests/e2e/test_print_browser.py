"""The Briefing printed from the browser: chromium's own print to PDF, read back page by page.

Printed as a person would (the print view, then the browser's Print, A4 portrait), the PDF must
hold every borough and every BCU, the marking and "page x of y" on every sheet, and the whole
burn-up as an image.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from reassess.extract.contract import BCUS, BOROUGH_BCU
from tests.e2e.server import SCREENSHOTS, streamlit_server, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MARKING = "OFFICIAL-SENSITIVE · SYNTHETIC DATA"


@pytest.fixture(scope="module")
def server(demo_dir: Path):
    with streamlit_server(demo_dir) as url:
        yield url


def printed(server: str, browser, path: str, width: int) -> list[str]:
    """Open `path` at a screen `width`, print it to A4 in chromium; each sheet's text."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server}{path}")
        wait_ready(page)
        assert page.locator("[data-testid='stException']").count() == 0
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"print-{width}.pdf").write_bytes(pdf)
    finally:
        context.close()
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_printed_briefing_holds_every_borough_and_bcu_and_the_marking_on_every_page(
    server: str, browser, width: int
) -> None:
    sheets = printed(server, browser, "/briefing?role=mayors_office&print=1", width)
    assert len(sheets) >= 3, "the briefing should run to several A4 sheets"
    for n, text in enumerate(sheets, start=1):
        flat = " ".join(text.split())
        assert MARKING in flat, f"sheet {n} has no marking: {flat[:200]!r}"
        assert f"Page {n} of {len(sheets)}" in flat, f"sheet {n} has no page number"
    whole = " ".join(" ".join(sheets).split())
    missing_boroughs = [b for b in BOROUGH_BCU if b not in whole]
    assert not missing_boroughs, missing_boroughs
    missing_bcus = [name for name, _ in BCUS.values() if name not in whole]
    assert not missing_bcus, missing_bcus
    for heading in ("What changed", "Breakdowns", "Definitions", "Disclosure rules applied"):
        assert heading in whole, heading
    # no app chrome on paper
    assert "View as (demo)" not in whole and "CSV files (zip)" not in whole


def test_one_click_downloads_the_pdf_after_recording_the_export(
    server: str, browser, demo_dir: Path
) -> None:
    from datetime import date

    from reassess.store.audit import AuditLog

    log = AuditLog(demo_dir / "audit")
    before = len(log.read(date(2000, 1, 1), action="export"))
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server}/briefing?role=mayors_office")
        wait_ready(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="PDF (A4)").click()  # one click, nothing before it
        saved = download.value.path()
        assert download.value.suggested_filename.startswith("briefing-")
        assert Path(saved).read_bytes()[:5] == b"%PDF-"
    finally:
        context.close()
    exports = log.read(date(2000, 1, 1), action="export")
    assert len(exports) == before + 1
    newest = exports.sort_values("at").iloc[-1]
    assert newest["role"] == "mayors_office" and str(newest["detail"]).endswith(".pdf")
