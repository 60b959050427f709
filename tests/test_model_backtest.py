"""The backtest harness: scoring rules, and calibration on a quick simulated programme."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bench.programmes import Spec, backtest_cases, simulate, variants
from reassess.model.backtest import POOLED, Outcome, held, score, summarise, table
from tests.model_fixtures import known

D = date(2026, 5, 1)
WEEK = timedelta(weeks=1)


@pytest.mark.parametrize(
    ("when", "actual", "forecast", "expected"),
    [
        (D, D, True, True),  # the same week holds
        (D, D + WEEK, True, False),
        (None, D, True, True),  # "not within the horizon" is later than any finish
        (D, None, True, None),  # not finished, and the date is still ahead: not yet known
        (D - 3 * WEEK, None, True, False),  # the date passed without the work done
        (D, D, False, None),  # no forecast was made: nothing to score
    ],
)
def test_a_date_holds_when_the_work_was_complete_by_it(when, actual, forecast, expected) -> None:
    assert held(when, actual, D - WEEK, forecast) is expected


def outcome(programme: str, held50: bool, held85: bool, error: float) -> Outcome:
    return Outcome(programme, D, D, "ok", D, D, D, None, held50, held85, True, error, 0.6, 0.9)


def test_summaries_per_programme_and_pooled() -> None:
    out = [
        outcome("a", True, True, 2.0),
        outcome("a", False, True, -1.0),
        outcome("b", False, False, -6.0),
    ]
    a, b, pooled = summarise(out)
    assert (a.programme, a.cover50, a.cover85, a.worst_error_weeks) == ("a", 0.5, 1.0, 2.0)
    assert (b.cover50, b.cover85) == (0.0, 0.0)
    assert pooled.programme == POOLED and pooled.snapshots == 3
    assert pooled.cover85 == pytest.approx(2 / 3) and pooled.worst_error_weeks == -6.0
    assert pooled.median_error_weeks == -1.0 and pooled.expected50 == pytest.approx(0.6)
    assert "| a | 2 | 2 | 50% | 100% |" in table([a, b, pooled])


def test_a_quick_steady_programme_is_calibrated() -> None:
    """Four runs of a small steady team (a day-level simulation, not the model's formula)."""
    spec = Spec(
        name="quick", seed=11, start=date(2025, 3, 3), cases=900, officers=6, learning_extra=0.0
    )
    cases = [c for v in variants(spec, 4) for c in backtest_cases(simulate(v))]
    assert len(cases) > 60 and all(c.actual is not None for c in cases)
    pooled = summarise(score(cases, lambda s: replace(s, trials=400)))[-1]
    assert 0.70 <= known(pooled.cover85) <= 0.95
    assert 0.30 <= known(pooled.cover50) <= 0.70
    assert abs(known(pooled.median_error_weeks)) <= 1
