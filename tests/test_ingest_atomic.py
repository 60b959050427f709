"""Snapshots appear whole or not at all: failures and kills leave the folder as it was."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

import reassess.snapshot.ingest
from reassess.cli import main
from reassess.extract.contract import ExtractError
from reassess.snapshot.ingest import TMP_PREFIX, SnapshotExists, ingest
from reassess.snapshot.listing import list_snapshots
from tests.extracts import (
    AS_OF,
    LATER,
    ROOT,
    case_count,
    cli_env,
    file_names,
    hashes,
    keep_rows,
    mutate_csv,
    run_cli,
    sha256,
    wait_for,
    write_large_extract,
    write_valid_extract,
)

FINAL = f"{LATER.isoformat()}.duckdb"


@pytest.fixture(scope="module")
def good_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot folder holding one good snapshot for AS_OF, built by the real ingest."""
    root = tmp_path_factory.mktemp("good")
    ingest(write_valid_extract(root / "extract"), AS_OF, root / "snapshots", synthetic=True)
    return root / "snapshots"


@pytest.fixture
def data_dir(tmp_path: Path, good_snapshots: Path) -> Path:
    shutil.copytree(good_snapshots, tmp_path / "data" / "snapshots")
    return tmp_path / "data"


@pytest.fixture(scope="module")
def large_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid extract big enough that an ingest takes a moment (8,000 cases)."""
    return write_large_extract(tmp_path_factory.mktemp("large") / "extract", 8_000)


def listed(snapshots: Path) -> list[str]:
    listing = list_snapshots(snapshots)
    assert listing.broken == (), listing.broken
    return [s.label for s in listing.snapshots]


def leftovers(snapshots: Path, before: set[str]) -> set[str]:
    return file_names(snapshots) - before


# --replace


def test_replace_keeps_the_old_file_beside_the_new(tmp_path: Path) -> None:
    data = tmp_path / "data"
    snapshots = data / "snapshots"
    first = write_valid_extract(tmp_path / "first")
    assert run_cli(["ingest", str(first), "--as-of", "2026-01-30"], data).returncode == 0
    old = sha256(snapshots / FINAL)
    second = write_valid_extract(tmp_path / "second")
    keep_rows(second, "cases.csv", [2, 3, 4, 5])

    result = run_cli(["ingest", str(second), "--as-of", "2026-01-30", "--replace"], data)

    assert result.returncode == 0, result.stderr
    kept = sorted(snapshots.glob("2026-01-30.replaced-*.duckdb"))
    assert len(kept) == 1
    assert sha256(kept[0]) == old
    assert "The previous snapshot for 2026-01-30 is kept as " in result.stdout
    assert result.stdout.rstrip().endswith(f"{kept[0].name}.")
    assert case_count(kept[0]) == 5
    assert case_count(snapshots / FINAL) == 4
    assert file_names(snapshots) == {FINAL, kept[0].name}

    listing = json.loads(run_cli(["snapshots", "--json"], data).stdout)
    assert [s["as_of"] for s in listing["snapshots"]] == ["2026-01-30"]
    assert listing["snapshots"][0]["in_scope"] == 4
    assert listing["broken"] == []


def test_replace_twice_keeps_both_old_files_and_lists_one_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "data"))
    snapshots = tmp_path / "data" / "snapshots"
    folder = write_valid_extract(tmp_path / "extract")
    digests: list[str] = []
    for keep in ([2, 3, 4, 5, 6], [2, 3, 4, 5], [2, 3, 4]):
        keep_rows(folder, "cases.csv", keep)
        args = ["ingest", str(folder), "--as-of", "2026-01-30"]
        assert main(args + (["--replace"] if digests else [])) == 0
        digests.append(sha256(snapshots / FINAL))
        time.sleep(0.001)  # the kept files are named by the time, to the microsecond
    capsys.readouterr()

    kept = sorted(snapshots.glob("2026-01-30.replaced-*.duckdb"))
    assert [sha256(p) for p in kept] == digests[:2]
    assert case_count(snapshots / FINAL) == 3
    assert listed(snapshots) == ["2026-01-30"]
    assert main(["snapshots", "--json"]) == 0
    assert [s["as_of"] for s in json.loads(capsys.readouterr().out)["snapshots"]] == ["2026-01-30"]


def test_replace_without_an_existing_snapshot_writes_it_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "data"))
    folder = write_valid_extract(tmp_path / "extract")

    assert main(["ingest", str(folder), "--as-of", "2026-01-30", "--replace"]) == 0

    assert "kept as" not in capsys.readouterr().out
    assert file_names(tmp_path / "data" / "snapshots") == {FINAL}


def test_replace_with_a_bad_extract_changes_nothing(
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    folder = write_valid_extract(tmp_path / "extract")
    mutate_csv(folder, "cases.csv", 3, "reported_date", "31/02/2025")
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    assert main(["ingest", str(folder), "--as-of", AS_OF.isoformat(), "--replace"]) == 1

    assert "cases.csv, row 3, column reported_date: value '31/02/2025'" in capsys.readouterr().err
    assert hashes(snapshots) == before


# Failures inside ingest, after the temporary file was created.


def fail_after_tmp(
    monkeypatch: pytest.MonkeyPatch, point: str, exc: BaseException, snapshots: Path
) -> list[set[str]]:
    """Make reassess.snapshot.ingest.<point> raise `exc`; returns the temporary files seen at that moment."""
    seen: list[set[str]] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        seen.append({n for n in file_names(snapshots) if n.startswith(TMP_PREFIX)})
        raise exc

    monkeypatch.setattr(reassess.snapshot.ingest, point, failing)
    return seen


@pytest.mark.parametrize(
    "point",
    ["_insert", "_change_warnings", "_write_manifest", "_fsync", "_publish"],
)
def test_a_failure_mid_write_leaves_the_folder_as_it_was(
    point: str, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    folder = write_valid_extract(tmp_path / "extract")
    seen = fail_after_tmp(monkeypatch, point, OSError(28, "No space left on device"), snapshots)

    with pytest.raises(OSError, match="No space left on device"):
        ingest(folder, LATER, snapshots)

    assert seen and seen[0], "the failure was meant to come after the temporary file existed"
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before
    assert listed(snapshots) == [AS_OF.isoformat()]
    monkeypatch.undo()
    ingest(folder, LATER, snapshots)
    assert listed(snapshots) == [AS_OF.isoformat(), LATER.isoformat()]


def test_a_failing_link_into_place_leaves_the_folder_as_it_was(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)

    def no_link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "link", no_link)
    with pytest.raises(OSError, match="Input/output error"):
        ingest(write_valid_extract(tmp_path / "extract"), LATER, snapshots)

    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_an_interrupt_mid_write_keeps_nothing_partial(
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    seen = fail_after_tmp(monkeypatch, "_write_manifest", KeyboardInterrupt(), snapshots)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    folder = write_valid_extract(tmp_path / "extract")

    assert main(["ingest", str(folder), "--as-of", LATER.isoformat()]) == 130

    assert seen and seen[0]
    assert capsys.readouterr().err == "interrupted; nothing partial was kept\n"
    assert file_names(snapshots) == set(before)
    assert hashes(snapshots) == before


def test_a_snapshot_written_by_another_ingest_meanwhile_is_not_overwritten(
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    snapshots = data_dir / "snapshots"
    other = snapshots / FINAL
    original_fsync = reassess.snapshot.ingest._fsync

    raced: list[Path] = []

    def racing_fsync(path: Path) -> None:
        original_fsync(path)
        if not raced:  # the other ingest finishes first, while this one is about to publish
            raced.append(path)
            ingest(write_valid_extract(tmp_path / "other"), LATER, snapshots)

    monkeypatch.setattr(reassess.snapshot.ingest, "_fsync", racing_fsync)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    folder = write_valid_extract(tmp_path / "extract")
    keep_rows(folder, "cases.csv", [2])

    assert main(["ingest", str(folder), "--as-of", LATER.isoformat()]) == 1

    err = capsys.readouterr().err
    assert f"{FINAL}: another ingest wrote this snapshot while this one ran; " in err
    assert "nothing was overwritten" in err
    assert case_count(other) == 5  # the other one's, untouched
    assert file_names(snapshots) == {f"{AS_OF.isoformat()}.duckdb", FINAL}


# SIGKILL: the process dies without any chance to tidy up.

# Runs the real CLI, but stops after reassess.snapshot.ingest.<point> returns (marker file written) so
# that the test can kill it at a known place.
PAUSING_CLI = """
import sys, time
from pathlib import Path
import reassess.snapshot.ingest
from reassess.cli import main
point, marker = sys.argv[1], Path(sys.argv[2])
original = getattr(reassess.snapshot.ingest, point)
def pause_after(*args, **kwargs):
    result = original(*args, **kwargs)
    marker.write_text(point)
    time.sleep(120)
    return result
