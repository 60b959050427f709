"""A pack as an A4 PDF: sections of sentences and tables, the marking on every page (no Streamlit).

The commander's full pack and the planner's summary are laid out with the briefing's own PDF
furniture (reassess/briefing/export.py): its styles, its tables, and its canvas that prints the
marking at the head and foot of every page with "Page n of N".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from reportlab.platypus import Spacer

from reassess.briefing.contents import BriefingTable
from reassess.briefing.export import _NumberedCanvas, _p, _styles, _table, a4_document
from reassess.present.formats import long_date


@dataclass(frozen=True)
class Section:
    """One heading, its sentences, and optionally a table with its notes."""

    heading: str
    sentences: tuple[str, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)
    table_title: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """What the page furniture prints: the title, the marking and the snapshot."""

    title: str
    marking: str
    as_of: date
    snapshot_label: str


def pack_pdf(furniture: Furniture, intro: tuple[str, ...], sections: tuple[Section, ...]) -> bytes:
    """The sections as an A4 PDF, marked on every page."""
    st = _styles()
    out = io.BytesIO()
    doc = a4_document(out, furniture.title, furniture.marking)
    story: list[Any] = [
        _p(furniture.title, st["title"]),
        _p(
            f"As at {long_date(furniture.as_of)} (snapshot {furniture.snapshot_label}).",
            st["body"],
        ),
        _p(furniture.marking, st["h2"]),
        Spacer(1, 4),
    ]
    story += [_p(s, st["lead"]) for s in intro]
    for i, section in enumerate(sections):
        story.append(_p(section.heading, st["h2"]))
        story += [_p(s, st["body"]) for s in section.sentences]
        if section.table is not None and len(section.table.columns):
            table = BriefingTable(
                f"section_{i}", section.table_title or section.heading, section.table, section.notes
            )
            story += _table(table, st, doc.width)
        else:
            story += [_p(n, st["small"]) for n in section.notes]

    class Canvas(_NumberedCanvas):
        briefing = furniture  # type: ignore[assignment]

    doc.build(story, canvasmaker=Canvas)
    return out.getvalue()
