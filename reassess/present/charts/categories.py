"""Charts of the categories page: breakdown bars, the outcome mix and victims and suspects."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import ASSESSED, SCOPE, SERIES, base_layout

# Outcome segments carry a pattern as well as a colour, so they read in greyscale.
PATTERNS = ("", "/", "x", ".", "\\")


def _height(n: int) -> int:
    return max(260, 90 + 34 * n)


def _horizontal(fig: go.Figure, labels: list[str], x_title: str) -> go.Figure:
    fig.update_layout(
        hovermode="y unified",
        barmode="group",
        margin={"t": 90},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
    )
    fig.update_yaxes(
        title=None,
        autorange="reversed",
        categoryorder="array",
        categoryarray=labels,
        type="category",
    )
    fig.update_xaxes(title=x_title, rangemode="tozero", separatethousands=True)
    return fig


def breakdown_bars(table: pd.DataFrame, label: str) -> go.Figure:
    """Cases in scope and assessed per value: `table` has the value's words in column `label`."""
    names = [str(v) for v in table[label]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=table["In scope"],
            name="In scope",
            orientation="h",
            marker={"color": SCOPE},
            hovertemplate="%{x:,} in scope<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=names,
            x=table["Assessed"],
            name="Assessed",
            orientation="h",
            marker={"color": ASSESSED, "pattern": {"shape": "/"}},
            hovertemplate="%{x:,} assessed<extra></extra>",
        )
    )
    base_layout(
        fig,
        title=f"Cases in scope and assessed by {label.lower()}",
        y_title="",
        height=_height(len(names)),
    )
    return _horizontal(fig, names, "cases")


def outcome_mix_bars(mix: pd.DataFrame, label: str) -> go.Figure:
    """100% stacked bars: each value's completed assessments split by outcome (long `mix`)."""
    names = list(dict.fromkeys(str(v) for v in mix["label"]))
    fig = go.Figure()
    for i, (outcome, part) in enumerate(mix.groupby("outcome_label", sort=False)):
        fig.add_trace(
            go.Bar(
                y=[str(v) for v in part["label"]],
                x=part["share"],
                name=str(outcome),
                orientation="h",
                marker={
                    "color": SERIES[i % len(SERIES)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
                },
                customdata=part[["cases", "with_outcome"]].to_numpy(),
                text=[f"{s:.0%}" if s >= 0.06 else "" for s in part["share"]],
                textposition="inside",
                hovertemplate=f"{outcome}: %{{x:.0%}} (%{{customdata[0]:,}} of %{{customdata[1]:,}})<extra></extra>",
            )
        )
    base_layout(
        fig,
        title=f"Outcome of completed assessments by {label.lower()}",
        y_title="",
        height=_height(len(names)),
    )
    _horizontal(fig, names, "share of completed assessments")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return fig


def people_bars(table: pd.DataFrame, label: str) -> go.Figure:
    """Victims and suspects recorded in the cases of each value."""
    names = [str(v) for v in table[label]]
    fig = go.Figure()
    for i, (column, pattern) in enumerate((("Victims", ""), ("Suspects", "x"))):
        fig.add_trace(
            go.Bar(
                y=names,
                x=table[column],
                name=column,
                orientation="h",
                marker={"color": SERIES[i + 2], "pattern": {"shape": pattern}},
                hovertemplate=f"%{{x:,}} {column.lower()}<extra></extra>",
            )
        )
    base_layout(
        fig,
        title=f"Victims and suspects by {label.lower()}",
        y_title="",
        height=_height(len(names)),
    )
    return _horizontal(fig, names, "people (summed over cases)")
