"""Peak memory of a real app process: `python -m reassess.ui.serve` driven by a headless chromium.

The launcher (free port, poll /_stcore/health) is shared with the browser tests
(tests/e2e/server.py); it keeps the process id, so /proc/<pid>/status can be read: VmHWM is the peak resident set size of the
process since it started, VmRSS the current one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reassess.access import PAGES

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
SETTLE_S = 0.3  # a fixed wait after the page first settles, to catch a rerun; not counted


@dataclass(frozen=True)
class Server:
    """A running app server."""

    url: str
    pid: int


@dataclass
class MemoryRun:
    """Memory of the app process while a browser opened every page once, then again."""

    kb_at_start: int  # VmHWM once the server answered its health check
    kb_peak: int  # VmHWM after every page was opened twice
    kb_rss_end: int
    first_load: dict[str, float] = field(default_factory=dict)  # seconds to a settled page
    second_load: dict[str, float] = field(default_factory=dict)
    rss_after: dict[str, int] = field(default_factory=dict)  # VmRSS after each first load
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_status_kb(pid: int, key: str) -> int:
    """A 'kB' line of /proc/<pid>/status, e.g. VmHWM or VmRSS."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(f"/proc/{pid}/status has no {key} line")


@contextmanager
def app_server(
    data_dir: Path, timeout: float = 90, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Serve the app headless on a free port with REASSESS_DATA_DIR at data_dir; stop it after.

    The server's output goes to a temporary file (a pipe nobody reads would fill and stall the
    server); its tail is in the error if the server exits before answering.
    """
    port = free_port()
    full_env = {**os.environ, "REASSESS_DATA_DIR": str(data_dir), **(env or {})}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reassess.ui.serve",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    out = log.read().decode(errors="replace")[-3000:]
                    raise RuntimeError(
                        f"the app server exited with {proc.returncode} before answering:\n{out}"
                    )
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().decode().strip() == "ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the app server did not answer /_stcore/health in time")
                time.sleep(0.3)
            yield Server(url, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_ready(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and nothing is still loading."""
    page.wait_for_selector(READY, timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(int(SETTLE_S * 1000))
    page.wait_for_selector(READY, timeout=timeout_ms)


def measure_memory(
    data_dir: Path,
    *,
    timeout_s: float = 180,
    log: Callable[[str], None] = lambda _msg: None,
) -> MemoryRun:
    """Open every page twice in chromium against a fresh server; read the server's VmHWM."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing; `make test` installs Debian's chromium")
    with (
        app_server(data_dir, env={"REASSESS_DEMO_ROLE": "commander"}) as server,
        sync_playwright() as p,
    ):
        run = MemoryRun(proc_status_kb(server.pid, "VmHWM"), 0, 0)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            for loads in (run.first_load, run.second_load):
                for spec in PAGES:
                    start = time.perf_counter()
                    try:
                        page.goto(f"{server.url}/{spec.page_id}?role=commander")
                        wait_ready(page, int(timeout_s * 1000))
                    except Exception as exc:  # record and carry on: memory is still measured
                        run.errors.append(f"{spec.page_id}: {str(exc).splitlines()[0][:200]}")
                        continue
                    loads[spec.page_id] = time.perf_counter() - start - SETTLE_S
                    if loads is run.first_load:
                        run.rss_after[spec.page_id] = proc_status_kb(server.pid, "VmRSS")
                        if page.locator("[data-testid='stException']").count():
                            run.errors.append(f"{spec.page_id}: the page shows an exception")
                    log(f"    browser {spec.page_id}: {loads[spec.page_id]:.2f} s")
            context.close()
        finally:
            browser.close()
        run.kb_peak = proc_status_kb(server.pid, "VmHWM")
        run.kb_rss_end = proc_status_kb(server.pid, "VmRSS")
    return run
