"""The data-quality page under AppTest, on known-answer fixtures and on the demo."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from category_fixtures import (
    LATEST,
    PREVIOUS,
    Fixture,
    build_fixture,
    write_broken_snapshot,
    write_garbage_snapshot,
)
from streamlit.testing.v1 import AppTest

from reassess.config import programme
from reassess.snapshot.listing import list_snapshots
from tests.page_helpers import metrics

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "data_quality.py")
DEMO_AS_OF = "2026-03-06"


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return build_fixture(tmp_path_factory.mktemp("quality") / "data")


@pytest.fixture
def env(fixture: Fixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fixture]:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(fixture.data_dir))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield fixture


def page(role: str = "commander", snapshot: str = LATEST.isoformat()) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    at.query_params["snapshot"] = snapshot
    return at.run()


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with column {column!r}")


def all_text(at: AppTest) -> str:
    frames = " ".join(df.value.to_csv() for df in at.dataframe)
    words = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning])
    return frames + " " + words


# --------------------------------------------------------------------------- known answers


def test_headline_counts(env: Fixture) -> None:
    at = page()
    assert not at.exception
    assert metrics(at) == {
        "Validation warnings": "3",
        "In assessment over 90 days": "1",
        "Status went backwards": "1",
        "Left scope": "1",
    }


def test_completeness_where_expected(env: Fixture) -> None:
    at = page()
    table = frame_with(at, "% recorded").set_index("Field")
    assert len(table) == 19
    officer = table.loc["Officer"]
    assert (officer["Expected for"], officer["Cases expected"], officer["Recorded"]) == (
        "allocated or later",
        9,
        9,
    )
    assert officer["% recorded"] == 100.0
    hours = table.loc["Hours spent"]
    assert (hours["Cases expected"], hours["Recorded"], hours["% recorded"]) == (8, 7, 87.5)
    assert table.loc["QA signed off", "Cases expected"] == 5
    assert table.loc["Case reference", "Cases expected"] == 11


def test_ethnicity_by_category_bcu_and_year_with_the_national_figure(env: Fixture) -> None:
    at = page()
    national = programme().setting("national_ethnicity_missing_share")
    assert national.value == 0.66
    assert "66%" in all_text(at) and national.source in all_text(at)
    assert "37%" in all_text(at)  # flagging_accuracy_share
    by_cat = frame_with(at, "% none recorded").set_index("Category")
    og = by_cat.loc["Organised group"]
    assert (og["Cases"], og["Not recorded"], og["All recorded"], og["% none recorded"]) == (
        5,
        3,
        2,
        60.0,
    )
    assert by_cat.loc["All cases", "Cases"] == 11
    assert by_cat.loc["Online", "Not applicable (no suspect)"] == 1

    at.radio(key="eth_by").set_value("bcu").run()
    by_bcu = frame_with(at, "% none recorded").set_index("BCU")
    ce = by_bcu.loc["CE Central East"]
    assert (ce["Cases"], ce["Not recorded"], ce["Some recorded"], ce["All recorded"]) == (
        5,
        3,
        1,
        1,
    )
    at.radio(key="eth_by").set_value("year").run()
    by_year = frame_with(at, "% none recorded").set_index("Year of original report")
    assert by_year.loc["2012", "Not recorded"] == 1
    assert not at.exception


def test_the_stale_case_is_among_the_warnings_with_its_ref_withheld(env: Fixture) -> None:
    at = page(role="analyst")
    assert not at.exception
    warnings = frame_with(at, "message")
    stale = warnings[warnings["code"] == "stale_in_assessment"].iloc[0]
    assert (stale["file"], stale["row"], stale["column"], stale["value"]) == (
        "cases.csv",
        4,
        "started_date",
        "2025-11-10",
    )
    assert "116 days" in stale["message"]
    assert set(warnings["code"]) == {"stale_in_assessment", "left_scope", "status_backwards"}
    text = all_text(at)
    for ref in ("OG-CE-3", "OG-CE-2", "OT-SE-1"):
        assert ref not in text


def test_analysts_see_change_counts_but_no_refs(env: Fixture) -> None:
    at = page(role="analyst")
    counts = frame_with(at, "Change").set_index("Change")["Cases"].to_dict()
    assert counts == {
        "Cases added to scope": 0,
        "Cases removed from scope": 1,
        "Cases whose status went backwards": 1,
        "Cases reassigned to another officer": 0,
    }
    assert "27 February 2026" in " ".join(s.value for s in at.subheader)
    assert not [t for t in at.text_input if t.key == "dq_reason"]
    assert not any("case_ref" in df.value.columns for df in at.dataframe)


def test_commanders_open_the_refs_after_giving_a_reason(env: Fixture) -> None:
    at = page()
    assert not any("case_ref" in df.value.columns for df in at.dataframe)
    at.text_input(key="dq_reason").input("checking last week's regressions").run()
    assert not at.exception
    changes = frame_with(at, "Case reference")
    assert changes[["Case reference", "Change"]].values.tolist() == [
        ["OT-SE-1", "Cases removed from scope"],
        ["OG-CE-2", "Cases whose status went backwards"],
    ]
    assert "OG-CE-3" in all_text(at)  # the warnings with refs
    assert (
        len([d for d in at.get("download_button") if d.proto.label == "Download these cases (CSV)"])
        == 2
    )


def test_planners_cannot_open_the_page(env: Fixture) -> None:
    at = page(role="planner")
    assert not at.exception
    assert any("cannot open Data quality" in e.value for e in at.error)
    assert not at.dataframe


def test_the_first_snapshot_has_nothing_to_compare(env: Fixture) -> None:
    at = page(snapshot=PREVIOUS.isoformat())
    assert not at.exception
    assert any("first snapshot" in i.value for i in at.info)
    assert metrics(at)["Validation warnings"] == "1"


def test_snapshot_history_lists_every_snapshot_with_its_source_hashes(env: Fixture) -> None:
    at = page()
    history = frame_with(at, "cases.csv SHA-256")
    assert list(history["As of"].astype(str).str[:10]) == [LATEST.isoformat(), PREVIOUS.isoformat()]
    assert list(history["Cases"]) == [11, 12]
    assert list(history["Warnings"]) == [3, 1]
    for as_of, row in zip((LATEST, PREVIOUS), history.itertuples(index=False), strict=True):
        csv = env.extract(as_of) / "cases.csv"
        assert (
            row[history.columns.get_loc("cases.csv SHA-256")]
            == hashlib.sha256(csv.read_bytes()).hexdigest()
        )
    assert any("Every file in the snapshot folder" in c.value for c in at.caption)


def test_broken_snapshot_files_are_listed_not_fatal(
    fixture: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(fixture.data_dir, data)
    truncated = write_broken_snapshot(data / "snapshots")  # 2026-03-13: newer than any good one
    garbage = write_garbage_snapshot(data / "snapshots")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    listing = list_snapshots(data / "snapshots")
    assert {b.path.name for b in listing.broken} == {truncated.name, garbage.name}

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = "analyst"
    at.run()
    assert not at.exception
    assert LATEST.isoformat() in " ".join(c.value for c in at.caption)  # newest readable one
    broken = frame_with(at, "Why it could not be read").set_index("File")
    assert set(broken.index) == {truncated.name, garbage.name}
    assert "cannot be opened" in broken.loc[truncated.name, "Why it could not be read"]
    assert any("could not be read" in w.value for w in at.warning)
    assert list(frame_with(at, "cases.csv SHA-256")["Cases"]) == [11, 12]


# --------------------------------------------------------------------------- the demo


def test_demo_figures_agree_with_the_extract(demo_env: Path) -> None:
    at = page(snapshot=DEMO_AS_OF)
    assert not at.exception
    cases = pd.read_csv(demo_env / "extracts" / DEMO_AS_OF / "cases.csv", dtype=str)
    snap = list_snapshots(demo_env / "snapshots").get(date.fromisoformat(DEMO_AS_OF))
    assert snap is not None
    assert metrics(at)["Validation warnings"] == str(snap.warnings)

    completeness = frame_with(at, "% recorded").set_index("Field")
    allocated_on = cases[cases["status"] != "awaiting_allocation"]
    assert completeness.loc["Officer", "Cases expected"] == len(allocated_on)
    assert completeness.loc["Officer", "Recorded"] == allocated_on["officer_ref"].notna().sum()
    in_assessment_on = cases[~cases["status"].isin(["awaiting_allocation", "allocated"])]
    assert (
        completeness.loc["Hours spent", "Recorded"] == in_assessment_on["hours_spent"].notna().sum()
    )

    by_cat = frame_with(at, "% none recorded").set_index("Category")
    assert (
        by_cat.loc["All cases", "Not recorded"]
        == (cases["suspect_ethnicity_recorded"] == "none").sum()
    )
    og = cases[cases["category"] == "organised_group"]
    with_suspects = og[og["suspects"].astype(int) > 0]
    expected = round(100 * (with_suspects["suspect_ethnicity_recorded"] == "none").mean(), 1)
    assert by_cat.loc["Organised group", "% none recorded"] == expected

    history = frame_with(at, "cases.csv SHA-256")
    assert len(history) == len(list_snapshots(demo_env / "snapshots").snapshots)
