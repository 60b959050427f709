"""The categories page under AppTest, on known-answer fixtures and on the demo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from category_fixtures import LATEST, PREVIOUS, Fixture, build_fixture, cases_frame
from streamlit.testing.v1 import AppTest

from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from reassess.snapshot.sql import QUERY_DIR
from tests.page_helpers import metrics

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "categories.py")
DEMO_AS_OF = "2026-03-06"
NO_FILTER = {
    "categories": None,
    "bcus": None,
    "priorities": None,
    "year_from": None,
    "year_to": None,
}

# Sample parameters for every query this page and the data-quality page added.
QUERY_PARAMS: dict[str, dict[str, Any]] = {
    "categories_breakdown": {"dimension": "category", **NO_FILTER},
    "categories_crosstab": {"rows": "category", "cols": "bcu", **NO_FILTER},
    "categories_cases": {
        "rows": "category",
        "row_value": "organised_group",
        "cols": "bcu",
        "col_value": "CE",
        **NO_FILTER,
    },
    "quality_completeness": {},
    "quality_ethnicity": {"dimension": "category"},
    "quality_warnings": {},
    "quality_warnings_refs": {},
    "quality_warning_summary": {},
    "quality_change_counts": {},
    "quality_changes": {},
}


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return build_fixture(tmp_path_factory.mktemp("categories") / "data")


@pytest.fixture
def env(fixture: Fixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fixture]:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fixture.data_dir))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield fixture


def page(role: str = "commander", snapshot: str = LATEST.isoformat(), **url: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    at.query_params["snapshot"] = snapshot
    for key, value in url.items():
        at.query_params[key] = value
    return at.run()


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page with this column (or index name)."""
    for df in at.dataframe:
        value = df.value
        if column in value.columns or value.index.name == column:
            return value
    raise AssertionError(f"no dataframe with column {column!r}")


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "SYNTHETIC" not in w.value]


# --------------------------------------------------------------------------- queries


def test_every_new_query_is_covered_here() -> None:
    names = {
        p.stem
        for p in (QUERY_DIR / "pages").glob("*.sql")
        if p.stem.startswith(("categories_", "quality_"))
    }
    assert names == set(QUERY_PARAMS)


@pytest.mark.parametrize("name", sorted(QUERY_PARAMS))
def test_every_new_query_runs_on_the_fixture(fixture: Fixture, name: str) -> None:
    listing = list_snapshots(fixture.snapshot_dir)
    db = Database()
    for snap in listing.snapshots:
        frame = db.run(name, snap, role="commander", **QUERY_PARAMS[name])
        assert isinstance(frame, pd.DataFrame)
        assert len(frame.columns) > 0


@pytest.mark.parametrize(
    "dimension", ["category", "bcu", "borough", "year", "original_outcome", "priority"]
)
def test_every_dimension_counts_every_case_once(fixture: Fixture, dimension: str) -> None:
    snap = list_snapshots(fixture.snapshot_dir).get(LATEST)
    assert snap is not None
    db = Database()
    frame = db.run(
        "categories_breakdown",
        snap,
        role="planner",
        **{**QUERY_PARAMS["categories_breakdown"], "dimension": dimension},
    )
    expected = cases_frame(LATEST)
    key = (
        pd.to_datetime(expected["reported_date"]).dt.year.astype(str)
        if dimension == "year"
        else expected[dimension]
    )
    assert frame.set_index("dim_value")["in_scope"].to_dict() == key.value_counts().to_dict()


def test_case_level_query_is_refused_below_commander(fixture: Fixture) -> None:
    from reassess.access import AccessDenied

    snap = list_snapshots(fixture.snapshot_dir).get(LATEST)
    assert snap is not None
    for role in ("planner", "analyst"):
        with pytest.raises(AccessDenied):
            Database().run("categories_cases", snap, role=role, **QUERY_PARAMS["categories_cases"])


# --------------------------------------------------------------------------- known answers


