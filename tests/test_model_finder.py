"""The officers finder answers from the same trials as the scenarios, and warns past the limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from reassess.model.finder import find_officers
from reassess.model.levers import Levers
from reassess.model.plan import run_plan
from tests.model_fixtures import known, plan_input


@pytest.fixture(scope="module")
def inp():
    return plan_input(
        remaining=1500,
        recruitable_extra_officers=6,
        sources=(("recruitable_extra_officers", "assumption: the force's workforce plan"),),
    )


def test_the_answer_meets_the_date_and_one_fewer_does_not(inp) -> None:
    headline = run_plan(inp)
    finish_by = known(headline.p50)
    answer = find_officers(inp, finish_by)
    n = answer.extra_officers
    assert n is not None and n > 0
    with_n = run_plan(inp, Levers(extra_officers=n, extra_from=answer.start))
    fewer = run_plan(inp, Levers(extra_officers=n - 1, extra_from=answer.start))
    assert known(with_n.prob_by(finish_by)) >= 0.85 > known(fewer.prob_by(finish_by))
    assert answer.prob_by == with_n.prob_by(finish_by)
    assert f"{n} extra officers from" in answer.reason


def test_the_curve_is_the_scenarios_p85_and_never_later_with_more_officers(inp) -> None:
    answer = find_officers(inp, known(run_plan(inp).p50))
    dates = [known(p.p85) for p in answer.curve]
    assert dates == sorted(dates, reverse=True)
    assert answer.curve[0].p85 == run_plan(inp).p85
    for point in answer.curve[1:6]:
        plan = run_plan(inp, Levers(extra_officers=point.extra_officers, extra_from=answer.start))
        assert plan.p85 == point.p85


def test_no_officers_needed_when_the_team_already_meets_the_date(inp) -> None:
    answer = find_officers(inp, known(run_plan(inp).p95))
    assert answer.extra_officers == 0
    assert "no extra officers are needed" in answer.reason


def test_an_answer_over_the_recruitable_limit_warns_with_the_setting_and_its_source(inp) -> None:
    soon = inp.as_of + timedelta(weeks=8)
    answer = find_officers(inp, soon)
    assert answer.extra_officers is not None and answer.extra_officers > 6
    assert "more than the 6 extra officers that can be recruited" in answer.warning
    assert "recruitable_extra_officers in config/programme.toml" in answer.warning
    assert "the force's workforce plan" in answer.warning
    assert answer.best is not None and answer.best.levers.extra_officers == 6
    assert not answer.curve[-1].recruitable and answer.curve[0].recruitable


def test_a_date_no_number_of_officers_can_meet_gives_a_reason_not_a_number(inp) -> None:
    answer = find_officers(
        inp, inp.as_of + timedelta(weeks=2), start=inp.as_of + timedelta(weeks=3)
    )
    assert answer.extra_officers is None
    assert "start too late" in answer.reason
    unlimited = replace(inp, settings=replace(inp.settings, recruitable_extra_officers=None))
    assert find_officers(unlimited, inp.as_of + timedelta(weeks=8)).warning == ""
