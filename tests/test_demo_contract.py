"""The demo's extracts keep the contract, v1 and its v2 additions, checked from the CSVs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from reassess.demo import write_demo_extracts
from reassess.snapshot.ingest import ingest
from tests.demo_weeks import (
    FIRST_FRIDAY,
    FULL_THROUGH,
    V2_FROM,
    Week,
    days,
    load_week,
    numbers,
    status_rank,
)

pytestmark = pytest.mark.slow

# DATA-CONTRACT.md, restated here so the generator is checked against the document.
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
REINVESTIGATIONS = [
    "investigation_ref",
    "case_ref",
    "referred_date",
    "stage",
    "victim_consent",
    "lead_officer_ref",
    "opened_date",
    "suspects_identified",
    "suspects_arrested",
    "suspects_charged",
    "isva",
    "closed_date",
    "closure_outcome",
    "hours_spent",
]
FIELD_FROM = {  # status rank from which each field is present, and before which it is empty
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
    "status": {"awaiting_allocation", "allocated", "in_assessment", "awaiting_qa", "assessed"},
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
STAGES = [
    "awaiting_contact",
    "victim_engaged",
    "investigating",
    "charging_decision",
    "charged",
    "closed",
]
CONSENT = {"pending", "given", "declined", "not_contactable"}
ISVA = {"not_offered", "offered", "accepted", "declined"}
CLOSURES = {
    "charged_all",
    "charged_some",
    "nfa_evidential",
    "nfa_victim_withdrew",
    "linked_to_other",
    "other",
}
REF = re.compile(r"^[A-Za-z0-9/_-]{1,32}$")


def case_problems(week: Week) -> list[str]:
    """Everything in an extract's cases, officers and abstractions that breaks contract v1."""
    problems: list[str] = []
    cases, officers, spells = week.cases, week.officers, week.abstractions
    now = pd.Timestamp(week.as_of)
    if list(cases.columns) != CASES:
        problems.append(f"cases columns {list(cases.columns)}")
    if cases.empty or not cases.case_ref.is_unique or not cases.case_ref.str.fullmatch(REF).all():
        problems.append("case_ref empty, not unique or bad characters")
    for column, allowed in ENUMS.items():
        if set(cases[column]) - allowed:
            problems.append(f"{column} has {set(cases[column]) - allowed}")
    if set(cases.outcome) - OUTCOMES - {""}:
        problems.append("unknown outcome")
    pairs = {f"{bcu}|{borough}" for bcu, boroughs in BCUS.items() for borough in boroughs}
    if not (cases.bcu + "|" + cases.borough).isin(pairs).all():
        problems.append("borough outside its bcu")
    victims, suspects = cases.victims.astype(int), cases.suspects.astype(int)
    if (victims < 1).any() or (suspects < 0).any():
        problems.append("victims < 1 or suspects < 0")
    if ((cases.suspect_ethnicity_recorded == "not_applicable") != (suspects == 0)).any():
        problems.append("not_applicable must go with suspects == 0, and only then")
    rank = status_rank(cases.status)
    for column, first in FIELD_FROM.items():
        if ((cases[column] != "") != (rank >= first)).any():
            problems.append(f"{column} present for the wrong statuses")
    if ((cases.victim_support == "not_assessed") != (rank < 3)).any():
        problems.append("victim_support is assessed exactly when the case is")
    chain = [days(cases[c]) for c in DATE_CHAIN]
    if (chain[0] < pd.Timestamp("2010-01-01")).any() or (chain[0] > now).any():
        problems.append("reported_date out of range")
    last = chain[0]
    for column, values in zip(DATE_CHAIN[1:], chain[1:], strict=True):
        if (values < last).any():
            problems.append(f"{column} before the date before it")
        last = values.fillna(last)
    if (last > now).any():
        problems.append("a date after as_of")
    hours = numbers(cases.hours_spent)
    if ((hours < 0) | (hours > 500)).any():
        problems.append("hours_spent out of range")

    if list(officers.columns[:6]) != OFFICERS:
        problems.append(f"officers columns {list(officers.columns)}")
    if not officers.officer_ref.is_unique or not officers.officer_ref.str.fullmatch(REF).all():
        problems.append("officer_ref not unique or bad characters")
    if not set(cases.officer_ref) - {""} <= set(officers.officer_ref):
        problems.append("a case's officer is not in officers")
    fte = officers.fte.astype(float)
    if set(officers.role) - ROLES or not ((fte > 0) & (fte <= 1)).all():
        problems.append("bad role or fte")
    start, end = days(officers.start_date), days(officers.end_date)
    if (start > now).any() or (end < start).any():
        problems.append("officer dates out of order")
    if not officers.team.str.len().between(1, 40).all():
        problems.append("team name length")
    if list(spells.columns) != ABSTRACTIONS:
        problems.append(f"abstractions columns {list(spells.columns)}")
    if not set(spells.officer_ref) <= set(officers.officer_ref) or set(spells.reason) - REASONS:
        problems.append("abstraction officer or reason")
    if (days(spells.to_date) < days(spells.from_date)).any():
        problems.append("abstraction ends before it starts")
    return problems


