"""The briefing page under AppTest: disclosed figures only, the marking, and the same as the PDF."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from reassess.briefing.build import build_briefing
from reassess.briefing.contents import Briefing
from reassess.briefing.export import briefing_pdf
from reassess.config import programme
from reassess.disclosure.tables import default_rules
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests.briefing_fixtures import SPEC_A, build_programme
from tests.page_helpers import Exports

ROOT = Path(__file__).resolve().parent.parent
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Numbers in the page's text that are not counts of cases or people: dates, years, percentages,
# money, FTE, weeks, decimals, and the disclosure rules' own wording ("counts of 1 to 9",
# "rounded to the nearest 5", "9 figures are shown as ...": how many cells a table hides).
NOT_COUNTS = (
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"\b\d{1,2}:\d{2}\b",  # a time of day (the snapshot's ingest time)
    rf"\b\d{{1,2}}(?= and \d{{1,2}} (?:{MONTHS})\b)",
    rf"\b\d{{1,2}}(?= (?:{MONTHS})\b)",
    r"\b(?:19|20)\d{2}\b",
    r"\d[\d,]*(?:\.\d+)?%",
    r"£[\d,]+(?:\.\d+)?",
    r"\b\d[\d,]*\.\d+\b",
    r"\b[\d,]+ FTE\b",
    r"\b\d+ weeks?\b",
    r"\b1 to 9\b",
    r"\bnearest \d+\b",
    r"\b\d+ figures? (?:is|are) shown\b",
)
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?![\w.])")


def small_counts(text: str) -> list[str]:
    """Every number in the text, once non-counts are left out, that is a count from 1 to 9."""
    for pattern in NOT_COUNTS:
        text = re.sub(pattern, " ", text)
    return [n for n in NUMBER.findall(text) if 1 <= int(n.replace(",", "")) <= 9]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("About 7,610 of 9,230 cases", []),
        ("between 4 and 11 September 2026", []),
        ("fewer than 10 of about 45", []),
        ("about 5 cases", ["5"]),
        ("Barnet | 7", ["7"]),
        ("(36%) 8 weeks ago, 27 FTE, £1,755,000, 37.8", []),
    ],
)
def test_small_counts_scanner(text: str, found: list[str]) -> None:
    assert small_counts(text) == found


def page_texts(at: AppTest) -> list[str]:
    """Every text the page shows: markdown, captions, alerts, metrics, table cells."""
    # a link's address is not read: only its words are
    texts = [re.sub(r"\]\([^)]*\)", "]", m.value) for m in at.markdown]
    texts += [c.value for c in at.caption]
    texts += [e.value for e in [*at.error, *at.warning, *at.info, *at.success]]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    for df in [*at.dataframe, *at.table]:
        texts += [str(v) for v in df.value.to_numpy().ravel()]
        texts += [str(c) for c in df.value.columns]
    return texts


def run_page(role: str = "mayors_office", **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "briefing.py"), default_timeout=60)
    at.session_state["demo_role"] = role
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def check_disclosed(at: AppTest, *, phase_as_recorded: bool = False) -> None:
    """Every count on the page is disclosed (the review team's reinvestigation table aside)."""
    texts = page_texts(at)
    if phase_as_recorded:  # that table and its sentence are as recorded for the review team
        phase = {
            str(v)
            for df in at.dataframe
            if "Stage" in df.value.columns
            for v in [*df.value.to_numpy().ravel(), *df.value.columns]
        }
        phase |= {m.value for m in at.markdown if "referred for reinvestigation" in m.value}
        phase |= {c.value for c in at.caption if "As recorded, for the commander" in c.value}
        texts = [t for t in texts if t not in phase]
    # Definitions and disclosure rules describe rather than count ("2-4 boroughs", "1 to 9")
    b = latest_briefing()
    static = {f"- **{t}**: {m}" for t, m in b.definitions}
    static |= {f"- {r}" for r in b.disclosure_rules}
    static |= {f"- {s}" for s in b.sources}  # provenance: dates and times, not counts
    scanned = [t for t in texts if t not in static]
    assert len(scanned) > 50
    for text in scanned:
        assert small_counts(text) == [], text
    everything = "\n".join(texts)
    assert "PPO-" not in everything and "SYN-" not in everything
    for table in at.dataframe:
        if phase_as_recorded and "Stage" in table.value.columns:
            continue
        for value in table.value.to_numpy().ravel():
            if re.fullmatch(r"[\d,]+", str(value)):
                n = int(str(value).replace(",", ""))
                assert n == 0 or (n >= 10 and n % default_rules().rounding_base == 0), value


def latest_briefing() -> Briefing:
    from reassess.config import settings

    listing = list_snapshots(settings().snapshot_dir)
    latest = listing.latest
    assert latest is not None
    return build_briefing(Database(), latest, listing.previous(latest), programme())


def test_mayors_office_sees_only_disclosed_counts(demo_env: Path) -> None:
    at = run_page()
    check_disclosed(at)
    b = latest_briefing()
    assert at.markdown[0].value == f"**{b.marking}**" == "**OFFICIAL-SENSITIVE · SYNTHETIC DATA**"
    assert b.headline in [m.value for m in at.markdown]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cases in scope"] == f"{b.figures['in_scope']:,}"
    assert metrics["Assessed"] == f"{b.figures['assessed']:,}"
    offered = at.get("download_button")
    assert [d.proto.label for d in offered] == ["PDF (A4)", "Excel", "CSV files (zip)"]
    css = next(h.proto.body for h in at.get("html") if "@media print" in h.proto.body)
    assert "@media print" in css and "stSidebar" in css and "size: A4" in css


def test_the_print_view_shows_every_row_as_a_static_table(demo_env: Path) -> None:
    at = run_page(print="1")
    check_disclosed(at)
    b = latest_briefing()
    assert len(at.dataframe) == 0  # no grid: it prints only the rows in view
    shown = [t.value for t in at.table]
    tables = [b.changes, b.headline_table, b.reinvestigation, b.by_category, b.by_bcu]
    tables += [b.borough_category]
    tables += [b.resources_table(), b.ethnicity]
    expected = [t.display() for t in tables if t is not None]
    assert len(shown) == len(expected)
    for got, want in zip(shown, expected, strict=True):
        assert list(got.columns) == list(want.columns)
        assert got.shape == want.shape
    boroughs = next(t for t in shown if "Borough" in t.columns)
    assert len(set(boroughs["Borough"]) - {"Total"}) == 32
    bcus = next(t for t in shown if "BCU" in t.columns and "Borough" not in t.columns)
    assert len([v for v in bcus.iloc[:, 0] if str(v) != "Total"]) == 12
    assert len(at.get("image")) == 1  # the burn-up, as the PDF draws it
    assert [s.value for s in at.subheader][-3:] == [
        "Definitions",
        "Disclosure rules applied",
        "Sources",
    ]
    assert len(at.expander) == 0
    assert any("Back to the interactive page" in m.value for m in at.markdown)


def test_pdf_headline_figures_equal_the_pages(demo_env: Path) -> None:
    at = run_page()
    headline = next(m.value for m in at.markdown if m.value.startswith("About "))
    metrics = {m.label: m.value for m in at.metric}
    pdf = PdfReader(io.BytesIO(briefing_pdf(latest_briefing())))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert headline in text
    assert f"About {metrics['Assessed']} of {metrics['Cases in scope']} cases" in headline
    assert f"({metrics['% assessed']})" in headline
    for page in pdf.pages:
        assert page.extract_text().count("OFFICIAL-SENSITIVE · SYNTHETIC DATA") >= 2


@pytest.mark.parametrize("role", ["commander", "planner", "analyst"])
def test_every_role_gets_the_same_disclosed_briefing(demo_env: Path, role: str) -> None:
    at = run_page(role)
    check_disclosed(at, phase_as_recorded=True)
    phase = next(df.value for df in at.dataframe if "Stage" in df.value.columns)
    assert phase["Stage"].iloc[0] == "Referred for reinvestigation"  # as recorded: not rounded
    assert any("As recorded, for the commander" in c.value for c in at.caption)


def test_known_answer_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(build_programme(tmp_path, SPEC_A)))
    at = run_page()
    check_disclosed(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Cases in scope": "125",
        "Assessed": "45",
        "% assessed": "36%",
        "Still to assess": "80",
        "Awaiting allocation": "30",
    }
    assert any(m.value.startswith("About 45 of 125 cases in scope") for m in at.markdown)
    changes = at.dataframe[0].value
    assert list(changes["Cases"]) == ["10", "<10", "<10", "<10"]


