"""Reading what a page shows under AppTest: its metrics and tables, for the page tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from reassess.snapshot.listing import SnapshotInfo, list_snapshots


def open_page(page: str, role: str = "commander", **query: str) -> AppTest:
    """Run a page file as a demo role with these URL parameters; it must raise nothing (90 s
    allows a cold reinvestigation forecast on a loaded machine)."""
    at = AppTest.from_file(page, default_timeout=90)
    at.session_state["demo_role"] = role
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Every metric tile shown, label to value."""
    return {m.label: m.value for m in at.metric}


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return values[0]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe shown with this column heading."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with a {column!r} column")


def latest(data_dir: Path) -> SnapshotInfo:
    snap = list_snapshots(data_dir / "snapshots").latest
    assert snap is not None
    return snap


class Exports:
    """The files a page's audited download buttons would make, captured as the page offers them.

    `reassess.ui.audit_hooks.exported` makes the callable each button runs on its click; the
    test calls it as the click would (`click(i)`), which writes the audit record, then the file.
    """

    def __init__(self, monkeypatch: Any) -> None:
        from reassess.ui import audit_hooks

        self.made: list[Callable[[], bytes]] = []
        real = audit_hooks.exported

        def capture(record: Callable[[], None], data: Any) -> Callable[[], bytes]:
            make = real(record, data)
            self.made.append(make)
            return make

        monkeypatch.setattr(audit_hooks, "exported", capture)

    def click(self, index: int = -1) -> bytes:
        return self.made[index]()
