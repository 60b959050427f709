"""Argument types shared by the commands."""

from __future__ import annotations

import argparse
from datetime import date


def parse_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates with a helpful error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-26"
        ) from None
