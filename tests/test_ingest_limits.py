"""Ingest cannot be exhausted: each hostile extract exits 1 within 10 s and under 1 GB.

Every case runs the real `python -m reassess ingest` in a child process whose peak memory is its
own rusage (os.wait4), and leaves the data folder byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reassess.cli import main
from reassess.extract.limits import limits
from reassess.snapshot.ingest import ingest
from tests.extracts import (
    AS_OF,
    CASES_HEADER,
    LATER,
    ROOT,
    cli_env,
    file_names,
    hashes,
    mutate_csv,
    read_csv,
    write_csv,
    write_valid_extract,
    write_valid_workbook,
)

SECONDS = 10
PEAK_MB = 1024
SETTINGS = "config/ingest.toml"
CASES_SHEET = "xl/worksheets/sheet1.xml"


def rewrite_zip(path: Path, parts: dict[str, Callable[[zipfile.ZipFile], None] | None]) -> Path:
    """Copy a workbook, writing the named parts with their writer instead (None: drop it)."""
    src = path.with_name("source-" + path.name)
    path.rename(src)
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info.filename))
        for writer in parts.values():
            if writer is not None:
                writer(new)
    src.unlink()
    return path


def streamed(name: str, chunks: Callable[[], Iterator[bytes]]) -> Callable[[zipfile.ZipFile], None]:
    def write(z: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as out:
            for chunk in chunks():
                out.write(chunk)

    return write


def zeros(total: int) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        block = b"<si><t>" + b"a" * (2**20 - 16) + b"</t></si>"
        for _ in range(total // len(block)):
            yield block

    return gen


def sheet_xml(
    rows: Callable[[], Iterator[bytes]], dimension: str = ""
) -> Callable[[], Iterator[bytes]]:
    """A worksheet whose header is the contract's and whose data rows come from `rows`."""

    def gen() -> Iterator[bytes]:
        yield (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
            + b'<sheetData><row r="1">'
        )
        for i, h in enumerate(CASES_HEADER):
            col = chr(ord("A") + i)
            yield f'<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
        yield b"</row>"
        yield from rows()
        yield b"</sheetData></worksheet>"

    return gen


def many_rows(n: int) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        batch: list[bytes] = []
        for r in range(2, n + 2):
            batch.append(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>X</t></is></c></row>' % (r, r)
            )
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)

    return gen


def one_row_at(number: int) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        yield b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>X</t></is></c></row>' % (number, number)

    return gen


# How each hostile extract is made, from the valid CSV folder (returning what to ingest).


def shared_strings_bomb(folder: Path) -> Path:
    """A workbook of a few MB whose shared strings unpack to 300 MB."""
    path = write_valid_workbook(folder.parent / "extract.xlsx")
    rewrite_zip(
        path, {"xl/sharedStrings.xml": streamed("xl/sharedStrings.xml", zeros(300 * 2**20))}
    )
    assert path.stat().st_size < 5 * 2**20
    return path


def ratio_bomb(folder: Path) -> Path:
    """A workbook part of 50 MB that packs a thousand times smaller."""
    path = write_valid_workbook(folder.parent / "extract.xlsx")
    rewrite_zip(path, {"xl/sharedStrings.xml": streamed("xl/sharedStrings.xml", zeros(50 * 2**20))})
    return path


def workbook_too_many_rows(folder: Path) -> Path:
    path = write_valid_workbook(folder.parent / "extract.xlsx")
    rewrite_zip(path, {CASES_SHEET: streamed(CASES_SHEET, sheet_xml(many_rows(1_500_000)))})
    return path


def workbook_row_far_below(folder: Path) -> Path:
    path = write_valid_workbook(folder.parent / "extract.xlsx")
    rewrite_zip(path, {CASES_SHEET: streamed(CASES_SHEET, sheet_xml(one_row_at(50_000_000)))})
    assert path.stat().st_size < 20_000
    return path


def workbook_dimension_far_below(folder: Path) -> Path:
    """A stated dimension of 50,000,000 rows (openpyxl's iter_rows would fill them all in)."""
    path = write_valid_workbook(folder.parent / "extract.xlsx")
    rows = many_rows(3)
    rewrite_zip(path, {CASES_SHEET: streamed(CASES_SHEET, sheet_xml(rows, "A1:S50000000"))})
    return path


def hundred_thousand_columns(folder: Path) -> Path:
    rows = read_csv(folder, "cases.csv")
    extra = [f"x{i}" for i in range(100_000)]
    write_csv(folder, "cases.csv", [rows[0] + extra] + [r + [""] * len(extra) for r in rows[1:]])
    assert (folder / "cases.csv").stat().st_size < 2_000_000
    return folder


