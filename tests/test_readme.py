"""Every command the README shows runs as shown, on a copy of the demo, and says something.

`make run` and `make test` are the README's other two commands; CI runs `make test` itself, and
`make run` is started on a fresh clone before an issue is called done (docs/operations.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The `python -m reassess` lines of the README's code blocks, in order."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("python -m reassess")]


COMMANDS = readme_commands()


def test_the_readme_shows_every_command() -> None:
    from reassess.cli import COMMANDS as CLI

    shown = {c.split()[3] for c in COMMANDS}
    assert shown == set(CLI), f"commands the README does not show: {sorted(set(CLI) - shown)}"


@pytest.fixture(scope="module")
def demo_copy(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo: the README's ingest and demo lines write to it."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(demo_dir, work / "data", ignore=shutil.ignore_patterns(".lock"))
    return work


@pytest.mark.parametrize("command", COMMANDS)
def test_each_readme_command_runs_as_shown(demo_copy: Path, command: str) -> None:
    env = {**os.environ, "REASSESS_DATA_DIR": str(demo_copy / "data"), "PYTHONPATH": str(ROOT)}
    if command.endswith("demo --through 2026-01-09"):
        env["REASSESS_DATA_DIR"] = str(demo_copy / "short-demo")
    (demo_copy / "out").mkdir(exist_ok=True)
    shell = command.replace("python -m", f"{sys.executable} -m")
    shell = shell.replace(" docs/", f" {ROOT}/docs/")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        cwd=demo_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.stdout.strip() or "out/" in command, f"{command} printed nothing"
    if "--pdf out/briefing.pdf" in command:
        assert (demo_copy / "out" / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
        assert (demo_copy / "out" / "briefing.xlsx").stat().st_size > 0
        assert any((demo_copy / "out" / "csv").glob("*.csv"))
