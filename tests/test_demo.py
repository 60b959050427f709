"""The synthetic demo programme: contract shape, calibration and a believable story."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reassess import demo
from reassess.config import programme
from reassess.demo import (
    SyntheticProgramme,
    extract_for,
    friday_as_ofs,
    generate_programme,
    iter_weekly_extracts,
    write_extract,
)

FIRST = date(2025, 11, 7)
TARGET = date(2026, 4, 30)
LAST = date(2026, 6, 26)

# The contract, restated here so the generator is checked against the document, not itself.
CASES = [
    "case_ref",
    "reported_date",
    "category",
    "bcu",
    "borough",
    "original_outcome",
    "victims",
    "suspects",
    "suspect_ethnicity_recorded",
    "priority",
    "status",
    "officer_ref",
    "allocated_date",
    "started_date",
    "completed_date",
    "qa_date",
    "outcome",
    "victim_support",
    "hours_spent",
]
OFFICERS = ["officer_ref", "team", "role", "fte", "start_date", "end_date"]
ABSTRACTIONS = ["officer_ref", "from_date", "to_date", "reason"]
STATUSES = ["awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed"]
# status rank from which each field must be present (and before which it must be empty)
FIELD_FROM = {
    "officer_ref": 1,
    "allocated_date": 1,
    "started_date": 2,
    "completed_date": 3,
    "outcome": 3,
    "qa_date": 4,
}
DATE_CHAIN = ["reported_date", "allocated_date", "started_date", "completed_date", "qa_date"]
ENUMS = {
    "category": {
        "organised_group",
        "intra_familial",
        "peer_on_peer",
        "institutional",
        "gang_related",
        "online",
        "other",
    },
    "original_outcome": {
        "charged",
        "nfa_evidential",
        "nfa_victim_declined",
        "nfa_no_suspect",
        "nfa_other",
        "other",
    },
    "suspect_ethnicity_recorded": {"all", "some", "none", "not_applicable"},
    "priority": {"high", "medium", "low"},
    "status": set(STATUSES),
    "victim_support": {"not_assessed", "not_required", "referred", "declined"},
}
OUTCOMES = {
    "no_further_action",
    "reinvestigate",
    "safeguarding_referral",
    "refer_beaconport",
    "linked_live_investigation",
}
ROLES = {
    "detective_sergeant",
    "detective_constable",
    "police_constable",
    "staff_investigator",
    "analyst",
}
REASONS = {"annual_leave", "sickness", "training", "operational_abstraction", "other"}
BCUS = {
    "CN": {"Camden", "Islington"},
    "CE": {"Hackney", "Tower Hamlets"},
    "AS": {"Lambeth", "Southwark"},
    "AW": {"Westminster", "Kensington and Chelsea", "Hammersmith and Fulham"},
    "EA": {"Barking and Dagenham", "Havering", "Redbridge"},
    "NA": {"Enfield", "Haringey"},
    "NE": {"Newham", "Waltham Forest"},
    "NW": {"Barnet", "Brent", "Harrow"},
    "SN": {"Bromley", "Croydon", "Sutton"},
    "SE": {"Bexley", "Greenwich", "Lewisham"},
    "SW": {"Kingston upon Thames", "Merton", "Richmond upon Thames", "Wandsworth"},
    "WA": {"Ealing", "Hillingdon", "Hounslow"},
}
REF = re.compile(r"^[A-Za-z0-9/_-]{1,32}$")
Extract = dict[str, pd.DataFrame]


@pytest.fixture(scope="module")
def prog() -> SyntheticProgramme:
    """The default demo programme, simulated once for the module."""
    return generate_programme(42)


@pytest.fixture(scope="module")
def weekly(prog: SyntheticProgramme) -> list[tuple[date, Extract]]:
    """Every weekly extract of the default programme."""
    return [(as_of, extract_for(prog, as_of)) for as_of in friday_as_ofs(prog.start, LAST)]


def _days(values: pd.Series) -> pd.Series:
    """A column of dates/None as datetime64 with NaT."""
    return pd.to_datetime(values.astype(object), errors="raise")


def _present(values: pd.Series) -> pd.Series:
    """True where a cell holds a value."""
    return values.map(lambda v: v is not None and not (isinstance(v, float) and np.isnan(v)))


def contract_problems(frames: Extract, as_of: date) -> list[str]:
    """Everything in an extract that breaks DATA-CONTRACT v1 or the demo's status rules."""
    problems: list[str] = []
    cases, officers, spells = frames["cases"], frames["officers"], frames["abstractions"]
    now = pd.Timestamp(as_of)
    if list(cases.columns) != CASES:
        problems.append(f"cases columns {list(cases.columns)}")
    if list(officers.columns) != OFFICERS:
        problems.append(f"officers columns {list(officers.columns)}")
    if list(spells.columns) != ABSTRACTIONS:
        problems.append(f"abstractions columns {list(spells.columns)}")
    if cases.empty:
        problems.append("no cases")
    if not cases.case_ref.is_unique or not cases.case_ref.map(REF.match).all():
        problems.append("case_ref not unique or bad characters")
    for column, allowed in ENUMS.items():
        bad = set(cases[column]) - allowed
        if bad:
            problems.append(f"{column} has {bad}")
    if set(cases.outcome.dropna()) - OUTCOMES:
        problems.append("unknown outcome")
    if not all(b in BCUS and br in BCUS[b] for b, br in zip(cases.bcu, cases.borough, strict=True)):
        problems.append("borough outside its bcu")
    if (cases.victims < 1).any() or (cases.suspects < 0).any():
        problems.append("victims < 1 or suspects < 0")
    if ((cases.suspect_ethnicity_recorded == "not_applicable") != (cases.suspects == 0)).any():
        problems.append("not_applicable must go with suspects == 0, and only then")

    rank = cases.status.map(STATUSES.index)
    for column, first in FIELD_FROM.items():
        if (_present(cases[column]) != (rank >= first)).any():
            problems.append(f"{column} present for the wrong statuses")
    if ((cases.victim_support == "not_assessed") != (rank < 3)).any():
        problems.append("victim_support is assessed exactly when the case is")
    chain = [_days(cases[c]) for c in DATE_CHAIN]
    if (chain[0] < pd.Timestamp("2010-01-01")).any() or (chain[0] > now).any():
        problems.append("reported_date out of range")
    last = chain[0]
    for column, values in zip(DATE_CHAIN[1:], chain[1:], strict=True):
        if (values < last).any():
            problems.append(f"{column} before the previous date")
        last = values.fillna(last)
    if (last > now).any():
        problems.append("a date after as_of")
    hours = cases.hours_spent
    if ((hours < 0) | (hours > 500)).any() or (hours.isna() != (rank == 0)).any():
        problems.append("hours_spent out of range or blank for the wrong cases")

    if not officers.officer_ref.is_unique or not officers.officer_ref.map(REF.match).all():
        problems.append("officer_ref not unique or bad characters")
    if not set(cases.officer_ref.dropna()) <= set(officers.officer_ref):
        problems.append("a case's officer is not in officers")
    if set(officers.role) - ROLES or not officers.fte.between(0, 1, inclusive="right").all():
        problems.append("bad role or fte")
    start, end = _days(officers.start_date), _days(officers.end_date)
    if (start > now).any() or (end < start).any() or (end > now).any():
        problems.append("officer dates out of order")
    if not officers.team.map(lambda t: 1 <= len(t) <= 40).all():
        problems.append("team name length")
    if not set(spells.officer_ref) <= set(officers.officer_ref) or set(spells.reason) - REASONS:
        problems.append("abstraction officer or reason")
    if (_days(spells.to_date) < _days(spells.from_date)).any():
        problems.append("abstraction ends before it starts")
    if (_days(spells.from_date) > now).any():
        problems.append("abstraction from the future")
    return problems


