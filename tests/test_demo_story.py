"""The demo's story, week by week, from the CSVs: pace, capacity, and the status it implies.

The RAG colour proper comes from the planning model; here an independent, deliberately
simple reading of each week's extract says what a planner would conclude: measured
completions per available FTE-week, carried forward over the planned headcount to the
target, against the cases left.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from reassess.config import programme
from tests.demo_weeks import (
    TARGET,
    Week,
    available_fte,
    completions_in_week,
    days,
    numbers,
    week_start,
    weekdays,
)

pytestmark = pytest.mark.slow


def weekly_pace(weeks: list[Week]) -> pd.DataFrame:
    """Per week: completions, available assessment FTE (that week's extract), their ratio."""
    rows = []
    for week in weeks:
        fte = available_fte(week.assessing, week.abstractions, week_start(week.as_of), week.as_of)
        done = completions_in_week(week)
        rows.append(
            {"as_of": week.as_of, "done": done, "fte": fte, "pace": done / fte if fte else np.nan}
        )
    return pd.DataFrame(rows)


def planned_fte_weeks(week: Week, until: date, availability: float) -> float:
    """Available FTE-weeks from after the as-of date to `until` on the planned headcount.

    The plan is config's: the initial team, then the demo's assessment intakes, each new starter
    at the team's mean FTE, less the availability measured so far."""
    plan = [(programme().programme_start, int(programme().initial_team))]
    plan += [
        (e["date"], round(e["fte"]))
        for e in programme().planned_headcount
        if e.get("workstream", "assessment") == "assessment"
    ]
    mean_fte = week.assessing.fte.astype(float).mean()
    total = 0.0
    for day in weekdays(week.as_of + timedelta(days=1), until):
        d = day.astype(date)
        heads = sum(n for start, n in plan if start <= d)
        total += heads * mean_fte * availability / 5
    return total


def coverage(weeks: list[Week], index: int, window: int = 8) -> float:
    """(assessed + pace so far x planned capacity to the target) / cases in scope, at a week."""
    week = weeks[index]
    recent = weekly_pace(weeks[max(0, index - window + 1) : index + 1])
    pace = recent.done.sum() / recent.fte.sum()
    start = weeks[max(0, index - window + 1)]
    lo = week_start(start.as_of)
    in_post = available_fte(week.assessing, week.abstractions.iloc[:0], lo, week.as_of)
    availability = recent.fte.sum() / in_post
    assessed = (week.cases.completed_date != "").sum()
    future = planned_fte_weeks(week, TARGET, availability)
    return float((assessed + pace * future) / len(week.cases))


@pytest.fixture(scope="module")
def pace(demo_weeks: list[Week]) -> pd.DataFrame:
    return weekly_pace(demo_weeks)


def test_completions_per_available_officer_week_between_1_and_8(pace: pd.DataFrame) -> None:
    working = pace[(pace.index >= 4) & (pace.fte > 0)]
    assert len(working) >= 40
    assert working.pace.between(1, 8).all(), working[~working.pace.between(1, 8)]


def test_a_hopeful_start_then_the_real_pace(pace: pd.DataFrame) -> None:
    # A desk-top sweep of straightforward records in the first four weeks, then full assessments.
    assert pace.pace[:3].min() > 12
    assert pace.pace[4:8].max() < 8
    # December's dip: the Christmas weeks complete far fewer than the weeks before.
    by = pace.set_index("as_of")
    assert by.done[date(2025, 12, 26)] + by.done[date(2026, 1, 2)] < 0.6 * (
        by.done[date(2025, 12, 12)] + by.done[date(2025, 12, 19)]
    )
    # The pace recovers after the team grows: more completions a week in spring than in January.
    spring = by.done[(by.index >= date(2026, 3, 6)) & (by.index <= date(2026, 4, 24))].mean()
    january = by.done[(by.index >= date(2026, 1, 9)) & (by.index <= date(2026, 1, 30))].mean()
    assert spring > 1.3 * january


def test_amber_at_the_start_red_through_december_and_after(demo_weeks: list[Week]) -> None:
    """Reachable at the start if the pace holds, then clearly not, through to the target."""
    early = [coverage(demo_weeks, i) for i in (1, 2, 3)]
    assert all(0.95 <= c <= 1.4 for c in early), early
    for i, week in enumerate(demo_weeks):
        if date(2025, 12, 19) <= week.as_of <= TARGET:
            assert coverage(demo_weeks, i) < 0.85, week.as_of


def test_capacity_agrees_with_throughput(demo_weeks: list[Week]) -> None:
    """Hours recorded per available FTE-week come close to config's productive hours."""
    last = demo_weeks[-1]
    cases = last.cases
    lo, hi = date(2026, 1, 5), date(2026, 7, 31)
    team = dict(zip(last.officers.officer_ref, last.officers.team, strict=True))
    recording = {"Review Team 1", "Review Team 2", "Review Team 4", "Review Team 5"}
    started, completed = days(cases.started_date), days(cases.completed_date)
    inside = (started >= pd.Timestamp(lo)) & (completed <= pd.Timestamp(hi))
    mine = cases.officer_ref.map(team).isin(recording)
    hours = numbers(cases.hours_spent[inside & mine]).sum()
    officers = last.assessing[last.assessing.team.isin(recording)]
    fte_weeks = available_fte(officers, last.abstractions, lo, hi)
    per = hours / fte_weeks
    assert (
        0.8 * programme().productive_hours_per_fte_week
        <= per
        <= 1.1 * programme().productive_hours_per_fte_week
    )


def test_each_week_is_consistent_with_its_extract(demo_weeks: list[Week]) -> None:
    """A week's completions are done by officers in post that week and in its extract."""
    for week in demo_weeks:
        done = days(week.cases.completed_date)
        this_week = week.cases[
            (done >= pd.Timestamp(week_start(week.as_of))) & (done <= pd.Timestamp(week.as_of))
        ]
        officers = week.officers.set_index("officer_ref")
        assert this_week.officer_ref.isin(officers.index).all(), week.as_of
        start = days(officers.start_date[this_week.officer_ref])
        assert (start.to_numpy() <= np.datetime64(week.as_of)).all(), week.as_of


def test_the_work_moves_through_qa(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1].cases
    lag = (days(last.qa_date) - days(last.completed_date)).dt.days
    assert lag.min() >= 0 and lag.median() <= 7
    # Everyone's work goes to a sergeant: a team's queue is what its sergeant has not signed.
    for week in demo_weeks[4:40]:
        waiting = week.cases[week.cases.status == "awaiting_qa"]
        assert len(waiting) < 0.1 * len(week.cases), week.as_of


def test_the_assessments_continue_to_today_in_the_reinvestigation(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    assert last.as_of - max(days(last.cases.completed_date)).date() > timedelta(days=28)
    assert last.reinvestigations is not None
    assert (last.reinvestigations.stage != "closed").sum() > 200
