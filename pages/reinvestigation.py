"""Reinvestigation: how far the reinvestigations have got, their flow, victim support and demand."""

import streamlit as st

from reassess.access import ROLE_RESULTS
from reassess.briefing.outcomes import Outcomes, demand_statement, outcomes
from reassess.disclosure.ledger import ledger_for
from reassess.disclosure.tables import default_rules
from reassess.figures.reinvestigation import (
    CONTACT_WEEKS,
    DEFINITIONS,
    FUNNEL,
    ageing_frame,
    flow_frame,
    funnel_frame,
    read_funnel,
    recorded_from,
    victim_support,
)
from reassess.figures.reinvestigation_plan import coupled_plan, months_frame
from reassess.present.formats import fmt_int
from reassess.present.reinvestigation import (
    ageing_table,
    isva_sentence,
    months_table,
    recorded_sentence,
)
from reassess.ui import page_context
from reassess.ui.charts import demand_chart, flow_chart, funnel_chart
from reassess.ui.context import PageContext
from reassess.ui.drilldown import may_drill_down, reason_gate, show_case_list
from reassess.ui.printing import data_table, section
from reassess.ui.widgets import Kpi, kpi_row


# the figures are built once per set of figures and never mutated (a plotly figure costs ~25 ms)
@st.cache_resource(show_spinner=False, max_entries=16)
def disclosed(_ctx: PageContext, key: tuple[object, ...]) -> Outcomes:
    """The Mayor's office's funnel for `key` (the snapshot files it reads); never mutated."""
    ledger = ledger_for(_ctx.snapshot.path.parent)
    return outcomes(_ctx.db, _ctx.snapshot, _ctx.compare, ledger, default_rules(), role=_ctx.role)


ctx = page_context("reinvestigation")
as_of = ctx.snapshot.as_of
first = recorded_from(ctx.listing, ctx.snapshot)
st.caption(recorded_sentence(first, as_of))
if first is None:
    st.info("No reinvestigations are recorded in this snapshot yet.")
    st.stop()

with section("What each stage counts"):
    st.markdown("A reinvestigation counts at every stage up to the furthest it has reached.")
    for term, meaning in DEFINITIONS:
        st.markdown(f"- **{term}**: {meaning}")

if ROLE_RESULTS[ctx.role] != "as_recorded":  # the Mayor's office: disclosure-controlled
    snapshots = (ctx.snapshot, ctx.compare) if ctx.compare else (ctx.snapshot,)
    out = disclosed(ctx, (*((str(s.path), s.stat_key) for s in snapshots), ctx.role))
    st.subheader("How far the reinvestigations have got")
    st.markdown(out.text)
    data_table(out.table.display(), key="ri_disclosed")
    st.caption(" ".join(out.table.notes))
    st.subheader("Demand against capacity")
    st.markdown(
        demand_statement(
            coupled_plan(ctx.db, ctx.snapshot, programme=ctx.programme), as_recorded=False
        )
    )
    st.caption(
        "The weekly flow, ageing, monthly forecast and case lists are shown to the review team."
    )
    st.stop()

now = read_funnel(ctx.db, ctx.snapshot, role=ctx.role)
then = read_funnel(ctx.db, ctx.compare, role=ctx.role) if ctx.compare else None


def change(name: str) -> float | None:
    return None if then is None else now[name] - then[name]


kpi_row(
    [
        Kpi("Referred", fmt_int(now["referred"]), change("referred")),
        Kpi(
            "Not yet closed",
            fmt_int(now["open"]),
            change("open"),
            "Referred and not yet closed, at any stage (the forecast below counts only "
            "investigations opened).",
        ),
        Kpi("Investigation opened", fmt_int(now["opened"]), change("opened")),
        Kpi(
            "Suspects charged",
            fmt_int(now["charged"]),
            change("charged"),
            "Reinvestigations with at least one suspect charged.",
        ),
        Kpi("Closed", fmt_int(now["closed"]), change("closed")),
    ]
)

st.subheader("The funnel")
funnel = funnel_frame(now, then)
st.plotly_chart(funnel_chart(funnel.head(len(FUNNEL))), key="ri_funnel")
shown = funnel.rename(columns={"Change": "Change since the comparison"})
if then is None:
    shown = shown.drop(columns=["Change since the comparison"])
    st.caption("Choose a snapshot to compare with in the sidebar to see each stage's change.")
data_table(shown, key="ri_funnel_table")

st.subheader("Flow over time")
flow = flow_frame(ctx.db, ctx.listing, ctx.snapshot, role=ctx.role)
st.plotly_chart(flow_chart(flow), key="ri_flow")
st.caption(
    "Each week's figures are the change between that week's snapshot and the one before; the "
    "first recorded snapshot starts the history."
)
st.markdown("**How long the open reinvestigations have waited, by stage**")
data_table(ageing_table(ageing_frame(ctx.db, ctx.snapshot, role=ctx.role)), key="ri_ageing")

st.subheader("Victim support")
support = victim_support(now, ctx.programme)
kpi_row(
    [
        Kpi("ISVA offered", fmt_int(support.offered), help="Offered, whatever the answer."),
        Kpi("ISVA accepted", fmt_int(support.accepted)),
        Kpi("ISVA offered, not taken up", fmt_int(support.declined)),
        Kpi("ISVA not yet offered", fmt_int(support.not_offered)),
        Kpi("ISVAs in post", fmt_int(support.isvas_in_post), help="Config: isvas_in_post."),
    ]
)
st.markdown(isva_sentence(support))

st.subheader("Demand against capacity: the next 12 months")
plan = coupled_plan(ctx.db, ctx.snapshot, programme=ctx.programme)
st.markdown(plan.statement())
st.markdown(plan.isva_statement())
months = months_frame(plan)
st.plotly_chart(demand_chart(months), key="ri_demand")
data_table(months_table(months), key="ri_months")
st.caption(
    "The coupled forecast carries the assessment forecast's trials into referrals, openings and "
    f"closures ({plan.trials:,} trials); investigations open counts those opened and not yet "
    "closed, and FTE needed is the median trial's. See docs/forecasting.md."
)

st.subheader(f"Awaiting victim contact for over {CONTACT_WEEKS} weeks")
if may_drill_down(ctx):
    what = f"reinvestigations awaiting victim contact for over {CONTACT_WEEKS} weeks"
    with st.expander("The reinvestigations awaiting contact (case level)"):
        reason = reason_gate(ctx, key="ri_awaiting_reason", what=what)
        if reason:
            rows = ctx.run("reinvestigation_awaiting", as_of=as_of, weeks=CONTACT_WEEKS)
            show_case_list(
                ctx,
                what=what,
                reason=reason,
                rows=rows,
                key="ri_awaiting",
                file_name=f"awaiting-contact-{ctx.snapshot.label}.csv",
            )
else:
    st.caption("The list of reinvestigations awaiting contact is shown to commanders only.")