def test_friday_as_ofs() -> None:
    fridays = friday_as_ofs(date(2025, 11, 3), LAST)
    assert fridays[0] == FIRST and fridays[-1] == LAST and len(fridays) == 34
    assert all(d.weekday() == 4 for d in fridays)
    assert friday_as_ofs(FIRST, FIRST) == [FIRST]
    assert friday_as_ofs(date(2025, 11, 8), date(2025, 11, 13)) == []


def test_every_weekly_extract_keeps_the_contract(weekly: list[tuple[date, Extract]]) -> None:
    assert len(weekly) == 34
    for as_of, frames in weekly:
        assert contract_problems(frames, as_of) == [], as_of


def test_scope_starts_at_baseline_then_moves_a_little(
    weekly: list[tuple[date, Extract]],
) -> None:
    counts = [len(frames["cases"]) for _, frames in weekly]
    assert counts[0] == programme().baseline_scope
    assert 9200 <= counts[-1] <= 9350
    seen: set[str] = set()
    ever_done: set[str] = set()
    for _, frames in weekly:
        cases = frames["cases"]
        seen |= set(cases.case_ref)
        ever_done |= set(cases.case_ref[cases.completed_date.notna()])
    gone = seen - set(weekly[-1][1]["cases"].case_ref)
    assert 250 <= len(seen) - counts[0] <= 350
    assert 30 <= len(gone) <= 50
    assert not gone & ever_done


