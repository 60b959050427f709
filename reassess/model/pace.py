"""Pace: completions per effective available FTE-week, measured from the history, and how far
it can wander.

Productivity here is completions per *effective* available FTE-week: available FTE (net of
abstraction) with officers still ramping up counted at their ramp share, so a wave of new
starters does not read as the whole team slowing down. Its log is taken as a local level:

    log p(week) = level(week) + noise,    level(week) = level(week - 1) + drift step

How far the level wanders (the drift) and the weekly noise are fitted from the whole history
by maximum likelihood of this local level model, the drift shrunk towards the prior
``drift_per_week`` with the weight of 26 weeks. The level now is the Kalman filter's over the
window's weeks (robust: one odd week moves it by at most 2.5 sd). Productivity then rises
along a learning curve (Wright's law: faster as the work done grows), measured from the
history and shrunk to a prior. See docs/forecasting.md for why this was chosen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from reassess.model.inputs import History, Officer, PlanInput, setting_name

PRIOR_WEEKS = 26.0
"""Weight of the drift prior, in weeks of history: after 26 measured weeks, half is measured."""
MIN_NOISE = 0.05
MAX_NOISE = 1.5
TREND_DAMPING = 0.9
"""Weekly damping of a measured trend (the 'local_trend' method only): at most 9 weeks' worth."""
METHODS = ("learning", "local_level", "window_level", "local_trend", "level_only", "iid")
LEARNING_PRIOR_SD = 0.05
"""Prior sd of the learning exponent (0.15 is 10% faster per doubling of the work done)."""
MAX_LEARNING = math.log(2.0)
"""The learning curve raises productivity by at most x2 over the rest of the programme."""


@dataclass(frozen=True)
class Pace:
    """How fast the team completes assessments, and how uncertain that is.

    ``level``: completions per effective available FTE-week now. ``level_sd``: uncertainty of
    its log (estimation from the window, plus drift within it). ``drift_sd``: standard
    deviation of the weekly step of log productivity. ``noise_sd``: week-to-week noise of log
    productivity. ``per_available_fte``: completed cases per available FTE-week over the window
    (the figure a planner reads and sets). ``trend``: weekly trend of log productivity (damped; 0 unless the method is
    'local_trend'). ``empirical``: log ratios to bootstrap weekly noise from ('iid' only).
    ``weekly_pace``: completions a week over the window, dividing by the weeks actually worked.
    """

    level: float
    level_sd: float
    drift_sd: float
    noise_sd: float
    trend: float
    window_weeks: int
    measured_weeks: int
    weekly_pace: float
    source: str
    empirical: tuple[float, ...] = ()
    learning: float = 0.0
    experience: float = 0.0
    per_available_fte: float = 0.0


def elapsed_fraction(week_ending: date, start: date) -> float:
    """Share of a week's working days (Monday to Friday) on or after the programme start."""
    days = [week_ending - timedelta(days=k) for k in range(7)]
    working = [d for d in days if d.weekday() < 5]
    if not working:
        return 0.0
    return sum(d >= start for d in working) / len(working)


def ramp_share(service_weeks: float, ramp_weeks: int) -> float:
    """Productive share of an officer in their k-th week in post: (k - 0.5) / ramp, up to 1."""
    if ramp_weeks <= 0:
        return 1.0 if service_weeks >= 1 else 0.0
    return float(min(1.0, max(0.0, (service_weeks - 0.5) / ramp_weeks)))


def service_weeks(start: date, week_ending: date) -> int:
    """Which week in post the week ending ``week_ending`` is for someone who started ``start``."""
    return (week_ending - start).days // 7 + 1


def ramp_factors(history: History, officers: tuple[Officer, ...], ramp_weeks: int) -> np.ndarray:
    """Per history week, the FTE-weighted productive share of the officers in post then."""
    out = np.ones(history.weeks)
    for k, end in enumerate(history.week_ending):
        begin = end - timedelta(days=6)
        total = share = 0.0
        for o in officers:
            if o.start <= end and (o.end is None or o.end >= begin):
                total += o.fte
                share += o.fte * ramp_share(service_weeks(o.start, end), ramp_weeks)
        if total > 0:
            out[k] = share / total
    return out


