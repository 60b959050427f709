"""The release ledger: every figure the Mayor's office has been shown, append-only (no Streamlit).

A small DuckDB file in the data folder's store (``settings().ledger_db``); SQL in
queries/store/ledger_*.sql. One row per release, table and cell: the figure shown, how it was
protected (exact, rounded, suppressed, secondary, derived) and the interval it gives for the true
count. Base cells (reassess/disclosure/releases.py) are recorded once, by the first release that
published them, and read back by every later release, so a cell never shows two figures. Rows
are only ever added (``insert or ignore``); the ledger can be rebuilt from the snapshots, and
rebuilds give the same rows. Every open holds an exclusive lock on a file beside it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from reassess.disclosure.releases import Cell
from reassess.snapshot.sql import sql_text

COLUMNS = ("release", "table_name", "cell", "shown", "protection", "lo", "hi", "base")


class LedgerError(Exception):
    """The release ledger could not be read or written."""


class Ledger:
    """The release ledger file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An exclusive, locked connection, with the table made on first use."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = self.path.with_name(self.path.name + ".lock").open("a")
        except OSError as exc:
            raise LedgerError(
                f"the release ledger {self.path} cannot be written ({exc.strerror}); the data "
                "folder (REASSESS_DATA_DIR) must be writable to publish a briefing"
            ) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.Error as exc:
                raise LedgerError(
                    f"the release ledger {self.path} could not be opened ({exc}); restore it "
                    "from a backup or move it aside and rebuild it (python -m reassess ledger)"
                ) from None
            try:
                con.execute(sql_text("store", "ledger_schema"))
                yield con
            finally:
                con.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def base(self, table: str, keys: Sequence[str] | None = None) -> dict[str, Cell]:
        """The base cells of a table as first published (only `keys`, when given)."""
        if not self.path.exists():
            return {}
        with self._open() as con:
            rows = con.execute(sql_text("store", "ledger_base"), {"table_name": table}).fetchall()
        wanted = None if keys is None else set(keys)
        return {
            cell: Cell(_value(shown), protection, int(lo), None if hi is None else int(hi))
            for cell, shown, protection, lo, hi in rows
            if wanted is None or cell in wanted
        }

    def record_base(self, release: date, table: str, cells: dict[str, Cell]) -> None:
        """Record base cells first published by a release."""
        self._insert((release, table, key, cell, True) for key, cell in cells.items())

    def record(self, release: date, cells: Iterable[tuple[str, str, Cell]]) -> None:
        """Record the figures a release shows: (table, cell key, Cell)."""
        self._insert((release, table, key, cell, False) for table, key, cell in cells)

    def _insert(self, rows: Iterable[tuple[date, str, str, Cell, bool]]) -> None:
        incoming = pd.DataFrame(
            [
                (release, table, key, str(c.shown), c.protection, c.lo, c.hi, base)
                for release, table, key, c, base in rows
            ],
            columns=list(COLUMNS),
        )
        if incoming.empty:
            return
        incoming["hi"] = incoming["hi"].astype("Int64")
        with self._open() as con:
            con.register("incoming", incoming)
            con.execute(sql_text("store", "ledger_insert"))
            con.unregister("incoming")

    def releases(self) -> list[date]:
        """The releases recorded, oldest first."""
        if not self.path.exists():
            return []
        with self._open() as con:
            return [r[0] for r in con.execute(sql_text("store", "ledger_releases")).fetchall()]

    def cells(self) -> pd.DataFrame:
        """Every cell of the ledger, ordered by release, table and cell."""
        if not self.path.exists():
            return pd.DataFrame(columns=list(COLUMNS))
        with self._open() as con:
            return con.execute(sql_text("store", "ledger_cells")).df()


def ledger_for(snapshot_dir: Path) -> Ledger:
    """The ledger of the data folder a snapshot folder belongs to (settings().ledger_db)."""
    return Ledger(Path(snapshot_dir).parent / "store" / "releases.duckdb")


def _value(text: str) -> int | str:
    """A shown figure read back: a whole number, or a label."""
    try:
        return int(text)
    except ValueError:
        return text


__all__ = ["Ledger", "LedgerError", "ledger_for"]
