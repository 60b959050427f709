"""Loading SQL text from queries/ (the only place SQL lives)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"


@cache
def ingest_sql(name: str) -> str:
    """The text of queries/ingest/<name>.sql, used by ingest to build a snapshot."""
    return (QUERY_DIR / "ingest" / f"{name}.sql").read_text(encoding="utf-8")


@cache
def snapshot_sql(name: str) -> str:
    """The text of queries/snapshot/<name>.sql, used by the snapshot listing."""
    return (QUERY_DIR / "snapshot" / f"{name}.sql").read_text(encoding="utf-8")
