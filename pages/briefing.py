"""Briefing: progress for the Mayor's office, every figure through disclosure control."""

from functools import partial

import streamlit as st

from reassess.briefing.build import build_briefing
from reassess.briefing.contents import Briefing, BriefingTable, display_value
from reassess.briefing.export import (
    XLSX_MIME,
    briefing_pdf,
    briefing_xlsx,
    briefing_zip,
    burn_up_png,
)
from reassess.figures.status import Rag
from reassess.ui import page_context
from reassess.ui.audit_hooks import audited_download
from reassess.ui.charts import burn_up_chart
from reassess.ui.context import PageContext
from reassess.ui.printing import chart, data_table, print_view, print_view_link, section
from reassess.ui.widgets import Kpi, kpi_row, rag_badge

EXPORTS = {"pdf": briefing_pdf, "xlsx": briefing_xlsx, "zip": briefing_zip}
DOWNLOADS = (
    ("PDF (A4)", "pdf", "application/pdf"),
    ("Excel", "xlsx", XLSX_MIME),
    ("CSV files (zip)", "zip", "application/zip"),
)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_briefing(_ctx: PageContext, key: tuple[object, ...]) -> Briefing:
    """The briefing for the selected snapshots; `key` names the snapshot files it reads."""
    return build_briefing(
        _ctx.db,
        _ctx.snapshot,
        _ctx.compare,
        _ctx.programme,
        window_weeks=_ctx.window,
        role=_ctx.role,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def export_bytes(kind: str, _b: Briefing, key: tuple[object, ...]) -> bytes:
    """One export of the briefing for `key` (as cached_briefing), made once per process."""
    return EXPORTS[kind](_b)


ctx = page_context("briefing")
snapshots = (ctx.snapshot, ctx.compare) if ctx.compare else (ctx.snapshot,)
key = (*((str(s.path), s.stat_key) for s in snapshots), ctx.window, ctx.role)
b = cached_briefing(ctx, key)


def show_table(t: BriefingTable) -> None:
    """A disclosed table with its footnotes."""
    st.markdown(f"**{t.title}**")
    data_table(t.display(), key=f"table_{t.key}")
    if t.notes:
        st.caption(" ".join(t.notes))


st.markdown(f"**{b.marking}**")
st.caption(
    "Figures are rounded and small counts hidden (see the disclosure rules below). "
    "To print an A4 copy, open the print view and use the browser's Print: menus and buttons "
    "are left out, and every table prints whole."
)
print_view_link()
rag_badge(Rag(b.rag_colour, b.rag_label, b.rag_reason, b.rag_rule))
st.markdown(b.headline)
for sentence in b.narrative:
    st.markdown(f"- {sentence}")

f = b.figures
kpi_row(
    [
        Kpi("Cases in scope", display_value(f["in_scope"])),
        Kpi("Assessed", display_value(f["assessed"]), help="Assessment completed."),
        Kpi("% assessed", "—" if b.pct_assessed is None else f"{b.pct_assessed:.0f}%"),
        Kpi("Still to assess", display_value(f["remaining"])),
        Kpi("Awaiting allocation", display_value(f["awaiting_allocation"])),
    ]
)

st.subheader("What changed")
if b.changes is not None and b.changes_text:
    st.markdown(b.changes_text)
    show_table(b.changes)
else:
    st.info("Choose a snapshot to compare with in the sidebar to see what changed.")

st.subheader("Progress")
chart(
    lambda: st.plotly_chart(
        burn_up_chart(b.chart_assessed, b.chart_scope, b.chart_fan, as_of=b.as_of, target=b.target),
        key="briefing_burn_up",
    ),
    lambda: burn_up_png(b).getvalue(),
    alt="Burn-up: cases assessed and cases in scope by week, with the forecast range.",
)
st.caption(b.forecast_note)
show_table(b.headline_table)

st.subheader("Reinvestigations and victim support")
st.markdown(b.reinvestigation_text)
if b.unmet_demand:
    st.markdown(b.unmet_demand)
if b.reinvestigation is not None:
    show_table(b.reinvestigation)

st.subheader("Breakdowns")
for table in (b.by_category, b.by_bcu, b.borough_category):
    show_table(table)

st.subheader("Resource position and funding gap")
st.markdown(b.resources_text)
show_table(b.resources_table())

st.subheader("Caveats")
for caveat in b.caveats:
    st.markdown(f"- {caveat}")
show_table(b.ethnicity)

with section("Definitions"):
    for term, meaning in b.definitions:
        st.markdown(f"- **{term}**: {meaning}")
with section("Disclosure rules applied"):
    for rule in b.disclosure_rules:
        st.markdown(f"- {rule}")
with section("Sources"):
    for source in b.sources:
        st.markdown(f"- {source}")

if not print_view():  # the print view is for paper: no buttons
    st.subheader("Download")
    st.caption(
        "The files hold the same disclosed figures, with the marking on every page or sheet."
    )
    for col, (label, kind, mime) in zip(st.columns(3), DOWNLOADS, strict=True):
        with col:
            audited_download(
                ctx,
                label=label,
                data=partial(export_bytes, kind, b, key),  # made once, after the export is recorded
                file_name=f"briefing-{b.snapshot_label}.{kind}",
                mime=mime,
                key=f"briefing_{kind}",
                page="briefing",
            )
