"""A real SMTP server on loopback (aiosmtpd) and a data folder over the shared demo's snapshots."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

SUBSCRIPTIONS = """\
[delivery]
sender = "reassess@example.org"
dashboard_url = "https://reassess.example.org"
allowed_domains = ["example.org"]

[[readers]]
name = "Briefing desk"
email = "desk@example.org"
role = "mayors_office"
receives = "pack"

[[readers]]
name = "Commander"
email = "boss@example.org"
role = "commander"
receives = "both"

[[readers]]
name = "Planner"
email = "plans@example.org"
role = "planner"
receives = "both"

[[alerts]]
name = "P85 finish later than the funded end date"
kind = "p85_finish_after"
threshold = 2026-09-30
source = "test: the funded end date"
recipients = ["boss@example.org", "plans@example.org"]

[[alerts]]
name = "QA backlog in one team"
kind = "qa_backlog"
threshold = 90
source = "test: two weeks of sign-offs"
recipients = ["boss@example.org"]
"""


@dataclass
class Inbox:
    """What the server received: one (envelope recipients, parsed message) per message."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 for the length of the block."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def data_folder(tmp: Path, demo_dir: Path, subscriptions: str = SUBSCRIPTIONS) -> Path:
    """A data folder of its own (publish record, alert state, audit) over the demo's snapshots."""
    data = tmp / "data"
    data.mkdir()
    (data / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    (tmp / "subscriptions.toml").write_text(subscriptions, encoding="utf-8")
    return data


def body_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {str(a.get_filename()): bytes(a.get_content()) for a in msg.iter_attachments()}


def parse(path: Path) -> EmailMessage:
    """An .eml file from the outbox."""
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg
