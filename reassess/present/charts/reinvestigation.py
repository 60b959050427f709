"""Charts of the reinvestigation page: the funnel and the weekly flow (DataFrames in, figures out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import ASSESSED, INK, SERIES, base_layout


def funnel_chart(frame: pd.DataFrame) -> go.Figure:
    """The funnel as horizontal bars: `frame` has Stage (words) and Reinvestigations (counts)."""
    names = [str(v) for v in frame["Stage"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=list(frame["Reinvestigations"]),
            orientation="h",
            marker={"color": ASSESSED},
            text=[f"{int(v):,}" for v in frame["Reinvestigations"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:,}<extra></extra>",
            name="Reinvestigations",
        )
    )
    base_layout(fig, title="How far the reinvestigations have got", y_title="", height=360)
    fig.update_yaxes(
        title=None,
        autorange="reversed",
        type="category",
        categoryorder="array",
        categoryarray=names,
        showgrid=False,
    )
    fig.update_xaxes(title="Reinvestigations", rangemode="tozero", separatethousands=True)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def flow_chart(flow: pd.DataFrame) -> go.Figure:
    """Each week's referrals, openings and closures (bars) and the open reinvestigations (line)."""
    weeks = list(pd.to_datetime(flow["week_ending"]).dt.date)
    fig = go.Figure()
    for column, name, colour in (
        ("referred", "Referred", SERIES[0]),
        ("opened", "Investigations opened", SERIES[2]),
        ("closed", "Closed", SERIES[1]),
    ):
        fig.add_trace(
            go.Bar(
                x=weeks,
                y=list(flow[column]),
                name=name,
                marker={"color": colour},
                hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=weeks,
            y=list(flow["open"]),
            name="Open (right axis)",
            mode="lines+markers",
            line={"color": INK, "width": 2},
            yaxis="y2",
            hovertemplate="Open: %{y:,}<extra></extra>",
        )
    )
    base_layout(fig, title="Reinvestigations each week", y_title="Reinvestigations a week")
    fig.update_layout(
        barmode="group",
        yaxis2={
            "title": "Open reinvestigations",
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "separatethousands": True,
            "showgrid": False,
        },
    )
    return fig


def demand_chart(months: pd.DataFrame) -> go.Figure:
    """Investigator FTE needed against FTE in post by month, the unmet demand as bars."""
    x = list(pd.to_datetime(months["month"]).dt.date)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=x,
            y=list(months["unmet_fte"]),
            name="Unmet demand (FTE)",
            marker={"color": SERIES[1]},
            hovertemplate="Unmet: %{y:,.1f} FTE<extra></extra>",
        )
    )
    for column, name, colour, dash in (
        ("fte_needed", "Investigator FTE needed (median)", ASSESSED, "solid"),
        ("fte_in_post", "Investigator FTE in post", INK, "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=list(months[column]),
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                hovertemplate=f"{name}: %{{y:,.1f}}<extra></extra>",
            )
        )
    base_layout(fig, title="Reinvestigation demand against capacity", y_title="FTE")
    fig.update_xaxes(type="date", tickformat="%b %Y", hoverformat="%B %Y", dtick="M1")
    return fig


__all__ = ["demand_chart", "flow_chart", "funnel_chart"]
