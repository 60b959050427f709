"""Building the demo: prefix stability, the default end date, bad input and real data refused."""

from __future__ import annotations

import filecmp
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from reassess.cli import main
from reassess.config import settings
from reassess.demo import (
    DemoError,
    build_demo,
    default_through,
    iter_weekly_extracts,
    resolve_through,
    write_demo_extracts,
    write_extract,
)
from reassess.snapshot.ingest import ingest
from tests.demo_weeks import FIRST_FRIDAY, PREFIX_THROUGH
from tests.extracts import AS_OF, write_valid_extract


@pytest.mark.slow
def test_a_shorter_build_is_a_prefix_of_the_full_one(demo_extracts: Path, tmp_path: Path) -> None:
    written = write_demo_extracts(tmp_path, through=PREFIX_THROUGH)
    assert len(written) == 18 and written[-1] == PREFIX_THROUGH
    for as_of in written:
        short, full = tmp_path / as_of.isoformat(), demo_extracts / as_of.isoformat()
        names = sorted(p.name for p in short.iterdir())
        assert names == sorted(p.name for p in full.iterdir()), as_of
        for name in names:
            assert filecmp.cmp(short / name, full / name, shallow=False), (as_of, name)
    assert (demo_extracts / (PREFIX_THROUGH + timedelta(days=7)).isoformat()).is_dir()


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    through = date(2025, 11, 21)
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        write_demo_extracts(tmp_path / name, seed=seed, through=through)
    for file in ("cases.csv", "officers.csv", "abstractions.csv"):
        same = (tmp_path / "a" / through.isoformat() / file).read_bytes()
        assert same == (tmp_path / "b" / through.isoformat() / file).read_bytes()
        assert same != (tmp_path / "c" / through.isoformat() / file).read_bytes()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 3), date(2026, 11, 27)),  # a Thursday
        (date(2026, 11, 27), date(2026, 11, 27)),  # a Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # a Sunday
    ],
)
def test_the_default_is_the_last_friday_on_or_before_today(today: date, expected: date) -> None:
    assert default_through(today) == expected
    assert resolve_through(None, today) == expected


def test_a_through_date_that_is_not_a_friday_means_the_friday_before() -> None:
    assert resolve_through("2026-03-08", date(2026, 12, 3)) == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2025-11-06", "before the first weekly extract (2025-11-07)"),
        ("2026-13-01", "is not a date; write it as YYYY-MM-DD"),
        ("next friday", "is not a date; write it as YYYY-MM-DD"),
        ((date.today() + timedelta(days=7)).isoformat(), "is in the future"),
    ],
)
def test_bad_through_is_one_clear_line(
    value: str, says: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(DemoError, match=r"^--through"):
        resolve_through(value)
    assert main(["demo", "--through", value]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --through") and says in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not settings().data_dir.exists() or not any(settings().data_dir.iterdir())


def test_the_demo_refuses_a_folder_with_real_snapshots(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    snapshots = settings().snapshot_dir
    ingest(write_valid_extract(tmp_path / "real"), AS_OF, snapshots, synthetic=False)
    before = {p: p.stat().st_mtime_ns for p in settings().data_dir.rglob("*")}
    assert main(["demo", "--through", "2025-11-14"]) == 1
    err = capsys.readouterr().err
    assert "real (non-synthetic) snapshot" in err and "REASSESS_DATA_DIR" in err
    assert err.count("\n") == 1
    assert {p: p.stat().st_mtime_ns for p in settings().data_dir.rglob("*")} == before


def test_the_demo_refuses_a_folder_with_a_real_extract(tmp_path: Path) -> None:
    write_valid_extract(settings().extract_dir / "2025-11-07")
    (settings().extract_dir / "2025-11-07" / "cases.csv").write_text(
        "case_ref,reported_date\nMPS/0001,2014-02-03\n", encoding="utf-8"
    )
    with pytest.raises(DemoError, match="not synthetic"):
        build_demo(settings(), through=date(2025, 11, 7), progress=False)
    assert not settings().snapshot_dir.exists()


def test_build_writes_synthetic_snapshots_and_keeps_those_there(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--through", "2025-11-21"]) == 0
    out = capsys.readouterr().out
    assert "3 snapshots written" in out and "Generating took" in out
    files = sorted(settings().snapshot_dir.glob("*.duckdb"))
    assert [f.stem for f in files] == ["2025-11-07", "2025-11-14", "2025-11-21"]
    for f in files:
        con = duckdb.connect(str(f), read_only=True)
        try:
            assert con.execute("select synthetic from manifest").fetchone() == (True,)
        finally:
            con.close()
    again = build_demo(settings(), through=date(2025, 11, 28), progress=False)
    assert (again.snapshots, again.skipped) == (1, 3)
    assert again.generate_seconds > 0 and again.ingest_seconds > 0


def test_write_extract_refuses_a_missing_table(tmp_path: Path) -> None:
    tables = next(iter(iter_weekly_extracts(through=FIRST_FRIDAY))).tables
    with pytest.raises(ValueError, match="officers"):
        write_extract({k: v for k, v in tables.items() if k != "officers"}, tmp_path / "x")
    assert not (tmp_path / "x").exists()
    write_extract(tables, tmp_path / "y")
    header = (tmp_path / "y" / "cases.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.startswith("case_ref,reported_date,category")
    back = pd.read_csv(tmp_path / "y" / "cases.csv", dtype=str, keep_default_na=False)
    assert len(back) == len(tables["cases"]) == 9000
