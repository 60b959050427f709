"""Small Streamlit building blocks shared by pages: KPI rows, RAG badges, notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from reassess.config import Setting
from reassess.figures.status import Rag

RAG_ICONS = {
    "green": ":material/check_circle:",
    "amber": ":material/warning:",
    "red": ":material/error:",
}


@dataclass(frozen=True)
class Kpi:
    """One headline figure with its change since the comparison snapshot."""

    label: str
    value: str
    delta: float | None = None
    help: str | None = None
    lower_is_better: bool = False
    delta_suffix: str = ""


def kpi_row(kpis: Sequence[Kpi], per_row: int = 5) -> None:
    """Render KPIs as st.metric tiles, `per_row` to a row."""
    for start in range(0, len(kpis), per_row):
        cols = st.columns(per_row)
        for col, k in zip(cols, kpis[start : start + per_row], strict=False):
            delta = None if k.delta is None else f"{k.delta:+,g}{k.delta_suffix}"
            col.metric(
                k.label,
                k.value,
                delta=delta,
                delta_color="inverse" if k.lower_is_better else "normal",
                help=k.help,
                border=True,
            )


def rag_badge(rag: Rag) -> None:
    """The RAG status in words, with the reason and the rule beneath (never colour alone)."""
    text = f"**Status: {rag.colour.upper()} — {rag.label}.** {rag.reason}"
    icon = RAG_ICONS[rag.colour]
    if rag.colour == "green":
        st.success(text, icon=icon)
    elif rag.colour == "amber":
        st.warning(text, icon=icon)
    else:
        st.error(text, icon=icon)
    st.caption(f"Rule: {rag.rule}")


def assumptions_note(
    settings: Sequence[Setting], title: str = "Assumptions behind these figures"
) -> None:
    """An expander listing each assumption or fact with its value and source."""
    with st.expander(title):
        for s in settings:
            st.markdown(f"- **{s.name.replace('_', ' ')}**: {s.value} — _{s.source}_")