@dataclass(frozen=True, eq=False)
class Measured:
    """The history as the model reads it: which weeks count, and the effective FTE in each."""

    since_start: np.ndarray  # indices of history weeks ending on or after the programme start
    cases: np.ndarray  # completions in cases
    completions: np.ndarray  # completions in units of work (cases when there is no work content)
    effective_fte: np.ndarray
    available: np.ndarray  # available FTE (net of abstraction, ramp-up not deducted)
    elapsed: np.ndarray  # share of each week actually worked
    window: np.ndarray  # indices (into the arrays above) of the window's weeks
    notes: tuple[str, ...]
    typical: np.ndarray | None = (
        None  # False for weeks in a seasonal stretch (not evidence of pace)
    )


def measure(inp: PlanInput, abstraction: float | None) -> Measured:
    """Select the weeks since the programme start and the window; effective FTE per week.

    ``abstraction`` is the configured rate to apply when the history has no abstraction
    measurement (None: available FTE is taken as given).
    """
    h = inp.history
    s = inp.settings
    ends = h.week_ending
    keep = np.array(
        [i for i, d in enumerate(ends) if inp.programme_start <= d <= inp.as_of], dtype=np.int64
    )
    cases = np.asarray(h.completions, dtype=np.float64)[keep] if keep.size else np.zeros(0)
    completions = cases
    if inp.work is not None and keep.size:
        completions = cases * np.asarray(inp.work.weekly_units, dtype=np.float64)[keep]
    available = np.asarray(h.available_fte, dtype=np.float64)[keep] if keep.size else np.zeros(0)
    if abstraction is not None and not h.abstraction_measured:
        available = np.asarray(h.headcount_fte, dtype=np.float64)[keep] * (1 - abstraction)
    ramp = ramp_factors(h, inp.officers, s.ramp_up_weeks)[keep] if keep.size else np.zeros(0)
    elapsed = np.array([elapsed_fraction(ends[i], inp.programme_start) for i in keep])
    notes: list[str] = []
    n = int(keep.size)
    window = max(0, min(int(s.window_weeks), n))
    if 0 < n < s.window_weeks:
        notes.append(
            f"Only {n} week{'s' if n != 1 else ''} of work since the programme started "
            f"({inp.programme_start:%-d %B %Y}): pace and the forecast use those weeks, not the "
            f"{s.window_weeks} of {setting_name('window_weeks')}."
        )
    typical = None
    if s.seasonal and keep.size:
        from reassess.model.staffing import seasonal_rates

        ends64 = np.array([ends[i] for i in keep], dtype="datetime64[D]")
        typical = seasonal_rates(s.seasonal, ends64) == 0
        if not typical[-window:].any() if window else True:
            typical = None
    return Measured(
        typical=typical,
        since_start=keep,
        cases=cases,
        completions=completions,
        effective_fte=available * ramp,
        available=available,
        elapsed=elapsed,
        window=np.arange(n - window, n, dtype=np.int64),
        notes=tuple(notes),
    )


