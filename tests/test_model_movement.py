"""Why the P85 date moved: the parts add up, and a change in one thing shows in its own part."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from reassess.model.inputs import Officer
from reassess.model.movement import why_moved
from reassess.model.plan import run_plan
from tests.model_fixtures import known, plan_input


@pytest.fixture(scope="module")
def before():
    return plan_input(weeks=16, remaining=1200)


def total_of(m) -> float:
    return m.time + m.scope + m.pace + m.staffing


def test_nothing_changed_nothing_moved(before) -> None:
    m = why_moved(before, before)
    assert m.total == 0 and m.parts() == {"time": 0, "scope": 0, "pace": 0, "staffing": 0}


def test_added_scope_shows_as_scope(before) -> None:
    now = replace(before, in_scope=before.in_scope + 400, remaining=before.remaining + 400)
    m = why_moved(before, now)
    assert known(m.total) > 0 and m.scope == m.total
    assert (m.pace, m.staffing, m.time) == (0, 0, 0)
    assert m.p85_now == run_plan(now).p85


def test_more_officers_show_as_staffing(before) -> None:
    joined = tuple(Officer(f"NEW-{i}", 1.0, before.as_of - timedelta(weeks=6)) for i in range(6))
    now = replace(before, officers=before.officers + joined)
    m = why_moved(before, now)
    assert known(m.total) < 0 and known(m.staffing) < 0
    assert m.scope == 0 and total_of(m) == pytest.approx(m.total)


def test_a_week_later_the_parts_add_up_to_the_move() -> None:
    earlier = plan_input(weeks=20, remaining=1600, seed=5)
    later = plan_input(weeks=21, remaining=1300, seed=5, per_fte=6.5)
    later = replace(later, in_scope=later.in_scope + 150, remaining=later.remaining + 150)
    m = why_moved(replace(earlier, settings=later.settings), later)
    assert m.reason == ""
    assert m.total == (known(m.p85_now) - known(m.p85_before)).days / 7
    assert total_of(m) == pytest.approx(m.total, abs=1e-9)
    assert m.p85_now == run_plan(later).p85
    assert known(m.pace) < 0  # faster than expected: earlier


def test_no_split_without_two_forecasts(before) -> None:
    done = replace(before, remaining=1)
    m = why_moved(before, done)
    assert m.total is None and m.reason
