"""The burn-up chart: cumulative assessed, the moving scope, the target, pace and forecast fan."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import ASSESSED, FAN, FAN_INNER, PACE, SCOPE, TARGET, base_layout

# Shaded forecast bands: (upper column, lower column, fill, legend label), outer band first.
FAN_BANDS = (
    ("p05", "p95", FAN, "Forecast range (90% of trials)"),
    ("p15", "p85", FAN_INNER, "Forecast range (70% of trials)"),
)


def burn_up(
    assessed: pd.DataFrame,
    scope: pd.DataFrame,
    fan: pd.DataFrame | None,
    *,
    as_of: date,
    target: date,
) -> go.Figure:
    """Burn-up: `assessed` (week_ending, assessed), `scope` (as_of, in_scope), `fan` bands."""
    fig = go.Figure()
    if fan is not None and len(fan) > 1:
        x = list(fan["week_ending"])
        for high, low, colour, label in FAN_BANDS:
            band = {"mode": "lines", "x": x, "line": {"width": 0}, "hoverinfo": "skip"}
            fig.add_trace(go.Scatter(y=fan[high], showlegend=False, **band))
            fig.add_trace(
                go.Scatter(y=fan[low], fill="tonexty", fillcolor=colour, name=label, **band)
            )
        fig.add_trace(
            go.Scatter(
                mode="lines",
                x=x,
                y=fan["p50"],
                name="Forecast, median",
                line={"color": ASSESSED, "dash": "dot", "width": 2},
                hovertemplate="%{y:,.0f} (median)<extra></extra>",
            )
        )
        if "scope" in fan.columns:
            fig.add_trace(
                go.Scatter(
                    mode="lines",
                    x=x,
                    y=fan["scope"],
                    name="Scope, projected (median)",
                    line={"color": SCOPE, "dash": "dot", "width": 2},
                    hovertemplate="%{y:,.0f} in scope (projected)<extra></extra>",
                )
            )
    fig.add_trace(
        go.Scatter(
            mode="lines",
            x=assessed["week_ending"],
            y=assessed["assessed"],
            name="Assessed (cumulative, as recorded)",
            line={"color": ASSESSED, "width": 3},
            hovertemplate="%{y:,} assessed<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            mode="lines",
            x=scope["as_of"],
            y=scope["in_scope"],
            name="Cases in scope",
            line={"color": SCOPE, "width": 2, "shape": "hv"},
            hovertemplate="%{y:,} in scope<extra></extra>",
        )
    )
    if len(scope) and len(assessed) and as_of < target:
        now = int(assessed["assessed"].iloc[-1])
        fig.add_trace(
            go.Scatter(
                mode="lines",
                x=[as_of, target],
                y=[now, int(scope["in_scope"].iloc[-1])],
                name="Pace needed for the target",
                line={"color": PACE, "dash": "dash", "width": 2},
                hovertemplate="%{y:,.0f} needed<extra></extra>",
            )
        )
    fig.add_vline(
        x=pd.Timestamp(target).timestamp() * 1000,
        line={"color": TARGET, "width": 2, "dash": "longdash"},
    )
    fig.add_annotation(
        x=pd.Timestamp(target),
        y=1.02,
        yref="paper",
        text=f"Target {target:%-d %b %Y}",
        showarrow=False,
        font={"color": TARGET},
    )
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line={"color": "#888", "width": 1})
    fig.add_annotation(
        x=pd.Timestamp(as_of),
        y=0.02,
        yref="paper",
        text="as at",
        showarrow=False,
        xanchor="right",
        font={"color": "#555"},
    )
    return base_layout(
        fig, title="Cases assessed against scope and target", y_title="cases", height=430
    )
