"""`python -m reassess audit`: reading the trail as a table, JSON or CSV, and --verify."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reassess.cli import audit as cli_audit
from reassess.cli import main
from reassess.store.audit import AuditEvent, AuditLog


@pytest.fixture
def audit_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose audit trail holds four events on three days."""
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    log = AuditLog(tmp_path / "audit")
    for at, user, role, action, detail, reason in [
        (datetime(2026, 3, 2, 9, 0, 5), "alice@example.org", "commander", "page_view", "", ""),
        (
            datetime(2026, 3, 2, 9, 1),
            "alice@example.org",
            "commander",
            "drilldown",
            "categories_cases",
            "checking the CE cases before the review",
        ),
        (datetime(2026, 3, 3, 14, 0), "=bob@example.org", "analyst", "export", "audit.csv", ""),
        (datetime(2026, 3, 9, 8, 0), "carol@example.org", "mayors_office", "page_view", "", ""),
    ]:
        log.record(
            AuditEvent(
                user=user,
                role=role,
                action=action,
                page="categories",
                snapshot=date(2026, 2, 27),
                detail=detail,
                reason=reason,
                at=at.replace(tzinfo=UTC),
            )
        )
    return tmp_path / "audit"


def test_table(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--since", "2026-03-01", "--until", "2026-03-03"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["When", "(UTC)", "Person", "Role", "Action", "Page", "What"]
    assert out[1].startswith("3 Mar 2026, 14:00:00   =bob@example.org")
    assert out[2].endswith("categories_cases (reason: checking the CE cases before the review)")
    assert out[3].startswith("2 Mar 2026, 09:00:05   alice@example.org")
    assert out[-1] == "3 events."


def test_json_lines_filtered_by_user_and_action(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["audit", "--since", "2026-03-01", "--user", "alice@example.org", "--json"]
    assert main([*args, "--action", "drilldown"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records == [
        {
            "at": "2026-03-02T09:01:00+00:00",
            "user": "alice@example.org",
            "role": "commander",
            "action": "drilldown",
            "page": "categories",
            "snapshot": "2026-02-27",
            "filters": "{}",
            "detail": "categories_cases",
            "reason": "checking the CE cases before the review",
            "rows": None,
        }
    ]


def test_role_filter_and_repeatable_options(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["audit", "--since", "2026-03-01", "--role", "analyst", "--role", "mayors_office"]
    assert main([*args, "--json"]) == 0
    users = [json.loads(line)["user"] for line in capsys.readouterr().out.splitlines()]
    assert users == ["carol@example.org", "=bob@example.org"]


def test_csv_is_formula_safe(audit_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["audit", "--since", "2026-03-03", "--until", "2026-03-03", "--csv"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "at,user,role,action,page,snapshot,filters,detail,reason,rows"
    assert lines[1].startswith("2026-03-03 14:00:00+00:00,'=bob@example.org,analyst,export,")
    assert len(lines) == 2


def test_nothing_matches(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--since", "2030-01-01"]) == 0
    assert capsys.readouterr().out == "No audit events from 2030-01-01 to today match.\n"


def test_default_is_the_last_seven_days_by_the_wall_clock(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    AuditLog(audit_dir).record(
        AuditEvent(user="dave@example.org", role="planner", action="sign_in")
    )
    assert main(["audit", "--json"]) == 0
    users = [json.loads(line)["user"] for line in capsys.readouterr().out.splitlines()]
    assert users == ["dave@example.org"]


def test_verify_intact(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--verify"]) == 0
    assert capsys.readouterr().out == (
        "Audit chain intact: 4 records in 3 files, none of them signed. Without the audit key "
        "this cannot prove that no line was edited and the rest re-chained, or that the newest "
        "lines were not removed: set REASSESS_AUDIT_KEY to check the signatures.\n"
    )


def test_verify_broken_exits_1_and_names_the_line(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = audit_dir / "2026-03-02.jsonl"
    path.write_text(path.read_text().replace("alice@example.org", "mallory@example.org", 1))

    assert main(["audit", "--verify"]) == 1

    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Audit chain BROKEN: 1 problem(s) in 3 records across 3 files; the first is "
        "2026-03-02.jsonl, line 2: its prev hash does not match the line before: a line was "
        "edited, inserted, deleted or reordered here.",
        "broken: 2026-03-02.jsonl, line 2: its prev hash does not match the line before: a line "
        "was edited, inserted, deleted or reordered here",
    ]


def test_head_then_verify_with_the_anchor(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--head"]) == 0
    anchor = capsys.readouterr().out.strip()
    newest = (audit_dir / "2026-03-09.jsonl").read_bytes().split(b"\n")[0]
    assert anchor == f"2026-03-09.jsonl:1:{hashlib.sha256(newest).hexdigest()}"
    assert main(["audit", "--verify", "--anchor", anchor]) == 0
    assert capsys.readouterr().out == (
        "Audit chain intact: 4 records in 3 files, none of them signed. Without the audit key "
        "this cannot prove that no line was edited and the rest re-chained, or that the newest "
        "lines were not removed: set REASSESS_AUDIT_KEY to check the signatures.\n"
    )

    (audit_dir / "2026-03-09.jsonl").unlink()  # the newest day removed: the chain cannot see it
    assert main(["audit", "--verify"]) == 0
    capsys.readouterr()
    assert main(["audit", "--verify", "--anchor", anchor]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (
        "broken: 2026-03-09.jsonl, line 1: the file is gone, but an anchor recorded this line in it"
    )


def test_head_of_an_empty_trail_and_bad_anchors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path))
    assert main(["audit", "--head"]) == 1
    assert capsys.readouterr().err == "error: the audit trail has no records yet\n"
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "--verify", "--anchor", "yesterday"])
    assert exit_.value.code == 2
    assert "expected FILE:LINE:SHA256" in capsys.readouterr().err
    assert main(["audit", "--anchor", "2026-03-09.jsonl:1:" + "a" * 64]) == 2
    assert capsys.readouterr().err == "error: --anchor goes with --verify\n"


def test_until_before_since_is_refused(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--since", "2026-03-05", "--until", "2026-03-01"]) == 2
    assert capsys.readouterr().err == "error: --until 2026-03-01 is before --since 2026-03-05\n"


def test_a_bad_date_is_an_argparse_error(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--since", "05/03/2026"])
    assert exited.value.code == 2
    assert "'05/03/2026' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err


def test_an_unknown_action_is_refused(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--action", "delete"])
    assert "invalid choice: 'delete'" in capsys.readouterr().err


def test_verify_and_json_are_exclusive(audit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--verify", "--json"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_terminal_output_strips_control_characters(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_audit._printable("ok\x1b[2Jbad\u202e") == "ok?[2Jbad?"


def test_cli_exports_leave_an_audit_record(
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reassess.config import settings
    from reassess.store.audit import open_trail

    # the demo's snapshots, with an audit trail of this test's own (others write to the shared one)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "snapshots").symlink_to(demo_dir / "snapshots")
    monkeypatch.setenv("REASSESS_DATA_DIR", str(tmp_path / "data"))
    before = len(open_trail(settings()).read(date(2000, 1, 1)))
    assert before == 0
    assert main(["status", "--json"]) == 0
    assert (
        main(["briefing", "--pdf", str(tmp_path / "b.pdf"), "--csv-dir", str(tmp_path / "c")]) == 0
    )
    capsys.readouterr()
    records = open_trail(settings()).read(date(2000, 1, 1))
    new = records.iloc[: len(records) - before]
    exports = new[new["action"] == "export"].sort_values("at")
    assert list(exports["page"]) == ["status", "briefing"]
    assert list(exports["role"]) == ["commander", "mayors_office"]
    assert exports["user"].str.endswith("(command line)").all()
    assert exports["detail"].iloc[0] == "status --json"
    assert exports["detail"].iloc[1].startswith("briefing b.pdf, ")


def test_a_cli_export_refused_when_the_audit_cannot_be_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_dir: Path,
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_dir / "snapshots", data / "snapshots")
    (data / "audit").write_text("not a folder")  # the trail cannot be written
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    target = tmp_path / "out.pdf"
    assert main(["briefing", "--pdf", str(target)]) == 1
    assert main(["status"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert (
        out.err.count("error: nothing was exported, because the audit record could not be written")
        == 2
    )
    assert not target.exists()