def test_headline_and_breakdown_on_the_fixture(env: Fixture) -> None:
    at = page()
    assert not at.exception
    assert warnings(at) == []
    m = metrics(at)
    assert m["Cases in scope"] == "11"
    assert m["Assessed"] == "6"  # 5 QA signed off + OG-CE-2 awaiting QA
    assert m["Victims"] == "18"
    assert m["Suspects"] == "23"
    table = frame_with(at, "Category").set_index("Category")
    assert table.loc["Organised group", "In scope"] == 5
    assert table.loc["Gang-related", "In scope"] == 3
    assert list(table.index) == ["Organised group", "Intra-familial", "Gang-related", "Online"]
    outcomes = frame_with(at, "Reinvestigate").set_index("Category")
    og = outcomes.loc["Organised group"]
    assert (og["Reinvestigate"], og["Safeguarding referral"], og["Linked live investigation"]) == (
        1,
        1,
        1,
    )
    assert og["Assessments with an outcome"] == 3
    assert outcomes.loc["Gang-related", "Refer to Operation Beaconport"] == 1


def test_cross_tab_totals_equal_cases_in_scope(env: Fixture) -> None:
    at = page()
    tab = next(df.value for df in at.dataframe if "Total" in df.value.columns)
    assert tab.loc["Organised group", "CE Central East"] == 4
    assert tab.loc["Organised group", "AS Central South"] == 1
    assert tab.loc["Total", "Total"] == 11
    assert tab["Total"].drop("Total").sum() == 11
    assert tab.loc["Total"].drop("Total").sum() == 11


def test_a_filter_from_the_url_changes_the_table(env: Fixture) -> None:
    at = page(cat="gang_related", by="bcu")
    assert not at.exception
    assert metrics(at)["Cases in scope"] == "3"
    table = frame_with(at, "BCU").set_index("BCU")
    assert table["In scope"].to_dict() == {"AS Central South": 1, "NE North East": 2}
    assert at.query_params["cat"] == "gang_related"
    assert at.query_params["by"] == "bcu"


@pytest.mark.parametrize(
    ("url", "in_scope"),
    [
        ({"cat": "organised_group", "bcu": "CE"}, "4"),
        ({"years": "2012-2015"}, "4"),
        ({"prio": "high"}, "5"),
        ({"cat": "organised_group,gang_related", "bcu": "CE,NE", "prio": "high"}, "3"),
    ],
)
def test_filters_from_the_url(env: Fixture, url: dict[str, str], in_scope: str) -> None:
    at = page(**url)
    assert not at.exception
    assert metrics(at)["Cases in scope"] == in_scope


def test_an_unknown_bcu_in_the_url_warns_and_is_dropped(env: Fixture) -> None:
    at = page(bcu="ZZ")
    assert not at.exception
    (message,) = warnings(at)
    assert "`ZZ`" in message and "ignored" in message
    assert metrics(at)["Cases in scope"] == "11"
    assert "bcu" not in at.query_params


def test_a_filter_that_matches_nothing_says_so(env: Fixture) -> None:
    at = page(cat="institutional")
    assert not at.exception
    assert any("No case in scope matches" in i.value for i in at.info)


def test_changing_a_widget_rewrites_the_url(env: Fixture) -> None:
    at = page()
    at.multiselect(key="f_cat").set_value(["gang_related"]).run()
    at.selectbox(key="by").set_value("priority").run()
    assert not at.exception
    assert metrics(at)["Cases in scope"] == "3"
    assert at.query_params["cat"] == "gang_related"
    assert at.query_params["by"] == "priority"
    assert at.query_params["snapshot"] == LATEST.isoformat()
    at.multiselect(key="f_cat").set_value([]).run()
    assert "cat" not in at.query_params
    assert metrics(at)["Cases in scope"] == "11"


def test_the_earlier_snapshot_has_the_case_that_later_left_scope(env: Fixture) -> None:
    at = page(snapshot=PREVIOUS.isoformat())
    assert metrics(at)["Cases in scope"] == "12"
    assert frame_with(at, "Category").set_index("Category").loc["Other", "In scope"] == 1


# --------------------------------------------------------------------------- drill-down


