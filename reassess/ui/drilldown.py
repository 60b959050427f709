"""Case lists behind a figure, for commanders: a stated reason first, then the refs and a CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reassess.access import can_run
from reassess.present.breakdowns import Cell, ordered_values
from reassess.present.cases import case_table
from reassess.present.csvsafe import to_safe_csv
from reassess.present.marking import marking
from reassess.present.vocabulary import dimension_label, labeller
from reassess.ui import audit_hooks
from reassess.ui.context import PageContext


def record_drilldown(ctx: PageContext, what: str, reason: str, rows: pd.DataFrame) -> str:
    """Record in the audit trail that `ctx.user` opened the case list `what`, and why.

    Recorded once per list, reason and snapshot in a session (not on every rerun while the
    reason stays typed). If the audit cannot be written the page stops before the list shows.
    """
    seen = (what, reason, len(rows), ctx.snapshot.label)
    if st.session_state.get(f"_dd_recorded_{what}") != seen:
        audit_hooks.record_drilldown(ctx, what, reason, len(rows))
        st.session_state[f"_dd_recorded_{what}"] = seen
    return reason


def may_drill_down(ctx: PageContext) -> bool:
    """Whether this role may open case-level lists at all (commanders only)."""
    return can_run(ctx.role, "case")


def reason_gate(ctx: PageContext, *, key: str, what: str) -> str | None:
    """Ask why the list is needed; the stripped reason once it is long enough, else None."""
    if not may_drill_down(ctx):
        return None
    return audit_hooks.require_reason(key, what)


def show_case_list(
    ctx: PageContext, *, what: str, reason: str, rows: pd.DataFrame, key: str, file_name: str
) -> None:
    """Record the opening, then show the refs and fields, with a CSV download."""
    record_drilldown(ctx, what, reason, rows)
    st.caption(f"{what[:1].upper()}{what[1:]}: {len(rows):,} listed.")
    st.dataframe(case_table(rows), hide_index=True, key=f"{key}_rows")
    audit_hooks.audited_download(
        ctx,
        label="Download these cases (CSV)",
        data=lambda: to_safe_csv(rows, marking(ctx.snapshot.synthetic)),
        file_name=file_name,
        mime="text/csv",
        key=f"{key}_csv",
        rows=len(rows),
    )


def pick_cell(
    by: str, breakdown: pd.DataFrame, rows: str, cols: str, crosstab: pd.DataFrame | None
) -> Cell:
    """Widgets to choose a breakdown row (by `by`) or, when there is one, a cross-tab cell."""
    sources = {"breakdown": f"A row of the breakdown by {dimension_label(by).lower()}"}
    if crosstab is not None:
        sources["crosstab"] = "A cell of the cross-tab"
    source = st.radio(
        "Open the cases behind",
        tuple(sources),
        key="dd_from",
        format_func=sources.get,
        horizontal=True,
    )
    if source == "crosstab" and crosstab is not None:
        c1, c2 = st.columns(2)
        row = c1.selectbox(
            dimension_label(rows),
            ordered_values(crosstab, "row_value", rows),
            key="dd_row",
            format_func=labeller(rows),
        )
        col = c2.selectbox(
            dimension_label(cols),
            ordered_values(crosstab, "col_value", cols),
            key="dd_col",
            format_func=labeller(cols),
        )
        return Cell(rows, str(row), cols, str(col))
    value = st.selectbox(
        dimension_label(by),
        ordered_values(breakdown, "dim_value", by),
        key="dd_value",
        format_func=labeller(by),
    )
    return Cell(by, str(value))
