"""briefing (being built)."""

import streamlit as st

from reassess.ui import page_context

ctx = page_context("briefing")
st.info("This view is being built.")
