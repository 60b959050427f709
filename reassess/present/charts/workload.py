"""Workload charts and tables: caseload spread, team-by-week completions, capacity, abstraction."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reassess.model.plan import Capacity
from reassess.present.charts.style import ASSESSED, PACE, SCOPE, SERIES, TARGET, base_layout
from reassess.present.formats import short_date
from reassess.present.vocabulary import ABSTRACTION_REASON_LABELS
from reassess.present.vocabulary import label as code_label

REASON_LABELS = ABSTRACTION_REASON_LABELS
OFFICER_COLUMNS = {
    "officer_ref": "Officer",
    "team": "Team",
    "role": "Role",
    "fte": "FTE",
    "available_fte": "Available FTE",
    "open_cases": "Open cases",
    "awaiting_qa": "Awaiting QA",
    "completed_recent": "Completed, last 4 weeks",
    "last_completed": "Last completed",
    "hours_spent": "Hours spent",
    "flags": "Flags",
}
TEAM_COLUMNS = {
    "team": "Team",
    "officers_in_post": "Officers in post",
    "fte_in_post": "FTE in post",
    "available_fte": "Available FTE",
    "open_cases": "Open cases",
    "open_per_officer": "Open cases per officer",
    "awaiting_qa": "Awaiting QA",
    "completed_recent": "Completed, last 4 weeks",
    "hours_spent": "Hours spent",
    "officers_overloaded": "Officers overloaded",
    "officers_idle": "Officers with no recent completion",
}


FLAG_LIST_LIMIT = 30
"""Officer references listed under a flag before the line says how many more there are."""


def officer_table(officers: pd.DataFrame) -> pd.DataFrame:
    """`workload_by_officer` with readable headings and the flags in words."""
    out = officers.copy()
    out["flags"] = [
        ", ".join(w for w, on in (("overloaded", o), ("no recent completion", i)) if on)
        for o, i in zip(out["overloaded"], out["idle"], strict=True)
    ]
    out["role"] = [code_label("officer_role", r) for r in out["role"]]
    out["last_completed"] = [
        short_date(d.date() if pd.notna(d) else None) for d in pd.to_datetime(out["last_completed"])
    ]
    out.loc[~out["in_post"], "flags"] = "left the review"
    out["available_fte"] = out["available_fte"].round(3)
    out["hours_spent"] = out["hours_spent"].round(1)
    return out[list(OFFICER_COLUMNS)].rename(columns=OFFICER_COLUMNS)


def team_table(teams: pd.DataFrame) -> pd.DataFrame:
    """`workload_by_team` with readable headings."""
    out = teams[list(TEAM_COLUMNS)].copy()
    for col, places in (("fte_in_post", 2), ("available_fte", 3), ("open_per_officer", 1)):
        out[col] = out[col].round(places)
    out["hours_spent"] = out["hours_spent"].round(1)
    return out.rename(columns=TEAM_COLUMNS)


def caseload_histogram(officers: pd.DataFrame, overload: int) -> go.Figure:
    """How many officers hold each number of open cases, with the overload threshold marked."""
    counts = officers["open_cases"].value_counts().sort_index()
    fig = go.Figure(
        go.Bar(
            x=counts.index,
            y=counts.values,
            name="Officers",
            marker_color=ASSESSED,
            hovertemplate="%{y} officers with %{x} open cases<extra></extra>",
        )
    )
    fig.add_vline(x=overload + 0.5, line={"color": TARGET, "dash": "dash", "width": 2})
    fig.add_annotation(
        x=overload + 0.5,
        y=1.02,
        yref="paper",
        text=f"overloaded above {overload}",
        showarrow=False,
        font={"color": TARGET},
    )
    fig = base_layout(fig, title="Open caseload across officers", y_title="officers", height=320)
    fig.update_xaxes(title="open cases (allocated or in assessment)", dtick=1)
    return fig


def team_caseload(teams: pd.DataFrame) -> go.Figure:
    """Open cases per officer in post, by team."""
    fig = go.Figure(
        go.Bar(
            x=teams["team"],
            y=teams["open_per_officer"],
            name="Open cases per officer",
            marker_color=ASSESSED,
            hovertemplate="%{y:.1f} open cases per officer<extra></extra>",
        )
    )
    return base_layout(
        fig, title="Open caseload per officer in post, by team", y_title="cases", height=320
    )


def team_week_grid(weekly: pd.DataFrame) -> pd.DataFrame:
    """Completed assessments with teams as rows and weeks ending as columns (dates)."""
    grid = weekly.pivot_table(
        index="team", columns="week_ending", values="completed", aggfunc="sum", fill_value=0
    )
    grid.columns = [pd.Timestamp(w).date() for w in grid.columns]
    return grid


def team_week_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's figures as a table: a row per team, a column per week ending, a total.

    Teams are rows (as in the chart) so that the table stays a dozen columns wide however many
    teams there are."""
    grid = team_week_grid(weekly)
    out = grid.copy()
    out.columns = [f"{w:%-d %b %Y}" for w in grid.columns]
    out["Total"] = grid.sum(axis=1)
    return out.rename_axis("Team").reset_index()


