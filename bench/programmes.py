"""Synthetic programmes for the planning model's backtest: a day-level team simulation.

Nothing here uses the planning model's formula. Each programme is simulated one working day
at a time: officers join (on a plan that slips), learn, take leave, fall sick, are pulled
away, leave and are replaced; each case needs its own hours of effort (harder cases first or
last, the whole team getting faster or slower as the programme goes on); scope grows while
records are searched, a batch may be added, duplicates are removed, a few cases are parked for
months awaiting material from elsewhere, and completions reach the record a day or two late.
What the model sees is only what a weekly extract would show on each Friday.

``PROGRAMMES`` lists the dynamics the backtest covers; ``simulate(spec)`` runs one to
completion; ``SimulatedProgramme.input_at(k)`` is the model's input at the k-th Friday.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from reassess.model.backtest import Case
from reassess.model.effort import CaseGroup, work_content
from reassess.model.inputs import (
    History,
    Officer,
    PlanInput,
    PlannedAbsence,
    PlannedChange,
    PlanSettings,
)

CHRISTMAS = ((12, 22), (1, 2))
CATEGORIES = (
    "organised_group",
    "institutional",
    "intra_familial",
    "peer_on_peer",
    "gang_related",
    "online",
    "other",
)
CATEGORY_MIX = (0.17, 0.08, 0.26, 0.22, 0.15, 0.07, 0.05)
PRIORITIES = ("high", "medium", "low")
SUMMER = ((7, 22), (8, 31))


@dataclass(frozen=True)
class Spec:
    """One synthetic programme's dynamics (every rate is per year unless it says otherwise)."""

    name: str
    seed: int
    start: date
    cases: int
    officers: int
    growth: tuple[tuple[int, int], ...] = ()  # (planned week, officers added)
    growth_slip_weeks: int = 4  # each wave arrives 0..this many weeks late
    attrition: float = 0.08
    replacement_weeks: int | None = 8
    notice_weeks: int = 4  # a leaver's end date is known this long ahead
    hours_per_day: float = 6.0
    effort_hours: float = 3.0  # median hours per case
    effort_sigma: float = 0.6
    priority_effort: tuple[float, float, float] = (1.0, 1.0, 1.0)  # high, medium, low
    hard_effort: float = 1.0  # two of the seven categories take this many times longer
    hours_noise: float = 0.25  # recorded hours: lognormal error around the effort
    hours_missing: float = 0.1  # share of completed cases with no hours recorded
    hard_first: float = 0.0  # -1 easiest first .. 0 random .. 1 hardest first
    learning_extra: float = 0.4  # a new officer needs 1 + this times the hours at first
    learning_weeks: float = 6.0
    process_gain: float = 0.0  # effort falls by this share as the team works through the cases
    fatigue: float = 0.0  # effort rises by this share a year
    abstraction: float = 0.15
    christmas_leave: float = 0.5  # share of officers away over Christmas
    summer_leave: float = 0.25
    surges: tuple[tuple[int, int, float], ...] = ()  # (week, weeks, share of officers pulled away)
    scope_added: int = 0  # found while records are searched, most in the first weeks
    scope_added_weeks: float = 8.0
    scope_batches: tuple[tuple[int, int], ...] = ()  # (week, cases added at once)
    duplicates: int = 0
    parked: int = 0
    ramp_weeks: int = 4
    fte_mix: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 0.8, 0.6)


