"""The reinvestigation phase of the demo (contract v2), believable week by week, from the CSVs."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from tests.demo_weeks import V2_FROM, Week, days

pytestmark = pytest.mark.slow

STAGES = [
    "awaiting_contact",
    "victim_engaged",
    "investigating",
    "charging_decision",
    "charged",
    "closed",
]
COUNTS = ["suspects_identified", "suspects_arrested", "suspects_charged"]


def v2(weeks: list[Week]) -> list[Week]:
    return [w for w in weeks if w.reinvestigations is not None]


def test_every_referral_becomes_a_reinvestigation(demo_weeks: list[Week]) -> None:
    for week in v2(demo_weeks):
        cases = week.cases
        ri = week.reinvestigations
        assert ri is not None
        signed = cases[(cases.outcome == "reinvestigate") & (cases.status == "assessed")]
        settled = signed[days(signed.qa_date) <= pd.Timestamp(week.as_of - timedelta(days=7))]
        assert set(settled.case_ref) <= set(ri.case_ref), week.as_of
        lag = (
            days(ri.referred_date)
            - days(cases.set_index("case_ref").qa_date[ri.case_ref]).to_numpy()
        )
        assert lag.dt.days.between(0, 14).all(), week.as_of  # a few working days


def test_nothing_goes_backwards_between_weeks(demo_weeks: list[Week]) -> None:
    weeks = v2(demo_weeks)
    for before, after in zip(weeks, weeks[1:], strict=False):
        assert before.reinvestigations is not None and after.reinvestigations is not None
        both = before.reinvestigations.merge(
            after.reinvestigations, on="investigation_ref", suffixes=("_b", "_a")
        )
        assert len(both) == len(before.reinvestigations), after.as_of  # none vanishes
        stage_b, stage_a = both.stage_b.map(STAGES.index), both.stage_a.map(STAGES.index)
        assert (stage_a >= stage_b).all(), after.as_of
        for column in COUNTS:
            assert (both[f"{column}_a"].astype(int) >= both[f"{column}_b"].astype(int)).all()
        for column in ("case_ref", "referred_date", "opened_date", "lead_officer_ref"):
            was = both[f"{column}_b"]
            assert (was[was != ""] == both[f"{column}_a"][was != ""]).all(), (after.as_of, column)
        decided = both.victim_consent_b != "pending"
        assert (both.victim_consent_b[decided] == both.victim_consent_a[decided]).all()


def test_the_funnel_fills_over_the_months(demo_weeks: list[Week]) -> None:
    weeks = v2(demo_weeks)
    opened = [int((w.reinvestigations.opened_date != "").sum()) for w in weeks]  # type: ignore[union-attr]
    assert opened[0] < 10 and opened[-1] >= 150
    last = weeks[-1].reinvestigations
    assert last is not None
    assert len(last) >= 1000
    decided = last.victim_consent[last.victim_consent != "pending"]
    assert 0.5 <= (decided == "given").mean() <= 0.85
    assert {"declined", "not_contactable"} <= set(decided)
    counts = last[COUNTS].astype(int).sum()
    assert counts.suspects_identified > counts.suspects_arrested > counts.suspects_charged > 0
    assert counts.suspects_arrested >= 50
    assert set(last.stage) == set(STAGES) - {"awaiting_contact"} or set(last.stage) == set(STAGES)
    assert last.closure_outcome.replace("", None).dropna().nunique() >= 4


def test_reinvestigation_takes_months(demo_weeks: list[Week]) -> None:
    last = v2(demo_weeks)[-1].reinvestigations
    assert last is not None
    referred, opened, closed = (
        days(last.referred_date),
        days(last.opened_date),
        days(last.closed_date),
    )
    assert (opened - referred).dt.days.median() >= 56
    worked = last[last.closure_outcome.isin(["charged_all", "charged_some", "nfa_evidential"])]
    span = (days(worked.closed_date) - days(worked.opened_date)).dt.days
    assert span.median() >= 90
    # Nobody is charged within weeks of an investigation opening; most charges take half a year.
    first_charged: dict[str, date] = {}
    for week in v2(demo_weeks):
        ri = week.reinvestigations
        assert ri is not None
        for ref in ri.investigation_ref[ri.suspects_charged.astype(int) > 0]:
            first_charged.setdefault(ref, week.as_of)
    opened_on = dict(zip(last.investigation_ref, days(last.opened_date), strict=True))
    waits = [(pd.Timestamp(d) - opened_on[ref]).days for ref, d in first_charged.items()]
    assert len(waits) >= 5 and min(waits) >= 56 and pd.Series(waits).median() >= 120
    assert closed.notna().sum() > 0


def test_some_victims_wait_past_eight_weeks_for_contact(demo_weeks: list[Week]) -> None:
    waits = []
    for week in v2(demo_weeks):
        ri = week.reinvestigations
        assert ri is not None
        waiting = ri[ri.stage == "awaiting_contact"]
        long = (days(waiting.referred_date) < pd.Timestamp(week.as_of - timedelta(weeks=8))).sum()
        waits.append((week.as_of, int(long), len(ri)))
    assert max(n for _, n, _ in waits) >= 10
    assert all(n <= 0.4 * total for _, n, total in waits)  # some, not most
    assert all(n < 10 for d, n, _ in waits[-8:])  # and the workstream catches up


def test_victims_are_offered_isvas(demo_weeks: list[Week]) -> None:
    last = v2(demo_weeks)[-1].reinvestigations
    assert last is not None
    isva = last.isva.value_counts()
    assert {"offered", "accepted", "declined", "not_offered"} <= set(isva.index)
    assert isva["accepted"] > isva["declined"]
    # Nobody is offered an ISVA before anyone has reached them.
    assert (last.isva[last.stage == "awaiting_contact"] == "not_offered").all()


def test_the_workstream_grows_in_waves_and_leads_carry_a_few(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    team = last.officers[last.officers.workstream == "reinvestigation"]
    starts = sorted(set(team.start_date))
    assert len(starts) >= 4 and starts[0] == "2026-01-05"
    heads = [
        int((w.officers.get("workstream", pd.Series(dtype=str)) == "reinvestigation").sum())
        for w in demo_weeks
    ]
    assert heads == sorted(heads) and heads[-1] >= 30
    assert all(h == 0 for w, h in zip(demo_weeks, heads, strict=True) if w.as_of < V2_FROM)
    for week in v2(demo_weeks):
        ri = week.reinvestigations
        assert ri is not None
        active = ri[ri.stage.isin(["investigating", "charging_decision"])]
        assert active.groupby("lead_officer_ref").size().max() <= 6 if len(active) else True
        # assessment officers never lead a reinvestigation
        workstream = week.officers.set_index("officer_ref").workstream
        assert (
            workstream[ri.lead_officer_ref[ri.lead_officer_ref != ""]] == "reinvestigation"
        ).all()


def test_the_reinvestigation_runs_on_to_today(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    ri = last.reinvestigations
    assert ri is not None
    recent = pd.Timestamp(last.as_of - timedelta(weeks=8))
    assert (days(ri.opened_date) > recent).sum() >= 5
    assert (days(ri.closed_date) > recent).sum() >= 5
    assert last.as_of >= date(2026, 11, 27)
