"""The benchmark harness: statistics, the report's marker-preserving write and parser, the
regression guard, scaled extracts and the roll-up queries (no timing assertions)."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.measure import Stats, fmt_bytes, fmt_ms, fmt_stats_ms, summarise, time_runs
from bench.pages import FLOOR_ID, PageTiming
from bench.queries import default_params
from bench.report import (
    BEGIN,
    END,
    INTRO,
    TargetCheck,
    merge,
    recorded_page_medians,
    regression_guard,
    render,
    write_report,
)
from bench.results import BenchResults, ScaleResult
from bench.rollup import attach_all, rollup_query, union_forces, with_total
from bench.scale import ScaleBuild, scale_frames
from reassess import demo
from reassess.snapshot.ingest import ingest
from reassess.snapshot.sql import parse_query
from tests.extracts import AS_OF, write_valid_extract

# ---------------------------------------------------------------------------- statistics


@pytest.mark.parametrize(
    ("samples", "median", "q1", "q3"),
    [
        ([5.0], 5.0, 5.0, 5.0),
        ([1.0, 3.0], 2.0, 1.5, 2.5),
        ([3.0, 1.0, 2.0], 2.0, 1.5, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 100.0], 3.0, 2.0, 4.0),
        ([4.0, 1.0, 3.0, 2.0], 2.5, 1.75, 3.25),
    ],
)
def test_summarise(samples: list[float], median: float, q1: float, q3: float) -> None:
    s = summarise(samples)
    assert s.n == len(samples)
    assert s.median == pytest.approx(median)
    assert s.min == min(samples) and s.max == max(samples)
    assert (s.q1, s.q3) == pytest.approx((q1, q3))
    assert s.iqr == pytest.approx(q3 - q1)


def test_summarise_refuses_no_samples() -> None:
    with pytest.raises(ValueError, match="at least one sample"):
        summarise([])


def test_scaled_converts_every_figure() -> None:
    s = summarise([0.1, 0.2, 0.3]).scaled(1000)
    assert (s.median, s.min, s.max) == pytest.approx((200, 100, 300))
    assert s.n == 3


def test_time_runs_counts_runs_and_calls_setup_untimed() -> None:
    calls: list[str] = []
    s = time_runs(lambda: calls.append("run"), 4, setup=lambda: calls.append("setup"), warmup=1)
    assert s.n == 4
    assert calls == ["setup", "run"] * 5
    assert s.min >= 0 and s.min <= s.median <= s.max
    with pytest.raises(ValueError, match="runs must be 1 or more"):
        time_runs(lambda: None, 0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0004, "0.40 ms"), (0.0123, "12.3 ms"), (1.2345, "1,234 ms")],
)
def test_fmt_ms(seconds: float, text: str) -> None:
    assert fmt_ms(seconds) == text


def test_fmt_bytes_and_stats_cell() -> None:
    assert fmt_bytes(512) == "512 B"
    assert fmt_bytes(3.5 * 1024**2) == "3.5 MB"
    assert fmt_stats_ms(Stats(3, 1.234, 1.0, 1.5, 1.1, 1.3)) == "1,234 (IQR 200; 1,000–1,500)"


@pytest.mark.parametrize(
    ("measured", "met", "words"),
    [
        (0.120, True, "met: 180 ms under (40% of the limit)"),
        (0.540, False, "**not met**: 240 ms over (1.8x the limit)"),
        (None, None, "not measured"),
    ],
)
def test_target_verdict(measured: float | None, met: bool | None, words: str) -> None:
    check = TargetCheck("page warm at 1x under 300 ms", "overview", 0.300, measured)
    assert check.met is met
    assert check.verdict() == words


# ---------------------------------------------------------------------------- the report file


def _stats_ms(ms: float) -> Stats:
    s = ms / 1000
    return Stats(5, s, s * 0.9, s * 1.2, s * 0.95, s * 1.05)


def _results(pages: dict[str, tuple[float, float]], placeholder: str = "") -> BenchResults:
    build = ScaleBuild(
        factor=1,
        data_dir=Path("/nowhere"),
        weeks=(date(2026, 6, 19), date(2026, 6, 26)),
        build_seconds=30.0,
        ingest=summarise([0.4, 0.5, 0.6]),
        validate_seconds=0.2,
        cases=9230,
        officers=42,
        abstractions=316,
        extract_bytes=1_500_000,
        snapshot_bytes=3_400_000,
        folder_bytes=110_000_000,
    )
    timings = [
        PageTiming(page_id, _stats_ms(cold), _stats_ms(warm), page_id == placeholder)
        for page_id, (cold, warm) in pages.items()
    ]
    results = BenchResults(
        machine={"CPU": "test", "nproc": "2"},
        started=datetime(2026, 7, 1, 9, 0),
        quick=False,
        runs=5,
        big_runs=3,
        demo=summarise([30.0, 31.0]),
    )
    results.scales.append(ScaleResult(build, pages=timings, load=(0.2, 0.3)))
    return results


PAGES = {FLOOR_ID: (40.0, 5.0), "overview": (812.0, 150.5), "briefing": (1234.0, 45.0)}


def test_rendered_pages_table_parses_back_to_the_medians() -> None:
    text = merge(None, render(_results(PAGES, placeholder="briefing")))
    recorded = recorded_page_medians(text)
    assert recorded == {
        (FLOOR_ID, "cold"): 40.0,
        (FLOOR_ID, "warm"): 5.0,
        ("overview", "cold"): 812.0,
        ("overview", "warm"): 150.0,  # shown to whole milliseconds from 100 ms up
        ("briefing", "cold"): 1234.0,
        ("briefing", "warm"): 45.0,
    }
    assert "`briefing` (placeholder)" in text
    assert recorded_page_medians(text, factor=10) == {}


def test_recorded_medians_of_a_file_without_a_pages_table_are_empty() -> None:
    assert recorded_page_medians("# Benchmarks\n\nNothing measured yet.\n") == {}
    assert recorded_page_medians(f"{INTRO}\n{BEGIN}\n{END}\n") == {}


def test_targets_in_the_rendered_report_say_met_or_not() -> None:
    text = render(_results({"overview": (812.0, 450.0)}))
    assert "| page warm at 1x under 300 ms | `overview` | 450 ms | **not met**: 150 ms over" in text
    assert "| page cold at 1x under 1 s | `overview` | 812 ms | met: 188 ms under" in text
    assert "| page warm at 100x under 1 s | `overview` | — | not measured |" in text


def test_merge_creates_the_file_with_an_intro() -> None:
    text = merge(None, "generated\n")
    assert text.startswith("# Benchmarks")
    assert f"{BEGIN}\ngenerated\n{END}\n" in text


def test_merge_replaces_only_between_the_markers() -> None:
    before = (
        f"# Mine\n\nHand-written intro.\n\n{BEGIN}\nold figures\n{END}\n\n## Analysis\n\nKept.\n"
    )
    after = merge(before, "new figures")
    assert after == (
        f"# Mine\n\nHand-written intro.\n\n{BEGIN}\nnew figures\n{END}\n\n## Analysis\n\nKept.\n"
    )
    assert merge(after, "new figures") == after


def test_merge_appends_when_there_are_no_markers() -> None:
    after = merge("# Notes\n\nOnly prose.\n", "figures")
    assert after == f"# Notes\n\nOnly prose.\n\n{BEGIN}\nfigures\n{END}\n"


def test_merge_refuses_a_begin_marker_without_an_end() -> None:
    with pytest.raises(ValueError, match="no <!-- bench:end -->"):
        merge(f"{BEGIN}\nhalf\n", "figures")


def test_write_report_keeps_hand_written_sections(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "benchmarks.md"
    write_report(out, "first")
    out.write_text(out.read_text() + "\n## Hand-written\n\nStays.\n")
    write_report(out, "second")
    text = out.read_text()
    assert "second" in text and "first" not in text
    assert text.endswith("## Hand-written\n\nStays.\n")


# ---------------------------------------------------------------------------- regression guard


def test_guard_passes_and_says_so_without_recorded_medians() -> None:
    guard = regression_guard(_results(PAGES), {})
    assert guard.ok
    assert "nothing to compare against" in guard.lines[0]


def test_guard_fails_a_page_over_three_times_its_median() -> None:
    recorded = {("overview", "cold"): 800.0, ("overview", "warm"): 40.0}
    guard = regression_guard(_results(PAGES), recorded)
    assert not guard.ok
    assert any(line.startswith("FAIL overview warm: 150 ms is 3.8x") for line in guard.lines)
    assert any(line.startswith("pass overview cold") for line in guard.lines)
    assert any("no recorded median" in line for line in guard.lines)


def test_guard_ignores_small_absolute_differences_and_the_empty_page() -> None:
    recorded = {("overview", "warm"): 50.0, (FLOOR_ID, "warm"): 1.0, (FLOOR_ID, "cold"): 1.0}
    guard = regression_guard(_results(PAGES), recorded)  # 150.5 ms is 3x but only 100.5 more
    assert not guard.ok
    guard = regression_guard(_results(PAGES), recorded, slack_ms=101)
    assert guard.ok
    assert not any(FLOOR_ID in line for line in guard.lines)


def test_guard_passes_within_three_times() -> None:
    recorded = {(p, k): v * (0.4 if k == "cold" else 1.0) for (p, k), v in _medians().items()}
    assert regression_guard(_results(PAGES), recorded).ok


def _medians() -> dict[tuple[str, str], float]:
    return {(p, "cold"): c for p, (c, _) in PAGES.items()} | {
        (p, "warm"): w for p, (_, w) in PAGES.items()
    }


def test_guard_fails_a_page_that_raises() -> None:
    results = _results(PAGES)
    results.scales[0].pages.append(PageTiming("audit", None, None, False, "ImportError: x"))
    guard = regression_guard(results, _medians())
    assert not guard.ok
    assert "FAIL audit raised: ImportError: x" in guard.lines


# ---------------------------------------------------------------------------- scaled extracts


def _tiny_frames(tmp_path: Path) -> dict[str, pd.DataFrame]:
    folder = write_valid_extract(tmp_path / "tiny")
    return {
        name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).replace(
            "", None
        )
        for name in ("cases", "officers", "abstractions")
    }


def test_scale_frames_makes_every_reference_and_team_unique(tmp_path: Path) -> None:
    frames = _tiny_frames(tmp_path)
    big = scale_frames(frames, 3)
    cases, officers = big["cases"], big["officers"]
    assert len(cases) == 3 * len(frames["cases"])
    assert cases["case_ref"].is_unique and officers["officer_ref"].is_unique
    assert officers["team"].nunique() == 3 * frames["officers"]["team"].nunique()
    assert set(cases["officer_ref"].dropna()) <= set(officers["officer_ref"])
    assert cases["officer_ref"].isna().sum() == 3 * frames["cases"]["officer_ref"].isna().sum()
    assert set(big["abstractions"]["officer_ref"]) <= set(officers["officer_ref"])
    assert list(cases.columns) == list(frames["cases"].columns)
    assert scale_frames(frames, 1)["cases"].equals(frames["cases"])
    with pytest.raises(ValueError, match="1 or more"):
        scale_frames(frames, 0)


def test_a_scaled_extract_passes_the_contract_and_ingests(tmp_path: Path) -> None:
    big = scale_frames(_tiny_frames(tmp_path), 3)
    folder = tmp_path / "scaled"
    demo.write_extract(big, folder)
    result = ingest(folder, AS_OF, tmp_path / "snapshots", synthetic=True, progress=False)
    assert (result.cases, result.officers) == (len(big["cases"]), len(big["officers"]))


# ---------------------------------------------------------------------------- queries


def test_default_params_are_what_a_page_passes(tmp_path: Path) -> None:
    from reassess.snapshot.listing import list_snapshots

    folder = write_valid_extract(tmp_path / "x")
    ingest(folder, AS_OF, tmp_path / "s", synthetic=True, progress=False)
    snap = list_snapshots(tmp_path / "s").latest
    assert snap is not None
    q = parse_query(
        "t",
        "-- purpose: p\n-- grain: g\n-- params: $as_of date, $weeks int, $bcus text[], "
        "$dimension text\n-- access: aggregate\n"
        "select $as_of, $weeks, $bcus, $dimension",
    )
    assert default_params(q, snap, None) == {
        "as_of": AS_OF,
        "weeks": 8,
        "bcus": None,
        "dimension": "category",
    }


@pytest.fixture
def two_forces(tmp_path: Path) -> list[tuple[str, Path]]:
    """The tiny valid extract ingested as two forces' snapshots."""
    folder = write_valid_extract(tmp_path / "extract")
    out = []
    for name in ("force_a", "force_b"):
        result = ingest(folder, AS_OF, tmp_path / name, synthetic=True, progress=False)
        out.append((name, result.path))
    return out


