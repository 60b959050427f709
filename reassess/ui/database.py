"""Process-wide resources, created once per server process by st.cache_resource."""

from __future__ import annotations

import streamlit as st

from reassess.snapshot.runner import Database


@st.cache_resource(show_spinner=False)
def database() -> Database:
    """The query runner shared by every session (thread-safe, read-only)."""
    return Database()
