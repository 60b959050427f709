"""The scenarios chart: the chance of having finished by each date, one line per scenario."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import INK, PACE, SERIES, TARGET, base_layout

DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
MARKERS = ("circle", "square", "diamond", "triangle-up", "x")


def completion_chart(curves: pd.DataFrame, *, target: date, confidence: float = 0.85) -> go.Figure:
    """Cumulative chance of finishing by each week ending (``curves``: scenario, week_ending,
    share), against the target date and the confidence line. Lines differ in dash and marker
    as well as colour, so the chart reads in greyscale."""
    traces = []
    for i, (name, rows) in enumerate(curves.groupby("scenario", sort=False)):
        traces.append(
            {
                "type": "scatter",
                "x": list(rows["week_ending"]),
                "y": list(rows["share"] * 100),
                "name": str(name),
                "mode": "lines+markers",
                "line": {
                    "color": SERIES[i % len(SERIES)],
                    "dash": DASHES[i % len(DASHES)],
                    "width": 3 if i == 0 else 2,
                    "shape": "hv",
                },
                "marker": {"symbol": MARKERS[i % len(MARKERS)], "size": 6},
                "hovertemplate": "%{y:.0f}% finished<extra>" + str(name) + "</extra>",
            }
        )
    when = pd.Timestamp(target)
    pct = confidence * 100
    layout = {
        "shapes": [
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": pct, "y1": pct,
             "line": {"color": PACE, "width": 1, "dash": "dot"}},
            {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "x0": when, "x1": when,
             "line": {"color": TARGET, "width": 2, "dash": "longdash"}},
        ],
        "annotations": [
            {"x": when, "y": 1.02, "yref": "paper", "text": f"Target {target:%-d %b %Y}",
             "showarrow": False, "font": {"color": TARGET}},
            {"x": 1, "xref": "paper", "xanchor": "right", "y": pct, "yanchor": "top",
             "text": f"{confidence:.0%} confidence", "showarrow": False, "font": {"color": INK}},
        ],
    }  # fmt: skip
    fig = go.Figure(data=traces, layout=layout)
    fig = base_layout(
        fig,
        title="Chance of having assessed every case by each date",
        y_title="% of trials finished",
    )
    fig.update_yaxes(range=[0, 102], ticksuffix="%")
    return fig


def officers_curve_chart(curve: pd.DataFrame, *, target: date, limit: int | None) -> go.Figure:
    """Extra officers against the P85 finish date (the officers finder's curve), with the
    target and the recruitable limit; numbers beyond the limit are marked differently."""
    fig = go.Figure()
    for recruitable, name, symbol in (
        (True, "Within the recruitable limit", "circle"),
        (False, "Beyond the recruitable limit", "x"),
    ):
        rows = curve[curve["recruitable"] == recruitable]
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=list(rows["extra_officers"]), y=list(rows["p85"]), name=name,
                mode="lines+markers", marker={"symbol": symbol, "size": 8},
                line={"color": SERIES[0] if recruitable else PACE, "dash": "solid" if recruitable else "dot"},
                hovertemplate="%{x} extra officers: P85 %{y|%-d %b %Y}<extra></extra>",
            )
        )  # fmt: skip
    fig.add_hline(
        y=pd.Timestamp(target).timestamp() * 1000,
        line={"color": TARGET, "dash": "longdash", "width": 2},
    )
    fig.add_annotation(x=1, xref="paper", xanchor="right", y=pd.Timestamp(target), text=f"Finish by {target:%-d %b %Y}", showarrow=False, yanchor="bottom", font={"color": TARGET})  # fmt: skip
    if limit is not None:
        fig.add_vline(x=limit, line={"color": INK, "dash": "dot", "width": 1})
        fig.add_annotation(x=limit, y=1.02, yref="paper", text=f"Recruitable: {limit}", showarrow=False, font={"color": INK})  # fmt: skip
    fig = base_layout(
        fig, title="Extra officers against the 85% confidence finish date", y_title="P85 finish"
    )
    fig.update_yaxes(rangemode="normal", type="date", separatethousands=False)
    fig.update_xaxes(title="extra officers from the start date")
    return fig


def unmet_chart(frame: pd.DataFrame) -> go.Figure:
    """Unmet reinvestigation demand in FTE by month, one line per scenario (``frame``:
    scenario, month, unmet_fte, as ``reassess.figures.reinvestigation_plan.unmet_by_month``)."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(frame.groupby("scenario", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=list(rows["month"]), y=list(rows["unmet_fte"]), name=str(name),
                mode="lines+markers", line={"color": SERIES[i % len(SERIES)], "dash": DASHES[i % len(DASHES)], "width": 3 if i == 0 else 2},
                marker={"symbol": MARKERS[i % len(MARKERS)], "size": 7},
                hovertemplate="%{x|%B %Y}: %{y:.1f} FTE short<extra>" + str(name) + "</extra>",
            )
        )  # fmt: skip
    fig = base_layout(
        fig,
        title="Reinvestigation demand beyond the investigators in post",
        y_title="FTE short",
    )
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(tickformat="%b %Y")
    return fig
