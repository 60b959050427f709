"""throughput (being built)."""

import streamlit as st

from reassess.ui import page_context

ctx = page_context("throughput")
st.info("This view is being built.")
