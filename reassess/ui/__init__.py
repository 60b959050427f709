"""Streamlit helpers: the shell (sign-in/role, snapshot pickers, banners) and page context."""

from reassess.ui.context import PageContext, page_context

__all__ = ["PageContext", "page_context"]
