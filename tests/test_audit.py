"""The audit trail: events, the hash chain, tampering, concurrency, failures and reading back."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reassess.present.csvsafe import safe_cell, safe_frame, to_safe_csv
from reassess.store.audit import (
    ACTIONS,
    MAX_DETAIL,
    MAX_REASON,
    Anchor,
    AuditError,
    AuditEvent,
    AuditLog,
    InvalidAuditEvent,
    genesis,
    looks_like_case_refs,
    select,
)

ROOT = Path(__file__).resolve().parent.parent
UNKEYED = (
    ", none of them signed. Without the audit key this cannot prove that no line was edited and "
    "the rest re-chained, or that the newest lines were not removed: set REASSESS_AUDIT_KEY to "
    "check the signatures."
)
DAY = date(2026, 3, 6)
AT = datetime(2026, 3, 6, 9, 30, tzinfo=UTC)


def event(n: int = 0, **changes: Any) -> AuditEvent:
    fields: dict[str, object] = {
        "user": "alice@example.org",
        "role": "commander",
        "action": "page_view",
        "page": "overview",
        "snapshot": date(2026, 2, 27),
        "filters": '{"bcu":"CE"}',
        "at": AT + timedelta(seconds=n),
    }
    fields.update(changes)
    return AuditEvent(**fields)  # type: ignore[arg-type]


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# Events


def test_an_event_is_stored_as_one_json_line_with_its_prev_hash(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    log.record(
        event(
            action="drilldown",
            page="categories",
            detail="categories_cases",
            reason="checking the cases behind the CE figure",
            rows=12,
        )
    )

    stored = lines(tmp_path / "2026-03-06.jsonl")
    assert stored == [
        {
            "v": 1,
            "at": "2026-03-06T09:30:00.000000Z",
            "user": "alice@example.org",
            "role": "commander",
            "action": "drilldown",
            "page": "categories",
            "snapshot": "2026-02-27",
            "filters": '{"bcu":"CE"}',
            "detail": "categories_cases",
            "reason": "checking the cases behind the CE figure",
            "rows": 12,
            "prev": genesis(DAY),
        }
    ]


def test_each_line_carries_the_sha256_of_the_line_before(tmp_path: Path) -> None:
    import hashlib

    log = AuditLog(tmp_path)
    for n in range(3):
        log.record(event(n))
    raw = (tmp_path / "2026-03-06.jsonl").read_bytes().split(b"\n")[:-1]
    assert json.loads(raw[0])["prev"] == genesis(DAY)
    for before, line in zip(raw, raw[1:], strict=False):
        assert json.loads(line)["prev"] == hashlib.sha256(before).hexdigest()
    assert log.verify().ok


def test_events_go_to_the_file_of_their_utc_day(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    late = datetime(2026, 3, 6, 23, 59, 59, tzinfo=UTC)
    log.record(event(at=late))
    log.record(event(at=late + timedelta(seconds=2)))
    # 00:30 in London summer time is still the previous UTC day
    from zoneinfo import ZoneInfo

    log.record(event(at=datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/London"))))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2026-03-06.jsonl",
        "2026-03-07.jsonl",
        "2026-06-30.jsonl",
    ]
    assert lines(tmp_path / "2026-03-07.jsonl")[0]["prev"] == genesis(date(2026, 3, 7))
    assert log.verify().ok


def test_a_naive_time_is_taken_as_utc() -> None:
    assert event(at=datetime(2026, 3, 6, 9, 30)).at == AT


def test_the_wall_clock_is_the_default_time() -> None:
    before = datetime.now(UTC)
    e = AuditEvent(user="a@example.org", role="analyst", action="sign_in")
    assert before <= e.at <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"action": "delete_everything"}, "action must be one of page_view, drilldown"),
        ({"role": "superuser"}, "role must be one of commander"),
        ({"user": ""}, "user must not be empty"),
        ({"user": "x" * 255}, "user is 255 characters; at most 254"),
        ({"detail": "d" * (MAX_DETAIL + 1)}, f"detail is 201 characters; at most {MAX_DETAIL}"),
        (
            {"action": "drilldown", "reason": "r" * (MAX_REASON + 1)},
            "reason is 501 characters; at most 500",
        ),
        ({"filters": "x" * 2001}, "filters is 2,001 characters; at most 2,000"),
        ({"filters": "[1, 2]"}, "filters must be a JSON object as text"),
        ({"filters": "{bcu: CE}"}, "filters must be a JSON object as text"),
        ({"page": "../etc"}, "page must be a page id"),
        ({"rows": -1}, "rows must be a count"),
        ({"rows": True}, "rows must be a count"),
        ({"detail": "brief\x1b[2Jing"}, "detail holds control characters"),
        ({"user": "eve\nforged line"}, "user holds control characters"),
        ({"action": "drilldown", "reason": ""}, "a drill-down needs a reason of at least 10"),
        ({"action": "drilldown", "reason": "   because   "}, "needs a reason of at least 10"),
        (
            {"detail": "SYN-2010-00001, SYN-2010-00002, SYN-2011-00003"},
            "detail looks like a list of case or officer references",
        ),
        (
            {"filters": json.dumps({"refs": ["TST-0001", "TST-0002", "TST-0003", "TST-0004"]})},
            "filters looks like a list of case or officer references",
        ),
        (
            {"action": "drilldown", "reason": "cases PPO-0001 PPO-0002 PPO-0003 look odd"},
            "reason looks like a list",
        ),
    ],
)
def test_an_event_that_breaks_a_rule_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidAuditEvent, match="refused") as refused:
        event(**changes)
    assert message in str(refused.value)
    assert isinstance(refused.value, AuditError)  # callers that fail closed catch AuditError


@pytest.mark.parametrize(
    "text",
    [
        "briefing.pdf",
        "categories_cases",
        "checking SYN-2010-00001 and SYN-2010-00002 before the weekly review",
        '{"bcu":"CE","compare":"2026-02-27","years":"2012-2018"}',
        "audit-2026-03-01-2026-03-07.csv",
    ],
)
def test_names_dates_and_one_or_two_refs_are_not_case_lists(text: str) -> None:
    assert not looks_like_case_refs(text)


def test_every_action_can_be_recorded(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for n, action in enumerate(ACTIONS):
        reason = "checking before the weekly review" if action == "drilldown" else ""
        log.record(event(n, action=action, reason=reason))
    assert list(log.read(DAY, DAY)["action"])[::-1] == list(ACTIONS)


# Tampering


@pytest.fixture
def ten(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path)
    for n in range(10):
        log.record(event(n, detail=f"item {n}"))
    return log


def rewrite(path: Path, edit: object) -> None:
    raw = path.read_bytes().split(b"\n")[:-1]
    raw = edit(raw)  # type: ignore[operator]
    path.write_bytes(b"".join(line + b"\n" for line in raw))


@pytest.mark.parametrize(
    ("edit", "broken_lines"),
    [
        (lambda r: [*r[:4], r[4].replace(b"item 4", b"item X"), *r[5:]], [6]),
        (lambda r: [*r[:3], *r[4:]], [4]),
        (lambda r: [*r[:3], r[4], r[3], *r[5:]], [4, 5, 6]),
        (lambda r: [*r[:5], r[2], *r[5:]], [6, 7]),
        (lambda r: r[1:], [1]),
        (lambda r: [*r[:9], b'{"v":1,"user":"mallory"'], [10]),
    ],
    ids=["edited", "deleted", "swapped", "inserted copy", "first removed", "garbled"],
)
def test_tampering_breaks_the_chain_where_it_happened(
    ten: AuditLog, edit: object, broken_lines: list[int]
) -> None:
    path = ten.path_for(DAY)
    assert ten.verify().ok
    rewrite(path, edit)

    result = ten.verify()

    assert not result.ok
    assert [p.line for p in result.problems] == broken_lines
    assert all(p.file == "2026-03-06.jsonl" for p in result.problems)
    assert "Audit chain BROKEN" in result.summary()
    assert "2026-03-06.jsonl, line" in result.summary()


def test_a_file_renamed_to_another_day_breaks_the_chain(ten: AuditLog) -> None:
    ten.path_for(DAY).rename(ten.path_for(DAY + timedelta(days=1)))
    problems = ten.verify().problems
    assert [(p.file, p.line) for p in problems][0] == ("2026-03-07.jsonl", 1)


def test_recording_after_tampering_keeps_the_report(ten: AuditLog) -> None:
    rewrite(ten.path_for(DAY), lambda r: [*r[:2], *r[3:]])
    ten.record(event(20))
    assert [p.line for p in ten.verify().problems] == [3]


def test_a_torn_last_line_is_reported_and_the_next_record_still_chains(ten: AuditLog) -> None:
    path = ten.path_for(DAY)
    with path.open("ab") as f:
        f.write(b'{"v":1,"at":"2026-03-06T09:31')  # a write cut short, no newline
    assert [p.problem for p in ten.verify().problems] == [
        "the last line is incomplete (a torn write)"
    ]

    ten.record(event(30))

    result = ten.verify()
    assert [(p.line, p.problem) for p in result.problems] == [(11, "not a complete audit record")]
    assert result.records == 11
    assert len(ten.read(DAY, DAY)) == 11


def test_verify_sees_an_append_after_a_cached_check(ten: AuditLog) -> None:
    assert ten.verify().records == 10
    ten.record(event(11))
    assert ten.verify().records == 11


def test_an_empty_or_missing_folder_verifies(tmp_path: Path) -> None:
    result = AuditLog(tmp_path / "none").verify()
    assert result.ok and result.records == 0 and result.files == 0
    assert result.summary() == "Audit chain intact: 0 records in 0 files" + UNKEYED


# Anchors: what the chain alone cannot show


def test_the_head_anchors_the_newest_line(ten: AuditLog) -> None:
    path = ten.path_for(DAY)
    newest = path.read_bytes().split(b"\n")[-2]
    anchor = ten.head()
    assert anchor == Anchor("2026-03-06.jsonl", 10, hashlib.sha256(newest).hexdigest())
    assert Anchor.parse(str(anchor)) == anchor
    assert ten.verify([anchor]).ok


def test_the_head_is_in_the_newest_file_and_skips_a_torn_line(ten: AuditLog) -> None:
    ten.record(event(0, at=AT + timedelta(days=1)))
    head = ten.head()
    assert head is not None and (head.file, head.line) == ("2026-03-07.jsonl", 1)
    with ten.path_for(DAY + timedelta(days=1)).open("ab") as f:
        f.write(b'{"v":1,"at":"2026-03-07T')
    assert ten.head() == head
    assert AuditLog(ten.audit_dir / "none").head() is None


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            lambda r: r[:8],
            "the file now has 8 complete line(s): lines recorded by an anchor were removed",
        ),
        (
            lambda r: [],
            "the file now has 0 complete line(s): lines recorded by an anchor were removed",
        ),
        (
            lambda r: [*r[:9], r[9].replace(b"item 9", b"item X")],
            "the line differs from the one its anchor recorded",
        ),
    ],
    ids=["newest lines removed", "emptied", "newest line edited"],
)
def test_an_anchor_catches_what_the_chain_cannot(
    ten: AuditLog, damage: object, problem: str
) -> None:
    anchor = ten.head()
    assert anchor is not None
    rewrite(ten.path_for(DAY), damage)
    result = ten.verify([anchor])
    assert not result.ok
    assert (result.problems[0].file, result.problems[0].line) == ("2026-03-06.jsonl", 10)
    assert result.problems[0].problem == problem


def test_an_anchor_catches_a_deleted_day_file(ten: AuditLog) -> None:
    ten.record(event(0, at=AT + timedelta(days=1)))
    anchor = ten.head()
    assert anchor is not None and anchor.file == "2026-03-07.jsonl"
    ten.path_for(DAY + timedelta(days=1)).unlink()
    assert ten.verify().ok  # the chain of the file that is left is whole
    result = ten.verify([anchor])
    assert [str(p) for p in result.problems] == [
        "2026-03-07.jsonl, line 1: the file is gone, but an anchor recorded this line in it"
    ]


def test_an_anchor_that_still_holds_after_more_records(ten: AuditLog) -> None:
    anchor = ten.head()
    assert anchor is not None
    for n in range(5):
        ten.record(event(20 + n))
    assert ten.verify([anchor]).ok


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-03-06.jsonl:10",
        "2026-03-06.jsonl:0:" + "a" * 64,
        "x.jsonl:1:" + "a" * 64,
        "2026-03-06.jsonl:1:" + "A" * 64,
        "2026-03-06.jsonl:1:" + "a" * 63,
    ],
)
def test_a_malformed_anchor_says_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected FILE:LINE:SHA256"):
        Anchor.parse(text)


# Concurrency

WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from reassess.store.audit import AuditEvent, AuditLog
folder, worker, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
log = AuditLog(folder)
at = datetime(2026, 3, 6, 12, tzinfo=UTC)
for n in range(count):
    log.record(AuditEvent(user=f"worker{worker}@example.org", role="analyst",
                          action="page_view", page="audit", detail=f"{worker}:{n}", at=at))
"""


