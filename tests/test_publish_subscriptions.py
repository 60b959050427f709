"""config/subscriptions.toml: the shipped file loads; each bad entry is refused with its line and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassess.cli import main
from reassess.publish.subscriptions import SubscriptionError, load_subscriptions

GOOD = """\
[delivery]
sender = "reassess@example.org"
dashboard_url = "https://reassess.example.org/"
allowed_domains = ["example.org"]

[[readers]]
name = "Briefing desk"
email = "desk@example.org"
role = "mayors_office"
receives = "pack"

[[readers]]
name = "Commander"
email = "Boss@Example.org"
role = "commander"
receives = "both"

[[alerts]]
name = "QA backlog"
kind = "qa_backlog"
threshold = 90
source = "assumption: two weeks of sign-offs"
recipients = ["boss@example.org"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "subscriptions.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_loads() -> None:
    subs = load_subscriptions()
    roles = {r.role for r in subs.readers}
    assert roles == {"mayors_office", "commander", "planner"}
    kinds = {a.kind for a in subs.alerts}
    assert kinds == {
        "p85_finish_after",
        "high_priority_unallocated",
        "qa_backlog",
        "officer_overloaded",
        "reinvestigation_contact",
    }
    assert all(a.source for a in subs.alerts)


def test_a_good_file_is_typed(tmp_path: Path) -> None:
    subs = load_subscriptions(write(tmp_path, GOOD))
    desk, boss = subs.readers
    assert (desk.wants_pack, desk.wants_alerts) == (True, False)
    assert boss.email == "boss@example.org" and boss.line == 12
    assert subs.dashboard_url == "https://reassess.example.org"
    (rule,) = subs.alerts
    assert rule.threshold == 90 and rule.recipients == ("boss@example.org",)
    assert subs.rules_for(boss) == (rule,) and subs.rules_for(desk) == ()


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "words"),
    [
        ('role = "commander"', 'role = "admin"', 15, "role", "'admin' is not a role"),
        (
            'email = "desk@example.org"',
            'email = "desk@gmail.com"',
            8,
            "email",
            "desk@gmail.com is outside the allowed domains (example.org)",
        ),
        ("threshold = 90", 'threshold = "ninety"', 21, "threshold", "a whole number of cases"),
        ("threshold = 90", "threshold = 0", 21, "threshold", "above zero"),
        ('kind = "qa_backlog"', 'kind = "p85_finish_after"', 21, "threshold", "is a date"),
        ('receives = "pack"', 'receives = "weekly"', 10, "receives", "'weekly' is not one of"),
        (
            'recipients = ["boss@example.org"]',
            'recipients = ["desk@example.org"]',
            23,
            "recipients",
            "desk@example.org is not a reader who receives alerts",
        ),
        ('source = "assumption: two weeks of sign-offs"', "", 18, "source", "must be written"),
    ],
)
def test_bad_entries_are_refused_with_line_and_key(
    tmp_path: Path, old: str, new: str, line: int, key: str, words: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(SubscriptionError) as info:
        load_subscriptions(path)
    message = str(info.value)
    assert f"line {line}," in message, message
    assert f"key '{key}'" in message, message
    assert words in message, message
    assert message.endswith("nothing was sent")


def test_the_mayors_office_receives_the_pack_only(tmp_path: Path) -> None:
    text = GOOD.replace('receives = "pack"', 'receives = "both"')
    with pytest.raises(SubscriptionError) as info:
        load_subscriptions(write(tmp_path, text))
    message = str(info.value)
    assert "line 10, [[readers]] 1, key 'receives'" in message
    assert "receives the pack only" in message and "disclosure control" in message


def test_the_p85_rule_takes_a_date(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "qa_backlog"', 'kind = "p85_finish_after"').replace(
        "threshold = 90", "threshold = 2026-09-30"
    )
    (rule,) = load_subscriptions(write(tmp_path, text)).alerts
    assert rule.threshold == date(2026, 9, 30)


def test_publish_refuses_a_bad_file_before_anything(
    tmp_path: Path, demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace('role = "commander"', 'role = "chief"'))
    outbox = tmp_path / "outbox"
    code = main(["publish", "--subscriptions", str(path), "--outbox", str(outbox)])
    err = capsys.readouterr().err
    assert code == 2
    assert "line 15, [[readers]] 2, key 'role'" in err and "nothing was sent" in err
    assert not outbox.exists()
