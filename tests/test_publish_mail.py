"""The SMTP settings from the environment, and a login against a real loopback server."""

from __future__ import annotations

from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from reassess.config import ConfigError
from reassess.publish.mail import MailError, SmtpSender, message, smtp_settings
from reassess.publish.packs import Attachment
from tests.publish_fixtures import Inbox, attachments, body_of, free_port


def test_settings_from_the_environment() -> None:
    cfg = smtp_settings(
        {
            "REASSESS_SMTP_HOST": "smtp.example.org",
            "REASSESS_SMTP_PORT": "587",
            "REASSESS_SMTP_STARTTLS": "yes",
            "REASSESS_SMTP_USER": "reassess",
            "REASSESS_SMTP_PASSWORD": "secret",
        }
    )
    assert (cfg.host, cfg.port, cfg.starttls, cfg.user, cfg.timeout) == (
        "smtp.example.org",
        587,
        True,
        "reassess",
        30.0,
    )
    assert smtp_settings({"REASSESS_SMTP_HOST": "mail"}).port == 25


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({}, "REASSESS_SMTP_HOST is not set"),
        ({"REASSESS_SMTP_HOST": "m", "REASSESS_SMTP_PORT": "smtp"}, "REASSESS_SMTP_PORT='smtp'"),
        ({"REASSESS_SMTP_HOST": "m", "REASSESS_SMTP_STARTTLS": "maybe"}, "must be 1 or 0"),
        ({"REASSESS_SMTP_HOST": "m", "REASSESS_SMTP_USER": "u"}, "both REASSESS_SMTP_USER"),
        (
            {"REASSESS_SMTP_HOST": "m", "REASSESS_SMTP_USER": "u", "REASSESS_SMTP_PASSWORD": "p"},
            "needs REASSESS_SMTP_STARTTLS=1",
        ),
    ],
)
def test_bad_settings_are_refused_by_name(env: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        smtp_settings(env)


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"reassess", b"right")
    return AuthResult(success=ok, handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("password", ["right", "wrong"])
def test_a_login_on_loopback(password: str) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    try:
        env = {
            "REASSESS_SMTP_HOST": "127.0.0.1",
            "REASSESS_SMTP_PORT": str(port),
            "REASSESS_SMTP_USER": "reassess",
            "REASSESS_SMTP_PASSWORD": password,
        }
        sender = SmtpSender(smtp_settings(env))
        msg = message(
            "reassess@example.org",
            "boss@example.org",
            "[OFFICIAL-SENSITIVE] Weekly pack",
            "Body.\n",
            (Attachment("pack.pdf", "application/pdf", b"%PDF-1.4 test"),),
            "OFFICIAL-SENSITIVE",
            "2026-06-26",
        )
        if password == "right":
            assert sender.send(msg) == f"SMTP 127.0.0.1:{port}"
            ((rcpt, got),) = inbox.messages
            assert rcpt == ["boss@example.org"] and body_of(got).strip() == "Body."
            assert attachments(got) == {"pack.pdf": b"%PDF-1.4 test"}
        else:
            with pytest.raises(MailError, match="refused the login for reassess") as info:
                sender.send(msg)
            assert info.value.fatal and "\n" not in str(info.value)
            assert inbox.messages == []
        sender.close()
    finally:
        controller.stop()
