"""Bad extracts are refused whole: exit 1, a message with file, row, column and fix, nothing written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from reassess.cli import main
from reassess.extract.contract import MAX_ERRORS, ExtractError
from reassess.snapshot.ingest import ingest
from tests.extracts import (
    AS_OF,
    LATER,
    ROOT,
    add_column,
    cli_env,
    copy_row,
    drop_column,
    file_names,
    hashes,
    keep_rows,
    mutate_csv,
    read_csv,
    rename_column,
    run_cli,
    write_csv,
    write_garbage_cases,
    write_valid_extract,
    write_valid_workbook,
)

SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
DATE_FIX = "write dates as YYYY-MM-DD (2025-04-03) or DD/MM/YYYY (03/04/2025)"
REFUSED = "Nothing was written."

Make = Callable[[Path], Path | None]


@dataclass(frozen=True)
class Bad:
    """One bad extract: how to spoil the valid one, and the parts its error line must hold."""

    id: str
    make: Make
    expect: tuple[str, ...]
    as_of: date = LATER


def cell(file: str, row: int, column: str, value: str) -> Make:
    return lambda folder: mutate_csv(folder, file, row, column, value)


def cells(*changes: tuple[str, int, str, str]) -> Make:
    def make(folder: Path) -> None:
        for change in changes:
            mutate_csv(folder, *change)

    return make


def raw_bytes(file: str, data: bytes) -> Make:
    def make(folder: Path) -> None:
        (folder / file).write_bytes(data)

    return make


def duplicate(file: str, row: int, **changes: str) -> Make:
    def make(folder: Path) -> None:
        copy_row(folder, file, row, **changes)

    return make


def raw_replace(file: str, old: bytes, new: bytes) -> Make:
    def make(folder: Path) -> None:
        path = folder / file
        path.write_bytes(path.read_bytes().replace(old, new))

    return make


def recoded(file: str, encoding: str) -> Make:
    def make(folder: Path) -> None:
        path = folder / file
        path.write_bytes(path.read_bytes().decode("utf-8").encode(encoding))

    return make


def semicolons(folder: Path) -> None:
    write_csv(folder, "cases.csv", [[";".join(r)] for r in read_csv(folder, "cases.csv")])


def workbook(sheets: tuple[str, ...]) -> Make:
    return lambda folder: write_valid_workbook(folder.parent / "extract.xlsx", sheets=sheets)


def number_in_date_cell(folder: Path) -> Path:
    from openpyxl import load_workbook

    path = write_valid_workbook(folder.parent / "extract.xlsx", date_cells=False)
    wb = load_workbook(path)
    wb["cases"]["B3"] = 45000  # a serial number in a text-dated sheet: no date format
    wb.save(path)
    return path


def not_a_zip(folder: Path) -> Path:
    path = folder.parent / "extract.xlsx"
    path.write_bytes(b"cases,officers\r\n")
    return path


def unlink(file: str) -> Make:
    return lambda folder: (folder / file).unlink()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
BINARY = bytes(range(256)) * 64
TEN_MB = "A" * 10_000_000

BAD = [
    # The header.
    Bad(
        "missing_column",
        lambda f: drop_column(f, "cases.csv", "priority"),
        (
            "cases.csv, row 1, column priority: required column is missing",
            "add a column headed 'priority' in row 1",
        ),
    ),
    Bad(
        "misspelt_column",
        lambda f: rename_column(f, "cases.csv", "reported_date", "reportd_date"),
        (
            "cases.csv, row 1, column reported_date: required column is missing",
            "the file has 'reportd_date': rename it to 'reported_date'",
        ),
    ),
    Bad(
        "column_twice",
        lambda f: rename_column(f, "cases.csv", "hours_spent", "Priority"),
        (
            "cases.csv, row 1, column priority: the column appears twice (columns 10 and 19)",
            "delete one of them",
        ),
    ),
    # Keys and references.
    Bad(
        "duplicate_case_ref",
        duplicate("cases.csv", 2),
        (
            "cases.csv, row 7, column case_ref: value 'TST-0001'",
            "is a duplicate of row 2; each case must appear once",
        ),
    ),
    Bad(
        "duplicate_officer_ref",
        duplicate("officers.csv", 3, team="Review Team 9"),
        (
            "officers.csv, row 5, column officer_ref: value 'OFF-02'",
            "is a duplicate of row 3; each officer must appear once",
        ),
    ),
    Bad(
        "unknown_officer",
        cell("cases.csv", 2, "officer_ref", "OFF-99"),
        (
            "cases.csv, row 2, column officer_ref: value 'OFF-99'",
            "is not in officers.csv; add the officer there or correct the reference",
        ),
    ),
    Bad(
        "abstraction_of_unknown_officer",
        cell("abstractions.csv", 2, "officer_ref", "OFF-77"),
        (
            "abstractions.csv, row 2, column officer_ref: value 'OFF-77'",
            "is not in officers.csv; add the officer there or correct the reference",
        ),
    ),
    # Dates.
    Bad(
        "impossible_date",
        cell("cases.csv", 3, "reported_date", "31/02/2025"),
        (
            "cases.csv, row 3, column reported_date: value '31/02/2025'",
            f"is not a real date; {DATE_FIX}",
        ),
    ),
    Bad(
        "impossible_iso_month",
        cell("cases.csv", 4, "reported_date", "2025-13-01"),
        (
            "cases.csv, row 4, column reported_date: value '2025-13-01'",
            f"is not a real date; {DATE_FIX}",
        ),
    ),
    Bad(
        "two_digit_year",
        cell("cases.csv", 3, "reported_date", "03/04/25"),
        (
            "cases.csv, row 3, column reported_date: value '03/04/25'",
            f"has a two-digit year, which is ambiguous; {DATE_FIX}",
        ),
    ),
    Bad(
        "us_order_date",
        cell("cases.csv", 3, "reported_date", "12/31/2025"),
        (
            "cases.csv, row 3, column reported_date: value '12/31/2025'",
            "looks like a US-order date (month 12, day 31)",
            "e.g. 31/12/2025",
        ),
    ),
    Bad(
        "future_date",
        cell("cases.csv", 6, "reported_date", "2026-02-02"),
        (
            "cases.csv, row 6, column reported_date: value '2026-02-02'",
            "is in the future (after the as-of date 2026-01-30); correct the date, "
            "or give the date the extract was taken as --as-of",
        ),
    ),
    Bad(
        "dates_out_of_order",
        cell("cases.csv", 2, "started_date", "2025-11-01"),
        (
            "cases.csv, row 2, column started_date: value '2025-11-01'",
            "is before allocated_date 2025-11-04; "
            "dates must run reported <= allocated <= started <= completed <= qa",
        ),
    ),
    Bad(
        "allocated_with_completed_date",
        cell("cases.csv", 5, "completed_date", "2026-01-22"),
        (
            "cases.csv, row 5, column completed_date: value '2026-01-22'",
            "is set but the case is only allocated; it belongs to awaiting_qa and later "
            "(check the status or clear the date)",
        ),
    ),
    Bad(
        "outcome_before_awaiting_qa",
        cell("cases.csv", 4, "outcome", "reinvestigate"),
        (
            "cases.csv, row 4, column outcome: value 'reinvestigate'",
            "is set but the case is only in_assessment; an outcome belongs to awaiting_qa and later",
        ),
    ),
    Bad(
        "abstraction_ends_before_it_starts",
        cell("abstractions.csv", 2, "to_date", "2025-12-01"),
        (
            "abstractions.csv, row 2, column to_date: value '2025-12-01'",
            "is before from_date 2025-12-22",
        ),
    ),
    Bad(
        "officer_starts_after_as_of",
        cell("officers.csv", 3, "start_date", "2026-03-01"),
        (
            "officers.csv, row 3, column start_date: value '2026-03-01'",
            "is after the as-of date 2026-01-30; list officers who have started by then",
        ),
    ),
    # Enumerations and numbers.
    Bad(
        "unknown_enum_value",
        cell("cases.csv", 2, "category", "burglary"),
        (
            "cases.csv, row 2, column category: value 'burglary'",
            "is not allowed; expected one of organised_group, intra_familial, peer_on_peer, "
            "institutional, gang_related, online, other",
        ),
    ),
    Bad(
        "borough_outside_its_bcu",
        cell("cases.csv", 2, "borough", "Camden"),
        (
            "cases.csv, row 2, column borough: value 'Camden'",
            "is not in BCU CE; Camden is in CN (Central North)",
        ),
    ),
    Bad(
        "required_value_empty",
        cell("cases.csv", 4, "status", "  "),
        (
            "cases.csv, row 4, column status: value ''",
            "is empty; a value is required (one of awaiting_allocation, allocated, "
            "in_assessment, awaiting_qa, assessed)",
        ),
    ),
    Bad(
        "ethnicity_recorded_without_suspects",
        cell("cases.csv", 6, "suspect_ethnicity_recorded", "all"),
        (
            "cases.csv, row 6, column suspect_ethnicity_recorded: value 'all'",
            "says ethnicity was recorded but suspects is 0; use not_applicable",
        ),
    ),
    Bad(
        "fte_zero",
        cell("officers.csv", 2, "fte", "0"),
        (
            "officers.csv, row 2, column fte: value '0'",
            "fte must be more than 0 and at most 1 (e.g. 0.6 for three days a week)",
        ),
    ),
    Bad(
        "fte_one_and_a_half",
        cell("officers.csv", 2, "fte", "1.5"),
        (
            "officers.csv, row 2, column fte: value '1.5'",
            "fte must be more than 0 and at most 1 (e.g. 0.6 for three days a week)",
        ),
    ),
    Bad(
        "negative_victims",
        cell("cases.csv", 2, "victims", "-1"),
        ("cases.csv, row 2, column victims: value '-1'", "is too small; expected at least 1"),
    ),
    Bad(
        "negative_suspects",
        cell("cases.csv", 3, "suspects", "-2"),
        ("cases.csv, row 3, column suspects: value '-2'", "is too small; expected at least 0"),
    ),
    Bad(
        "hours_over_500",
        cell("cases.csv", 4, "hours_spent", "600"),
        ("cases.csv, row 4, column hours_spent: value '600'", "is too large; expected at most 500"),
    ),
    # Spreadsheet formulas and huge cells.
    Bad(
        "formula_case_ref",
        cell("cases.csv", 2, "case_ref", '=HYPERLINK("x")'),
        (
            """cases.csv, row 2, column case_ref: value '=HYPERLINK("x")'""",
            "is not a valid reference; use 1-32 characters of letters, digits, / _ or -",
        ),
    ),
    Bad(
        "formula_team",
        cell("officers.csv", 3, "team", "=1+2"),
        (
            "officers.csv, row 3, column team: value '=1+2'",
            "must not start with = + - or @ (a spreadsheet formula)",
        ),
    ),
    Bad(
        "ten_mb_cell",
        cell("cases.csv", 2, "case_ref", TEN_MB),
        (
            "cases.csv, row 2, column case_ref: value 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…' "
            "(10,000,000 characters)",
            "is too long; expected at most 32 characters",
        ),
    ),
    # Files that are empty, not CSV, or not readable as CSV.
    Bad(
        "empty_file",
        raw_bytes("cases.csv", b""),
        ("cases.csv: is empty; export the table again with its header row",),
    ),
    Bad(
        "header_only",
        lambda f: keep_rows(f, "cases.csv", []),
        ("cases.csv: has no cases; an extract must list every case in scope",),
    ),
    Bad(
        "missing_file",
        unlink("officers.csv"),
        (
            "officers.csv: is missing from ",
            "the folder holds abstractions.csv, cases.csv. Export the officers table as officers.csv",
        ),
    ),
    Bad(
        "pdf_named_csv",
        raw_bytes("cases.csv", PDF),
        (f"cases.csv: is a PDF, not CSV text; {SAVE_AS_CSV}",),
    ),
    Bad(
        "binary_file",
        raw_bytes("cases.csv", BINARY),
        (f"cases.csv: is binary (it contains NUL bytes), not CSV text; {SAVE_AS_CSV}",),
    ),
    Bad(
        "utf16_with_bom",
        recoded("cases.csv", "utf-16"),
        (f"cases.csv: is UTF-16 text, which is not accepted; {SAVE_AS_CSV}",),
    ),
    Bad(
        "utf16_without_bom",
        recoded("officers.csv", "utf-16-le"),
        ("officers.csv: is binary", f"not CSV text; {SAVE_AS_CSV}"),
    ),
    Bad(
        "unsupported_encoding",
        raw_replace("officers.csv", b"Review Team 2", b"Review \x81Team 2"),
        (
            "officers.csv: is in an unsupported text encoding (byte 0x81 at position",
            f"is neither UTF-8 nor Windows-1252); {SAVE_AS_CSV}",
        ),
    ),
    Bad(
        "semicolon_delimited",
        semicolons,
        (
            "cases.csv, row 1: value 'case_ref;reported_date;category;bcu;boro…'",
            "the file is separated by semicolons; the contract needs commas. "
            "Save it as 'CSV UTF-8 (Comma delimited)'",
        ),
    ),
    Bad(
        "unquoted_comma",
        raw_replace("cases.csv", b"gang_related", b"gang,related"),
        (
            "cases.csv, row 4: the row has 20 cells but the header has 19",
            "check for an unquoted comma in a value",
        ),
    ),
    Bad(
        "unmatched_quote",
        raw_replace("cases.csv", b"gang_related", b'"gang_related'),
        (
            "cases.csv, row 4: cannot be read as CSV",
            "check for an unmatched double quote",
        ),
    ),
    # Workbooks and paths.
    Bad(
        "workbook_without_cases_sheet",
        workbook(("officers", "abstractions")),
        (
            "extract.xlsx: has no sheet named 'cases' (it has 'officers', 'abstractions')",
            "rename the sheet that holds the cases to 'cases'",
        ),
    ),
    Bad(
        "workbook_number_in_date_cell",
        number_in_date_cell,
        (
            "extract.xlsx, sheet cases, row 3, column reported_date: value '45000'",
            "is a number, not a date; format the cell as a date or write it as YYYY-MM-DD",
        ),
    ),
    Bad(
        "xlsx_that_is_not_a_workbook",
        not_a_zip,
        (
            "extract.xlsx: is not an Excel workbook (.xlsx)",
            "save it from Excel as 'Excel Workbook'",
        ),
    ),
    Bad(
        "single_csv_file",
        lambda f: f / "cases.csv",
        (
            "cases.csv: is a single CSV file; give the folder that holds it",
            "so that cases.csv and officers.csv are read together",
        ),
    ),
    # The snapshot folder.
    Bad(
        "existing_as_of_without_replace",
        lambda f: None,
        (
            f"{AS_OF.isoformat()}.duckdb: a snapshot for {AS_OF.isoformat()} already exists",
            "run again with --replace to supersede it",
        ),
        as_of=AS_OF,
    ),
]
# The ones also run through a real `python -m reassess` process.
IN_SUBPROCESS = {
    "misspelt_column",
    "impossible_date",
    "utf16_with_bom",
    "formula_case_ref",
    "workbook_without_cases_sheet",
    "existing_as_of_without_replace",
}


def test_at_least_25_distinct_bad_extracts() -> None:
    assert len({b.id for b in BAD}) == len(BAD) >= 25


@pytest.fixture(scope="module")
def good_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot folder holding one good snapshot for AS_OF, built by the real ingest."""
    root = tmp_path_factory.mktemp("good")
    folder = root / "snapshots"
    ingest(write_valid_extract(root / "extract"), AS_OF, folder, synthetic=True)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, good_snapshots: Path) -> Path:
    """A data folder of this test's own, with a copy of the good snapshot."""
    shutil.copytree(good_snapshots, tmp_path / "data" / "snapshots")
    return tmp_path / "data"