def test_half_assessed_at_the_target_date(prog: SyntheticProgramme) -> None:
    at_target = extract_for(prog, TARGET)["cases"]
    at_end = extract_for(prog, LAST)["cases"]
    assert 0.4 <= at_target.completed_date.notna().mean() <= 0.6
    assert 0.75 <= at_end.completed_date.notna().mean() <= 0.85


def test_progress_is_slow_at_christmas(weekly: list[tuple[date, Extract]]) -> None:
    done = {d: int(f["cases"].completed_date.notna().sum()) for d, f in weekly}
    christmas = done[date(2026, 1, 2)] - done[date(2025, 12, 19)]
    december = done[date(2025, 12, 19)] - done[date(2025, 12, 5)]
    assert christmas < 0.75 * december


@pytest.mark.parametrize(
    ("column", "mix"),
    [
        (
            "category",
            {
                "intra_familial": 0.26,
                "peer_on_peer": 0.22,
                "organised_group": 0.17,
                "gang_related": 0.15,
                "institutional": 0.08,
                "online": 0.07,
                "other": 0.05,
            },
        ),
        (
            "original_outcome",
            {
                "nfa_evidential": 0.50,
                "nfa_victim_declined": 0.25,
                "nfa_no_suspect": 0.10,
                "charged": 0.07,
                "nfa_other": 0.05,
                "other": 0.03,
            },
        ),
        ("priority", {"high": 0.15, "medium": 0.45, "low": 0.40}),
    ],
)
def test_case_mix(weekly: list[tuple[date, Extract]], column: str, mix: dict[str, float]) -> None:
    for _, frames in (weekly[0], weekly[-1]):
        shares = frames["cases"][column].value_counts(normalize=True)
        for label, share in mix.items():
            assert abs(shares.get(label, 0.0) - share) <= 0.02, label


def test_outcome_and_victim_support_mix(weekly: list[tuple[date, Extract]]) -> None:
    cases = weekly[-1][1]["cases"]
    done = cases[cases.completed_date.notna()]
    outcome = done.outcome.value_counts(normalize=True)
    expected = {
        "no_further_action": 0.70,
        "reinvestigate": 0.14,
        "safeguarding_referral": 0.08,
        "refer_beaconport": 0.05,
        "linked_live_investigation": 0.03,
    }
    for label, share in expected.items():
        assert abs(outcome.get(label, 0.0) - share) <= 0.03, label
    support = done.victim_support.value_counts(normalize=True)
    for label, share in {"referred": 0.20, "not_required": 0.65, "declined": 0.15}.items():
        assert abs(support.get(label, 0.0) - share) <= 0.03, label
    assert (done.outcome[done.original_outcome == "charged"] != "refer_beaconport").all()


def test_suspects_victims_and_ethnicity(weekly: list[tuple[date, Extract]]) -> None:
    cases = weekly[-1][1]["cases"]
    with_suspects = cases[cases.suspects > 0]
    missing = (with_suspects.suspect_ethnicity_recorded == "none").mean()
    assert abs(missing - 0.65) <= 0.05
    year = with_suspects.reported_date.map(lambda d: d.year)
    old = (with_suspects.suspect_ethnicity_recorded[year <= 2014] == "none").mean()
    recent = (with_suspects.suspect_ethnicity_recorded[year >= 2020] == "none").mean()
    assert old > recent + 0.15
    no_suspect = cases[cases.original_outcome == "nfa_no_suspect"]
    assert (no_suspect.suspects == 0).mean() > 0.7
    groups = cases[cases.category.isin(["organised_group", "gang_related"]) & (cases.suspects > 0)]
    assert groups.suspects.between(2, 6).mean() > 0.9
    small = cases[cases.category.isin(["intra_familial", "peer_on_peer"]) & (cases.suspects > 0)]
    assert small.suspects.between(1, 3).all()
    assert cases.victims.between(1, 3).mean() > 0.8 and 8 <= cases.victims.max() <= 12
    per_year = cases.reported_date.map(lambda d: d.year).value_counts()
    assert per_year.drop(2025).between(500, 700).all()
    assert cases.case_ref.str.match(r"^SYN-20[12]\d-\d{5}$").all()


