"""Overview: will every case in scope be assessed by the target, and if not, when?"""

import streamlit as st

from reassess.figures.status import burn_up_frames, compute_status, status_fan
from reassess.present.charts.burnup import burn_up
from reassess.present.formats import fmt_int
from reassess.present.narrative import changes_table, forecast_sentence, weeks_to_target_tile
from reassess.ui import page_context
from reassess.ui.widgets import Kpi, kpi_row, rag_badge

ctx = page_context("overview")
window = st.sidebar.select_slider(
    "Forecast window (weeks)",
    options=[4, 6, 8, 10, 12],
    value=8,
    key="window",
    help="The forecast samples completed assessments from this many recent weeks.",
)
status = compute_status(
    ctx.db, ctx.snapshot, ctx.compare, ctx.programme, role=ctx.role, window_weeks=window
)
k, d = status.kpis, status.deltas

rag_badge(status.rag)
st.markdown(forecast_sentence(status))

label_left, value_left, help_left = weeks_to_target_tile(status.weeks_to_target, status.target)
kpi_row(
    [
        Kpi("In scope", fmt_int(k["in_scope"]), d["in_scope"], "Cases the review must assess."),
        Kpi(
            "Assessed",
            fmt_int(k["assessed"]),
            d["assessed"],
            "Assessment completed (with or without QA sign-off).",
        ),
        Kpi("% assessed", f"{k['pct_assessed']:.1f}%", d["pct_assessed"], delta_suffix=" pts"),
        Kpi("In assessment", fmt_int(k["in_assessment"]), d["in_assessment"]),
        Kpi(
            "Awaiting allocation",
            fmt_int(k["awaiting_allocation"]),
            d["awaiting_allocation"],
            lower_is_better=True,
        ),
        Kpi("Awaiting QA", fmt_int(k["awaiting_qa"]), d["awaiting_qa"], lower_is_better=True),
        Kpi(
            "Weekly pace",
            f"{k['throughput_4w']:,.1f}",
            d["throughput_4w"],
            "Throughput: average assessments completed a week over the last four weeks.",
        ),
        Kpi(
            "Pace needed",
            f"{status.required_weekly:,.1f}" if status.required_weekly is not None else "—",
            None,
            "Assessments a week needed to meet the target: remaining cases divided by the weeks "
            "left to it (a dash once the target has passed).",
        ),
        Kpi(label_left, value_left, help=help_left),
        Kpi("Allocated, not started", fmt_int(k["allocated"]), d["allocated"]),
    ]
)

assessed, scope = burn_up_frames(ctx.db, ctx.snapshot, ctx.programme, role=ctx.role)
fan = status_fan(status)
st.plotly_chart(
    burn_up(assessed, scope, fan, as_of=ctx.snapshot.as_of, target=status.target), key="burn_up"
)

if ctx.compare is not None and status.changes is not None:
    st.subheader(f"What changed since {ctx.compare.as_of:%-d %B %Y}")
    st.dataframe(changes_table(status.changes), hide_index=True, key="changes")
else:
    st.info("Choose a snapshot to compare with in the sidebar to see what changed.")