def reinvestigation_problems(week: Week) -> list[str]:
    """Everything in an extract's reinvestigations that breaks the contract's v2 additions."""
    ri, cases, officers = week.reinvestigations, week.cases, week.officers
    assert ri is not None
    problems: list[str] = []
    now = pd.Timestamp(week.as_of)
    if list(ri.columns) != REINVESTIGATIONS:
        problems.append(f"columns {list(ri.columns)}")
    if not ri.investigation_ref.is_unique or not ri.investigation_ref.str.fullmatch(REF).all():
        problems.append("investigation_ref not unique or bad characters")
    if not ri.case_ref.is_unique:
        problems.append("more than one reinvestigation for a case")
    case = cases.set_index("case_ref")
    if not ri.case_ref.isin(case.index).all():
        problems.append("case_ref not in cases")
        return problems
    if (case.outcome[ri.case_ref] != "reinvestigate").any():
        problems.append("a reinvestigation of a case whose outcome is not reinvestigate")
    referred = days(ri.referred_date)
    completed = days(case.completed_date[ri.case_ref]).to_numpy()
    if (referred.to_numpy() < completed).any() or (referred > now).any():
        problems.append("referred_date before the case's completed_date or after as_of")
    if set(ri.stage) - set(STAGES) or set(ri.victim_consent) - CONSENT or set(ri.isva) - ISVA:
        problems.append("stage, victim_consent or isva not in the contract's values")
    stage = ri.stage.map(STAGES.index)
    opened = ri.opened_date != ""
    investigating = stage.between(2, 4)
    if ((ri.victim_consent != "given") & (investigating | opened)).any():
        problems.append("beyond victim_engaged without consent given")
    if (investigating & ~opened).any() or ((stage < 2) & opened).any():
        problems.append("opened_date present for the wrong stages")
    if (opened != (ri.lead_officer_ref != "")).any():
        problems.append("lead_officer_ref present exactly when opened")
    leads = ri.lead_officer_ref[opened]
    workstream = officers.set_index("officer_ref").get("workstream")
    if not leads.isin(officers.officer_ref).all():
        problems.append("lead officer not in officers")
    elif workstream is not None and (workstream[leads] != "reinvestigation").any():
        problems.append("a lead officer outside the reinvestigation workstream")
    open_day = days(ri.opened_date)
    if (open_day < referred).any():
        problems.append("opened before referred")
    closed = ri.stage == "closed"
    if ((ri.closed_date != "") != closed).any() or ((ri.closure_outcome != "") != closed).any():
        problems.append("closed_date and closure_outcome present exactly when closed")
    if set(ri.closure_outcome) - CLOSURES - {""}:
        problems.append("unknown closure_outcome")
    close_day = days(ri.closed_date)
    if (close_day < open_day.fillna(referred)).any() or (close_day > now).any():
        problems.append("closed before opened (or referred) or after as_of")
    ident = ri.suspects_identified.astype(int)
    arrested = ri.suspects_arrested.astype(int)
    charged = ri.suspects_charged.astype(int)
    if (ident < 0).any() or (arrested > ident).any() or (charged > arrested).any():
        problems.append("suspect counts not 0 <= charged <= arrested <= identified")
    if ((ri.stage == "charged") & (charged == 0)).any():
        problems.append("a charged reinvestigation with nobody charged")
    hours = numbers(ri.hours_spent)
    if ((hours < 0) | (hours > 5000)).any():
        problems.append("hours_spent out of range")
    return problems