def flagged_refs(officers: pd.DataFrame, flag: str, limit: int = FLAG_LIST_LIMIT) -> str:
    """The officer references with a flag, as one line: at most ``limit``, then how many more."""
    refs = list(officers.loc[officers[flag], "officer_ref"])
    if not refs:
        return "none"
    shown = ", ".join(refs[:limit])
    more = len(refs) - limit
    return shown if more <= 0 else f"{shown} and {more:,} more (see the flags in the table above)"


def completions_heatmap(weekly: pd.DataFrame) -> go.Figure:
    """Completed assessments by team (rows) and week (columns), numbers written in the cells."""
    grid = team_week_grid(weekly)
    weeks = [f"{w:%-d %b}" for w in grid.columns]
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=weeks,
            y=list(grid.index),
            text=grid.values,
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar={"title": "completed"},
            hovertemplate="%{y}, week ending %{x}: %{z} completed<extra></extra>",
        )
    )
    fig = base_layout(
        fig,
        title="Assessments completed by team and week",
        y_title="",
        height=140 + 34 * len(grid.index),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="week ending", type="category")
    return fig


def capacity_demand(cap: Capacity) -> go.Figure:
    """Capacity and demand in cases over the horizon (the planning model's), side by side."""
    names = ["Capacity", "Demand"]
    values = [cap.capacity_cases, cap.demand_cases]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=[ASSESSED, SCOPE],
            text=[f"{v:,.0f} cases" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:,.0f} cases<extra></extra>",
        )
    )
    return base_layout(
        fig,
        title=f"Cases the team can assess against cases to assess, next {cap.weeks} weeks",
        y_title="cases",
        height=320,
    )


def abstraction_weekly(weekly: pd.DataFrame) -> go.Figure:
    """FTE days abstracted per week, stacked by reason."""
    fig = go.Figure()
    for i, (reason, label) in enumerate(REASON_LABELS.items()):
        rows = weekly[weekly["reason"] == reason]
        fig.add_trace(
            go.Bar(
                x=rows["week_ending"],
                y=rows["fte_days"],
                name=label,
                marker_color=(SERIES[i] if i < len(SERIES) else PACE),
                hovertemplate=f"{label}: %{{y:,.1f}} FTE days<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    return base_layout(
        fig, title="Abstraction by reason, per week", y_title="FTE working days (week ending)"
    )


def abstraction_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Weeks as rows, reasons as columns (FTE days), with FTE days in post."""
    out = weekly.pivot_table(
        index="week_ending", columns="reason", values="fte_days", aggfunc="sum", fill_value=0
    )
    out = out[[r for r in REASON_LABELS if r in out.columns]].rename(columns=REASON_LABELS)
    in_post = weekly.groupby("week_ending")["fte_days_in_post"].first()
    out["FTE days in post"] = in_post
    out = out.round(2)
    out = out.reset_index().rename(columns={"week_ending": "Week ending"})
    out["Week ending"] = pd.to_datetime(out["Week ending"]).dt.date
    return out
