"""Shared chart colours and layout: readable in greyscale, never colour alone."""

from __future__ import annotations

import plotly.graph_objects as go

INK = "#1f2933"
ASSESSED = "#1f4e79"
SCOPE = "#7a4a00"
TARGET = "#b3261e"
PACE = "#5f6b7a"
FAN = "rgba(31, 78, 121, 0.14)"
FAN_INNER = "rgba(31, 78, 121, 0.26)"
SERIES = ("#1f4e79", "#c8702a", "#3b7d4f", "#8a3b8f", "#5f6b7a", "#b3261e", "#2a8a8a", "#8c6d1f")
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
    return fig
