"""PDF, Excel and CSV exports: the marking everywhere, the same figures, no live formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from reassess.briefing.build import build_briefing
from reassess.briefing.contents import TABLE_KEYS, Briefing, BriefingTable
from reassess.briefing.export import (
    CSV_ENCODING,
    FORMULA_PREFIXES,
    briefing_csvs,
    briefing_pdf,
    briefing_xlsx,
    briefing_zip,
    burn_up_png,
    category_png,
    safe_cell,
)
from reassess.config import programme
from reassess.snapshot.runner import Database
from tests.briefing_fixtures import SPEC_A, ProgrammeSpec, build_programme, snapshots_of

EVIL = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd")


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    latest, before = snapshots_of(build_programme(tmp_path_factory.mktemp("exports"), SPEC_A))
    return build_briefing(Database(), latest, before, programme())


@pytest.fixture(scope="module")
def evil(briefing: Briefing) -> Briefing:
    """The briefing with text that would run as a formula in a table and in the notes."""
    table = BriefingTable(
        "by_category",
        "=cmd|' /C calc'!A0",
        pd.DataFrame(
            {
                "Category": list(EVIL),
                "In scope": [-5, 10, 15, 20, 25, 30],
                "Assessed": ["<10", 10, 10, 10, 10, 10],
            }
        ),
        ("@note",),
        ("In scope",),
    )
    return dataclasses.replace(briefing, by_category=table, headline="=1+1 " + briefing.headline)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("<10", "<10"),
        ("[c]", "[c]"),
        ("Camden", "Camden"),
        ("", ""),
        (-5, -5),
        (-2.5, -2.5),
        (0, 0),
        (None, None),
        (date(2026, 6, 26), date(2026, 6, 26)),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected
    assert type(safe_cell(value)) is type(expected)


def _live_formula(value: object) -> bool:
    """Text a spreadsheet would run as a formula (numbers, even negative, are not text)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _xlsx_cells(data: bytes) -> list[tuple[str, object, str]]:
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c.value, c.data_type) for ws in wb for row in ws.iter_rows() for c in row]


def test_xlsx_has_no_live_formula(briefing: Briefing, evil: Briefing) -> None:
    for b in (briefing, evil):
        for sheet, value, kind in _xlsx_cells(briefing_xlsx(b)):
            assert kind != "f", (sheet, value)
            assert not _live_formula(value), (sheet, value)
    values = [v for _, v, _ in _xlsx_cells(briefing_xlsx(evil))]
    for text in EVIL[:-1]:
        assert "'" + text in values
    assert any(isinstance(v, str) and v.startswith("'") and v.endswith("cmd") for v in values)
    assert -5 in values, "a negative number stays a number"
    assert any(isinstance(v, str) and v.startswith("'=1+1 About 45") for v in values)


def test_xlsx_sheets_notes_and_marking(briefing: Briefing) -> None:
    wb = load_workbook(io.BytesIO(briefing_xlsx(briefing)))
    assert wb.sheetnames == ["Notes", *TABLE_KEYS]
    notes = [str(c.value) for row in wb["Notes"].iter_rows() for c in row if c.value is not None]
    assert notes[0] == "OFFICIAL-SENSITIVE · SYNTHETIC DATA"
    joined = "\n".join(notes)
    for needle in ("2026-03-06", "2026-02-27", briefing.headline, briefing.disclosure_rules[0]):
        assert needle in joined
    assert "disclosure control" in joined  # a definition
    for ws in wb:
        assert ws.oddHeader.center.text == briefing.marking
        assert ws.oddFooter.center.text == briefing.marking
    headline = wb["headline"]
    assert [c.value for c in headline[1]] == list(briefing.headline_table.frame.columns)
    assert [c.value for c in headline[2]] == ["Cases in scope", 125, 120]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(CSV_ENCODING))))


