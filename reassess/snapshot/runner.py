"""The query runner: named SQL files, checked parameters, access levels, cached read-only reads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from reassess.access import AccessDenied, require_level
from reassess.disclosure.policy import policy_for
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.sql import PAGES, QUERY_DIR, Query, QueryError, load_queries


class _LRU:
    """A small thread-safe LRU map."""

    def __init__(self, size: int, on_evict: Callable[[Any], None] | None = None) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.on_evict = on_evict

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            if key in self.items:  # another thread made it meanwhile
                if self.on_evict is not None:
                    self.on_evict(value)
                return self.items[key]
            self.items[key] = value
            while len(self.items) > self.size:
                _, old = self.items.popitem(last=False)
                if self.on_evict is not None:
                    self.on_evict(old)
        return value


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass


class Database:
    """Runs named queries against snapshots: read-only, parameter-checked, access-checked, cached."""

    def __init__(
        self, query_dir: Path = QUERY_DIR, *, connections: int = 8, results: int = 1024
    ) -> None:
        self.queries = load_queries(query_dir)
        self._connections = _LRU(connections, on_evict=_close)
        self._results = _LRU(results)

    def query(self, name: str) -> Query:
        try:
            return self.queries[name]
        except KeyError:
            raise QueryError(
                f"there is no query named {name!r} (no queries/{PAGES}/{name}.sql)"
            ) from None

    def connection(
        self, snapshot: SnapshotInfo, compare: SnapshotInfo | None = None
    ) -> duckdb.DuckDBPyConnection:
        """The cached read-only connection for a snapshot (with `cmp` attached when comparing)."""
        key = (
            str(snapshot.path),
            snapshot.stat_key,
            None if compare is None else (str(compare.path), compare.stat_key),
        )

        def make() -> duckdb.DuckDBPyConnection:
            con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "1GB"})
            con.execute(f"attach '{_quote(snapshot.path)}' as snap (read_only)")
            con.execute("use snap")
            if compare is not None:
                con.execute(f"attach '{_quote(compare.path)}' as cmp (read_only)")
            return con

        return self._connections.get_or_make(key, make)

    def run(
        self,
        name: str,
        snapshot: SnapshotInfo,
        *,
        role: str,
        compare: SnapshotInfo | None = None,
        **params: Any,
    ) -> pd.DataFrame:
        """Run queries/<name>.sql on a snapshot for a role; returns a fresh DataFrame."""
        q = self.query(name)
        require_level(role, q.access, f"the query {name!r}")
        policy = policy_for(role)
        if policy.needs_counts and not q.counts:
            raise AccessDenied(
                f"the query {name!r} declares no count columns for disclosure control, so it "
                "may not be shown outside the commander role"
            )
        self._check_params(q, params)
        if q.compare and compare is None:
            raise QueryError(f"the query {name!r} compares two snapshots; give compare=")
        cmp = compare if q.compare else None
        key = (
            str(snapshot.path),
            snapshot.stat_key,
            None if cmp is None else (str(cmp.path), cmp.stat_key),
            name,
            tuple(sorted((k, _hashable(v)) for k, v in params.items())),
        )
        frame: pd.DataFrame = self._results.get_or_make(
            key, lambda: self._execute(q, snapshot, cmp, params)
        )
        return policy.apply(frame.copy(), q.counts)

    def scalar_row(
        self, name: str, snapshot: SnapshotInfo, *, role: str, **params: Any
    ) -> dict[str, Any]:
        """A one-row query as a dict."""
        frame = self.run(name, snapshot, role=role, **params)
        if len(frame) != 1:
            raise QueryError(f"the query {name!r} returned {len(frame)} rows; expected one")
        return {k: _plain(v) for k, v in frame.iloc[0].to_dict().items()}

    def _execute(
        self, q: Query, snapshot: SnapshotInfo, compare: SnapshotInfo | None, params: dict[str, Any]
    ) -> pd.DataFrame:
        con = self.connection(snapshot, compare)
        cur = con.cursor()
        try:
            cur.execute("use snap")
            return cur.execute(q.sql, params).df()
        except duckdb.Error as exc:
            raise QueryError(f"{q.where} failed on {snapshot.label}: {exc}") from exc
        finally:
            cur.close()

    @staticmethod
    def _check_params(q: Query, params: dict[str, Any]) -> None:
        given, declared = set(params), set(q.params)
        if given != declared:
            missing = ", ".join(sorted(declared - given)) or "none"
            extra = ", ".join(sorted(given - declared)) or "none"
            raise QueryError(
                f"{q.where} takes {', '.join('$' + p for p in sorted(declared)) or 'no parameters'}; "
                f"missing: {missing}; not declared: {extra}"
            )
        for k, kind in q.params.items():
            v = params[k]
            if v is None:
                continue
            ok = {
                "date": isinstance(v, date),
                "int": isinstance(v, int) and not isinstance(v, bool),
                "float": isinstance(v, (int, float)) and not isinstance(v, bool),
                "text": isinstance(v, str),
                "bool": isinstance(v, bool),
                "text[]": isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v),
            }[kind]
            if not ok:
                raise QueryError(f"{q.where}: ${k} must be {kind}; got {type(v).__name__} {v!r}")


def _hashable(v: Any) -> Hashable:
    return tuple(v) if isinstance(v, list) else v


def _plain(v: Any) -> Any:
    """numpy/pandas scalars as plain Python values."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
