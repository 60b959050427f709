"""The audit log as a person reads it: times in words, the rest as the trail holds it."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reassess.present.formats import DASH, short_date, timestamp


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The selected audit events for the page: "3 Dec 2026, 19:25:04" for each time (UTC)."""
    out = events.copy()
    out["at"] = [
        timestamp(t.to_pydatetime(), seconds=True) if pd.notna(t) else DASH for t in out["at"]
    ]
    return out


PUBLISHING_ACTIONS = ("delivery", "delivery_failed", "alert_raised", "alert_resolved")
"""The audit actions `python -m reassess publish` records."""


def publishing_table(events: pd.DataFrame) -> pd.DataFrame:
    """The deliveries and alerts among the events, in words: when, to whom, as which role, what."""
    from reassess.present.vocabulary import AUDIT_ACTION_LABELS, DASHBOARD_ROLE_LABELS

    rows = events[events["action"].isin(PUBLISHING_ACTIONS)]
    return pd.DataFrame(
        {
            "When (UTC)": [
                timestamp(t.to_pydatetime(), seconds=True) if pd.notna(t) else DASH
                for t in rows["at"]
            ],
            "What happened": [AUDIT_ACTION_LABELS.get(a, a) for a in rows["action"]],
            "Reader or run": list(rows["user"]),
            "Built as": [DASHBOARD_ROLE_LABELS.get(r, r) for r in rows["role"]],
            "Snapshot": [
                short_date(date.fromisoformat(s)) if isinstance(s, str) and s else DASH
                for s in rows["snapshot"]
            ],
            "What": list(rows["detail"]),
            "Why it failed": [r if isinstance(r, str) and r else "" for r in rows["reason"]],
        }
    )
