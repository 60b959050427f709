"""Each page's server-side run under Streamlit's AppTest, cold and warm, beside an empty page.

Cold: the first open of a snapshot in a running server. Before each cold run the process-wide
Streamlit caches are cleared (``st.cache_resource.clear()``, so ``reassess.ui.database.database``
makes a new ``Database``: new DuckDB connection, the snapshot and its comparison attached again,
query files parsed again, empty result cache; and ``st.cache_data.clear()``) and a new AppTest
(a new session, no widget state) runs the page. Python modules are already imported, the
snapshot listing's manifest cache (one read per file version) is kept, and the files are in the
operating system's page cache. Warm: a second run of the same AppTest straight afterwards (the
same session; every query answered from the result cache), i.e. a rerun after a widget change
that leaves the queries alone. During cold runs the DuckDB calls (Database._execute, i.e. the
result-cache misses, connection set-up included) are timed too, to show where the time goes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from bench.measure import Stats, summarise, timed
from reassess.access import PAGES
from reassess.snapshot.runner import Database

ROOT = Path(__file__).resolve().parent.parent
FLOOR_ID = "(empty page)"
FLOOR_SCRIPT = "import streamlit as st; st.write('empty')"
PLACEHOLDER_TEXT = "being built"
ROLE = "commander"


@dataclass(frozen=True)
class PageTiming:
    """Cold and warm server-side run times of one page (seconds)."""

    page_id: str
    cold: Stats | None
    warm: Stats | None
    placeholder: bool
    error: str | None = None
    query_seconds: Stats | None = None  # DuckDB time inside the cold runs (result-cache misses)
    queries: int = 0  # queries a cold run sent to DuckDB


@contextmanager
def counting_queries() -> Iterator[list[float]]:
    """Record the seconds of every Database._execute call (a result-cache miss) meanwhile."""
    seconds: list[float] = []
    lock = threading.Lock()
    original = Database._execute

    def wrapper(self: Database, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            with lock:
                seconds.append(time.perf_counter() - start)

    Database._execute = wrapper  # type: ignore[method-assign]
    try:
        yield seconds
    finally:
        Database._execute = original  # type: ignore[method-assign]


def clear_caches() -> None:
    """Forget every process-wide Streamlit cache (the Database resource among them)."""
    # Outside a running script Streamlit warns "No runtime found"; harmless here.
    set_log_level("error")
    st.cache_resource.clear()
    st.cache_data.clear()


def _new_app(page_id: str, timeout: float) -> AppTest:
    if page_id == FLOOR_ID:
        return AppTest.from_string(FLOOR_SCRIPT, default_timeout=timeout)
    return AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=timeout)


def _problem(at: AppTest) -> str | None:
    if at.exception:
        return " ".join(str(e.value).splitlines()[0] for e in at.exception)[:300]
    return None


def _is_placeholder(at: AppTest) -> bool:
    return any(PLACEHOLDER_TEXT in str(i.value) for i in at.info) and not len(at.dataframe)


def time_page(page_id: str, runs: int, *, timeout: float = 120) -> PageTiming:
    """`runs` pairs of (cold run of a new AppTest after clearing caches, warm second run)."""
    cold: list[float] = []
    warm: list[float] = []
    in_queries: list[float] = []
    count = 0
    placeholder = False
    for _ in range(runs):
        clear_caches()
        at = _new_app(page_id, timeout)
        at.session_state["demo_role"] = ROLE
        with counting_queries() as calls:
            seconds, _ = timed(at.run)
        in_queries.append(sum(calls))
        count = len(calls)
        problem = _problem(at)
        if problem:
            return PageTiming(page_id, None, None, False, problem)
        cold.append(seconds)
        seconds, _ = timed(at.run)
        problem = _problem(at)
        if problem:
            return PageTiming(page_id, None, None, False, problem)
        warm.append(seconds)
        placeholder = page_id != FLOOR_ID and _is_placeholder(at)
    return PageTiming(
        page_id,
        summarise(cold),
        summarise(warm),
        placeholder,
        query_seconds=summarise(in_queries),
        queries=count,
    )


def time_pages(
    data_dir: Path,
    runs: int,
    *,
    timeout: float = 120,
    log: Callable[[str], None] = lambda _msg: None,
) -> list[PageTiming]:
    """The empty page, then every page in menu order, with REASSESS_DATA_DIR at data_dir."""
    os.environ["REASSESS_DATA_DIR"] = str(data_dir)
    os.environ["REASSESS_DEMO_ROLE"] = ROLE
    # One untimed pass so that imports (plotly, the page modules) are not counted.
    for page_id in (FLOOR_ID, *(p.page_id for p in PAGES)):
        clear_caches()
        _new_app(page_id, timeout).run()
    out = []
    for page_id in (FLOOR_ID, *(p.page_id for p in PAGES)):
        result = time_page(page_id, runs, timeout=timeout)
        out.append(result)
        if result.error:
            log(f"    {page_id}: ERROR {result.error}")
        else:
            assert result.cold is not None and result.warm is not None
            log(
                f"    {page_id}: cold {result.cold.median * 1000:,.0f} ms, "
                f"warm {result.warm.median * 1000:,.0f} ms"
            )
    clear_caches()
    return out
