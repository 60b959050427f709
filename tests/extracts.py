"""Test extracts built in a tmp folder: a small valid one, and helpers that break it one way."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "docs" / "examples" / "extract"

# The valid extract describes the programme on AS_OF; it is also valid for any later date.
AS_OF = date(2026, 1, 23)
LATER = date(2026, 1, 30)

CASES_HEADER = (
    "case_ref",
    "reported_date",
    "category",
    "bcu",
    "borough",
    "original_outcome",
    "victims",
    "suspects",
    "suspect_ethnicity_recorded",
    "priority",
    "status",
    "officer_ref",
    "allocated_date",
    "started_date",
    "completed_date",
    "qa_date",
    "outcome",
    "victim_support",
    "hours_spent",
)
OFFICERS_HEADER = ("officer_ref", "team", "role", "fte", "start_date", "end_date")
ABSTRACTIONS_HEADER = ("officer_ref", "from_date", "to_date", "reason")

# Spreadsheet row 2 onwards: one case at each status, oldest first.
CASES = (
    "TST-0001,2011-03-14,organised_group,CE,Hackney,nfa_evidential,3,5,none,high,assessed,"
    "OFF-01,2025-11-04,2025-11-05,2025-11-12,2025-11-14,reinvestigate,referred,7.5",
    "TST-0002,2012-06-14,intra_familial,AS,Southwark,nfa_victim_declined,1,1,all,medium,"
    "awaiting_qa,OFF-02,2025-11-10,2025-11-17,2026-01-20,,safeguarding_referral,referred,4.25",
    "TST-0003,2014-01-20,gang_related,NE,Newham,charged,1,4,none,high,in_assessment,"
    "OFF-01,2025-11-12,2026-01-19,,,,not_assessed,2",
    "TST-0004,2015-07-07,institutional,AW,Westminster,nfa_other,4,2,none,high,allocated,"
    "OFF-02,2026-01-21,,,,,not_assessed,",
    "TST-0005,2016-11-30,online,SW,Merton,nfa_no_suspect,1,0,not_applicable,low,"
    "awaiting_allocation,,,,,,,not_assessed,",
)
OFFICERS = (
    "OFF-01,Review Team 1,detective_sergeant,1,2025-11-03,",
    "OFF-02,Review Team 1,detective_constable,0.8,2025-11-03,",
    "OFF-03,Review Team 2,staff_investigator,0.6,2025-11-03,2026-01-16",
)
ABSTRACTIONS = ("OFF-02,2025-12-22,2026-01-02,annual_leave",)


def _parse(lines: Sequence[str]) -> list[list[str]]:
    return [next(csv.reader([line])) for line in lines]


def valid_tables() -> dict[str, list[list[str]]]:
    """The valid extract as rows of cells, header first, keyed by file name."""
    return {
        "cases.csv": [list(CASES_HEADER), *_parse(CASES)],
        "officers.csv": [list(OFFICERS_HEADER), *_parse(OFFICERS)],
        "abstractions.csv": [list(ABSTRACTIONS_HEADER), *_parse(ABSTRACTIONS)],
    }


def write_csv(
    folder: Path, file: str, rows: Sequence[Sequence[object]], encoding: str = "utf-8"
) -> Path:
    """Write rows (header first) as comma-separated text with CRLF line ends, like Excel."""
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    path = folder / file
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_csv(folder: Path, file: str) -> list[list[str]]:
    """Rows of a CSV written by write_csv (UTF-8), header first."""
    return list(csv.reader(io.StringIO((folder / file).read_text(encoding="utf-8"), newline="")))


def write_valid_extract(folder: Path, *, abstractions: bool = True) -> Path:
    """A small valid CSV extract (5 cases, 3 officers) for AS_OF or later; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for file, rows in valid_tables().items():
        if abstractions or file != "abstractions.csv":
            write_csv(folder, file, rows)
    return folder


