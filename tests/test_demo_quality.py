"""Every warning-worthy condition the dashboard looks for exists in the demo, from the CSVs.

Each is something a commander would meet in a real review and that a page, a warning or an
alert must be able to show: poor but valid data, stale and backwards cases, a QA queue that
backs up, an officer overloaded or with no recent completion, an unallocated high-priority case.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from reassess.config import programme
from tests.demo_weeks import Week, available_days, days, numbers, status_rank

pytestmark = pytest.mark.slow


def pairs(weeks: list[Week]) -> list[tuple[Week, pd.DataFrame]]:
    """Each week with its cases joined to the week before's (suffixes _b before, _a after)."""
    out = []
    for before, after in zip(weeks, weeks[1:], strict=False):
        both = before.cases.merge(after.cases, on="case_ref", suffixes=("_b", "_a"))
        out.append((after, both))
    return out


def test_ethnicity_and_hours_are_missing_where_a_commander_would_find_them(
    demo_weeks: list[Week],
) -> None:
    last = demo_weeks[-1]
    cases = last.cases
    assert (cases.suspect_ethnicity_recorded == "none").mean() > 0.5
    team = dict(zip(last.officers.officer_ref, last.officers.team, strict=True))
    recent = cases[days(cases.started_date) >= pd.Timestamp(date(2026, 4, 1))]
    blank = (recent.hours_spent == "").groupby(recent.officer_ref.map(team)).mean()
    assert (blank > 0.95).sum() >= 1  # a team that does not record hours
    assert (blank < 0.05).sum() >= 3  # while most do
    early = cases[days(cases.started_date) < pd.Timestamp(date(2025, 11, 24))]
    assert (early.hours_spent == "").all()  # before the time codes were set up


def test_cases_go_stale_in_assessment(demo_weeks: list[Week]) -> None:
    limit = programme().stale_in_assessment_days
    stale_weeks = 0
    for week in demo_weeks:
        started = days(week.cases.started_date)
        stale = (week.cases.status == "in_assessment") & (
            started < pd.Timestamp(week.as_of - timedelta(days=limit))
        )
        assert stale.sum() <= 15, week.as_of
        stale_weeks += bool(stale.any())
    assert stale_weeks >= 8


def test_status_goes_backwards_a_handful_of_times(demo_weeks: list[Week]) -> None:
    kinds: dict[tuple[str, str], int] = {}
    moved = 0
    for _, both in pairs(demo_weeks):
        back = both[status_rank(both.status_a) < status_rank(both.status_b)]
        for b, a in zip(back.status_b, back.status_a, strict=True):
            kinds[(b, a)] = kinds.get((b, a), 0) + 1
        held = (both.officer_ref_b != "") & (both.officer_ref_a != "")
        moved += int((both.officer_ref_b[held] != both.officer_ref_a[held]).sum())
    assert kinds.get(("awaiting_qa", "in_assessment"), 0) >= 3  # sent back by QA
    assert kinds.get(("assessed", "in_assessment"), 0) >= 2  # withdrawn after sign-off
    assert 5 <= sum(kinds.values()) <= 100  # a handful, not a flood
    assert moved >= 5  # and cases change hands when officers leave


def test_cases_vanish_from_one_week_to_the_next(demo_weeks: list[Week]) -> None:
    gone = 0
    for before, after in zip(demo_weeks, demo_weeks[1:], strict=False):
        missing = set(before.cases.case_ref) - set(after.cases.case_ref)
        gone += len(missing)
        # a duplicate is noticed before anyone has started on it
        was = before.cases.set_index("case_ref").status[list(missing)]
        assert set(was) <= {"awaiting_allocation", "allocated"}, after.as_of
    assert 20 <= gone <= 60


def test_some_assessments_are_re_dated(demo_weeks: list[Week]) -> None:
    redated = 0
    for _, both in pairs(demo_weeks):
        kept = (both.completed_date_b != "") & (both.completed_date_a != "")
        redated += int((both.completed_date_b[kept] != both.completed_date_a[kept]).sum())
    assert 3 <= redated <= 60