def test_eight_processes_of_200_records_all_land_with_the_chain_intact(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(w), "200"], env=env)
        for w in range(8)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8

    log = AuditLog(tmp_path)
    result = log.verify()
    assert result.ok, result.problems[:5]
    assert result.records == 1600
    details = log.read(DAY, DAY)["detail"]
    assert sorted(details) == sorted(f"{w}:{n}" for w in range(8) for n in range(200))
    # every line is whole: one JSON object per line, nothing interleaved
    assert len(log.path_for(DAY).read_bytes().split(b"\n")) == 1601


def test_threads_in_one_process_do_not_interleave(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for n in range(50):
                log.record(event(0, detail=f"t{t}:{n}"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert log.verify().records == 400 and log.verify().ok


# Failures: the caller gets an AuditError


def test_an_unwritable_folder_is_an_audit_error(tmp_path: Path) -> None:
    blocker = tmp_path / "audit"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(AuditError, match="could not open the audit file") as failed:
        AuditLog(blocker).record(event())
    assert "REASSESS_DATA_DIR/audit" in str(failed.value)


def test_a_read_only_day_file_is_an_audit_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path)
    log.record(event())
    before = log.path_for(DAY).read_bytes()
    log.path_for(DAY).chmod(0o400)
    real_open = os.open

    def as_the_kernel_would(path: str, flags: int, *args: int, **kw: int) -> int:
        # root ignores file modes, so refuse a write the way the kernel refuses anyone else
        writing = flags & (os.O_WRONLY | os.O_RDWR)
        if writing and os.path.exists(path) and not os.stat(path).st_mode & 0o222:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kw)

    if os.geteuid() == 0:
        monkeypatch.setattr(os, "open", as_the_kernel_would)
    with pytest.raises(AuditError, match="Permission denied"):
        log.record(event(1))
    monkeypatch.undo()
    assert log.path_for(DAY).read_bytes() == before


def test_a_full_disk_is_an_audit_error_and_leaves_no_partial_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path)
    log.record(event())
    before = log.path_for(DAY).read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(AuditError, match="No space left on device"):
        log.record(event(1))
    monkeypatch.undo()

    assert log.path_for(DAY).read_bytes() == before
    log.record(event(2))
    assert log.verify().ok and log.verify().records == 2


