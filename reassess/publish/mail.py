"""The messages: built as MIME, sent over SMTP or written to an outbox as .eml (no Streamlit).

SMTP settings come from the environment, read once per run into `SmtpSettings`:
REASSESS_SMTP_HOST, REASSESS_SMTP_PORT (default 25), REASSESS_SMTP_STARTTLS (1/true/yes to
upgrade the connection before anything is sent), REASSESS_SMTP_USER and
REASSESS_SMTP_PASSWORD (both or neither; a login needs STARTTLS unless the host is loopback),
REASSESS_SMTP_TIMEOUT (seconds, default 30). A refused or unreachable server is a `MailError`
in one line; the caller keeps what was already delivered and stops.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from reassess.config import ConfigError
from reassess.publish.packs import Attachment
from reassess.store.audit import utc_now
from reassess.store.files import write_atomic

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")


class MailError(Exception):
    """The mail server refused a message, or could not be reached (`fatal`: stop the run)."""

    def __init__(self, text: str, *, fatal: bool = True) -> None:
        super().__init__(text)
        self.fatal = fatal


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send (environment REASSESS_SMTP_*)."""

    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    timeout: float

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """SMTP settings from the environment; a ConfigError naming the variable when malformed."""
    env = os.environ if environ is None else environ
    host = env.get("REASSESS_SMTP_HOST", "").strip()
    if not host:
        raise ConfigError(
            "REASSESS_SMTP_HOST is not set; set it (and REASSESS_SMTP_PORT) to your mail "
            "server, or give --outbox FOLDER to write the messages as .eml files; nothing was sent"
        )
    port_text = env.get("REASSESS_SMTP_PORT", "25").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(
            f"REASSESS_SMTP_PORT={port_text!r} is not a port number (1-65535); nothing was sent"
        )
    tls_text = env.get("REASSESS_SMTP_STARTTLS", "").strip().lower()
    if tls_text not in TRUE_WORDS + FALSE_WORDS:
        raise ConfigError(
            f"REASSESS_SMTP_STARTTLS={tls_text!r} must be 1 or 0 (true or false); nothing was sent"
        )
    user = env.get("REASSESS_SMTP_USER") or None
    password = env.get("REASSESS_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise ConfigError(
            "set both REASSESS_SMTP_USER and REASSESS_SMTP_PASSWORD, or neither; nothing was sent"
        )
    starttls = tls_text in TRUE_WORDS
    if user and not starttls and not _loopback(host):
        raise ConfigError(
            "a login (REASSESS_SMTP_USER) needs REASSESS_SMTP_STARTTLS=1, so the password is "
            "not sent in the clear; nothing was sent"
        )
    timeout_text = env.get("REASSESS_SMTP_TIMEOUT", "30").strip()
    try:
        timeout = float(timeout_text)
    except ValueError:
        timeout = -1.0
    if timeout <= 0:
        raise ConfigError(f"REASSESS_SMTP_TIMEOUT={timeout_text!r} is not a number of seconds")
    return SmtpSettings(host, int(port_text), starttls, user, password, timeout)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def message(
    sender: str,
    to: str,
    subject: str,
    body: str,
    attachments: tuple[Attachment, ...],
    marking: str,
    snapshot_label: str,
) -> EmailMessage:
    """One message: plain text, the marking as a header and in the subject, files attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utc_now())
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[1])
    msg["X-Protective-Marking"] = marking
    msg["X-Reassess-Snapshot"] = snapshot_label
    msg.set_content(body)
    for a in attachments:
        maintype, subtype = a.mime.split("/", 1)
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


class SmtpSender:
    """One SMTP connection for a run, opened on first use."""

    def __init__(self, cfg: SmtpSettings) -> None:
        self.cfg = cfg
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        try:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.user and cfg.password:
                smtp.login(cfg.user, cfg.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"the mail server {cfg.where} refused the login for {cfg.user} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}); check REASSESS_SMTP_USER and "
                "REASSESS_SMTP_PASSWORD"
            ) from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            raise MailError(
                f"the mail server {cfg.where} could not be reached ({_why(exc)})"
            ) from None
        return smtp

    def send(self, msg: EmailMessage) -> str:
        """Hand one message to the server; how it went, in words. MailError when refused."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = "; ".join(_reply(c, m) for c, m in exc.recipients.values())
            raise MailError(
                f"the mail server {self.cfg.where} refused {msg['To']} ({codes})", fatal=False
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise MailError(
                f"the mail server {self.cfg.where} did not take the message to {msg['To']} "
                f"({_why(exc)})"
            ) from None
        if refused:
            raise MailError(
                f"the mail server {self.cfg.where} refused {', '.join(refused)}", fatal=False
            )
        return f"SMTP {self.cfg.where}"

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


class OutboxSender:
    """Writes each message as an .eml file in a folder (atomically), for another mailer to send."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, msg: EmailMessage) -> str:
        name = re.sub(r"[^A-Za-z0-9.@_-]+", "_", f"{msg['X-Reassess-Snapshot']}-{msg['To']}")
        path = self.folder / f"{name}.eml"
        try:
            write_bytes_atomic(path, bytes(msg))
        except OSError as exc:
            raise MailError(f"{path} could not be written ({exc.strerror or exc})") from None
        return f"outbox {path}"

    def close(self) -> None:
        return None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Bytes through a temporary file and a rename, the folder made first."""
    write_atomic(path, data, make_folder=True)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words}".strip()


def _why(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).splitlines()[0]


__all__ = [
    "MailError",
    "OutboxSender",
    "SmtpSender",
    "SmtpSettings",
    "message",
    "smtp_settings",
]