def test_hours_never_go_down(demo_weeks: list[Week]) -> None:
    for week, both in pairs(demo_weeks):
        b, a = numbers(both.hours_spent_b), numbers(both.hours_spent_a)
        assert not (a < b - 1e-9).any(), week.as_of


def test_one_or_two_officers_are_overloaded_at_times(demo_weeks: list[Week]) -> None:
    limit = programme().overload_open_cases
    flagged_weeks = 0
    for week in demo_weeks:
        open_cases = week.cases[week.cases.status.isin(["allocated", "in_assessment"])]
        over = (open_cases.groupby("officer_ref").size() > limit).sum()
        assert over <= 2, week.as_of
        flagged_weeks += bool(over)
    assert 3 <= flagged_weeks <= 12


def idle_investigators(week: Week, weeks: int) -> list[str]:
    """Assessing investigators in post throughout the last `weeks` weeks, not abstracted for all
    of it, with no assessment completed in it (the workload page's definition)."""
    start = week.as_of - timedelta(days=7 * weeks - 1)
    done = week.cases[days(week.cases.completed_date) >= pd.Timestamp(start)]
    officers = week.assessing[week.assessing.role != "detective_sergeant"]
    began = days(officers.start_date) <= pd.Timestamp(start)
    end = days(officers.end_date)
    staying = end.isna() | (end >= pd.Timestamp(week.as_of))
    free = available_days(officers, week.abstractions, start, week.as_of) > 0
    quiet = ~officers.officer_ref.isin(set(done.officer_ref))
    return list(officers.officer_ref[began & staying & free & quiet])


def test_an_officer_with_no_recent_completion_at_times(demo_weeks: list[Week]) -> None:
    weeks = programme().idle_weeks
    flagged = {}
    for week in demo_weeks:
        waiting = (week.cases.status == "awaiting_allocation").sum()
        if week.as_of >= date(2025, 12, 1) and waiting > 0:  # while there is work to give
            idle = idle_investigators(week, weeks)
            assert len(idle) <= 3, (week.as_of, idle)
            flagged[week.as_of] = idle
    assert sum(bool(v) for v in flagged.values()) >= 3


def test_one_teams_qa_backs_up_for_weeks(demo_weeks: list[Week]) -> None:
    queues = []
    for week in demo_weeks:
        team = dict(zip(week.officers.officer_ref, week.officers.team, strict=True))
        waiting = week.cases[week.cases.status == "awaiting_qa"]
        row = waiting.officer_ref.map(team).value_counts().to_dict()
        oldest = (pd.Timestamp(week.as_of) - days(waiting.completed_date)).dt.days
        row["oldest"] = int(oldest.max()) if len(oldest) else 0
        queues.append(pd.Series(row, name=week.as_of))
    table = pd.DataFrame(queues).fillna(0)
    teams = [c for c in table.columns if c != "oldest"]
    spring = table[(table.index >= date(2026, 1, 9)) & (table.index <= date(2026, 8, 28))]
    typical = spring[teams].median().median()
    backed_up = spring[teams] > 4 * typical
    runs = backed_up.sum()
    assert runs.max() >= 3  # one team, for three weeks or more
    assert (runs >= 3).sum() == 1  # and only one
    assert spring.oldest.max() >= 21  # some waited three weeks or more for sign-off


def test_a_high_priority_case_left_unallocated_for_weeks(demo_weeks: list[Week]) -> None:
    """After the high-priority backlog has gone, one found later waits weeks for an officer."""
    waiting_since: dict[str, date] = {}
    longest = 0
    for week in demo_weeks:
        cases = week.cases
        high = cases[(cases.priority == "high") & (cases.status == "awaiting_allocation")]
        if week.as_of < date(2026, 3, 6):
            continue
        for ref in high.case_ref:
            waiting_since.setdefault(ref, week.as_of)
            longest = max(longest, (week.as_of - waiting_since[ref]).days)
        assert len(high) <= 2, week.as_of
    assert longest >= 28


def test_workloads_are_a_handful_most_of_the_time(demo_weeks: list[Week]) -> None:
    for week in demo_weeks[4:40]:
        open_cases = week.cases[week.cases.status.isin(["allocated", "in_assessment"])]
        held = open_cases.groupby("officer_ref").size()
        assert np.percentile(held, 90) <= 12, week.as_of
