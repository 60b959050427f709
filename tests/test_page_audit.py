"""The audit page and the audit hooks, under AppTest on the synthetic demo's snapshots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reassess.store.audit import Anchor, AuditError, AuditEvent, AuditLog, _verify_file
from tests.page_helpers import Exports

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "audit.py")
VIEWER = "demo viewer"  # who the demo shell says is looking


@pytest.fixture
def data_dir(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder of its own (so the audit trail is this test's) over the demo's snapshots."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    yield data


def seed(data: Path) -> AuditLog:
    """Five events in the last week by the wall clock, and one from three weeks ago."""
    log = AuditLog(data / "audit")
    now = datetime.now(UTC).replace(microsecond=0)
    for ago, user, role, action, detail, reason in [
        (timedelta(days=21), "old@example.org", "planner", "page_view", "", ""),
        (timedelta(days=3), "alice@example.org", "commander", "page_view", "", ""),
        (
            timedelta(days=2),
            "alice@example.org",
            "commander",
            "drilldown",
            "categories_cases",
            "checking the CE figure before the review",
        ),
        (timedelta(days=1), "=HYPERLINK(1)", "analyst", "export", "briefing.pdf", ""),
        (timedelta(hours=2), "carol@example.org", "mayors_office", "page_view", "", ""),
        (timedelta(minutes=5), "dave@example.org", "planner", "access_denied", "", ""),
    ]:
        log.record(
            AuditEvent(
                user=user,
                role=role,
                action=action,
                page="overview",
                detail=detail,
                reason=reason,
                at=now - ago,
            )
        )
    return log


def seeded(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a table other than the viewer's own (page views the page itself records)."""
    return frame[frame["user"] != VIEWER].reset_index(drop=True)


def count_shown(at: AppTest) -> int:
    """How many events the page's heading says it shows (and the table holds)."""
    n = int(at.subheader[0].value.split(" ", 1)[0].replace(",", ""))
    assert n == (len(at.dataframe[0].value) if n else 0)
    return n


def run_page(role: str, **state: object) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["demo_role"] = role
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


@pytest.mark.parametrize("role", ["commander", "analyst"])
def test_the_last_seven_days_are_listed_newest_first(data_dir: Path, role: str) -> None:
    seed(data_dir)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=6)
    at = run_page(role)

    assert not at.exception
    assert at.subheader[0].value.endswith(f"events from {first:%-d %B %Y} to {today:%-d %B %Y}")
    frame = seeded(at.dataframe[0].value)
    assert count_shown(at) - len(frame) in (0, 1)  # the page's own view, when it records one
    assert list(frame["user"]) == [
        "dave@example.org",
        "carol@example.org",
        "=HYPERLINK(1)",
        "alice@example.org",
        "alice@example.org",
    ]
    assert "old@example.org" not in set(frame["user"])
    assert frame.loc[3, "reason"] == "checking the CE figure before the review"
    assert any("server's clock (UTC)" in c.value for c in at.caption)
    assert at.success[0].value.startswith("Audit chain intact: ")


def test_filters_narrow_the_table(data_dir: Path) -> None:
    seed(data_dir)
    at = run_page("analyst")
    at.multiselect(key="audit_actions").set_value(["page_view"]).run()
    assert list(seeded(at.dataframe[0].value)["user"]) == [
        "carol@example.org",
        "alice@example.org",
    ]
    at.multiselect(key="audit_roles").set_value(["mayors_office"]).run()
    assert list(at.dataframe[0].value["user"]) == ["carol@example.org"]
    at.multiselect(key="audit_actions").set_value([]).run()
    at.multiselect(key="audit_roles").set_value([]).run()
    at.multiselect(key="audit_users").set_value(["alice@example.org"]).run()
    assert list(at.dataframe[0].value["action"]) == ["drilldown", "page_view"]
    today = datetime.now(UTC).date()
    at.date_input(key="audit_dates").set_value((today - timedelta(days=30), today)).run()
    assert count_shown(at) == 2
    at.multiselect(key="audit_users").set_value([]).run()
    assert len(seeded(at.dataframe[0].value)) == 6
    assert not at.exception


