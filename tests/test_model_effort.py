"""Work content: cases weighted by the effort their kind of case has taken."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from reassess.model.effort import MIN_WITH_HOURS, CaseGroup, after, work_content
from reassess.model.plan import run_plan
from tests.model_fixtures import known, plan_input

WEEK = date(2026, 3, 6)
WEEKS = tuple(WEEK - timedelta(weeks=k) for k in range(7, -1, -1))


def groups(
    high_hours: float, low_hours: float, low_done: int = 200, weeks: tuple[date, ...] = WEEKS
) -> list[CaseGroup]:
    """High-priority cases done early at high_hours each, low ones recently at low_hours."""
    weeks = weeks[-8:]
    out = [
        CaseGroup("high", "organised_group", weeks[k], 0, 50, 50 * high_hours, 50) for k in range(4)
    ]
    if low_done:
        n = low_done // 4
        out += [CaseGroup("low", "online", weeks[k], 0, n, n * low_hours, n) for k in range(4, 8)]
    out += [
        CaseGroup("high", "organised_group", None, 0, 100, 0.0, 0),
        CaseGroup("low", "online", None, 1, 1000, 0.0, 0),
    ]
    return out


def test_weights_follow_recorded_hours_and_average_one_on_completed_cases() -> None:
    work = known(work_content(groups(6.0, 2.0), WEEKS))
    weight = {(p, c): w for p, c, w in work.weights}
    assert weight[("high", "organised_group")] / weight[("low", "online")] == pytest.approx(
        3.0, rel=0.05
    )
    done = 200 * weight[("high", "organised_group")] + 200 * weight[("low", "online")]
    assert done / 400 == pytest.approx(1.0)
    # the queue: in progress (high) first, then awaiting allocation (low)
    assert work.queue_cases == (0.0, 100.0, 1100.0)
    assert work.queue_units[1] == pytest.approx(100 * weight[("high", "organised_group")])
    assert work.weekly_units[0] == pytest.approx(weight[("high", "organised_group")])
    assert work.weekly_units[-1] == pytest.approx(weight[("low", "online")])


def test_a_kind_of_case_not_done_yet_counts_as_the_recent_ones() -> None:
    g = groups(6.0, 2.0, low_done=0) + [
        CaseGroup("medium", "online", WEEKS[k], 0, 50, 50 * 3.0, 50) for k in range(4, 8)
    ]
    work = known(work_content(g, WEEKS, recent_weeks=4))
    weight = {(p, c): w for p, c, w in work.weights}
    assert weight[("low", "online")] == pytest.approx(weight[("medium", "online")], rel=0.05)


def test_too_few_recorded_hours_means_plain_cases() -> None:
    few = [CaseGroup("high", "online", WEEK, 0, MIN_WITH_HOURS - 1, 10.0, MIN_WITH_HOURS - 1)]
    assert work_content(few, WEEKS) is None


def test_units_and_cases_map_back_and_forth_along_the_queue() -> None:
    work = known(work_content(groups(6.0, 2.0), WEEKS))
    cases = np.array([0.0, 50.0, 100.0, 600.0, 1100.0, 1300.0])
    units = np.array([work.units_for(c) for c in cases])
    assert np.allclose(work.cases_for(units), cases)
    later = after(work, 100.0)
    assert later.queue_cases[-1] == 1000.0
    assert later.units_for(500) == pytest.approx(work.units_for(600) - work.units_for(100))


def test_the_case_mix_ahead_moves_the_forecast_both_ways() -> None:
    inp = plan_input(remaining=1000, effort_weighting=True)
    weeks = inp.history.week_ending[-8:]

    def mix(recent: str, ahead: str) -> list[CaseGroup]:
        hours = {"high": 6.0, "low": 2.0}
        earlier = "low" if recent == "high" else "high"
        done = [
            CaseGroup(earlier, "online", weeks[k], 0, 50, 50 * hours[earlier], 50) for k in range(4)
        ]
        done += [
            CaseGroup(recent, "online", weeks[k], 0, 50, 50 * hours[recent], 50)
            for k in range(4, 8)
        ]
        return done + [CaseGroup(ahead, "online", None, 1, 1000, 0.0, 0)]

    plain = run_plan(inp)
    lighter = run_plan(replace(inp, work=work_content(mix("high", "low"), inp.history.week_ending)))
    heavier = run_plan(replace(inp, work=work_content(mix("low", "high"), inp.history.week_ending)))
    lighter_p50 = known(lighter.weeks_p50)
    assert lighter_p50 < known(plain.weeks_p50) < known(heavier.weeks_p50)
    fan = lighter.fan(lighter_p50 + 1)
    assert fan["remaining_p50"].iloc[lighter_p50] <= lighter.finish_line
    assert lighter.completions(4).sum(axis=1).mean() > plain.completions(4).sum(axis=1).mean()
