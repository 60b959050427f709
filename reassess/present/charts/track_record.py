"""The P85 drift chart: what the forecast said at each snapshot, week by week."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import ASSESSED, PACE, SCOPE, TARGET, base_layout


def drift_chart(drift: pd.DataFrame, *, target: date, finished: date | None) -> go.Figure:
    """P85 (and P50, P95) finish dates by snapshot (``drift``: as_of, p50, p85, p95), with the
    target and, once known, the week the work counted as complete. Lines differ in dash and
    marker as well as colour."""
    fig = go.Figure()
    for column, name, colour, dash, symbol in (
        ("p95", "P95", PACE, "dot", "triangle-up"),
        ("p85", "P85", ASSESSED, "solid", "circle"),
        ("p50", "P50 (median)", SCOPE, "dash", "square"),
    ):
        fig.add_trace(
            go.Scatter(
                x=list(drift["as_of"]),
                y=list(drift[column]),
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 3 if column == "p85" else 2},
                marker={"symbol": symbol, "size": 6},
                hovertemplate="%{y|%-d %b %Y}<extra>" + name + "</extra>",
            )
        )
    lines = [(target, f"Target {target:%-d %b %Y}", TARGET)]
    if finished is not None:
        lines.append((finished, f"Finished {finished:%-d %b %Y}", ASSESSED))
    for when, text, colour in lines:
        fig.add_hline(
            y=pd.Timestamp(when).timestamp() * 1000,
            line={"color": colour, "dash": "longdash", "width": 1},
        )
        fig.add_annotation(
            x=0, xref="paper", xanchor="left", y=pd.Timestamp(when), text=text,
            showarrow=False, yanchor="bottom", font={"color": colour},
        )  # fmt: skip
    fig = base_layout(
        fig, title="How the forecast finish date has moved", y_title="forecast finish", height=380
    )
    fig.update_yaxes(rangemode="normal", type="date", separatethousands=False)
    fig.update_xaxes(title="snapshot (as-of date)")
    return fig
