"""Throughput: assessments completed each week, flow through the stages, cycle time, ageing work, QA."""

import math

import streamlit as st

from reassess.present.charts import throughput as charts
from reassess.present.formats import fmt_int
from reassess.ui import page_context
from reassess.ui.drilldown import may_drill_down, reason_gate, show_case_list
from reassess.ui.widgets import Kpi, kpi_row

SPLITS = {"total": "Total", "team": "By team", "bcu": "By BCU"}
SPLIT_QUERIES = {"team": "throughput_completed_by_team", "bcu": "throughput_completed_by_bcu"}
QA_WEEKS = 8
OLDEST = 20


def fmt_days(days: float | None) -> str:
    return "—" if days is None or math.isnan(days) else f"{days:.1f}"


ctx = page_context("throughput")
as_of = ctx.snapshot.as_of
weeks = st.sidebar.select_slider(
    "Weeks shown",
    options=[4, 8, 12, 16, 26, 52],
    value=12,
    key="tp_weeks",
    help="Weekly charts, and the cycle times, cover this many weeks up to the as-of date.",
)
if st.session_state.get("tp_split") not in SPLITS:
    wanted = st.query_params.get("split", "total")
    if wanted not in SPLITS:
        st.warning(f"The link asked to split by '{wanted[:40]}', which is not an option.")
        wanted = "total"
    st.session_state["tp_split"] = wanted

flow = ctx.run("weekly_flow", as_of=as_of, weeks=weeks)
history = ctx.run("scope_history")
kpis = ctx.one("kpis")
last = flow.iloc[-1]
kpi_row(
    [
        Kpi("Completed this week", fmt_int(last["completed"]), help=f"Week ending {as_of:%-d %B}."),
        Kpi("Started this week", fmt_int(last["started"]), help=f"Week ending {as_of:%-d %B}."),
        Kpi(f"Completed in {weeks} weeks", fmt_int(flow["completed"].sum())),
    ],
    per_row=3,
)

st.subheader("Completed assessments per week")
split = st.radio("Split", list(SPLITS), format_func=SPLITS.get, key="tp_split", horizontal=True)
st.query_params["split"] = split
by = None if split == "total" else split
weekly = flow if by is None else ctx.run(SPLIT_QUERIES[by], as_of=as_of, weeks=weeks)
st.plotly_chart(charts.weekly_completed(weekly, by), key="tp_weekly")
st.caption(
    "Weeks end on the as-of weekday. A case counts for the team of the officer it is allocated to."
)
with st.expander("Figures behind the chart"):
    st.dataframe(charts.weekly_table(weekly, by), hide_index=True, key="tp_weekly_table")

st.subheader("Started and completed per week")
st.plotly_chart(charts.started_vs_completed(flow), key="tp_flow")
st.caption("The same weekly figures as the overview.")

st.subheader("Cumulative flow")
st.plotly_chart(charts.cumulative_flow(history), key="tp_cfd")
st.caption("One point per weekly snapshot, as that snapshot recorded it.")

st.subheader("Cycle time")
cycle = ctx.run("throughput_cycle_time", as_of=as_of, weeks=weeks)
if cycle.empty:
    st.info(f"No assessment was completed in the last {weeks} weeks.")
else:
    st.plotly_chart(charts.cycle_time(cycle), key="tp_cycle")
    st.dataframe(charts.cycle_time_table(cycle), hide_index=True, key="tp_cycle_table")
st.caption(
    f"Calendar days, for assessments completed in the last {weeks} weeks. "
    "Median: half took less; 85th percentile: 85 in 100 took no longer."
)

st.subheader("Ageing work in progress")
ageing = ctx.run("throughput_ageing_wip", as_of=as_of)
st.plotly_chart(charts.ageing_wip(ageing), key="tp_ageing")
st.dataframe(charts.ageing_table(ageing), hide_index=True, key="tp_ageing_table")
st.caption(
    f"Cases in assessment or awaiting QA, by calendar days from the start of the assessment to "
    f"{as_of:%-d %B %Y}. Each band includes its lower bound (14 days is in 2-4 weeks)."
)
if may_drill_down(ctx):
    what = f"the {OLDEST} oldest cases in progress"
    with st.expander(f"The {OLDEST} oldest cases in progress (case level)"):
        reason = reason_gate(ctx, key="tp_oldest_reason", what=what)
        if reason:
            oldest = ctx.run("throughput_oldest_wip", as_of=as_of, limit=OLDEST)
            file_name = f"oldest-in-progress-{ctx.snapshot.label}.csv"
            show_case_list(
                ctx, what=what, reason=reason, rows=oldest, key="tp_oldest", file_name=file_name
            )
else:
    st.caption("The list of the oldest cases is shown to commanders only.")

st.subheader("Quality assurance")
qa = ctx.one("throughput_qa_turnaround", as_of=as_of, weeks=QA_WEEKS)
kpi_row(
    [
        Kpi("Awaiting QA", fmt_int(kpis["awaiting_qa"]), lower_is_better=True),
        Kpi(f"Signed off in {QA_WEEKS} weeks", fmt_int(qa["signed_off"])),
        Kpi("Median days to QA", fmt_days(qa["p50_days"])),
        Kpi("85th percentile days", fmt_days(qa["p85_days"])),
    ],
    per_row=4,
)
st.plotly_chart(charts.qa_backlog(history), key="tp_qa_backlog")
st.caption(
    f"Turnaround: calendar days from completed assessment to QA sign-off, for sign-offs in the "
    f"last {QA_WEEKS} weeks."
)
