"""The reinvestigation page, the briefing's outcomes and `status --json` agree with an independent count.

The Done-when of issue #16: on the demo, the funnel in `status --json`, on the page and in the
commander's briefing CSV (as recorded) equals a count made here from the latest extract's
reinvestigations.csv with the csv module; the Mayor's office sees it rounded and suppressed, with
no case, investigation or officer reference anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reassess.cli import main
from reassess.disclosure.tables import default_rules
from reassess.snapshot.ingest import ingest
from reassess.store.audit import REF_LIKE_RE
from tests import page_helpers
from tests.extracts import keep_rows
from tests.page_helpers import Exports, latest, metrics
from tests.test_page_briefing import page_texts, small_counts

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "reinvestigation.py")
EXAMPLE_V1 = ROOT / "docs" / "examples" / "extract"
EXAMPLE_V2 = ROOT / "docs" / "examples" / "extract-v2"
STAGES = [
    "referred",
    "engaged",
    "consent_given",
    "opened",
    "suspects_identified",
    "arrested",
    "charged",
]
LABELS = {
    "referred": "Referred for reinvestigation",
    "engaged": "Victim contacted and engaged",
    "consent_given": "Consent given",
    "opened": "Investigation opened",
    "suspects_identified": "Suspects identified",
    "arrested": "Suspects arrested",
    "charged": "Suspects charged",
}


def independent_funnel(extract: Path) -> dict[str, int]:
    """The funnel counted from reinvestigations.csv with the csv module, by the page's definitions."""
    with (extract / "reinvestigations.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    out = dict.fromkeys([*STAGES, "closed", "open", "isva_accepted"], 0)
    for r in rows:
        opened = r["opened_date"].strip() != ""
        consent = r["victim_consent"] == "given" or opened
        engaged = (
            consent
            or r["victim_consent"] == "declined"
            or r["stage"] in ("victim_engaged", "investigating", "charging_decision", "charged")
        )
        reached = {
            "referred": True,
            "engaged": engaged,
            "consent_given": consent,
            "opened": opened,
            "suspects_identified": opened and int(r["suspects_identified"]) > 0,
            "arrested": opened and int(r["suspects_arrested"]) > 0,
            "charged": opened and int(r["suspects_charged"]) > 0,
        }
        for name, yes in reached.items():
            out[name] += yes
        out["closed"] += r["stage"] == "closed"
        out["open"] += r["stage"] != "closed"
        out["isva_accepted"] += r["isva"] == "accepted"
    return out


def open_page(role: str, **query: str) -> AppTest:
    return page_helpers.open_page(PAGE, role, **query)


@pytest.fixture(scope="module")
def expected(demo_dir: Path, demo_extracts: Path) -> dict[str, int]:
    snap = latest(demo_dir)
    counts = independent_funnel(demo_extracts / snap.label)
    assert counts["referred"] > 100 and counts["opened"] > 10  # the demo has a real funnel
    return counts


def test_status_json_funnel_equals_the_independent_count(
    demo_env: Path, expected: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["reinvestigation"]
    assert data["recorded"] is True and data["recorded_from"] == "2026-01-09"
    assert data["funnel"] == {k: expected[k] for k in STAGES}
    assert (data["closed"], data["open"]) == (expected["closed"], expected["open"])
    assert data["isva"]["accepted"] == expected["isva_accepted"]
    assert data["isva"]["isvas_in_post"] == 12
    coupled = data["coupled_plan"]
    assert coupled["peak_unmet_fte"] >= 0 and coupled["unmet_cost_12m_gbp"] >= 0
    assert coupled["statement"].startswith("Over the next 12 months")
    assert coupled["isva_statement"].startswith("At most ")


def test_status_text_has_a_reinvestigation_line(
    demo_env: Path, expected: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Reinvest"))
    assert line.startswith(f"Reinvestigations: {expected['referred']:,} referred, ")


def test_the_page_funnel_equals_the_independent_count(
    demo_env: Path, expected: dict[str, int]
) -> None:
    at = open_page("commander")
    shown = metrics(at)
    assert shown["Referred"] == f"{expected['referred']:,}"
    assert shown["Investigation opened"] == f"{expected['opened']:,}"
    assert shown["ISVA accepted"] == f"{expected['isva_accepted']:,}"
    funnel = next(df.value for df in at.dataframe if "Stage" in df.value.columns)
    by_stage = dict(zip(funnel["Stage"], funnel["Reinvestigations"], strict=True))
    assert {k: int(by_stage[LABELS[k]]) for k in STAGES} == {k: expected[k] for k in STAGES}
    assert "Reinvestigations recorded from 9 January 2026" in " ".join(c.value for c in at.caption)
    months = next(df.value for df in at.dataframe if "Unmet FTE" in df.value.columns)
    assert len(months) == 12
    assert any(m.value.startswith("Over the next 12 months") for m in at.markdown)


def test_the_commanders_briefing_csv_holds_the_funnel_as_recorded(
    demo_env: Path, expected: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    assert main(["briefing", "--role", "commander", "--csv-dir", str(out)]) == 0
    text = (out / "reinvestigation.csv").read_text(encoding="utf-8-sig")
    rows = {r["Stage"]: r["Reinvestigations"] for r in csv.DictReader(io.StringIO(text))}
    assert {k: int(rows[LABELS[k]]) for k in STAGES} == {k: expected[k] for k in STAGES}
    assert int(rows["Closed"]) == expected["closed"]
    assert int(rows["Victims supported (ISVA accepted)"]) == expected["isva_accepted"]
    notes = (out / "notes.csv").read_text(encoding="utf-8-sig")
    assert 'unmet_demand,"Over the next 12 months' in notes and " FTE (about £" in notes


def disclosed(value: str) -> bool:
    rules = default_rules()
    if value in (rules.suppressed_label, "0"):
        return True
    n = int(value.replace(",", ""))
    return n >= rules.threshold and n % rules.rounding_base == 0


def test_the_mayors_office_sees_the_funnel_rounded_and_suppressed_and_no_reference(
    demo_env: Path, expected: dict[str, int], tmp_path: Path
) -> None:
    at = open_page("mayors_office")
    texts = page_texts(at)
    everything = "\n".join(texts)
    assert not REF_LIKE_RE.findall(everything)
    assert "SYN-" not in everything and "PPO-" not in everything
    assert not at.metric  # no recorded count in a tile
    table = next(df.value for df in at.dataframe if "Stage" in df.value.columns)
    values = [str(v) for column in table.columns[1:] for v in table[column]]
    assert values and all(disclosed(v) for v in values), values
    assert any(v == default_rules().suppressed_label for v in values)  # small counts hidden
    by_stage = dict(zip(table["Stage"], table["Reinvestigations"], strict=True))
    referred = int(str(by_stage[LABELS["referred"]]).replace(",", ""))
    assert abs(referred - expected["referred"]) <= 2 * len(STAGES)  # derived, near the truth
    for text in texts:
        if "reinvestigation" in text.lower() and "counts of" not in text.lower():
            assert small_counts(re.sub(r"\b\d+ weeks\b", "", text)) == [], text
    # the Mayor's office's briefing CSV: the same disclosed figures
    out = tmp_path / "csv"
    assert main(["briefing", "--csv-dir", str(out)]) == 0
    csv_text = (out / "reinvestigation.csv").read_text(encoding="utf-8-sig")
    assert not REF_LIKE_RE.findall(csv_text)
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["Reinvestigations"] for r in rows] == [
        str(v).replace(",", "") for v in table["Reinvestigations"]
    ]
    assert all(disclosed(r["Reinvestigations"]) for r in rows)
    notes = (out / "notes.csv").read_text(encoding="utf-8-sig")
    unmet = next(line for line in notes.splitlines() if line.startswith("narrative,unmet_demand"))
    assert " FTE (about £" in unmet and "so far" not in unmet  # no exact count of closures
    assert any(" FTE (about £" in m.value for m in at.markdown)


def test_the_awaiting_contact_list_is_for_commanders_with_a_reason(
    demo_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planner = open_page("planner")
    assert not planner.text_input
    assert any("commanders only" in c.value for c in planner.caption)
    exports = Exports(monkeypatch)
    at = open_page("commander")
    at.text_input(key="ri_awaiting_reason").input("checking contact delays for the review").run()
    assert not at.exception
    listed = next(df.value for df in at.dataframe if "Investigation reference" in df.value.columns)
    assert len(listed) > 0 and (listed["Days waiting for contact"] > 56).all()
    data = exports.click().decode("utf-8-sig")
    assert "investigation_ref" in data and "OFFICIAL-SENSITIVE" in data
    from reassess.config import settings
    from reassess.store.audit import AuditLog

    log = AuditLog(settings().audit_dir).read()
    kinds = {(r.action, r.detail, r.reason) for r in log.itertuples()}
    what = "reinvestigations awaiting victim contact for over 8 weeks"
    assert ("drilldown", what, "checking contact delays for the review") in kinds
    assert ("export", "awaiting-contact-2026-06-26.csv", "") in kinds


def test_a_v1_snapshot_says_none_are_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(EXAMPLE_V1, date(2026, 1, 23), tmp_path / "snapshots", synthetic=True)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    for role in ("commander", "mayors_office"):
        at = open_page(role)
        assert any("No reinvestigations are recorded" in i.value for i in at.info)


def test_history_begins_at_the_first_v2_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(EXAMPLE_V1, date(2026, 1, 23), tmp_path / "snapshots", synthetic=True)
    ingest(EXAMPLE_V2, date(2026, 6, 26), tmp_path / "snapshots", synthetic=True)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    at = open_page("commander")
    assert "Reinvestigations recorded from 26 June 2026" in " ".join(c.value for c in at.caption)
    assert metrics(at)["Referred"] == "4"
    at = open_page("commander", snapshot="2026-01-23")
    assert any("No reinvestigations are recorded" in i.value for i in at.info)


def test_the_overview_leads_with_the_reinvestigation_phase_once_assessments_are_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(shutil.copytree(EXAMPLE_V2, tmp_path / "extract"))
    keep_rows(folder, "cases.csv", [2, 3, 4, 5, 6, 9])  # every case left is assessed
    ingest(folder, date(2026, 6, 26), tmp_path / "snapshots", synthetic=True)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=90)
    at.session_state["demo_role"] = "commander"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lead = at.success[0].value
    assert lead.startswith("Initial assessments complete on 10 June 2026.")
    assert (
        "3 reinvestigations are open (referred, not yet closed) and 1 with a suspect charged"
        in lead
    )
    # the tiles stop forecasting and counting: complete, and finished 2.9 weeks after the target
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Finish, median (P50)"] == tiles["Finish, 95% confidence (P95)"] == "Complete"
    assert (
        tiles["Weeks finished after target"]
        == f"{(date(2026, 6, 10) - date(2026, 4, 30)).days / 7:.1f}"
    )
    assert "Weeks overdue" not in tiles


def test_the_briefing_zip_has_the_reinvestigation_table(demo_env: Path) -> None:
    """The briefing's zip and workbook hold the reinvestigation table and the unmet demand."""
    from reassess.briefing.build import build_briefing
    from reassess.briefing.export import briefing_zip
    from reassess.config import programme
    from reassess.snapshot.listing import list_snapshots
    from reassess.snapshot.runner import Database

    listing = list_snapshots(demo_env / "snapshots")
    snap = listing.latest
    assert snap is not None
    b = build_briefing(Database(), snap, listing.previous(snap), programme())
    names = zipfile.ZipFile(io.BytesIO(briefing_zip(b))).namelist()
    assert "reinvestigation.csv" in names
    from openpyxl import load_workbook

    from reassess.briefing.export import briefing_xlsx

    book = load_workbook(io.BytesIO(briefing_xlsx(b)))
    sheet = book["reinvestigation"]
    assert sheet["A2"].value == "Referred for reinvestigation"
    assert any("Over the next 12 months" in str(c.value) for c in book["Notes"]["C"])
    from pypdf import PdfReader

    from reassess.briefing.export import briefing_pdf

    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(briefing_pdf(b))).pages)
    assert "Reinvestigations and victim support" in pdf and "Victims supported" in pdf
    assert not REF_LIKE_RE.findall(pdf)


def test_every_disclosed_figure_holds_the_truth_and_is_derived_from_base_cells(
    demo_env: Path, tmp_path: Path
) -> None:
    """Each figure the Mayor's office sees is a base cell or derived from them, and its interval
    holds the recorded count; a comparison's change likewise."""
    from reassess.briefing.outcomes import BASE, ROWS, base_cells, figure_cells, outcomes
    from reassess.disclosure.ledger import Ledger
    from reassess.figures.reinvestigation import read_funnel
    from reassess.snapshot.listing import list_snapshots
    from reassess.snapshot.runner import Database

    rules, db = default_rules(), Database()
    listing = list_snapshots(demo_env / "snapshots")
    snap = listing.latest
    assert snap is not None
    compare = listing.previous(snap)
    assert compare is not None
    ledger = Ledger(tmp_path / "releases.duckdb")
    out = outcomes(db, snap, compare, ledger, rules, role="mayors_office")
    truth = read_funnel(db, snap, role="commander")
    before = read_funnel(db, compare, role="commander")
    for name, _ in ROWS:
        cell = out.cells[name]
        assert cell.hi is not None and cell.lo <= truth[name] <= cell.hi, name
        moved = out.cells[f"change:{compare.label}:{name}"]
        assert moved.hi is not None and moved.lo <= truth[name] - before[name] <= moved.hi, name
    base = base_cells(db, snap, ledger, rules)
    assert set(ledger.base("reinvestigation")) == {
        f"{day}:{name}" for day in (snap.label, compare.label) for name in BASE
    }
    assert figure_cells(base, rules) == {k: out.cells[k] for k, _ in ROWS}  # read back the same
