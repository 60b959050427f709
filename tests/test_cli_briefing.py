"""`python -m reassess briefing`: files written atomically, never overwritten without --force."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reassess.cli import briefing as cli_briefing
from reassess.cli import main
from tests.briefing_fixtures import SPEC_A, build_programme

ROOT = Path(__file__).resolve().parent.parent
RUN_CLI = "from reassess.cli import main\nimport sys\nsys.exit(main(sys.argv[1:]))\n"


@pytest.fixture(scope="module")
def data_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_programme(tmp_path_factory.mktemp("cli"), SPEC_A)


@pytest.fixture
def env_a(data_a: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_a))
    return data_a


def test_writes_pdf_xlsx_and_csvs(
    env_a: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "briefing",
            "--snapshot",
            "latest",
            "--compare",
            "PREVIOUS",
            "--pdf",
            str(out / "b.pdf"),
            "--xlsx",
            str(out / "b.xlsx"),
            "--csv-dir",
            str(out / "csv"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        "[OFFICIAL-SENSITIVE · SYNTHETIC DATA] Briefing at 2026-03-06, compared with 2026-02-27\n"
        "About 45 of 125 cases in scope have been assessed (36%)."
    )
    assert len(PdfReader(out / "b.pdf").pages) >= 3
    assert "changes" in load_workbook(out / "b.xlsx").sheetnames
    names = sorted(p.name for p in (out / "csv").iterdir())
    assert "changes.csv" in names and "notes.csv" in names and len(names) == 12
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], "no temporary file is left"


def test_refuses_to_overwrite_without_force(
    env_a: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(b"keep me")
    xlsx = tmp_path / "b.xlsx"
    code = main(["briefing", "--pdf", str(pdf), "--xlsx", str(xlsx)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"error: {pdf} exists; run again with --force to replace it" in err
    assert "Nothing was written." in err
    assert pdf.read_bytes() == b"keep me" and not xlsx.exists(), "nothing at all is written"
    assert main(["briefing", "--pdf", str(pdf), "--force"]) == 0
    assert PdfReader(io.BytesIO(pdf.read_bytes())).pages


def test_existing_csv_is_refused_too(env_a: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("mine")
    assert main(["briefing", "--csv-dir", str(tmp_path)]) == 1
    assert (tmp_path / "notes.csv").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.csv"]


def test_compare_none_and_a_date(env_a: Path, tmp_path: Path) -> None:
    assert main(["briefing", "--compare", "none", "--csv-dir", str(tmp_path / "n")]) == 0
    assert not (tmp_path / "n" / "changes.csv").exists()
    assert main(["briefing", "--compare", "2026-02-27", "--csv-dir", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "changes.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--snapshot", "2020-01-01"], "there is no snapshot for '2020-01-01'"),
        (["--compare", "2026-03-06"], "must be earlier than 2026-03-06"),
    ],
)
def test_bad_snapshots(env_a: Path, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        main(["briefing", *args])


def test_a_folder_given_as_a_file_is_refused(
    env_a: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["briefing", "--pdf", str(tmp_path)]) == 1
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    cli_briefing.write_atomic(target, b"one")
    assert target.read_bytes() == b"one"
    with pytest.raises(TypeError):
        cli_briefing.write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


def test_demo_briefing_from_the_cli_timing(demo_dir: Path, tmp_path: Path) -> None:
    """Not a timed assertion: the whole command, in a fresh process, for the report."""
    env = {**os.environ, "REASSESS_DATA_DIR": str(demo_dir)}
    args = ["briefing", "--snapshot", "latest", "--compare", "previous"]
    args += ["--pdf", str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx")]
    args += ["--csv-dir", str(tmp_path / "csv")]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    print(f"\nbriefing CLI on the demo's latest snapshot with comparison: {took:.1f} s")
    assert done.returncode == 0, done.stderr
    assert "Briefing at 2026-06-26, compared with 2026-06-19" in done.stdout
    assert (tmp_path / "b.pdf").stat().st_size > 10_000
