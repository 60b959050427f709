"""Categories: cases in scope, assessed and outcomes by category, BCU, borough, year and priority."""

import streamlit as st

from reassess.extract.contract import BCUS, CATEGORIES, PRIORITIES
from reassess.present.breakdowns import (
    breakdown_table,
    breakdown_totals,
    cross_tab,
    outcome_mix,
    outcome_table,
)
from reassess.present.filter_state import (
    DIMENSIONS,
    WIDGET_KEYS,
    FilterState,
    parse_params,
    year_bounds,
)
from reassess.present.formats import fmt_int
from reassess.present.vocabulary import dimension_label, labeller
from reassess.ui import page_context
from reassess.ui.charts import breakdown_bars, outcome_mix_bars, people_bars
from reassess.ui.drilldown import may_drill_down, pick_cell, reason_gate, show_case_list
from reassess.ui.widgets import Kpi, kpi_row

SUMMED = "Summed over cases: a person named in two cases is counted twice."

ctx = page_context("categories")
bounds = year_bounds(ctx.snapshot.as_of)
if any(k not in st.session_state for k in WIDGET_KEYS):  # a new session: the link seeds the bar
    parsed = parse_params(st.query_params.to_dict(), bounds)
    for problem in parsed.problems:
        st.warning(problem, icon=":material/link_off:")
    for key, value in parsed.state.widget_values(bounds).items():
        st.session_state.setdefault(key, value)

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    c1.multiselect("Category", CATEGORIES, key="f_cat", format_func=labeller("category"))
    c2.multiselect("BCU", tuple(BCUS), key="f_bcu", format_func=labeller("bcu"))
    c3.slider("Year of original report", min_value=bounds[0], max_value=bounds[1], key="f_years")
    c4.multiselect("Priority", PRIORITIES, key="f_prio", format_func=labeller("priority"))
    st.selectbox("Break down by", tuple(DIMENSIONS), key="by", format_func=dimension_label)
state = FilterState.from_widgets(st.session_state, bounds)
state.write(st.query_params)
params = state.sql_params()
label = dimension_label(state.by)

breakdown = ctx.run("categories_breakdown", dimension=state.by, **params)
totals = breakdown_totals(breakdown)
st.caption(f"{state.describe()}. An empty filter means every value.")
if not totals["in_scope"]:
    st.info("No case in scope matches these filters. Clear a filter to see more.")
    st.stop()
kpi_row(
    [
        Kpi("Cases in scope", fmt_int(totals["in_scope"]), help="Cases matching the filters."),
        Kpi("Assessed", fmt_int(totals["assessed"]), help="Assessment completed."),
        Kpi("% assessed", f"{totals['pct_assessed']:.1f}%"),
        Kpi("Victims", fmt_int(totals["victims"]), help=SUMMED),
        Kpi("Suspects", fmt_int(totals["suspects"]), help=SUMMED),
    ]
)

table = breakdown_table(breakdown, state.by)
st.subheader(f"By {label.lower()}")
st.plotly_chart(breakdown_bars(table, label), key="breakdown_chart")
st.dataframe(
    table,
    hide_index=True,
    key="breakdown",
    column_config={"% assessed": st.column_config.NumberColumn(format="%.1f%%")},
)

st.subheader("Outcome of completed assessments by category")
by_category = ctx.run("categories_breakdown", dimension="category", **params)
mix = outcome_mix(by_category, "category")
st.plotly_chart(outcome_mix_bars(mix, "category"), key="outcome_chart")
st.dataframe(outcome_table(by_category, "category"), hide_index=True, key="outcomes")

st.subheader(f"Victims and suspects by {label.lower()}")
st.plotly_chart(people_bars(table, label), key="people_chart")
st.caption(SUMMED)

st.subheader("Cross-tab of cases in scope")
c1, c2 = st.columns(2)
c1.selectbox("Rows", tuple(DIMENSIONS), key="xrows", format_func=dimension_label)
c2.selectbox("Columns", tuple(DIMENSIONS), key="xcols", format_func=dimension_label)
counts = None
if state.rows == state.cols:
    st.info("Choose two different dimensions for the rows and the columns.")
else:
    counts = ctx.run("categories_crosstab", rows=state.rows, cols=state.cols, **params)
    st.dataframe(cross_tab(counts, state.rows, state.cols), key="crosstab")

if may_drill_down(ctx):
    st.subheader("Cases behind a figure")
    cell = pick_cell(state.by, breakdown, state.rows, state.cols, counts)
    reason = reason_gate(ctx, key="dd_reason", what="this case list")
    if reason:
        show_case_list(
            ctx,
            what=f"{cell.describe()} ({state.describe()})",
            reason=reason,
            rows=ctx.run("categories_cases", **cell.params(), **params),
            key="dd",
            file_name=f"cases-{ctx.snapshot.label}-{cell.row_value}.csv",
        )
