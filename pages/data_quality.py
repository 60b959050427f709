"""Data quality: completeness, suspect ethnicity recorded, warnings, changes and snapshot history."""

import streamlit as st

from reassess.extract.contract import STALE_IN_ASSESSMENT_DAYS
from reassess.present.filter_state import ETHNICITY_DIMENSIONS
from reassess.present.formats import fmt_int
from reassess.present.quality import (
    broken_table,
    change_counts_table,
    completeness_table,
    ethnicity_shares,
    ethnicity_table,
    history_table,
    previous_as_of,
    warning_counts,
)
from reassess.present.vocabulary import dimension_label
from reassess.ui import page_context
from reassess.ui.charts import completeness_bars, ethnicity_bars
from reassess.ui.drilldown import may_drill_down, reason_gate, show_case_list
from reassess.ui.widgets import Kpi, assumptions_note, kpi_row

ctx = page_context("data_quality")
national = ctx.programme.setting("national_ethnicity_missing_share")
flagging = ctx.programme.setting("flagging_accuracy_share")

by_code = warning_counts(ctx.run("quality_warning_summary"))
changes = ctx.one("quality_change_counts")
kpi_row(
    [
        Kpi("Validation warnings", fmt_int(sum(by_code.values())), help="Accepted at ingest."),
        Kpi(
            f"In assessment over {STALE_IN_ASSESSMENT_DAYS} days",
            fmt_int(by_code.get("stale_in_assessment", 0)),
        ),
        Kpi("Status went backwards", fmt_int(changes["status_backwards"])),
        Kpi("Left scope", fmt_int(changes["left_scope"]), help="Gone since the last snapshot."),
    ],
    per_row=4,
)

st.subheader("Completeness of each field")
st.caption("Share of cases with the field recorded, among the cases where the contract expects it.")
completeness = completeness_table(ctx.run("quality_completeness"))
st.plotly_chart(completeness_bars(completeness), key="completeness_chart")
st.dataframe(
    completeness,
    hide_index=True,
    key="completeness",
    column_config={"% recorded": st.column_config.NumberColumn(format="%.1f%%")},
)

st.subheader("Suspect ethnicity recorded")
st.caption(
    f"Nationally, suspects' ethnicity was missing for about {national.value:.0%} of perpetrators "
    f"(_{national.source}_). These bars count cases with suspects, not people, so compare the "
    f"dashed line with them as a guide, not like for like. Only {flagging.value:.0%} of child "
    f"exploitation cases were accurately flagged (_{flagging.source}_)."
)
dim = st.radio(
    "Show by", ETHNICITY_DIMENSIONS, key="eth_by", format_func=dimension_label, horizontal=True
)
shares = ethnicity_shares(ctx.run("quality_ethnicity", dimension=dim), dim)
st.plotly_chart(
    ethnicity_bars(shares, dimension_label(dim), float(national.value), national.source),
    key="eth_chart",
)
st.dataframe(ethnicity_table(shares, dim), hide_index=True, key="ethnicity")
assumptions_note([national, flagging], title="National figures shown beside these")

st.subheader("Validation warnings")
warnings = ctx.run("quality_warnings")
if warnings.empty:
    st.success("This snapshot carries no validation warnings.", icon=":material/check_circle:")
else:
    st.caption("Accepted at ingest but worth a look. Case refs are withheld here.")
    st.dataframe(warnings, hide_index=True, key="warnings")

prev = previous_as_of(changes)
st.subheader(
    f"Changes since the previous snapshot ({prev:%-d %B %Y})"
    if prev
    else "Changes since the previous snapshot"
)
if prev is None:
    st.info("This is the first snapshot, so there is nothing to compare with.")
st.dataframe(change_counts_table(changes), hide_index=True, key="change_counts")
if may_drill_down(ctx):
    reason = reason_gate(
        ctx, key="dq_reason", what="the case refs behind these warnings and changes"
    )
    if reason:
        show_case_list(
            ctx,
            what="cases that went backwards in status or left scope",
            reason=reason,
            rows=ctx.run("quality_changes"),
            key="dq_changes",
            file_name=f"changes-{ctx.snapshot.label}.csv",
        )
        show_case_list(
            ctx,
            what="validation warnings with case refs",
            reason=reason,
            rows=ctx.run("quality_warnings_refs"),
            key="dq_warnings",
            file_name=f"warnings-{ctx.snapshot.label}.csv",
        )

st.subheader("Snapshot history")
st.dataframe(history_table(ctx.listing.snapshots), hide_index=True, key="history")
broken = [(b.path.name, b.reason) for b in ctx.listing.broken]
if broken:
    st.warning(
        f"{len(broken)} file(s) in the snapshot folder could not be read and are not shown on any page.",
        icon=":material/broken_image:",
    )
    st.dataframe(broken_table(broken), hide_index=True, key="broken")
else:
    st.caption("Every file in the snapshot folder could be read.")
