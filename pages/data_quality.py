"""data_quality (being built)."""

import streamlit as st

from reassess.ui import page_context

ctx = page_context("data_quality")
st.info("This view is being built.")
