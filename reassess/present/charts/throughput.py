"""Throughput charts and tables: weekly completions, flow, cycle time, ageing work, QA backlog."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reassess.present.charts.style import (
    ASSESSED,
    OTHER,
    PACE,
    SCOPE,
    SERIES,
    base_layout,
    top_and_other,
)
from reassess.present.vocabulary import STATUS_LABELS
from reassess.present.vocabulary import label as code_label

# Bottom to top of the cumulative flow diagram: finished work at the bottom.
FLOW_STATUSES = tuple(
    (s, STATUS_LABELS[s])
    for s in ("qa_signed_off", "awaiting_qa", "in_assessment", "allocated", "awaiting_allocation")
)
GROUP_LABELS = {"team": "Team", "bcu": "BCU"}
CYCLE_COLUMNS = {
    "grp": "Group",
    "cases": "Assessments",
    "allocated_p50": "From allocation: median days",
    "allocated_p85": "From allocation: 85th percentile",
    "started_p50": "From start: median days",
    "started_p85": "From start: 85th percentile",
}


def weekly_completed(frame: pd.DataFrame, by: str | None) -> go.Figure:
    """Completed per week: one bar series per team or BCU (stacked), or the total when `by` is None."""
    fig = go.Figure()
    if by is None:
        fig.add_trace(
            go.Bar(
                x=frame["week_ending"],
                y=frame["completed"],
                name="Completed",
                marker_color=ASSESSED,
                hovertemplate="%{y:,} completed<extra></extra>",
            )
        )
    else:
        shown = top_and_other(frame[["week_ending", by, "completed"]], by, "completed")
        order = list(dict.fromkeys(shown.groupby(by)["completed"].sum().sort_values().index[::-1]))
        order = [g for g in order if not str(g).startswith("Other")] + [
            g for g in order if str(g).startswith("Other")
        ]
        for i, group in enumerate(order):
            rows = shown[shown[by] == group]
            fig.add_trace(
                go.Bar(
                    x=rows["week_ending"],
                    y=rows["completed"],
                    name=code_label(by, group) if by == "bcu" else str(group),
                    marker_color=OTHER
                    if str(group).startswith("Other")
                    else SERIES[i % len(SERIES)],
                    marker_pattern_shape="." if str(group).startswith("Other") else "",
                    hovertemplate=f"{code_label(by, group) if by == 'bcu' else group}: %{{y:,}}<extra></extra>",
                )
            )
        fig.update_layout(barmode="stack")
    title = "Assessments completed per week" + (f", by {GROUP_LABELS[by]}" if by else "")
    return base_layout(fig, title=title, y_title="assessments (week ending)")


def weekly_table(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Weeks as rows and teams or BCUs as columns (with a total), for the table beneath the chart."""
    if by is None:
        out = frame[["week_ending", "completed"]].rename(columns={"completed": "Total"})
    else:
        out = frame.pivot_table(
            index="week_ending", columns=by, values="completed", aggfunc="sum", fill_value=0
        )
        out.columns = [str(c) for c in out.columns]
        out["Total"] = out.sum(axis=1)
        out = out.reset_index()
    out = out.rename(columns={"week_ending": "Week ending"})
    out["Week ending"] = pd.to_datetime(out["Week ending"]).dt.date
    return out


def started_vs_completed(flow: pd.DataFrame) -> go.Figure:
    """Assessments started and completed each week (from `weekly_flow`), side by side."""
    fig = go.Figure()
    for col, name, colour in (("started", "Started", PACE), ("completed", "Completed", ASSESSED)):
        fig.add_trace(
            go.Bar(
                x=flow["week_ending"],
                y=flow[col],
                name=name,
                marker_color=colour,
                hovertemplate=f"%{{y:,}} {name.lower()}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    return base_layout(fig, title="Assessments started and completed per week", y_title="cases")


def cumulative_flow(history: pd.DataFrame) -> go.Figure:
    """Cumulative flow diagram: cases at each status in every snapshot, stacked."""
    fig = go.Figure()
    for i, (col, name) in enumerate(FLOW_STATUSES):
        fig.add_trace(
            go.Scatter(
                x=history["as_of"],
                y=history[col],
                name=name,
                stackgroup="flow",
                mode="lines",
                line={"width": 0.5, "color": SERIES[i % len(SERIES)]},
                hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
            )
        )
    return base_layout(
        fig, title="Cumulative flow: cases at each stage, snapshot by snapshot", y_title="cases"
    )


def _group_label(dimension: str, group: str) -> str:
    return group if dimension == "all" else f"{dimension}: {group.replace('_', ' ')}"


def cycle_time(frame: pd.DataFrame) -> go.Figure:
    """Median and 85th percentile days from allocation to completion, per category and priority."""
    rows = frame[frame["dimension"] != "all"]
    labels = [_group_label(d, g) for d, g in zip(rows["dimension"], rows["grp"], strict=True)]
    fig = go.Figure()
    for col, name, colour in (
        ("allocated_p50", "Median", ASSESSED),
        ("allocated_p85", "85th percentile", SCOPE),
    ):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=rows[col],
                name=name,
                orientation="h",
                marker_color=colour,
                hovertemplate=f"%{{x:,.1f}} days ({name.lower()})<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", hovermode="y unified")
    fig.update_yaxes(autorange="reversed")
    fig = base_layout(
        fig,
        title="Days from allocation to completed assessment",
        y_title="",
        height=120 + 28 * len(rows),
    )
    fig.update_xaxes(title="days")
    return fig


def cycle_time_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The cycle-time figures with readable headings."""
    out = frame.copy()
    out["grp"] = [_group_label(d, g) for d, g in zip(out["dimension"], out["grp"], strict=True)]
    return out[list(CYCLE_COLUMNS)].rename(columns=CYCLE_COLUMNS)


def ageing_wip(frame: pd.DataFrame) -> go.Figure:
    """Cases in progress by age band (since the assessment started), stacked by status."""
    fig = go.Figure()
    for i, status in enumerate(("in_assessment", "awaiting_qa")):
        rows = frame[frame["status"] == status]
        fig.add_trace(
            go.Bar(
                x=rows["band"],
                y=rows["cases"],
                name=STATUS_LABELS[status],
                marker_color=(ASSESSED, SCOPE)[i],
                hovertemplate=f"{STATUS_LABELS[status]}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(categoryorder="array", categoryarray=list(dict.fromkeys(frame["band"])))
    return base_layout(fig, title="Work in progress by age", y_title="cases")


def ageing_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Age bands as rows, statuses as columns, with a total."""
    out = frame.pivot_table(
        index=["band_order", "band"], columns="status", values="cases", aggfunc="sum", fill_value=0
    ).reset_index()
    out = out.rename(columns={"band": "Age since started", **STATUS_LABELS})
    out = out[["Age since started", "In assessment", "Awaiting QA"]]
    out["Total"] = out["In assessment"] + out["Awaiting QA"]
    return out


def qa_backlog(history: pd.DataFrame) -> go.Figure:
    """Cases awaiting QA in every snapshot."""
    fig = go.Figure(
        go.Scatter(
            x=history["as_of"],
            y=history["awaiting_qa"],
            name="Awaiting QA",
            mode="lines+markers",
            line={"color": SCOPE, "width": 2},
            hovertemplate="%{y:,} awaiting QA<extra></extra>",
        )
    )
    return base_layout(fig, title="QA backlog, snapshot by snapshot", y_title="cases", height=300)
