"""No way out for data but the audited export: every page, every role.

- Every download button a page offers is an audited export: its file is made by the callable
  `reassess.ui.audit_hooks.exported` returns, which writes the audit record first.
- The grid's own "Download as CSV" is switched off in .streamlit/config.toml.
- No chart offers its picture download.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reassess.access import PAGES
from tests.page_helpers import Exports

ROOT = Path(__file__).resolve().parent.parent
CASES = [(p.page_id, role) for p in PAGES for role in sorted(p.roles)]


def test_the_grid_download_is_switched_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert config["client"]["toolbarMode"] == "viewer"


@pytest.mark.parametrize(("page_id", "role"), CASES, ids=[f"{p}-{r}" for p, r in CASES])
def test_every_download_is_an_audited_export(
    demo_env: Path, monkeypatch: pytest.MonkeyPatch, page_id: str, role: str
) -> None:
    exports = Exports(monkeypatch)
    at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=90)
    at.session_state["demo_role"] = role
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("download_button")
    # each button's file is deferred to its click, and each was made through the audited path
    assert all(b.proto.deferred_file_id for b in buttons), [b.proto.label for b in buttons]
    assert len(buttons) == len(exports.made), (
        f"{len(buttons)} download buttons, {len(exports.made)} audited exports"
    )
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec).get("layout", {})
        assert "toImage" in layout.get("modebar", {}).get("remove", []), (
            "a chart offers its picture"
        )


def test_the_check_finds_a_raw_download(monkeypatch: pytest.MonkeyPatch) -> None:
    exports = Exports(monkeypatch)
    at = AppTest.from_string(
        "import streamlit as st\nst.download_button('Raw', b'a,b\\n1,2', file_name='x.csv')\n"
    )
    at.run()
    [button] = at.get("download_button")
    assert not button.proto.deferred_file_id and not exports.made  # both halves of the check fire