def test_a_failed_fsync_is_an_audit_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", no_fsync)
    with pytest.raises(AuditError, match="Input/output error"):
        AuditLog(tmp_path).record(event())


# Reading back


@pytest.fixture
def mixed(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path)
    rows = [
        (date(2026, 3, 1), "alice@example.org", "commander", "page_view"),
        (date(2026, 3, 2), "bob@example.org", "analyst", "export"),
        (date(2026, 3, 2), "alice@example.org", "commander", "drilldown"),
        (date(2026, 3, 5), "carol@example.org", "mayors_office", "page_view"),
        (date(2026, 3, 9), "bob@example.org", "analyst", "page_view"),
    ]
    for n, (day, user, role, action) in enumerate(rows):
        at = datetime(day.year, day.month, day.day, 10, n, tzinfo=UTC)
        reason = "checking the figures for the board" if action == "drilldown" else ""
        log.record(event(at=at, user=user, role=role, action=action, reason=reason))
    return log


def test_read_filters_by_dates_user_action_and_role(mixed: AuditLog) -> None:
    def who(frame: pd.DataFrame) -> list[str]:
        return [
            f"{a:%d} {u.split('@')[0]} {x}" for a, u, x in frame[["at", "user", "action"]].values
        ]

    assert who(mixed.read()) == [
        "09 bob page_view",
        "05 carol page_view",
        "02 alice drilldown",
        "02 bob export",
        "01 alice page_view",
    ]
    assert who(mixed.read(date(2026, 3, 2), date(2026, 3, 5))) == [
        "05 carol page_view",
        "02 alice drilldown",
        "02 bob export",
    ]
    assert who(mixed.read(since=date(2026, 3, 3))) == ["09 bob page_view", "05 carol page_view"]
    assert who(mixed.read(user="bob@example.org")) == ["09 bob page_view", "02 bob export"]
    assert who(mixed.read(action="page_view", role=["commander", "mayors_office"])) == [
        "05 carol page_view",
        "01 alice page_view",
    ]
    assert who(mixed.read(date(2026, 4, 1))) == []