@dataclass(frozen=True, eq=False)
class SimulatedProgramme:
    """A programme simulated to completion, and what each Friday's extract would show."""

    spec: Spec
    fridays: tuple[date, ...]
    completions: np.ndarray  # as recorded in each week to Friday
    scope: np.ndarray  # in scope at each Friday
    headcount_fte: np.ndarray
    available_fte: np.ndarray
    officers: tuple[Officer, ...]
    notice: tuple[date | None, ...]  # when each officer's end date became known
    planned_growth: tuple[tuple[date, float, date], ...]  # (planned start, fte, arrived)
    booked: np.ndarray  # FTE-days of leave booked by each Friday for each later week
    priority: np.ndarray  # per case: 0 high, 1 medium, 2 low
    category: np.ndarray  # per case: index into CATEGORIES
    hours: np.ndarray  # per case: hours recorded at completion (nan: none recorded)
    completed_week: (
        np.ndarray
    )  # per case: index of the Friday its completion was recorded by (-1: never)
    added_week: np.ndarray  # per case: first Friday it was in scope
    removed_week: (
        np.ndarray
    )  # per case: first Friday it was out of scope again (len(fridays): never)
    settings: PlanSettings = field(default_factory=lambda: configured_settings())

    @property
    def finish_share(self) -> float:
        return self.settings.complete_at_share

    def finished_week(self) -> int | None:
        """Index of the first Friday by which the work counts as complete."""
        assessed = np.cumsum(self.completions)
        need = self.finish_share * self.scope - 1e-9
        done = np.flatnonzero(assessed >= need)
        return int(done[0]) if done.size else None

    def input_at(
        self, k: int, settings: PlanSettings | None = None, work: bool = True
    ) -> PlanInput:
        """The model's input at the k-th Friday (0-based), from what was known then."""
        as_of = self.fridays[k]
        officers = []
        for o, notice in zip(self.officers, self.notice, strict=True):
            if o.start > as_of:
                continue
            known_end = (
                o.end if (o.end is not None and notice is not None and notice <= as_of) else None
            )
            officers.append(replace(o, end=known_end))
        changes = tuple(
            PlannedChange(max(planned, as_of + timedelta(days=3)), fte, "synthetic plan")
            for planned, fte, arrived in self.planned_growth
            if arrived > as_of
        )
        absence = tuple(
            PlannedAbsence(self.fridays[j], float(self.booked[k, j]))
            for j in range(k + 1, len(self.fridays))
            if self.booked[k, j] > 0
        )
        assessed = int(self.completions[: k + 1].sum())
        groups = self.groups_at(k) if work else []
        return PlanInput(
            as_of=as_of,
            programme_start=self.spec.start,
            target=self.spec.start + timedelta(weeks=26),
            in_scope=int(self.scope[k]),
            remaining=int(self.scope[k]) - assessed,
            history=History(
                week_ending=self.fridays[: k + 1],
                completions=tuple(int(x) for x in self.completions[: k + 1]),
                scope=tuple(int(x) for x in self.scope[: k + 1]),
                headcount_fte=tuple(float(x) for x in self.headcount_fte[: k + 1]),
                available_fte=tuple(float(x) for x in self.available_fte[: k + 1]),
            ),
            officers=tuple(officers),
            planned_changes=changes,
            planned_absence=absence,
            settings=settings or self.settings,
            work=work_content(groups, self.fridays[: k + 1]) if work else None,
            label=f"{self.spec.name} {as_of.isoformat()}",
        )

    def groups_at(self, k: int) -> list[CaseGroup]:
        """What model_case_groups.sql would return from the k-th Friday's extract."""
        in_scope = (self.added_week <= k) & (self.removed_week > k)
        done = in_scope & (self.completed_week >= 0) & (self.completed_week <= k)
        out = []
        for p in range(3):
            for c in range(len(CATEGORIES)):
                sel = in_scope & (self.priority == p) & (self.category == c)
                waiting = sel & ~done
                if waiting.any():
                    out.append(
                        CaseGroup(PRIORITIES[p], CATEGORIES[c], None, 1, int(waiting.sum()), 0.0, 0)
                    )
                d = sel & done
                if not d.any():
                    continue
                weeks = self.completed_week[d]
                hours = self.hours[d]
                for w in np.unique(weeks):
                    at = weeks == w
                    h = hours[at]
                    out.append(
                        CaseGroup(
                            PRIORITIES[p],
                            CATEGORIES[c],
                            self.fridays[int(w)],
                            0,
                            int(at.sum()),
                            float(np.nansum(h)),
                            int(np.isfinite(h).sum()),
                        )
                    )
        return out


def configured_settings() -> PlanSettings:
    """The settings the app uses (config/programme.toml), as the backtest's defaults."""
    from reassess.config import programme
    from reassess.figures.plan import plan_settings

    return plan_settings(programme())


