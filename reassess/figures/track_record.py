"""The forecast's track record at a snapshot (no Streamlit): the ledger, the P85 drift, why it
moved since the compare snapshot, and how often past forecasts held.

- The ledger (``reassess.store.ledger``) holds what the headline forecast said at each snapshot
  up to this one; a snapshot not in it yet is forecast (``reassess.figures.forecast.headline``)
  and written, once.
- Drift: the P85 date (and P50, P95) snapshot by snapshot, from the ledger.
- Why it moved: ``reassess.model.movement.why_moved`` between the compare snapshot's input and
  this one's, in weeks of the P85 date: time, scope, pace and staffing.
- Coverage: where this snapshot shows the work complete (the first week whose recorded figures
  count as complete), or shows a past date passed without it, whether each past P50/P85/P95
  held (``reassess.model.backtest.held``); the share that held. Only what is known at this
  snapshot's as-of date counts, never a later snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from reassess.config import Programme
from reassess.figures.forecast import (
    MODEL_ROLE,
    cached,
    headline,
    model_input,
    programme_key,
    window_for,
)
from reassess.figures.plan import completed_on, recorded_history
from reassess.model.backtest import held
from reassess.model.movement import Movement, why_moved
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database
from reassess.store import ledger
from reassess.store.ledger import Entry

REBUILD_WORKERS = 2
"""Snapshots read and forecast at once when the ledger is rebuilt."""


@dataclass(frozen=True)
class Coverage:
    """How often past forecasts held, over the snapshots whose outcome is known."""

    scored: int
    held50: int
    held85: int
    held95: int
    finished: date | None

    def share(self, held_count: int) -> float | None:
        return None if self.scored == 0 else held_count / self.scored


@dataclass(frozen=True)
class TrackRecord:
    """The track record at ``as_of``: the ledger's rows up to it, the movement and coverage."""

    as_of: date
    entries: tuple[Entry, ...]
    held: tuple[tuple[bool | None, bool | None, bool | None], ...]
    movement: Movement | None
    coverage: Coverage

    def drift(self) -> pd.DataFrame:
        """One row per snapshot: as_of, p50, p85, p95, prob_by_target (the drift chart)."""
        return pd.DataFrame(
            {
                "as_of": [e.as_of for e in self.entries],
                "p50": [e.p50 for e in self.entries],
                "p85": [e.p85 for e in self.entries],
                "p95": [e.p95 for e in self.entries],
                "prob_by_target": [e.prob_by_target for e in self.entries],
            }
        )

    def to_json(self) -> dict[str, Any]:
        c = self.coverage
        m = self.movement

        def day(d: date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "as_of": day(self.as_of),
            "ledger": [
                {
                    "as_of": day(e.as_of),
                    "status": e.status,
                    "p50": day(e.p50),
                    "p85": day(e.p85),
                    "p95": day(e.p95),
                    "prob_by_target": e.prob_by_target,
                    "held": {"p50": h[0], "p85": h[1], "p95": h[2]},
                }
                for e, h in zip(self.entries, self.held, strict=True)
            ],
            "why_moved": None
            if m is None
            else {
                "compare_as_of": day(m.compare_as_of),
                "p85_before": day(m.p85_before),
                "p85_now": day(m.p85_now),
                "total_weeks": m.total,
                "weeks": m.parts(),
                "reason": m.reason,
                "method": m.method,
            },
            "coverage": {
                "finished": day(c.finished),
                "scored": c.scored,
                "p50": c.share(c.held50),
                "p85": c.share(c.held85),
                "p95": c.share(c.held95),
            },
        }


def entry_for(
    db: Database, snapshot: SnapshotInfo, programme: Programme, window_weeks: int | None
) -> Entry:
    """What the headline forecast says at a snapshot, as a ledger entry."""
    plan = headline(db, snapshot, programme, window_weeks)
    dated = plan.status in ("ok", "done")
    return Entry(
        snapshot=snapshot.label,
        settings=programme_key(programme),
        window_weeks=window_for(programme, window_weeks),
        as_of=snapshot.as_of,
        status=plan.status,
        p50=plan.p50 if dated else None,
        p85=plan.p85 if dated else None,
        p95=plan.p95 if dated else None,
        prob_by_target=plan.prob_by_target,
        cost_to_p85=None if plan.cost is None else plan.cost.to_p85,
        trials=plan.trials,
        seed=plan.seed,
        method=plan.built.settings.method,
    )


def ledger_entries(
    db: Database,
    snapshots: Sequence[SnapshotInfo],
    programme: Programme,
    path: Any,
    window_weeks: int | None = None,
) -> tuple[Entry, ...]:
    """The ledger's entries for these snapshots (oldest first), writing any missing ones once."""
    ordered = sorted(snapshots, key=lambda s: s.as_of)
    digest, window = programme_key(programme), window_for(programme, window_weeks)
    known, _ = ledger.read(path)
    missing = [s for s in ordered if (s.label, digest, window) not in known]
    if missing:
        # DuckDB and numpy release the GIL, so two snapshots at a time (the machines this runs on
        # have two cores or more); map keeps the order
        with ThreadPoolExecutor(max_workers=REBUILD_WORKERS) as pool:
            made = list(pool.map(lambda s: entry_for(db, s, programme, window_weeks), missing))
        known = ledger.record(path, made)
    return tuple(known[(s.label, digest, window)] for s in ordered)


def track_record(
    db: Database,
    snapshots: Sequence[SnapshotInfo],
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    programme: Programme,
    path: Any,
    window_weeks: int | None = None,
) -> TrackRecord:
    """The track record at ``snapshot``: every snapshot up to it, scored on what it shows."""
    upto = [s for s in snapshots if s.as_of <= snapshot.as_of]
    key = (
        "track_record",
        str(path),
        programme_key(programme),
        window_for(programme, window_weeks),
        tuple((str(s.path), s.stat_key) for s in sorted(upto, key=lambda s: s.as_of)),
        None if compare is None else (str(compare.path), compare.stat_key),
    )
    return cached(
        key, lambda: _track_record(db, upto, snapshot, compare, programme, path, window_weeks)
    )


def _track_record(
    db: Database,
    upto: Sequence[SnapshotInfo],
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    programme: Programme,
    path: Any,
    window_weeks: int | None,
) -> TrackRecord:
    entries = ledger_entries(db, upto, programme, path, window_weeks)
    finished = completed_on(
        recorded_history(db, snapshot, programme, MODEL_ROLE), programme.complete_at_share
    )
    marks = []
    for e in entries:
        past = finished is None or e.as_of < finished
        forecast = e.status in ("ok", "not_converging") and past and e.as_of < snapshot.as_of
        marks.append(
            (
                held(e.p50, finished, snapshot.as_of, forecast),
                held(e.p85, finished, snapshot.as_of, forecast),
                held(e.p95, finished, snapshot.as_of, forecast),
            )
        )
    scored = [m for m in marks if m[1] is not None]
    coverage = Coverage(
        scored=len(scored),
        held50=sum(1 for m in scored if m[0]),
        held85=sum(1 for m in scored if m[1]),
        held95=sum(1 for m in scored if m[2]),
        finished=finished,
    )
    movement = None
    if compare is not None and compare.as_of < snapshot.as_of:
        movement = why_moved(
            model_input(db, compare, programme, window_weeks),
            model_input(db, snapshot, programme, window_weeks),
        )
    return TrackRecord(snapshot.as_of, entries, tuple(marks), movement, coverage)


__all__ = ["Coverage", "TrackRecord", "entry_for", "ledger_entries", "track_record"]