def test_officers_grow_from_26_to_about_40(weekly: list[tuple[date, Extract]]) -> None:
    first = weekly[0][1]["officers"]
    assert len(first) == programme().initial_team == 26
    assert set(first.start_date) == {programme().programme_start}
    last = weekly[-1][1]["officers"]
    assert 36 <= len(last) <= 44
    assert 36 <= last.end_date.isna().sum() <= 44
    assert 2 <= last.end_date.notna().sum() <= 4
    assert last.officer_ref.str.match(r"^PPO-\d{4}$").all()
    for _, frames in weekly:
        officers = frames["officers"]
        sergeants = officers[officers.role == "detective_sergeant"].groupby("team").size()
        assert (sergeants == 1).all() and set(sergeants.index) == set(officers.team)
        assert officers.groupby("team").size().between(6, 9).all()
    assert last.role.isin(["detective_constable", "staff_investigator"]).mean() > 0.7
    assert (last.fte == 1.0).mean() > 0.6
    assert set(last.team) >= {f"Review Team {n}" for n in range(1, 7)}


def test_dates_never_change_and_status_never_goes_back(
    weekly: list[tuple[date, Extract]],
) -> None:
    fixed = [*DATE_CHAIN, "outcome", "category", "priority", "victims", "suspects"]
    for (_, before), (as_of, after) in zip(weekly, weekly[1:], strict=False):
        both = before["cases"].merge(after["cases"], on="case_ref", suffixes=("_b", "_a"))
        for column in fixed:
            was = both[f"{column}_b"]
            set_before = _present(was)
            assert (was[set_before] == both[f"{column}_a"][set_before]).all(), (as_of, column)
        rank_b = both.status_b.map(STATUSES.index)
        rank_a = both.status_a.map(STATUSES.index)
        assert (rank_a >= rank_b).all(), as_of
        hours_b, hours_a = both.hours_spent_b.fillna(0), both.hours_spent_a.fillna(0)
        assert (hours_a >= hours_b - 1e-9).all(), as_of


def test_officer_changes_only_when_the_officer_leaves(
    weekly: list[tuple[date, Extract]],
) -> None:
    moves = 0
    for (_, before), (as_of, after) in zip(weekly, weekly[1:], strict=False):
        both = before["cases"].merge(after["cases"], on="case_ref", suffixes=("_b", "_a"))
        changed = both[both.officer_ref_b.notna() & (both.officer_ref_b != both.officer_ref_a)]
        officers = after["officers"].set_index("officer_ref")
        for old, new, status in zip(
            changed.officer_ref_b, changed.officer_ref_a, changed.status_b, strict=True
        ):
            assert officers.end_date[old] is not None and officers.end_date[old] <= as_of
            assert officers.end_date[new] is None
            assert officers.team[old] == officers.team[new]
            assert status in {"allocated", "in_assessment"}
        leavers = set(officers.index[officers.end_date.notna()])
        open_cases = after["cases"][after["cases"].status.isin(["allocated", "in_assessment"])]
        assert not set(open_cases.officer_ref) & leavers, as_of
        moves += len(changed)
    assert moves > 0


def test_officers_hold_a_few_cases(weekly: list[tuple[date, Extract]]) -> None:
    for as_of, frames in weekly[4:]:
        cases = frames["cases"]
        queued = cases[cases.status == "allocated"].groupby("officer_ref").size()
        assert queued.max() <= 10, as_of
        opened = cases[cases.status.isin(["allocated", "in_assessment"])]
        assert opened.groupby("officer_ref").size().max() <= 25, as_of


def test_high_priority_goes_first(weekly: list[tuple[date, Extract]]) -> None:
    cases = weekly[8][1]["cases"]
    assert (cases.priority[cases.status == "awaiting_allocation"] == "high").sum() > 0
    assert (cases.priority[cases.status != "awaiting_allocation"] == "high").mean() > 0.99
    cases = weekly[-1][1]["cases"]
    assert set(cases.priority[cases.status == "awaiting_allocation"]) == {"low"}


def test_a_few_cases_are_stuck_in_assessment(weekly: list[tuple[date, Extract]]) -> None:
    as_of, frames = weekly[-1]
    cases = frames["cases"]
    started = _days(cases.started_date)
    stuck = (cases.status == "in_assessment") & (started < pd.Timestamp(as_of - timedelta(90)))
    assert 3 <= stuck.sum() <= 10


