"""The demo against CALIBRATION.md: mixes, scope, people and time away, from the CSVs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from reassess.config import programme
from tests.demo_weeks import TARGET, Week, available_fte, days, weekdays

pytestmark = pytest.mark.slow

CATEGORY_MIX = {
    "intra_familial": 0.26,
    "peer_on_peer": 0.22,
    "organised_group": 0.17,
    "gang_related": 0.15,
    "institutional": 0.08,
    "online": 0.07,
    "other": 0.05,
}
ORIGINAL_OUTCOME_MIX = {
    "nfa_evidential": 0.50,
    "nfa_victim_declined": 0.25,
    "nfa_no_suspect": 0.10,
    "charged": 0.07,
    "nfa_other": 0.05,
    "other": 0.03,
}
OUTCOME_MIX = {
    "no_further_action": 0.70,
    "reinvestigate": 0.14,
    "safeguarding_referral": 0.08,
    "refer_beaconport": 0.05,
    "linked_live_investigation": 0.03,
}


def week_on(weeks: list[Week], as_of: date) -> Week:
    return next(w for w in weeks if w.as_of == as_of)


@pytest.mark.parametrize(
    ("column", "mix"), [("category", CATEGORY_MIX), ("original_outcome", ORIGINAL_OUTCOME_MIX)]
)
def test_case_mix(demo_weeks: list[Week], column: str, mix: dict[str, float]) -> None:
    for week in (demo_weeks[0], demo_weeks[-1]):
        shares = week.cases[column].value_counts(normalize=True)
        for label, share in mix.items():
            assert abs(shares.get(label, 0.0) - share) <= 0.02, (week.as_of, label)


def test_assessment_outcomes_and_victim_support(demo_weeks: list[Week]) -> None:
    cases = demo_weeks[-1].cases
    outcome = cases.outcome.value_counts(normalize=True)
    for label, share in OUTCOME_MIX.items():
        assert abs(outcome.get(label, 0.0) - share) <= 0.02, label
    assert (
        abs((cases.victim_support == "referred").mean() - programme().referral_rate_victim_support)
        <= 0.02
    )
    assert (cases.outcome[cases.original_outcome == "charged"] != "refer_beaconport").all()
    # High-priority cases are the likeliest to be reinvestigated.
    share = cases.groupby("priority").outcome.apply(lambda s: (s == "reinvestigate").mean())
    assert share["high"] > share["medium"] > share["low"]


def test_ethnicity_not_recorded_about_two_thirds_and_worse_for_older_cases(
    demo_weeks: list[Week],
) -> None:
    cases = demo_weeks[-1].cases
    with_suspects = cases[cases.suspects.astype(int) > 0]
    missing = with_suspects.suspect_ethnicity_recorded == "none"
    assert abs(missing.mean() - 0.65) <= 0.05
    year = days(with_suspects.reported_date).dt.year
    assert missing[year <= 2014].mean() > missing[year >= 2020].mean() + 0.15
    assert set(cases.suspect_ethnicity_recorded[cases.suspects == "0"]) == {"not_applicable"}


def test_scope_starts_at_9000_and_grows_by_a_few_hundred(demo_weeks: list[Week]) -> None:
    counts = [len(w.cases) for w in demo_weeks]
    assert counts[0] == programme().baseline_scope == 9000
    seen: set[str] = set()
    for week in demo_weeks:
        seen |= set(week.cases.case_ref)
    found = len(seen) - counts[0]
    gone = seen - set(demo_weeks[-1].cases.case_ref)
    assert 200 <= found <= 400
    assert 20 <= len(gone) <= 60
    assert 9150 <= counts[-1] <= 9400
    # Most records are found in the first months, none after March 2026.
    first_seen: dict[str, date] = {}
    for week in demo_weeks:
        for ref in set(week.cases.case_ref) - set(first_seen):
            first_seen[ref] = week.as_of
    later = [d for d in first_seen.values() if d > demo_weeks[0].as_of]
    assert max(later) <= date(2026, 3, 13)
    assert sum(d <= date(2026, 1, 9) for d in later) > 0.6 * len(later)


def test_26_officers_at_start_about_40_from_february(demo_weeks: list[Week]) -> None:
    first = demo_weeks[0].officers
    assert len(first) == programme().initial_team == 26
    assert set(first.start_date) == {programme().programme_start.isoformat()}
    for week in demo_weeks:
        if date(2026, 2, 20) <= week.as_of <= date(2026, 8, 28):
            assessing = week.assessing
            end = days(assessing.end_date)
            in_post = (end.isna() | (end >= pd.Timestamp(week.as_of))).sum()
            assert 37 <= in_post <= 43, week.as_of
    last = demo_weeks[-1].assessing
    assert last.officer_ref.str.fullmatch(r"PPO-\d{4}").all()
    assert (last.role.isin(["detective_constable", "staff_investigator"])).mean() > 0.7
    assert 0.05 <= (last.fte.astype(float) < 1).mean() <= 0.3  # some part-timers
    starts = sorted(set(last.start_date))
    assert starts[:3] == ["2025-11-03", "2026-02-02", "2026-02-16"]


def test_teams_have_a_sergeant_and_six_to_eight_members(demo_weeks: list[Week]) -> None:
    for week in demo_weeks[:30]:
        officers = week.officers
        sergeants = officers[officers.role == "detective_sergeant"].groupby("team").size()
        assert (sergeants == 1).all() and set(sergeants.index) == set(officers.team), week.as_of
        assessing = week.assessing
        end = days(assessing.end_date)
        here = assessing[end.isna() | (end >= pd.Timestamp(week.as_of))]
        assert here.groupby("team").size().between(5, 9).all(), week.as_of


def test_some_leave_with_notice_before_the_work_runs_out(demo_weeks: list[Week]) -> None:
    summer = week_on(demo_weeks, date(2026, 7, 31)).assessing
    leavers = summer[summer.end_date != ""]
    assert 2 <= len(leavers) <= 6
    # A leaver's end date is known weeks before they go.
    known = {
        ref: w.as_of
        for w in reversed(demo_weeks)
        for ref in w.officers.officer_ref[w.officers.end_date != ""]
    }
    ahead = [
        (date.fromisoformat(end) - known[ref]).days
        for ref, end in zip(leavers.officer_ref, leavers.end_date, strict=True)
    ]
    assert max(ahead) >= 14
    # Then, as the assessments finish, the assessment teams are released.
    last = demo_weeks[-1].assessing
    assert (last.end_date != "").all()


def test_new_starters_ramp_up(demo_weeks: list[Week]) -> None:
    """Officers who joined in February complete fewer in their first two weeks than later."""
    end = week_on(demo_weeks, date(2026, 4, 24))
    joined = set(end.officers.officer_ref[end.officers.start_date == "2026-02-16"])
    cases = end.cases[end.cases.officer_ref.isin(joined)]
    done = days(cases.completed_date)
    early = ((done >= "2026-02-16") & (done <= "2026-02-27")).sum()
    later = ((done >= "2026-03-30") & (done <= "2026-04-10")).sum()
    assert later > 1.5 * early


def test_time_away_15_to_25_percent_with_a_christmas_dip(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    start, end = date(2025, 11, 3), date(2026, 9, 25)
    grid = weekdays(start, end)
    in_post = available_fte(last.assessing, last.abstractions.iloc[:0], start, end)
    free = available_fte(last.assessing, last.abstractions, start, end)
    assert len(grid) > 0
    assert 0.15 <= 1 - free / in_post <= 0.25
    spells = last.abstractions
    assert set(spells.reason) == {
        "annual_leave",
        "sickness",
        "training",
        "operational_abstraction",
        "other",
    }

    def share_away(lo: date, hi: date) -> float:
        return 1 - available_fte(last.assessing, spells, lo, hi) / available_fte(
            last.assessing, spells.iloc[:0], lo, hi
        )

    christmas = share_away(date(2025, 12, 22), date(2026, 1, 2))
    december = share_away(date(2025, 12, 1), date(2025, 12, 12))
    assert christmas > 0.45 and christmas > 2 * december


def test_a_winter_sickness_wave(demo_weeks: list[Week]) -> None:
    last = demo_weeks[-1]
    sick = last.abstractions[last.abstractions.reason == "sickness"]
    assessing = last.assessing

    def rate(lo: date, hi: date) -> float:
        nobody = sick.iloc[:0]
        return 1 - available_fte(assessing, sick, lo, hi) / available_fte(assessing, nobody, lo, hi)

    assert rate(date(2026, 1, 5), date(2026, 2, 13)) > 1.5 * rate(
        date(2026, 5, 4), date(2026, 7, 10)
    )


def test_planned_leave_appears_before_it_happens(demo_weeks: list[Week]) -> None:
    for week in demo_weeks[1:]:
        future = days(week.abstractions.from_date) > pd.Timestamp(week.as_of)
        assert future.sum() >= 10, week.as_of
        assert set(week.abstractions.reason[future]) - {"sickness"} == set(
            week.abstractions.reason[future]
        )
    # Christmas 2025 leave is in the extracts from November, and sickness never ahead of time.
    november = demo_weeks[1].abstractions
    assert (november.from_date == "2025-12-22").sum() >= 5
    first_seen: dict[tuple[str, str, str], date] = {}
    for week in demo_weeks:
        for key in zip(
            week.abstractions.officer_ref,
            week.abstractions.from_date,
            week.abstractions.reason,
            strict=True,
        ):
            first_seen.setdefault(key, week.as_of)
    leads = [
        (date.fromisoformat(f) - seen).days
        for (_, f, r), seen in first_seen.items()
        if r == "annual_leave"
    ]
    assert np.median(leads) >= 14


def test_half_assessed_at_the_target_and_complete_in_early_autumn(demo_weeks: list[Week]) -> None:
    after = week_on(demo_weeks, date(2026, 5, 1))
    by_target = (days(after.cases.completed_date) <= pd.Timestamp(TARGET)).mean()
    assert 0.4 <= by_target <= 0.6
    done = [w.as_of for w in demo_weeks if (w.cases.completed_date != "").all()]
    assert done, "the initial assessments never complete"
    assert date(2026, 7, 1) <= done[0] <= date(2026, 10, 31)
    assert done[0] < demo_weeks[-1].as_of
    assert all(d >= done[0] for d in done) and done == [
        w.as_of for w in demo_weeks if w.as_of >= done[0]
    ]
    assert (demo_weeks[-1].cases.status == "assessed").all()


def test_the_record_searched_cases_arrive_after_baseline_and_keep_pace(
    demo_weeks: list[Week],
) -> None:
    # Records found in the searches are assessed too: none is left behind at the end.
    baseline = set(demo_weeks[0].cases.case_ref)
    last = demo_weeks[-1].cases
    found = last[~last.case_ref.isin(baseline)]
    assert len(found) > 200 and (found.status == "assessed").all()
    assert (days(found.allocated_date) >= pd.Timestamp(date(2025, 11, 10))).all()


def test_old_records_take_longer(demo_weeks: list[Week]) -> None:
    cases = demo_weeks[-1].cases
    hours = pd.to_numeric(cases.hours_spent.replace("", None))
    year = days(cases.reported_date).dt.year
    standard = ~cases.category.isin(["organised_group", "institutional"])
    assert (
        hours[standard & (year <= 2013)].median() > 1.1 * hours[standard & (year >= 2021)].median()
    )
    hard = cases.category.isin(["organised_group", "institutional"])
    assert hours[hard].median() > 1.2 * hours[standard].median()


def test_hours_per_case_cycle_time_and_a_handful_held(demo_weeks: list[Week]) -> None:
    cases = demo_weeks[-1].cases
    hours = pd.to_numeric(cases.hours_spent.replace("", None)).dropna()
    assert 4 <= hours.median() <= 30
    assert hours.max() >= 24  # some take a few days
    cycle = (days(cases.completed_date) - days(cases.allocated_date)).dt.days
    assert 3 <= cycle.median() <= 60
    assert cycle.quantile(0.9) >= 14  # weeks for some
    for week in demo_weeks[4:30]:
        held = (
            week.cases[week.cases.status.isin(["allocated", "in_assessment"])]
            .groupby("officer_ref")
            .size()
        )
        assert 3 <= held.median() <= 12, week.as_of
