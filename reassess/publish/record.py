"""What was sent to whom, for which snapshot: a JSON file in the data folder (no Streamlit).

`<data>/publish/deliveries.json` holds one entry per snapshot and reader address: when it went,
as which role, what it held, and how (SMTP or the outbox). An entry is written only after the
message was handed over, and the file is replaced atomically (a temporary file in the same
folder, fsynced, renamed), so after a crash, a refused message or a full disk the record still
says exactly what was delivered; the next run sends what is owed. `publish_lock` keeps two runs
from delivering at once.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reassess.config import ConfigError
from reassess.store.files import write_atomic

RECORD_FILE = "deliveries.json"
LOCK_FILE = ".publish.lock"
VERSION = 1


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON through a temporary file in the same folder, fsynced, then renamed into place."""
    body = json.dumps(data, indent=1, sort_keys=True, default=str).encode("utf-8")
    write_atomic(path, body, make_folder=True, sync_folder=True)


def read_json(path: Path, what: str) -> dict[str, Any]:
    """A JSON object from the data folder, {} when the file is not there yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path} ({what}) is not readable JSON ({exc}); restore it from a backup, or move it "
            "aside to start again (everything would then be sent again)"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} ({what}) does not hold a JSON object; restore it from a backup")
    return data


@contextmanager
def publish_lock(folder: Path) -> Iterator[None]:
    """Hold the publishing lock of a data folder; refuse at once if another run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"another publish run is delivering from {folder} now; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class DeliveryRecord:
    """The deliveries file, read once per run and rewritten after each delivery."""

    path: Path
    entries: dict[str, dict[str, dict[str, Any]]]

    @classmethod
    def open(cls, folder: Path) -> DeliveryRecord:
        path = folder / RECORD_FILE
        data = read_json(path, "the record of deliveries")
        entries = data.get("deliveries", {})
        if not isinstance(entries, dict):
            raise ConfigError(f"{path}: 'deliveries' is not an object; restore it from a backup")
        return cls(path, entries)

    def sent(self, snapshot: str, email: str) -> dict[str, Any] | None:
        """The entry for a snapshot and reader, or None when it is still owed."""
        return self.entries.get(snapshot, {}).get(email)

    def mark(self, snapshot: str, email: str, entry: dict[str, Any]) -> None:
        """Record one delivery and write the file (atomically) before anything else is sent."""
        self.entries.setdefault(snapshot, {})[email] = entry
        write_json_atomic(self.path, {"version": VERSION, "deliveries": self.entries})
