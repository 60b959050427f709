"""The forecast ledger: what the headline forecast said at each snapshot, written once (no Streamlit).

One JSON line per (snapshot, settings, window): the P50/P85/P95 dates, the chance of meeting
the target, the cost to the P85 date and how it was made. An entry is appended the first time
a snapshot's forecast is recorded and never changed or removed afterwards: a later reading of
the same key returns the first entry, even if the model or the snapshot changed since. So the
track record on the overview shows what the forecast said then. The ledger can be rebuilt from
the snapshots (every snapshot in the folder can be re-forecast): delete the file and the next
reading writes it again. Appends hold an exclusive lock on a file beside it, so two sessions
take turns; a line that cannot be read (a torn write) is skipped and said so.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass(frozen=True)
class Entry:
    """What the forecast said at one snapshot."""

    snapshot: str  # the snapshot's label (its as-of date)
    settings: str  # a digest of config/programme.toml's settings
    window_weeks: int | None  # the forecast window lever (None: the configured one)
    as_of: date
    status: str
    p50: date | None
    p85: date | None
    p95: date | None
    prob_by_target: float | None
    cost_to_p85: float | None
    trials: int
    seed: int
    method: str

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (self.snapshot, self.settings, self.window_weeks)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for name in ("as_of", "p50", "p85", "p95"):
            out[name] = None if out[name] is None else out[name].isoformat()
        out["version"] = VERSION
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        def day(v: Any) -> date | None:
            return None if v is None else date.fromisoformat(str(v))

        return cls(
            snapshot=str(data["snapshot"]),
            settings=str(data["settings"]),
            window_weeks=None if data["window_weeks"] is None else int(data["window_weeks"]),
            as_of=date.fromisoformat(str(data["as_of"])),
            status=str(data["status"]),
            p50=day(data["p50"]),
            p85=day(data["p85"]),
            p95=day(data["p95"]),
            prob_by_target=None
            if data["prob_by_target"] is None
            else float(data["prob_by_target"]),
            cost_to_p85=None if data["cost_to_p85"] is None else float(data["cost_to_p85"]),
            trials=int(data["trials"]),
            seed=int(data["seed"]),
            method=str(data["method"]),
        )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read(path: Path) -> tuple[dict[tuple[str, str, int | None], Entry], int]:
    """Every entry by key (the first written wins) and how many lines could not be read."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return {}, 0
    return _read_cached(str(path), (st.st_ino, st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=4)
def _read_cached(
    path: str, stat_key: tuple[int, int, int]
) -> tuple[dict[tuple[str, str, int | None], Entry], int]:
    entries: dict[tuple[str, str, int | None], Entry] = {}
    bad = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                entry = Entry.from_json(json.loads(line))
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            entries.setdefault(entry.key, entry)
    return entries, bad


def record(path: Path, new: Iterable[Entry]) -> dict[tuple[str, str, int | None], Entry]:
    """Append the entries whose key is not in the ledger yet; return the ledger as it is then
    (an entry already there is kept as it was, never replaced)."""
    wanted = list(new)
    with _locked(Path(path)):
        entries, _ = read(path)
        fresh = [e for e in wanted if e.key not in entries]
        if fresh:
            with open(path, "a", encoding="utf-8") as fh:
                for e in fresh:
                    fh.write(json.dumps(e.to_json(), sort_keys=True) + "\n")
                fh.flush()
        entries, _ = read(path)
    return entries


__all__ = ["Entry", "read", "record"]
