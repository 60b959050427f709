"""docs/benchmarks.md: the generated tables between markers, targets, and the regression guard."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench.measure import Stats, fmt_bytes, fmt_ms, fmt_seconds, fmt_stats_ms
from bench.pages import FLOOR_ID
from bench.results import BenchResults, ScaleResult

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
PAGES_HEADING = "### Pages"
INTRO = """# Benchmarks

How fast reassess is on one machine at the demo's size (1x, about 9,000 cases) and at 10x and
100x that size, and how far one machine goes. `make bench` (or `python -m bench`) measures and
rewrites the section between the `bench:begin` and `bench:end` markers below; anything written
outside the markers is kept. `make bench-quick` (CI) measures 1x only and fails when a page
takes more than three times its median recorded here (and at least 100 ms
more, so that noise on a tiny figure does not fail the build).

See docs/scaling.md for the path past one machine.
"""


# --------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class TargetCheck:
    """One target against one measured median (seconds); met is None when not measured."""

    target: str
    subject: str
    limit: float
    measured: float | None
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.measured is None else self.measured < self.limit

    def verdict(self) -> str:
        """'met: 120 ms under (40% of the limit)' or 'not met: 250 ms over (1.8x the limit)'."""
        if self.measured is None:
            return "not measured"
        gap = abs(self.limit - self.measured)
        share = self.measured / self.limit
        amount = fmt_ms(gap) if self.limit < 10 else fmt_seconds(gap)
        if self.met:
            return f"met: {amount} under ({share:.0%} of the limit)"
        return f"**not met**: {amount} over ({share:.1f}x the limit)"


def _fmt_limit(seconds: float) -> str:
    return fmt_ms(seconds) if seconds < 10 else fmt_seconds(seconds)


def target_checks(results: BenchResults) -> list[TargetCheck]:
    """Every target of the benchmark issue, checked against this run's medians."""
    checks: list[TargetCheck] = []
    page_targets = (
        (1, "warm", 0.300, "page warm at 1x under 300 ms"),
        (1, "cold", 1.0, "page cold at 1x under 1 s"),
        (100, "warm", 1.0, "page warm at 100x under 1 s"),
    )
    for factor, kind, limit, label in page_targets:
        scale = results.scale(factor)
        page_ids = _page_ids(results)
        for page_id in page_ids:
            measured = None
            note = ""
            if scale is not None:
                timing = next((p for p in scale.pages if p.page_id == page_id), None)
                if timing is not None:
                    stats = timing.cold if kind == "cold" else timing.warm
                    measured = stats.median if stats else None
                    note = "placeholder" if timing.placeholder else (timing.error or "")
            checks.append(TargetCheck(label, page_id, limit, measured, note))
    one = results.scale(1)
    checks.append(
        TargetCheck(
            "ingest of a 9,000-case extract under 2 s",
            f"{one.build.cases:,} cases, latest week" if one else "1x",
            2.0,
            one.build.ingest.median if one else None,
        )
    )
    checks.append(
        TargetCheck(
            "ingest at 1x under 0.4 s",
            _ingest_subject(one),
            0.4,
            one.build.ingest.median if one else None,
        )
    )
    hundred = results.scale(100)
    if hundred is not None:
        checks.append(
            TargetCheck(
                "ingest of the 100x extract under 5 s",
                _ingest_subject(hundred),
                5.0,
                hundred.build.ingest.median,
            )
        )
    checks.append(
        TargetCheck(
            "whole demo under 60 s",
            "34 weekly extracts written and ingested",
            60.0,
            results.demo.median if results.demo else None,
        )
    )
    for label, limit, attr in (
        ("forecast under 50 ms", 0.050, "forecast"),
        ("scenario under 200 ms", 0.200, "scenario"),
    ):
        for domain in (one.domain if one else None, results.domain_worst):
            if domain is None:
                continue
            timings: Stats = getattr(domain, attr)
            subject = (
                f"10,000 trials, snapshot {domain.as_of}, {domain.remaining:,} cases to go"
                f" (P85 in {domain.weeks_p85} weeks)"
            )
            checks.append(TargetCheck(label, subject, limit, timings.median))
    return checks


