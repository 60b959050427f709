"""What a briefing holds: its tables, resource lines and the frozen Briefing, with the fixed words it carries (no Streamlit)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

BRIEFING_ROLE = "mayors_office"
"""Every table of the briefing is read as this role, so the runner applies disclosure control."""
MODEL_ROLE = "planner"
"""Role for the raw aggregate counts the forecast and resource model need (access 'aggregate');
only dates, probabilities, FTE, money and counts through protect_count leave this module."""


Shown = int | str
"""A count as shown: a rounded whole number, 0, or a suppression label ("<10", "[c]")."""


TITLE = "Review of historic child sexual exploitation cases: progress briefing"


NOT_SHOWN = "—"


# /work/shared/design/GLOSSARY.md, as data: the words the briefing uses and what they mean.
DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "group-based child sexual exploitation (CSE)",
        "sexual exploitation of a child by two or more offenders; the review's broad definition "
        "covers organised groups, intra-familial, peer-on-peer, institutional and gang-related "
        "exploitation",
    ),
    (
        "case in scope",
        "a historic investigation the review must assess; scope can change as records are searched",
    ),
    (
        "assessment",
        "the initial review of a case: are there missed lines of enquiry, continuing risks, "
        "safeguarding needs, chances to bring offenders to justice?",
    ),
    (
        "assessed",
        "assessment completed (a completion date recorded), whether or not QA has signed it off",
    ),
    ("QA", "quality assurance: a supervisor's sign-off of a completed assessment"),
    ("reinvestigation", "the phase after assessment for cases with new lines of enquiry"),
    (
        "Operation Beaconport",
        "the National Crime Agency's national operation reviewing closed group-based CSE cases",
    ),
    ("NFA", "no further action: an investigation closed without charge"),
    ("BCU", "Basic Command Unit: the Met's 12 local policing areas, each covering 2-4 boroughs"),
    (
        "MOPAC",
        "the Mayor's Office for Policing And Crime: the Mayor's office that oversees the Met",
    ),
    (
        "abstraction",
        "time an officer is taken away from the review (leave, sickness, training, other operations)",
    ),
    ("FTE", "full-time equivalent"),
    ("ISVA", "Independent Sexual Violence Adviser: supports victims; carries about 15-20 cases"),
    (
        "victim support and navigation",
        "services that help victims through the review and any reinvestigation",
    ),
    ("RAG", "red/amber/green status; always shown with words, never colour alone"),
    ("as-of date", 'the date an extract describes; the dashboard\'s "now"'),
    ("snapshot", "the immutable DuckDB file built from one extract"),
    (
        "OFFICIAL-SENSITIVE",
        "UK Government Security Classification marking: OFFICIAL with need-to-know rigorously "
        "enforced",
    ),
    (
        "disclosure control",
        "suppressing and rounding small counts so that no person can be identified from "
        "published figures",
    ),
)


HEADLINE_ROWS = (
    ("in_scope", "Cases in scope"),
    ("assessed", "Assessed"),
    ("awaiting_allocation", "Awaiting allocation"),
    ("allocated", "Allocated, not started"),
    ("in_assessment", "In assessment"),
    ("awaiting_qa", "Awaiting QA"),
    ("qa_signed_off", "QA signed off"),
)


FAN_COLUMNS = (
    ("p50", "Forecast, median"),
    ("p85", "Likely range, low (70% of trials)"),
    ("p15", "Likely range, high (70% of trials)"),
    ("p95", "Wide range, low (90% of trials)"),
    ("p05", "Wide range, high (90% of trials)"),
)


TABLE_KEYS = (
    "headline",
    "changes",
    "weekly",
    "progress",
    "forecast",
    "by_category",
    "by_bcu",
    "borough_category",
    "ethnicity",
    "resources",
    "reinvestigation",
)
"""The tables of a briefing, in order (file and sheet names); "changes" only with a comparison."""


@dataclass(frozen=True, eq=False)
class BriefingTable:
    """One table of the briefing, every count already through disclosure control."""

    key: str  # file and sheet name: lower-case letters, digits and _
    title: str
    frame: pd.DataFrame  # shown values: ints, suppression labels, text, dates; no index
    notes: tuple[str, ...] = ()
    count_columns: tuple[str, ...] = ()  # columns holding shown counts
    # figures derived from others, with their intervals, by (first column's label, column);
    # the release ledger records these as they are, every other count from its shown value
    derived: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False)

    def display(self) -> pd.DataFrame:
        """The table as text for the screen: counts with thousands separators, blanks as ''."""
        out = self.frame.copy().astype(object)
        for column in out.columns:
            out[column] = [display_value(v) for v in out[column]]
        return out


@dataclass(frozen=True)
class ResourceLine:
    """One line of the resource position: a measure, its value in words, and its basis."""

    measure: str
    value: str
    basis: str


@dataclass(frozen=True, eq=False)
class Briefing:
    """Everything the briefing shows, already through disclosure control, for one snapshot."""

    title: str
    markings: tuple[str, ...]
    synthetic: bool
    as_of: date
    compare_as_of: date | None
    target: date
    snapshot_label: str
    ingested_at: datetime
    headline: str  # the narrative's opening: progress and the forecast
    narrative: tuple[str, ...]  # further sentences, each generated from shown figures
    rag_colour: str
    rag_label: str
    rag_reason: str
    rag_rule: str
    figures: dict[str, Shown]  # headline counts as shown (in_scope, assessed, remaining, ...)
    pct_assessed: float | None
    forecast_p50: date | None
    forecast_p85: date | None
    forecast_note: str
    changes_text: str | None
    headline_table: BriefingTable
    changes: BriefingTable | None
    weekly: BriefingTable
    progress: BriefingTable
    forecast: BriefingTable
    by_category: BriefingTable
    by_bcu: BriefingTable
    borough_category: BriefingTable
    ethnicity: BriefingTable
    resources: tuple[ResourceLine, ...]
    resources_text: str
    caveats: tuple[str, ...]
    definitions: tuple[tuple[str, str], ...]
    disclosure_rules: tuple[str, ...]
    chart_assessed: pd.DataFrame  # week_ending, assessed (shown, hidden weeks left out)
    chart_scope: pd.DataFrame  # as_of, in_scope (shown, hidden snapshots left out)
    chart_fan: pd.DataFrame | None  # week_ending, p05..p95 rounded, or None
    sources: tuple[str, ...] = field(default=())
    forecast_p95: date | None = None
    forecast_prob_by_target: float | None = None
    forecast_cost_to_p85: float | None = None  # the whole team's cost to the P85 date, £
    reinvestigation: BriefingTable | None = None  # the funnel, closures, victims supported
    reinvestigation_text: str = ""
    unmet_demand: str | None = None  # the coupled plan's statement of unmet demand (FTE, £)

    @property
    def marking(self) -> str:
        """The marking line for headers and footers: 'OFFICIAL-SENSITIVE · SYNTHETIC DATA'."""
        return " · ".join(self.markings)

    @property
    def tables(self) -> tuple[BriefingTable, ...]:
        """Every table, in the order the exports list them."""
        tables = [self.headline_table]
        if self.changes is not None:
            tables.append(self.changes)
        tables += [
            self.weekly,
            self.progress,
            self.forecast,
            self.by_category,
            self.by_bcu,
            self.borough_category,
            self.ethnicity,
            self.resources_table(),
        ]
        if self.reinvestigation is not None:
            tables.append(self.reinvestigation)
        return tuple(tables)

    def resources_table(self) -> BriefingTable:
        """The resource position as a three-column table."""
        frame = pd.DataFrame(
            [(r.measure, r.value, r.basis) for r in self.resources],
            columns=["Measure", "Value", "Basis"],
        )
        return BriefingTable("resources", "Resource position", frame)


def display_value(value: Any) -> str:
    """A cell as text: counts with thousands separators, dates ISO, blanks as ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.1f}"
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()[:10]
    return str(value)


def shown_or_plain(value: Any) -> Shown:
    """A shown figure from a disclosed frame as a Python int or a label."""
    if isinstance(value, str):
        return value
    return int(value)


def as_number(value: Any) -> float:
    """A shown figure as a float for charts; NaN when hidden or missing."""
    if value is None or isinstance(value, str):
        return math.nan
    return float(value)
