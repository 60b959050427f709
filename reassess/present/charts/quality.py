"""Charts of the data-quality page: field completeness and suspect ethnicity recorded."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import ASSESSED, SERIES, TARGET, base_layout

ETHNICITY_PARTS = (
    ("none_recorded", "Not recorded", SERIES[5], "x"),
    ("some_recorded", "Some recorded", SERIES[1], "/"),
    ("all_recorded", "All recorded", SERIES[0], ""),
)


def completeness_bars(table: pd.DataFrame) -> go.Figure:
    """Share of cases with each field recorded, among those where the contract expects it."""
    names = [str(v) for v in table["Field"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=table["% recorded"],
            orientation="h",
            marker={"color": ASSESSED},
            text=[f"{v:.1f}%" if pd.notna(v) else "n/a" for v in table["% recorded"]],
            textposition="auto",
            customdata=table[["Recorded", "Cases expected", "Expected for"]].to_numpy(),
            hovertemplate="%{x:.1f}% (%{customdata[0]:,} of %{customdata[1]:,}; expected for "
            "%{customdata[2]})<extra></extra>",
            name="% recorded",
        )
    )
    base_layout(
        fig,
        title="Fields recorded where expected",
        y_title="",
        height=max(300, 60 + 26 * len(names)),
    )
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_yaxes(title=None, autorange="reversed", type="category")
    fig.update_xaxes(title="% of cases where expected", range=[0, 105])
    return fig


def ethnicity_bars(
    shares: pd.DataFrame, label: str, national_share: float, national_source: str
) -> go.Figure:
    """100% bars of cases with suspects by ethnicity recorded, with the national figure as a line.

    `shares` comes from reassess.present.quality.ethnicity_shares (one row per value plus 'All cases').
    """
    s = shares[shares["with_suspects"] > 0]
    names = [str(v) for v in s["label"]]
    fig = go.Figure()
    for column, name, colour, pattern in ETHNICITY_PARTS:
        share = s[column] / s["with_suspects"]
        fig.add_trace(
            go.Bar(
                y=names,
                x=share,
                name=name,
                orientation="h",
                marker={"color": colour, "pattern": {"shape": pattern}},
                customdata=s[[column, "with_suspects"]].to_numpy(),
                text=[f"{v:.0%}" if v >= 0.06 else "" for v in share],
                textposition="inside",
                hovertemplate=f"{name}: %{{x:.0%}} (%{{customdata[0]:,}} of %{{customdata[1]:,}} "
                "cases with suspects)<extra></extra>",
            )
        )
    fig.add_vline(x=national_share, line={"color": TARGET, "width": 2, "dash": "dash"})
    fig.add_trace(  # the line's entry in the legend
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": TARGET, "width": 2, "dash": "dash"},
            name=f"National: ethnicity missing for {national_share:.0%} of perpetrators",
            hovertext=national_source,
        )
    )
    base_layout(
        fig,
        title=f"Suspect ethnicity recorded, cases with suspects, by {label.lower()}",
        y_title="",
        height=max(300, 110 + 30 * len(names)),
    )
    fig.update_layout(
        barmode="stack",
        hovermode="y unified",
        margin={"t": 110},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
    )
    fig.update_yaxes(title=None, autorange="reversed", type="category")
    fig.update_xaxes(title=None, range=[0, 1], tickformat=".0%")
    return fig