def test_qa_follows_completion_within_two_weeks(weekly: list[tuple[date, Extract]]) -> None:
    cases = weekly[-1][1]["cases"]
    done = cases[cases.qa_date.notna()]
    lag = (_days(done.qa_date) - _days(done.completed_date)).dt.days
    assert lag.between(1, 21).all()  # 10 working days, over Christmas


def test_abstraction_takes_15_to_25_percent(weekly: list[tuple[date, Extract]]) -> None:
    as_of, frames = weekly[-1]
    officers, spells = frames["officers"], frames["abstractions"]
    stop = np.datetime64(as_of + timedelta(1))
    employed = sum(
        int(np.busday_count(np.datetime64(s), np.datetime64(e) if e else stop))
        for s, e in zip(officers.start_date, officers.end_date, strict=True)
    )
    away = sum(
        int(np.busday_count(np.datetime64(f), min(np.datetime64(t + timedelta(1)), stop)))
        for f, t in zip(spells.from_date, spells.to_date, strict=True)
    )
    assert 0.15 <= away / employed <= 0.25
    christmas = spells[
        (spells.from_date <= date(2025, 12, 23)) & (spells.to_date >= date(2025, 12, 23))
    ]
    assert len(christmas) > 0.4 * 26
    assert set(spells.reason) == REASONS


def test_people_join_the_extract_when_they_start(prog: SyntheticProgramme) -> None:
    before = extract_for(prog, date(2026, 1, 30))
    after = extract_for(prog, date(2026, 2, 6))
    new = set(after["officers"].officer_ref) - set(before["officers"].officer_ref)
    assert len(new) >= 6
    assert not new & set(before["abstractions"].officer_ref)


def test_write_extract_files(tmp_path: Path, weekly: list[tuple[date, Extract]]) -> None:
    as_of, frames = weekly[10]
    folder = tmp_path / "nested" / as_of.isoformat()
    write_extract(frames, folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "abstractions.csv",
        "cases.csv",
        "officers.csv",
    ]
    for name, header in (("cases", CASES), ("officers", OFFICERS), ("abstractions", ABSTRACTIONS)):
        text = (folder / f"{name}.csv").read_bytes().decode("utf-8")
        assert text.split("\n", 1)[0] == ",".join(header)
        back = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        assert len(back) == len(frames[name])
        for column in back.columns:
            if column.endswith("_date"):
                filled = back[column][back[column] != ""]
                assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), column
    cases = pd.read_csv(folder / "cases.csv", dtype=str, keep_default_na=False)
    waiting = cases[cases.status == "awaiting_allocation"]
    assert (waiting.officer_ref == "").all() and (waiting.hours_spent == "").all()


def test_write_extract_refuses_a_missing_table(
    tmp_path: Path, weekly: list[tuple[date, Extract]]
) -> None:
    frames = dict(weekly[0][1])
    del frames["officers"]
    with pytest.raises(ValueError, match="officers"):
        write_extract(frames, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    through = date(2026, 1, 9)
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        write_extract(extract_for(generate_programme(seed, through), through), tmp_path / name)
    for file in ("cases.csv", "officers.csv", "abstractions.csv"):
        same = (tmp_path / "a" / file).read_bytes()
        assert same == (tmp_path / "b" / file).read_bytes()
        assert same != (tmp_path / "c" / file).read_bytes()


def test_iter_weekly_extracts() -> None:
    weeks = list(iter_weekly_extracts(seed=3, through=date(2025, 11, 27)))
    assert [d for d, _ in weeks] == [date(2025, 11, 7), date(2025, 11, 14), date(2025, 11, 21)]
    assert all(contract_problems(frames, d) == [] for d, frames in weeks)


def test_extract_outside_the_timeline_is_refused(prog: SyntheticProgramme) -> None:
    with pytest.raises(ValueError, match="outside the simulated programme"):
        extract_for(prog, LAST + timedelta(1))
    with pytest.raises(ValueError, match="before the programme start"):
        generate_programme(1, date(2025, 1, 1))


def test_source_uses_careful_words() -> None:
    text = Path(demo.__file__).read_text(encoding="utf-8").lower()
    for word in ("prostitute", "consenting", "promiscuous", "putting themselves at risk"):
        assert word not in text
