"""National roll-up proof: one snapshot per force, attached read-only and queried together.

Each force is a 1x synthetic programme with its own seed (so the forces differ), ingested by
the real ingest code for the same as-of date. queries/rollup/force_progress.sql runs against
each attached force (made the default catalog in turn) and the rows are unioned. The same
figures are also read from per-force Parquet exports of the cases table in one query
(queries/rollup/force_progress_parquet.sql), the route for snapshots kept on object storage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from bench.measure import Stats, summarise
from reassess import demo
from reassess.snapshot.ingest import ingest
from reassess.snapshot.sql import Query, load_query

WEEKS = 4
ROLLUP_AS_OF = date(2026, 6, 26)


@dataclass(frozen=True)
class RollupTiming:
    """What the roll-up read and how long it took (seconds)."""

    forces: int
    cases: int
    snapshot_bytes: int
    build_seconds: float
    attach_and_query: Stats  # a new connection: ATTACH every force, query each, union
    query_only: Stats  # the same on a connection with every force already attached
    parquet_export_seconds: float
    parquet_bytes: int
    parquet_query: Stats  # one query over every force's Parquet file
    table: pd.DataFrame  # the unioned rows, with a national total


def rollup_query(name: str) -> Query:
    """queries/rollup/<name>.sql, header checked like any other query."""
    return load_query("rollup", name)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def build_forces(root: Path, forces: int, log: Callable[[str], None]) -> list[tuple[str, Path]]:
    """One snapshot per force for ROLLUP_AS_OF, each from its own seeded programme."""
    out = []
    for k in range(1, forces + 1):
        name = f"force_{k:02d}"
        folder = root / name / "extract"
        demo.write_extract(demo.extract_on(ROLLUP_AS_OF, seed=1000 + k).tables, folder)
        result = ingest(
            folder, ROLLUP_AS_OF, root / name / "snapshots", synthetic=True, progress=False
        )
        out.append((name, result.path))
    log(f"  roll-up: built {forces} force snapshots")
    return out


def attach_all(files: list[tuple[str, Path]]) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with every force's snapshot attached read-only."""
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "1GB"})
    for name, path in files:
        con.execute(f"attach '{_quote(path)}' as {name} (read_only)")
    return con


def union_forces(con: duckdb.DuckDBPyConnection, q: Query, names: list[str]) -> pd.DataFrame:
    """force_progress.sql on each attached force in turn, unioned."""
    frames = []
    for name in names:
        cur = con.cursor()
        try:
            cur.execute(f"use {name}")
            frames.append(cur.execute(q.sql, {"force": name, "weeks": WEEKS}).df())
        finally:
            cur.close()
    return pd.concat(frames, ignore_index=True)


def with_total(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-force rows and a 'national' row summing their counts."""
    counts = [c for c in frame.columns if c not in ("force", "as_of")]
    total = {"force": "national", "as_of": frame["as_of"].iloc[0], **frame[counts].sum().to_dict()}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def time_rollup(
    root: Path, forces: int, runs: int, log: Callable[[str], None] = lambda _m: None
) -> RollupTiming:
    """Build the forces, then time the ATTACH route (fresh and attached) and the Parquet route."""
    start = time.perf_counter()
    files = build_forces(root, forces, log)
    build_seconds = time.perf_counter() - start
    names = [name for name, _ in files]
    q = rollup_query("force_progress")

    fresh: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        con = attach_all(files)
        table = union_forces(con, q, names)
        fresh.append(time.perf_counter() - t0)
        con.close()

    con = attach_all(files)
    union_forces(con, q, names)
    warm: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        union_forces(con, q, names)
        warm.append(time.perf_counter() - t0)

    parquet_dir = root / "parquet"
    parquet_dir.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    parquet_files = []
    for name in names:
        target = parquet_dir / f"{name}.parquet"
        con.table(f"{name}.main.cases").write_parquet(str(target))
        parquet_files.append(str(target))
    export_seconds = time.perf_counter() - t0
    con.close()
    pq = rollup_query("force_progress_parquet")
    pcon = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "1GB"})
    params = {"files": parquet_files, "as_of": ROLLUP_AS_OF, "weeks": WEEKS}
    parquet_table = pcon.execute(pq.sql, params).df()
    pq_samples: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        pcon.execute(pq.sql, params).df()
        pq_samples.append(time.perf_counter() - t0)
    pcon.close()
    counts = ["in_scope", "assessed", "completed_recent"]
    via_attach = table.set_index("force")[counts].sort_index()
    via_parquet = parquet_table.set_index("force")[counts].sort_index()
    if not via_attach.equals(via_parquet.astype(via_attach.dtypes.to_dict())):
        raise RuntimeError(
            f"the ATTACH and Parquet roll-ups disagree:\n{via_attach}\n{via_parquet}"
        )
    log(f"  roll-up: {forces} forces, {int(table['in_scope'].sum()):,} cases")
    return RollupTiming(
        forces=forces,
        cases=int(table["in_scope"].sum()),
        snapshot_bytes=sum(path.stat().st_size for _, path in files),
        build_seconds=build_seconds,
        attach_and_query=summarise(fresh),
        query_only=summarise(warm),
        parquet_export_seconds=export_seconds,
        parquet_bytes=sum(Path(f).stat().st_size for f in parquet_files),
        parquet_query=summarise(pq_samples),
        table=with_total(table),
    )
