"""Workload: open caseload, recent completions, availability, capacity against demand, abstraction."""

import streamlit as st

from reassess.access import can_run, may_set_thresholds
from reassess.figures.forecast import headline
from reassess.figures.team import abstraction_words
from reassess.model import workload as wl
from reassess.present.charts import workload as charts
from reassess.present.formats import fmt_int
from reassess.ui import page_context
from reassess.ui.widgets import Kpi, assumptions_note, kpi_row

ctx = page_context("workload")
as_of, prog = ctx.snapshot.as_of, ctx.programme
per_officer = can_run(ctx.role, "officer")
left, middle, right = st.columns(3)
if may_set_thresholds(ctx.role):
    overload = left.number_input(
        "Overloaded above (open cases)",
        min_value=0,
        max_value=1000,
        value=prog.overload_open_cases,
        key="wl_overload",
        help=prog.setting("overload_open_cases").source,
    )
    idle_weeks = middle.number_input(
        "No completion for (weeks)",
        min_value=1,
        max_value=26,
        value=prog.idle_weeks,
        key="wl_idle_weeks",
        help=prog.setting("idle_weeks").source,
    )
else:  # fixed: moving them would reveal each officer's caseload through the team counts
    overload, idle_weeks = prog.overload_open_cases, prog.idle_weeks
    left.metric(
        "Overloaded above (open cases)", overload, help=prog.setting("overload_open_cases").source
    )
    middle.metric("No completion for (weeks)", idle_weeks, help=prog.setting("idle_weeks").source)
    st.caption(
        "These thresholds are set in config/programme.toml for this role: changing them one step "
        "at a time would show each officer's caseload through the team counts."
    )
horizon = right.number_input(
    "Planning horizon (weeks)",
    min_value=1,
    max_value=104,
    value=wl.planning_horizon_weeks(as_of, prog.target_date),
    key="wl_horizon",
    help="Weeks ahead for capacity against demand: by default the weeks left to the target "
    f"date, or {wl.FALLBACK_HORIZON_WEEKS} once it has passed.",
)
params = {"as_of": as_of, "window_weeks": wl.RECENT_WEEKS, "idle_weeks": int(idle_weeks)}
teams = ctx.run("workload_by_team", **params, overload=int(overload))
totals = wl.workload_totals(teams)
kpi_row(
    [
        Kpi("Open cases", fmt_int(totals.open_cases), help="Allocated or in assessment."),
        Kpi(
            "Available FTE",
            f"{totals.available_fte:,.1f}",
            help=f"Of {totals.fte_in_post:,.1f} FTE in post.",
        ),
        Kpi(f"Completed in {wl.RECENT_WEEKS} weeks", fmt_int(totals.completed_recent)),
        Kpi("Overloaded", fmt_int(totals.officers_overloaded), help="Officers over the threshold."),
        Kpi("No recent completion", fmt_int(totals.officers_idle), help="Available officers."),
    ]
)
st.caption(wl.definitions_note(int(overload), int(idle_weeks)))

if per_officer:
    officers = ctx.run("workload_by_officer", **params, overload=int(overload))
    st.subheader("By officer")
    st.dataframe(charts.officer_table(officers), hide_index=True, key="wl_officers")
    in_post = officers[officers["in_post"]]
    st.plotly_chart(charts.caseload_histogram(in_post, int(overload)), key="wl_histogram")
    for flag, what in (("overloaded", "Overloaded"), ("idle", "No recent completion")):
        st.markdown(f"**{what}:** {charts.flagged_refs(officers, flag)}")
st.subheader("By team")
st.dataframe(charts.team_table(teams), hide_index=True, key="wl_teams")
if not per_officer:
    st.plotly_chart(charts.team_caseload(teams), key="wl_team_caseload")
    st.caption("Workload per officer is shown to commanders only.")

heat = ctx.run("throughput_completed_by_team", as_of=as_of, weeks=wl.HEATMAP_WEEKS)
st.plotly_chart(charts.completions_heatmap(heat), key="wl_heatmap")
with st.expander("Figures behind the heatmap"):
    st.dataframe(charts.team_week_table(heat), hide_index=True, key="wl_heat_table")

st.subheader("Capacity against demand")
plan = headline(ctx.db, ctx.snapshot, prog, ctx.window)
cap = plan.capacity(int(horizon))
if cap is None:
    st.info(plan.reason or "No capacity figure can be given: there is no forecast.")
else:
    kpi_row(
        [
            Kpi("Capacity (cases)", f"{cap.capacity_cases:,.0f}"),
            Kpi("Demand (cases)", f"{cap.demand_cases:,.0f}"),
            Kpi(
                "Gap (cases)",
                f"{cap.gap_cases:+,.0f}",
                help="Capacity minus demand; negative is a shortfall.",
            ),
            Kpi("Capacity (hours)", f"{cap.capacity_hours:,.0f}"),
            Kpi("Demand (hours)", "—" if cap.demand_hours is None else f"{cap.demand_hours:,.0f}"),
            Kpi(
                "Available FTE gap",
                "—" if cap.available_fte_gap is None else f"{cap.available_fte_gap:+,.1f}",
                help="Average available FTE needed to finish by the horizon at the measured pace, "
                "less the average expected.",
            ),
        ],
        per_row=3,
    )
    chart_col, note_col = st.columns([3, 2])
    chart_col.plotly_chart(charts.capacity_demand(cap), key="wl_capacity")
    with note_col:
        st.markdown(wl.capacity_note(cap, abstraction_words(plan.abstraction)))
        assumptions_note([prog.setting(n) for n in wl.ASSUMPTIONS])

st.subheader("Abstraction")
absent = ctx.run("workload_abstraction_weekly", as_of=as_of, weeks=wl.HEATMAP_WEEKS)
st.plotly_chart(charts.abstraction_weekly(absent), key="wl_abstraction")
share = wl.abstraction_share(absent)
st.caption(
    f"Working days (Monday to Friday) lost to abstraction, weighted by FTE. Over these "
    f"{wl.HEATMAP_WEEKS} weeks: {'—' if share is None else f'{share:.1%}'} of FTE days in post "
    f"(the forecast uses {abstraction_words(plan.abstraction)})"
)
with st.expander("Figures behind the chart"):
    st.dataframe(charts.abstraction_table(absent), hide_index=True, key="wl_abstraction_table")
