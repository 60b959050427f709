"""build_briefing: known answers, the same forecast as the overview, nothing undisclosed."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from reassess.briefing.build import build_briefing
from reassess.briefing.contents import DEFINITIONS, TABLE_KEYS, Briefing
from reassess.briefing.words import changes_sentence, count_words, progress_sentence
from reassess.config import programme
from reassess.disclosure.releases import derive, protect_cell, protect_grid, shown_cell
from reassess.disclosure.tables import protect_count, protect_series, rules_text
from reassess.figures.status import compute_status
from reassess.present.formats import date_range
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests.briefing_fixtures import (
    SPEC_A,
    SPEC_B,
    SPEC_LATE,
    ProgrammeSpec,
    build_programme,
    snapshots_of,
)

LABELS = {"<10", "[c]"}


def _brief(data: Path, *, compare: bool = True) -> Briefing:
    latest, before = snapshots_of(data)
    return build_briefing(Database(), latest, before if compare else None, programme())


@pytest.fixture(scope="module")
def programmes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("briefing")
    specs = {"a": SPEC_A, "b": SPEC_B, "late": SPEC_LATE}
    return {k: build_programme(root / k, spec) for k, spec in specs.items()}


def _forecast_words(data: Path) -> tuple[date, date]:
    """The overview's forecast (compute_status as the overview calls it) for the snapshot."""
    latest, before = snapshots_of(data)
    status = compute_status(Database(), latest, before, programme(), role="commander")
    assert status.forecast.p50 is not None and status.forecast.p85 is not None
    return status.forecast.p50, status.forecast.p85


def test_known_answer_a(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["a"])
    p50, p85 = _forecast_words(programmes["a"])
    # 47 of 123 are shown as 45 of 125, and the percentage comes from the shown figures
    assert b.headline == (
        "About 45 of 125 cases in scope have been assessed (36%). On the forecast, "
        f"assessment is likely to finish between {date_range(p50, p85)}; the chance of "
        f"finishing by the target of 30 April 2026 is {_chance(programmes['a'])}."
    )
    assert b.figures["in_scope"] == 125 and b.figures["assessed"] == 45
    # still to assess is derived from the shown figures (125 - 45), not rounded from 76
    assert b.figures["remaining"] == 80
    assert b.pct_assessed == 36.0
    # the week before showed 120 in scope and 35 assessed (123 - 3 added, 47 - 12 completed):
    # 45 - 35 = 10 completed; 125 - 120 = 5 in scope, shown as "<10"; newly allocated
    # (in scope - awaiting allocation) 95 - 95 = 0, but each side is rounded, so "<10"
    assert b.changes_text == (
        "Since 27 February 2026, about 10 assessments were completed; fewer than 10 cases "
        "were newly allocated to an officer; the number of cases in scope changed by fewer "
        "than 10."
    )
    assert b.narrative[-1] == (
        "About 80 cases are still to be assessed, of which about 30 are awaiting allocation "
        "to an officer."
    )


def test_known_answer_b_changes_the_sentences(programmes: dict[str, Path]) -> None:
    a, b = _brief(programmes["a"]), _brief(programmes["b"])
    assert b.headline.startswith("About 170 of 210 cases in scope have been assessed (81%). ")
    assert a.headline != b.headline and a.changes_text != b.changes_text
    # 170 - 135 (168 - 31 = 137 the week before, shown as 135)
    assert b.changes_text == (
        "Since 27 February 2026, about 35 assessments were completed; fewer than 10 cases "
        "were newly allocated to an officer; the number of cases in scope changed by fewer "
        "than 10."
    )
    shown_scope, shown_assessed = protect_count(SPEC_B.in_scope), protect_count(SPEC_B.assessed)
    assert isinstance(shown_scope, int) and isinstance(shown_assessed, int)
    assert b.figures["remaining"] == shown_scope - shown_assessed == 40


def test_missed_target_is_said_plainly(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["late"])
    assert b.headline.endswith("; the April 2026 target was missed.")
    assert b.rag_label == "Target missed"
    # 210 in scope and 170 assessed are shown (212 and 168), so 40 are still to assess
    assert b.rag_reason == "The target passed 5 weeks ago with about 40 cases not yet assessed."
    assert any("has passed" in r.basis for r in b.resources)


def _chance(data: Path) -> str:
    latest, before = snapshots_of(data)
    status = compute_status(Database(), latest, before, programme(), role="commander")
    return f"{status.forecast.prob_by_target:.0%}"


def test_same_forecast_as_the_overview(programmes: dict[str, Path]) -> None:
    for key in ("a", "late"):
        b = _brief(programmes[key])
        assert (b.forecast_p50, b.forecast_p85) == _forecast_words(programmes[key])


def _cells(b: Briefing) -> list[object]:
    return [v for t in b.tables for col in t.count_columns for v in t.frame[col]]


@pytest.mark.parametrize("key", ["a", "b", "late"])
def test_every_count_is_disclosed(programmes: dict[str, Path], key: str) -> None:
    b = _brief(programmes[key])
    assert [t.key for t in b.tables] == list(TABLE_KEYS)
    for value in _cells(b):
        if value is None:
            continue
        if isinstance(value, str):
            assert value in LABELS
        else:
            assert isinstance(value, int), value
            assert value == 0 or (abs(value) >= 10 and value % 5 == 0), value
    for figure in b.figures.values():
        if isinstance(figure, str):
            assert figure in LABELS
        else:
            assert figure == 0 or (figure >= 10 and figure % 5 == 0), figure


def test_no_officer_or_case_reference_anywhere(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["a"])
    text = repr(dataclasses.asdict(b)) + "".join(t.frame.to_csv() for t in b.tables)
    assert "PPO-" not in text and "SYN-" not in text


def test_tables_match_an_independent_count(programmes: dict[str, Path]) -> None:
    cases = pd.read_csv(programmes["a"].parent / "extracts" / "2026-03-06" / "cases.csv")
    b = _brief(programmes["a"])
    assert b.figures["in_scope"] == protect_count(len(cases))
    by_cat = cases.groupby("category").size()
    expected = protect_series(by_cat, total=False).shown.iloc[:, 0]
    shown = dict(zip(b.by_category.frame["Category"], b.by_category.frame["In scope"], strict=True))
    assert shown["Organised group"] == expected["organised_group"]
    assert shown["Online"] == expected["online"]
    pivot = pd.crosstab(cases["borough"], cases["category"])
    shown_grid, _ = protect_grid(pivot)
    frame = b.borough_category.frame.set_index("Borough")
    # the grand total is worked out from the 192 shown cells (mostly "<10"), not rounded again
    assert frame.loc["Total", "Total"] == shown_grid.loc["Total", "Total"]
    camden = int(pivot.loc["Camden", "organised_group"])
    assert frame.loc["Camden", "Organised group"] == protect_cell(camden).shown
    assert list(frame.columns)[-1] == "Total" and len(frame) == 33  # 32 boroughs and a total


def test_two_way_table_totals_come_from_the_shown_cells(programmes: dict[str, Path]) -> None:
    table = _brief(programmes["b"]).borough_category
    frame = table.frame.set_index("Borough")
    cells = frame.drop(index="Total", columns="Total")
    assert "[c]" not in cells.to_numpy()  # no secondary suppression: totals tell nothing new
    for borough, row in cells.iterrows():
        terms = [(1, shown_cell(v)) for v in row]
        assert frame.loc[borough, "Total"] == derive(terms).shown  # type: ignore[arg-type]
        assert table.derived[(str(borough), "Total")] == derive(terms)  # type: ignore[arg-type]


def test_demo_figures_match_the_demo_extract(demo_dir: Path) -> None:
    listing = list_snapshots(demo_dir / "snapshots")
    latest = listing.latest
    assert latest is not None
    cases = pd.read_csv(demo_dir / "extracts" / latest.label / "cases.csv")
    b = build_briefing(Database(), latest, listing.previous(latest), programme())
    assert b.figures["in_scope"] == protect_count(len(cases))
    assert b.figures["assessed"] == protect_count(int(cases["completed_date"].notna().sum()))
    assert b.headline.startswith(
        f"About {b.figures['assessed']:,} of {b.figures['in_scope']:,} cases in scope"
    )
    assert b.markings == ("OFFICIAL-SENSITIVE", "SYNTHETIC DATA")