def test_a_weekly_extract_every_friday(demo_weeks: list[Week]) -> None:
    fridays = [w.as_of for w in demo_weeks]
    assert fridays[0] == FIRST_FRIDAY and fridays[-1] == FULL_THROUGH
    assert all(b - a == pd.Timedelta(days=7) for a, b in zip(fridays, fridays[1:], strict=False))
    assert all(d.weekday() == 4 for d in fridays)


def test_every_extract_keeps_contract_v1(demo_weeks: list[Week]) -> None:
    for week in demo_weeks:
        assert case_problems(week) == [], week.as_of


def test_v2_begins_on_9_january_2026_with_earlier_referrals(demo_weeks: list[Week]) -> None:
    for week in demo_weeks:
        v2 = week.as_of >= V2_FROM
        assert (week.reinvestigations is not None) == v2, week.as_of
        assert ("workstream" in week.officers.columns) == v2, week.as_of
        if not v2:
            assert list(week.officers.columns) == OFFICERS
    first = next(w for w in demo_weeks if w.reinvestigations is not None)
    assert first.as_of == V2_FROM
    assert first.reinvestigations is not None
    assert (
        days(first.reinvestigations.referred_date) < pd.Timestamp(date(2025, 12, 19))
    ).sum() > 10
    # The reinvestigation workstream first appears with the v2 columns, never in a v1 extract.
    assert set(first.officers.workstream) == {"assessment", "reinvestigation"}


def test_every_v2_extract_keeps_the_reinvestigation_rules(demo_weeks: list[Week]) -> None:
    for week in demo_weeks:
        if week.reinvestigations is not None:
            assert reinvestigation_problems(week) == [], week.as_of


def test_references_are_synthetic(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    assert last.cases.case_ref.str.fullmatch(r"SYN-20[12]\d-\d{5}").all()
    assert last.officers.officer_ref.str.fullmatch(r"PPO-\d{4}").all()
    assert last.reinvestigations is not None
    assert last.reinvestigations.investigation_ref.str.fullmatch(r"SYN-RI-\d{5}").all()


@pytest.mark.parametrize("as_of", [FIRST_FRIDAY, V2_FROM, FULL_THROUGH])
def test_the_real_ingest_accepts_the_extract(
    demo_extracts: Path, tmp_path: Path, as_of: date
) -> None:
    result = ingest(demo_extracts / as_of.isoformat(), as_of, tmp_path, synthetic=True)
    assert result.cases == len(pd.read_csv(demo_extracts / as_of.isoformat() / "cases.csv"))


def test_the_source_uses_careful_words() -> None:
    root = Path(__file__).resolve().parent.parent / "reassess" / "demo"
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("prostitute", "consenting", "promiscuous", "putting themselves at risk"):
            assert word not in text, path.name


@pytest.mark.parametrize("seed", [1001])
def test_other_seeds_keep_the_contract_too(tmp_path: Path, seed: int) -> None:
    """Another seed's programme, every fourth week to the summer, v1 and v2 rules."""
    written = write_demo_extracts(tmp_path, seed=seed, through=date(2026, 6, 26))
    for as_of in written[::4] + [written[-1]]:
        week = load_week(tmp_path / as_of.isoformat())
        assert case_problems(week) == [], (seed, as_of)
        if week.reinvestigations is not None:
            assert reinvestigation_problems(week) == [], (seed, as_of)