def test_read_gives_typed_columns_even_when_empty(mixed: AuditLog) -> None:
    frame = mixed.read(date(2030, 1, 1))
    assert list(frame.columns) == [
        "at",
        "user",
        "role",
        "action",
        "page",
        "snapshot",
        "filters",
        "detail",
        "reason",
        "rows",
    ]
    assert str(frame["at"].dtype) == "datetime64[us, UTC]" or "UTC" in str(frame["at"].dtype)
    assert frame.empty


def test_select_matches_read_filters(mixed: AuditLog) -> None:
    everything = mixed.read()
    assert select(everything, user=["bob@example.org"], action="page_view").equals(
        mixed.read(user="bob@example.org", action="page_view")
    )
    assert select(everything, user=[], action=None, role=()).equals(everything)


def test_files_that_are_not_day_files_are_ignored(mixed: AuditLog) -> None:
    (mixed.audit_dir / "notes.txt").write_text("hello")
    (mixed.audit_dir / "2026-13-45.jsonl").write_text("{}\n")
    assert len(mixed.read()) == 5
    assert mixed.verify().ok


# CSV safety


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("alice@example.org", "alice@example.org"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(cell: object, shown: object) -> None:
    assert safe_cell(cell) == shown


def test_a_safe_csv_reads_back_as_text_not_formulas() -> None:
    frame = pd.DataFrame(
        {
            "user": ["=cmd|' /C calc'!A0", "bob@example.org"],
            "rows": pd.array([-3, None], dtype="Int64"),
            "=evil": ["x", "y"],
        }
    )
    text = to_safe_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == [
        "user,rows,'=evil",
        "'=cmd|' /C calc'!A0,-3,x",
        "bob@example.org,,y",
    ]
    assert safe_frame(frame)["rows"].tolist()[0] == -3
    marked = to_safe_csv(frame, "OFFICIAL-SENSITIVE · SYNTHETIC DATA").decode("utf-8-sig")
    assert marked.splitlines()[0] == "# OFFICIAL-SENSITIVE · SYNTHETIC DATA"
    assert marked.splitlines()[1:] == text.splitlines()
    assert pd.read_csv(io.StringIO(marked), skiprows=1)["user"].tolist()[1] == "bob@example.org"
