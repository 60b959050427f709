"""The audit log as a person reads it: times in words, the rest as the trail holds it."""

from __future__ import annotations

import pandas as pd

from reassess.present.formats import DASH, timestamp


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The selected audit events for the page: "3 Dec 2026, 19:25:04" for each time (UTC)."""
    out = events.copy()
    out["at"] = [
        timestamp(t.to_pydatetime(), seconds=True) if pd.notna(t) else DASH for t in out["at"]
    ]
    return out