def _page_ids(results: BenchResults) -> list[str]:
    ids: list[str] = []
    for scale in results.scales:
        for timing in scale.pages:
            if timing.page_id != FLOOR_ID and timing.page_id not in ids:
                ids.append(timing.page_id)
    return ids


# --------------------------------------------------------------------------------------------
# Markdown


def table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A GitHub markdown table."""
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def page_label(page_id: str, placeholder: bool) -> str:
    """The first cell of a page row: `id`, marked when the page only says it is being built."""
    if page_id == FLOOR_ID:
        return "empty page (floor)"
    return f"`{page_id}`" + (" (placeholder)" if placeholder else "")


def render(results: BenchResults) -> str:
    """The generated section (without the markers)."""
    parts: list[str] = []
    scales = results.scales
    factors = ", ".join(f"{s.factor}x" for s in scales)
    started = results.started.strftime("%Y-%m-%d %H:%M")
    mode = "quick mode (CI): " if results.quick else ""
    big = f" ({results.big_runs} at 100x)" if any(s.factor >= 100 for s in scales) else ""
    parts.append(
        f"## Results\n\nGenerated by `python -m bench{' --quick' if results.quick else ''}` on "
        f"{started}: {mode}scales {factors}; {results.runs} runs per measurement{big}; the whole "
        f"run took {results.elapsed_seconds / 60:.1f} minutes. Times are medians, with the "
        "interquartile range (IQR) and min–max of the runs." + _load_warning(results)
    )
    parts.append("### Machine\n\n" + table(["", ""], results.machine.items()))

    checks = target_checks(results)
    rows = []
    for c in checks:
        subject = f"`{c.subject}`" if c.target.startswith("page") else c.subject
        if c.note:
            subject += f" ({c.note})"
        measured = "—" if c.measured is None else _fmt_limit(c.measured)
        rows.append([c.target, subject, measured, c.verdict()])
    missed = sum(1 for c in checks if c.met is False)
    parts.append(
        f"### Targets\n\n{missed} of {sum(1 for c in checks if c.met is not None)} measured "
        "targets are not met.\n\n" + table(["target", "subject", "median", "result"], rows)
    )

    rows = []
    for s in scales:
        b = s.build
        weeks = f"{len(b.weeks)} ({b.weeks[0]} to {b.weeks[-1]})"
        rows.append(
            [
                f"{s.factor}x",
                weeks,
                f"{b.cases:,}",
                f"{b.officers:,}",
                fmt_bytes(b.extract_bytes),
                fmt_bytes(b.snapshot_bytes),
                fmt_bytes(b.folder_bytes),
                _fmt_stats_s(b.ingest),
                _fmt_stats_s(b.read_csv) if b.read_csv else "—",
                f"{b.ingest_ratio:.1f}x" if b.ingest_ratio else "—",
                fmt_seconds(b.validate_seconds),
                fmt_seconds(b.build_seconds),
                _fmt_stats_s(s.listing) if s.listing else "—",
                f"{s.load[0]:.1f} → {s.load[1]:.1f}" if s.load else "—",
            ]
        )
    parts.append(
        "### Data and ingest\n\nThe latest week's extract ingested with every earlier snapshot "
        "in the folder (as in production: ingest reads each earlier snapshot's summary and diffs "
        "the previous one). *DuckDB read_csv* is DuckDB's own `read_csv` of the same files "
        "(types detected, into memory), timed just before each ingest run so both see the same "
        "load, and *ratio* is the ingest median over its median. *read + validate* is one run "
        "of reading the CSVs and checking the contract (column-wise, in DuckDB). *listing* is "
        "`list_snapshots` with its manifest cache cleared, as after a server restart. *load avg* "
        "is the machine's 1-minute load average when the scale's measurements began and "
        "ended.\n\n"
        + table(
            [
                "scale",
                "weeks ingested",
                "cases",
                "officers",
                "extract CSV",
                "snapshot",
                "all snapshots",
                "ingest latest week",
                "DuckDB read_csv",
                "ratio",
                "read + validate",
                "build every week once",
                "listing",
                "load avg",
            ],
            rows,
        )
    )
    if results.demo:
        parts.append(
            f"Whole synthetic demo (`build_demo`, 34 weeks at 1x, into an empty folder): "
            f"{_fmt_stats_s(results.demo)} over {results.demo.n} run(s)."
        )

    parts.append(_pages_section(scales))
    parts.append(_breakdown_section(scales))
    parts.append(_queries_section(scales))
    parts.append(_domain_section(results))
    parts.append(_memory_section(scales))
    if results.rollup:
        parts.append(_rollup_section(results))
    if results.notes:
        parts.append("### Notes\n\n" + "\n".join(f"- {n}" for n in results.notes))
    return "\n\n".join(parts) + "\n"


def _load_warning(results: BenchResults) -> str:
    """A sentence when other work shared the machine (load average above half the cores)."""
    try:
        cores = int(results.machine.get("nproc", "0"))
    except ValueError:
        cores = 0
    loads = [x for s in results.scales if s.load for x in s.load]
    if not loads or not cores or max(loads) <= cores / 2:
        return ""
    return (
        f" **The machine was busy**: the 1-minute load average reached {max(loads):.1f} on "
        f"{cores} cores during the run (see the load column below), so the figures are "
        "inflated by other work; compare the min column, and rerun on a quiet machine."
    )


def _ingest_subject(scale: ScaleResult | None) -> str:
    """The subject of an ingest target: the cases, and ingest over DuckDB's read_csv."""
    if scale is None:
        return "1x"
    b = scale.build
    ratio = f", {b.ingest_ratio:.1f}x DuckDB's read_csv" if b.ingest_ratio else ""
    return f"{b.cases:,} cases, latest week{ratio}"


