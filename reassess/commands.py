"""Registry of the sub-commands that live beside their features (status, scenario, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reassess import cli_audit, cli_briefing, cli_scenario, cli_status

REGISTRARS: list[Callable[[Any], None]] = [
    cli_status.register,
    cli_scenario.register,
    cli_briefing.register,
    cli_audit.register,
]
