"""Files written whole or not at all: a temporary file in the same folder, fsynced, renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, data: bytes, *, make_folder: bool = False, sync_folder: bool = False
) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename, so a reader
    sees the old file or the new one, never a part. ``make_folder`` creates the folder first;
    ``sync_folder`` also fsyncs the folder, so the rename itself survives a power cut."""
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


__all__ = ["write_atomic"]
