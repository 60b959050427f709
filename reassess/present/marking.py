"""The protective marking every page, export, message and command output carries (no Streamlit)."""

from __future__ import annotations

CLASSIFICATION = "OFFICIAL-SENSITIVE"
"""UK Government Security Classification: OFFICIAL with need-to-know rigorously enforced."""
SYNTHETIC = "SYNTHETIC DATA"
"""Added whenever the figures come from a synthetic snapshot (the demo)."""


def markings(synthetic: bool) -> tuple[str, ...]:
    """('OFFICIAL-SENSITIVE', 'SYNTHETIC DATA') for synthetic data, else the classification."""
    return (CLASSIFICATION, SYNTHETIC) if synthetic else (CLASSIFICATION,)


def marking(synthetic: bool) -> str:
    """The marking line: 'OFFICIAL-SENSITIVE · SYNTHETIC DATA' or 'OFFICIAL-SENSITIVE'."""
    return " · ".join(markings(synthetic))
