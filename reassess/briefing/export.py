"""The briefing as files: an A4 PDF pack, an Excel workbook, and plain CSV tables (no Streamlit).

Every export takes a `reassess.briefing.Briefing`, whose figures are already through disclosure
control; nothing here reads the database. Every text cell written to a spreadsheet or CSV goes
through `safe_cell`, which neutralises spreadsheet formula injection. The marking
(OFFICIAL-SENSITIVE, and SYNTHETIC DATA for synthetic snapshots) is on every PDF page (header
and footer), in every sheet's print header and footer, and in the notes of every export.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reassess.briefing.contents import Briefing, BriefingTable, display_value
from reassess.present.csvsafe import DANGEROUS_FIRST, safe_cell
from reassess.present.formats import long_date

FORMULA_PREFIXES = DANGEROUS_FIRST  # one rule for every export: reassess/present/csvsafe.py
"""A text cell starting with one of these could run as a formula in a spreadsheet."""
CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so that Excel reads £ and — correctly."""
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value: Any) -> Any:
    """A cell for a CSV file: blanks empty, dates ISO, whole floats as ints, text made safe."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return int(number) if number.is_integer() else number
    return safe_cell(str(value))


def _csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode(CSV_ENCODING)


def notes_rows(b: Briefing) -> list[tuple[str, str, str]]:
    """Everything a reader needs beside the tables, as (section, item, text) rows."""
    rows: list[tuple[str, str, str]] = [
        ("marking", "marking", b.marking),
        ("source", "title", b.title),
        ("source", "as_of", b.as_of.isoformat()),
        ("source", "compare_as_of", b.compare_as_of.isoformat() if b.compare_as_of else "none"),
        ("source", "snapshot", b.snapshot_label),
        ("source", "ingested_at", f"{b.ingested_at:%Y-%m-%d %H:%M}"),
        ("source", "target_date", b.target.isoformat()),
    ]
    rows += [("source", f"source_{i}", s) for i, s in enumerate(b.sources, 1)]
    rows.append(("narrative", "headline", b.headline))
    rows += [
        ("forecast", "p50", b.forecast_p50.isoformat() if b.forecast_p50 else "none"),
        ("forecast", "p85", b.forecast_p85.isoformat() if b.forecast_p85 else "none"),
        ("forecast", "p95", b.forecast_p95.isoformat() if b.forecast_p95 else "none"),
        (
            "forecast",
            "prob_by_target",
            "none" if b.forecast_prob_by_target is None else f"{b.forecast_prob_by_target:.4f}",
        ),
        (
            "forecast",
            "cost_to_completion_p85",
            "none" if b.forecast_cost_to_p85 is None else f"{b.forecast_cost_to_p85:.0f}",
        ),
    ]
    rows.append(("narrative", "status", f"{b.rag_colour.upper()}: {b.rag_label}. {b.rag_reason}"))
    rows += [("narrative", f"sentence_{i}", s) for i, s in enumerate(b.narrative, 1)]
    if b.changes_text:
        rows.append(("narrative", "changes", b.changes_text))
    rows.append(("narrative", "resources", b.resources_text))
    if b.reinvestigation_text:
        rows.append(("narrative", "reinvestigation", b.reinvestigation_text))
    if b.unmet_demand:
        rows.append(("narrative", "unmet_demand", b.unmet_demand))
    rows += [("caveat", f"caveat_{i}", s) for i, s in enumerate(b.caveats, 1)]
    rows += [("disclosure_rule", f"rule_{i}", s) for i, s in enumerate(b.disclosure_rules, 1)]
    for t in b.tables:
        rows += [("table_note", t.key, note) for note in t.notes]
    rows += [("definition", term, meaning) for term, meaning in b.definitions]
    return rows


# --- CSV ------------------------------------------------------------------------------------


def briefing_csvs(b: Briefing) -> dict[str, bytes]:
    """One plain CSV per table (header row, then data), plus notes.csv; keyed by file name."""
    files = {
        f"{t.key}.csv": _csv_bytes([list(t.frame.columns), *t.frame.itertuples(index=False)])
        for t in b.tables
    }
    files["notes.csv"] = _csv_bytes([("section", "item", "text"), *notes_rows(b)])
    return files


def briefing_zip(b: Briefing) -> bytes:
    """The CSV files in one zip, for a single download."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in briefing_csvs(b).items():
            info = zipfile.ZipInfo(
                name, date_time=(b.as_of.year, b.as_of.month, b.as_of.day, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


# --- Excel ----------------------------------------------------------------------------------


def _xlsx_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, date):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return safe_cell(str(value))


def _mark_sheet(ws: Any, b: Briefing) -> None:
    """The marking in the print header and footer of a sheet, with page numbers."""
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        part.center.text = b.marking
    for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.center.text = b.marking
        part.left.text = f"As at {b.as_of.isoformat()}"
        part.right.text = "Page &P of &N"


def briefing_xlsx(b: Briefing) -> bytes:
    """An Excel workbook: a Notes sheet, then one sheet per table."""
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append([safe_cell(b.marking)])
    notes["A1"].font = Font(bold=True)
    notes.append([safe_cell(b.title)])
    notes.append([])
    notes.append(["section", "item", "text"])
    for cell in notes[4]:
        cell.font = Font(bold=True)
    for row in notes_rows(b):
        notes.append([safe_cell(v) for v in row])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 28
    notes.column_dimensions["C"].width = 120
    for row in notes.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    _mark_sheet(notes, b)
    for t in b.tables:
        ws = wb.create_sheet(title=t.key[:31])
        ws.append([safe_cell(str(c)) for c in t.frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in t.frame.itertuples(index=False):
            ws.append([_xlsx_value(v) for v in values])
        for j, column in enumerate(t.frame.columns, start=1):
            width = max([len(str(column))] + [len(display_value(v)) for v in t.frame[column]])
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, width + 2))
            if any(isinstance(v, date) for v in t.frame[column]):
                for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    row[0].number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        _mark_sheet(ws, b)
    wb.properties.title = b.title
    wb.properties.subject = b.marking
    wb.properties.keywords = b.marking
    wb.properties.creator = "reassess"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- charts ---------------------------------------------------------------------------------


def _png(fig: Figure) -> io.BytesIO:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    out.seek(0)
    return out


def burn_up_png(b: Briefing) -> io.BytesIO:
    """The burn-up as a greyscale-safe image: line styles and hatching, not colour alone."""
    # matplotlib's object API (no pyplot): no global state, safe in a threaded server
    fig = Figure(figsize=(7.2, 3.9))
    ax = fig.subplots()
    fan = b.chart_fan
    if fan is not None and len(fan) > 1:
        x = fan["week_ending"]
        ax.fill_between(
            x,
            fan["p95"],
            fan["p05"],
            facecolor="0.92",
            edgecolor="0.55",
            hatch="...",
            linewidth=0,
            label="Forecast range (90% of trials)",
        )
        ax.fill_between(
            x,
            fan["p85"],
            fan["p15"],
            facecolor="0.8",
            edgecolor="0.35",
            hatch="///",
            linewidth=0,
            label="Forecast range (70% of trials)",
        )
        ax.plot(
            x, fan["p50"], color="black", linestyle=":", linewidth=1.8, label="Forecast, median"
        )
    a = b.chart_assessed
    ax.plot(
        a["week_ending"],
        a["assessed"],
        color="black",
        linestyle="-",
        linewidth=2.2,
        marker="o",
        markersize=2.5,
        label="Assessed (cumulative)",
    )
    s = b.chart_scope
    ax.step(
        s["as_of"],
        s["in_scope"],
        where="post",
        color="0.35",
        linestyle="--",
        linewidth=1.6,
        label="Cases in scope",
    )
    if len(a) and len(s) and b.as_of < b.target:
        ax.plot(
            [pd.Timestamp(b.as_of), pd.Timestamp(b.target)],
            [a["assessed"].iloc[-1], s["in_scope"].iloc[-1]],
            color="0.45",
            linestyle=(0, (6, 3)),
            linewidth=1.4,
            label="Pace needed for the target",
        )
    ax.axvline(pd.Timestamp(b.target), color="black", linestyle="-.", linewidth=1.2)
    ax.annotate(
        f"Target {b.target:%-d %b %Y}",
        (pd.Timestamp(b.target), 0.5),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.axvline(pd.Timestamp(b.as_of), color="0.5", linewidth=0.8)
    ax.set_ylabel("cases")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    ax.grid(axis="y", color="0.88", linewidth=0.6)
    ax.set_title("Cases assessed against scope and target", fontsize=10, loc="left")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    ax.tick_params(axis="x", labelsize=7)
    return _png(fig)


def category_png(b: Briefing) -> io.BytesIO:
    """Cases in scope and assessed by category: hatched and solid bars, labelled."""
    frame = b.by_category.frame
    labels = list(frame["Category"])
    y = range(len(labels))
    fig = Figure(figsize=(7.2, 0.42 * len(labels) + 1.0))
    ax = fig.subplots()
    styles: tuple[tuple[float, str, dict[str, Any]], ...] = (
        (-0.2, "In scope", {"facecolor": "white", "edgecolor": "black", "hatch": "///"}),
        (0.2, "Assessed", {"facecolor": "0.35", "edgecolor": "black"}),
    )
    for offset, column, style in styles:
        values = [v if isinstance(v, int) else 0 for v in frame[column]]
        bars = ax.barh([i + offset for i in y], values, height=0.38, label=column, **style)
        for bar, shown in zip(bars, frame[column], strict=True):
            ax.annotate(
                display_value(shown),
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title("Cases in scope and assessed, by category", fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    ax.margins(x=0.12)
    return _png(fig)


# --- PDF ------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=16, leading=20, alignment=TA_LEFT
        ),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12, leading=15, spaceBefore=8),
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontSize=11, leading=15),
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=6.8, leading=8.2),
        "head_small": ParagraphStyle(
            "head_small", parent=body, fontSize=6.5, leading=8, fontName="Helvetica-Bold"
        ),
        "head": ParagraphStyle(
            "head", parent=body, fontSize=7.5, leading=9, fontName="Helvetica-Bold"
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: '<10' must not read as markup)."""
    return Paragraph(escape(text), style)


def _table(t: BriefingTable, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """A briefing table as a reportlab table with its title (kept together) and footnotes."""
    n = len(t.frame.columns)
    wide = n >= 7
    head_style = st["head_small"] if wide else st["head"]
    cell_style = st["cell_small"] if wide else st["cell"]
    total_row = t.frame.shape[0] > 0 and str(t.frame.iloc[-1, 0]) == "Total"
    head = [_p(str(c), head_style) for c in t.frame.columns]
    body = []
    for i, row in enumerate(t.frame.itertuples(index=False)):
        style = head_style if total_row and i == t.frame.shape[0] - 1 else cell_style
        body.append([_p(display_value(v), style) for v in row])
    first = 0.19 if wide else (min(0.34, 1.6 / n) if n > 2 else 0.5)
    widths = [width * first] + [width * (1 - first) / (n - 1)] * (n - 1) if n > 1 else [width]
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    titled: list[Any] = [_p(t.title, st["h2"]), table]
    out: list[Any] = [KeepTogether(titled)] if len(t.frame) <= 45 else titled
    return out + [_p(note, st["small"]) for note in t.notes]


class _NumberedCanvas(pdf_canvas.Canvas):
    """A canvas that knows the page count, so each page can say 'Page n of N'."""

    briefing: Briefing

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        b = self.briefing
        width, height = A4
        self.saveState()
        self.setFont("Helvetica-Bold", 9)
        self.drawCentredString(width / 2, height - 1.0 * cm, b.marking)
        self.drawCentredString(width / 2, 0.8 * cm, b.marking)
        self.setFont("Helvetica", 7.5)
        self.drawString(1.8 * cm, height - 1.45 * cm, f"{b.title}")
        self.drawString(
            1.8 * cm, 1.3 * cm, f"As at {long_date(b.as_of)} (snapshot {b.snapshot_label})"
        )
        self.drawRightString(width - 1.8 * cm, 1.3 * cm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def a4_document(out: io.BytesIO, title: str, marking: str) -> SimpleDocTemplate:
    """The A4 document every PDF of reassess is laid out on (the briefing, the weekly packs)."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=2.0 * cm,
        bottomMargin=2.0 * cm,
        title=title,
        subject=marking,
        author="reassess",
        creator="reassess",
    )


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing as an A4 PDF: narrative, charts, tables, caveats, definitions, rules."""
    st = _styles()
    out = io.BytesIO()
    doc = a4_document(out, b.title, b.marking)
    width = doc.width
    compare = f"; compared with {long_date(b.compare_as_of)}" if b.compare_as_of else ""
    story: list[Any] = [
        _p(b.title, st["title"]),
        _p(f"As at {long_date(b.as_of)} (snapshot {b.snapshot_label}){compare}.", st["body"]),
        _p(b.marking, st["h2"]),
        Spacer(1, 4),
        _p(b.headline, st["lead"]),
        Spacer(1, 4),
        _p(f"Status: {b.rag_colour.upper()}, {b.rag_label.lower()}. {b.rag_reason}", st["body"]),
        _p(f"Rule: {b.rag_rule}", st["small"]),
        Spacer(1, 4),
    ]
    story += [_p(s, st["body"]) for s in b.narrative]
    if b.changes_text:
        story += [_p("What changed", st["h2"]), _p(b.changes_text, st["body"])]
    story += [
        KeepTogether(
            [
                _p("Progress", st["h2"]),
                Image(burn_up_png(b), width=width, height=width * 0.54, kind="proportional"),
                _p(b.forecast_note, st["small"]),
            ]
        ),
    ]
    story += _table(b.headline_table, st, width)
    if b.changes is not None:
        story += _table(b.changes, st, width)
    story += [_p("Resource position", st["h2"]), _p(b.resources_text, st["body"])]
    story += _table(b.resources_table(), st, width)
    if b.reinvestigation is not None:
        story += [_p("Reinvestigations and victim support", st["h2"])]
        story += [_p(b.reinvestigation_text, st["body"])]
        if b.unmet_demand:
            story += [_p(b.unmet_demand, st["body"])]
        story += _table(b.reinvestigation, st, width)
    story += [
        KeepTogether(
            [
                _p("Breakdowns", st["h2"]),
                Image(category_png(b), width=width, height=width * 0.5, kind="proportional"),
            ]
        ),
    ]
    for t in (b.by_category, b.by_bcu, b.borough_category, b.ethnicity, b.weekly):
        story += _table(t, st, width)
    story += [_p("Caveats", st["h2"])] + [_p(c, st["body"]) for c in b.caveats]
    story += [_p("Definitions", st["h2"])]
    story += [
        Paragraph(f"<b>{escape(term)}</b>: {escape(meaning)}", st["body"])
        for term, meaning in b.definitions
    ]
    story += [_p("Disclosure control applied", st["h2"])]
    story += [_p(rule, st["body"]) for rule in b.disclosure_rules]
    story += [_p("Sources", st["h2"])] + [_p(s, st["body"]) for s in b.sources]
    for t in (b.progress, b.forecast):
        story += _table(t, st, width)

    class Canvas(_NumberedCanvas):
        briefing = b

    doc.build(story, canvasmaker=Canvas)
    return out.getvalue()


__all__ = [
    "CSV_ENCODING",
    "FORMULA_PREFIXES",
    "XLSX_MIME",
    "briefing_csvs",
    "briefing_pdf",
    "briefing_xlsx",
    "briefing_zip",
    "burn_up_png",
    "category_png",
    "notes_rows",
    "safe_cell",
]