def test_no_comparison(demo_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "briefing.py"), default_timeout=60)
    at.session_state["demo_role"] = "mayors_office"
    at.query_params["compare"] = "none"
    at.run()
    assert not at.exception
    assert any("Choose a snapshot to compare" in i.value for i in at.info)


def test_warm_run_time(demo_env: Path) -> None:
    """Not a timed assertion: prints the warm server-side run time for the report."""
    at = run_page()
    start = time.perf_counter()
    at.run()
    print(f"\nbriefing page warm run: {1000 * (time.perf_counter() - start):.0f} ms")
    assert not at.exception


def test_downloads_are_recorded_in_the_audit_before_they_are_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reassess.store.audit import AuditLog

    data = build_programme(tmp_path, SPEC_A)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    exports = Exports(monkeypatch)
    at = run_page()
    offered = at.get("download_button")
    assert [d.proto.label for d in offered] == ["PDF (A4)", "Excel", "CSV files (zip)"]
    assert AuditLog(data / "audit").read(action="export").empty  # offered, not yet taken
    pdf = exports.click(0)
    assert pdf[:5] == b"%PDF-"
    events = AuditLog(data / "audit").read(action="export")
    assert list(events["detail"]) == ["briefing-2026-03-06.pdf"]
    assert list(events["role"]) == ["mayors_office"] and list(events["page"]) == ["briefing"]