SIGNAL_TO_NOISE = (0.0, 0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
"""The drift-to-noise variance ratios the local-level likelihood is profiled over."""


def local_level_fit(x: np.ndarray, weight: np.ndarray) -> tuple[float, float] | None:
    """Maximum-likelihood noise and drift (sd) of a local level model of ``x``.

    The observation variance of week t is noise^2 / weight[t]; the level steps by drift^2 =
    q * noise^2. For each q of SIGNAL_TO_NOISE the Kalman filter (diffuse start) gives the
    likelihood with noise^2 profiled out; the best q wins. None with fewer than 4 weeks."""
    n = x.size
    if n < 4:
        return None
    best: tuple[float, float, float] | None = None
    for q in SIGNAL_TO_NOISE:
        level, var = float(x[0]), 1.0 / float(weight[0])
        sum_sq, sum_log = 0.0, 0.0
        for t in range(1, n):
            var += q
            f = var + 1.0 / float(weight[t])
            v = float(x[t]) - level
            sum_sq += v * v / f
            sum_log += math.log(f)
            gain = var / f
            level += gain * v
            var *= 1.0 - gain
        scale = sum_sq / (n - 1)
        if scale <= 0:
            continue
        loglik = -0.5 * sum_log - 0.5 * (n - 1) * math.log(scale)
        if best is None or loglik > best[0]:
            best = (loglik, scale, q)
    if best is None:
        return None
    _, scale, q = best
    return scale, q * scale


TREND_WEEKS = 26
TREND_CAP = 0.045
"""At most 4.5% a week: with the damping, a trend moves productivity by at most x1.5 (or /1.5)."""


def robust_trend(x: np.ndarray) -> float:
    """Theil-Sen slope of log productivity (median of pairwise slopes), shrunk by its noise."""
    t = np.arange(x.size, dtype=np.float64)
    i, j = np.triu_indices(x.size, k=1)
    slope = float(np.median((x[j] - x[i]) / (t[j] - t[i])))
    resid = x - slope * t
    resid -= np.median(resid)
    se2 = float(np.median(np.abs(resid)) ** 2 * 2.2 / np.sum((t - t.mean()) ** 2))
    shrunk = slope * slope**2 / (slope**2 + se2) if slope**2 + se2 > 0 else 0.0
    return float(np.clip(shrunk, -TREND_CAP, TREND_CAP))


def learning_exponent(m: Measured, prior_rate: float) -> float:
    """Wright's-law exponent b (productivity ~ work done ** b), measured and shrunk to the prior.

    The prior is ``prior_rate`` faster per doubling of the work done (b0 = log2(1 / (1 - rate)))
    with sd LEARNING_PRIOR_SD; the measurement is the least-squares slope of log productivity
    on log work done so far (from the third week, so the start-up pipeline does not count)."""
    b0 = math.log2(1.0 / (1.0 - prior_rate)) if prior_rate < 1 else 0.0
    ok = (m.effective_fte > 0) & (m.completions > 0)
    if m.typical is not None:
        ok &= m.typical
    done = np.cumsum(m.completions) - m.completions / 2
    idx = np.flatnonzero(ok)
    idx = idx[idx >= 2]
    if idx.size < 3:
        return b0
    q = np.log(done[idx])
    x = np.log(m.completions[idx] / m.effective_fte[idx])
    qc = q - q.mean()
    sxx = float(np.sum(qc * qc))
    if sxx <= 0:
        return b0
    slope = float(np.sum(qc * (x - x.mean())) / sxx)
    resid = x - x.mean() - slope * qc
    se2 = float(np.sum(resid**2) / max(1, idx.size - 2) / sxx)
    w_prior, w_data = 1.0 / LEARNING_PRIOR_SD**2, 1.0 / max(se2, 1e-9)
    # Experience does not make a team slower: a fall in pace is drift, not negative learning.
    return max(0.0, (b0 * w_prior + slope * w_data) / (w_prior + w_data))


def filtered_level(
    done: np.ndarray, fte: np.ndarray, noise: float, drift: float
) -> tuple[float, float]:
    """Kalman filter of the local level of log productivity over the window's weeks.

    Observation: log((completions + 0.5) / FTE), its variance noise^2 scaled up in weeks with
    less FTE than the window's average; the level steps by drift^2 a week. Starts diffuse, so
    only the window counts. Returns the filtered log level (the median) and its sd."""
    mean_fte = float(fte.mean())
    level, var = 0.0, 1e6
    first = True
    for c, f in zip(done, fte, strict=True):
        var += drift * drift
        obs = noise * noise * mean_fte / f
        gain = var / (var + obs)
        step = math.log((c + 0.5) / f) - level
        if not first:  # a robust filter: one odd week moves the level by at most 2.5 sd
            limit = 2.5 * math.sqrt(var + obs)
            step = max(-limit, min(limit, step))
        level += gain * step
        var *= 1.0 - gain
        first = False
    return level, math.sqrt(var)


def measure_pace(
    m: Measured,
    method: str,
    drift_prior: float,
    override: float | None = None,
    unit: str = "completions",
    learning_rate: float = 0.0,
) -> Pace | None:
    """The pace of the measured weeks, or None when nothing was completed in the window."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    w = m.window
    done, fte = m.completions[w], m.effective_fte[w]
    worked = float(m.elapsed[w].sum())
    weekly_pace = float(m.cases[w].sum()) / worked if worked > 0 else 0.0
    staffed = fte > 0
    if not staffed.any() or (done.sum() <= 0 and override is None):
        return None
    level = float(done[staffed].sum() / fte[staffed].sum())
    typical = np.ones(m.completions.size, dtype=bool) if m.typical is None else m.typical
    # Log productivity over every measured, typical week with work done (the variogram needs history).
    ok = (m.effective_fte > 0) & (m.completions > 0) & typical
    x = np.log(m.completions[ok] / m.effective_fte[ok])
    weight = m.effective_fte[ok] / m.effective_fte[ok].mean() if ok.any() else np.zeros(0)
    fit = local_level_fit(x, weight)
    increments = max(0, x.size - 1)
    if fit is None:
        noise2 = float(np.var(np.log(done[staffed & (done > 0)] / fte[staffed & (done > 0)])))
        noise2 = noise2 if np.isfinite(noise2) and noise2 > 0 else 0.3**2
        drift2 = drift_prior**2
    else:
        noise2, drift_fit = fit
        drift2 = (increments * drift_fit + PRIOR_WEEKS * drift_prior**2) / (
            increments + PRIOR_WEEKS
        )
    noise = float(np.clip(math.sqrt(noise2), MIN_NOISE, MAX_NOISE))
    drift = math.sqrt(drift2)
    n_w = int(staffed.sum())
    level_sd = math.sqrt(noise**2 / n_w + drift**2 * n_w / 3)
    learning = learning_exponent(m, learning_rate) if method == "learning" else 0.0
    if method in ("local_level", "local_trend", "learning"):
        use = staffed & typical[w]
        if not use.any():
            use = staffed
        log_level, level_sd = filtered_level(done[use], fte[use], noise, drift)
        level = math.exp(log_level + noise * noise / 2)
    trend = 0.0
    empirical: tuple[float, ...] = ()
    if method == "level_only":
        drift = 0.0
    elif method == "iid":
        drift, level_sd = 0.0, 0.0
        ratios = done[staffed] / fte[staffed] / level
        with np.errstate(divide="ignore"):
            empirical = tuple(float(v) for v in np.log(ratios))
    elif method == "local_trend" and x.size >= 6:
        trend = robust_trend(x[-TREND_WEEKS:])
    source = (
        f"measured: {done.sum():,.0f} {unit} over {fte[staffed].sum():,.1f} effective "
        f"available FTE-weeks in the last {n_w} week{'s' if n_w != 1 else ''}"
    )
    cases_w, avail_w = float(m.cases[w].sum()), float(m.available[w].sum())
    per_available = cases_w / avail_w if avail_w > 0 else 0.0
    if override is not None:
        # the planner's cases per available FTE-week, in the model's units per effective FTE-week
        units_per_case = float(done.sum()) / cases_w if cases_w > 0 else 1.0
        available_per_effective = (
            avail_w / float(fte[staffed].sum()) if fte[staffed].sum() > 0 else 1.0
        )
        level = float(override) * units_per_case * available_per_effective
        per_available = float(override)
        source = "scenario: productivity set by the planner"
    return Pace(
        level=level,
        level_sd=level_sd,
        drift_sd=drift,
        noise_sd=noise,
        trend=trend,
        window_weeks=n_w,
        measured_weeks=int(x.size),
        weekly_pace=weekly_pace,
        source=source,
        empirical=empirical,
        learning=learning,
        experience=float(m.completions.sum()),
        per_available_fte=per_available,
    )