def test_marking_without_synthetic_data(tmp_path: Path) -> None:
    spec = ProgrammeSpec(in_scope=60, assessed=30, completed_since=10, added_since=0, officers=10)
    b = _brief(build_programme(tmp_path, spec, synthetic=False))
    assert b.markings == ("OFFICIAL-SENSITIVE",) and b.marking == "OFFICIAL-SENSITIVE"
    assert not any("SYNTHETIC" in c for c in b.caveats)


def test_without_a_comparison(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["a"], compare=False)
    assert b.changes is None and b.changes_text is None and b.compare_as_of is None
    assert [t.key for t in b.tables] == [k for k in TABLE_KEYS if k != "changes"]


def test_resources_funding_gap_is_extra_fte_times_cost(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["a"])
    lines = {r.measure: r.value for r in b.resources}
    extra = next(v for m, v in lines.items() if m.startswith("Extra FTE needed"))
    n = int(re.fullmatch(r"([\d,]+) FTE", extra).group(1).replace(",", ""))  # type: ignore[union-attr]
    cost = programme().loaded_cost_per_fte
    assert n > 0
    assert lines["Funding gap"] == f"£{round(n * cost, -3):,.0f} a year"
    assert lines["Officers on the review"] == "about 10"  # 12 officers, rounded
    assert lines["Full-time equivalent (FTE) assessing cases"] == "12.0 FTE"
    assert f"{n:,} more FTE" in b.resources_text


def test_notes_definitions_and_rules(programmes: dict[str, Path]) -> None:
    b = _brief(programmes["a"])
    assert b.disclosure_rules == tuple(rules_text())
    assert b.definitions == DEFINITIONS
    terms = {t for t, _ in DEFINITIONS}
    assert {"case in scope", "assessed", "OFFICIAL-SENSITIVE", "disclosure control"} <= terms
    assert any("two-thirds" in c and "33%" in c for c in b.caveats)  # 30 of 90, shown figures


@pytest.mark.parametrize(
    ("assessed", "in_scope", "pct", "expected"),
    [
        (7610, 9230, 82.0, "About 7,610 of 9,230 cases in scope have been assessed (82%)."),
        ("<10", 45, None, "Fewer than 10 of about 45 cases in scope have been assessed."),
        (0, 120, 0.0, "None of about 120 cases in scope have been assessed (0%)."),
    ],
)
def test_progress_sentence(assessed: object, in_scope: object, pct: float, expected: str) -> None:
    assert progress_sentence(assessed, in_scope, pct) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 8, 14), date(2026, 8, 28), "14 and 28 August 2026"),
        (date(2026, 8, 28), date(2026, 9, 4), "28 August and 4 September 2026"),
        (date(2026, 12, 25), date(2027, 1, 8), "25 December 2026 and 8 January 2027"),
    ],
)
def test_date_range(first: date, last: date, expected: str) -> None:
    assert date_range(first, last) == expected


def test_count_words_and_changes_sentence() -> None:
    assert count_words(1235) == "about 1,235"
    assert count_words("<10") == "fewer than 10"
    assert count_words(0) == "no"
    changes: dict[str, int | str] = {"completed": 425, "net_scope": -15, "newly_allocated": 0}
    assert changes_sentence(date(2026, 6, 19), changes) == (
        "Since 19 June 2026, about 425 assessments were completed; no cases were newly "
        "allocated to an officer; the number of cases in scope fell by about 15."
    )
    changes = {"completed": "<10", "net_scope": 0, "newly_allocated": 20}
    assert changes_sentence(date(2026, 6, 19), changes) == (
        "Since 19 June 2026, fewer than 10 assessments were completed; about 20 cases were "
        "newly allocated to an officer; the number of cases in scope did not change."
    )