def case_colliding_files(folder: Path) -> Path:
    shutil.copy(folder / "cases.csv", folder / "CASES.csv")
    return folder


def symlink_to_secret(folder: Path) -> Path:
    (folder / "officers.csv").unlink()
    (folder / "officers.csv").symlink_to("/etc/shadow")
    return folder


def utf32(folder: Path) -> Path:
    path = folder / "cases.csv"
    path.write_bytes(path.read_bytes().decode("utf-8").encode("utf-32"))
    return folder


def nul_past_64k(folder: Path) -> Path:
    rows = read_csv(folder, "officers.csv")
    for i in range(3000):  # about 100 KB of valid officers before the bad one
        rows.append([f"PAD-{i:05d}", "Review Team 1", "analyst", "1", "2025-11-03", ""])
    rows.append(["OFF-NUL", "Review\x00Team", "analyst", "1", "2025-11-03", ""])
    write_csv(folder, "officers.csv", rows)
    assert (folder / "officers.csv").stat().st_size > 65536
    return folder


def text_cell(value: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        mutate_csv(folder, "officers.csv", 3, "team", value)
        return folder

    return make


@dataclass(frozen=True)
class Hostile:
    id: str
    make: Callable[[Path], Path]
    expect: tuple[str, ...]
    as_of: str = LATER.isoformat()


HOSTILE = [
    Hostile(
        "xlsx_shared_strings_bomb",
        shared_strings_bomb,
        (
            "extract.xlsx: its part xl/sharedStrings.xml unpacks to 300 MB",
            "max_xlsx_part_bytes",
            SETTINGS,
        ),
    ),
    Hostile(
        "xlsx_compression_ratio",
        ratio_bomb,
        (
            "extract.xlsx: its part xl/sharedStrings.xml unpacks to",
            "times its packed size",
            "max_xlsx_ratio",
        ),
    ),
    Hostile(
        "xlsx_1_500_000_rows",
        workbook_too_many_rows,
        ("extract.xlsx, sheet cases, row 1000002: has more than 1,000,000 rows",),
    ),
    Hostile(
        "xlsx_row_numbered_50_000_000",
        workbook_row_far_below,
        (
            "extract.xlsx, sheet cases, row 50000000: is beyond the last row allowed",
            "max_rows",
            SETTINGS,
        ),
    ),
    Hostile(
        "xlsx_dimension_of_50_000_000_rows",
        workbook_dimension_far_below,
        ("extract.xlsx, sheet cases, row 2, column reported_date: value ''",),
    ),
    Hostile(
        "csv_100_000_extra_columns",
        hundred_thousand_columns,
        ("cases.csv, row 1: has 100,019 columns; the limit is 200", "max_columns", SETTINGS),
    ),
    Hostile(
        "files_differing_only_in_case",
        case_colliding_files,
        ("cases.csv: the folder holds CASES.csv and cases.csv, whose names differ only in case",),
    ),
    Hostile(
        "symlink_to_etc_shadow",
        symlink_to_secret,
        ("officers.csv: is a symbolic link, which ingest does not follow",),
    ),
    Hostile("utf32_named_csv", utf32, ("cases.csv: is UTF-32 text, which is not accepted",)),
    Hostile(
        "nul_byte_past_64_kib",
        nul_past_64k,
        ("officers.csv, row 3005, column team: value 'Review?Team'", "control character (U+0000)"),
    ),
    Hostile(
        "escape_sequence",
        text_cell("Team \x1b[31mred"),
        ("officers.csv, row 3, column team:", "contains a control character (U+001B); remove it"),
    ),
    Hostile(
        "right_to_left_override",
        text_cell("Team \u202eevil"),
        ("officers.csv, row 3, column team:", "bidirectional control character (U+202E)"),
    ),
    Hostile(
        "full_width_equals",
        text_cell("\uff1dHYPERLINK(1)"),
        (
            "officers.csv, row 3, column team: value '＝HYPERLINK(1)'",
            "must not start with = + - or @",
        ),
    ),
    Hostile(
        "as_of_far_future",
        lambda f: f,
        ("--as-of: value '2099-12-31': is after today", "as_of_future_days", SETTINGS),
        as_of="2099-12-31",
    ),
    Hostile(
        "as_of_without_dashes",
        lambda f: f,
        ("--as-of: value '20260306': is not a date written as YYYY-MM-DD",),
        as_of="20260306",
    ),
    Hostile(
        "as_of_iso_week",
        lambda f: f,
        ("--as-of: value '2026-W10-5': is not a date written as YYYY-MM-DD",),
        as_of="2026-W10-5",
    ),
]


@pytest.fixture(scope="module")
def good_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    ingest(write_valid_extract(root / "extract"), AS_OF, root / "snapshots", synthetic=True)
    return root / "snapshots"


@pytest.fixture
def data_dir(tmp_path: Path, good_snapshots: Path) -> Path:
    shutil.copytree(good_snapshots, tmp_path / "data" / "snapshots")
    return tmp_path / "data"


def run_measured(args: list[str], data_dir: Path) -> tuple[int, str, float, int]:
    """Run `python -m reassess ARGS`; exit status, stderr, seconds, peak resident MB (its own)."""
    err = data_dir.parent / "stderr.txt"
    start = time.monotonic()
    with err.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reassess", *args],
            cwd=ROOT,
            env=cli_env(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=fh,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err.read_text(encoding="utf-8"), seconds, usage.ru_maxrss // 1024


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_hostile_extract_exits_1_quickly_in_bounded_memory(
    case: Hostile, tmp_path: Path, data_dir: Path
) -> None:
    source = case.make(write_valid_extract(tmp_path / "extract"))
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    status, stderr, seconds, peak_mb = run_measured(
        ["ingest", str(source), "--as-of", case.as_of], data_dir
    )

    assert status == 1, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert any(all(part in line for part in case.expect) for line in errors), stderr
    assert stderr.splitlines()[-1].endswith("Nothing was written."), stderr
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak_mb < PEAK_MB, f"{peak_mb} MB"
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_every_limit_is_a_setting_with_a_source() -> None:
    lim = limits()
    names = [s.name for s in lim.sources]
    assert names == [
        "max_file_bytes",
        "max_rows",
        "max_columns",
        "max_cell_chars",
        "max_errors",
        "max_warnings",
        "max_xlsx_part_bytes",
        "max_xlsx_ratio",
        "xlsx_ratio_from_bytes",
        "duckdb_memory_mb",
        "as_of_future_days",
    ]
    assert all(s.source.strip() for s in lim.sources)


def test_full_width_text_is_stored_as_ascii(tmp_path: Path) -> None:
    folder = write_valid_extract(tmp_path / "extract")
    mutate_csv(folder, "officers.csv", 3, "team", "Ｒｅｖｉｅｗ\u3000Ｔｅａｍ　２")

    result = ingest(folder, AS_OF, tmp_path / "snapshots")

    import duckdb

    con = duckdb.connect(str(result.path), read_only=True)
    try:
        teams = con.execute("select team from officers where officer_ref = 'OFF-02'").fetchall()
    finally:
        con.close()
    assert teams == [("Review Team 2",)]


@pytest.mark.parametrize(
    ("exc", "expect"),
    [
        (OSError(28, "No space left on device"), "the disk is full (no space left on device)"),
        (
            "duckdb",
            "the disk is full (no space left on device)",
        ),
    ],
    ids=["os_error", "duckdb_io_error"],
)
def test_a_full_disk_gives_one_clean_line_and_writes_nothing(
    exc: object,
    expect: str,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import duckdb

    import reassess.snapshot.ingest as ingest_module

    error = (
        duckdb.IOException('Could not write file "x.tmp": No space left on device')
        if exc == "duckdb"
        else exc
    )

    def full(*args: object, **kwargs: object) -> None:
        raise error  # type: ignore[misc]

    monkeypatch.setattr(ingest_module, "_insert", full)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    status = main(
        ["ingest", str(write_valid_extract(tmp_path / "extract")), "--as-of", LATER.isoformat()]
    )

    err = capsys.readouterr().err
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and expect in lines[0], err
    assert lines[1] == "Nothing was written."
    assert "Traceback" not in err
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_warnings_past_the_cap_are_summarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ingest.toml"
    text = (ROOT / "config" / "ingest.toml").read_text(encoding="utf-8")
    config.write_text(
        text.replace("max_warnings = { value = 1000,", "max_warnings = { value = 3,"),
        encoding="utf-8",
    )
    monkeypatch.setenv("REASSESS_INGEST_CONFIG", str(config))
    folder = write_valid_extract(tmp_path / "extract")
    rows = read_csv(folder, "cases.csv")
    extra = [f"note_{i}" for i in range(10)]
    write_csv(folder, "cases.csv", [rows[0] + extra] + [r + ["x"] * 10 for r in rows[1:]])

    result = subprocess.run(
        [sys.executable, "-m", "reassess", "ingest", str(folder), "--as-of", AS_OF.isoformat()],
        cwd=ROOT,
        env={**cli_env(tmp_path / "data"), "REASSESS_INGEST_CONFIG": str(config)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4
    assert warnings[-1] == (
        "warning: cases.csv: and 7 more warnings of this kind (extra_column) that are counted "
        f"but not listed; at most 3 warnings are listed, set by the max_warnings setting in {SETTINGS}"
    )
    assert "10 warnings)." in result.stdout