def _fmt_stats_s(s: Stats) -> str:
    """'0.41 s (IQR 0.02; 0.39–0.45)'."""
    return f"{fmt_seconds(s.median)} (IQR {s.iqr:.2f}; {s.min:.2f}–{s.max:.2f})"


def _pages_section(scales: list[ScaleResult]) -> str:
    header = ["page"]
    for s in scales:
        header += [f"{s.factor}x cold", f"{s.factor}x warm"]
    ids: list[tuple[str, bool]] = []
    for s in scales:
        for p in s.pages:
            if p.page_id not in [i for i, _ in ids]:
                ids.append((p.page_id, p.placeholder))
    rows = []
    for page_id, placeholder in ids:
        row: list[object] = [page_label(page_id, placeholder)]
        for s in scales:
            timing = next((p for p in s.pages if p.page_id == page_id), None)
            if timing is None:
                row += ["—", "—"]
            elif timing.error:
                row += [f"error: {timing.error[:80]}", "—"]
            else:
                assert timing.cold is not None and timing.warm is not None
                row += [fmt_stats_ms(timing.cold), fmt_stats_ms(timing.warm)]
        rows.append(row)
    return (
        f"{PAGES_HEADING} (server-side run under AppTest, ms)\n\n"
        "Each cell: median (IQR; min–max) in milliseconds. **Cold** is the first open of a "
        "snapshot: before each cold run `st.cache_resource.clear()` and `st.cache_data.clear()` "
        "drop the shared `Database` (so a new DuckDB connection attaches the snapshot and its "
        "comparison, the query files are parsed again and the result cache is empty) and a new "
        "`AppTest` (a new session) runs the page. Modules are already imported (one untimed "
        "pass first), the snapshot listing's manifest cache is kept and the files are in the "
        "OS page cache. **Warm** is a second run of the same AppTest straight afterwards: every "
        "query is a result-cache hit, so what remains is the page script, the domain maths "
        "(the overview's forecast and fan run on every rerun), chart building and AppTest's own "
        "overhead, which the empty page (`st.write` of one string) shows. Role: commander (the "
        "largest pages); default snapshot (the latest) compared with the one before.\n\n"
        + table(header, rows)
    )