def _working_days(start: date, n: int) -> list[date]:
    days: list[date] = []
    d = start
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _in_season(d: date, season: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    (m0, d0), (m1, d1) = season
    key = (d.month, d.day)
    if (m0, d0) <= (m1, d1):
        return (m0, d0) <= key <= (m1, d1)
    return key >= (m0, d0) or key <= (m1, d1)


@dataclass
class _Person:
    fte: float
    start: int  # day index
    end: int | None = None
    notice: int | None = None


def simulate(spec: Spec, max_days: int = 1500) -> SimulatedProgramme:
    """Run the programme a working day at a time until every case is assessed."""
    rng = np.random.default_rng(spec.seed)
    days = _working_days(spec.start, max_days)
    n_days = len(days)
    day_index = {d: i for i, d in enumerate(days)}

    # People: the initial team, planned waves (slipping), leavers and their replacements.
    people = [_Person(float(rng.choice(spec.fte_mix)), 0) for _ in range(spec.officers)]
    growth: list[tuple[date, float, date]] = []
    for week, n in spec.growth:
        slip = int(rng.integers(0, spec.growth_slip_weeks + 1))
        arrive = min(5 * (week + slip), n_days - 1)
        ftes = [float(rng.choice(spec.fte_mix)) for _ in range(n)]
        people.extend(_Person(f, arrive) for f in ftes)
        growth.append((days[min(5 * week, n_days - 1)], sum(ftes), days[arrive]))
    hazard = -np.log(1 - spec.attrition) / 260 if spec.attrition > 0 else 0.0
    i = 0
    while i < len(people):
        p = people[i]
        if hazard > 0:
            stay = int(rng.exponential(1 / hazard))
            if p.start + stay < n_days:
                p.end = p.start + stay
                p.notice = max(p.start, p.end - 5 * spec.notice_weeks)
                if spec.replacement_weeks is not None:
                    back = p.end + 5 * spec.replacement_weeks + int(rng.integers(0, 10))
                    if back < n_days:
                        people.append(_Person(p.fte, back))
        i += 1

    # Who is away each day: Christmas and summer leave, spells of leave and sickness, surges.
    n_people = len(people)
    away = np.zeros((n_people, n_days), dtype=bool)
    booked_day = np.full((n_people, n_days), n_days, dtype=np.int64)  # when a leave day was booked
    xmas = np.array([_in_season(d, CHRISTMAS) for d in days])
    summer = np.array([_in_season(d, SUMMER) for d in days])
    spell_rate = spec.abstraction / (1 - spec.abstraction) / 4.0
    for o in range(n_people):
        off = rng.random() < spec.christmas_leave
        if off:
            sel = xmas & (rng.random(n_days) < 0.9)
            away[o, sel] = True
            booked_day[o, sel] = np.maximum(np.flatnonzero(sel) - 40, 0)
        d = 0
        while d < n_days:
            hol_boost = 1.0 + (3.0 * spec.summer_leave if summer[d] else 0.0)
            if rng.random() < spell_rate * hol_boost:
                kind = rng.random()
                length = int(rng.integers(2, 11)) if kind < 0.55 else int(rng.integers(1, 5))
                sl = slice(d, min(n_days, d + length))
                away[o, sl] = True
                if kind < 0.55:  # annual leave, booked ahead
                    booked_day[o, sl] = max(0, d - int(rng.integers(10, 60)))
                d += length
            else:
                d += 1
    for week, weeks, share in spec.surges:
        pulled = rng.random(n_people) < share
        away[pulled, 5 * week : 5 * (week + weeks)] = True

    in_post = np.zeros((n_people, n_days), dtype=bool)
    fte = np.array([p.fte for p in people])
    for o, p in enumerate(people):
        in_post[o, p.start : (p.end if p.end is not None else n_days)] = True
    service = np.arange(n_days)[None, :] - np.array([p.start for p in people])[:, None]
    ramp = np.clip((service + 1) / (5 * max(spec.ramp_weeks, 1)), 0, 1)
    learn = 1 + spec.learning_extra * np.exp(-np.maximum(service, 0) / (5 * spec.learning_weeks))
    working = in_post & ~away
    hours = (working * fte[:, None] * spec.hours_per_day * ramp / learn).sum(axis=0)
    hours *= rng.lognormal(0, 0.12, n_days)  # good days and bad days

    # Cases: priority and category (visible), effort, order (by priority, then harder first or
    # last within it), scope added, batches, duplicates, parked.
    extra_days = np.minimum(
        (rng.exponential(spec.scope_added_weeks, spec.scope_added) * 5).astype(int), n_days - 1
    )
    arrivals = sorted(int(x) for x in extra_days)
    for week, n in spec.scope_batches:
        arrivals += [5 * week] * n
    total = spec.cases + len(arrivals)
    category = rng.choice(len(CATEGORIES), size=total, p=CATEGORY_MIX)
    hard = category < 2
    priority = np.where(
        rng.random(total) < np.where(hard, 0.35, 0.09), 0, np.where(rng.random(total) < 0.53, 1, 2)
    )
    effort = rng.lognormal(np.log(spec.effort_hours), spec.effort_sigma, total)
    effort *= np.asarray(spec.priority_effort)[priority] * np.where(hard, spec.hard_effort, 1.0)
    initial = effort[: spec.cases]
    rank = np.argsort(np.argsort(-initial)) / max(spec.cases - 1, 1)  # 0 hardest .. 1 easiest
    key = spec.hard_first * rank + (1 - abs(spec.hard_first)) * rng.random(spec.cases)
    if spec.hard_first < 0:
        key = -spec.hard_first * (1 - rank) + (1 + spec.hard_first) * rng.random(spec.cases)
    queue = list(np.lexsort((key, priority[: spec.cases])))
    recorded_hours = effort * rng.lognormal(0, spec.hours_noise, total)
    recorded_hours[rng.random(total) < spec.hours_missing] = np.nan
    pending: dict[int, list[int]] = {d: [] for d in set(arrivals)}
    for j, d in enumerate(arrivals):
        pending[d].append(spec.cases + j)
    dupes = set(rng.choice(spec.cases, size=spec.duplicates, replace=False).tolist())
    dupe_day = {c: int(rng.integers(5, 5 * 16)) for c in dupes}
    parked = set(rng.choice(spec.cases, size=spec.parked, replace=False).tolist()) - dupes

    removed_on: dict[int, int] = {}
    completed_on: dict[int, int] = {}
    added_on = {spec.cases + j: d for j, d in enumerate(arrivals)}
    pos, progress, done_count = 0, 0.0, 0
    waiting: list[tuple[int, int]] = []
    for d in range(n_days):
        queue.extend(pending.get(d, ()))
        for c, when in list(dupe_day.items()):
            if when == d and c not in completed_on:
                removed_on[c] = d
                del dupe_day[c]
        for _back, c in [w for w in waiting if w[0] <= d]:
            completed_on[c] = d
        waiting = [w for w in waiting if w[0] > d]
        multiplier = (1 - spec.process_gain * done_count / max(total, 1)) * (
            1 + spec.fatigue * d / 260
        )
        budget = hours[d]
        while budget > 0 and pos < len(queue):
            c = int(queue[pos])
            if c in removed_on:
                pos += 1
                continue
            if c in parked:
                waiting.append((d + int(rng.integers(100, 300)), c))
                parked.discard(c)
                pos += 1
                continue
            need = effort[c] * multiplier - progress
            if budget >= need:
                budget -= need
                completed_on[c] = d
                recorded_hours[c] *= multiplier
                done_count += 1
                progress = 0.0
                pos += 1
            else:
                progress += budget
                budget = 0
        if pos >= len(queue) and not waiting and d >= max(pending, default=0):
            n_days = d + 1
            while days[n_days - 1].weekday() != 4:  # run on to the Friday
                n_days += 1
            break

    # Weekly extracts: each Friday (a week is Monday to Friday).
    fridays = tuple(days[j] for j in range(n_days) if days[j].weekday() == 4)
    n_weeks = len(fridays)
    week_of = np.searchsorted(np.array([day_index[f] for f in fridays]), np.arange(n_days))
    recorded = np.zeros(n_weeks)
    completed_week = np.full(total, -1, dtype=np.int64)
    for c, d in completed_on.items():
        lag = int(rng.geometric(0.6)) - 1  # most the same day, some a day or two late
        w = int(week_of[min(d + lag, n_days - 1)])
        recorded[w] += 1
        completed_week[c] = w
    added_week = np.zeros(total, dtype=np.int64)
    for c, d in added_on.items():
        added_week[c] = int(week_of[min(d, n_days - 1)])
    removed_week = np.full(total, n_weeks, dtype=np.int64)
    for c, d in removed_on.items():
        removed_week[c] = int(week_of[min(d, n_days - 1)])
    scope = np.zeros(n_weeks)
    for w, f in enumerate(fridays):
        fi = day_index[f]
        added = sum(1 for d in added_on.values() if d <= fi)
        gone = sum(1 for d in removed_on.values() if d <= fi)
        scope[w] = spec.cases + added - gone
    fte_days = (in_post[:, :n_days] * fte[:, None]).sum(axis=0)
    free_days = (working[:, :n_days] * fte[:, None]).sum(axis=0)
    headcount = np.bincount(week_of, weights=fte_days, minlength=n_weeks) / 5
    available = np.bincount(week_of, weights=free_days, minlength=n_weeks) / 5
    booked = np.zeros((n_weeks, n_weeks))
    friday_idx = np.array([day_index[f] for f in fridays])
    leave = away[:, :n_days] & in_post[:, :n_days]
    for o in range(n_people):
        for day in np.flatnonzero(leave[o] & (booked_day[o, :n_days] < n_days)):
            known = int(np.searchsorted(friday_idx, booked_day[o, day]))
            wk = int(week_of[day])
            if known < wk:
                booked[known:wk, wk] += fte[o]
    officers = tuple(
        Officer(
            ref=f"SIM-{o + 1:03d}",
            fte=p.fte,
            start=days[p.start],
            end=days[p.end] if p.end is not None and p.end < len(days) else None,
        )
        for o, p in enumerate(people)
        if p.start < n_days
    )
    notice = tuple(
        days[p.notice] if p.notice is not None and p.notice < len(days) else None
        for p in people
        if p.start < n_days
    )
    return SimulatedProgramme(
        spec=spec,
        fridays=fridays,
        completions=recorded,
        scope=scope,
        headcount_fte=headcount,
        available_fte=available,
        officers=officers,
        notice=notice,
        planned_growth=tuple(growth),
        booked=booked,
        priority=priority,
        category=category,
        hours=recorded_hours,
        completed_week=completed_week,
        added_week=added_week,
        removed_week=removed_week,
    )


PROGRAMMES: tuple[Spec, ...] = (
    Spec(
        name="steady",
        seed=1,
        start=date(2025, 3, 3),
        cases=3000,
        officers=16,
        attrition=0.05,
        learning_extra=0.2,
        summer_leave=0.2,
    ),
    Spec(
        name="growing",
        seed=2,
        start=date(2025, 9, 1),
        cases=6000,
        officers=10,
        growth=((6, 8), (14, 8), (22, 6)),
        learning_extra=1.0,
        learning_weeks=8.0,
        process_gain=0.35,
        hard_first=0.3,
        priority_effort=(1.4, 1.0, 0.8),
        hard_effort=1.8,
        scope_added=300,
        scope_added_weeks=6.0,
    ),
    Spec(
        name="setbacks",
        seed=3,
        start=date(2025, 10, 6),
        cases=5000,
        officers=22,
        christmas_leave=0.8,
        surges=((20, 4, 0.4),),
        priority_effort=(1.2, 1.0, 1.0),
        hard_effort=1.5,
        scope_batches=((14, 600),),
        scope_added=150,
        duplicates=60,
    ),
    Spec(
        name="attrition",
        seed=4,
        start=date(2025, 6, 2),
        cases=4000,
        officers=24,
        attrition=0.35,
        replacement_weeks=14,
        fatigue=0.15,
        hard_first=-0.5,
        hard_effort=1.6,
        parked=12,
    ),
    Spec(
        name="small",
        seed=5,
        start=date(2025, 11, 3),
        cases=500,
        officers=4,
        effort_hours=5.0,
        effort_sigma=0.9,
        fte_mix=(1.0, 0.8, 0.6),
        abstraction=0.22,
        parked=2,
        priority_effort=(1.3, 1.0, 0.9),
        hard_effort=2.0,
        hours_missing=0.4,
    ),
    Spec(
        name="priority-first",
        seed=6,
        start=date(2025, 11, 3),
        cases=7000,
        officers=22,
        growth=((13, 10),),
        priority_effort=(1.6, 1.0, 0.8),
        hard_effort=2.0,
        christmas_leave=0.6,
        scope_added=250,
        duplicates=40,
        parked=5,
    ),
)
"""The backtest's programmes: steady (no case-mix effect); a growing team with a learning curve;
setbacks (a Christmas dip, a scope batch, an operational surge); heavy attrition with work
slowing as the easy cases run out; small and noisy (hours often unrecorded); priority first (the
hardest cases first, then a wave of starters)."""


def variants(spec: Spec, n: int) -> list[Spec]:
    """The same dynamics with n different seeds (and start dates a few weeks apart)."""
    return [
        replace(spec, seed=spec.seed * 1000 + k, start=spec.start + timedelta(weeks=3 * k))
        for k in range(n)
    ]


def backtest_cases(
    prog: SimulatedProgramme,
    first: int = 6,
    settings: PlanSettings | None = None,
    work: bool = True,
):
    """The backtest's cases: every Friday from the ``first``-th until the work is complete."""
    done = prog.finished_week()
    end = done if done is not None else len(prog.fridays)
    actual = prog.fridays[done] if done is not None else None
    return [
        Case(prog.spec.name, prog.input_at(k, settings, work), actual, prog.fridays[-1])
        for k in range(first - 1, end)
    ]
