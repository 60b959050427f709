"""`python -m reassess ingest ... --publish`: one scheduled job that ingests, then publishes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassess.cli import main
from tests.publish_fixtures import SUBSCRIPTIONS, attachments, parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "extract"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("REASSESS_DATA_DIR", str(folder))
    monkeypatch.delenv("REASSESS_DEMO_ROLE", raising=False)
    (tmp_path / "subscriptions.toml").write_text(SUBSCRIPTIONS, encoding="utf-8")
    return folder


def test_ingest_then_publish(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox"
    args = ["ingest", str(EXAMPLE), "--as-of", "2026-01-23", "--synthetic", "--publish"]
    args += ["--subscriptions", str(tmp_path / "subscriptions.toml"), "--outbox", str(outbox)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Wrote " in out and out.count("sent: ") == 3
    files = sorted(p.name for p in outbox.iterdir())
    assert files == [
        "2026-01-23-boss@example.org.eml",
        "2026-01-23-desk@example.org.eml",
        "2026-01-23-plans@example.org.eml",
    ]
    desk = parse(outbox / "2026-01-23-desk@example.org.eml")
    assert list(attachments(desk)) == ["briefing-2026-01-23.pdf"]
    assert "week ending 23 January 2026" in str(desk["Subject"])
    # A second ingest of the next week publishes that week only.
    args[3] = "2026-01-30"
    assert main(args) == 0
    assert len(list(outbox.iterdir())) == 6


def test_a_bad_subscriptions_file_stops_the_job_before_ingest(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SUBSCRIPTIONS.replace('"desk@example.org"', '"desk@elsewhere.com"', 1))
    code = main(
        ["ingest", str(EXAMPLE), "--as-of", "2026-01-23", "--publish", "--subscriptions", str(bad)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "line 8, [[readers]] 1, key 'email'" in err and "outside the allowed domains" in err
    assert not (data / "snapshots").exists() or not any((data / "snapshots").iterdir())


def test_a_dry_run_builds_every_message_and_writes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(EXAMPLE), "--as-of", "2026-01-23", "--synthetic"]) == 0
    capsys.readouterr()
    subs = str(tmp_path / "subscriptions.toml")
    assert main(["publish", "--subscriptions", subs, "--dry-run"]) == 0  # no SMTP host needed
    out = capsys.readouterr().out
    assert out.count("would send: ") == 3
    assert "briefing-2026-01-23.pdf" in out and "resources-and-scenarios-2026-01-23.pdf" in out
    assert not (data / "publish").exists()
    audit = data / "audit"
    assert not audit.exists() or not any(audit.glob("*.jsonl"))


def test_without_a_mail_server_or_outbox_nothing_is_built(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REASSESS_SMTP_HOST", raising=False)
    assert main(["ingest", str(EXAMPLE), "--as-of", "2026-01-23", "--synthetic"]) == 0
    capsys.readouterr()
    assert main(["publish", "--subscriptions", str(tmp_path / "subscriptions.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: REASSESS_SMTP_HOST is not set;") and "--outbox" in err
    assert not (data / "publish").exists()
