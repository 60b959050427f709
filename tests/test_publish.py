"""python -m reassess publish against a real SMTP server on loopback, over the demo's snapshots."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from reassess.cli import main
from reassess.disclosure.tables import default_rules
from reassess.store.audit import REF_LIKE_RE, utc_now
from tests.publish_fixtures import (
    Inbox,
    attachments,
    body_of,
    data_folder,
    free_port,
    smtp_server,
)

pytestmark = pytest.mark.slow
LATEST = "2026-06-26"
MARKING = "OFFICIAL-SENSITIVE · SYNTHETIC DATA"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def publish(tmp: Path, *extra: str) -> int:
    return main(["publish", "--subscriptions", str(tmp / "subscriptions.toml"), *extra])


@dataclass
class Runs:
    tmp: Path
    first: list[tuple[list[str], EmailMessage]]
    second: list[tuple[list[str], EmailMessage]]
    codes: tuple[int, int]
    second_out: str


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Iterator[Runs]:
    """Publish the latest snapshot twice to a loopback server."""
    tmp = tmp_path_factory.mktemp("publish")
    data = data_folder(tmp, demo_dir)
    with pytest.MonkeyPatch.context() as mp, smtp_server() as (inbox, port):
        mp.setenv("REASSESS_DATA_DIR", str(data))
        mp.delenv("REASSESS_DEMO_ROLE", raising=False)
        mp.setenv("REASSESS_SMTP_HOST", "127.0.0.1")
        mp.setenv("REASSESS_SMTP_PORT", str(port))
        first_code = publish(tmp)
        first = list(inbox.messages)
        capture = io.StringIO()
        mp.setattr("sys.stdout", capture)
        second_code = publish(tmp)
        mp.undo()
        yield Runs(
            tmp,
            first,
            list(inbox.messages[len(first) :]),
            (first_code, second_code),
            capture.getvalue(),
        )


def only(inbox: list[tuple[list[str], EmailMessage]], address: str) -> EmailMessage:
    found = [m for rcpt, m in inbox if address in rcpt]
    assert len(found) == 1, (address, len(found))
    return found[0]


def test_one_message_per_reader_with_the_attachment_for_the_role(runs: Runs) -> None:
    assert runs.codes[0] == 0
    assert sorted(r for rcpt, _ in runs.first for r in rcpt) == [
        "boss@example.org",
        "desk@example.org",
        "plans@example.org",
    ]
    files = {
        addr: sorted(attachments(only(runs.first, addr)))
        for addr in ("desk", "boss", "plans")
        for addr in [f"{addr}@example.org"]
    }
    assert files == {
        "desk@example.org": [f"briefing-{LATEST}.pdf"],
        "boss@example.org": [f"briefing-{LATEST}.pdf", f"weekly-pack-{LATEST}.pdf"],
        "plans@example.org": [f"resources-and-scenarios-{LATEST}.pdf"],
    }
    for _, msg in runs.first:
        assert str(msg["Subject"]).startswith(f"[{MARKING}] ")
        assert "as at" not in str(msg["Subject"])  # the latest snapshot
        assert msg["X-Protective-Marking"] == MARKING
        for name, data in attachments(msg).items():
            assert data.startswith(b"%PDF"), name
            assert MARKING in pdf_text(data), name
    roles = {
        "desk@example.org": "Mayor's office (MOPAC)",
        "boss@example.org": "Commander",
        "plans@example.org": "Planner",
    }
    for address, role in roles.items():
        assert f"built as the {role} role" in body_of(only(runs.first, address))
    # The commander's pack holds team-level figures; the planner's the FTE and scenarios.
    boss_pdf = pdf_text(
        attachments(only(runs.first, "boss@example.org"))[f"weekly-pack-{LATEST}.pdf"]
    )
    assert "Workload by team" in boss_pdf and "Review Team 1" in boss_pdf
    plans_pdf = pdf_text(
        attachments(only(runs.first, "plans@example.org"))[f"resources-and-scenarios-{LATEST}.pdf"]
    )
    assert "FTE in post and available" in plans_pdf and "Saved scenarios" in plans_pdf


def test_the_mayors_office_message_has_no_reference_and_only_disclosed_counts(
    runs: Runs, demo_dir: Path
) -> None:
    msg = only(runs.first, "desk@example.org")
    text = body_of(msg)
    pdf = pdf_text(attachments(msg)[f"briefing-{LATEST}.pdf"])
    con = duckdb.connect(str(demo_dir / "snapshots" / f"{LATEST}.duckdb"), read_only=True)
    refs = {r for (r,) in con.execute("select officer_ref from officers").fetchall()}
    refs |= {r for (r,) in con.execute("select case_ref from cases").fetchall()}
    in_scope, assessed = con.execute("select count(*), count(completed_date) from cases").fetchone()  # type: ignore[misc]
    con.close()
    for words in (text, pdf):
        assert not REF_LIKE_RE.findall(words)
        tokens = set(re.findall(r"[A-Z]{2,}[-/_][A-Z0-9/_-]+", words))
        assert not tokens & refs
    assert "Alert" not in text and "alert" not in text  # pack only, no team-level alerts
    # Every count in the summary is rounded to the base (the public grand total excepted).
    base = default_rules().rounding_base
    dates = (
        r"https?://\S+|\d{4}-\d{2}-\d{2}|\d+%"
        r"|\b\d{1,2}( [A-Z][a-z]+)? and \d{1,2} [A-Z][a-z]+ \d{4}|\b\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}"
    )
    counts = re.sub(dates, "", text)
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", counts)]
    assert numbers, text
    assert all(n % base == 0 or n == in_scope for n in numbers), numbers
    assert f"{assessed:,}" not in text or assessed % base == 0


def test_a_second_run_sends_nothing_new(runs: Runs) -> None:
    assert runs.codes[1] == 0
    assert runs.second == []
    assert runs.second_out.count("already sent:") == 3


def test_every_delivery_is_in_the_audit(
    runs: Runs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REASSESS_DATA_DIR", str(runs.tmp / "data"))
    capsys.readouterr()
    today = utc_now().date().isoformat()
    assert main(["audit", "--since", today, "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    deliveries = [e for e in events if e["action"] == "delivery"]
    assert sorted((e["user"], e["role"]) for e in deliveries) == [
        ("boss@example.org", "commander"),
        ("desk@example.org", "mayors_office"),
        ("plans@example.org", "planner"),
    ]
    assert all(e["snapshot"] == LATEST and e["page"] == "publish" for e in deliveries)
    desk = next(e for e in deliveries if e["role"] == "mayors_office")
    assert desk["detail"].startswith("the disclosure-controlled briefing: briefing-")
    raised = [e for e in events if e["action"] == "alert_raised"]
    assert [e["detail"].split(":")[0] for e in raised] == [
        "P85 finish later than the funded end date"
    ]
    assert main(["audit", "--verify"]) == 0


def test_smtp_down_then_the_next_run_sends_what_is_owed(
    tmp_path: Path,
    demo_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = data_folder(tmp_path, demo_env)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    monkeypatch.setenv("REASSESS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REASSESS_SMTP_PORT", str(free_port()))  # nothing listens there
    assert publish(tmp_path, "--snapshot", "2026-06-19") == 1
    err = capsys.readouterr().err
    assert "could not be reached (connection refused); still owed" in err
    assert "Traceback" not in err
    record = (
        json.loads((data / "publish" / "deliveries.json").read_text())
        if (data / "publish" / "deliveries.json").exists()
        else {"deliveries": {}}
    )
    assert record["deliveries"] == {}
    inbox: Inbox
    with smtp_server() as (inbox, port):
        inbox.refuse.add("plans@example.org")
        monkeypatch.setenv("REASSESS_SMTP_PORT", str(port))
        assert publish(tmp_path, "--snapshot", "2026-06-19") == 1  # the planner's is refused
        assert sorted(r for rcpt, _ in inbox.messages for r in rcpt) == [
            "boss@example.org",
            "desk@example.org",
        ]
        subject = str(inbox.messages[0][1]["Subject"])
        assert "as at 19 June 2026 (not the latest snapshot)" in subject
        inbox.refuse.clear()
        assert publish(tmp_path, "--snapshot", "2026-06-19") == 0
        assert [rcpt for rcpt, _ in inbox.messages[2:]] == [["plans@example.org"]]
        assert publish(tmp_path, "--snapshot", "2026-06-19", "--resend") == 0
        assert len(inbox.messages) == 6
    capsys.readouterr()
    assert main(["audit", "--since", utc_now().date().isoformat(), "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failed = [e["user"] for e in events if e["action"] == "delivery_failed"]
    assert sorted(failed) == ["desk@example.org", "plans@example.org"]
    assert len([e for e in events if e["action"] == "delivery"]) == 6
