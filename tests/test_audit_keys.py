"""The keyed audit chain: signed records and seals catch what a plain hash chain cannot."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from reassess.store.audit import (
    AuditError,
    AuditEvent,
    AuditKey,
    AuditLog,
    genesis,
    load_keys,
)

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 3, 6)
AT = datetime(2026, 3, 6, 9, 30, tzinfo=UTC)
KEY = AuditKey(b"k" * 40, "test")
OLD = AuditKey(b"o" * 40, "test (old)")


def event(n: int) -> AuditEvent:
    return AuditEvent(
        user="alice@example.org",
        role="commander",
        action="page_view",
        page="overview",
        detail=f"item {n}",
        at=AT + timedelta(seconds=n),
    )


def keyed(tmp_path: Path, key: AuditKey = KEY, n: int = 6) -> AuditLog:
    log = AuditLog(tmp_path, key)
    for i in range(n):
        log.record(event(i))
    return log


def rechain(path: Path, edit_line: int, old: bytes, new: bytes) -> None:
    """Edit one line and recompute every later prev hash, as someone without the key could."""
    lines = path.read_bytes().split(b"\n")[:-1]
    lines[edit_line - 1] = lines[edit_line - 1].replace(old, new)
    prev = genesis(DAY)
    out = []
    for raw in lines:
        obj = json.loads(raw)
        obj["prev"] = prev
        line = json.dumps(obj, separators=(",", ":"), ensure_ascii=True).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    path.write_bytes(b"".join(line + b"\n" for line in out))


def test_keyed_records_carry_a_key_id_and_signature_and_the_file_a_seal(tmp_path: Path) -> None:
    log = keyed(tmp_path)
    records = [json.loads(x) for x in log.path_for(DAY).read_text().splitlines()]
    assert {r["kid"] for r in records} == {KEY.kid} and all(len(r["mac"]) == 64 for r in records)
    assert KEY.secret.decode() not in log.path_for(DAY).read_text()
    seal = json.loads(log.seal_path(DAY).read_text())
    assert seal["lines"] == 6 and seal["kid"] == KEY.kid
    result = log.verify()
    assert result.ok and result.signed == 6 and result.keyed
    assert result.summary() == (
        "Audit chain intact and every signature and seal checks: 6 records in 1 file."
    )


def test_an_edited_and_rechained_file_passes_without_the_key_and_fails_with_it(
    tmp_path: Path,
) -> None:
    keyed(tmp_path)
    rechain(tmp_path / "2026-03-06.jsonl", 3, b"item 2", b"item X")

    unkeyed = AuditLog(tmp_path).verify()
    assert unkeyed.ok  # the chain alone cannot tell
    assert "Without the audit key this cannot prove that no line was edited" in unkeyed.summary()
    assert "6 of them signed, whose signatures cannot be checked" in unkeyed.summary()

    result = AuditLog(tmp_path, KEY).verify()
    assert not result.ok
    # The edited line, and every re-chained line after it (prev is part of what is signed).
    signature = "its signature does not match: the line was edited after signing"
    assert [(p.line, p.problem) for p in result.problems] == [
        *((n, signature) for n in (3, 4, 5, 6)),
        (6, "the file does not end where its seal says it does"),
    ]


def test_removing_the_newest_lines_breaks_the_seal(tmp_path: Path) -> None:
    log = keyed(tmp_path)
    path = log.path_for(DAY)
    path.write_bytes(b"".join(x + b"\n" for x in path.read_bytes().split(b"\n")[:-3]))
    assert AuditLog(tmp_path).verify().ok
    problems = AuditLog(tmp_path, KEY).verify().problems
    assert [p.problem for p in problems] == [
        "the seal records 6 lines but the file has 4: the newest lines were removed"
    ]
    log.seal_path(DAY).unlink()
    assert [p.problem for p in AuditLog(tmp_path, KEY).verify().problems] == [
        "its seal is missing: the newest lines cannot be checked"
    ]


def test_stripped_signatures_and_a_deleted_file_are_seen_with_the_key(tmp_path: Path) -> None:
    log = keyed(tmp_path, n=2)
    path = log.path_for(DAY)
    stripped = []
    for raw in path.read_text().splitlines():
        obj = json.loads(raw)
        obj.pop("mac"), obj.pop("kid")
        stripped.append(json.dumps(obj, separators=(",", ":")))
    path.write_text("\n".join(stripped) + "\n")
    rechain(path, 1, b"item 0", b"item 0")
    problems = AuditLog(tmp_path, KEY).verify().problems
    assert [p.problem for p in problems] == ["the line is not signed, but the trail is keyed"] * 2
    path.unlink()
    problems = AuditLog(tmp_path, KEY).verify().problems
    assert [p.problem for p in problems] == ["the file is gone, but its seal is still there"]


def test_records_signed_before_a_rotation_verify_with_the_old_key_listed(tmp_path: Path) -> None:
    keyed(tmp_path, OLD, n=3)
    rotated = AuditLog(tmp_path, KEY, (OLD,))
    rotated.record(event(10))
    assert rotated.verify().ok
    problems = AuditLog(tmp_path, KEY).verify().problems
    assert {p.problem for p in problems} == {
        f"signed with key {OLD.kid!r}, which is not configured"
    }


def test_real_data_refuses_an_unkeyed_record(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, None, require_key=True)
    with pytest.raises(AuditError, match="the audit key is not set, and these are real"):
        log.record(event(0))
    assert not log.path_for(DAY).exists()
    AuditLog(tmp_path, KEY, require_key=True).record(event(0))


def test_keys_come_from_the_environment_or_the_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[audit]\nkey = "{"s" * 40}"\nold_keys = ["{"t" * 40}"]\n')
    key, old = load_keys({}, secrets)
    assert key is not None and key.secret == b"s" * 40 and [k.secret for k in old] == [b"t" * 40]
    key, old = load_keys(
        {"REASSESS_AUDIT_KEY": "e" * 40, "REASSESS_AUDIT_OLD_KEYS": f"{'f' * 40}, {'g' * 40}"},
        secrets,
    )
    assert key is not None and key.source == "$REASSESS_AUDIT_KEY" and len(old) == 2
    assert load_keys({}, tmp_path / "none.toml") == (None, ())
    with pytest.raises(AuditError, match="is 5 characters; use at least 32"):
        load_keys({"REASSESS_AUDIT_KEY": "short"})
    assert repr(KEY).count("k" * 40) == 0  # the secret never shows in a repr


def test_the_cli_verifies_signatures_with_the_key_from_the_environment(tmp_path: Path) -> None:
    keyed(tmp_path / "audit")
    rechain(tmp_path / "audit" / "2026-03-06.jsonl", 2, b"item 1", b"item Z")
    env = {**os.environ, "REASSESS_DATA_DIR": str(tmp_path)}
    env.pop("REASSESS_AUDIT_KEY", None)
    run = [sys.executable, "-m", "reassess", "audit", "--verify"]
    plain = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
    assert plain.returncode == 0 and "cannot prove" in plain.stdout
    env["REASSESS_AUDIT_KEY"] = KEY.secret.decode()
    checked = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
    assert checked.returncode == 1
    assert "2026-03-06.jsonl, line 2: its signature does not match" in checked.stderr
