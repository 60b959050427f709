"""Registry of the sub-commands that live beside their features (status, scenario, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REGISTRARS: list[Callable[[Any], None]] = []
