"""Shared fixtures: snapshots built by the real demo and ingest code, never mocks."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reassess.config import settings
from reassess.demo import build_demo, write_demo_extracts
from tests.demo_weeks import FULL_THROUGH, Week, load_weeks

ROOT = Path(__file__).resolve().parent.parent
DEMO_THROUGH = date(2026, 6, 26)


def _code_digest() -> str:
    """A key for the code that builds the demo, so a stale build from older code is never reused."""
    digest = hashlib.sha256()
    for src in sorted(
        [
            *(ROOT / "reassess").rglob("*.py"),
            *(ROOT / "queries" / "ingest").glob("*.sql"),
            ROOT / "config" / "programme.toml",
        ]
    ):
        digest.update(src.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def demo_extracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every weekly extract of the full demo as CSV (nothing ingested), shared by xdist workers."""
    shared = tmp_path_factory.getbasetemp().parent / f"reassess-demo-csv-{_code_digest()}"
    shared.mkdir(exist_ok=True)
    with (shared / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        done = shared / ".built"
        if not done.exists():
            write_demo_extracts(shared / "extracts", seed=42, through=FULL_THROUGH)
            done.touch()
        fcntl.flock(fh, fcntl.LOCK_UN)
    return shared / "extracts"


@pytest.fixture(scope="session")
def demo_weeks(demo_extracts: Path) -> list[Week]:
    """The full demo's weekly extracts read back with pandas, oldest first."""
    return load_weeks(demo_extracts)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic demo to 26 June 2026 (34 weekly snapshots), built once and shared by xdist workers."""
    shared = tmp_path_factory.getbasetemp().parent / f"reassess-demo-{_code_digest()}"
    shared.mkdir(exist_ok=True)
    lock = shared / ".lock"
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        done = shared / ".built"
        if not done.exists():
            old = os.environ.get("REASSESS_DATA_DIR")
            os.environ["REASSESS_DATA_DIR"] = str(shared)
            try:
                build_demo(settings(), seed=42, through=DEMO_THROUGH, progress=False)
            finally:
                if old is None:
                    os.environ.pop("REASSESS_DATA_DIR", None)
                else:
                    os.environ["REASSESS_DATA_DIR"] = old
            done.touch()
        fcntl.flock(fh, fcntl.LOCK_UN)
    return shared


@pytest.fixture
def demo_env(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """REASSESS_DATA_DIR pointing at the shared demo for the length of one test."""
    monkeypatch.setenv("REASSESS_DATA_DIR", str(demo_dir))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield demo_dir


@pytest.fixture(autouse=True)
def _never_touch_repo_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read or write ./data: default the data folder to a fresh temp folder."""
    if "REASSESS_DATA_DIR" not in os.environ:
        monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test started; any still running at the end are killed."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