def test_csvs_are_plain_tables_without_live_formula(briefing: Briefing, evil: Briefing) -> None:
    files = briefing_csvs(briefing)
    assert sorted(files) == sorted([f"{k}.csv" for k in TABLE_KEYS] + ["notes.csv"])
    for b in (briefing, evil):
        for data in briefing_csvs(b).values():
            for row in _csv_rows(data):
                for cell in row:
                    if _live_formula(cell):
                        float(cell)  # only a number may start with - or +
    rows = _csv_rows(briefing_csvs(evil)["by_category.csv"])
    assert rows[0] == ["Category", "In scope", "Assessed"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in EVIL]
    assert rows[1][1] == "-5"
    table = pd.read_csv(io.BytesIO(files["by_category.csv"]), encoding=CSV_ENCODING)
    assert list(table.columns) == list(briefing.by_category.frame.columns)
    assert list(table["In scope"].astype(str)) == [
        str(v) for v in briefing.by_category.frame["In scope"]
    ]


def test_notes_csv(briefing: Briefing) -> None:
    rows = _csv_rows(briefing_csvs(briefing)["notes.csv"])
    assert rows[0] == ["section", "item", "text"]
    found = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert found[("marking", "marking")] == "OFFICIAL-SENSITIVE · SYNTHETIC DATA"
    assert found[("source", "as_of")] == "2026-03-06"
    assert found[("disclosure_rule", "rule_1")] == briefing.disclosure_rules[0]


def test_zip_holds_the_csvs(briefing: Briefing) -> None:
    with zipfile.ZipFile(io.BytesIO(briefing_zip(briefing))) as z:
        assert sorted(z.namelist()) == sorted(briefing_csvs(briefing))
        assert z.read("notes.csv") == briefing_csvs(briefing)["notes.csv"]


def test_pdf_opens_with_marking_and_page_numbers_on_every_page(briefing: Briefing) -> None:
    reader = PdfReader(io.BytesIO(briefing_pdf(briefing)))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 3
    for i, text in enumerate(pages, start=1):
        assert text.count(briefing.marking) >= 2, f"page {i}: header and footer"
        assert f"Page {i} of {len(pages)}" in text
        assert "As at 6 March 2026" in text
    everything = _flat(" ".join(pages))
    assert _flat(briefing.headline) in everything
    assert _flat(briefing.disclosure_rules[0]) in everything
    assert "Disclosure control applied" in everything
    assert "PPO-" not in everything and "SYN-" not in everything
    assert reader.metadata is not None and reader.metadata.subject == briefing.marking


@pytest.mark.filterwarnings("ignore:Glyph")
def test_pdf_escapes_labels(evil: Briefing) -> None:
    text = _flat(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(briefing_pdf(evil))).pages)
    )
    assert "=1+1 About 45" in text and "<10" in text


def test_pdf_marking_for_real_data(tmp_path: Path) -> None:
    spec = ProgrammeSpec(in_scope=60, assessed=30, completed_since=10, added_since=0, officers=10)
    latest, before = snapshots_of(build_programme(tmp_path, spec, synthetic=False))
    b = build_briefing(Database(), latest, before, programme())
    for page in PdfReader(io.BytesIO(briefing_pdf(b))).pages:
        text = page.extract_text()
        assert text.count("OFFICIAL-SENSITIVE") >= 2 and "SYNTHETIC" not in text


@pytest.mark.parametrize("chart", [burn_up_png, category_png])
def test_charts_are_greyscale(briefing: Briefing, chart: Callable[[Briefing], io.BytesIO]) -> None:
    """Line styles and hatching carry the meaning: the images hold no colour at all."""
    pixels = np.asarray(Image.open(chart(briefing)).convert("RGB")).astype(int)
    assert pixels.shape[0] > 100
    assert np.abs(pixels[..., 0] - pixels[..., 1]).max() == 0
    assert np.abs(pixels[..., 1] - pixels[..., 2]).max() == 0
