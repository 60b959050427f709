"""`python -m bench.ingest [--scales 1,100] [--runs N]`: ingest alone, against DuckDB's read_csv.

Builds the latest two weeks of each scale's extract (as bench/scale.py does), ingests the
earlier one, then times the latest week's ingest beside it `runs` times, each run preceded by
DuckDB's own `read_csv` of the same files, and rewrites the section of docs/benchmarks.md
between the ingest markers (nothing else in the file changes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from bench import scale as scaling
from bench.measure import Stats, summarise
from bench.results import load_average

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- ingest:begin -->"
END = "<!-- ingest:end -->"


def _fmt(s: Stats) -> str:
    return f"{s.median:.2f} s (IQR {s.iqr:.2f}; {s.min:.2f}–{s.max:.2f})"


def peak_mb(folder: Path, as_of: str, scratch: Path) -> int:
    """Peak resident memory of one `python -m reassess ingest` of the extract, in MB."""
    env = {**os.environ, "REASSESS_DATA_DIR": str(scratch), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reassess", "ingest", str(folder), "--as-of", as_of],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(proc.pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)
    return usage.ru_maxrss // 1024


STAGES = ("awaiting_contact", "victim_engaged", "investigating", "charging_decision", "charged")


def v1_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A demo week's tables as contract v1: no reinvestigations.csv, no officers.workstream."""
    out = {name: frame for name, frame in tables.items() if name != "reinvestigations"}
    out["officers"] = out["officers"].drop(columns=["workstream"], errors="ignore")
    return out


def with_reinvestigations(frames: dict[str, pd.DataFrame], as_of: date) -> dict[str, pd.DataFrame]:
    """The frames with a reinvestigation for every case assessed as reinvestigate.

    Synthetic and deterministic, only for timing v2 against v1 on the same cases.
    """
    cases = frames["cases"]
    picked = cases[(cases["outcome"] == "reinvestigate") & cases["completed_date"].notna()]
    officers = frames["officers"]["officer_ref"].tolist()
    rows = []
    for k, (case_ref, completed) in enumerate(
        zip(picked["case_ref"], picked["completed_date"], strict=True)
    ):
        referred = min(date.fromisoformat(str(completed)[:10]) + timedelta(days=7), as_of)
        stage = STAGES[k % len(STAGES)]
        opened = stage not in ("awaiting_contact", "victim_engaged")
        rows.append(
            {
                "investigation_ref": f"RI-{k:07d}",
                "case_ref": case_ref,
                "referred_date": referred.isoformat(),
                "stage": stage,
                "victim_consent": "given" if opened else "pending",
                "lead_officer_ref": officers[k % len(officers)] if opened else "",
                "opened_date": referred.isoformat() if opened else "",
                "suspects_identified": 2 if opened else 0,
                "suspects_arrested": 1 if opened else 0,
                "suspects_charged": 1 if stage == "charged" else 0,
                "isva": "accepted" if opened else "not_offered",
                "closed_date": "",
                "closure_outcome": "",
                "hours_spent": 40 * (k % 5),
            }
        )
    out = dict(frames)
    out["reinvestigations"] = pd.DataFrame(rows)
    return out


def write_v2(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """The v1 files as the demo writes them, plus workstream on officers and reinvestigations.csv."""
    import csv

    from reassess import demo

    demo.write_extract({k: v for k, v in frames.items() if k != "reinvestigations"}, folder)
    path = folder / "officers.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [rows[0] + ["workstream"]] + [r + ["assessment"] for r in rows[1:]]
        )
    frames["reinvestigations"].to_csv(folder / "reinvestigations.csv", index=False)