def _breakdown_section(scales: list[ScaleResult]) -> str:
    rows = []
    for s in scales:
        floor = next((p for p in s.pages if p.page_id == FLOOR_ID and p.cold and p.warm), None)
        for p in s.pages:
            if p.page_id == FLOOR_ID or p.cold is None or p.warm is None:
                continue
            duck = p.query_seconds.median if p.query_seconds else 0.0
            rest = p.cold.median - duck - (floor.cold.median if floor and floor.cold else 0.0)
            warm = p.warm.median - (floor.warm.median if floor and floor.warm else 0.0)
            rows.append(
                [
                    page_label(p.page_id, p.placeholder),
                    f"{s.factor}x",
                    f"{p.queries}",
                    fmt_ms(duck),
                    fmt_ms(max(rest, 0.0)),
                    fmt_ms(max(warm, 0.0)),
                ]
            )
    return (
        "### Where a page's time goes (medians)\n\n"
        "*DuckDB in cold run*: the seconds spent in `Database._execute` during the cold runs "
        "(every query is a cache miss then; the first call also opens the connection and "
        "attaches the snapshot). *Rest of cold*: cold median minus that and minus the empty "
        "page's cold median (Python: pandas, domain maths, charts, Streamlit elements). *Warm "
        "above floor*: warm median minus the empty page's warm median (no DuckDB at all).\n\n"
        + table(
            [
                "page",
                "scale",
                "queries sent",
                "DuckDB in cold run",
                "rest of cold",
                "warm above floor",
            ],
            rows,
        )
    )


def _queries_section(scales: list[ScaleResult]) -> str:
    header = ["query", "access"]
    for s in scales:
        header += [f"{s.factor}x", f"{s.factor}x new connection"]
    header.append("rows at 1x")
    names: list[str] = []
    for s in scales:
        for query in s.queries:
            if query.name not in names:
                names.append(query.name)
    rows = []
    totals = [0.0 for _ in scales]
    fresh_totals = [0.0 for _ in scales]
    for name in names:
        access = ""
        row: list[object] = [f"`{name}`"]
        cells: list[str] = []
        rows_1x = "—"
        for i, s in enumerate(scales):
            q = next((x for x in s.queries if x.name == name), None)
            if q is None:
                cells += ["—", "—"]
                continue
            access = q.access
            if q.stats is None:
                cells += [f"error: {(q.error or '')[:60]}", "—"]
                continue
            cells.append(fmt_stats_ms(q.stats))
            cells.append(fmt_stats_ms(q.fresh) if q.fresh else "—")
            totals[i] += q.stats.median
            fresh_totals[i] += q.fresh.median if q.fresh else 0.0
            if s.factor == 1:
                rows_1x = f"{q.rows:,}"
        rows.append([*row, access, *cells, rows_1x])
    sums: list[str] = []
    for total, fresh in zip(totals, fresh_totals, strict=True):
        sums += [f"**{fmt_ms(total)}**", f"**{fmt_ms(fresh)}**"]
    rows.append(["**sum of medians**", "", *sums, ""])
    return (
        "### Query layer (DuckDB alone, ms)\n\n"
        "Each queries/pages/*.sql on the latest snapshot with the parameters a page passes by default "
        "(as-of date, 8 weeks, no filter; see bench/queries.py), timed through "
        "`Database._execute`, i.e. the runner's DuckDB call without its result cache: first on "
        "an open read-only connection that has already run the query once (DuckDB's buffer "
        "pool holds the columns), then on a new `Database` each run (*new connection*: "
        "connect, ATTACH the snapshot, read and decompress the columns again; the files are in "
        "the OS page cache). A cold page pays the *new connection* figure for its first "
        "queries.\n\n" + table(header, rows)
    )


def _domain_section(results: BenchResults) -> str:
    rows = []
    entries = [(f"{s.factor}x", s.domain) for s in results.scales if s.domain]
    if results.domain_worst:
        entries.append(("1x", results.domain_worst))
    for scale, d in entries:
        assert d is not None
        for label, stats in (
            ("run_plan (headline)", d.forecast),
            ("Plan.fan", d.fan),
            ("run_plan (+10 officers)", d.scenario),
            ("find_officers", d.officers_needed),
        ):
            rows.append(
                [
                    label,
                    scale,
                    f"{d.as_of} ({d.remaining:,} to go, P85 {d.weeks_p85} weeks)",
                    fmt_stats_ms(stats),
                ]
            )
    return (
        "### The planning model (10,000 trials, ms)\n\n"
        "Inputs are the snapshot's own planning input (plan_input), so the run time depends "
        "on how many weeks ahead the trials must simulate, not on the number of cases.\n\n"
        + table(["model", "scale", "snapshot", "median (IQR; min–max)"], rows)
    )


