"""The records the review must assess: every synthetic case that exists, drawn once.

The "universe" is every record the searches will ever turn up: the baseline scope on day one
and a pool of records not yet found, which the weekly scope searches (``scope.py``) bring in.
Each record's attributes, including how hard it will be to assess, are properties of the file
itself and are drawn once, in week 0, from their own random stream; nothing about *when* things
happen to a record is decided here.

Case references are ``SYN-<year>-<nnnnn>``, numbered within the year the allegation was
recorded, so nothing can be mistaken for a real crime reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from reassess.demo.calendar import Stream, week_rng

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

# Demo mixes (assumptions, CALIBRATION.md): exact shares are dealt over all records, shuffled.
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
# Demo assumption: the priority mix the review's triage set (CALIBRATION gives none).
PRIORITY_MIX: tuple[tuple[str, float], ...] = (("high", 0.15), ("medium", 0.45), ("low", 0.40))
# Among cases with a suspect (CALIBRATION: none ~65%); older records are worse.
ETHNICITY_NONE_SHARE = 0.65
# CALIBRATION's assessment outcome mix; reinvestigate and safeguarding come from config.
BEACONPORT_SHARE = 0.05
LINKED_LIVE_SHARE = 0.03
# Demo assumption: of assessed cases, 20% (config) referred to victim support, 15% declined.
VICTIM_SUPPORT_DECLINED_SHARE = 0.15

# Effort (demo assumption): hours of assessment work a record needs, lognormal around a
# median that grows with the kind of case, its age, and how many people it concerns. Most
# take most of a working day; organised-group and institutional records, and old paper
# files, take two or three; the largest take a week.
EFFORT_MEDIAN_HOURS = 3.0
EFFORT_SIGMA = 0.27
CATEGORY_EFFORT: dict[str, float] = {
    "organised_group": 1.3,
    "institutional": 1.35,
    "gang_related": 1.08,
    "intra_familial": 1.0,
    "peer_on_peer": 0.92,
    "online": 0.88,
    "other": 0.9,
}
EFFORT_PER_YEAR_OF_AGE = 0.035  # an older record's files are on paper, partial, or archived
EFFORT_PER_EXTRA_VICTIM = 0.05
EFFORT_PER_SUSPECT = 0.03
EFFORT_MAX_HOURS = 60.0
# The desk-top sweep (demo assumption): a record whose original investigation charged or ended
# otherwise than NFA, or a single-victim, single-suspect record closed for want of a suspect or
# for another reason, needs only a check that nothing was missed: about two hours. The team swept these first while files came from archive.
SWEEP_MEDIAN_HOURS = 1.8
SWEEP_SIGMA = 0.3
SWEEP_CATEGORIES_EXCLUDED = frozenset({"organised_group", "institutional"})

# Scope (demo assumption): records not in the baseline, found by the searches in the first
# months (scope.py decides when); a linked series from one children's home comes in together.
HIDDEN_RECORDS = 330
SERIES_RECORDS = 30
SERIES_BOROUGH = ("SE", "Lewisham")
SERIES_YEARS = (2011, 2014)
# Cases parked for months awaiting material from another agency (so some go stale, > 90 days).
STUCK_RECORDS = 7
# Demo assumption: the latest allegation in scope (Beaconport's window ends 31 March 2025).
LATEST_REPORTED = date(2025, 3, 31)

# Demo assumptions: how many suspects and victims a record concerns.
GROUP_SUSPECTS_MEAN_EXTRA = 1.4  # organised-group and gang records: 2 + Poisson, at most 10
SMALL_SUSPECTS_CHANCE = 0.3  # intra-familial, peer, online, other: 1 + Binomial(2, this)
OTHER_SUSPECTS_MEAN_EXTRA = 1.0  # institutional: 1 + Poisson, at most 6
NO_SUSPECT_CHANCE = {"nfa_no_suspect": 0.85}  # else 1%
VICTIMS_GEOMETRIC = {"organised_group": 0.40, "institutional": 0.40}  # else 0.58
MAX_VICTIMS = (10, 12)
# Demo assumptions: the triage score that sets priority (highest scores are high priority).
PRIORITY_CATEGORY_WEIGHT = {"organised_group": 0.4, "institutional": 0.4, "gang_related": 0.2}
PRIORITY_VICTIMS_WEIGHT = 0.2  # x log(victims)
PRIORITY_RECENT_WEIGHT = 0.25  # recorded in the last five years
PRIORITY_DECLINED_WEIGHT = 0.2  # the victim had withdrawn support (nfa_victim_declined)
PRIORITY_NOISE = 0.6
# Demo assumptions: what makes an assessment find new lines of enquiry (reinvestigate).
FINDING_PRIORITY_WEIGHT = {"high": 0.8, "medium": 0.3, "low": 0.0}
FINDING_RECENT_WEIGHT = 0.25  # recorded in the last eight years
FINDING_GROUP_WEIGHT = 0.2  # organised-group or gang records
FINDING_SWEEP_WEIGHT = -1.5  # a desk-top check rarely finds anything
FINDING_NOISE = 1.0


@dataclass(frozen=True, eq=False)
class CaseBook:
    """Every record that exists, one array element per record, in case_ref order."""

    ref: np.ndarray  # object
    reported: np.ndarray  # int64 day numbers
    category: np.ndarray  # object
    bcu: np.ndarray
    borough: np.ndarray
    original_outcome: np.ndarray
    victims: np.ndarray  # int64
    suspects: np.ndarray  # int64
    ethnicity: np.ndarray
    priority: np.ndarray
    effort: np.ndarray  # float64 hours
    sweep: np.ndarray  # bool: a desk-top check
    finding: np.ndarray  # object: the outcome the assessment will reach
    support: np.ndarray  # object: the victim-support decision it will record
    baseline: np.ndarray  # bool: in scope on the first day
    hidden_order: np.ndarray  # int64: order in which searches find a hidden record (-1: baseline)
    series: np.ndarray  # bool: one of the linked children's-home series
    stuck: np.ndarray  # bool: will wait months for material from another agency

    def __len__(self) -> int:
        return len(self.ref)


def exact_labels(rng: np.random.Generator, n: int, mix: Sequence[tuple[str, float]]) -> np.ndarray:
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


def ranked_labels(
    score: np.ndarray, mix: Sequence[tuple[str, float]], mask: np.ndarray | None = None
) -> np.ndarray:
    """Labels dealt by descending score in exactly the mix's shares (within `mask`)."""
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


