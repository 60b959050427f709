"""workload (being built)."""

import streamlit as st

from reassess.ui import page_context

ctx = page_context("workload")
st.info("This view is being built.")