def _memory_section(scales: list[ScaleResult]) -> str:
    rows = []
    loads = []
    for s in scales:
        m = s.memory
        if m is None:
            rows.append([f"{s.factor}x", "—", "—", "—", s.memory_error or "not measured"])
            continue
        slowest = max(m.first_load.items(), key=lambda kv: kv[1]) if m.first_load else None
        rows.append(
            [
                f"{s.factor}x",
                fmt_bytes(m.kb_at_start * 1024),
                fmt_bytes(m.kb_peak * 1024),
                fmt_bytes(m.kb_rss_end * 1024),
                f"{slowest[0]} {slowest[1]:.2f} s" if slowest else "—",
            ]
        )
        for page_id, seconds in m.first_load.items():
            loads.append((page_id, s.factor, seconds, m.second_load.get(page_id)))
    out = (
        "### Memory of the app process\n\n"
        "A `python -m reassess.ui.serve` server on a free port; headless Debian chromium "
        "(Playwright) opens every page as commander, then every page again. VmHWM is the peak "
        "resident set size of the server process from /proc/<pid>/status.\n\n"
        + table(
            ["scale", "VmHWM at start", "VmHWM peak", "VmRSS at end", "slowest first load"], rows
        )
    )
    if loads:
        factors = sorted({f for _, f, _, _ in loads})
        ids = list(dict.fromkeys(p for p, _, _, _ in loads))
        header = ["page"] + [f"{f}x first / second (s)" for f in factors]
        body = []
        for page_id in ids:
            row: list[object] = [f"`{page_id}`"]
            for f in factors:
                hit = next((x for x in loads if x[0] == page_id and x[1] == f), None)
                if hit is None:
                    row.append("—")
                else:
                    second = f"{hit[3]:.2f}" if hit[3] is not None else "—"
                    row.append(f"{hit[2]:.2f} / {second}")
            body.append(row)
        out += (
            "\n\nBrowser load time (navigation to a settled page, fixed 0.3 s settle wait "
            "subtracted; first visit of each page, then the second round):\n\n"
            + table(header, body)
        )
    errors = [f"{s.factor}x: {e}" for s in scales if s.memory for e in s.memory.errors]
    if errors:
        out += "\n\nBrowser problems: " + "; ".join(errors)
    return out


def _rollup_section(results: BenchResults) -> str:
    r = results.rollup
    assert r is not None
    rows = [
        ["forces (one 1x snapshot each, own seed)", f"{r.forces}"],
        ["cases in all", f"{r.cases:,}"],
        ["snapshot files", fmt_bytes(r.snapshot_bytes)],
        ["building them (generate, write, ingest)", fmt_seconds(r.build_seconds)],
        [
            "new connection: ATTACH every file read-only, query each, union",
            _fmt_ms_stats(r.attach_and_query),
        ],
        ["query each and union, files already attached", _fmt_ms_stats(r.query_only)],
        ["Parquet export of every force's cases", fmt_seconds(r.parquet_export_seconds)],
        ["Parquet files", fmt_bytes(r.parquet_bytes)],
        ["one query over every force's Parquet file", _fmt_ms_stats(r.parquet_query)],
    ]
    frame = r.table
    body = [
        [
            row["force"],
            pd.Timestamp(row["as_of"]).date().isoformat(),
            f"{int(row['in_scope']):,}",
            f"{int(row['assessed']):,}",
            f"{int(row['completed_recent']):,}",
        ]
        for _, row in frame.iterrows()
    ]
    return (
        "### National roll-up (ATTACH of per-force snapshots)\n\n"
        "queries/rollup/force_progress.sql runs on each force's snapshot in turn (attached "
        "read-only, made the default catalog) and the rows are unioned; "
        "queries/rollup/force_progress_parquet.sql reads the same figures from one Parquet file "
        "per force in a single query, and the two must agree.\n\n"
        + table(["", ""], rows)
        + "\n\n"
        + table(["force", "as of", "in scope", "assessed", "completed, last 4 weeks"], body)
    )


def _fmt_ms_stats(s: Stats) -> str:
    return fmt_stats_ms(s) + " ms"


# --------------------------------------------------------------------------------------------
# The file: marker-preserving write, and reading the recorded medians back