def test_nothing_in_range(data_dir: Path) -> None:
    at = run_page("analyst")
    assert not at.exception
    at.multiselect(key="audit_actions").set_value(["drilldown"]).run()
    assert at.info[0].value.startswith("No events match these filters.")
    assert at.success[0].value.startswith("Audit chain intact: ")


@pytest.mark.parametrize("role", ["planner", "mayors_office"])
def test_other_roles_are_refused_and_see_nothing(data_dir: Path, role: str) -> None:
    seed(data_dir)
    at = run_page(role)
    assert not at.exception
    assert "cannot open Audit log" in at.error[0].value
    assert len(at.dataframe) == 0
    assert not at.success


def test_exporting_the_audit_is_itself_audited_before_the_file_is_made(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = seed(data_dir)
    exports = Exports(monkeypatch)
    at = run_page("analyst")
    shown = count_shown(at)
    [button] = at.get("download_button")  # one click: the button itself
    assert button.proto.label == "Export these events (CSV)"
    assert len(log.read(action="export", user="demo viewer")) == 0  # offered, not yet taken

    data = exports.click()

    recorded = log.read(action="export", user="demo viewer")
    assert len(recorded) == 1
    assert recorded.loc[0, "rows"] == shown and recorded.loc[0, "page"] == "audit"
    assert recorded.loc[0, "detail"] == (
        f"audit-{(datetime.now(UTC).date() - timedelta(days=6)).isoformat()}-"
        f"{datetime.now(UTC).date().isoformat()}.csv"
    )
    assert recorded.loc[0, "role"] == "analyst"
    assert json.loads(recorded.loc[0, "filters"])["actions"] == []
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "# OFFICIAL-SENSITIVE · SYNTHETIC DATA"  # the marking, then the table
    assert len(lines) == shown + 2 and lines[1].startswith("at,user,role,action")
    # the next run lists the export itself
    at.run()
    assert count_shown(at) == shown + 1


def test_an_export_whose_audit_cannot_be_written_makes_no_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    exports = Exports(monkeypatch)
    run_page("analyst")
    blocked = data_dir / "audit" / f"{datetime.now(UTC).date().isoformat()}.jsonl"
    blocked.rename(blocked.with_suffix(".moved"))
    blocked.mkdir()  # a folder where the day's file should be: every write fails

    with pytest.raises(AuditError):
        exports.click()  # the click's callable raises: Streamlit sends no file


def test_a_broken_chain_is_shown_with_the_line(data_dir: Path) -> None:
    log = seed(data_dir)
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for _ in range(3):
        log.record(AuditEvent(user="eve@example.org", role="analyst", action="sign_in", at=noon))
    day = log.path_for(noon.date())
    lines = day.read_text().splitlines()
    n = next(i for i, line in enumerate(lines) if "eve@example.org" in line)
    lines[n] = lines[n].replace("eve@example.org", "mallory@example.org")
    day.write_text("\n".join(lines) + "\n")

    at = run_page("commander")

    assert not at.exception
    assert at.error[0].value.startswith("Audit chain BROKEN: 1 problem(s)")
    problems = at.dataframe[1].value
    assert list(problems["line"]) == [n + 2] and list(problems["file"]) == [day.name]


def test_the_page_shows_the_anchor_of_the_newest_record(data_dir: Path) -> None:
    seed(data_dir)
    at = run_page("analyst")
    assert not at.exception
    anchor = AuditLog(data_dir / "audit").head()
    assert anchor is not None
    # The page records its own view first, so the head it shows is that record.
    assert Anchor.parse(at.code[0].value) == anchor


def test_a_warm_run_rechecks_only_files_that_changed(data_dir: Path) -> None:
    """The chain check is cached per file: a warm run re-reads only a file that was appended
    to since the last run (its speed is measured in bench/, not here)."""
    seed(data_dir)
    at = run_page("analyst")

    def stats() -> dict[str, tuple[int, int]]:
        return {
            p.name: (p.stat().st_size, p.stat().st_mtime_ns)
            for p in (data_dir / "audit").glob("*.jsonl")
        }

    files = stats()
    assert len(files) >= 4
    before = _verify_file.cache_info()
    at.run()
    after, now = _verify_file.cache_info(), stats()
    changed = sum(1 for name, key in now.items() if files.get(name) != key)
    assert not at.exception
    assert after.misses - before.misses == changed
    assert after.hits - before.hits == len(now) - changed

    # Files appended to are read again, and only those.
    files, before = now, after
    seed(data_dir)
    at.run()
    after, now = _verify_file.cache_info(), stats()
    changed = sum(1 for name, key in now.items() if files.get(name) != key)
    assert changed >= 4
    assert after.misses - before.misses == changed


# The hooks, on a small page of their own


def drill_page() -> None:
    import streamlit as st

    from reassess.ui import page_context
    from reassess.ui.audit_hooks import record_drilldown, record_page_view, require_reason

    ctx = page_context("categories")
    record_page_view(ctx, "categories", {"bcu": st.session_state.get("bcu_filter", "all")})
    reason = require_reason("why", "the cases behind the CE figure")
    if reason:
        record_drilldown(ctx, "categories_cases", reason, 12, page="categories")
        st.dataframe({"case_ref": ["SYN-2010-00001"]}, key="cases")


def bcu_views(log: AuditLog) -> pd.DataFrame:
    """The page views drill_page recorded with its filter (page_context may record its own)."""
    views = log.read(action="page_view")
    return views[views["filters"].str.contains('"bcu"')].reset_index(drop=True)


def test_a_case_list_waits_for_a_reason_and_records_it(data_dir: Path) -> None:
    at = AppTest.from_function(drill_page, default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.run()
    assert not at.exception
    assert not at.dataframe
    assert "at least 10 characters" in at.caption[-1].value

    at.text_input(key="why").input("too short").run()
    assert not at.dataframe

    at.text_input(key="why").input("  weekly review of the CE backlog  ").run()
    assert not at.exception
    assert len(at.dataframe) == 1
    log = AuditLog(data_dir / "audit")
    drills = log.read(action="drilldown")
    assert list(drills["reason"]) == ["weekly review of the CE backlog"]
    assert list(drills["rows"]) == [12] and list(drills["detail"]) == ["categories_cases"]
    assert list(drills["snapshot"]) == ["2026-06-26"]
    # page views are recorded once per page, snapshot and filters, not on every rerun
    views = bcu_views(log)
    assert len(views) == 1
    assert json.loads(views.loc[0, "filters"]) == {"bcu": "all", "compare": "2026-06-19"}
    at.session_state["bcu_filter"] = "CE"
    at.run()
    assert list(bcu_views(log)["filters"].map(lambda f: json.loads(f)["bcu"])) == ["CE", "all"]
    assert log.verify().ok


def test_a_case_list_is_not_shown_when_the_audit_cannot_be_written(data_dir: Path) -> None:
    at = AppTest.from_function(drill_page, default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.run()
    (data_dir / "audit").rename(data_dir / "audit-moved")
    (data_dir / "audit").write_text("not a folder")

    at.text_input(key="why").input("weekly review of the CE backlog").run()

    assert not at.exception
    assert "The case list is not shown, because the audit trail could not be written" in (
        at.error[0].value
    )
    assert not at.dataframe


def test_a_page_view_that_cannot_be_recorded_stops_the_page(data_dir: Path) -> None:
    (data_dir / "audit").write_text("not a folder")
    at = AppTest.from_function(drill_page, default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.run()
    assert not at.exception
    assert "This page is not shown, because the audit trail could not be written" in (
        at.error[0].value
    )
    assert not at.text_input


def scenario_page() -> None:
    from reassess.ui import page_context
    from reassess.ui.audit_hooks import (
        record_access_denied,
        record_export,
        record_scenario,
        record_sign_in,
    )

    ctx = page_context("scenarios")
    record_scenario(ctx, "save", "two more teams from May")
    record_scenario(ctx, "delete", "old plan")
    record_export(ctx, "briefing.pdf", page="briefing")
    record_sign_in("erin@example.org", None)
    record_access_denied("erin@example.org", None, "workload", "no role")


def test_scenarios_exports_sign_ins_and_refusals_are_recorded(data_dir: Path) -> None:
    at = AppTest.from_function(scenario_page, default_timeout=60)
    at.session_state["demo_role"] = "planner"
    at.run()
    assert not at.exception
    got = AuditLog(data_dir / "audit").read().iloc[::-1]
    got = got[got["action"] != "page_view"]  # page_context's own record of the visit
    assert list(zip(got["action"], got["detail"], got["role"], strict=True)) == [
        ("scenario_save", "two more teams from May", "planner"),
        ("scenario_delete", "old plan", "planner"),
        ("export", "briefing.pdf", "planner"),
        ("sign_in", "", "none"),
        ("access_denied", "no role", "none"),
    ]


def test_long_or_hostile_filters_are_cut_down_and_the_page_still_shows(data_dir: Path) -> None:
    at = AppTest.from_function(drill_page, default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.session_state["bcu_filter"] = "'; drop table cases; --" + "x" * 10_000
    at.run()
    assert not at.exception and not at.error
    views = bcu_views(AuditLog(data_dir / "audit"))
    assert json.loads(views.loc[0, "filters"])["bcu"] == ("'; drop table cases; --" + "x" * 80)[:80]

    at.session_state["bcu_filter"] = [f"SYN-2010-{n:05d}" for n in range(50)]
    at.run()
    assert not at.exception and not at.error
    views = AuditLog(data_dir / "audit").read(action="page_view")
    assert json.loads(views.loc[0, "filters"]) == {
        "compare": "2026-06-19",
        "filters": "not recorded (too long)",
    }


def test_a_reason_that_lists_case_refs_is_refused_with_a_plain_message(data_dir: Path) -> None:
    at = AppTest.from_function(drill_page, default_timeout=60)
    at.session_state["demo_role"] = "commander"
    at.run()
    at.text_input(key="why").input("SYN-2010-00001 SYN-2010-00002 SYN-2010-00003").run()
    assert not at.exception
    assert at.error[0].value.startswith(
        "The case list is not shown, because the reason cannot be recorded: give it in words"
    )
    assert not at.dataframe
    assert AuditLog(data_dir / "audit").read(action="drilldown").empty


def test_deliveries_and_alerts_are_shown_in_words(data_dir: Path) -> None:
    log = seed(data_dir)
    now = datetime.now(UTC)
    for action, user, role, detail, reason in [
        ("delivery", "desk@example.org", "mayors_office", "the disclosure-controlled briefing", ""),
        ("delivery_failed", "boss@example.org", "commander", "the full pack", "refused (550)"),
        ("alert_raised", "ops@host (command line)", "planner", "QA backlog in one team: 109", ""),
    ]:
        log.record(
            AuditEvent(
                user=user,
                role=role,
                action=action,
                page="publish",
                detail=detail,
                reason=reason,
                snapshot=datetime(2026, 3, 13).date(),
                at=now,
            )
        )
    at = run_page("commander")
    assert not at.exception
    table = at.dataframe[1].value  # after the events table
    rows = set(zip(table["What happened"], table["Built as"], table["Why it failed"], strict=True))
    assert rows == {
        ("Alert raised", "Planner", ""),
        ("Delivery failed (owed, retried next run)", "Commander", "refused (550)"),
        ("Pack or alerts delivered", "Mayor's office (MOPAC)", ""),
    }
    assert set(table["Snapshot"]) == {"13 Mar 2026"}
