"""The alerts fire on the demo's real events (its December dip, its QA backlog) and do not repeat."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassess.cli import main
from reassess.config import programme
from reassess.publish.alerts import AlertReport, AlertState, Plans, evaluate
from reassess.publish.subscriptions import load_subscriptions
from reassess.snapshot.listing import list_snapshots
from reassess.snapshot.runner import Database
from tests.publish_fixtures import SUBSCRIPTIONS, attachments, body_of, data_folder, parse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, AlertReport], AlertState]:
    """The shipped rules, evaluated week by week from late November to mid April."""
    listing = list_snapshots(demo_dir / "snapshots")
    db = Database()
    subs = load_subscriptions()
    plans = Plans(db, programme())
    state = AlertState(tmp_path_factory.mktemp("alerts"))
    out = {}
    for snap in listing.snapshots:
        if "2025-11-21" <= snap.label <= "2026-04-17":
            out[snap.label], _ = evaluate(
                db, listing, snap, listing.previous(snap), subs, plans, state
            )
    return out, state


def states(reports: dict[str, AlertReport], kind: str) -> dict[str, str]:
    return {label: a.state for label, r in reports.items() for a in r.alerts if a.kind == kind}


def test_the_december_dip_raises_the_p85_alert_once(
    reports: tuple[dict[str, AlertReport], AlertState],
) -> None:
    by, _ = reports
    p85 = states(by, "p85_finish_after")
    assert "2025-11-28" not in p85  # the P85 was still before 30 September 2026
    assert p85["2025-12-05"] == "new"
    assert [s for label, s in p85.items() if s == "new"] == ["new"]
    assert all(p85[label] == "open" for label in by if label > "2025-12-05")
    (alert,) = [a for a in by["2025-12-05"].alerts if a.kind == "p85_finish_after"]
    assert "after 30 September 2026" in alert.excess
    assert alert.since == "since this snapshot (5 December 2025)"
    later = next(a for a in by["2026-01-09"].alerts if a.kind == "p85_finish_after")
    assert later.since == "since 5 December 2025"
    assert later.link.startswith("https://reassess.example.org/overview?snapshot=2026-01-09")


def test_the_qa_backlog_is_raised_in_march_and_resolved_once(
    reports: tuple[dict[str, AlertReport], AlertState],
) -> None:
    by, state = reports
    qa = states(by, "qa_backlog")
    assert qa == {
        "2026-03-13": "new",
        "2026-03-20": "open",
        "2026-03-27": "open",
        "2026-04-03": "open",
        "2026-04-10": "resolved",
    }
    (raised,) = [a for a in by["2026-03-13"].alerts if a.kind == "qa_backlog"]
    assert "await QA in Review Team 2" in raised.text
    assert "more than the threshold" in raised.excess
    assert raised.before.startswith("at 6 March 2026, ")
    assert "throughput?snapshot=2026-03-13&compare=2026-03-06&split=team" in raised.link
    (worst,) = [a for a in by["2026-03-27"].alerts if a.kind == "qa_backlog"]
    assert worst.text.startswith("175 cases await QA in Review Team 2")
    assert worst.since == "since 13 March 2026"
    assert not any(r.startswith("qa_backlog") for r in state.episodes)


def test_a_reports_alerts_name_no_officer_or_case(
    reports: tuple[dict[str, AlertReport], AlertState],
) -> None:
    by, _ = reports
    overloaded = [a for r in by.values() for a in r.alerts if a.kind == "officer_overloaded"]
    assert overloaded and all("PPO-" not in a.text and "SYN-" not in a.text for a in overloaded)
    assert overloaded[0].text == "1 officer holds more than 25 open cases, in Review Team 1 (1)"


def test_a_raised_alert_is_listed_as_still_open_in_the_next_message(
    tmp_path: Path, demo_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    duty = """
[[readers]]
name = "Duty inspector"
email = "duty@example.org"
role = "commander"
receives = "alerts"
"""
    text = SUBSCRIPTIONS.replace("[[alerts]]", duty + "\n[[alerts]]", 1)
    text = text.replace(
        'recipients = ["boss@example.org"]', 'recipients = ["boss@example.org", "duty@example.org"]'
    )
    data = data_folder(tmp_path, demo_env, text)
    monkeypatch.setenv("REASSESS_DATA_DIR", str(data))
    outbox = tmp_path / "outbox"
    for label in ("2026-03-13", "2026-03-20"):
        code = main(
            [
                "publish",
                "--snapshot",
                label,
                "--subscriptions",
                str(tmp_path / "subscriptions.toml"),
                "--outbox",
                str(outbox),
            ]
        )
        assert code == 0
    first, second = (
        body_of(parse(outbox / f"{label}-boss@example.org.eml"))
        for label in ("2026-03-13", "2026-03-20")
    )
    new = first.split("New alerts:")[1]
    assert "- QA backlog in one team: 109 cases await QA in Review Team 2" in new
    assert "Still open (raised before, not raised again):\n- P85" in second
    assert "- QA backlog in one team: 153 cases await QA" in second.split("Still open")[1]
    assert "New alerts" not in second
    assert "as at 20 March 2026" in second
    # The alerts-only reader hears of the QA backlog once, with no attachment.
    duty_first = parse(outbox / "2026-03-13-duty@example.org.eml")
    assert attachments(duty_first) == {}
    assert str(duty_first["Subject"]) == (
        "[OFFICIAL-SENSITIVE · SYNTHETIC DATA] Alerts, as at 13 March 2026: 1 new, 0 resolved"
    )
    words = body_of(duty_first)
    assert "- QA backlog in one team: 109 cases await QA" in words and "P85" not in words
    assert "Marking: OFFICIAL-SENSITIVE · SYNTHETIC DATA" in words
    assert not (outbox / "2026-03-20-duty@example.org.eml").exists()  # nothing new to say