def _top_share(score: np.ndarray, share: float, n_total: int, mask: np.ndarray) -> np.ndarray:
    """A mask of the highest-scoring records within `mask`, share * n_total of them."""
    idx = np.flatnonzero(mask)
    k = min(len(idx), int(round(share * n_total)))
    chosen = idx[np.argsort(-score[idx], kind="stable")[:k]]
    out = np.zeros(len(score), dtype=bool)
    out[chosen] = True
    return out


def make_casebook(
    seed: int,
    baseline_scope: int,
    scope_from_year: int,
    reinvestigate_share: float,
    safeguarding_share: float,
    victim_support_share: float,
) -> CaseBook:
    """Every record that exists: the baseline scope and the records the searches will find."""
    rng = week_rng(seed, 0, Stream.UNIVERSE)
    n = baseline_scope + HIDDEN_RECORDS
    first = date(scope_from_year, 1, 1).toordinal()
    last = LATEST_REPORTED.toordinal()
    reported = np.sort(rng.integers(first, last + 1, n)).astype(np.int64)

    category = exact_labels(rng, n, CATEGORY_MIX)
    original = exact_labels(rng, n, ORIGINAL_OUTCOME_MIX)
    pick = rng.choice(len(BOROUGHS), size=n, p=_weights([w for _, _, w in BOROUGHS]))
    bcu = np.array([BOROUGHS[i][0] for i in pick], dtype=object)
    borough = np.array([BOROUGHS[i][1] for i in pick], dtype=object)

    # The children's-home series: hidden records from one borough, recorded over four years.
    years = np.array([date.fromordinal(int(d)).year for d in reported])
    in_years = np.flatnonzero((years >= SERIES_YEARS[0]) & (years <= SERIES_YEARS[1]))
    series_idx = np.sort(rng.choice(in_years, size=SERIES_RECORDS, replace=False))
    series = np.zeros(n, dtype=bool)
    series[series_idx] = True
    category[series_idx] = "institutional"
    bcu[series_idx], borough[series_idx] = SERIES_BOROUGH
    original[series_idx] = rng.choice(["nfa_evidential", "nfa_victim_declined"], SERIES_RECORDS)

    group = np.isin(category, ["organised_group", "gang_related"])
    small = np.isin(category, ["intra_familial", "peer_on_peer", "online", "other"])
    suspects = np.where(
        group,
        2 + np.minimum(rng.poisson(GROUP_SUSPECTS_MEAN_EXTRA, n), 8),
        np.where(
            small,
            1 + rng.binomial(2, SMALL_SUSPECTS_CHANCE, n),
            1 + np.minimum(rng.poisson(OTHER_SUSPECTS_MEAN_EXTRA, n), 5),
        ),
    )
    no_suspect = np.array([NO_SUSPECT_CHANCE.get(o, 0.01) for o in original])
    suspects = np.where(rng.random(n) < no_suspect, 0, suspects).astype(np.int64)
    victims = np.where(
        np.isin(category, list(VICTIMS_GEOMETRIC)),
        rng.geometric(VICTIMS_GEOMETRIC["organised_group"], n),
        rng.geometric(0.58, n),
    )
    cap = MAX_VICTIMS[0] + rng.integers(0, MAX_VICTIMS[1] - MAX_VICTIMS[0] + 1, n)
    victims = np.minimum(victims, cap).astype(np.int64)

    age = (last - reported) / 365.25
    has_suspect = suspects > 0
    ethnicity = ranked_labels(
        age / 15 + rng.normal(0, 0.7, n),
        (
            ("none", ETHNICITY_NONE_SHARE),
            ("some", (1 - ETHNICITY_NONE_SHARE) / 2),
            ("all", (1 - ETHNICITY_NONE_SHARE) / 2),
        ),
        has_suspect,
    )
    recorded = np.flatnonzero(np.isin(ethnicity, ["some", "all"]))
    ethnicity[recorded] = rng.permutation(ethnicity[recorded])
    ethnicity[~has_suspect] = "not_applicable"

    score = (
        np.array([PRIORITY_CATEGORY_WEIGHT.get(c, 0.0) for c in category])
        + PRIORITY_VICTIMS_WEIGHT * np.log(victims)
        + PRIORITY_RECENT_WEIGHT * (age < 5)
        + PRIORITY_DECLINED_WEIGHT * (original == "nfa_victim_declined")
        + rng.normal(0, PRIORITY_NOISE, n)
    )
    priority = ranked_labels(score, PRIORITY_MIX)

    single = (victims == 1) & (suspects <= 1)
    sweep = (
        (original == "charged")
        | (original == "other")
        | (np.isin(original, ["nfa_no_suspect", "nfa_other"]) & single)
    ) & ~np.isin(category, list(SWEEP_CATEGORIES_EXCLUDED))
    sweep &= ~series
    effort = EFFORT_MEDIAN_HOURS * np.exp(rng.normal(0, EFFORT_SIGMA, n))
    effort *= np.array([CATEGORY_EFFORT[c] for c in category])
    effort *= 1 + EFFORT_PER_YEAR_OF_AGE * age
    effort *= 1 + EFFORT_PER_EXTRA_VICTIM * (victims - 1) + EFFORT_PER_SUSPECT * suspects
    quick = SWEEP_MEDIAN_HOURS * np.exp(rng.normal(0, SWEEP_SIGMA, n))
    effort = np.clip(np.where(sweep, quick, effort), 0.5, EFFORT_MAX_HOURS)

    # What each assessment will find: reinvestigation more often for serious, recent cases.
    serious = (
        np.array([FINDING_PRIORITY_WEIGHT[p] for p in priority])
        + FINDING_RECENT_WEIGHT * (age < 8)
        + FINDING_GROUP_WEIGHT * group
        + FINDING_SWEEP_WEIGHT * sweep
        + rng.normal(0, FINDING_NOISE, n)
    )
    finding = np.full(n, "no_further_action", dtype=object)
    free = np.ones(n, dtype=bool)
    for label, share, key in (
        ("reinvestigate", reinvestigate_share, serious),
        ("safeguarding_referral", safeguarding_share, 0.3 * np.log(victims) + rng.random(n)),
        ("linked_live_investigation", LINKED_LIVE_SHARE, rng.random(n)),
    ):
        chosen = _top_share(key, share, n, free)
        finding[chosen] = label
        free &= ~chosen
    nfa_original = np.char.startswith(original.astype(str), "nfa_")
    chosen = _top_share(rng.random(n), BEACONPORT_SHARE, n, free & nfa_original)
    finding[chosen] = "refer_beaconport"

    support = np.full(n, "not_required", dtype=object)
    v = rng.random(n)
    support[v < victim_support_share] = "referred"
    declined = (v >= victim_support_share) & (
        v < victim_support_share + VICTIM_SUPPORT_DECLINED_SHARE
    )
    support[declined] = "declined"

    refs = np.empty(n, dtype=object)
    for year in np.unique(years):
        idx = np.flatnonzero(years == year)
        numbers = np.cumsum(rng.integers(1, 4, len(idx)))
        refs[idx] = [f"SYN-{year}-{k:05d}" for k in numbers]

    # Which records are not yet in scope, and in what order the searches will find them.
    others = np.setdiff1d(np.arange(n), series_idx)
    hidden = rng.choice(others, size=HIDDEN_RECORDS - SERIES_RECORDS, replace=False)
    baseline = np.ones(n, dtype=bool)
    baseline[hidden] = False
    baseline[series_idx] = False
    hidden_order = np.full(n, -1, dtype=np.int64)
    hidden_order[rng.permutation(hidden)] = np.arange(len(hidden))

    eligible = np.flatnonzero(baseline & (priority == "high") & ~sweep)
    stuck = np.zeros(n, dtype=bool)
    stuck[rng.choice(eligible, size=STUCK_RECORDS, replace=False)] = True

    return CaseBook(
        ref=refs,
        reported=reported,
        category=category,
        bcu=bcu,
        borough=borough,
        original_outcome=original,
        victims=victims,
        suspects=suspects,
        ethnicity=ethnicity,
        priority=priority,
        effort=effort,
        sweep=sweep,
        finding=finding,
        support=support,
        baseline=baseline,
        hidden_order=hidden_order,
        series=series,
        stuck=stuck,
    )


def _weights(values: Sequence[float]) -> np.ndarray:
    """Relative weights as probabilities."""
    w = np.asarray(values, dtype=float)
    return w / w.sum()
