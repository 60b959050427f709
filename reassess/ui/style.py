"""The app's own stylesheet, added once to every page (a constant: never built from data)."""

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


def add_app_css() -> None:
    """Add the app's stylesheet to the page."""
    st.html(APP_CSS)
