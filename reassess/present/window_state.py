"""The forecast window: one lever shared by every page, kept in the URL (no Streamlit).

The window is how many recent weeks the planning model measures the pace over. Its default is
``throughput_window_weeks`` in config/programme.toml; a link carries it as ``window=8``. A
value from a link is checked against the options offered: anything else is refused with a
message saying what and why, and the default is used.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

WINDOW_KEY = "window"
"""The query parameter and the widget key of the forecast window."""
OPTIONS = (4, 6, 8, 10, 12, 16, 26)
"""Weeks offered (the configured default is added when it is not one of them)."""
LABEL = "Forecast window (weeks)"
HELP = (
    "The forecast measures the team's pace over this many recent weeks (fewer in the first "
    "weeks of the programme). The same window is used on every page; the default is "
    "throughput_window_weeks in config/programme.toml."
)


def window_options(default: int) -> tuple[int, ...]:
    """The weeks offered, including the configured default, in order."""
    return tuple(sorted({*OPTIONS, int(default)}))


def read_window(params: Mapping[str, Any], default: int) -> tuple[int, str | None]:
    """The window a link asks for, or the default and why the link's value was refused."""
    raw = params.get(WINDOW_KEY)
    if raw is None:
        return int(default), None
    text = str(raw[-1] if isinstance(raw, (list, tuple)) and raw else raw).strip()
    options = window_options(default)
    if text.isdigit() and int(text) in options:
        return int(text), None
    shown = "".join(ch for ch in text[:20] if ch.isprintable() and ch != "`") or "(empty)"
    return int(default), (
        f"The link asked for a forecast window of `{shown}` weeks; it can be "
        f"{', '.join(str(o) for o in options)}. Showing {int(default)} weeks (the default)."
    )


def write_window(params: MutableMapping[str, Any], window: int) -> None:
    """Keep the window in the link."""
    text = str(int(window))
    if params.get(WINDOW_KEY) != text:
        params[WINDOW_KEY] = text


__all__ = ["HELP", "LABEL", "WINDOW_KEY", "read_window", "window_options", "write_window"]
