"""The pages' charts, each built once per set of figures in the process.

A plotly figure costs tens of milliseconds to build and Streamlit only reads it, so a warm page
reuses the one already built for the same frames and dates (``st.cache_resource`` hashes the
arguments). The figures are never mutated after they are built.
"""

from __future__ import annotations

import streamlit as st

from reassess.present.charts.burnup import burn_up
from reassess.present.charts.scenarios import completion_chart
from reassess.present.charts.track_record import drift_chart

burn_up_chart = st.cache_resource(show_spinner=False, max_entries=32)(burn_up)
track_record_chart = st.cache_resource(show_spinner=False, max_entries=32)(drift_chart)
completion_curves_chart = st.cache_resource(show_spinner=False, max_entries=32)(completion_chart)

__all__ = ["burn_up_chart", "completion_curves_chart", "track_record_chart"]
