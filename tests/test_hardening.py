"""Hardening: killed ingests, ingest while serving, broken snapshot files, hostile links, raw HTML."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import PAGES
from reassess.snapshot.ingest import TMP_PREFIX, ingest
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests.extracts import (
    AS_OF,
    LATER,
    case_count,
    cli_env,
    hashes,
    wait_for,
    write_large_extract,
    write_valid_extract,
)

ROOT = Path(__file__).resolve().parent.parent
LARGE = 20_000


@pytest.fixture(scope="module")
def one_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot folder holding the small test extract's snapshot for AS_OF (synthetic)."""
    root = tmp_path_factory.mktemp("one")
    ingest(write_valid_extract(root / "extract"), AS_OF, root / "snapshots", synthetic=True)
    return root / "snapshots"


@pytest.fixture(scope="module")
def large_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_extract(tmp_path_factory.mktemp("large") / "extract", LARGE)


@pytest.fixture
def data_dir(tmp_path: Path, one_snapshot: Path) -> Path:
    shutil.copytree(one_snapshot, tmp_path / "data" / "snapshots")
    return tmp_path / "data"


def start_ingest(
    source: Path, as_of: date, data: Path, procs: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "reassess", "ingest", str(source), "--as-of", as_of.isoformat()],
        cwd=ROOT,
        env=cli_env(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    procs.append(proc)
    return proc


# An interrupted ingest


def writing(snapshots: Path) -> bool:
    """Whether an ingest's temporary file is in the snapshot folder."""
    return any(p.name.startswith(TMP_PREFIX) for p in snapshots.iterdir())


def _kill_and_check(proc: subprocess.Popen[bytes], snapshots: Path, before: dict[str, str]) -> str:
    """SIGKILL the ingest, then check the folder; returns what the kill interrupted."""
    mid_write = writing(snapshots)
    proc.send_signal(signal.SIGKILL)
    status = proc.wait(timeout=30)
    final = snapshots / f"{LATER.isoformat()}.duckdb"
    listing = list_snapshots(snapshots)
    assert listing.broken == (), listing.broken
    if final.exists():  # the kill came after the link: the snapshot must be whole
        assert case_count(final) == LARGE
        assert [s.label for s in listing.snapshots] == [AS_OF.isoformat(), LATER.isoformat()]
        outcome = "finished"
    else:
        assert status == -signal.SIGKILL
        assert [s.label for s in listing.snapshots] == [AS_OF.isoformat()]
        left = {p.name for p in snapshots.iterdir()} - set(before)
        assert all(name.startswith(TMP_PREFIX) for name in left), left
        outcome = "mid-write" if mid_write else "before writing"
    after = hashes(snapshots)
    assert {k: after[k] for k in before} == before  # earlier snapshots byte-identical
    return outcome


def test_sigkill_at_points_across_a_real_ingest_leaves_no_snapshot_and_earlier_ones_intact(
    tmp_path: Path, one_snapshot: Path, large_extract: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    # How long an uninterrupted ingest takes here, so the timed kills spread across all of it.
    timing = tmp_path / "timing"
    shutil.copytree(one_snapshot, timing / "snapshots")
    started = time.monotonic()
    assert start_ingest(large_extract, LATER, timing, procs).wait(timeout=120) == 0
    full = time.monotonic() - started

    def run(n: int) -> tuple[subprocess.Popen[bytes], Path, dict[str, str]]:
        data = tmp_path / f"run{n}"
        shutil.copytree(one_snapshot, data / "snapshots")
        snapshots = data / "snapshots"
        before = hashes(snapshots)
        return start_ingest(large_extract, LATER, data, procs), snapshots, before

    # Kills at fractions of the measured time: where they land depends on the machine's load,
    # and every landing must leave the folder clean.
    outcomes = []
    for n, fraction in enumerate((0.2, 0.5, 0.8, 0.95)):
        proc, snapshots, before = run(n)
        time.sleep(full * fraction)
        outcomes.append(_kill_and_check(proc, snapshots, before))

    # Kills triggered by the temporary file appearing, so at least one lands mid-write however
    # busy the machine is. The write lasts far longer than the poll, so a "finished" here is a
    # lost race and is retried (each attempt's folder is still checked in full).
    for attempt in range(5):
        proc, snapshots, before = run(10 + attempt)
        assert wait_for(partial(writing, snapshots), proc, timeout=120), (
            "the ingest never wrote a temporary file"
        )
        outcome = _kill_and_check(proc, snapshots, before)
        outcomes.append(outcome)
        if outcome == "mid-write":
            break
    assert "mid-write" in outcomes, outcomes


# Ingest while the app is serving


def test_readers_never_fail_nor_see_half_a_snapshot_while_another_process_ingests(
    data_dir: Path, large_extract: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    snapshots = data_dir / "snapshots"
    db = Database()  # one runner for the whole test, as in a server process
    new_dates = [LATER, date(2026, 2, 6)]
    expected = {AS_OF.isoformat(): 5, **{d.isoformat(): LARGE for d in new_dates}}
    stop = threading.Event()
    errors: list[str] = []
    seen: dict[str, int] = {}
    reads = [0]
    lock = threading.Lock()

    def reader() -> None:
        while not stop.is_set():
            try:
                listing = list_snapshots(snapshots)
                if listing.broken:
                    errors.append(f"broken: {listing.broken}")
                for snap in listing.snapshots:
                    kpis = db.scalar_row("kpis", snap, role="commander")
                    flow = db.run("weekly_flow", snap, role="planner", as_of=snap.as_of, weeks=4)
                    if (
                        kpis["in_scope"] != snap.in_scope
                        or kpis["in_scope"] != expected[snap.label]
                    ):
                        errors.append(f"{snap.label}: {kpis['in_scope']} cases shown")
                    if len(flow) > 4:
                        errors.append(f"{snap.label}: weekly_flow has {len(flow)} rows")
                    with lock:
                        seen[snap.label] = kpis["in_scope"]
                        reads[0] += 1
            except Exception as exc:  # noqa: BLE001 (any failure is what the test looks for)
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for as_of in new_dates:
            proc = start_ingest(large_extract, as_of, data_dir, procs)
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            deadline = time.monotonic() + 60  # a wait, not a timing check
            while as_of.isoformat() not in seen and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)

    assert not errors, errors[:5]
    assert seen == expected  # the new snapshots appeared, whole, with no restart
    assert reads[0] > 20


# Broken snapshot files


def broken_folder(data: Path) -> None:
    """Beside the good snapshot: a truncated copy, junk, an empty file, a database with no
    manifest, and a snapshot under the wrong date's name."""
    snapshots = data / "snapshots"
    good = snapshots / f"{AS_OF.isoformat()}.duckdb"
    raw = good.read_bytes()
    (snapshots / "2026-01-02.duckdb").write_bytes(raw[: len(raw) // 2])
    (snapshots / "2026-01-09.duckdb").write_bytes(os.urandom(64 * 1024))
    (snapshots / "2026-01-16.duckdb").write_bytes(b"")
    con = duckdb.connect(str(snapshots / "2026-01-30.duckdb"))
    con.execute("create table cases as select 1 as case_ref")
    con.close()
    shutil.copyfile(good, snapshots / "2026-02-06.duckdb")
    (snapshots / "2026-02-13.duckdb").write_bytes(raw[:4096])  # only the header survived


def test_broken_snapshot_files_are_listed_as_broken_and_skipped(data_dir: Path) -> None:
    broken_folder(data_dir)
    listing = list_snapshots(data_dir / "snapshots")

    assert [s.label for s in listing.snapshots] == [AS_OF.isoformat()]
    reasons = {b.path.name: b.reason for b in listing.broken}
    assert sorted(reasons) == [
        "2026-01-02.duckdb",
        "2026-01-09.duckdb",
        "2026-01-16.duckdb",
        "2026-01-30.duckdb",
        "2026-02-06.duckdb",
        "2026-02-13.duckdb",
    ]
    assert reasons["2026-01-30.duckdb"].startswith("is not a complete snapshot")
    assert reasons["2026-02-06.duckdb"] == (
        f"says it is for {AS_OF.isoformat()} but is named 2026-02-06"
    )
    kpis = Database().scalar_row("kpis", listing.snapshots[0], role="commander")
    assert kpis["in_scope"] == 5


def test_the_app_serves_the_good_snapshots_beside_broken_ones(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_folder(data_dir)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.run()

    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert any(
        "6 snapshot file(s) could not be read and were skipped" in w.value
        for w in at.sidebar.warning
    )
    assert at.selectbox(key="snapshot").options == [AS_OF.isoformat()]
    assert len(at.metric) > 0


# Hostile values in the link

HOSTILE = {
    "sql": "'; drop table cases; --",
    "script": "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
    "long": "A" * 10_240,
    "unicode": "\u202egnp.exe \U0001f4a5 Ω≈ç√ \u0000\u200b' OR '1'='1",
}


def link_keys() -> list[str]:
    """Every query parameter a page reads: the shell's, and the filters of each page."""
    keys = ["snapshot", "compare", "role", "split"]
    try:
        from reassess.present.filter_state import URL_KEYS

        keys += list(URL_KEYS)
    except ImportError:
        keys += ["cat", "bcu", "years", "prio", "by", "rows", "cols"]
    try:
        from reassess.store.scenarios import COUNT_KEY, LEVER_BY_KEY, SLOTS

        keys += [COUNT_KEY, *(f"{slot}_{key}" for slot in SLOTS[:1] for key in LEVER_BY_KEY)]
        keys += list(LEVER_BY_KEY)
    except ImportError:
        keys += ["scenarios", "target"]
    return list(dict.fromkeys(keys))


def texts(node: Any) -> Iterator[str]:
    """The text of every element the run produced, main area and sidebar."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from texts(child)
        return
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield str(proto)


SQL_WORDS = (
    "select ",
    "from cases",
    "queryerror",
    "binder error",
    "parser error",
    "catalog error",
    "duckdb.",
    ".sql failed",
)


def assert_handled(at: AppTest, what: str) -> None:
    assert not at.exception, f"{what}: {at.exception[0].message[:300]}"
    shown = "\n".join(texts(at._tree)).lower()  # noqa: SLF001
    assert "traceback" not in shown, what
    for word in SQL_WORDS:
        assert word not in shown, f"{what}: {word!r} on screen"


@pytest.fixture
def hostile_env(demo_env: Path) -> Path:
    return demo_env


@pytest.mark.parametrize("value", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_link_values_on_the_router_give_a_message(hostile_env: Path, value: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key in link_keys():
        at.query_params[key] = HOSTILE[value]
    at.run()
    assert_handled(at, f"app.py with {value}")
    # the router forwards to the role's first page with the values replaced by valid ones
    assert [t.value for t in at.title] == ["Overview"]
    assert at.query_params["snapshot"] == "2026-06-26"
    assert at.query_params["compare"] == "2026-06-19"
    assert at.query_params["role"] == "commander"
    assert len("".join(texts(at._tree))) < 200_000  # noqa: SLF001 (nothing echoed 10 KB at a time)


@pytest.mark.parametrize("value", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_shell_values_on_a_page_are_named_and_cut_short(
    hostile_env: Path, value: str
) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    for key in ("snapshot", "compare", "role"):
        at.query_params[key] = HOSTILE[value]
    at.run()
    assert_handled(at, f"overview with {value}")
    warnings = [w.value for w in at.sidebar.warning]
    assert sum("which does not exist" in w for w in warnings) == 3, warnings
    assert all(len(w) < 300 for w in warnings)
    assert [t.value for t in at.title] == ["Overview"]


@pytest.mark.parametrize("value", ["sql", "long"])
@pytest.mark.parametrize("page_id", [p.page_id for p in PAGES])
def test_hostile_link_values_on_each_page_give_a_message(
    hostile_env: Path, page_id: str, value: str
) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=60)
    at.session_state["demo_role"] = "commander"
    for key in link_keys():
        if key != "role":
            at.query_params[key] = HOSTILE[value]
    at.run()
    assert_handled(at, f"{page_id} with {value}")


def test_markdown_in_a_link_value_is_not_rendered(hostile_env: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["snapshot"] = "![x](http://203.0.113.9/t.png)"
    at.run()
    warning = next(w.value for w in at.sidebar.warning if "does not exist" in w.value)
    # Shown only inside a markdown code span, where it cannot render as an image or a link.
    assert "`![x](http://203.0.113.9/t.png)`" in warning
    assert warning.count("![x](") == 1


# Raw HTML only from constants

HTML_CALLS = {"html"}  # st.html(...), components.html(...)


def _module_constants(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def raw_html_calls() -> list[tuple[str, int, bool]]:
    """(file, line, body is a module-level string constant) for every call that renders raw HTML."""
    found = []
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "reassess").rglob("*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            unsafe = any(
                k.arg == "unsafe_allow_html"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords
            )
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if not unsafe and name not in HTML_CALLS:
                continue
            body = (
                node.args[0]
                if node.args
                else next((k.value for k in node.keywords if k.arg in ("body", "html")), None)
            )
            ok = isinstance(body, ast.Name) and body.id in constants
            found.append((str(path.relative_to(ROOT)), node.lineno, ok))
    return found


def test_raw_html_is_only_ever_a_module_level_constant() -> None:
    offenders = [f"{f}:{line}" for f, line, ok in raw_html_calls() if not ok]
    assert offenders == [], (
        "unsafe_allow_html=True / st.html must be given a module-level string constant, never "
        f"data: {offenders}"
    )


def test_the_printed_marking_is_the_marking() -> None:
    from reassess.present.marking import marking
    from reassess.ui.style import PRINT_CSS, SYNTHETIC_PRINT_CSS

    assert PRINT_CSS.count(f'content: "{marking(False)}"') == 2
    assert SYNTHETIC_PRINT_CSS.count(f'content: "{marking(True)}"') == 2


def test_the_html_check_catches_data(tmp_path: Path) -> None:
    sample = (
        "import streamlit as st\nCSS = '<style></style>'\nname = input()\n"
        "st.markdown(CSS, unsafe_allow_html=True)\n"
        "st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)\n"
        "st.html(name)\n"
    )
    tree = ast.parse(sample)
    assert _module_constants(tree) == {"CSS"}
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            body = node.args[0]
            calls.append(isinstance(body, ast.Name) and body.id in _module_constants(tree))
    assert calls == [True, False, False]
