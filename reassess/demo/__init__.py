"""Synthetic demo programme (docstring written below)."""

from reassess.demo.build import (
    DEFAULT_SEED,
    DemoBuild,
    DemoError,
    build_demo,
    default_through,
    extract_on,
    iter_weekly_extracts,
    resolve_through,
    write_demo_extracts,
)
from reassess.demo.extracts import V2_FROM, Extract, write_extract

__all__ = [
    "DEFAULT_SEED",
    "V2_FROM",
    "DemoBuild",
    "DemoError",
    "Extract",
    "build_demo",
    "default_through",
    "extract_on",
    "iter_weekly_extracts",
    "resolve_through",
    "write_demo_extracts",
    "write_extract",
]
