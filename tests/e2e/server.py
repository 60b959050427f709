"""Start the app on a free port and drive Debian's chromium with Playwright.

The launcher and the readiness wait are bench/server.py's, shared so that the benchmarks and
the browser tests start and watch the app the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT, app_server, free_port, wait_ready

SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "ROOT",
    "SCREENSHOTS",
    "free_port",
    "streamlit_server",
    "wait_ready",
]


@contextmanager
def streamlit_server(
    data_dir: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> Iterator[str]:
    """Serve the app headless on a free port; yield its base URL; stop it afterwards."""
    with app_server(data_dir, timeout=timeout, env=env) as server:
        yield server.url
