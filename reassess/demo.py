"""Synthetic demo programme: one seeded timeline, masked into weekly extracts.

Everything here is invented. Case references start with ``SYN-`` and officers are
``PPO-nnnn`` pseudonyms, so nothing can be mistaken for a real case or person. The
timeline is simulated once, a working day at a time, from the programme start; an
extract for an as-of date is then a cheap mask of that timeline (anything that happens
after the as-of date is blanked), so a whole season of weekly extracts takes seconds.

The mixes below restate the demo assumptions of the design's CALIBRATION.md; the
planning figures (start date, scope, team size, hours, abstraction, ramp-up, attrition,
referral rates) come from config/programme.toml so the demo and the planner agree.
"""

from __future__ import annotations

import heapq
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from reassess.config import programme
from reassess.extract.contract import ABSTRACTION_COLUMNS, CASE_COLUMNS, OFFICER_COLUMNS

EXTRACT_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("abstractions", ABSTRACTION_COLUMNS),
    ("officers", OFFICER_COLUMNS),
    ("cases", CASE_COLUMNS),
)

# (bcu, borough, rough relative population) from the contract's reference table.
BOROUGHS: tuple[tuple[str, str, float], ...] = (
    ("CN", "Camden", 2.1),
    ("CN", "Islington", 2.2),
    ("CE", "Hackney", 2.6),
    ("CE", "Tower Hamlets", 3.1),
    ("AS", "Lambeth", 3.2),
    ("AS", "Southwark", 3.1),
    ("AW", "Westminster", 2.0),
    ("AW", "Kensington and Chelsea", 1.4),
    ("AW", "Hammersmith and Fulham", 1.8),
    ("EA", "Barking and Dagenham", 2.2),
    ("EA", "Havering", 2.6),
    ("EA", "Redbridge", 3.1),
    ("NA", "Enfield", 3.3),
    ("NA", "Haringey", 2.6),
    ("NE", "Newham", 3.5),
    ("NE", "Waltham Forest", 2.8),
    ("NW", "Barnet", 3.9),
    ("NW", "Brent", 3.4),
    ("NW", "Harrow", 2.6),
    ("SN", "Bromley", 3.3),
    ("SN", "Croydon", 3.9),
    ("SN", "Sutton", 2.1),
    ("SE", "Bexley", 2.5),
    ("SE", "Greenwich", 2.9),
    ("SE", "Lewisham", 3.0),
    ("SW", "Kingston upon Thames", 1.7),
    ("SW", "Merton", 2.2),
    ("SW", "Richmond upon Thames", 2.0),
    ("SW", "Wandsworth", 3.3),
    ("WA", "Ealing", 3.7),
    ("WA", "Hillingdon", 3.1),
    ("WA", "Hounslow", 2.9),
)

# Demo mixes (assumptions, see CALIBRATION): exact shares are dealt, then shuffled.
CATEGORY_MIX: tuple[tuple[str, float], ...] = (
    ("intra_familial", 0.26),
    ("peer_on_peer", 0.22),
    ("organised_group", 0.17),
    ("gang_related", 0.15),
    ("institutional", 0.08),
    ("online", 0.07),
    ("other", 0.05),
)
ORIGINAL_OUTCOME_MIX: tuple[tuple[str, float], ...] = (
    ("nfa_evidential", 0.50),
    ("nfa_victim_declined", 0.25),
    ("nfa_no_suspect", 0.10),
    ("charged", 0.07),
    ("nfa_other", 0.05),
    ("other", 0.03),
)
# Among cases with at least one suspect; older cases are more often unrecorded.
ETHNICITY_NONE_SHARE = 0.65
ROLE_MIX: tuple[tuple[str, float], ...] = (
    ("detective_constable", 0.5),
    ("staff_investigator", 0.4),
    ("police_constable", 0.1),
)
FTE_MIX: tuple[tuple[float, float], ...] = ((1.0, 0.8), (0.8, 0.12), (0.6, 0.08))
PRIORITY_MIX: tuple[tuple[str, float], ...] = (("high", 0.15), ("medium", 0.45), ("low", 0.40))
BEACONPORT_SHARE = 0.05
LINKED_LIVE_SHARE = 0.03
VICTIM_SUPPORT_DECLINED_SHARE = 0.15

# Effort (assumption): lognormal hours per assessment, harder categories take longer.
EFFORT_MEDIAN_HOURS = 1.62
EFFORT_SIGMA = 0.5
HARD_CATEGORIES: frozenset[str] = frozenset({"organised_group", "institutional"})
HARD_CATEGORY_FACTOR = 2.0
HIGH_PRIORITY_FACTOR = 1.3
SERGEANT_CASEWORK_SHARE = 0.3

# People (assumption): teams of 6-8 with one detective sergeant each.
INITIAL_TEAMS = 4
GROWTH_TEAMS: tuple[tuple[date, int], ...] = ((date(2026, 2, 2), 7), (date(2026, 2, 16), 6))
TOP_UP_DATES: tuple[date, ...] = (date(2026, 3, 16),)
LEAVE_WINDOW: tuple[date, date] = (date(2025, 12, 8), date(2026, 5, 29))

