"""The app's own stylesheet, added once to every page (constants: never built from data)."""

from __future__ import annotations

import streamlit as st

APP_CSS = """<style>
/* WCAG 2.2 target size (2.5.8): the day, month and year parts of a date field are at least
   24 x 24 px to click or tap. */
[data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}
/* Code blocks (the audit anchor) wrap instead of scrolling sideways, so nothing needs a
   scroll only a mouse can reach (WCAG 2.1.1), least of all on a phone. */
[data-testid="stCode"] pre, [data-testid="stCode"] code {
  white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: break-all;
}
</style>"""


PRINT_CSS = """<style>
@media print {
  /* A4 portrait, the marking at the head and foot of every page, and "page x of y". */
  @page {
    size: A4 portrait; margin: 16mm 12mm 16mm 12mm;
    @top-center { content: "OFFICIAL-SENSITIVE"; font: 600 9pt sans-serif; color: #111; }
    @bottom-left { content: "OFFICIAL-SENSITIVE"; font: 9pt sans-serif; color: #111; }
    @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; }
  }
  /* No app chrome on paper: menus, sidebar, buttons and downloads are for the screen. */
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stDownloadButton"],
  [data-testid="stButton"], [data-testid="stBaseButton-header"], .screen-only {
    display: none !important;
  }
  /* The page flows onto as many sheets as it needs, instead of one scrolling window. */
  html, body, #root, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"],
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .block-container {
    height: auto !important; min-height: 0 !important; overflow: visible !important;
    position: static !important;
  }
  [data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 0 !important;
  }
  /* Headings stay with what follows; small blocks are not split across sheets. */
  h1, h2, h3, h4, [data-testid="stHeading"], [data-testid="stCaptionContainer"] {
    break-after: avoid-page; page-break-after: avoid;
  }
  [data-testid="stMetric"], [data-testid="stAlert"], [data-testid="stImage"], tr {
    break-inside: avoid; page-break-inside: avoid;
  }
  /* Expanders print open. */
  details::details-content { content-visibility: visible !important; display: block !important; }
  [data-testid="stExpanderDetails"] { display: block !important; height: auto !important; }
  /* Static tables print every row and column, wrapping headers at word boundaries. */
  [data-testid="stTable"] table { width: 100% !important; font-size: 8.5pt; }
  [data-testid="stTable"] th, [data-testid="stTable"] td {
    white-space: normal !important; word-break: normal; overflow-wrap: normal; hyphens: none;
    padding: 2px 4px !important;
  }
  [data-testid="stTable"] { overflow: visible !important; max-height: none !important; }
  img { max-width: 100% !important; }
}
.print-only { display: none; }
@media print { .print-only { display: block; } }
</style>"""


# On synthetic data the margins say so too (a later @page rule wins). Both are literals, as
# every raw HTML string must be; a test holds them to reassess.present.marking.
SYNTHETIC_PRINT_CSS = """<style>
@media print {
  @page {
    @top-center { content: "OFFICIAL-SENSITIVE · SYNTHETIC DATA"; }
    @bottom-left { content: "OFFICIAL-SENSITIVE · SYNTHETIC DATA"; }
  }
}
</style>"""


def add_app_css(synthetic: bool = True) -> None:
    """Add the app's stylesheet, screen and print, to the page."""
    st.html(APP_CSS)
    st.html(PRINT_CSS)
    if synthetic:
        st.html(SYNTHETIC_PRINT_CSS)