def measure(root: Path, factor: int, runs: int) -> list[list[str]]:
    from reassess import demo
    from reassess.snapshot.ingest import ingest

    weeks = scaling.all_weeks()[-2:]
    tables = {as_of: v1_tables(t) for as_of, t in scaling.weekly_tables(weeks).items()}
    snapshots = root / f"{factor}x" / "snapshots"
    folders = []
    for as_of in weeks:
        folder = root / f"{factor}x" / "extracts" / as_of.isoformat()
        demo.write_extract(scaling.scale_frames(tables[as_of], factor), folder)
        folders.append(folder)
    ingest(folders[0], weeks[0], snapshots, synthetic=True, progress=False)
    load = load_average()
    samples, _, reads = scaling.measure_latest_ingest(folders[1], weeks[1], snapshots, runs)
    ing, rc = summarise(samples), summarise(reads)
    peak = peak_mb(folders[1], weeks[1].isoformat(), root / f"{factor}x" / "peak")
    cases = sum(1 for _ in (folders[1] / "cases.csv").open(encoding="utf-8")) - 1
    rows = [
        [
            f"{factor}x v1",
            f"{cases:,}",
            f"{scaling.folder_bytes(folders[1], '*.csv') / 1e6:,.1f} MB",
            _fmt(ing),
            _fmt(rc),
            f"{ing.median / rc.median:.1f}x",
            "",
            f"{peak:,} MB",
            f"{load:.1f} → {load_average():.1f}",
        ]
    ]
    # The same week as a v2 extract: its reinvestigations and the officers' workstream.
    v2_folder = root / f"{factor}x" / "extracts" / f"{weeks[1].isoformat()}-v2"
    frames = tables[weeks[1]]
    write_v2(with_reinvestigations(scaling.scale_frames(frames, factor), weeks[1]), v2_folder)
    reinvestigations = sum(1 for _ in (v2_folder / "reinvestigations.csv").open()) - 1
    load = load_average()
    samples2, _, reads2 = scaling.measure_latest_ingest(v2_folder, weeks[1], snapshots, runs)
    ing2, rc2 = summarise(samples2), summarise(reads2)
    peak2 = peak_mb(v2_folder, weeks[1].isoformat(), root / f"{factor}x" / "peak")
    rows.append(
        [
            f"{factor}x v2",
            f"{cases:,} (+{reinvestigations:,} reinvestigations)",
            f"{scaling.folder_bytes(v2_folder, '*.csv') / 1e6:,.1f} MB",
            _fmt(ing2),
            _fmt(rc2),
            f"{ing2.median / rc2.median:.1f}x",
            f"{ing2.median / ing.median - 1:+.0%} "
            f"({(ing2.median / rc2.median) / (ing.median / rc.median) - 1:+.0%} over read_csv)",
            f"{peak2:,} MB",
            f"{load:.1f} → {load_average():.1f}",
        ]
    )
    return rows


def render(rows: list[list[str]], runs: str, started: datetime) -> str:
    header = [
        "scale",
        "cases",
        "extract CSV",
        "ingest latest week",
        "DuckDB read_csv",
        "ratio",
        "v2 vs v1 ingest",
        "peak memory (CLI)",
        "load avg",
    ]
    lines = [
        "## Ingest against DuckDB's read_csv",
        "",
        f"Measured by `python -m bench.ingest` on {started:%Y-%m-%d %H:%M} ({runs}): "
        "the latest week's extract ingested beside the previous week's snapshot, each "
        "run preceded by DuckDB's own `read_csv` of the same files (types detected, into "
        "memory), so both see the same load. *ratio* is ingest's median over read_csv's. "
        "*peak memory* is one `python -m reassess ingest` of the same extract (its own "
        "ru_maxrss). *v2* is the same week with a reinvestigation for every case assessed as "
        "`reinvestigate` and the officers' workstream column (bench/ingest.py builds it), "
        "ingested beside the same previous snapshot; *v2 vs v1* is the change in ingest's median "
        "and, in brackets, in its ratio to read_csv (which discounts a change of load between "
        "the two measurements). Times are medians (IQR; min–max).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        at = text.index("<!-- bench:begin -->")
        text = text[:at] + block + "\n\n" + text[at:]
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--runs", type=int, default=5, help="runs per scale (default 5)")
    parser.add_argument(
        "--big-runs", type=int, default=3, help="runs at 100x and above (default 3)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started = datetime.now()
    rows = []
    with tempfile.TemporaryDirectory(prefix="reassess-bench-ingest-") as tmp:
        for factor in sorted({int(x) for x in args.scales.split(",")}):
            t0 = time.perf_counter()
            runs = args.big_runs if factor >= 100 else args.runs
            rows.extend(measure(Path(tmp), factor, runs))
            print(f"{factor}x measured in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            shutil.rmtree(Path(tmp) / f"{factor}x", ignore_errors=True)
    section = render(rows, f"{args.runs} runs at 1x-10x, {args.big_runs} at 100x", started)
    print(section)
    if not args.no_write:
        write(args.out, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
