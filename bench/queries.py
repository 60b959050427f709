"""The query layer alone: DuckDB time of each queries/pages/*.sql, result cache bypassed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.measure import Stats, time_runs
from reassess.config import programme
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database, Query

# What a page passes for each parameter by default (see pages/*.py), by parameter name.
# Values from the snapshot (as_of, compare_as_of) are filled in by default_params.
NAMED_DEFAULTS: dict[str, Any] = {
    "weeks": 8,
    "window_weeks": 4,
    "limit": 20,
    "dimension": "category",
    "rows": "category",
    "cols": "bcu",
    "row_value": "organised_group",
    "col_value": "NW",
}
TYPE_DEFAULTS: dict[str, Any] = {
    "int": None,
    "float": None,
    "text": None,
    "text[]": None,
    "bool": None,
}


@dataclass(frozen=True)
class QueryTiming:
    """Run time of one query file on one snapshot (seconds), or why it could not be run."""

    name: str
    access: str
    stats: Stats | None  # on an open connection whose buffer pool has read the tables
    rows: int
    error: str | None = None
    fresh: Stats | None = None  # on a new Database each run: connect, ATTACH, cold buffer pool


def default_params(q: Query, snap: SnapshotInfo, compare: SnapshotInfo | None) -> dict[str, Any]:
    """Parameters as a page passes them by default: the snapshot's as-of date, 8 weeks, no filter."""
    prog = programme()
    from_config: dict[str, Any] = {
        "programme_start": prog.programme_start,
        "idle_weeks": prog.idle_weeks,
        "overload": prog.overload_open_cases,
    }
    out: dict[str, Any] = {}
    for name, kind in q.params.items():
        value: Any
        if name == "compare_as_of" and compare is not None:
            value = compare.as_of
        elif name in from_config:
            value = from_config[name]
        elif name in NAMED_DEFAULTS:
            value = NAMED_DEFAULTS[name]
        elif kind == "date":
            value = snap.as_of
        else:
            value = TYPE_DEFAULTS.get(kind)
        out[name] = value
    return out


def time_fresh(
    q: Query, snap: SnapshotInfo, cmp: SnapshotInfo | None, params: dict[str, Any], runs: int
) -> Stats:
    """One query on a new Database each run (made untimed): connect, ATTACH, cold buffer pool."""
    holder: list[Database] = []

    def new_database() -> None:
        holder[:] = [Database(connections=4, results=1)]

    return time_runs(lambda: holder[0]._execute(q, snap, cmp, params), runs, setup=new_database)


def time_queries(
    listing: Listing,
    runs: int,
    *,
    fresh_runs: int | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> list[QueryTiming]:
    """Every queries/pages/*.sql on the latest snapshot (compared with the one before), `runs` times
    on an open connection, and `fresh_runs` times (default `runs`) each on a new Database."""
    snap = listing.latest
    if snap is None:
        raise ValueError("there are no snapshots to run the queries on")
    compare = listing.previous(snap)
    db = Database(connections=4, results=1)
    out = []
    for name, q in sorted(db.queries.items()):
        cmp = compare if q.compare else None
        if q.compare and compare is None:
            out.append(QueryTiming(name, q.access, None, 0, "needs two snapshots"))
            continue
        params = default_params(q, snap, cmp)
        try:
            # Database._execute is the runner's DuckDB call without the result cache; the
            # connection itself (attach, read-only) is made once, before the timed runs.
            frame = db._execute(q, snap, cmp, params)
            stats = time_runs(lambda: db._execute(q, snap, cmp, params), runs)  # noqa: B023
        except Exception as exc:  # a query under construction must not stop the benchmark
            out.append(QueryTiming(name, q.access, None, 0, str(exc).splitlines()[0][:200]))
            log(f"    {name}: ERROR {exc}")
            continue
        fresh = time_fresh(q, snap, cmp, params, fresh_runs or runs)
        out.append(QueryTiming(name, q.access, stats, len(frame), fresh=fresh))
    return out
