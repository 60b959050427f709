"""The pages' charts, each built once per set of figures in the process.

A plotly figure costs tens of milliseconds to build and Streamlit only reads it, so a warm page
reuses the one already built for the same frames and values (``st.cache_resource`` hashes the
arguments). The figures are never mutated after they are built. Each name here is the chart
builder of reassess/present/charts/ of the same name (or, for the burn-up, track record and
scenario curves, named after what it draws), cached.
"""

from __future__ import annotations

import streamlit as st

from reassess.present.charts import categories, quality, reinvestigation, scenarios
from reassess.present.charts.burnup import burn_up
from reassess.present.charts.track_record import drift_chart

_KEEP = 32
"""Figures kept per chart: a few snapshots, comparisons and filters a session moves between."""

burn_up_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(burn_up)
track_record_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(drift_chart)
completion_curves_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    scenarios.completion_chart
)
officers_curve_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    scenarios.officers_curve_chart
)
unmet_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(scenarios.unmet_chart)
breakdown_bars = st.cache_resource(show_spinner=False, max_entries=_KEEP)(categories.breakdown_bars)
outcome_mix_bars = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    categories.outcome_mix_bars
)
people_bars = st.cache_resource(show_spinner=False, max_entries=_KEEP)(categories.people_bars)
completeness_bars = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    quality.completeness_bars
)
ethnicity_bars = st.cache_resource(show_spinner=False, max_entries=_KEEP)(quality.ethnicity_bars)
funnel_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    reinvestigation.funnel_chart
)
flow_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(reinvestigation.flow_chart)
demand_chart = st.cache_resource(show_spinner=False, max_entries=_KEEP)(
    reinvestigation.demand_chart
)

__all__ = [
    "breakdown_bars",
    "burn_up_chart",
    "completeness_bars",
    "completion_curves_chart",
    "demand_chart",
    "ethnicity_bars",
    "flow_chart",
    "funnel_chart",
    "officers_curve_chart",
    "outcome_mix_bars",
    "people_bars",
    "track_record_chart",
    "unmet_chart",
]