def test_commander_drill_down_needs_a_reason_then_lists_the_cases(env: Fixture) -> None:
    from reassess.config import settings
    from reassess.store.audit import AuditLog

    def recorded() -> list[tuple[str, str, int]]:
        log = AuditLog(settings().audit_dir).read(action="drilldown")
        return [(r.detail, r.reason, int(r.rows)) for r in log.itertuples()]

    at = page()
    assert [s.value for s in at.subheader if s.value == "Cases behind a figure"]
    assert not any("case_ref" in df.value.columns for df in at.dataframe)

    at.radio(key="dd_from").set_value("crosstab").run()
    at.selectbox(key="dd_row").set_value("organised_group").run()
    at.selectbox(key="dd_col").set_value("CE").run()
    at.text_input(key="dd_reason").input("too short").run()  # 9 characters
    assert not any("case_ref" in df.value.columns for df in at.dataframe)
    assert recorded() == []

    at.text_input(key="dd_reason").input("weekly review of CE backlog").run()
    assert not at.exception
    cases = frame_with(at, "Case reference")
    assert list(cases["Case reference"]) == ["OG-CE-1", "OG-CE-2", "OG-CE-3", "OG-CE-4"]
    assert (cases["Suspect ethnicity recorded"] == "Not recorded").sum() == 3
    assert [d for d in at.get("download_button") if d.proto.label == "Download these cases (CSV)"]
    (what, reason, n) = recorded()[-1]
    assert reason == "weekly review of CE backlog" and n == 4
    assert "Organised group × BCU: CE Central East" in what


def test_drill_down_on_a_breakdown_row_keeps_the_filters(env: Fixture) -> None:
    at = page(cat="gang_related", by="bcu")
    at.selectbox(key="dd_value").set_value("NE").run()
    at.text_input(key="dd_reason").input("checking NE gang-related cases").run()
    cases = frame_with(at, "Case reference")
    assert list(cases["Case reference"]) == ["GR-NE-1", "GR-NE-2"]


@pytest.mark.parametrize("role", ["planner", "analyst"])
def test_planners_and_analysts_see_no_drill_down(env: Fixture, role: str) -> None:
    at = page(role=role)
    assert not at.exception
    assert metrics(at)["Cases in scope"] == "11"
    assert not [s for s in at.subheader if s.value == "Cases behind a figure"]
    assert not [t for t in at.text_input if t.key == "dd_reason"]


# --------------------------------------------------------------------------- the demo


def demo_cases(demo_dir: Path) -> pd.DataFrame:
    return pd.read_csv(demo_dir / "extracts" / DEMO_AS_OF / "cases.csv", dtype=str)


def test_demo_figures_agree_with_the_extract_and_the_overview(demo_env: Path) -> None:
    at = page(snapshot=DEMO_AS_OF)
    assert not at.exception
    cases = demo_cases(demo_env)
    snap = list_snapshots(demo_env / "snapshots").get(date.fromisoformat(DEMO_AS_OF))
    assert snap is not None
    kpis = Database().scalar_row("kpis", snap, role="planner")
    assert metrics(at)["Cases in scope"] == f"{len(cases):,}" == f"{kpis['in_scope']:,}"
    assert metrics(at)["Assessed"] == f"{kpis['assessed']:,}"
    assert metrics(at)["Victims"] == f"{cases['victims'].astype(int).sum():,}"
    table = frame_with(at, "Category")
    from reassess.present.vocabulary import CATEGORY_LABELS

    expected = cases["category"].map(CATEGORY_LABELS).value_counts().to_dict()
    assert table.set_index("Category")["In scope"].to_dict() == expected
    tab = next(df.value for df in at.dataframe if "Total" in df.value.columns)
    assert tab.loc["Total", "Total"] == kpis["in_scope"]
    ce = cases[(cases["category"] == "organised_group") & (cases["bcu"] == "CE")]
    assert tab.loc["Organised group", "CE Central East"] == len(ce)


def test_demo_filtered_figures_agree_with_pandas(demo_env: Path) -> None:
    at = page(
        snapshot=DEMO_AS_OF,
        cat="organised_group,gang_related",
        bcu="CE,NW",
        years="2012-2018",
        prio="high",
        by="year",
    )
    assert not at.exception
    cases = demo_cases(demo_env)
    year = cases["reported_date"].str[:4].astype(int)
    chosen = cases[
        cases["category"].isin(["organised_group", "gang_related"])
        & cases["bcu"].isin(["CE", "NW"])
        & year.between(2012, 2018)
        & (cases["priority"] == "high")
    ]
    assert metrics(at)["Cases in scope"] == f"{len(chosen):,}"
    assessed = chosen["completed_date"].notna().sum()
    assert metrics(at)["Assessed"] == f"{assessed:,}"
    by_year = frame_with(at, "Year of original report").set_index("Year of original report")
    assert by_year["In scope"].to_dict() == chosen["reported_date"].str[:4].value_counts().to_dict()
    assert by_year["Suspects"].sum() == chosen["suspects"].astype(int).sum()