# Scope changes (assumption): records searched in the first months, duplicates found.
ADDED_CASES: tuple[int, int] = (270, 330)
ADDED_WINDOW: tuple[date, date] = (date(2025, 11, 10), date(2026, 2, 27))
DUPLICATES: tuple[int, int] = (30, 50)
DUPLICATE_WINDOW: tuple[date, date] = (date(2025, 11, 17), date(2026, 3, 31))

# Cases parked awaiting material from elsewhere, so the 90-day warning has examples.
STUCK_SHORT: tuple[int, int] = (2, 4)
STUCK_LONG: tuple[int, int] = (4, 6)

CHRISTMAS: tuple[date, date] = (date(2025, 12, 22), date(2026, 1, 2))
SCHOOL_HOLIDAYS: tuple[tuple[date, date], ...] = (
    (date(2026, 2, 16), date(2026, 2, 20)),
    (date(2026, 3, 30), date(2026, 4, 10)),
    (date(2026, 5, 26), date(2026, 5, 29)),
    (date(2026, 7, 20), date(2026, 8, 28)),
    (date(2026, 10, 26), date(2026, 10, 30)),
)
BANK_HOLIDAYS: tuple[date, ...] = (
    date(2025, 12, 25),
    date(2025, 12, 26),
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
)
# reason: (chance a new abstraction is this reason, shortest, longest working days)
ABSTRACTION_REASONS: tuple[tuple[str, float, int, int], ...] = (
    ("annual_leave", 0.36, 1, 8),
    ("sickness", 0.26, 1, 4),
    ("training", 0.18, 1, 3),
    ("operational_abstraction", 0.10, 3, 10),
    ("other", 0.10, 1, 1),
)
LONG_SICKNESS_CHANCE = 0.06

DEFAULT_THROUGH = date(2026, 6, 26)


@dataclass(frozen=True, eq=False)
class SyntheticProgramme:
    """The whole simulated timeline; extracts are masks of it by as-of date."""

    seed: int
    start: date
    through: date
    cases: pd.DataFrame  # every case ever in scope, with its whole timeline
    officers: pd.DataFrame  # everyone who works on the review by `through`
    abstractions: pd.DataFrame  # officer (row number in officers), from_date, to_date, reason
    work_log: pd.DataFrame  # one row per officer-day of work on a case: case, day, hours
    notes: tuple[str, ...] = field(default=())  # what the seed produced, in words


