"""Shared chart colours and layout: colour-blind safe, readable in greyscale, never colour alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

INK = "#1f2933"
ASSESSED = "#1f4e79"
SCOPE = "#7a4a00"
TARGET = "#b3261e"
PACE = "#5f6b7a"
FAN = "rgba(31, 78, 121, 0.14)"
FAN_INNER = "rgba(31, 78, 121, 0.26)"
# Okabe and Ito's colour-blind-safe palette, its orange, vermillion and green darkened so every
# series keeps 3:1 against white (WCAG 1.4.11), and its yellow left out (1.1:1). A chart with
# more series than this shows the largest and folds the rest into "Other" (`top_and_other`).
SERIES = ("#0072B2", "#B84A00", "#00795B", "#A2427A", "#8A5A00", "#222222", "#5F6B7A")
OTHER = "#9AA3AD"
"""The folded "Other" series: a light grey, under a dotted pattern, never a palette colour."""
MODEBAR_REMOVE = (
    # Zooming stays (scroll and the fullscreen view); the picture download goes, because every
    # way figures leave the app is an audited export.
    "toImage",
    "select2d",
    "lasso2d",
    "pan2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "resetScale2d",
    "zoom2d",
    "sendDataToCloud",
    "editInChartStudio",
)
WEEK_MS = 7 * 24 * 3600 * 1000
RAG_COLOURS = {"green": "#2e7d32", "amber": "#b26a00", "red": "#b3261e"}


def base_layout(fig: go.Figure, *, title: str, y_title: str, height: int = 380) -> go.Figure:
    """Apply the house layout: white, left legend on top, thin gridlines."""
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        # Streamlit's own chart theme styles the figure in the app; a named plotly template
        # would cost 20-40 ms per chart to copy and validate, for nothing.
        template="none",
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hovermode="x unified",
        font={"color": INK},
    )
    fig.update_yaxes(
        title=y_title,
        rangemode="tozero",
        separatethousands=True,
        showgrid=True,
        gridcolor="#e5e7eb",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_layout(modebar={"remove": list(MODEBAR_REMOVE)})
    week_axis(fig)
    return fig


def _dates(values: Any) -> list[date]:
    if values is None or len(values) == 0:
        return []
    first = values[0]
    if isinstance(first, (date, np.datetime64, pd.Timestamp)):
        stamps = pd.to_datetime(pd.Series(list(values)), errors="coerce").dropna()
        return [t.date() for t in stamps]
    return []


def week_axis(fig: go.Figure) -> None:
    """A date x axis reads '26 Jun 2026', its ticks on the weeks' own ending day (a Friday).

    The ticks step from a week ending in the data by whole weeks (1, 2, 4, 8, 13, 26 or 52), so
    no tick falls on a Sunday or the first of a month.
    """
    days = [d for trace in fig.data for d in _dates(getattr(trace, "x", None))]
    if not days:
        return
    first, last = min(days), max(days)
    span = max(1, (last - first).days // 7)
    step = next((k for k in (1, 2, 4, 8, 13, 26, 52) if span / k <= 9), 104)
    fig.update_xaxes(
        type="date",
        tickformat="%-d %b %Y",
        hoverformat="%-d %b %Y",
        tick0=(first + timedelta(0)).isoformat(),
        dtick=step * WEEK_MS,
    )


def top_and_other(
    frame: pd.DataFrame, by: str, value: str, keep: int = len(SERIES) - 1
) -> pd.DataFrame:
    """`frame` with all but the `keep` largest groups of `by` (by total `value`) as one "Other"."""
    totals = frame.groupby(by)[value].sum().sort_values(ascending=False)
    if len(totals) <= keep + 1:
        return frame
    kept = list(totals.index[:keep])
    others = len(totals) - keep
    out = frame.copy()
    out[by] = out[by].where(out[by].isin(kept), f"Other ({others})")
    keys = [c for c in out.columns if c != value]
    return out.groupby(keys, as_index=False, sort=False)[value].sum()