def mutate_csv(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is the spreadsheet row number (header = row 1)."""
    rows = read_csv(folder, file)
    rows[row - 1][rows[0].index(column)] = value
    write_csv(folder, file, rows)


def rename_column(folder: Path, file: str, column: str, new_name: str) -> None:
    """Change one heading in row 1."""
    rows = read_csv(folder, file)
    rows[0][rows[0].index(column)] = new_name
    write_csv(folder, file, rows)


def drop_column(folder: Path, file: str, column: str) -> None:
    """Remove a column, heading and cells."""
    rows = read_csv(folder, file)
    i = rows[0].index(column)
    write_csv(folder, file, [r[:i] + r[i + 1 :] for r in rows])


def add_column(folder: Path, file: str, column: str, value: str) -> None:
    """Append a column with the same value in every row."""
    rows = read_csv(folder, file)
    write_csv(folder, file, [rows[0] + [column]] + [r + [value] for r in rows[1:]])


def append_row(folder: Path, file: str, cells: Sequence[str]) -> int:
    """Add a row at the end; returns its spreadsheet row number."""
    rows = read_csv(folder, file)
    rows.append(list(cells))
    write_csv(folder, file, rows)
    return len(rows)


def copy_row(folder: Path, file: str, row: int, **changes: str) -> int:
    """Append a copy of a spreadsheet row with some cells changed; returns the new row number."""
    rows = read_csv(folder, file)
    new = list(rows[row - 1])
    for column, value in changes.items():
        new[rows[0].index(column)] = value
    return append_row(folder, file, new)


def keep_rows(folder: Path, file: str, rows_to_keep: Sequence[int]) -> None:
    """Keep the header and the given spreadsheet rows only."""
    rows = read_csv(folder, file)
    write_csv(folder, file, [rows[0]] + [rows[n - 1] for n in rows_to_keep])


def write_valid_workbook(
    path: Path, *, date_cells: bool = True, sheets: Sequence[str] = ()
) -> Path:
    """The valid extract as an .xlsx workbook; dates as real date cells unless date_cells=False.

    `sheets` limits which tables get a sheet (default: all three).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for file, rows in valid_tables().items():
        name = file.removesuffix(".csv")
        if sheets and name not in sheets:
            continue
        ws = wb.create_sheet(name)
        header = rows[0]
        ws.append(header)
        for row in rows[1:]:
            ws.append([_xlsx_value(h, v, date_cells) for h, v in zip(header, row, strict=True)])
    wb.save(path)
    return path


def _xlsx_value(column: str, value: str, date_cells: bool) -> object:
    if value == "":
        return None
    if date_cells and column.endswith("_date"):
        return date.fromisoformat(value)
    if column in ("victims", "suspects"):
        return int(value)
    if column in ("fte", "hours_spent"):
        return float(value)
    return value


def write_large_extract(folder: Path, cases: int, seed: int = 42) -> Path:
    """A valid extract with many cases (all awaiting allocation or assessed), seeded."""
    rng = random.Random(seed)
    folder = write_valid_extract(folder)
    boroughs = [("CE", "Hackney"), ("AS", "Lambeth"), ("NW", "Brent"), ("SW", "Merton")]
    rows: list[list[object]] = [list(CASES_HEADER)]
    for i in range(cases):
        bcu, borough = rng.choice(boroughs)
        common: list[object] = [
            f"BIG-{i:07d}",
            f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(("online", "other", "institutional")),
            bcu,
            borough,
            "nfa_evidential",
            rng.randint(1, 4),
            rng.randint(1, 3),
            "some",
            rng.choice(("high", "medium", "low")),
        ]
        if rng.random() < 0.5:
            rest: list[object] = ["awaiting_allocation", "", "", "", "", "", "", "not_assessed", ""]
        else:
            rest = [
                "assessed",
                "OFF-01",
                "2025-11-04",
                "2025-11-05",
                "2025-11-12",
                "2025-11-14",
                "no_further_action",
                "not_required",
                rng.randint(1, 20),
            ]
        rows.append(common + rest)
    write_csv(folder, "cases.csv", rows)
    return folder


def write_garbage_cases(folder: Path, rows: int, seed: int = 42) -> Path:
    """A cases.csv with the right header and `rows` rows of random junk cells."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ?!#"
    width = len(CASES_HEADER)
    path = folder / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(CASES_HEADER) + "\r\n")
        for _ in range(rows):
            junk = "".join(rng.choice(alphabet) for _ in range(12))
            f.write(",".join([junk] * width) + "\r\n")
    return path


def file_names(folder: Path) -> set[str]:
    """Names of every entry in a folder (hidden ones too); empty if it does not exist."""
    return set(os.listdir(folder)) if folder.is_dir() else set()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a folder, by name."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def cli_env(data_dir: Path) -> dict[str, str]:
    """The environment for running the CLI in a subprocess against `data_dir`."""
    env = dict(os.environ)
    env["REASSESS_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_cli(
    args: Sequence[str], data_dir: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m reassess ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "reassess", *args],
        cwd=ROOT,
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def wait_for(
    condition: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float = 30
) -> bool:
    """Poll (every 2 ms) until ``condition()`` holds: True then, False if ``proc`` exits first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, "timed out waiting for the ingest"
        time.sleep(0.002)
    return True


def case_count(snapshot: Path) -> int:
    """How many cases a snapshot file holds (opened read-only)."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        row = con.execute("select count(*) from cases").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])
