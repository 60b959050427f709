"""Contract version 2: the reinvestigations table and officers.workstream, validated as v1 is."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reassess.cli import main
from reassess.snapshot.ingest import ingest
from tests.extracts import ROOT, copy_row, file_names, hashes, keep_rows, mutate_csv, run_cli

EXAMPLE_V2 = ROOT / "docs" / "examples" / "extract-v2"
EXAMPLE_V1 = ROOT / "docs" / "examples" / "extract"
V2_AS_OF = date(2026, 6, 26)
RI = "reinvestigations.csv"
REFUSED = "Nothing was written."


def query(snapshot: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def v2_extract(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_V2, tmp_path / "extract"))


def test_the_v2_example_ingests_with_the_real_cli(tmp_path: Path) -> None:
    result = run_cli(["ingest", str(EXAMPLE_V2), "--as-of", "2026-06-26", "--synthetic"], tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.endswith(
        "(8 cases, 8 officers, 3 abstractions, 4 reinvestigations, 0 warnings).\n"
    )
    snapshot = tmp_path / "snapshots" / "2026-06-26.duckdb"
    assert query(snapshot, "select contract_version from manifest") == [("2",)]
    assert query(
        snapshot, "select stage, count(*) from reinvestigations group by stage order by stage"
    ) == [("awaiting_contact", 1), ("charged", 1), ("closed", 1), ("investigating", 1)]
    assert query(
        snapshot, "select workstream, count(*) from officers group by all order by workstream"
    ) == [("assessment", 6), ("reinvestigation", 2)]


def test_a_v1_extract_is_still_v1_with_the_v2_tables_empty(tmp_path: Path) -> None:
    result = ingest(EXAMPLE_V1, date(2026, 1, 23), tmp_path / "snapshots")

    assert result.contract_version == "1"
    assert query(result.path, "select contract_version from manifest") == [("1",)]
    assert query(result.path, "select count(*) from reinvestigations") == [(0,)]
    assert query(result.path, "select distinct workstream from officers") == [("assessment",)]


def test_the_workstream_column_alone_makes_an_extract_v2(tmp_path: Path) -> None:
    folder = v2_extract(tmp_path)
    (folder / RI).unlink()

    result = ingest(folder, V2_AS_OF, tmp_path / "snapshots")

    assert (result.contract_version, result.reinvestigations) == ("2", 0)


@dataclass(frozen=True)
class BadV2:
    id: str
    make: Callable[[Path], object]
    expect: tuple[str, ...]


def cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda folder: mutate_csv(folder, file, row, column, value)


def cells(*changes: tuple[str, int, str, str]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for change in changes:
            mutate_csv(folder, *change)

    return make


BAD_V2 = [
    BadV2(
        "case_not_referred_for_reinvestigation",
        cell(RI, 2, "case_ref", "SYN-2012-00002"),
        (
            "reinvestigations.csv, row 2, column case_ref: value 'SYN-2012-00002'",
            "is a case whose outcome is no_further_action, not reinvestigate",
        ),
    ),
    BadV2(
        "case_still_in_assessment",
        cell(RI, 2, "case_ref", "SYN-2016-00006"),
        ("row 2, column case_ref: value 'SYN-2016-00006'", "outcome is not yet given"),
    ),
    BadV2(
        "unknown_case",
        cell(RI, 3, "case_ref", "SYN-9999-00001"),
        (
            "reinvestigations.csv, row 3, column case_ref: value 'SYN-9999-00001'",
            "is not in cases.csv; a reinvestigation must be of a case in the extract",
        ),
    ),
    BadV2(
        "unknown_lead_officer",
        cell(RI, 2, "lead_officer_ref", "PPO-9999"),
        (
            "reinvestigations.csv, row 2, column lead_officer_ref: value 'PPO-9999'",
            "is not in officers.csv; add the officer there or correct the reference",
        ),
    ),
    BadV2(
        "opened_before_referred",
        cell(RI, 2, "opened_date", "2025-11-10"),
        (
            "reinvestigations.csv, row 2, column opened_date: value '2025-11-10'",
            "is before referred_date 2025-11-17; dates must run completed <= referred <= opened <= closed",
        ),
    ),
    BadV2(
        "referred_before_the_assessment_completed",
        cell(RI, 2, "referred_date", "2025-11-01"),
        (
            "reinvestigations.csv, row 2, column referred_date: value '2025-11-01'",
            "is before the case's completed_date 2025-11-12 in cases.csv",
        ),
    ),
    BadV2(
        "closed_before_referred",
        cell(RI, 4, "closed_date", "2026-02-01"),
        (
            "reinvestigations.csv, row 4, column closed_date: value '2026-02-01'",
            "is before referred_date 2026-02-16",
        ),
    ),
    BadV2(
        "referred_in_the_future",
        cell(RI, 3, "referred_date", "2026-07-01"),
        (
            "reinvestigations.csv, row 3, column referred_date: value '2026-07-01'",
            "is in the future (after the as-of date 2026-06-26)",
        ),
    ),
    BadV2(
        "charged_more_than_arrested",
        cell(RI, 5, "suspects_charged", "3"),
        (
            "reinvestigations.csv, row 5, column suspects_charged: value '3'",
            "is more than suspects_arrested (2); it must be between 0 and suspects_arrested",
        ),
    ),
    BadV2(
        "arrested_more_than_identified",
        cell(RI, 2, "suspects_arrested", "4"),
        (
            "reinvestigations.csv, row 2, column suspects_arrested: value '4'",
            "is more than suspects_identified (3)",
        ),
    ),
    BadV2(
        "lead_officer_before_investigating",
        cell(RI, 3, "lead_officer_ref", "PPO-0101"),
        (
            "reinvestigations.csv, row 3, column lead_officer_ref: value 'PPO-0101'",
            "is set but the reinvestigation is only at awaiting_contact; it belongs to "
            "investigating and later (check the stage or clear the value)",
        ),
    ),
    BadV2(
        "closure_outcome_while_open",
        cell(RI, 5, "closure_outcome", "charged_all"),
        (
            "reinvestigations.csv, row 5, column closure_outcome: value 'charged_all'",
            "is set but the reinvestigation is only at charged; it belongs to closed",
        ),
    ),
    BadV2(
        "investigating_without_opened_date",
        cell(RI, 2, "opened_date", ""),
        (
            "reinvestigations.csv, row 2, column opened_date: value ''",
            "is empty but the reinvestigation is at investigating; it is required from investigating on",
        ),
    ),
    BadV2(
        "closed_without_a_date",
        cell(RI, 4, "closed_date", ""),
        (
            "reinvestigations.csv, row 4, column closed_date: value ''",
            "is empty but the reinvestigation is closed",
        ),
    ),
    BadV2(
        "investigating_without_consent",
        cell(RI, 2, "victim_consent", "pending"),
        (
            "reinvestigations.csv, row 2, column victim_consent: value 'pending'",
            "is pending but the reinvestigation is at investigating; a reinvestigation goes "
            "beyond victim_engaged only with consent given",
        ),
    ),
    BadV2(
        "duplicate_investigation_ref",
        lambda f: copy_row(f, RI, 2, case_ref="SYN-2019-00008"),
        (
            "reinvestigations.csv, row 6, column investigation_ref: value 'RI-0001'",
            "is a duplicate of row 2; each reinvestigation must appear once",
        ),
    ),
    BadV2(
        "two_reinvestigations_of_one_case",
        lambda f: copy_row(f, RI, 2, investigation_ref="RI-0009"),
        (
            "reinvestigations.csv, row 6, column case_ref: value 'SYN-2011-00001'",
            "already has a reinvestigation in row 2; each case has at most one",
        ),
    ),
    BadV2(
        "unknown_stage",
        cell(RI, 2, "stage", "arrested"),
        (
            "reinvestigations.csv, row 2, column stage: value 'arrested'",
            "is not allowed; expected one of awaiting_contact, victim_engaged, investigating, "
            "charging_decision, charged, closed",
        ),
    ),
    BadV2(
        "suspects_empty",
        cell(RI, 3, "suspects_identified", ""),
        (
            "reinvestigations.csv, row 3, column suspects_identified: value ''",
            "is empty; a value is required (a whole number)",
        ),
    ),
    BadV2(
        "hours_over_5000",
        cell(RI, 2, "hours_spent", "5001"),
        (
            "reinvestigations.csv, row 2, column hours_spent: value '5001'",
            "is too large; expected at most 5000",
        ),
    ),
    BadV2(
        "unknown_workstream",
        cell("officers.csv", 8, "workstream", "investigation"),
        (
            "officers.csv, row 8, column workstream: value 'investigation'",
            "is not allowed; expected one of assessment, reinvestigation",
        ),
    ),
]


@pytest.fixture(scope="module")
def good_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    ingest(EXAMPLE_V1, date(2026, 1, 23), root / "snapshots", synthetic=True)
    return root / "snapshots"


@pytest.fixture
def data_dir(tmp_path: Path, good_snapshots: Path) -> Path:
    shutil.copytree(good_snapshots, tmp_path / "data" / "snapshots")
    return tmp_path / "data"


@pytest.mark.parametrize("bad", BAD_V2, ids=lambda b: b.id)
def test_bad_v2_extract_is_refused_with_row_and_column(
    bad: BadV2,
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = v2_extract(tmp_path)
    bad.make(folder)
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))

    status = main(["ingest", str(folder), "--as-of", V2_AS_OF.isoformat()])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert any(all(part in line for part in bad.expect) for line in errors), captured.err
    assert captured.err.splitlines()[-1].endswith(REFUSED)
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_a_v2_extract_after_v1_snapshots_starts_the_history(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    ingest(EXAMPLE_V1, date(2026, 1, 23), snapshots)

    result = ingest(EXAMPLE_V2, V2_AS_OF, snapshots)

    assert result.contract_version == "2"
    assert result.warnings == ()  # nothing is "gone" from a snapshot that recorded none
    assert query(result.path, "select count(*) from reinvestigation_changes") == [(0,)]


def test_v2_warnings_gone_stage_backwards_and_awaiting_contact(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    ingest(EXAMPLE_V2, V2_AS_OF, snapshots)
    folder = v2_extract(tmp_path)
    as_of = date(2026, 8, 7)  # RI-0002 (referred 2026-06-01) has waited 67 days
    mutate_csv(folder, RI, 2, "stage", "victim_engaged")  # RI-0001 goes back from investigating
    mutate_csv(folder, RI, 2, "lead_officer_ref", "")
    mutate_csv(folder, RI, 2, "opened_date", "")
    keep_rows(folder, RI, [2, 3, 5])  # RI-0003 is gone

    result = ingest(folder, as_of, snapshots)

    assert [str(w) for w in result.warnings] == [
        "reinvestigations.csv, row 3, column referred_date: value '2026-06-01': "
        "reinvestigation RI-0002 has been awaiting contact for 67 days (over 8 weeks)",
        "reinvestigations.csv, column investigation_ref: value 'RI-0003': "
        "reinvestigation RI-0003 was in the snapshot of 2026-06-26 and is gone from this extract",
        "reinvestigations.csv, column stage: value 'victim_engaged': "
        "reinvestigation RI-0001 went back from investigating to victim_engaged since 2026-06-26",
    ]
    assert query(
        result.path, "select investigation_ref, change from reinvestigation_changes order by 1"
    ) == [("RI-0001", "stage_backwards"), ("RI-0003", "removed")]
    assert query(result.path, "select code from warnings order by code") == [
        ("reinvestigation_gone",),
        ("stage_backwards",),
        ("stale_awaiting_contact",),
    ]


def test_a_v2_workbook_is_read_like_the_folder(tmp_path: Path) -> None:
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in ("cases", "officers", "abstractions", "reinvestigations"):
        ws = wb.create_sheet(name)
        with (EXAMPLE_V2 / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                ws.append([v if v != "" else None for v in row])
    path = tmp_path / "extract.xlsx"
    wb.save(path)

    result = ingest(path, V2_AS_OF, tmp_path / "snapshots")

    assert (result.contract_version, result.reinvestigations, result.cases) == ("2", 4, 8)
    assert result.warnings == ()


def test_the_data_contract_page_lists_every_column_of_every_table() -> None:
    from reassess.extract.contract import TABLES

    text = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        section = text.split(f"\n## {name} ", 1)[1].split("\n## ", 1)[0]
        listed = [
            line.split("|")[1].strip()
            for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| column")
        ]
        assert listed == [c.name for c in columns], name