def spoil(bad: Bad, tmp_path: Path) -> Path:
    folder = write_valid_extract(tmp_path / "extract")
    return bad.make(folder) or folder


def assert_refused(stderr: str, bad: Bad) -> None:
    lines = stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert any(all(part in line for part in bad.expect) for line in errors), stderr
    assert lines[-1].startswith("The extract was refused: ") and lines[-1].endswith(REFUSED)


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.id)
def test_bad_extract_is_refused(
    bad: Bad,
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = spoil(bad, tmp_path)
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))

    status = main(["ingest", str(source), "--as-of", bad.as_of.isoformat()])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert_refused(captured.err, bad)
    assert file_names(snapshots) == set(before)  # no new file, not even a temporary one
    assert hashes(snapshots) == before


@pytest.mark.parametrize("bad", [b for b in BAD if b.id in IN_SUBPROCESS], ids=lambda b: b.id)
def test_bad_extract_is_refused_by_the_cli(bad: Bad, tmp_path: Path, data_dir: Path) -> None:
    source = spoil(bad, tmp_path)
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    result = run_cli(["ingest", str(source), "--as-of", bad.as_of.isoformat()], data_dir)

    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert_refused(result.stderr, bad)
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_every_error_is_reported_not_only_the_first(
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    cells(
        ("officers.csv", 2, "fte", "2"),
        ("abstractions.csv", 2, "reason", "holiday"),
        ("cases.csv", 3, "reported_date", "31/02/2025"),
        ("cases.csv", 5, "bcu", "XX"),
    )(folder)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))

    assert main(["ingest", str(folder), "--as-of", LATER.isoformat()]) == 1

    err = capsys.readouterr().err.splitlines()
    assert [line.split(": value")[0] for line in err[:-1]] == [
        "error: officers.csv, row 2, column fte",
        "error: abstractions.csv, row 2, column reason",
        "error: cases.csv, row 3, column reported_date",
        "error: cases.csv, row 5, column bcu",
    ]
    assert err[-1] == "The extract was refused: 4 errors. Nothing was written."