def merge(existing: str | None, generated: str) -> str:
    """The file with the generated block replaced (or added); hand-written text is kept."""
    block = f"{BEGIN}\n{generated.rstrip()}\n{END}"
    if existing is None or not existing.strip():
        return f"{INTRO}\n{block}\n"
    start = existing.find(BEGIN)
    end = existing.find(END, start + len(BEGIN)) if start >= 0 else -1
    if start >= 0 and end >= 0:
        return existing[:start] + block + existing[end + len(END) :]
    if start >= 0:
        raise ValueError(
            f"the file has {BEGIN} but no {END} after it; add the end marker where the "
            "generated section should stop"
        )
    return existing.rstrip("\n") + "\n\n" + block + "\n"


def write_report(path: Path, generated: str) -> None:
    """Write the generated section into path, keeping everything outside the markers."""
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(merge(existing, generated), encoding="utf-8")


GUARD_SLACK_MS = 100.0
NUMBER_RE = re.compile(r"^\s*\**\s*([\d,]+(?:\.\d+)?)")
PAGE_ID_RE = re.compile(r"`([^`]+)`")


def recorded_page_medians(text: str, factor: int = 1) -> dict[tuple[str, str], float]:
    """(page id, 'cold'|'warm') -> median ms at a scale, from the pages table of a report."""
    start = text.find(BEGIN)
    end = text.find(END, start) if start >= 0 else -1
    body = text[start:end] if start >= 0 and end >= 0 else text
    at = body.find(PAGES_HEADING)
    if at < 0:
        return {}
    lines = body[at:].splitlines()[1:]
    rows = []
    for line in lines:
        if line.startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    if len(rows) < 2:
        return {}
    header = rows[0]
    wanted = {kind: f"{factor}x {kind}" for kind in ("cold", "warm")}
    columns = {kind: header.index(name) for kind, name in wanted.items() if name in header}
    out: dict[tuple[str, str], float] = {}
    for row in rows[2:]:
        m = PAGE_ID_RE.search(row[0])
        page_id = m.group(1) if m else (FLOOR_ID if "empty page" in row[0] else row[0])
        for kind, col in columns.items():
            if col < len(row):
                n = NUMBER_RE.match(row[col])
                if n:
                    out[(page_id, kind)] = float(n.group(1).replace(",", ""))
    return out


@dataclass(frozen=True)
class GuardResult:
    """The regression guard's verdict."""

    ok: bool
    lines: list[str]


def regression_guard(
    results: BenchResults,
    recorded: dict[tuple[str, str], float],
    factor_limit: float = 3.0,
    slack_ms: float = GUARD_SLACK_MS,
) -> GuardResult:
    """Fail when a page at 1x takes more than factor_limit times its recorded median (and at
    least slack_ms more, so that a 5 ms page measured at 16 ms on a busy CI runner passes).
    The empty page is AppTest's own overhead, not a page, and is not checked."""
    one = results.scale(1)
    if one is None:
        return GuardResult(True, ["no 1x figures were measured, so nothing was compared"])
    if not recorded:
        return GuardResult(
            True,
            [
                "no recorded 1x page medians in the report, so there is nothing to compare "
                "against: passing (run `make bench` to record them)"
            ],
        )
    ok = True
    lines = []
    for timing in one.pages:
        if timing.page_id == FLOOR_ID:
            continue
        if timing.error:
            ok = False
            lines.append(f"FAIL {timing.page_id} raised: {timing.error}")
            continue
        for kind in ("cold", "warm"):
            stats = timing.cold if kind == "cold" else timing.warm
            before = recorded.get((timing.page_id, kind))
            if stats is None:
                continue
            now = stats.median * 1000
            if before is None:
                lines.append(f"pass {timing.page_id} {kind}: {now:,.0f} ms (no recorded median)")
            elif now > factor_limit * before and now - before > slack_ms:
                ok = False
                lines.append(
                    f"FAIL {timing.page_id} {kind}: {now:,.0f} ms is {now / before:.1f}x the "
                    f"recorded {before:,.0f} ms (limit {factor_limit:g}x)"
                )
            else:
                lines.append(
                    f"pass {timing.page_id} {kind}: {now:,.0f} ms vs recorded {before:,.0f} ms"
                )
    return GuardResult(ok, lines)
