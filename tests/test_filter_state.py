"""The categories filter state in the URL (present/filter_state), and the breakdown shaping (present/breakdowns, present/quality)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassess.extract.contract import BCUS, CATEGORIES, PRIORITIES
from reassess.present.breakdowns import (
    Cell,
    breakdown_table,
    breakdown_totals,
    cross_tab,
    outcome_mix,
    sort_key,
)
from reassess.present.filter_state import (
    DIMENSIONS,
    URL_KEYS,
    WIDGET_KEYS,
    FilterState,
    parse_params,
    year_bounds,
)
from reassess.present.quality import change_counts_table, ethnicity_shares, previous_as_of
from reassess.present.vocabulary import value_label

BOUNDS = (2010, 2026)


def subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True).map(
        lambda chosen: tuple(v for v in values if v in chosen)
    )


years = st.one_of(
    st.none(),
    st.tuples(st.integers(*BOUNDS), st.integers(*BOUNDS))
    .map(lambda t: (min(t), max(t)))
    .filter(lambda t: t != BOUNDS),
)
states = st.builds(
    FilterState,
    categories=subset(CATEGORIES),
    bcus=subset(tuple(BCUS)),
    years=years,
    priorities=subset(PRIORITIES),
    by=st.sampled_from(tuple(DIMENSIONS)),
    rows=st.sampled_from(tuple(DIMENSIONS)),
    cols=st.sampled_from(tuple(DIMENSIONS)),
)


@given(states)
def test_round_trip_through_the_url(state: FilterState) -> None:
    params = state.to_params()
    assert set(params) <= set(URL_KEYS)
    parsed = parse_params(params, BOUNDS)
    assert parsed.problems == ()
    assert parsed.state == state


@given(states)
def test_round_trip_through_the_widgets(state: FilterState) -> None:
    values = state.widget_values(BOUNDS)
    assert set(values) == set(WIDGET_KEYS)
    assert FilterState.from_widgets(values, BOUNDS) == state


@given(states, states)
def test_write_sets_only_its_own_keys_and_removes_defaults(
    before: FilterState, after: FilterState
) -> None:
    url = {"snapshot": "2026-03-06", "role": "planner"}
    before.write(url)
    after.write(url)
    assert url == {"snapshot": "2026-03-06", "role": "planner", **after.to_params()}


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(URL_KEYS + ("snapshot",)), st.text(max_size=60)))
def test_any_link_parses_to_a_valid_state_without_raising(params: dict[str, str]) -> None:
    parsed = parse_params(params, BOUNDS)
    assert isinstance(parsed.state, FilterState)  # __post_init__ validated it
    for problem in parsed.problems:
        assert problem.count("`") == 2  # the value is quoted once, never breaks out


def test_the_issue_example() -> None:
    parsed = parse_params(
        {"cat": "organised_group,gang_related", "bcu": "CE", "years": "2012-2018", "prio": "high"},
        BOUNDS,
    )
    assert parsed.problems == ()
    assert parsed.state == FilterState(
        categories=("organised_group", "gang_related"),
        bcus=("CE",),
        years=(2012, 2018),
        priorities=("high",),
    )
    assert parsed.state.sql_params() == {
        "categories": ["organised_group", "gang_related"],
        "bcus": ["CE"],
        "priorities": ["high"],
        "year_from": 2012,
        "year_to": 2018,
    }


@pytest.mark.parametrize(
    ("params", "expected", "problem"),
    [
        ({"bcu": "ZZ"}, FilterState(), "BCU `ZZ`"),
        ({"bcu": "CE,ZZ"}, FilterState(bcus=("CE",)), "BCU `ZZ`"),
        ({"bcu": " ce , nw "}, FilterState(bcus=("CE", "NW")), None),
        ({"bcu": "NW,CE,CE"}, FilterState(bcus=("CE", "NW")), None),
        ({"bcu": ["CE", "NW"]}, FilterState(bcus=("CE", "NW")), None),
        ({"cat": "Gang_Related"}, FilterState(categories=("gang_related",)), None),
        ({"cat": "gang related"}, FilterState(), "category `gang related`"),
        ({"cat": ",,"}, FilterState(), None),
        ({"prio": "urgent"}, FilterState(), "priority `urgent`"),
        ({"years": "2015"}, FilterState(years=(2015, 2015)), None),
        ({"years": "2010-2026"}, FilterState(), None),
        ({"years": "2008-2012"}, FilterState(years=(2010, 2012)), "showing 2010-2012"),
        ({"years": "2018-2012"}, FilterState(), "ends before it starts"),
        ({"years": "1990-2000"}, FilterState(), "reported 2010-2026"),
        ({"years": "twenty"}, FilterState(), "years `twenty`"),
        ({"years": "2012-2014-2016"}, FilterState(), "written like 2012-2018"),
        ({"by": "bcu"}, FilterState(by="bcu"), None),
        ({"by": "officer_ref"}, FilterState(), "break down by `officer_ref`"),
        ({"rows": "year", "cols": "priority"}, FilterState(rows="year", cols="priority"), None),
        ({"cols": "case_ref; drop table cases"}, FilterState(), "cross-tab columns"),
        ({"snapshot": "2026-03-06", "role": "planner"}, FilterState(), None),
    ],
)
def test_bad_values_are_dropped_with_a_message(
    params: dict[str, object], expected: FilterState, problem: str | None
) -> None:
    parsed = parse_params(params, BOUNDS)
    assert parsed.state == expected
    if problem is None:
        assert parsed.problems == ()
    else:
        assert len(parsed.problems) == 1
        assert problem in parsed.problems[0]


def test_a_long_or_hostile_value_is_shortened_and_quoted() -> None:
    parsed = parse_params({"bcu": "`[click](http://x)`" + "A" * 200}, BOUNDS)
    (message,) = parsed.problems
    assert "`[click](http://x)AAA" in message and message.count("`") == 2  # inside code quotes
    assert "A" * 41 not in message and "…" in message


def test_year_bounds_run_from_2010_to_the_as_of_year() -> None:
    assert year_bounds(date(2026, 3, 6)) == (2010, 2026)


def test_from_widgets_fills_gaps_with_defaults_and_normalises() -> None:
    state = FilterState.from_widgets(
        {"f_cat": ["online", "organised_group"], "f_years": (2026, 2012), "by": "nonsense"}, BOUNDS
    )
    assert state == FilterState(categories=("organised_group", "online"), years=(2012, 2026))
    assert FilterState.from_widgets({}, BOUNDS) == FilterState()
    assert FilterState.from_widgets({"f_years": BOUNDS}, BOUNDS).years is None


def test_sql_params_are_none_when_nothing_is_filtered() -> None:
    assert FilterState().sql_params() == dict.fromkeys(
        ("categories", "bcus", "priorities", "year_from", "year_to")
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"categories": ("nonsense",)},
        {"categories": ("online", "organised_group")},  # not in allow-list order
        {"bcus": ("CE", "CE")},
        {"years": (2018, 2012)},
        {"by": "officer_ref"},
    ],
)
def test_a_state_outside_the_allow_lists_cannot_be_made(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="FilterState"):
        FilterState(**kwargs)  # type: ignore[arg-type]


def test_describe_in_words() -> None:
    assert FilterState().describe() == "All cases in scope (no filter)"
    text = FilterState(categories=("gang_related",), bcus=("CE",), years=(2012, 2018)).describe()
    assert text == "Category: Gang-related · BCU: CE Central East · Reported 2012–2018"


# --------------------------------------------------------------------------- shaping


def breakdown(
    rows: list[tuple[str, int, int, int, int, int, int, int, int, int, int]],
) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "dim_value",
            "in_scope",
            "assessed",
            "awaiting_allocation",
            "no_further_action",
            "reinvestigate",
            "safeguarding_referral",
            "refer_beaconport",
            "linked_live_investigation",
            "victims",
            "suspects",
        ],
    )


def test_breakdown_is_in_contract_order_with_words() -> None:
    b = breakdown(
        [
            ("online", 2, 0, 2, 0, 0, 0, 0, 0, 2, 2),
            ("organised_group", 4, 3, 1, 1, 1, 1, 0, 0, 7, 10),
        ]
    )
    table = breakdown_table(b, "category")
    assert list(table["Category"]) == ["Organised group", "Online"]
    assert list(table["% assessed"]) == [75.0, 0.0]
    assert breakdown_totals(b) == {
        "in_scope": 6,
        "assessed": 3,
        "victims": 9,
        "suspects": 12,
        "pct_assessed": 50.0,
    }


def test_outcome_mix_shares_add_up_to_one_per_value() -> None:
    b = breakdown(
        [
            ("online", 2, 0, 2, 0, 0, 0, 0, 0, 2, 2),
            ("organised_group", 4, 4, 0, 1, 2, 1, 0, 0, 7, 10),
        ]
    )
    mix = outcome_mix(b, "category")
    shares = mix.groupby("dim_value")["share"].sum()
    assert shares["organised_group"] == pytest.approx(1.0)
    assert shares["online"] == 0.0  # no completed assessment: no share, not a division by zero
    og = mix[mix["dim_value"] == "organised_group"].set_index("outcome")
    assert og.loc["reinvestigate", "share"] == 0.5


def test_cross_tab_pivots_with_totals_and_zeros() -> None:
    counts = pd.DataFrame(
        [("organised_group", "CE", 4), ("organised_group", "AS", 1), ("gang_related", "NE", 2)],
        columns=["row_value", "col_value", "in_scope"],
    )
    tab = cross_tab(counts, "category", "bcu")
    assert list(tab.index) == ["Organised group", "Gang-related", "Total"]
    assert list(tab.columns) == ["CE Central East", "AS Central South", "NE North East", "Total"]
    assert tab.loc["Organised group", "CE Central East"] == 4
    assert tab.loc["Gang-related", "CE Central East"] == 0
    assert tab.loc["Total", "Total"] == 7


def test_sort_keys_follow_the_contract_and_years_numerically() -> None:
    assert sorted(["SW", "CN", "CE"], key=lambda v: sort_key("bcu", v)) == ["CN", "CE", "SW"]
    assert sorted(["2020", "2011"], key=lambda v: sort_key("year", v)) == ["2011", "2020"]
    assert value_label("original_outcome", "nfa_no_suspect") == "NFA: no suspect identified"
    assert value_label("bcu", "ZZ") == "ZZ"


def test_cell_params_and_words() -> None:
    cell = Cell("category", "organised_group", "bcu", "CE")
    assert cell.params() == {
        "rows": "category",
        "row_value": "organised_group",
        "cols": "bcu",
        "col_value": "CE",
    }
    assert cell.describe() == "Category: Organised group × BCU: CE Central East"
    assert Cell("year", "2012").params()["cols"] is None
    with pytest.raises(ValueError):
        Cell("officer_ref", "X")


def test_ethnicity_shares_add_an_all_cases_row() -> None:
    frame = pd.DataFrame(
        [("CE", 5, 5, 1, 1, 3, 0), ("SW", 1, 0, 0, 0, 0, 1)],
        columns=[
            "dim_value",
            "cases",
            "with_suspects",
            "all_recorded",
            "some_recorded",
            "none_recorded",
            "not_applicable",
        ],
    )
    shares = ethnicity_shares(frame, "bcu").set_index("label")
    assert shares.loc["CE Central East", "pct_none"] == 60.0
    assert pd.isna(shares.loc["SW South West", "pct_none"])  # no suspects: no share
    assert shares.loc["All cases", "cases"] == 6
    assert shares.loc["All cases", "pct_not_all"] == 80.0


def test_change_counts_and_previous_date() -> None:
    row = {
        "previous_as_of": pd.NaT,
        "added": 0,
        "left_scope": 1,
        "status_backwards": 2,
        "reassigned": 0,
    }
    assert previous_as_of(row) is None
    assert previous_as_of({"previous_as_of": date(2026, 2, 27)}) == date(2026, 2, 27)
    assert list(change_counts_table(row)["Cases"]) == [0, 1, 2, 0]
