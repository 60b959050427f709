"""Monte Carlo completion forecast, checked against exact calculations on small cases."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from reassess.model.forecast import (
    NOT_REACHED,
    Forecast,
    draw_schedule,
    forecast_completion,
    forecast_fan,
    how_many_by,
    reached_with,
    sample_weekly,
    weeks_to_reach,
)

AS_OF = date(2026, 2, 6)
TARGET = date(2026, 4, 30)
RECENT = [180, 220, 195, 210, 205, 190, 230, 170]

# Per-point tolerance for comparing a Monte Carlo share with the exact probability: 4
# standard errors. A true share lands outside it with chance 6e-5, so across the ~20 weeks
# compared in one test a false alarm has chance about 1e-3 (and the fixed seed makes every run
# the same anyway).
SE_TOLERANCE = 4.0


def exact_cdf_nonnegative(sample: list[int], remaining: int, max_weeks: int) -> list[float]:
    """P(finished by week k), k = 0..max_weeks, for non-negative weekly progress.

    Weekly progress is a uniform draw from ``sample``; with non-negative progress,
    finished by week k  <=>  sum of k weeks >= remaining. The distribution of the sum of k
    weeks is the k-fold convolution of the one-week distribution.
    """
    week = np.zeros(max(sample) + 1)
    for value in sample:
        week[value] += 1 / len(sample)
    total = np.array([1.0])  # the sum of 0 weeks is 0
    cdf = []
    for _ in range(max_weeks + 1):
        cdf.append(float(total[remaining:].sum()))
        total = np.convolve(total, week)
    return cdf


def exact_cdf_first_passage(net: list[int], remaining: int, max_weeks: int) -> list[float]:
    """P(cumulative net progress has reached ``remaining`` by week k), steps may be negative.

    Dynamic programme over the cumulative total of trials not yet finished (absorbing once
    the total reaches ``remaining``).
    """
    alive: dict[int, float] = {0: 1.0}
    finished = 0.0
    cdf = [0.0]
    for _ in range(max_weeks):
        step: dict[int, float] = defaultdict(float)
        for total, p in alive.items():
            for value in net:
                new = total + value
                if new >= remaining:
                    finished += p / len(net)
                else:
                    step[new] += p / len(net)
        alive = dict(step)
        cdf.append(finished)
    return cdf


def exact_quantile(cdf: list[float], confidence: float) -> int:
    return next(k for k, p in enumerate(cdf) if p >= confidence - 1e-12)


def mc_cdf(forecast: Forecast, max_weeks: int) -> list[float]:
    counts = list(forecast.week_counts) + [0] * (max_weeks + 1)
    return list(np.cumsum(counts[: max_weeks + 1]) / forecast.trials)


def assert_close_to_exact(mc: list[float], exact: list[float], trials: int) -> None:
    for week, (got, want) in enumerate(zip(mc, exact, strict=True)):
        se = math.sqrt(max(want * (1 - want), 1 / trials) / trials)
        assert abs(got - want) <= SE_TOLERANCE * se, (week, got, want, se)


def allowed_quantile_weeks(exact: list[float], confidence: float, trials: int) -> set[int]:
    """Weeks the MC quantile may land on: the exact quantile, plus a neighbour when the exact
    CDF there is within the tolerance of ``confidence`` (a knife edge that Monte Carlo noise
    can tip either way)."""
    tol = SE_TOLERANCE * math.sqrt(confidence * (1 - confidence) / trials)
    return {
        k
        for k in range(1, len(exact))
        if exact[k] >= confidence - tol and exact[k - 1] < confidence + tol
    }


def assert_quantiles_match(forecast: Forecast, exact: list[float], *, clean: bool) -> None:
    """MC p50/p85/p95 weeks equal the exact quantiles (smallest k with CDF(k) >= q).

    ``clean``: the example has no knife edge, so each exact quantile is the only allowed week.
    """
    for confidence, got in (
        (0.50, forecast.weeks_p50),
        (0.85, forecast.weeks_p85),
        (0.95, forecast.weeks_p95),
    ):
        want = exact_quantile(exact, confidence)
        allowed = allowed_quantile_weeks(exact, confidence, forecast.trials)
        assert want in allowed
        if clean:
            assert allowed == {want}, (confidence, allowed)
        assert got in allowed, (confidence, got, want)


# (sample, remaining, clean): [0, 1, 2, 3] with 5 remaining is the worked example of the brief;
# its exact P(done by week 3) is exactly 0.5, a knife edge for p50.
@pytest.mark.parametrize(
    ("sample", "remaining", "clean"),
    [
        ([0, 1, 2, 3], 5, False),
        ([0, 1, 2, 3], 7, True),
        ([0, 1, 2, 3], 10, True),
        ([0, 2, 5], 11, True),
        ([2, 2, 7], 20, True),
        ([0, 3, 5, 12], 40, False),
    ],
)
def test_monte_carlo_matches_exact_convolution(
    sample: list[int], remaining: int, clean: bool
) -> None:
    trials = 20_000
    forecast = forecast_completion(remaining, sample, AS_OF, TARGET, trials=trials, seed=7)
    horizon = 60
    exact = exact_cdf_nonnegative(sample, remaining, horizon)
    assert exact[-1] > 0.999_999
    assert forecast.status == "ok"
    assert forecast.not_finished == 0
    assert_close_to_exact(mc_cdf(forecast, horizon), exact, trials)
    assert_quantiles_match(forecast, exact, clean=clean)
    assert forecast.p50 == AS_OF + timedelta(weeks=forecast.weeks_p50)


def test_monte_carlo_with_scope_change_matches_exact_first_passage() -> None:
    # Throughput and scope change are drawn as a pair (the same week), so the net weekly
    # progress is uniform on throughput - scope = [-1, 1, 2, 3]; a week can go backwards.
    throughput = [0, 1, 2, 3]
    scope = [1, 0, 0, 0]
    remaining, trials, horizon = 8, 20_000, 80
    forecast = forecast_completion(
        remaining,
        throughput,
        AS_OF,
        TARGET,
        weekly_scope_change=scope,
        trials=trials,
        seed=11,
    )
    net = [t - s for t, s in zip(throughput, scope, strict=True)]
    exact = exact_cdf_first_passage(net, remaining, horizon)
    assert exact[-1] > 0.999_999
    assert forecast.mean_weekly_net_progress == 1.25
    assert forecast.mean_weekly_throughput == 1.5
    assert_close_to_exact(mc_cdf(forecast, horizon), exact, trials)
    assert_quantiles_match(forecast, exact, clean=True)


def test_prob_by_target_matches_exact() -> None:
    sample, remaining, trials = [0, 1, 2, 3], 12, 20_000
    target = AS_OF + timedelta(weeks=8, days=3)  # 8 whole weeks fit before the target
    forecast = forecast_completion(remaining, sample, AS_OF, target, trials=trials, seed=3)
    exact = exact_cdf_nonnegative(sample, remaining, 8)[8]
    assert forecast.prob_by_target is not None
    assert abs(forecast.prob_by_target - exact) <= SE_TOLERANCE * math.sqrt(
        exact * (1 - exact) / trials
    )


def test_same_seed_same_forecast_different_seed_differs() -> None:
    first = forecast_completion(4000, RECENT, AS_OF, TARGET, seed=42)
    again = forecast_completion(4000, RECENT, AS_OF, TARGET, seed=42)
    other = forecast_completion(4000, RECENT, AS_OF, TARGET, seed=43)
    assert first == again
    assert first.week_counts != other.week_counts


def test_constant_throughput_gives_an_exact_date() -> None:
    forecast = forecast_completion(1000, [100] * 8, AS_OF, TARGET, seed=1)
    assert (forecast.weeks_p50, forecast.weeks_p85, forecast.weeks_p95) == (10, 10, 10)
    assert forecast.p50 == forecast.p85 == forecast.p95 == date(2026, 4, 17)
    assert forecast.prob_by_target == 1.0
    assert forecast.mean_weekly_throughput == 100.0
    assert forecast.week_counts[10] == forecast.trials
    assert forecast.distribution().to_dict("records") == [
        {"week_ending": date(2026, 4, 17), "trials": 10_000, "share": 1.0, "cumulative_share": 1.0}
    ]
    # One more case takes one more week; a target one day early is missed for certain.
    assert forecast_completion(1001, [100] * 8, AS_OF, TARGET).weeks_p50 == 11
    early = forecast_completion(1000, [100] * 8, AS_OF, date(2026, 4, 16))
    assert early.prob_by_target == 0.0
    assert early.message == ""


@pytest.mark.parametrize(
    ("remaining", "throughput", "scope", "status", "message"),
    [
        (
            4000,
            [0] * 8,
            None,
            "cannot_forecast",
            "Cannot forecast: no assessments were completed in the last 8 weeks.",
        ),
        (
            4000,
            [0] * 4,
            None,
            "cannot_forecast",
            "Cannot forecast: no assessments were completed in the last 4 weeks.",
        ),
        (
            4000,
            [0],
            None,
            "cannot_forecast",
            "Cannot forecast: no assessments were completed in the last week.",
        ),
        (
            4000,
            [],
            None,
            "cannot_forecast",
            "Cannot forecast: there are no weekly completion counts to sample from.",
        ),
        (0, [200] * 8, None, "done", "Every case in scope has been assessed."),
        (-3, [], None, "done", "Every case in scope has been assessed."),
        (
            4000,
            [200] * 8,
            [200] * 8,
            "not_converging",
            "Scope is growing as fast as assessments are completed: "
            "at this rate the work does not finish.",
        ),
        (
            4000,
            [150, 250],
            [300, 120],
            "not_converging",
            "Scope is growing as fast as assessments are completed: "
            "at this rate the work does not finish.",
        ),
    ],
)
def test_edge_cases_in_words(
    remaining: int, throughput: list[int], scope: list[int] | None, status: str, message: str
) -> None:
    forecast = forecast_completion(remaining, throughput, AS_OF, TARGET, weekly_scope_change=scope)
    assert forecast.status == status
    assert forecast.message == message
    if status == "done":
        assert forecast.p50 == forecast.p85 == forecast.p95 == AS_OF
        assert forecast.prob_by_target == 1.0
    else:
        assert forecast.p50 is None and forecast.p85 is None and forecast.p95 is None
        assert forecast.prob_by_target is None
        assert forecast.week_counts == ()


def test_target_passed_still_forecasts() -> None:
    as_of = date(2026, 5, 8)
    forecast = forecast_completion(1000, [100] * 8, as_of, TARGET)
    assert forecast.status == "ok"
    assert forecast.message == "The target date (30 April 2026) has passed."
    assert forecast.prob_by_target == 0.0
    assert forecast.p50 == as_of + timedelta(weeks=10)


def test_work_that_does_not_finish_within_the_horizon() -> None:
    forecast = forecast_completion(4000, [1, 0, 0, 0, 0, 0, 0, 0], AS_OF, TARGET, trials=2000)
    assert forecast.status == "ok"
    assert forecast.not_finished == 2000
    assert forecast.p50 is None and forecast.weeks_p95 is None
    assert forecast.prob_by_target == 0.0
    assert forecast.message == "In 100% of trials the work does not finish within 10 years."
    short = forecast_completion(30, [0, 1], AS_OF, TARGET, trials=2000, max_weeks=60)
    assert short.p50 is not None and short.p95 is None
    assert short.message.endswith("of trials the work does not finish within 60 weeks.")


def test_slower_window_moves_the_p85_date_later() -> None:
    slower = [round(0.8 * x) for x in RECENT]
    fast = forecast_completion(4000, RECENT, AS_OF, TARGET, seed=5)
    slow = forecast_completion(4000, slower, AS_OF, TARGET, seed=5)
    assert fast.p85 is not None and slow.p85 is not None
    assert slow.p85 > fast.p85
    assert slow.prob_by_target is not None and fast.prob_by_target is not None
    assert slow.prob_by_target <= fast.prob_by_target
    # One week slower in the window never brings any percentile earlier (same draws).
    one_slower = [*RECENT[:-1], 0]
    worse = forecast_completion(4000, one_slower, AS_OF, TARGET, seed=5)
    for attr in ("weeks_p50", "weeks_p85", "weeks_p95"):
        assert getattr(worse, attr) >= getattr(fast, attr)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"weekly_throughput": [100, -1]}, "negative count \\(-1\\) in week 2"),
        ({"weekly_scope_change": [1, 2]}, "weekly_scope_change has 2 weeks"),
        ({"trials": 0}, "trials must be at least 1"),
        ({"weekly_throughput": [100, float("nan")]}, "missing or infinite"),
    ],
)
def test_bad_input_is_refused_with_the_reason(kwargs: dict, error: str) -> None:
    args = {"weekly_throughput": RECENT, **kwargs}
    throughput = args.pop("weekly_throughput")
    with pytest.raises(ValueError, match=error):
        forecast_completion(4000, throughput, AS_OF, TARGET, **args)


def test_how_many_by_constant_throughput_is_exact() -> None:
    by = AS_OF + timedelta(weeks=11, days=3)  # only whole weeks count
    count = how_many_by([100] * 8, AS_OF, by)
    assert (count.weeks, count.p50, count.p85, count.p95) == (11, 1100, 1100, 1100)
    assert count.message == ""


def test_how_many_by_uses_reached_with_confidence() -> None:
    # Two weeks from [0, 10]: totals 0, 10, 20 with chances 1/4, 1/2, 1/4.
    # P(total >= 10) = 0.75: enough for p50, not for p85 or p95.
    count = how_many_by([0, 10], AS_OF, AS_OF + timedelta(weeks=2), trials=20_000, seed=2)
    assert (count.p50, count.p85, count.p95) == (10, 0, 0)
    varied = how_many_by(RECENT, AS_OF, TARGET, seed=2)
    assert varied.p95 is not None and varied.p85 is not None and varied.p50 is not None
    assert varied.p95 <= varied.p85 <= varied.p50


def test_how_many_by_edge_cases() -> None:
    none = how_many_by([0] * 8, AS_OF, TARGET)
    assert none.p50 is None
    assert none.message == "Cannot forecast: no assessments were completed in the last 8 weeks."
    soon = how_many_by(RECENT, AS_OF, AS_OF + timedelta(days=6))
    assert (soon.weeks, soon.p50, soon.p85, soon.p95) == (0, 0, 0, 0)
    past = how_many_by(RECENT, AS_OF, AS_OF - timedelta(days=30))
    assert past.weeks == 0 and past.p50 == 0


def test_fan_bands_are_ordered_and_start_at_the_actual() -> None:
    fan = forecast_fan(5000, RECENT, AS_OF, 12, seed=4)
    assert list(fan.columns) == ["week_ending", "p05", "p15", "p50", "p85", "p95"]
    assert len(fan) == 13
    assert fan.iloc[0].to_dict() == {
        "week_ending": AS_OF,
        "p05": 5000,
        "p15": 5000,
        "p50": 5000,
        "p85": 5000,
        "p95": 5000,
    }
    assert fan["week_ending"].iloc[-1] == AS_OF + timedelta(weeks=12)
    assert (fan["p95"] <= fan["p85"]).all()
    assert (fan["p85"] <= fan["p50"]).all()
    assert (fan["p50"] <= fan["p15"]).all()
    assert (fan["p15"] <= fan["p05"]).all()
    for column in ("p05", "p50", "p95"):
        assert fan[column].is_monotonic_increasing


def test_fan_constant_throughput_and_cap() -> None:
    fan = forecast_fan(100, [50] * 8, AS_OF, 4, cap=220)
    assert fan["p50"].tolist() == [100, 150, 200, 220, 220]
    assert (fan["p05"] == fan["p95"]).all()


def test_fan_crosses_scope_in_the_forecast_weeks() -> None:
    # Same seed, same draws: the p50/p85/p95 lines first reach the scope in the weeks of the
    # forecast's p50/p85/p95 dates.
    assessed, remaining = 5000, 4000
    forecast = forecast_completion(remaining, RECENT, AS_OF, TARGET, seed=9)
    fan = forecast_fan(assessed, RECENT, AS_OF, 40, seed=9)
    for column, weeks in (
        ("p50", forecast.weeks_p50),
        ("p85", forecast.weeks_p85),
        ("p95", forecast.weeks_p95),
    ):
        first = int(np.argmax(fan[column].to_numpy() >= assessed + remaining))
        assert first == weeks, column


def test_fan_with_nothing_to_sample_is_only_the_actual() -> None:
    fan = forecast_fan(5000, [], AS_OF, 12)
    assert len(fan) == 1 and fan["p50"].tolist() == [5000]


def test_sampling_primitives() -> None:
    rng = np.random.default_rng(0)
    draws = sample_weekly(np.array([3, 5, 8]), 1000, 6, rng)
    assert draws.shape == (1000, 6)
    assert set(np.unique(draws)) == {3, 5, 8}
    progress = np.array([[1, 1, 1], [0, 0, 0], [3, 0, 0], [0, 1, 0]])
    assert weeks_to_reach(progress, 2).tolist() == [2, NOT_REACHED, 1, NOT_REACHED]
    assert weeks_to_reach(progress, 0).tolist() == [0, 0, 0, 0]
    assert weeks_to_reach(progress, np.array([3, 1, 3, 1])).tolist() == [3, NOT_REACHED, 1, 2]
    with pytest.raises(ValueError, match="sample is empty"):
        sample_weekly(np.array([]), 10, 2, rng)


def test_draw_schedule_does_not_depend_on_horizon() -> None:
    short = draw_schedule(np.arange(10), 50, 20, np.random.default_rng(1))
    long = draw_schedule(np.arange(10), 50, 60, np.random.default_rng(1))
    assert short.shape == (50, 20) and long.shape == (50, 60)
    assert (short == long[:, :20]).all()


def test_reached_with_is_the_count_reached_with_that_confidence() -> None:
    values = np.arange(1, 101)  # 1..100, each with chance 1/100
    assert reached_with(values, 0.85) == 16  # P(X >= 16) = 0.85, P(X >= 17) = 0.84
    assert reached_with(values, 0.50) == 51
    assert reached_with(values, 1.0) == 1
