"""Every page, for every role that may open it, reads in words: no contract code, no Python value.

What a person reads on a page is gathered from the AppTest tree: headings, text, captions,
notices, metric tiles, widget labels and options, table headings and cells, and the words inside
every chart (titles, axis titles, legend names, category labels). None of it may hold:

- one of the contract's snake_case codes (`nfa_victim_declined`, `case_ref`, ...);
- "None", "nan" or "NaT";
- an ISO timestamp with a time part ("2010-01-04 00:00:00"), or a table column of timestamps,
  which the grid would show that way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import PAGES
from reassess.extract import contract

ROOT = Path(__file__).resolve().parent.parent


def contract_codes() -> set[str]:
    """Every snake_case value and column name the data contract defines."""
    codes: set[str] = set()
    for name in dir(contract):
        value = getattr(contract, name)
        if isinstance(value, tuple):
            for item in value:
                if isinstance(item, str):
                    codes.add(item)
                elif isinstance(item, contract.Column):
                    codes.add(item.name)
                    codes.update(item.choices)
    return {c for c in codes if "_" in c}


CODES = contract_codes()
CODE_RE = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(map(re.escape, CODES))) + r")(?![\w/-])")
PY_VALUE_RE = re.compile(r"(?<![\w'])(None|nan|NaN|NaT)(?![\w'])")
TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T][\d:.]+)?$")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")  # a markdown link's address is not read as text


def chart_words(spec: Any) -> Iterator[str]:
    """The words a plotly figure shows: titles, legend names, text, category labels."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in {"text", "name", "ticktext", "legendgrouptitle"} and isinstance(
                value, (str, list)
            ):
                yield from (value if isinstance(value, list) else [value])
            elif key in {"x", "y", "labels", "header", "cells"} and isinstance(value, list):
                # dates on a date axis are data: the axis shows them by its tick format
                yield from (v for v in value if isinstance(v, str) and not ISO_DATE_RE.match(v))
            else:
                yield from chart_words(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from chart_words(item)


def frame_words(df: pd.DataFrame, where: str) -> Iterator[tuple[str, str]]:
    for column in df.columns:
        yield where, str(column)
        series = df[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            yield where, f"a column of timestamps: {column!r} (shown as 2026-01-04 00:00:00)"
            continue
        if series.dtype == object:
            for value in series.dropna().unique()[:500]:
                yield where, str(value)
        if series.isna().any() and series.dtype == object:
            yield where, f"{column!r} has empty cells the grid shows as None"
    for value in df.index[:500]:
        if isinstance(value, str):
            yield where, value


def rendered_words(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a person reads on the page."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "latex"):
        for el in getattr(at, kind):
            yield kind, LINK_TARGET_RE.sub("]", str(el.value))
    for kind in ("info", "warning", "error", "success", "exception"):
        for el in getattr(at, kind):
            yield kind, str(el.value)
    for m in at.metric:
        yield "metric", f"{m.label}: {m.value} {m.delta or ''}"
    for kind in ("selectbox", "radio", "multiselect", "select_slider"):
        for el in getattr(at, kind):
            yield kind, str(el.label)
            yield from ((kind, str(o)) for o in el.options)
    for kind in ("button", "checkbox", "toggle", "slider", "number_input", "text_input"):
        for el in getattr(at, kind):
            yield kind, str(el.label)
    for kind in ("date_input", "text_area"):
        for el in getattr(at, kind):
            yield kind, str(el.label)
    for el in at.expander:
        yield "expander", str(el.label)
    for el in at.tabs:
        yield "tab", str(el.label)
    for df in at.dataframe:
        yield from frame_words(df.value, "table")
    for t in at.table:
        yield from frame_words(t.value, "table")
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for word in chart_words(spec):
            yield "chart", str(word)


def faults(at: AppTest) -> list[str]:
    found = []
    for where, text in rendered_words(at):
        if text.startswith("a column of timestamps") or text.endswith("shows as None"):
            found.append(f"{where}: {text}")
            continue
        for rule, pattern in (("code", CODE_RE), ("value", PY_VALUE_RE), ("time", TIMESTAMP_RE)):
            hit = pattern.search(text)
            if hit:
                found.append(f"{where}: {rule} {hit.group(0)!r} in {text[:120]!r}")
    return sorted(set(found))


CASES = [(p.page_id, role) for p in PAGES for role in sorted(p.roles)]


@pytest.mark.parametrize(("page_id", "role"), CASES, ids=[f"{p}-{r}" for p, r in CASES])
def test_every_page_reads_in_words_for_every_role(demo_env: Path, page_id: str, role: str) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=90)
    at.session_state["demo_role"] = role
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(rendered_words(at)), "nothing was read off the page"
    found = faults(at)
    assert not found, f"{len(found)} faults:\n" + "\n".join(found[:25])


def test_the_scan_finds_codes_values_and_timestamps() -> None:
    """The scan has teeth: each rule fires on what it is meant to catch, and not on words."""
    assert CODE_RE.search("Outcome: nfa_victim_declined")
    assert CODE_RE.search("case_ref")
    assert not CODE_RE.search("No further action (victim declined)")
    assert not CODE_RE.search(LINK_TARGET_RE.sub("]", "[Data quality](/data_quality)"))
    assert PY_VALUE_RE.search("Lead officer: None")
    assert PY_VALUE_RE.search("nan")
    assert not PY_VALUE_RE.search("Nonetheless, the officer's Nancy")
    assert TIMESTAMP_RE.search("2010-01-04 00:00:00")
    assert not TIMESTAMP_RE.search("4 Jan 2010")
    frame = pd.DataFrame({"Started": pd.to_datetime(["2026-01-04", "2026-01-11"])})
    frame["Lead"] = pd.Series(["A", None], dtype=object)
    words = [text for _, text in frame_words(frame, "table")]
    assert any("timestamps" in text for text in words)
    assert any("shows as None" in text for text in words)


DRILL_DOWNS = [
    ("categories", "dd_reason"),
    ("throughput", "tp_oldest_reason"),
    ("data_quality", "dq_reason"),
]


@pytest.mark.parametrize(("page_id", "reason_key"), DRILL_DOWNS, ids=[p for p, _ in DRILL_DOWNS])
def test_case_lists_read_in_words_too(demo_env: Path, page_id: str, reason_key: str) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=90)
    at.session_state["demo_role"] = "commander"
    at.run()
    at.text_input(key=reason_key).input("checking the cases behind this figure").run()
    assert not at.exception, [e.value for e in at.exception]
    lists = [df.value for df in at.dataframe if "Case reference" in df.value.columns]
    assert lists, "no case list opened"
    if page_id != "data_quality":  # its list of changes may be empty in a quiet week
        assert all(len(frame) for frame in lists)
    found = faults(at)
    assert not found, f"{len(found)} faults:\n" + "\n".join(found[:25])