def test_no_data_folder_is_created_for_a_bad_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    add_column(folder, "cases.csv", "notes", "fine")
    mutate_csv(folder, "cases.csv", 2, "victims", "0")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "data"))

    assert main(["ingest", str(folder), "--as-of", LATER.isoformat()]) == 1

    assert "cases.csv, row 2, column victims: value '0'" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


# Runs the real CLI and reports its own peak memory (ru_maxrss, KiB on Linux) on stderr.
MEASURED_CLI = """
import resource, sys, time
from reassess.cli import main
start = time.perf_counter()
status = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"measured: {time.perf_counter() - start:.2f} s, {peak // 1024} MB", file=sys.stderr)
sys.exit(status)
"""


@pytest.fixture(scope="module")
def garbage_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid extract whose cases.csv is replaced by 200,000 rows of junk (about 50 MB)."""
    folder = write_valid_extract(tmp_path_factory.mktemp("garbage") / "extract")
    assert write_garbage_cases(folder, 200_000).stat().st_size > 20_000_000
    return folder


def test_200_000_rows_of_garbage_fail_fast_in_bounded_memory(
    garbage_extract: Path, data_dir: Path
) -> None:
    folder = garbage_extract
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", MEASURED_CLI, "ingest", str(folder), "--as-of", LATER.isoformat()],
        cwd=ROOT,
        env=cli_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = proc.communicate(timeout=60)
    seconds = time.perf_counter() - start

    assert proc.returncode == 1, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: cases.csv, row ")]
    assert len(errors) == MAX_ERRORS
    assert (
        f"The extract was refused: {MAX_ERRORS} errors (stopped after the first {MAX_ERRORS}; "
        "fix these and run again). Nothing was written." in stderr
    )
    assert "cases.csv, row 2, column case_ref: value '" in errors[0]
    measured = re.search(r"measured: ([\d.]+) s, (\d+) MB", stderr)
    assert measured is not None, stderr
    peak_mb = int(measured.group(2))
    assert seconds < 20, stderr
    assert peak_mb < 1024, stderr
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_garbage_is_refused_with_python_memory_at_most_three_times_the_file(
    garbage_extract: Path, tmp_path: Path
) -> None:
    folder = garbage_extract
    size = (folder / "cases.csv").stat().st_size

    tracemalloc.start()
    try:
        with pytest.raises(ExtractError) as refused:
            ingest(folder, LATER, tmp_path / "snapshots")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert refused.value.truncated
    assert len(refused.value.issues) == MAX_ERRORS
    assert peak < 3 * size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"
    assert not (tmp_path / "snapshots").exists()


def test_a_bad_extract_leaves_earlier_snapshots_readable(tmp_path: Path, data_dir: Path) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    mutate_csv(folder, "cases.csv", 2, "victims", "-1")

    assert run_cli(["ingest", str(folder), "--as-of", LATER.isoformat()], data_dir).returncode == 1
    listing = run_cli(["snapshots", "--json"], data_dir)

    assert listing.returncode == 0
    assert '"as_of": "2026-01-23"' in listing.stdout
    assert '"broken": []' in listing.stdout
    assert os.listdir(data_dir) == ["snapshots"]