def friday_as_ofs(start: date, through: date) -> list[date]:
    """Every Friday from the first Friday on or after start, through `through`."""
    first = start + timedelta(days=(4 - start.weekday()) % 7)
    return [first + timedelta(days=7 * k) for k in range(max(0, (through - first).days // 7 + 1))]


def _d64(value: date) -> np.datetime64:
    """A date as numpy day precision."""
    return np.datetime64(value, "D")


def _exact_labels(
    rng: np.random.Generator, n: int, mix: Sequence[tuple[object, float]]
) -> np.ndarray:
    """n labels in exactly the mix's shares (largest remainder), shuffled."""
    labels = np.array([name for name, _ in mix], dtype=object)
    shares = np.array([share for _, share in mix], dtype=float)
    raw = shares / shares.sum() * n
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    out = np.repeat(labels, counts)
    rng.shuffle(out)
    return out


def _ranked_labels(
    score: np.ndarray, mix: Sequence[tuple[str, float]], mask: np.ndarray | None = None
) -> np.ndarray:
    """Labels dealt by descending score in exactly the mix's shares."""
    mask = np.ones(len(score), dtype=bool) if mask is None else mask
    idx = np.flatnonzero(mask)
    ordered = idx[np.argsort(-score[idx], kind="stable")]
    out = np.empty(len(score), dtype=object)
    shares = np.array([share for _, share in mix], dtype=float)
    bounds = np.round(np.cumsum(shares / shares.sum()) * len(idx)).astype(int)
    lo = 0
    for (name, _), hi in zip(mix, bounds, strict=True):
        out[ordered[lo:hi]] = name
        lo = hi
    return out


def _working_days(start: date, end: date) -> np.ndarray:
    """Working days (Mon-Fri, not an English bank holiday) from start to end inclusive."""
    days = np.arange(_d64(start), _d64(end) + 1, dtype="datetime64[D]")
    holidays = np.array([_d64(d) for d in BANK_HOLIDAYS], dtype="datetime64[D]")
    return days[np.is_busday(days, holidays=holidays)]


def _make_cases(rng: np.random.Generator, n: int, cfg: dict[str, float]) -> dict[str, np.ndarray]:
    """Static attributes of n synthetic cases, in case_ref order."""
    first = _d64(date(int(cfg["scope_from_year"]), 1, 1))
    last = _d64(date(2025, 3, 31))
    span = int((last - first).astype(int)) + 1
    reported = np.sort(first + rng.integers(0, span, n).astype("timedelta64[D]"))
    years = reported.astype("datetime64[Y]").astype(int) + 1970
    refs = np.empty(n, dtype=object)
    for year in np.unique(years):
        idx = np.flatnonzero(years == year)
        numbers = np.cumsum(rng.integers(1, 4, len(idx)))
        refs[idx] = [f"SYN-{year}-{k:05d}" for k in numbers]

    category = _exact_labels(rng, n, CATEGORY_MIX)
    original = _exact_labels(rng, n, ORIGINAL_OUTCOME_MIX)
    group = np.isin(category, ["organised_group", "gang_related"])
    small = np.isin(category, ["intra_familial", "peer_on_peer", "online", "other"])
    suspects = np.where(
        group,
        2 + np.minimum(rng.poisson(1.4, n), 8),
        np.where(small, 1 + rng.binomial(2, 0.3, n), 1 + np.minimum(rng.poisson(1.0, n), 5)),
    )
    no_suspect = np.where(original == "nfa_no_suspect", 0.85, 0.01)
    suspects = np.where(rng.random(n) < no_suspect, 0, suspects).astype(np.int64)
    victims = np.where(
        np.isin(category, ["organised_group", "institutional"]),
        rng.geometric(0.40, n),
        rng.geometric(0.58, n),
    )
    victims = np.minimum(victims, 10 + rng.integers(0, 3, n)).astype(np.int64)

    age = (_d64(date(2025, 3, 31)) - reported).astype(int) / 365.25
    has = suspects > 0
    ethnicity = _ranked_labels(
        age / 15 + rng.normal(0, 0.7, n),
        (
            ("none", ETHNICITY_NONE_SHARE),
            ("some", (1 - ETHNICITY_NONE_SHARE) / 2),
            ("all", (1 - ETHNICITY_NONE_SHARE) / 2),
        ),
        has,
    )
    # Within recorded cases, "all" and "some" are shuffled rather than ranked by age.
    recorded = np.flatnonzero(np.isin(ethnicity, ["some", "all"]))
    ethnicity[recorded] = rng.permutation(ethnicity[recorded])
    ethnicity[~has] = "not_applicable"

    weight = {"organised_group": 1.0, "institutional": 0.9, "gang_related": 0.6}
    score = (
        np.array([weight.get(c, 0.0) for c in category])
        + 0.35 * np.log(victims)
        + 0.25 * (age < 5)
        + 0.2 * (original == "nfa_victim_declined")
        + rng.normal(0, 0.6, n)
    )
    priority = _ranked_labels(score, PRIORITY_MIX)

    weights = np.array([w for _, _, w in BOROUGHS])
    pick = rng.choice(len(BOROUGHS), size=n, p=weights / weights.sum())
    bcu = np.array([BOROUGHS[i][0] for i in pick], dtype=object)
    borough = np.array([BOROUGHS[i][1] for i in pick], dtype=object)

    effort = np.exp(rng.normal(np.log(EFFORT_MEDIAN_HOURS), EFFORT_SIGMA, n))
    effort *= np.where(np.isin(category, list(HARD_CATEGORIES)), HARD_CATEGORY_FACTOR, 1.0)
    effort *= np.where(priority == "high", HIGH_PRIORITY_FACTOR, 1.0)
    effort *= 1 + 0.04 * (victims - 1) + 0.02 * suspects
    effort = np.clip(effort, 0.5, 80.0)

    reinvest = float(cfg["referral_rate_reinvestigation"])
    safeguard = float(cfg["referral_rate_safeguarding"])
    nfa_original = np.char.startswith(original.astype(str), "nfa_")
    beaconport = BEACONPORT_SHARE / nfa_original.mean()
    u = rng.random(n)
    outcome = np.full(n, "no_further_action", dtype=object)
    outcome[u < reinvest] = "reinvestigate"
    outcome[(u >= reinvest) & (u < reinvest + safeguard)] = "safeguarding_referral"
    cut = reinvest + safeguard
    outcome[(u >= cut) & (u < cut + LINKED_LIVE_SHARE)] = "linked_live_investigation"
    cut += LINKED_LIVE_SHARE
    outcome[(u >= cut) & (u < cut + beaconport) & nfa_original] = "refer_beaconport"

    referred = float(cfg["referral_rate_victim_support"])
    v = rng.random(n)
    support = np.full(n, "not_required", dtype=object)
    support[v < referred] = "referred"
    support[(v >= referred) & (v < referred + VICTIM_SUPPORT_DECLINED_SHARE)] = "declined"

    return {
        "case_ref": refs,
        "reported_date": reported,
        "category": category,
        "bcu": bcu,
        "borough": borough,
        "original_outcome": original,
        "victims": victims,
        "suspects": suspects,
        "suspect_ethnicity_recorded": ethnicity,
        "priority": priority,
        "final_outcome": outcome,
        "final_victim_support": support,
        "effort": effort,
    }


@dataclass
class _Officer:
    """One person on the review while the timeline is simulated."""

    index: int
    ref: str
    team: int
    role: str
    fte: float
    start: date
    end: date | None = None
    queue_target: int = 5


class _Hiring:
    """Adds officers in order, dealing roles and FTEs from fixed mixes."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.officers: list[_Officer] = []
        self.roles: list[str] = []
        self.ftes: list[float] = []

    def hire(self, team: int, start: date, sergeant: bool = False) -> None:
        """Append one officer; a sergeant leads the team, others assess cases."""
        if sergeant:
            role, fte, target = "detective_sergeant", 1.0, 2
        else:
            if not self.roles:
                self.roles = list(_exact_labels(self.rng, 20, ROLE_MIX))
                self.ftes = [float(f) for f in _exact_labels(self.rng, 20, FTE_MIX)]
            role, fte = self.roles.pop(), self.ftes.pop()
            target = int(self.rng.integers(4, 8))
        index = len(self.officers)
        ref = f"PPO-{index + 1:04d}"
        self.officers.append(_Officer(index, ref, team, role, fte, start, None, target))

    def team(self, team: int, start: date, size: int) -> None:
        """A new team: its sergeant and size - 1 others."""
        self.hire(team, start, sergeant=True)
        for _ in range(size - 1):
            self.hire(team, start)


def _make_officers(
    rng: np.random.Generator, cfg: dict[str, float], start: date, through: date
) -> list[_Officer]:
    """The initial team, later teams, top-ups, leavers and their replacements."""
    hiring = _Hiring(rng)
    officers = hiring.officers
    initial = int(cfg["initial_team"])
    for t in range(INITIAL_TEAMS):
        hiring.team(t + 1, start, initial // INITIAL_TEAMS + (t < initial % INITIAL_TEAMS))
    for team, (team_start, size) in enumerate(GROWTH_TEAMS, start=INITIAL_TEAMS + 1):
        if team_start <= through:
            hiring.team(team, team_start, size)
    for top_up in TOP_UP_DATES:
        if top_up <= through:
            sizes: dict[int, int] = {}
            for o in officers:
                sizes[o.team] = sizes.get(o.team, 0) + 1
            hiring.hire(min(sizes, key=lambda t: (sizes[t], t)), top_up)

    # Leavers: about attrition_per_year of the people, over the programme so far.
    years = max((min(through, LEAVE_WINDOW[1]) - start).days, 0) / 365.25
    expected = float(cfg["attrition_per_year"]) * len(officers) * years
    n_leavers = int(np.clip(round(expected + rng.normal(0, 0.6)), 2, 4))
    days = _working_days(*LEAVE_WINDOW)
    days = days[days <= _d64(through)]
    pool = [o for o in officers if o.role != "detective_sergeant" and o.team <= INITIAL_TEAMS]
    chosen = rng.choice(len(pool), size=min(n_leavers, len(pool)), replace=False)
    for pick in chosen:
        if len(days) == 0:
            break
        leaver = pool[int(pick)]
        leaver.end = days[int(rng.integers(0, len(days)))].item()
        replacement = leaver.end + timedelta(weeks=int(rng.integers(4, 7)))
        replacement -= timedelta(days=replacement.weekday())
        if leaver.end < date(2026, 4, 15) and replacement <= through:
            hiring.hire(leaver.team, replacement)
    return officers


def _make_abstractions(
    rng: np.random.Generator,
    officers: list[_Officer],
    days: np.ndarray,
    rate: float,
) -> tuple[list[tuple[int, date, date, str]], np.ndarray]:
    """Leave, sickness, training and other abstractions, and who is away each day."""
    n_days = len(days)
    away = np.zeros((len(officers), n_days), dtype=bool)
    rows: list[tuple[int, date, date, str]] = []
    reasons = [r for r, _, _, _ in ABSTRACTION_REASONS]
    chances = np.array([p for _, p, _, _ in ABSTRACTION_REASONS])
    mean_len = float(
        np.dot(chances, [(lo + hi) / 2 for _, _, lo, hi in ABSTRACTION_REASONS])
        + chances[1] * LONG_SICKNESS_CHANCE * 15
    )
    # Christmas leave and induction are placed first; random spells make up the rest of
    # `rate` (0.72 is calibrated so the total over the demo season comes to about `rate`).
    hazard = rate / (1 - rate) / mean_len * 0.72
    holiday = np.zeros(n_days, dtype=bool)
    for lo, hi in SCHOOL_HOLIDAYS:
        holiday |= (days >= _d64(lo)) & (days <= _d64(hi))
    xmas = np.flatnonzero((days >= _d64(CHRISTMAS[0])) & (days <= _d64(CHRISTMAS[1])))
    gap = np.flatnonzero(np.diff(days[xmas]).astype(int) > 3)
    xmas_parts = np.split(xmas, gap + 1) if len(xmas) else []
    draws = rng.random((len(officers), n_days))

    def spell(o: int, i: int, length: int, reason: str, last: int) -> int:
        """Mark a spell of up to `length` free working days from day i; return the next day."""
        j = i
        while j < last and j - i < length and not away[o, j]:
            away[o, j] = True
            j += 1
        rows.append((o, days[i].item(), days[j - 1].item(), reason))
        return j

    for officer in officers:
        o = officer.index
        first = int(np.searchsorted(days, _d64(officer.start)))
        last = int(np.searchsorted(days, _d64(officer.end))) if officer.end else n_days
        if first >= last:
            continue
        if first + 1 < last:
            spell(o, first + 1, 2, "training", last)  # induction course in the first week
        if len(xmas_parts) == 2:
            choice = rng.choice(4, p=[0.45, 0.25, 0.22, 0.08])
            part = {0: xmas, 1: xmas_parts[0], 2: xmas_parts[1]}.get(int(choice))
            if part is not None:
                part = part[(part >= first) & (part < last)]
                if len(part):
                    spell(o, int(part[0]), len(part), "annual_leave", last)
        i = first
        while i < last:
            if away[o, i]:
                i += 1
                continue
            boost = 2.0 if holiday[i] else 1.0
            weights = chances * np.array([boost, 1, 1, 1, 1])
            if draws[o, i] < hazard * weights.sum():
                k = int(rng.choice(len(reasons), p=weights / weights.sum()))
                _, _, lo, hi = ABSTRACTION_REASONS[k]
                length = int(rng.integers(lo, hi + 1))
                if reasons[k] == "sickness" and rng.random() < LONG_SICKNESS_CHANCE:
                    length = int(rng.integers(10, 31))
                i = spell(o, i, length, reasons[k], last)
            else:
                i += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows, away


def generate_programme(seed: int = 42, through: date = DEFAULT_THROUGH) -> SyntheticProgramme:
    """Simulate the whole synthetic programme from its start to `through`, once."""
    prog = programme()
    start: date = prog.programme_start
    if through < start:
        raise ValueError(
            f"through ({through}) is before the programme start ({start}); "
            "choose a later date or change programme_start in config/programme.toml"
        )
    cfg = {
        name: getattr(prog, name)
        for name in (
            "baseline_scope",
            "initial_team",
            "scope_from_year",
            "productive_hours_per_fte_week",
            "abstraction_rate",
            "ramp_up_weeks",
            "attrition_per_year",
            "referral_rate_reinvestigation",
            "referral_rate_safeguarding",
            "referral_rate_victim_support",
        )
    }
    rng = np.random.default_rng(seed)

    # Scope: the baseline on day one, cases found in the first months, duplicates removed.
    baseline = int(cfg["baseline_scope"])
    n_added = int(rng.integers(ADDED_CASES[0], ADDED_CASES[1] + 1))
    n = baseline + n_added
    cases = _make_cases(rng, n, cfg)
    calendar = _working_days(start, max(through, start) + timedelta(days=60))
    days = calendar[calendar <= _d64(through)]

    added = np.full(n, _d64(start), dtype="datetime64[D]")
    added_idx = rng.choice(n, size=n_added, replace=False)
    window = _working_days(*ADDED_WINDOW)
    offsets = (rng.exponential(0.3, n_added) % 1.0) * len(window)  # most found early on
    added[added_idx] = window[offsets.astype(int)]
    removed = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    # Duplicates come to light before their (low-priority) turn; they are never allocated.
    initial_low = np.setdiff1d(np.flatnonzero(cases["priority"] == "low"), added_idx)
    n_dupes = int(rng.integers(DUPLICATES[0], DUPLICATES[1] + 1))
    dupes = rng.choice(initial_low, size=n_dupes, replace=False)
    dupe_days = _working_days(*DUPLICATE_WINDOW)
    removed[dupes] = dupe_days[rng.integers(0, len(dupe_days), n_dupes)]

    # Stuck cases: started, then parked for months awaiting material from elsewhere.
    priority = cases["priority"]
    eligible = np.setdiff1d(np.flatnonzero(priority == "high"), np.concatenate([added_idx, dupes]))
    n_short = int(rng.integers(STUCK_SHORT[0], STUCK_SHORT[1] + 1))
    n_long = int(rng.integers(STUCK_LONG[0], STUCK_LONG[1] + 1))
    stuck = rng.choice(eligible, size=n_short + n_long, replace=False)
    park_days = np.zeros(n, dtype=np.int64)
    park_days[stuck[:n_short]] = rng.integers(100, 150, n_short)
    park_days[stuck[n_short:]] = rng.integers(260, 400, n_long)

    officers = _make_officers(rng, cfg, start, through)
    rows, away = _make_abstractions(rng, officers, days, float(cfg["abstraction_rate"]))
    timeline = _Simulation(
        rng, cases, officers, away, calendar, len(days), added, removed, park_days, cfg
    ).run()

    nat = np.datetime64("NaT")
    officer_frame = pd.DataFrame(
        {
            "officer_ref": pd.Series([o.ref for o in officers], dtype=object),
            "team": pd.Series([f"Review Team {o.team}" for o in officers], dtype=object),
            "role": pd.Series([o.role for o in officers], dtype=object),
            "fte": np.array([o.fte for o in officers], dtype=float),
            "start_date": np.array([_d64(o.start) for o in officers], dtype="datetime64[D]"),
            "end_date": np.array(
                [_d64(o.end) if o.end else nat for o in officers], dtype="datetime64[D]"
            ),
        }
    )
    abstraction_frame = pd.DataFrame(
        {
            "officer": np.array([r[0] for r in rows], dtype=np.int64),
            "from_date": np.array([_d64(r[1]) for r in rows], dtype="datetime64[D]"),
            "to_date": np.array([_d64(r[2]) for r in rows], dtype="datetime64[D]"),
            "reason": pd.Series([r[3] for r in rows], dtype=object),
        }
    )
    case_frame = pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in cases.items()}
    )
    case_frame["added_date"] = added
    case_frame["removed_date"] = removed
    for name in (
        "allocated_date",
        "started_date",
        "completed_date",
        "qa_date",
        "first_officer",
        "second_officer",
        "reassigned_date",
    ):
        case_frame[name] = timeline[name]
    work_log = pd.DataFrame(
        {"case": timeline["log_case"], "day": timeline["log_day"], "hours": timeline["log_hours"]}
    )
    notes = (
        f"{n_added} cases added to scope, {n_dupes} removed as duplicates",
        f"{len(stuck)} cases parked for months awaiting material from elsewhere",
    )
    return SyntheticProgramme(
        seed, start, through, case_frame, officer_frame, abstraction_frame, work_log, notes
    )


class _Simulation:
    """The mutable state of one simulation run; lives only inside generate_programme."""

    def __init__(
        self,
        rng: np.random.Generator,
        cases: dict[str, np.ndarray],
        officers: list[_Officer],
        away: np.ndarray,
        calendar: np.ndarray,
        n_days: int,
        added: np.ndarray,
        removed: np.ndarray,
        park_days: np.ndarray,
        cfg: dict[str, float],
    ) -> None:
        n = len(added)
        nat = np.datetime64("NaT")
        self.rng = rng
        self.officers = officers
        self.away = away
        self.calendar = calendar
        self.days = calendar[:n_days]
        self.park_days = park_days
        self.allocated = np.full(n, nat, dtype="datetime64[D]")
        self.started = np.full(n, nat, dtype="datetime64[D]")
        self.completed = np.full(n, nat, dtype="datetime64[D]")
        self.qa = np.full(n, nat, dtype="datetime64[D]")
        self.reassigned = np.full(n, nat, dtype="datetime64[D]")
        self.first_officer = np.full(n, -1, dtype=np.int64)
        self.second_officer = np.full(n, -1, dtype=np.int64)
        self.remaining = cases["effort"].astype(float).copy()
        self.park_at = np.maximum(0.5, 0.3 * self.remaining)
        self.spent = np.zeros(n)
        self.parked_once = np.zeros(n, dtype=bool)
        self.log_case: list[int] = []
        self.log_day: list[int] = []
        self.log_hours: list[float] = []

        rank = {"high": 0, "medium": 1, "low": 2}
        key = np.empty(n, dtype=np.int64)
        key[rng.permutation(n)] = np.arange(n)
        self.order = [(rank[p], int(k)) for p, k in zip(cases["priority"], key, strict=True)]
        arrive = np.searchsorted(self.days, added)
        self.arrivals: dict[int, list[int]] = {}
        for c in np.flatnonzero(np.isnat(removed) & (arrive < n_days)):
            self.arrivals.setdefault(int(arrive[c]), []).append(int(c))

        self.hours_per_day = float(cfg["productive_hours_per_fte_week"]) / 5
        self.ramp_days = max(1.0, float(cfg["ramp_up_weeks"]) * 5)
        self.sergeant = {o.team: o.index for o in officers if o.role == "detective_sergeant"}
        self.start_idx = [int(np.searchsorted(self.days, _d64(o.start))) for o in officers]
        self.end_idx = [
            int(np.searchsorted(self.days, _d64(o.end))) if o.end else n_days for o in officers
        ]
        self.queues: list[deque[int]] = [deque() for _ in officers]
        self.current: list[int | None] = [None for _ in officers]
        self.parked: list[list[tuple[int, int]]] = [[] for _ in officers]
        self.pool: list[tuple[int, int, int]] = []

    def run(self) -> dict[str, np.ndarray]:
        """Step through every working day; return each case's dates and the work log."""
        for i in range(len(self.days)):
            for c in self.arrivals.get(i, ()):
                heapq.heappush(self.pool, (*self.order[c], c))
            for o, end in enumerate(self.end_idx):
                if end == i:
                    self._hand_over(o, i)
            for o in self.rng.permutation(len(self.officers)):
                if self.start_idx[o] <= i < self.end_idx[o] and not self.away[o, i]:
                    self._work_day(int(o), i)
        log_day = np.array(self.log_day, dtype=np.int64)
        return {
            "allocated_date": self.allocated,
            "started_date": self.started,
            "completed_date": self.completed,
            "qa_date": self.qa,
            "first_officer": self.first_officer,
            "second_officer": self.second_officer,
            "reassigned_date": self.reassigned,
            "log_case": np.array(self.log_case, dtype=np.int64),
            "log_day": self.days[log_day],
            "log_hours": np.array(self.log_hours, dtype=float),
        }

    def _open(self, o: int) -> int:
        """Cases an officer holds that are not parked."""
        return len(self.queues[o]) + (self.current[o] is not None)

    def _hand_over(self, o: int, i: int) -> None:
        """A leaver's open cases pass to the least-loaded staying colleague in the team."""
        team = self.officers[o].team
        staying = [
            p.index
            for p in self.officers
            if p.team == team
            and p.end is None
            and p.role != "detective_sergeant"
            and self.start_idx[p.index] <= i
        ] or [self.sergeant[team]]
        to = min(staying, key=lambda p: (self._open(p) + len(self.parked[p]), p))
        moving = [c for c in (self.current[o],) if c is not None] + list(self.queues[o])
        moving += [c for _, c in self.parked[o]]
        for c in moving:
            self.second_officer[c] = to
            self.reassigned[c] = self.days[i]
        if self.current[o] is not None:
            self.queues[to].appendleft(self.current[o])
        self.queues[to].extend(self.queues[o])
        self.parked[to].extend(self.parked[o])
        self.current[o] = None
        self.queues[o] = deque()
        self.parked[o] = []

    def _work_day(self, o: int, i: int) -> None:
        """One officer's day: pick up returned cases, top up the queue, then assess."""
        officer = self.officers[o]
        today = self.days[i]
        if self.parked[o]:
            back = [c for resume, c in self.parked[o] if resume <= i]
            self.parked[o] = [(r, c) for r, c in self.parked[o] if r > i]
            self.queues[o].extendleft(back)
        while self._open(o) < officer.queue_target and self.pool:
            c = heapq.heappop(self.pool)[2]
            self.queues[o].append(c)
            self.allocated[c] = today
            self.first_officer[c] = o
        share = SERGEANT_CASEWORK_SHARE if officer.role == "detective_sergeant" else 1.0
        ramp = min(1.0, (i - self.start_idx[o] + 1) / self.ramp_days)
        hours = officer.fte * self.hours_per_day * share * ramp
        while hours > 1e-9:
            c = self.current[o]
            if c is None:
                if not self.queues[o]:
                    return
                c = self.current[o] = self.queues[o].popleft()
                if np.isnat(self.started[c]):
                    self.started[c] = today
            parks = bool(self.park_days[c] > 0 and not self.parked_once[c])
            need = self.remaining[c]
            if parks:
                need = min(need, self.park_at[c] - self.spent[c])
            work = min(hours, max(need, 0.0))
            if work > 0:
                self.spent[c] += work
                self.remaining[c] -= work
                hours -= work
                self.log_case.append(c)
                self.log_day.append(i)
                self.log_hours.append(work)
            if parks and self.spent[c] >= self.park_at[c] - 1e-9:
                self.parked_once[c] = True
                back = today + np.timedelta64(int(self.park_days[c]), "D")
                self.parked[o].append((int(np.searchsorted(self.days, back)), c))
                self.current[o] = None
            elif self.remaining[c] <= 1e-9:
                self.completed[c] = today
                self.qa[c] = self._qa_day(i, self.sergeant[officer.team])
                self.current[o] = None

    def _qa_day(self, i: int, sergeant: int) -> np.datetime64:
        """QA sign-off 1-10 working days after completion, when the sergeant is in."""
        j = i + min(int(self.rng.geometric(0.35)), 10)
        while j < i + 10 and j < self.away.shape[1] and self.away[sergeant, j]:
            j += 1
        return self.calendar[min(j, len(self.calendar) - 1)]


def _objects(values: np.ndarray) -> pd.Series:
    """A column of python values (dates as datetime.date, missing as None)."""
    return pd.Series(values.astype(object) if values.dtype.kind == "M" else values, dtype=object)


def _dates(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A date column as numpy days."""
    return frame[column].to_numpy(dtype="datetime64[D]")


def extract_for(prog: SyntheticProgramme, as_of: date) -> dict[str, pd.DataFrame]:
    """The full extract on as_of: cases, officers and abstractions in contract column order."""
    if not prog.start <= as_of <= prog.through:
        raise ValueError(
            f"as_of {as_of} is outside the simulated programme ({prog.start} to {prog.through}); "
            "generate the programme with a later `through`"
        )
    t = _d64(as_of)
    nat = np.datetime64("NaT")
    cases = prog.cases
    removed = _dates(cases, "removed_date")
    idx = np.flatnonzero((_dates(cases, "added_date") <= t) & ~(removed <= t))

    def known(column: str) -> np.ndarray:
        values = _dates(cases, column)[idx]
        return np.where(values <= t, values, nat)

    allocated, started = known("allocated_date"), known("started_date")
    completed, qa = known("completed_date"), known("qa_date")
    has_alloc, has_start, has_done = ~np.isnat(allocated), ~np.isnat(started), ~np.isnat(completed)
    status = np.select(
        [~np.isnat(qa), has_done, has_start, has_alloc],
        ["assessed", "awaiting_qa", "in_assessment", "allocated"],
        "awaiting_allocation",
    ).astype(object)
    refs = prog.officers["officer_ref"].to_numpy(dtype=object)
    moved = _dates(cases, "reassigned_date")[idx] <= t
    who = np.where(
        moved,
        cases["second_officer"].to_numpy()[idx],
        cases["first_officer"].to_numpy()[idx],
    )
    officer_ref = np.where(has_alloc, refs[np.maximum(who, 0)], None)
    outcome = np.where(has_done, cases["final_outcome"].to_numpy(dtype=object)[idx], None)
    support = np.where(
        has_done, cases["final_victim_support"].to_numpy(dtype=object)[idx], "not_assessed"
    )
    log = prog.work_log
    done = _dates(log, "day") <= t
    spent = np.bincount(
        log["case"].to_numpy()[done], weights=log["hours"].to_numpy()[done], minlength=len(cases)
    )
    hours = np.where(has_alloc, np.round(spent[idx], 1), np.nan)

    case_frame = pd.DataFrame(
        {
            "case_ref": _objects(cases["case_ref"].to_numpy(dtype=object)[idx]),
            "reported_date": _objects(_dates(cases, "reported_date")[idx]),
            **{
                name: _objects(cases[name].to_numpy(dtype=object)[idx])
                for name in ("category", "bcu", "borough", "original_outcome")
            },
            "victims": cases["victims"].to_numpy(dtype=np.int64)[idx],
            "suspects": cases["suspects"].to_numpy(dtype=np.int64)[idx],
            **{
                name: _objects(cases[name].to_numpy(dtype=object)[idx])
                for name in ("suspect_ethnicity_recorded", "priority")
            },
            "status": _objects(status),
            "officer_ref": _objects(officer_ref),
            "allocated_date": _objects(allocated),
            "started_date": _objects(started),
            "completed_date": _objects(completed),
            "qa_date": _objects(qa),
            "outcome": _objects(outcome),
            "victim_support": _objects(support),
            "hours_spent": hours.astype(float),
        }
    )

    officers = prog.officers
    on = _dates(officers, "start_date") <= t
    end = _dates(officers, "end_date")
    officer_frame = pd.DataFrame(
        {
            "officer_ref": _objects(refs[on]),
            "team": _objects(officers["team"].to_numpy(dtype=object)[on]),
            "role": _objects(officers["role"].to_numpy(dtype=object)[on]),
            "fte": officers["fte"].to_numpy(dtype=float)[on],
            "start_date": _objects(_dates(officers, "start_date")[on]),
            "end_date": _objects(np.where(end <= t, end, nat)[on]),
        }
    )

    spells = prog.abstractions
    seen = _dates(spells, "from_date") <= t
    abstraction_frame = pd.DataFrame(
        {
            "officer_ref": _objects(refs[spells["officer"].to_numpy()[seen]]),
            "from_date": _objects(_dates(spells, "from_date")[seen]),
            "to_date": _objects(_dates(spells, "to_date")[seen]),
            "reason": _objects(spells["reason"].to_numpy(dtype=object)[seen]),
        }
    )
    return {"cases": case_frame, "officers": officer_frame, "abstractions": abstraction_frame}


def write_extract(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """Write cases.csv, officers.csv and abstractions.csv; cases.csv appears last."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for name, columns in EXTRACT_FILES:
            if name not in frames:
                if name == "abstractions":
                    continue
                raise ValueError(f"write_extract needs a {name!r} table; got {sorted(frames)}")
            missing = [c for c in columns if c not in frames[name].columns]
            if missing:
                raise ValueError(f"the {name} table lacks contract columns {missing}")
            final = folder / f"{name}.csv"
            temp = folder / f".{name}.csv.tmp"
            frames[name].loc[:, list(columns)].to_csv(
                temp,
                index=False,
                na_rep="",
                encoding="utf-8",
                lineterminator="\n",
                date_format="%Y-%m-%d",
            )
            written.append((temp, final))
        for temp, final in written:
            os.replace(temp, final)
    finally:
        for temp, _ in written:
            temp.unlink(missing_ok=True)


def iter_weekly_extracts(
    seed: int = 42, through: date = DEFAULT_THROUGH
) -> Iterator[tuple[date, dict[str, pd.DataFrame]]]:
    """One (as_of, extract) per Friday from the programme's first Friday to `through`."""
    prog = generate_programme(seed, through)
    for as_of in friday_as_ofs(prog.start, through):
        yield as_of, extract_for(prog, as_of)
