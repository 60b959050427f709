"""The audit key: signing records and seals with HMAC-SHA256 (see reassess.store.audit)."""

from __future__ import annotations

import hashlib
import hmac
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reassess.store.audit_events import AuditError


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MIN_KEY_CHARS = 32


@dataclass(frozen=True)
class AuditKey:
    """A secret for signing audit records; `kid` names it in each record (never the secret)."""

    secret: bytes = field(repr=False)
    source: str

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_KEY_CHARS:
            raise AuditError(
                f"the audit key from {self.source} is {len(self.secret)} characters; use at "
                f"least {MIN_KEY_CHARS} random characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`)"
            )

    @property
    def kid(self) -> str:
        """A short public name for the key: the first 12 hex digits of a hash of it."""
        return _sha(b"reassess-audit-kid:" + self.secret)[:12]

    def sign(self, data: bytes) -> str:
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()


KEY_ENV = "REASSESS_AUDIT_KEY"
OLD_KEYS_ENV = "REASSESS_AUDIT_OLD_KEYS"


def load_keys(
    environ: Mapping[str, str], secrets_file: Path | None = None
) -> tuple[AuditKey | None, tuple[AuditKey, ...]]:
    """The signing key and earlier keys, from the environment, else `[audit]` in the secrets file.

    REASSESS_AUDIT_KEY / `key` signs new records; REASSESS_AUDIT_OLD_KEYS (comma-separated) /
    `old_keys` only verify records signed before a rotation.
    """
    if environ.get(KEY_ENV):
        old = [k for k in environ.get(OLD_KEYS_ENV, "").split(",") if k.strip()]
        return (
            AuditKey(environ[KEY_ENV].strip().encode(), f"${KEY_ENV}"),
            tuple(AuditKey(k.strip().encode(), f"${OLD_KEYS_ENV}") for k in old),
        )
    if secrets_file is None or not secrets_file.is_file():
        return None, ()
    try:
        section = tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("audit", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuditError(f"could not read the audit key from {secrets_file}: {exc}") from exc
    where = f"{secrets_file} [audit]"
    key = section.get("key")
    old = section.get("old_keys", [])
    if not isinstance(old, list) or not all(isinstance(k, str) for k in old):
        raise AuditError(f'{where} old_keys must be a list of strings, e.g. old_keys = ["..."]')
    return (
        AuditKey(str(key).encode(), f"{where} key") if key else None,
        tuple(AuditKey(k.encode(), f"{where} old_keys") for k in old),
    )


def _signed_body(record: dict[str, Any]) -> bytes:
    """The bytes a record's `mac` signs: the record without `mac`, canonical JSON."""
    body = {k: v for k, v in record.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _seal_text(file: str, lines: int, sha256: str) -> bytes:
    return f"reassess-audit-seal:{file}:{lines}:{sha256}".encode()
