"""The Mayor's office compares a release only with the previous week, four weeks back and the programme start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reassess.cli import main
from reassess.config import settings
from reassess.disclosure.releases import allowed_compares, may_compare
from reassess.snapshot.listing import list_snapshots
from reassess.store.audit import AuditLog

ROOT = Path(__file__).resolve().parent.parent
LATEST = "2026-06-26"
ALLOWED = ["2026-06-19", "2026-05-29", "2025-11-07"]  # previous, four weeks back, start


def test_allowed_compares_of_the_demo(demo_env: Path) -> None:
    listing = list_snapshots(settings().snapshot_dir)
    latest = listing.get(LATEST)
    assert latest is not None
    allowed = allowed_compares(listing, latest)
    assert {k: s.label for k, s in allowed.items()} == dict(
        zip(("previous", "four_weeks", "start"), ALLOWED, strict=True)
    )
    other = listing.get("2026-03-06")
    assert not may_compare("mayors_office", listing, latest, other)
    assert may_compare("mayors_office", listing, latest, None)
    for role in ("commander", "planner", "analyst"):
        assert may_compare(role, listing, latest, other)
    # the second release: the previous week is also the programme start, offered once
    second = listing.snapshots[1]
    assert [s.label for s in allowed_compares(listing, second).values()] == ["2025-11-07"]
    assert allowed_compares(listing, listing.snapshots[0]) == {}


def test_cli_refuses_another_pair_for_the_mayors_office(
    demo_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(AuditLog(demo_env / "audit").read(action="export"))
    out = tmp_path / "refused"
    code = main(
        ["briefing", "--snapshot", LATEST, "--compare", "2026-03-06", "--csv-dir", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "error: the Mayor's office may compare 2026-06-26 only with 2026-06-19 (the previous "
        "week), 2026-05-29 (four weeks back), 2025-11-07 (the programme start), not 2026-03-06"
    ) in err
    assert "Traceback" not in err and not out.exists()
    assert len(AuditLog(demo_env / "audit").read(action="export")) == before


@pytest.mark.parametrize(
    ("args", "compared"),
    [
        (["--compare", "four-weeks"], "2026-05-29"),
        (["--compare", "start"], "2025-11-07"),
        (["--compare", "2026-06-19"], "2026-06-19"),
        (["--compare", "2026-03-06", "--role", "commander"], "2026-03-06"),
    ],
)
def test_cli_allowed_pairs(
    demo_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    compared: str,
) -> None:
    code = main(["briefing", "--snapshot", LATEST, *args, "--csv-dir", str(tmp_path / "c")])
    assert code == 0
    assert f"compared with {compared}" in capsys.readouterr().out
    assert "Assessments completed" in (tmp_path / "c" / "changes.csv").read_text()
    written = date.fromisoformat(compared).strftime("%-d %B %Y")
    assert f"Since {written}, " in (tmp_path / "c" / "notes.csv").read_text()


def _options(role: str, compare: str | None = None) -> tuple[AppTest, list[str]]:
    at = AppTest.from_file(str(ROOT / "pages" / "briefing.py"), default_timeout=90)
    at.session_state["demo_role"] = role
    at.query_params["snapshot"] = LATEST
    if compare is not None:
        at.query_params["compare"] = compare
    at.run()
    assert not at.exception, at.exception
    return at, list(at.sidebar.selectbox(key="compare").options)


def test_briefing_page_offers_the_mayors_office_only_the_fixed_comparisons(demo_env: Path) -> None:
    at, options = _options("mayors_office", "2026-03-06")
    assert options == [*ALLOWED, "(none)"]
    assert at.sidebar.selectbox(key="compare").value == "2026-06-19"
    assert any("2026-03-06" in w.value for w in at.sidebar.warning)


def test_other_roles_compare_freely(demo_env: Path) -> None:
    at, options = _options("commander", "2026-03-06")
    listing = list_snapshots(settings().snapshot_dir)
    assert options == [s.label for s in reversed(listing.snapshots[:-1])] + ["(none)"]
    assert at.sidebar.selectbox(key="compare").value == "2026-03-06"