setattr(reassess.snapshot.ingest, point, pause_after)
sys.exit(main(sys.argv[3:]))
"""


def assert_only_ignored_leftovers(snapshots: Path, before: dict[str, str]) -> None:
    """A killed ingest may leave .ingest-*.tmp files: never a snapshot, never listed."""
    for name in leftovers(snapshots, set(before)):
        assert name.startswith(f"{TMP_PREFIX}{LATER.isoformat()}-"), name
        assert name.endswith((".tmp", ".tmp.wal")), name
    assert hashes(snapshots).items() >= before.items()
    assert listed(snapshots) == [AS_OF.isoformat()]


@pytest.mark.parametrize("point", ["_insert", "_write_manifest", "_fsync"])
def test_sigkill_mid_write_leaves_no_snapshot(
    point: str,
    tmp_path: Path,
    data_dir: Path,
    procs: list[subprocess.Popen[bytes]],
) -> None:
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    marker = tmp_path / "paused"
    folder = write_valid_extract(tmp_path / "extract")
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CLI, point, str(marker)]
        + ["ingest", str(folder), "--as-of", LATER.isoformat()],
        cwd=ROOT,
        env=cli_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)
    wait_for(marker.exists, proc)
    assert proc.poll() is None, "the ingest ended before it paused"

    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL

    assert not (snapshots / FINAL).exists()
    left = leftovers(snapshots, set(before))
    assert any(n.endswith(".tmp") for n in left), left  # SIGKILL leaves the temporary file
    assert_only_ignored_leftovers(snapshots, before)
    # The leftover does not stand in the way of the next ingest for that date.
    ingest(folder, LATER, snapshots)
    assert listed(snapshots) == [AS_OF.isoformat(), LATER.isoformat()]
    assert hashes(snapshots).items() >= before.items()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.25])
def test_sigkill_of_the_real_cli_at_a_few_delays(
    delay: float,
    data_dir: Path,
    large_extract: Path,
    procs: list[subprocess.Popen[bytes]],
) -> None:
    snapshots = data_dir / "snapshots"
    before = hashes(snapshots)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reassess", "ingest", str(large_extract)]
        + ["--as-of", LATER.isoformat()],
        cwd=ROOT,
        env=cli_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)

    def writing() -> bool:
        return any(n.startswith(TMP_PREFIX) for n in file_names(snapshots))

    wait_for(writing, proc)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    status = proc.wait(timeout=30)

    final = snapshots / FINAL
    if final.exists():
        # Killed after the rename (or it finished first): the snapshot must be whole.
        assert status in (0, -signal.SIGKILL)
        assert case_count(final) == 8_000
        assert listed(snapshots) == [AS_OF.isoformat(), LATER.isoformat()]
    else:
        assert status == -signal.SIGKILL
        assert_only_ignored_leftovers(snapshots, before)
    assert hashes(snapshots).items() >= before.items()


def test_listing_ignores_leftover_temporary_files(
    tmp_path: Path, data_dir: Path, good_snapshots: Path
) -> None:
    snapshots = data_dir / "snapshots"
    complete = good_snapshots / f"{AS_OF.isoformat()}.duckdb"
    # A whole database under a temporary name, a torn one, and its WAL.
    shutil.copyfile(complete, snapshots / f"{TMP_PREFIX}{LATER.isoformat()}-4242-0a1b2c3d.tmp")
    (snapshots / f"{TMP_PREFIX}{LATER.isoformat()}-4343-deadbeef.tmp").write_bytes(b"\0" * 4096)
    (snapshots / f"{TMP_PREFIX}{LATER.isoformat()}-4343-deadbeef.tmp.wal").write_bytes(b"x")

    assert listed(snapshots) == [AS_OF.isoformat()]
    result = run_cli(["snapshots", "--json"], data_dir)
    assert json.loads(result.stdout)["snapshots"][0]["as_of"] == AS_OF.isoformat()
    assert len(json.loads(result.stdout)["snapshots"]) == 1
    assert result.stderr == ""

    ingest(write_valid_extract(tmp_path / "extract"), LATER, snapshots)
    assert listed(snapshots) == [AS_OF.isoformat(), LATER.isoformat()]


def test_a_refused_extract_is_an_extract_error_before_any_file_exists(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = data_dir / "snapshots"
    folder = write_valid_extract(tmp_path / "extract")
    mutate_csv(folder, "officers.csv", 2, "fte", "1.5")
    connects: list[str] = []
    real_connect = duckdb.connect

    def spying_connect(database: Any = ":memory:", *args: Any, **kwargs: Any) -> Any:
        connects.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(reassess.snapshot.ingest.duckdb, "connect", spying_connect)

    with pytest.raises(ExtractError) as refused:
        ingest(folder, LATER, snapshots)

    assert not isinstance(refused.value, SnapshotExists)
    assert [str(i) for i in refused.value.issues] == [
        "officers.csv, row 2, column fte: value '1.5': is out of range; fte must be more than 0 "
        "and at most 1 (e.g. 0.6 for three days a week)"
    ]
    assert not any(Path(c).name.startswith(TMP_PREFIX) for c in connects)