def test_force_progress_unions_known_answers(two_forces: list[tuple[str, Path]]) -> None:
    q = rollup_query("force_progress")
    assert q.params == {"force": "text", "weeks": "int"}
    con = attach_all(two_forces)
    try:
        table = union_forces(con, q, [name for name, _ in two_forces])
    finally:
        con.close()
    # 5 cases; TST-0001 completed 2025-11-12 and TST-0002 2026-01-20: only the latter is
    # within 4 weeks of 2026-01-23.
    assert table["force"].tolist() == ["force_a", "force_b"]
    assert table["in_scope"].tolist() == [5, 5]
    assert table["assessed"].tolist() == [2, 2]
    assert table["awaiting_allocation"].tolist() == [1, 1]
    assert table["in_progress"].tolist() == [2, 2]
    assert table["completed_recent"].tolist() == [1, 1]
    total = with_total(table).iloc[-1]
    assert (total["force"], int(total["in_scope"]), int(total["assessed"])) == ("national", 10, 4)


def test_force_progress_parquet_agrees(two_forces: list[tuple[str, Path]], tmp_path: Path) -> None:
    q = rollup_query("force_progress_parquet")
    files = []
    con = attach_all(two_forces)
    try:
        for name, _ in two_forces:
            target = tmp_path / f"{name}.parquet"
            con.table(f"{name}.main.cases").write_parquet(str(target))
            files.append(str(target))
    finally:
        con.close()
    with duckdb.connect() as pcon:
        table = pcon.execute(q.sql, {"files": files, "as_of": AS_OF, "weeks": 4}).df()
    assert table["force"].tolist() == ["force_a", "force_b"]
    assert table["in_scope"].tolist() == [5, 5]
    assert table["assessed"].tolist() == [2, 2]
    assert table["completed_recent"].tolist() == [1, 1]
    assert not math.isnan(table["in_progress"].sum())


def test_the_coupled_forecast_benchmark_runs(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import reinvestigation_model

    monkeypatch.setenv("REASSESS_DATA_DIR", str(demo_dir))  # restored after: main() sets it
    assert reinvestigation_model.main(["--folder", str(demo_dir), "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("coupled model, 10,000 trials: median") == 3
    assert "target (coupled model under 100 ms at every snapshot):" in out
