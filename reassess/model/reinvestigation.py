"""The coupled forecast: the reinvestigation demand the assessments create, against capacity.

Pure (numpy and the standard library; no database, no Streamlit). The one planning model's
trials (``Plan.completions``) give the assessments completed in each month ahead; this module
carries them forward, trial by trial, into reinvestigation demand over the next 12 months:

1. referrals: each trial's completions times the referral rate (measured: reinvestigations
   referred / assessments completed, drawn per trial from its Beta posterior; or the configured
   rate, labelled "assumed"), Poisson-distributed; cases assessed as ``reinvestigate`` but not yet
   referred arrive in the first month;
2. opening: a referral opens as an investigation (or closes unopened: no consent, not
   contactable) with the measured time-to-open distribution, an Aalen-Johansen estimate from
   referred_date to opened_date with closures before opening as the competing outcome and the
   referrals still waiting censored at the as-of date; referrals already waiting open by the
   same distribution conditioned on their age;
3. open reinvestigations close at a constant monthly rate, measured from the opened ones
   (closed count / months open, censored at the as-of date) once 20 have closed, else assumed;
4. effort: hours per reinvestigation measured from closed investigated ones (at least
   ``MIN_SAMPLE``) or the configured assumption; an open reinvestigation needs hours /
   months open of an investigator's time each month;
5. FTE needed = open reinvestigations x hours a month / productive hours per FTE-month, against
   the reinvestigation FTE in post (officers of that workstream, dated planned changes after the
   as-of date, and the levers); ISVAs needed = reinvestigations still active (waiting or open)
   x the share whose victim accepted an ISVA / caseload (15-20), against the ISVAs in post.

Unmet demand is max(0, median FTE needed - FTE in post) each month, in FTE and in pounds
(the staff investigator salary / 12 a month). ``no levers`` with the headline plan is the
headline coupled plan, one figure from one source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from reassess.model.inputs import Officer, PlannedChange
from reassess.model.plan import order_statistics

MONTHS = 12
MIN_SAMPLE = 20
"""Closed (or resolved) reinvestigations needed before a measurement replaces an assumption."""
DAYS_PER_MONTH = 365.25 / 12
WORKSTREAM = "reinvestigation"


@dataclass(frozen=True)
class ReinvestigationLevers:
    """What a scenario changes: extra investigators from a date (default: the Monday after the
    as-of date), extra ISVAs from the as-of date. The default changes nothing."""

    extra_investigators: float = 0
    investigators_from: date | None = None
    extra_isvas: float = 0

    @property
    def is_baseline(self) -> bool:
        return self.extra_investigators == 0 and self.extra_isvas == 0

    def problems(self) -> list[str]:
        """What makes no sense in these levers, in words (empty when they are fine)."""
        out = []
        if self.extra_investigators < 0:
            out.append(f"extra investigators must be 0 or more, got {self.extra_investigators:g}")
        if self.extra_isvas < 0:
            out.append(f"extra ISVAs must be 0 or more, got {self.extra_isvas:g}")
        return out


@dataclass(frozen=True)
class Assumptions:
    """The configured values used until there is a measurement (config/programme.toml)."""

    referral_rate: float
    hours_per_reinvestigation: float
    open_share: float
    days_to_open: float
    months_open: float
    isva_accepted_share: float
    isva_cases_min: int
    isva_cases_max: int
    isvas_in_post: float
    salary: float
    productive_hours_per_fte_week: float
    working_weeks_per_year: float
    seed: int

    @property
    def hours_per_fte_month(self) -> float:
        return self.productive_hours_per_fte_week * self.working_weeks_per_year / 12


@dataclass(frozen=True)
class ReinvestigationInput:
    """What the snapshot measures (queries/pages/reinvestigation_model_*.sql).

    ``resolution``: (days from referral, outcome, count) with outcome ``opened``,
    ``closed_unopened`` or ``waiting`` (still waiting at the as-of date: censored there).
    ``closed_hours``: hours recorded on closed reinvestigations that were opened;
    ``closed_months``: their months open; ``open_months``: months open of every opened one
    to its closure or the as-of date (the exposure for the closure rate)."""

    as_of: date
    assessed: int
    referred: int
    awaiting_referral: int
    open_now: int
    active_now: int
    active_isva_accepted: int
    resolution: tuple[tuple[int, str, int], ...]
    closed_investigated: int
    closed_with_hours: int
    closed_hours: float
    closed_months: float
    open_months: float
    officers: tuple[Officer, ...]
    planned_changes: tuple[PlannedChange, ...]
    assumptions: Assumptions


@dataclass(frozen=True)
class MonthRow:
    """One month ahead: expected open reinvestigations (median, 10th and 90th percentile of the
    trials, at the month's end), investigator FTE needed (median) and in post, ISVAs needed at
    20 (low) and 15 (high) cases each and in post, and the unmet demand in FTE and pounds."""

    month: date
    open_p50: float
    open_p10: float
    open_p90: float
    fte_needed: float
    fte_in_post: float
    unmet_fte: float
    isvas_needed_low: float
    isvas_needed_high: float
    isvas_in_post: float
    unmet_cost_gbp: float
    referrals: float = 0.0
    opened: float = 0.0


@dataclass(frozen=True)
class CoupledPlan:
    """The coupled forecast: 12 months of reinvestigation demand against capacity."""

    as_of: date
    months: tuple[MonthRow, ...]
    referral_rate: float
    referral_rate_measured: bool
    hours_per_reinvestigation: float
    effort_measured: bool
    effort_basis: str
    median_days_to_open: float | None
    peak_unmet_fte: float
    unmet_cost_12m_gbp: float
    referral_basis: str = ""
    time_to_open_measured: bool = False
    time_to_open_basis: str = ""
    months_open: float = 0.0
    closure_measured: bool = False
    isva_accepted_share: float = 0.0
    isva_measured: bool = False
    levers: ReinvestigationLevers = field(default_factory=ReinvestigationLevers)
    trials: int = 0
    seed: int = 0
    salary: float = 0.0

    def statement(self) -> str:
        """One neutral sentence: the gap (or that demand is met) and where the effort comes from."""
        effort = f"effort per reinvestigation is {self.effort_basis}"
        if self.peak_unmet_fte <= 0.05:
            return (
                f"Over the next {len(self.months)} months the investigators in post meet the "
                f"expected reinvestigation demand; {effort}."
            )
        peak = self.peak_unmet_fte
        fte = f"{peak:,.0f}" if peak >= 10 else f"{peak:.1f}"
        return (
            f"Over the next {len(self.months)} months reinvestigation demand exceeds the "
            f"investigators in post by up to {fte} FTE "
            f"(about {_pounds(self.unmet_cost_12m_gbp)}); {effort}."
        )

    @property
    def peak_isvas_needed(self) -> tuple[float, float]:
        """The most ISVAs needed in any month ahead, at 20 and at 15 cases each."""
        if not self.months:
            return 0.0, 0.0
        return (
            max(m.isvas_needed_low for m in self.months),
            max(m.isvas_needed_high for m in self.months),
        )

    def isva_statement(self) -> str:
        """One neutral sentence on advisers: the most needed in a month against those in post."""
        low, high = self.peak_isvas_needed
        in_post = self.months[0].isvas_in_post if self.months else 0.0
        need = f"{math.ceil(low - 1e-9):,}" + (
            f"–{math.ceil(high - 1e-9):,}"
            if math.ceil(high - 1e-9) != math.ceil(low - 1e-9)
            else ""
        )
        basis = "measured" if self.isva_measured else "assumed"
        return (
            f"At most {need} ISVAs are needed in any of the next 12 months, as the forecast "
            f"opens and closes reinvestigations (at 15–20 cases each, with "
            f"{self.isva_accepted_share:.0%} of victims accepting one, {basis}), against "
            f"{in_post:,.0f} in post."
        )


def _pounds(value: float) -> str:
    if value >= 1e6:
        return f"£{value / 1e6:.1f}m"
    if value >= 1e3:
        return f"£{value / 1e3:,.0f}k"
    return f"£{value:,.0f}"


# --------------------------------------------------------------------------- measured inputs


def referral_rate(inp: ReinvestigationInput) -> tuple[float, bool, str]:
    """(rate, measured, basis in words)."""
    if inp.referred >= MIN_SAMPLE and inp.assessed > 0:
        rate = inp.referred / inp.assessed
        return (
            rate,
            True,
            f"measured: {inp.referred:,} reinvestigations referred from "
            f"{inp.assessed:,} completed assessments",
        )
    return (
        inp.assumptions.referral_rate,
        False,
        f"assumed ({inp.assumptions.referral_rate:.0%} of assessments, from "
        f"config/programme.toml) until {MIN_SAMPLE} reinvestigations are recorded "
        f"({inp.referred} so far)",
    )


def effort(inp: ReinvestigationInput) -> tuple[float, bool, str]:
    """(hours per reinvestigation, measured, basis in words)."""
    n = inp.closed_with_hours
    if n >= MIN_SAMPLE and inp.closed_hours > 0:
        return (
            inp.closed_hours / n,
            True,
            f"measured from {n:,} closed reinvestigations ({inp.closed_hours / n:,.0f} hours each)",
        )
    hours = inp.assumptions.hours_per_reinvestigation
    return (
        hours,
        False,
        f"assumed ({hours:,.0f} hours each, from config/programme.toml) until "
        f"{MIN_SAMPLE} reinvestigations have closed ({n} so far)",
    )


def months_open(inp: ReinvestigationInput) -> tuple[float, bool]:
    """Mean months a reinvestigation stays open: measured (closed / months open, censored at
    the as-of date) once MIN_SAMPLE have closed, else assumed."""
    if inp.closed_investigated >= MIN_SAMPLE and inp.open_months > 0:
        return inp.open_months / inp.closed_investigated, True
    return inp.assumptions.months_open, False


def isva_share(inp: ReinvestigationInput) -> tuple[float, bool]:
    """Share of active reinvestigations whose victim accepted an ISVA."""
    if inp.active_now >= MIN_SAMPLE:
        return inp.active_isva_accepted / inp.active_now, True
    return inp.assumptions.isva_accepted_share, False


def time_to_open(
    resolution: tuple[tuple[int, str, int], ...],
) -> tuple[np.ndarray, np.ndarray] | None:
    """Cumulative incidence of opening and of closing unopened by day 0..max (Aalen-Johansen:
    closure before opening competes, waiting referrals are censored at the as-of date), or
    None with fewer than MIN_SAMPLE resolved referrals."""
    if not resolution:
        return None
    days = np.array([max(0, int(d)) for d, _, _ in resolution])
    kind = np.array([k for _, k, _ in resolution])
    n = np.array([int(c) for _, _, c in resolution], dtype=np.float64)
    if n[kind != "waiting"].sum() < MIN_SAMPLE:
        return None
    top = int(days.max()) + 1
    opened = np.bincount(days[kind == "opened"], n[kind == "opened"], minlength=top)
    closed = np.bincount(days[kind == "closed_unopened"], n[kind == "closed_unopened"], top)
    gone = np.bincount(days, n, minlength=top)
    at_risk = n.sum() - np.concatenate([[0.0], np.cumsum(gone)[:-1]])
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard_open = np.where(at_risk > 0, opened / at_risk, 0.0)
        hazard_close = np.where(at_risk > 0, closed / at_risk, 0.0)
    survival = np.cumprod(1.0 - hazard_open - hazard_close)
    before = np.concatenate([[1.0], survival[:-1]])
    return np.cumsum(before * hazard_open), np.cumsum(before * hazard_close)


def _median_days(cif_open: np.ndarray) -> float | None:
    total = float(cif_open[-1]) if cif_open.size else 0.0
    if total <= 0:
        return None
    return float(np.searchsorted(cif_open, total / 2 - 1e-12))


def _at(cif: np.ndarray, day: np.ndarray) -> np.ndarray:
    """A cumulative curve at days (held at its last value beyond the data)."""
    return cif[np.clip(day.astype(np.int64), 0, cif.size - 1)]


def opening_curves(
    inp: ReinvestigationInput,
) -> tuple[np.ndarray, np.ndarray, bool, float | None, str]:
    """(F_open, F_close, measured, median days, basis): cumulative chances by day of age to
    ``MONTHS`` months after the oldest referral; beyond the data the still-waiting share opens
    in the ratio seen over the following month (assumed)."""
    horizon = int(DAYS_PER_MONTH * (MONTHS + 1)) + 1
    extra = max((d for d, _, _ in inp.resolution), default=0) + horizon
    measured = time_to_open(inp.resolution)
    a = inp.assumptions
    if measured is None:
        day = np.arange(extra)
        step = (day >= a.days_to_open).astype(np.float64)
        basis = (
            f"assumed: {a.open_share:.0%} of referrals open {a.days_to_open:g} days after "
            f"referral (config/programme.toml); fewer than {MIN_SAMPLE} referrals resolved"
        )
        return step * a.open_share, step * (1 - a.open_share), False, None, basis
    f_open, f_close = measured
    resolved = int(sum(c for _, k, c in inp.resolution if k != "waiting"))
    median = _median_days(f_open)
    left = max(0.0, 1.0 - float(f_open[-1]) - float(f_close[-1]))
    share = float(f_open[-1]) / max(1e-12, float(f_open[-1] + f_close[-1]))
    pad = extra - f_open.size
    ramp = np.minimum(1.0, np.arange(1, pad + 1) / DAYS_PER_MONTH)
    f_open = np.concatenate([f_open, f_open[-1] + left * share * ramp])
    f_close = np.concatenate([f_close, f_close[-1] + left * (1 - share) * ramp])
    basis = f"measured from {resolved:,} referrals opened or closed (the rest still waiting)"
    return f_open, f_close, True, median, basis


# --------------------------------------------------------------------------- capacity


def month_starts(as_of: date, months: int = MONTHS) -> tuple[date, ...]:
    """The first day of each of the ``months`` calendar months after the as-of month."""
    out = []
    y, m = as_of.year, as_of.month
    for _ in range(months):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append(date(y, m, 1))
    return tuple(out)


def _month_end(start: date) -> date:
    nxt = date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)
    return nxt - timedelta(days=1)


def fte_in_post(
    inp: ReinvestigationInput, levers: ReinvestigationLevers, months: tuple[date, ...]
) -> np.ndarray:
    """Average reinvestigation FTE in post over each month: the workstream's officers (with
    their recorded end dates), planned changes after the as-of date, and the extra investigators."""
    start_extra = levers.investigators_from or inp.as_of + timedelta(days=7 - inp.as_of.weekday())
    out = np.zeros(len(months))
    for k, first in enumerate(months):
        last = _month_end(first)
        span = (last - first).days + 1

        def share(since: date, until: date | None, first: date = first, last: date = last) -> float:
            lo = max(first, since)
            hi = last if until is None else min(last, until)
            return max(0, (hi - lo).days + 1) / span  # noqa: B023

        total = sum(
            o.fte * share(o.start, o.end) for o in inp.officers if o.workstream == WORKSTREAM
        )
        total += sum(
            c.fte * share(c.effective, None)
            for c in inp.planned_changes
            if c.workstream == WORKSTREAM and c.effective > inp.as_of
        )
        total += levers.extra_investigators * share(start_extra, None)
        out[k] = max(0.0, total)
    return out


# --------------------------------------------------------------------------- the trials


def monthly_completions(
    completions: np.ndarray, as_of: date, months: tuple[date, ...]
) -> np.ndarray:
    """trials x weeks of weekly completions (week k ends as_of + k weeks) summed into the months
    (weeks ending in the rest of the as-of month count in the first month)."""
    weeks = completions.shape[1]
    index = np.empty(weeks, dtype=np.int64)
    base = as_of.year * 12 + as_of.month
    for k in range(weeks):
        end = as_of + timedelta(weeks=k + 1)
        index[k] = max(0, end.year * 12 + end.month - base - 1)
    keep = index < len(months)
    out = np.zeros((completions.shape[0], len(months)))
    for m in range(len(months)):
        cols = keep & (index == m)
        if cols.any():
            out[:, m] = completions[:, cols].sum(axis=1)
    return out


def weeks_for(as_of: date, months: int = MONTHS) -> int:
    """Weeks of completions that cover the months ahead."""
    end = _month_end(month_starts(as_of, months)[-1])
    return (end - as_of).days // 7 + 1


def _kernel(curve: np.ndarray, months: int) -> np.ndarray:
    """Chance by month offset for a referral made mid-month: curve at the ends of months 0..n-1."""
    ends = (np.arange(months) + 0.5) * DAYS_PER_MONTH
    at = _at(curve, ends)
    return np.diff(np.concatenate([[0.0], at]))


def _toeplitz(kernel: np.ndarray) -> np.ndarray:
    """Upper-triangular matrix T with T[j, m] = kernel[m - j] for m >= j."""
    n = kernel.size
    j, m = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return np.where(m >= j, kernel[np.clip(m - j, 0, n - 1)], 0.0)


def _spread(referrals: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """referrals (trials x months) times a months x months matrix, without BLAS: a product
    this small gains nothing from BLAS threads, and on a shared machine their contention made
    it 100 ms slower (einsum without optimisation runs in one thread)."""
    return np.einsum("tj,jm->tm", referrals, matrix)


def run_coupled(
    inp: ReinvestigationInput,
    completions: np.ndarray,
    levers: ReinvestigationLevers | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> CoupledPlan:
    """The coupled forecast from the planning model's trials of weekly completions
    (``Plan.completions(weeks_for(as_of))``: trials x weeks, week 1 ending a week after the
    as-of date). ``trials`` different from the plan's resamples its trials (seeded)."""
    levers = levers or ReinvestigationLevers()
    a = inp.assumptions
    seed = a.seed if seed is None else seed
    rng = np.random.default_rng(np.random.SeedSequence([seed, 16]))
    months = month_starts(inp.as_of)
    n_months = len(months)
    completions = np.asarray(completions, dtype=np.float64)
    if completions.ndim != 2 or completions.shape[0] == 0:
        completions = np.zeros((trials or 1, max(1, weeks_for(inp.as_of))))
    n = trials or completions.shape[0]
    if n != completions.shape[0]:
        completions = completions[rng.integers(0, completions.shape[0], n)]
    monthly = monthly_completions(completions, inp.as_of, months)

    rate, rate_measured, rate_basis = referral_rate(inp)
    if rate_measured:
        rates = rng.beta(inp.referred + 1, max(1, inp.assessed - inp.referred) + 1, n)
    else:
        rates = np.full(n, rate)
    referrals = rng.poisson(np.maximum(0.0, monthly * rates[:, None])).astype(np.float64)
    referrals[:, 0] += inp.awaiting_referral

    f_open, f_close, open_measured, median_days, open_basis = opening_curves(inp)
    opened_new = _spread(referrals, _toeplitz(_kernel(f_open, n_months)))
    still_waiting = 1.0 - _at(f_open + f_close, (np.arange(n_months) + 0.5) * DAYS_PER_MONTH)
    waiting_new = _spread(referrals, _toeplitz(still_waiting))
    # referrals already waiting, by age: they open as the curve says, given they are waiting now
    ages = np.array([d for d, k, _ in inp.resolution if k == "waiting"], dtype=np.float64)
    counts = np.array([c for _, k, c in inp.resolution if k == "waiting"], dtype=np.float64)
    if ages.size:
        month_end_days = np.array(
            [(_month_end(m) - inp.as_of).days for m in months], dtype=np.float64
        )
        horizon = ages[:, None] + np.concatenate([[0.0], month_end_days])[None, :]
        unresolved = 1.0 - _at(f_open + f_close, ages)
        left = np.maximum(1e-12, unresolved)[:, None]
        cum_open = (_at(f_open, horizon) - _at(f_open, ages)[:, None]) / left
        still = (1.0 - _at(f_open + f_close, horizon)) / left
        # waiting longer than the curve allows (an assumed wait, or beyond the data): they
        # resolve in the first month, opening in the curve's final ratio
        stale = unresolved < 1e-9
        if stale.any():
            final = float(f_open[-1]) / max(1e-12, float(f_open[-1] + f_close[-1]))
            cum_open[stale, 0], cum_open[stale, 1:] = 0.0, final
            still[stale] = 0.0
        opened_old = np.einsum("a,am->m", counts, np.diff(cum_open, axis=1))
        waiting_old = np.einsum("a,am->m", counts, still[:, 1:])
    else:
        opened_old = np.zeros(n_months)
        waiting_old = np.zeros(n_months)
    opened = rng.poisson(np.maximum(0.0, opened_new + opened_old[None, :])).astype(np.float64)

    duration, closure_measured = months_open(inp)
    close_p = 1.0 - math.exp(-1.0 / max(duration, 1e-9))
    open_stock = np.empty((n, n_months))
    stock = np.full(n, float(inp.open_now))
    for m in range(n_months):
        stock = stock - rng.binomial(stock.astype(np.int64), close_p) + opened[:, m]
        open_stock[:, m] = stock
    waiting = waiting_new + waiting_old[None, :]

    hours, effort_measured, effort_basis = effort(inp)
    per_open_month = hours / max(duration, 1e-9)
    p10, p50, p90 = order_statistics(open_stock, (0.1, 0.5, 0.9))
    fte_needed = p50 * (per_open_month / a.hours_per_fte_month)
    in_post = fte_in_post(inp, levers, months)
    unmet = np.maximum(0.0, fte_needed - in_post)
    cost = unmet * a.salary / 12
    share, isva_measured = isva_share(inp)
    active = order_statistics(open_stock + waiting, (0.5,))[0] * share
    isvas = a.isvas_in_post + levers.extra_isvas
    rows = tuple(
        MonthRow(
            month=months[m],
            open_p50=float(p50[m]),
            open_p10=float(p10[m]),
            open_p90=float(p90[m]),
            fte_needed=float(fte_needed[m]),
            fte_in_post=float(in_post[m]),
            unmet_fte=float(unmet[m]),
            isvas_needed_low=float(active[m] / a.isva_cases_max),
            isvas_needed_high=float(active[m] / a.isva_cases_min),
            isvas_in_post=float(isvas),
            unmet_cost_gbp=float(cost[m]),
            referrals=float(referrals[:, m].mean()),
            opened=float(opened[:, m].mean()),
        )
        for m in range(n_months)
    )
    return CoupledPlan(
        as_of=inp.as_of,
        months=rows,
        referral_rate=float(rate),
        referral_rate_measured=rate_measured,
        hours_per_reinvestigation=float(hours),
        effort_measured=effort_measured,
        effort_basis=effort_basis,
        median_days_to_open=median_days,
        peak_unmet_fte=float(unmet.max()) if unmet.size else 0.0,
        unmet_cost_12m_gbp=float(cost.sum()),
        referral_basis=rate_basis,
        time_to_open_measured=open_measured,
        time_to_open_basis=open_basis,
        months_open=float(duration),
        closure_measured=closure_measured,
        isva_accepted_share=float(share),
        isva_measured=isva_measured,
        levers=levers,
        trials=n,
        seed=seed,
        salary=a.salary,
    )


__all__ = [
    "MIN_SAMPLE",
    "Assumptions",
    "CoupledPlan",
    "MonthRow",
    "ReinvestigationInput",
    "ReinvestigationLevers",
    "month_starts",
    "run_coupled",
    "weeks_for",
]
