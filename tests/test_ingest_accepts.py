"""Accepted variations are stored canonically; the manifest and the warnings travel with the snapshot."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import reassess
from reassess.cli import main
from reassess.extract.contract import CONTRACT_VERSION
from tests.extracts import (
    AS_OF,
    EXAMPLE_DIR,
    LATER,
    add_column,
    copy_row,
    drop_column,
    keep_rows,
    mutate_csv,
    read_csv,
    run_cli,
    write_csv,
    write_valid_extract,
    write_valid_workbook,
)


def query(snapshot: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query against a written snapshot, opened read-only."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def ingest_ok(
    source: Path,
    data_dir: Path,
    as_of: date,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[Path, str]:
    """Ingest in-process; return the snapshot written and stderr (warnings)."""
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    status = main(["ingest", str(source), "--as-of", as_of.isoformat(), *extra])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "error:" not in captured.err
    snapshot = data_dir / "snapshots" / f"{as_of.isoformat()}.duckdb"
    assert f"Wrote {snapshot.resolve()} (" in captured.out
    return snapshot, captured.err


@dataclass(frozen=True)
class Accepted:
    """A variation of the valid extract, and rows a query of its snapshot must return."""

    id: str
    make: Callable[[Path], Path | None]
    sql: str
    rows: list[tuple[Any, ...]]


def bom(folder: Path) -> None:
    path = folder / "cases.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def windows_1252(folder: Path) -> None:
    mutate_csv(folder, "officers.csv", 2, "team", "Équipe Sud £2")
    path = folder / "officers.csv"
    path.write_bytes(path.read_bytes().decode("utf-8").encode("cp1252"))
    assert b"\xc9quipe Sud \xa32" in path.read_bytes()


def uk_dates(folder: Path) -> None:
    mutate_csv(folder, "cases.csv", 5, "reported_date", "03/04/2015")
    mutate_csv(folder, "cases.csv", 2, "qa_date", "14/11/2025")
    mutate_csv(folder, "officers.csv", 4, "start_date", "3/11/2025")
    mutate_csv(folder, "abstractions.csv", 2, "to_date", "02/01/2026")


def padded_and_upper_case(folder: Path) -> None:
    for column, value in {
        "case_ref": " TST-0001 ",
        "status": "  ASSESSED ",
        "bcu": "ce",
        "borough": "hackney",
        "category": " Organised_Group",
        "priority": "HIGH",
        "victim_support": "Referred ",
    }.items():
        mutate_csv(folder, "cases.csv", 2, column, value)
    mutate_csv(folder, "cases.csv", 4, "borough", "  NEWHAM  ")
    mutate_csv(folder, "cases.csv", 4, "bcu", " ne")
    mutate_csv(folder, "officers.csv", 2, "role", "Detective_Sergeant")
    mutate_csv(folder, "officers.csv", 2, "team", "  Review Team 1  ")


def extra_columns(folder: Path) -> None:
    add_column(folder, "cases.csv", "notes", "see the file")
    add_column(folder, "officers.csv", "Phone extension", "1234")


def line_endings(folder: Path) -> None:
    mutate_csv(folder, "officers.csv", 3, "team", "Review Team 1\nNorth")
    path = folder / "officers.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    path = folder / "cases.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))


def upper_case_headers(folder: Path) -> None:
    rows = read_csv(folder, "cases.csv")
    write_csv(folder, "cases.csv", [[f" {h.upper()} " for h in rows[0]], *rows[1:]])


def optional_parts_left_out(folder: Path) -> None:
    drop_column(folder, "cases.csv", "hours_spent")
    drop_column(folder, "officers.csv", "end_date")
    (folder / "abstractions.csv").unlink()


def real_date_cells(folder: Path) -> Path:
    from openpyxl import load_workbook

    path = write_valid_workbook(folder.parent / "extract.xlsx")
    sheet = load_workbook(path)["cases"]
    assert sheet["B2"].is_date and sheet["P2"].is_date and sheet["P3"].value is None
    return path


ACCEPTED = [
    Accepted(
        "utf8_bom",
        bom,
        "select case_ref, reported_date from cases order by case_ref limit 2",
        [("TST-0001", date(2011, 3, 14)), ("TST-0002", date(2012, 6, 14))],
    ),
    Accepted(
        "windows_1252",
        windows_1252,
        "select officer_ref, team from officers where officer_ref = 'OFF-01'",
        [("OFF-01", "Équipe Sud £2")],
    ),
    Accepted(
        "uk_dates",
        uk_dates,
        "select (select reported_date from cases where case_ref = 'TST-0004'), "
        "(select qa_date from cases where case_ref = 'TST-0001'), "
        "(select start_date from officers where officer_ref = 'OFF-03'), "
        "(select to_date from abstractions)",
        [(date(2015, 4, 3), date(2025, 11, 14), date(2025, 11, 3), date(2026, 1, 2))],
    ),
    Accepted(
        "padded_and_upper_case_enums",
        padded_and_upper_case,
        "select case_ref, status, bcu, borough, category, priority, victim_support from cases "
        "where case_ref in ('TST-0001', 'TST-0003') order by case_ref",
        [
            ("TST-0001", "assessed", "CE", "Hackney", "organised_group", "high", "referred"),
            ("TST-0003", "in_assessment", "NE", "Newham", "gang_related", "high", "not_assessed"),
        ],
    ),
    Accepted(
        "padded_officer_text",
        padded_and_upper_case,
        "select role, team from officers where officer_ref = 'OFF-01'",
        [("detective_sergeant", "Review Team 1")],
    ),
    Accepted(
        "extra_columns_with_warnings",
        extra_columns,
        "select code, file, row_number, column_name, message from warnings order by file",
        [
            (
                "extra_column",
                "cases.csv",
                1,
                "notes",
                "column is not in the contract and was ignored",
            ),
            (
                "extra_column",
                "officers.csv",
                1,
                "phone extension",
                "column is not in the contract and was ignored",
            ),
        ],
    ),
    Accepted(
        "lf_and_cr_line_endings_and_a_quoted_newline",
        line_endings,
        "select (select count(*) from cases), team from officers where officer_ref = 'OFF-02'",
        [(5, "Review Team 1\nNorth")],
    ),
    Accepted(
        "upper_case_padded_headers",
        upper_case_headers,
        "select count(*), count(hours_spent) from cases",
        [(5, 3)],
    ),
    Accepted(
        "optional_columns_and_file_left_out",
        optional_parts_left_out,
        "select (select count(*) from cases), (select count(hours_spent) from cases), "
        "(select count(end_date) from officers), (select count(*) from abstractions)",
        [(5, 0, 0, 0)],
    ),
    Accepted(
        "xlsx_with_real_date_cells",
        real_date_cells,
        "select case_ref, reported_date, qa_date, victims, hours_spent from cases "
        "where case_ref = 'TST-0001'",
        [("TST-0001", date(2011, 3, 14), date(2025, 11, 14), 3, 7.5)],
    ),
    Accepted(
        "xlsx_with_text_dates",
        lambda f: write_valid_workbook(f.parent / "extract.xlsx", date_cells=False),
        "select count(*), min(reported_date), max(allocated_date) from cases",
        [(5, date(2011, 3, 14), date(2026, 1, 21))],
    ),
    Accepted(
        "docs_examples_extract",
        lambda f: Path(shutil.copytree(EXAMPLE_DIR, f.parent / "example")),
        "select count(*), count(*) filter (where status = 'assessed'), "
        "min(reported_date) from cases",
        [(8, 2, date(2011, 3, 14))],
    ),
]


@pytest.mark.parametrize("variation", ACCEPTED, ids=lambda v: v.id)
def test_accepted_variation_is_stored_canonically(
    variation: Accepted,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    source = variation.make(folder) or folder

    snapshot, _ = ingest_ok(source, tmp_path / "data", AS_OF, monkeypatch, capsys)

    assert query(snapshot, variation.sql) == variation.rows


def test_extra_columns_are_reported_as_warnings_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    extra_columns(folder)

    snapshot, err = ingest_ok(folder, tmp_path / "data", AS_OF, monkeypatch, capsys)

    assert err.splitlines() == [
        "warning: officers.csv, row 1, column phone extension: "
        "column is not in the contract and was ignored",
        "warning: cases.csv, row 1, column notes: column is not in the contract and was ignored",
    ]
    assert query(snapshot, "select warning_count from manifest") == [(2,)]


def test_the_example_extract_ingests_with_the_real_cli(tmp_path: Path) -> None:
    result = run_cli(["ingest", str(EXAMPLE_DIR), "--as-of", "2026-01-23", "--synthetic"], tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path.resolve() / "snapshots" / "2026-01-23.duckdb"
    assert result.stdout.startswith(f"Wrote {written} (")
    assert "(8 cases, 6 officers, 3 abstractions, 0 warnings)." in result.stdout

    listing = json.loads(run_cli(["snapshots", "--json"], tmp_path).stdout)
    assert listing == {
        "snapshots": [
            {
                "as_of": "2026-01-23",
                "in_scope": 8,
                "assessed": 3,
                "synthetic": True,
                "warnings": 0,
            }
        ],
        "broken": [],
    }


def manifest(snapshot: Path) -> dict[str, Any]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        cur = con.execute("select * from manifest")
        rows = cur.fetchall()
        names = [d[0] for d in cur.description]
    finally:
        con.close()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def test_manifest_of_a_csv_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    before = datetime.now(UTC).replace(tzinfo=None)

    snapshot, _ = ingest_ok(folder, tmp_path / "data", AS_OF, monkeypatch, capsys, "--synthetic")

    after = datetime.now(UTC).replace(tzinfo=None)
    m = manifest(snapshot)
    assert before <= m.pop("ingested_at") <= after
    assert m == {
        "as_of": AS_OF,
        "contract_version": CONTRACT_VERSION,
        "software_version": reassess.__version__,
        "synthetic": True,
        "source_form": "csv",
        "source_path": "extract",
        "case_rows": 5,
        "officer_rows": 3,
        "abstraction_rows": 1,
        "warning_count": 0,
        "previous_as_of": None,
    }
    assert CONTRACT_VERSION == "1"
    files = ("cases.csv", "officers.csv", "abstractions.csv")
    assert sorted(query(snapshot, "select file, sha256, bytes from sources")) == sorted(
        (
            name,
            hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            (folder / name).stat().st_size,
        )
        for name in files
    )
    assert query(
        snapshot,
        "select (select count(*) from cases), (select count(*) from officers), "
        "(select count(*) from abstractions), (select count(*) from warnings)",
    ) == [(5, 3, 1, 0)]


def test_manifest_of_a_later_workbook_extract_with_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ingest_ok(write_valid_extract(tmp_path / "extract"), data, AS_OF, monkeypatch, capsys)
    workbook = write_valid_workbook(tmp_path / "Extract 2026-01-30.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    wb["cases"]["T1"] = "comment"
    wb.save(workbook)

    snapshot, _ = ingest_ok(workbook, data, LATER, monkeypatch, capsys)

    m = manifest(snapshot)
    assert (m["as_of"], m["synthetic"], m["source_form"], m["source_path"]) == (
        LATER,
        False,
        "xlsx",
        "Extract 2026-01-30.xlsx",
    )
    assert (m["case_rows"], m["officer_rows"], m["abstraction_rows"]) == (5, 3, 1)
    assert (m["warning_count"], m["previous_as_of"]) == (1, AS_OF)
    assert query(snapshot, "select file, sha256, bytes from sources") == [
        (
            "Extract 2026-01-30.xlsx",
            hashlib.sha256(workbook.read_bytes()).hexdigest(),
            workbook.stat().st_size,
        )
    ]
    assert query(snapshot, "select code, file, row_number, column_name from warnings") == [
        ("extra_column", "Extract 2026-01-30.xlsx, sheet cases", 1, "comment")
    ]


def test_warnings_from_comparing_with_the_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ingest_ok(write_valid_extract(tmp_path / "before"), data, AS_OF, monkeypatch, capsys)
    as_of = date(2026, 3, 1)  # 91 days after 2025-11-30, 90 after 2025-12-01
    folder = write_valid_extract(tmp_path / "after")
    # TST-0002 goes back from awaiting_qa to allocated.
    mutate_csv(folder, "cases.csv", 3, "status", "allocated")
    for column in ("started_date", "completed_date", "outcome"):
        mutate_csv(folder, "cases.csv", 3, column, "")
    # TST-0003 has been in assessment for 91 days; TST-0006 (new) for exactly 90.
    mutate_csv(folder, "cases.csv", 4, "started_date", "2025-11-30")
    copy_row(folder, "cases.csv", 4, case_ref="TST-0006", started_date="2025-12-01")
    # TST-0005 (row 6) leaves the extract.
    keep_rows(folder, "cases.csv", [2, 3, 4, 5, 7])

    snapshot, err = ingest_ok(folder, data, as_of, monkeypatch, capsys)

    assert query(
        snapshot,
        "select code, file, row_number, column_name, value from warnings order by code",
    ) == [
        ("left_scope", "cases.csv", None, "case_ref", "TST-0005"),
        ("stale_in_assessment", "cases.csv", 4, "started_date", "2025-11-30"),
        ("status_backwards", "cases.csv", None, "status", "allocated"),
    ]
    assert err.splitlines() == [
        "warning: cases.csv, row 4, column started_date: value '2025-11-30': "
        "case TST-0003 has been in assessment for 91 days (over 90)",
        "warning: cases.csv, column case_ref: value 'TST-0005': "
        "case TST-0005 was in the snapshot of 2026-01-23 and is gone from this extract",
        "warning: cases.csv, column status: value 'allocated': "
        "case TST-0002 went back from awaiting_qa to allocated since 2026-01-23",
    ]
    m = manifest(snapshot)
    assert (m["warning_count"], m["previous_as_of"], m["case_rows"]) == (3, AS_OF, 5)
    assert query(snapshot, "select case_ref, change from changes order by change") == [
        ("TST-0006", "added"),
        ("TST-0005", "removed"),
        ("TST-0002", "status_backwards"),
    ]


def test_the_first_snapshot_has_no_comparison_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_valid_extract(tmp_path / "extract")

    snapshot, err = ingest_ok(folder, tmp_path / "data", AS_OF, monkeypatch, capsys)

    assert err == ""
    assert query(snapshot, "select count(*) from warnings") == [(0,)]
    assert query(snapshot, "select count(*) from changes") == [(0,)]
