"""The Mayor's office briefing: disclosed tables, a generated narrative, resources and caveats.

`build_briefing(db, snapshot, compare, programme)` gathers everything the briefing page and its
PDF, Excel and CSV exports show, already through disclosure control, into one frozen `Briefing`:

- every table comes from a query run as the "mayors_office" role, so the query runner applies
  disclosure control (reassess/disclosure_frames.py) before any figure reaches this module; the
  one two-way table (borough by category) is pivoted here from raw counts and protected with
  `protect_table` (secondary suppression across rows and columns);
- the forecast is `reassess.figures.status.compute_status`, the same forecast as the overview, worked
  out from the raw aggregate counts (MODEL_ROLE). Only its dates and probabilities, and counts
  passed through `protect_count`, leave this module: no raw count is stored in a Briefing;
- the narrative is generated from the shown (rounded) figures, and says "about" for every
  rounded count;
- the resource position is the resources page's answer (reassess.figures.baseline: baseline_for,
  find_officers), also from raw aggregates: only FTE, money and dates leave, and the officer
  headcount through `protect_count`;
- no officer reference and no case reference is read or shown anywhere.

No Streamlit here.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from reassess.config import Programme
from reassess.disclosure.tables import (
    DisclosureRules,
    default_rules,
    protect_count,
    protect_table,
    protected_percent,
    rules_text,
)
from reassess.extract.contract import BCUS, CATEGORIES
from reassess.figures.baseline import (
    DEFAULT_CONFIDENCE,
    BaselineError,
    baseline_for,
    default_start,
    find_officers,
)
from reassess.figures.status import Status, compute_status, status_fan
from reassess.model.scenarios import WEEKS_PER_YEAR, ScenarioInput
from reassess.present.formats import date_range, long_date, money, number_words
from reassess.present.marking import markings
from reassess.present.vocabulary import CATEGORY_LABELS
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

BRIEFING_ROLE = "mayors_office"
"""Every table of the briefing is read as this role, so the runner applies disclosure control."""
MODEL_ROLE = "planner"
"""Role for the raw aggregate counts the forecast and resource model need (access 'aggregate');
only dates, probabilities, FTE, money and counts through protect_count leave this module."""

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
    ("assessed", "assessment completed (completed_date set), whether or not QA has signed it off"),
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

CHANGE_ROWS = (
    ("completed", "Assessments completed"),
    ("added", "Cases added to scope"),
    ("removed", "Cases removed from scope"),
    ("newly_allocated", "Cases newly allocated to an officer"),
    ("reassigned", "Cases reassigned to another officer"),
    ("high_priority_awaiting", "High-priority cases awaiting allocation (now)"),
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
)
"""The tables of a briefing, in order (file and sheet names); "changes" only with a comparison."""

Shown = int | str
"""A count as shown: a rounded whole number, 0, or a suppression label ("<10", "[c]")."""


@dataclass(frozen=True, eq=False)
class BriefingTable:
    """One table of the briefing, every count already through disclosure control."""

    key: str  # file and sheet name: lower-case letters, digits and _
    title: str
    frame: pd.DataFrame  # shown values: ints, suppression labels, text, dates; no index
    notes: tuple[str, ...] = ()
    count_columns: tuple[str, ...] = ()  # columns holding shown counts

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
        return tuple(tables)

    def resources_table(self) -> BriefingTable:
        """The resource position as a three-column table."""
        frame = pd.DataFrame(
            [(r.measure, r.value, r.basis) for r in self.resources],
            columns=["Measure", "Value", "Basis"],
        )
        return BriefingTable("resources", "Resource position", frame)


# --- words --------------------------------------------------------------------------------


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


def count_words(shown: Shown, rules: DisclosureRules | None = None, *, zero: str = "no") -> str:
    """A shown count in words: 'about 7,610', 'fewer than 10', or 'no' for zero."""
    rules = rules or default_rules()
    if isinstance(shown, str):
        if shown == rules.suppressed_label:
            return f"fewer than {rules.threshold:,}"
        return "a hidden number of"
    if shown == 0:
        return zero
    return f"about {shown:,}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rounded(shown: Shown) -> bool:
    return isinstance(shown, int) and shown > 0


def progress_sentence(assessed: Shown, in_scope: Shown, pct: float | None) -> str:
    """'About 7,610 of 9,230 cases in scope have been assessed (82%).' from shown figures."""
    share = f" ({pct:.0f}%)" if pct is not None else ""
    if _rounded(assessed) and _rounded(in_scope):
        return f"About {assessed:,} of {in_scope:,} cases in scope have been assessed{share}."
    scope = count_words(in_scope, zero="0")
    return f"{_capital(count_words(assessed, zero='none'))} of {scope} cases in scope have been assessed{share}."


def forecast_sentence(status: Status) -> str:
    """When assessment is likely to finish, and the target, in plain words (no counts)."""
    f = status.forecast
    target_passed = status.as_of > status.target
    if f.status == "done":
        return "Every case in scope has been assessed."
    if f.status != "ok" or f.p50 is None:
        missed = f" The {status.target:%B %Y} target was missed." if target_passed else ""
        return f"{f.message}{missed}"
    if f.p85 is not None and f.p85 != f.p50:
        when = f"is likely to finish between {date_range(f.p50, f.p85)}"
    else:
        when = f"is likely to finish by {long_date(f.p50)}"
    if target_passed:
        tail = f"; the {status.target:%B %Y} target was missed."
    elif f.prob_by_target is not None:
        tail = (
            f"; the chance of finishing by the target of {long_date(status.target)} is "
            f"{f.prob_by_target:.0%}."
        )
    else:
        tail = "."
    return f"At the current rate, assessment {when}{tail}"


def changes_sentence(compare_as_of: date, changes: dict[str, Shown]) -> str:
    """What changed since the comparison snapshot, from the shown (rounded) figures."""
    w = {k: count_words(v) for k, v in changes.items()}
    parts = [
        f"{w['completed']} assessments were completed",
        f"{w['newly_allocated']} cases were newly allocated to an officer",
    ]
    if changes["added"] == 0 and changes["removed"] == 0:
        parts.append("no cases were added to or removed from scope")
    else:
        removed = count_words(changes["removed"], zero="none")
        parts.append(f"{w['added']} cases were added to scope and {removed} removed")
    return f"Since {long_date(compare_as_of)}, " + "; ".join(parts) + "."


# --- building ----------------------------------------------------------------------------


def build_briefing(
    db: Database,
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    programme: Programme,
    *,
    rules: DisclosureRules | None = None,
) -> Briefing:
    """The briefing for a snapshot (and a comparison), every figure through disclosure control."""
    rules = rules or default_rules()
    status = compute_status(db, snapshot, compare, programme, role=MODEL_ROLE)

    def run(name: str, snap: SnapshotInfo = snapshot, **params: Any) -> pd.DataFrame:
        return db.run(name, snap, role=BRIEFING_ROLE, **params)

    kpis = run("kpis").iloc[0].to_dict()
    remaining = protect_count(int(status.kpis["in_scope"] - status.kpis["assessed"]), rules)
    in_scope, assessed = _plain(kpis["in_scope"]), _plain(kpis["assessed"])
    pct = protected_percent(assessed, in_scope, rules=rules)
    figures: dict[str, Shown] = {k: _plain(kpis[k]) for k, _ in HEADLINE_ROWS}
    figures["remaining"] = remaining

    headline = progress_sentence(assessed, in_scope, pct) + " " + forecast_sentence(status)
    narrative = _narrative(status, figures, rules)

    changes_table = changes_text = None
    before: dict[str, Any] | None = None
    if compare is not None:
        before = run("kpis", compare).iloc[0].to_dict()
        row = db.run(
            "changes_since",
            snapshot,
            role=BRIEFING_ROLE,
            compare=compare,
            compare_as_of=compare.as_of,
        ).iloc[0]
        changes = {k: _plain(row[k]) for k, _ in CHANGE_ROWS}
        changes_text = changes_sentence(compare.as_of, changes)
        changes_table = BriefingTable(
            "changes",
            f"What changed since {long_date(compare.as_of)}",
            pd.DataFrame(
                {"Change": [label for _, label in CHANGE_ROWS], "Cases": list(changes.values())}
            ),
            _notes_for([changes.values()], rules),
            ("Cases",),
        )

    headline_table = _headline_table(snapshot, compare, kpis, before, rules)
    weekly = _weekly(run, snapshot, programme, rules)
    progress, chart_assessed, chart_scope = _progress(run, snapshot, programme, rules)
    fan_table, chart_fan = _fan(status, rules)
    ethnicity, ethnicity_caveat = _ethnicity(run, programme, rules)
    resources, resources_text = _resources(db, run, snapshot, programme, status, rules)
    f = status.forecast
    rag_reason = _rag_reason(status, remaining, rules)
    shown_markings = markings(snapshot.synthetic)
    return Briefing(
        title=TITLE,
        markings=shown_markings,
        synthetic=snapshot.synthetic,
        as_of=snapshot.as_of,
        compare_as_of=compare.as_of if compare else None,
        target=status.target,
        snapshot_label=snapshot.label,
        ingested_at=snapshot.ingested_at,
        headline=headline,
        narrative=narrative,
        rag_colour=status.rag.colour,
        rag_label=status.rag.label,
        rag_reason=rag_reason,
        rag_rule=status.rag.rule,
        figures=figures,
        pct_assessed=pct,
        forecast_p50=f.p50 if f.status == "ok" else None,
        forecast_p85=f.p85 if f.status == "ok" else None,
        forecast_note=_forecast_note(status),
        changes_text=changes_text,
        headline_table=headline_table,
        changes=changes_table,
        weekly=weekly,
        progress=progress,
        forecast=fan_table,
        by_category=_by_category(run, rules),
        by_bcu=_by_bcu(run, rules),
        borough_category=_borough_category(db, snapshot, rules),
        ethnicity=ethnicity,
        resources=resources,
        resources_text=resources_text,
        caveats=_caveats(snapshot, programme, ethnicity_caveat, kpis, status, rules),
        definitions=DEFINITIONS,
        disclosure_rules=tuple(rules_text(rules)),
        chart_assessed=chart_assessed,
        chart_scope=chart_scope,
        chart_fan=chart_fan,
        sources=_sources(snapshot, compare, programme),
    )


def _plain(value: Any) -> Shown:
    """A shown figure from a disclosed frame as a Python int or a label."""
    if isinstance(value, str):
        return value
    return int(value)


def _numeric(value: Any) -> float:
    """A shown figure as a float for charts; NaN when hidden or missing."""
    if value is None or isinstance(value, str):
        return math.nan
    return float(value)


def _notes_for(columns: list[Any], rules: DisclosureRules) -> tuple[str, ...]:
    """Footnotes for a table disclosed by the runner: what was hidden and the rounding."""
    values = [v for column in columns for v in column]
    notes = []
    if rules.suppressed_label in values:
        notes.append(
            f'"{rules.suppressed_label}": a count of 1 to {rules.threshold - 1}, not shown.'
        )
    if rules.secondary_label in values:
        notes.append(
            f'"{rules.secondary_label}": not shown, so that no hidden count can be worked out '
            "from the totals."
        )
    notes.append(
        f"Counts of {rules.threshold} or more are rounded to the nearest {rules.rounding_base}."
    )
    return tuple(notes)


def _headline_table(
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    kpis: dict[str, Any],
    before: dict[str, Any] | None,
    rules: DisclosureRules,
) -> BriefingTable:
    now = f"As at {snapshot.as_of.isoformat()}"
    data: dict[str, list[Any]] = {
        "Figure": [label for _, label in HEADLINE_ROWS],
        now: [_plain(kpis[k]) for k, _ in HEADLINE_ROWS],
    }
    counts = [now]
    if compare is not None and before is not None:
        then = f"As at {compare.as_of.isoformat()}"
        data[then] = [_plain(before[k]) for k, _ in HEADLINE_ROWS]
        counts.append(then)
    return BriefingTable(
        "headline",
        "Headline figures",
        pd.DataFrame(data),
        _notes_for([data[c] for c in counts], rules),
        tuple(counts),
    )


def _weekly(
    run: Any, snapshot: SnapshotInfo, programme: Programme, rules: DisclosureRules
) -> BriefingTable:
    """Assessments started and completed in each week of the forecast window, disclosed."""
    weeks = programme.throughput_window_weeks
    flow = run("weekly_flow", as_of=snapshot.as_of, weeks=weeks)
    frame = pd.DataFrame(
        {
            "Week starting": [_day(d) for d in flow["week_starting"]],
            "Week ending": [_day(d) for d in flow["week_ending"]],
            "Assessments started": [_plain(v) for v in flow["started"]],
            "Assessments completed": [_plain(v) for v in flow["completed"]],
        }
    )
    return BriefingTable(
        "weekly",
        f"Assessments started and completed each week (last {number_words(weeks)} weeks)",
        frame,
        _notes_for([frame["Assessments started"], frame["Assessments completed"]], rules),
        ("Assessments started", "Assessments completed"),
    )


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _progress(
    run: Any, snapshot: SnapshotInfo, programme: Programme, rules: DisclosureRules
) -> tuple[BriefingTable, pd.DataFrame, pd.DataFrame]:
    """Cumulative assessed by week and scope by snapshot: the burn-up's history, disclosed."""
    assessed = run("burn_up", as_of=snapshot.as_of, programme_start=programme.programme_start)
    scope = run("scope_history")
    scope_by_day = {
        _day(d): _plain(v) for d, v in zip(scope["as_of"], scope["in_scope"], strict=True)
    }
    weeks = [_day(d) for d in assessed["week_ending"]]
    frame = pd.DataFrame(
        {
            "Week ending": weeks,
            "Assessed (cumulative)": [_plain(v) for v in assessed["assessed"]],
            "Cases in scope": pd.Series([scope_by_day.get(d) for d in weeks], dtype=object),
        }
    )
    chart_assessed = pd.DataFrame(
        {
            "week_ending": pd.to_datetime(weeks),
            "assessed": [_numeric(v) for v in frame["Assessed (cumulative)"]],
        }
    ).dropna()
    chart_scope = pd.DataFrame(
        {
            "as_of": pd.to_datetime([_day(d) for d in scope["as_of"]]),
            "in_scope": [_numeric(v) for v in scope["in_scope"]],
        }
    ).dropna()
    table = BriefingTable(
        "progress",
        "Cases assessed (cumulative) and cases in scope, by week",
        frame,
        _notes_for([frame["Assessed (cumulative)"], frame["Cases in scope"]], rules)
        + ("Cases in scope is blank in weeks with no snapshot.",),
        ("Assessed (cumulative)", "Cases in scope"),
    )
    return table, chart_assessed, chart_scope


def _fan(status: Status, rules: DisclosureRules) -> tuple[BriefingTable, pd.DataFrame | None]:
    """The forecast bands of cumulative assessed, rounded like counts (1 to 9 hidden)."""
    fan = status_fan(status)
    labels = [label for _, label in FAN_COLUMNS]
    if fan is None:
        empty = pd.DataFrame(columns=["Week ending", *labels])
        note = (status.forecast.message or "No forecast can be made.",)
        return BriefingTable("forecast", "Forecast of cumulative assessed", empty, note), None
    shown = {
        key: [protect_count(int(round(float(v))), rules) for v in fan[key]]
        for key, _ in FAN_COLUMNS
    }
    frame = pd.DataFrame(
        {"Week ending": [_day(d) for d in fan["week_ending"]]}
        | {label: shown[key] for key, label in FAN_COLUMNS}
    )
    chart = pd.DataFrame(
        {"week_ending": pd.to_datetime(frame["Week ending"])}
        | {key: [_numeric(v) for v in shown[key]] for key, _ in FAN_COLUMNS}
    )
    notes = (
        f"Modelled figures from the forecast ({status.forecast.trials:,} trials drawn from recent "
        f"weeks), rounded to the nearest {rules.rounding_base}. 'Likely range' holds 70% of trials and 'wide "
        "range' 90%.",
    )
    table = BriefingTable(
        "forecast", "Forecast of cumulative assessed", frame, notes, tuple(labels)
    )
    return table, chart


def _one_way(
    frame: pd.DataFrame, label_columns: dict[str, list[Any]], rules: DisclosureRules
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A one-way breakdown from a disclosed frame: labels, the counts and % assessed."""
    in_scope = [_plain(v) for v in frame["in_scope"]]
    assessed = [_plain(v) for v in frame["assessed"]]
    pct = [protected_percent(a, s, rules=rules) for a, s in zip(assessed, in_scope, strict=True)]
    out = pd.DataFrame(
        label_columns
        | {
            "In scope": in_scope,
            "Assessed": assessed,
            "% assessed": [NOT_SHOWN if p is None else f"{p:.0f}%" for p in pct],
            "Awaiting allocation": [_plain(v) for v in frame["awaiting_allocation"]],
        }
    )
    notes = _notes_for([in_scope, assessed, out["Awaiting allocation"]], rules)
    if any(p is None for p in pct):
        notes += (f'"{NOT_SHOWN}" in % assessed: not shown, because a figure it uses is hidden.',)
    return out, notes


def _breakdown(run: Any, dimension: str) -> pd.DataFrame:
    """The categories page's breakdown (one figure, one query), whole programme, unfiltered."""
    frame = run(
        "categories_breakdown",
        dimension=dimension,
        categories=None,
        bcus=None,
        priorities=None,
        year_from=None,
        year_to=None,
    )
    frame = frame.rename(columns={"dim_value": dimension})
    return frame[[dimension, "in_scope", "assessed", "awaiting_allocation"]]


def _by_category(run: Any, rules: DisclosureRules) -> BriefingTable:
    frame = _breakdown(run, "category")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    frame = frame.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)
    labels = [CATEGORY_LABELS.get(c, str(c)) for c in frame["category"]]
    out, notes = _one_way(frame, {"Category": labels}, rules)
    counts = ("In scope", "Assessed", "Awaiting allocation")
    return BriefingTable("by_category", "Cases by category", out, notes, counts)


def _by_bcu(run: Any, rules: DisclosureRules) -> BriefingTable:
    frame = _breakdown(run, "bcu")
    labels = {
        "BCU": [str(c) for c in frame["bcu"]],
        "Name": [BCUS[c][0] if c in BCUS else str(c) for c in frame["bcu"]],
    }
    out, notes = _one_way(frame, labels, rules)
    counts = ("In scope", "Assessed", "Awaiting allocation")
    return BriefingTable("by_bcu", "Cases by Basic Command Unit (BCU)", out, notes, counts)


def _borough_category(
    db: Database, snapshot: SnapshotInfo, rules: DisclosureRules
) -> BriefingTable:
    """Cases in scope by borough and category: a two-way table with secondary suppression."""
    # Raw counts: protect_table needs them to choose the secondary suppressions across both
    # rows and columns; nothing from this frame is used except through protect_table.
    raw = db.run("briefing_borough_category", snapshot, role=MODEL_ROLE)
    boroughs = sorted(b for _, (_, bs) in BCUS.items() for b in bs)
    extra = sorted(set(raw["borough"]) - set(boroughs))
    pivot = (
        raw.pivot_table(index="borough", columns="category", values="in_scope", aggfunc="sum")
        .reindex(index=boroughs + extra, columns=list(CATEGORIES))
        .fillna(0)
        .astype("int64")
    )
    pivot.index.name, pivot.columns.name = "Borough", None
    pivot.columns = [CATEGORY_LABELS[c] for c in pivot.columns]
    protected = protect_table(pivot, rules)
    shown = protected.shown.reset_index()
    shown.columns = ["Borough", *list(protected.shown.columns)]
    counts = tuple(str(c) for c in protected.shown.columns)
    return BriefingTable(
        "borough_category",
        "Cases in scope by borough and category",
        shown,
        protected.notes,
        counts,
    )


def _ethnicity(run: Any, programme: Programme, rules: DisclosureRules) -> tuple[BriefingTable, str]:
    row = run("briefing_ethnicity").iloc[0]
    with_suspects = _plain(row["with_suspects"])
    lines = (
        ("Recorded for every suspect", _plain(row["all_recorded"])),
        ("Recorded for some suspects", _plain(row["some_recorded"])),
        ("Not recorded for any suspect", _plain(row["none_recorded"])),
        ("Cases with at least one suspect", with_suspects),
    )
    pct = [protected_percent(v, with_suspects, rules=rules) for _, v in lines]
    frame = pd.DataFrame(
        {
            "Suspects' ethnicity": [label for label, _ in lines],
            "Cases": [v for _, v in lines],
            "% of cases with a suspect": [NOT_SHOWN if p is None else f"{p:.0f}%" for p in pct],
        }
    )
    national = programme.national_ethnicity_missing_share
    source = programme.setting("national_ethnicity_missing_share").source
    none_pct = pct[2]
    if none_pct is None:
        ours = (
            "The share of cases with a suspect where no suspect's ethnicity is recorded cannot "
            "be shown, because a figure it uses is hidden"
        )
    else:
        ours = (
            f"In {none_pct:.0f}% of cases with at least one suspect ({count_words(lines[2][1])} "
            f"of {count_words(with_suspects, zero='0')}), no suspect's ethnicity is recorded"
        )
    caveat = (
        f"{ours}. The national audit found ethnicity missing for about {national:.0%} of "
        f"perpetrators (about two-thirds; {source}). The figures are not directly comparable: "
        "this one counts cases, the audit counted perpetrators."
    )
    table = BriefingTable(
        "ethnicity",
        "Whether suspects' ethnicity is recorded (cases with at least one suspect)",
        frame,
        _notes_for([frame["Cases"]], rules)
        + ("Percentages are worked out from the rounded figures shown.",),
        ("Cases",),
    )
    return table, caveat


def _resources(
    db: Database,
    run: Any,
    snapshot: SnapshotInfo,
    programme: Programme,
    status: Status,
    rules: DisclosureRules,
) -> tuple[tuple[ResourceLine, ...], str]:
    """Officers and FTE in post, extra FTE needed for the target, and the funding gap.

    The same answer as the resources page (reassess.figures.baseline: baseline_for, default_start and
    find_officers), worked out from raw aggregates; only FTE, money and dates leave here, and
    the officer headcount through protect_count.
    """
    hist = run("scope_history")
    officers_raw = int(hist["officers_active"].iloc[-1]) if len(hist) else 0
    officers = protect_count(officers_raw, rules)
    fte = float(hist["fte_active"].iloc[-1]) if len(hist) else 0.0
    cost = programme.loaded_cost_per_fte
    confidence = f"{DEFAULT_CONFIDENCE:.0%}"
    lines = [
        ResourceLine(
            "Officers on the review",
            count_words(officers, rules, zero="none"),
            f"In post on {long_date(snapshot.as_of)}; rounded like every count.",
        ),
        ResourceLine(
            "Full-time equivalent (FTE) in post",
            f"{fte:,.1f} FTE",
            "Sum of the officers' FTE, before abstraction (leave, sickness, training).",
        ),
        ResourceLine(
            "Loaded cost per FTE",
            f"{money(cost)} a year",
            programme.setting("loaded_cost_per_fte").source,
        ),
    ]
    extra_measure = f"Extra FTE needed to meet the target with {confidence} confidence"
    try:
        baseline = baseline_for(db, snapshot, programme, MODEL_ROLE)
    except BaselineError as exc:
        lines.append(ResourceLine(extra_measure, "Not available", str(exc)))
        text = (
            f"The review has {count_words(officers, rules)} officers ({fte:,.1f} FTE). "
            "No extra FTE figure can be given: the staffing records do not support one."
        )
        text += _cost_to_finish(lines, snapshot, status, fte, cost)
        return tuple(lines), text
    start = default_start(snapshot.as_of)
    inp = ScenarioInput.from_programme(
        baseline, programme, start_date=start, target_date=status.target
    )
    answer = find_officers(baseline, inp, DEFAULT_CONFIDENCE)
    lines.append(
        ResourceLine(
            "FTE available, net of abstraction",
            f"{answer.available_fte_now:,.1f} FTE",
            f"FTE in post less the assumed abstraction of {inp.abstraction_rate:.0%} "
            f"({programme.setting('abstraction_rate').source}).",
        )
    )
    n = answer.extra_officers
    if n is not None and answer.cost_per_year is not None:
        gap = answer.cost_per_year
        lines += [
            ResourceLine(
                extra_measure,
                f"{n:,} FTE",
                f"The fewest extra full-time officers, starting on {long_date(start)} and "
                f"reaching full pace over {number_words(inp.ramp_up_weeks)} weeks, with which "
                f"at least {confidence} of trials finish by {long_date(status.target)} "
                "(the staffing model of the resources page; scope held as it is).",
            ),
            ResourceLine(
                "Funding gap", f"{money(gap)} a year", "Extra FTE needed × loaded cost per FTE."
            ),
        ]
        if n == 0:
            text = (
                f"The current team of {count_words(officers, rules)} officers ({fte:,.1f} FTE) "
                f"is forecast to meet the target with at least {confidence} confidence; no "
                "extra funding is needed for it."
            )
        else:
            text = (
                f"To meet the target of {long_date(status.target)} with {confidence} "
                f"confidence, the review would need {n:,} more FTE than the {fte:,.1f} FTE in "
                f"post: a funding gap of about {money(gap)} a year at {money(cost)} per FTE."
            )
    else:
        lines.append(ResourceLine(extra_measure, "Not applicable", answer.reason))
        text = (
            f"The review has {count_words(officers, rules)} officers ({fte:,.1f} FTE). "
            f"No extra FTE figure can be given for the target: {_lower_first(answer.reason)}"
        )
    text += _cost_to_finish(lines, snapshot, status, fte, cost)
    return tuple(lines), text


def _cost_to_finish(
    lines: list[ResourceLine], snapshot: SnapshotInfo, status: Status, fte: float, cost: float
) -> str:
    """Adds the current team's cost to the forecast's likely finish; returns its sentence."""
    finish = status.forecast.p85 if status.forecast.status == "ok" else None
    if finish is None or finish <= snapshot.as_of:
        return ""
    to_finish = fte * cost * (finish - snapshot.as_of).days / 7 / WEEKS_PER_YEAR
    lines.append(
        ResourceLine(
            "Cost of the current team until the work is likely finished",
            money(to_finish),
            f"{fte:,.1f} FTE from {long_date(snapshot.as_of)} to {long_date(finish)} (the "
            f"forecast date by which {DEFAULT_CONFIDENCE:.0%} of trials finish) at "
            f"{money(cost)} per FTE a year.",
        )
    )
    return (
        f" At its current strength, the team's cost until the work is likely finished "
        f"({long_date(finish)}) is about {money(to_finish)}."
    )


def _narrative(
    status: Status, figures: dict[str, Shown], rules: DisclosureRules
) -> tuple[str, ...]:
    """Further sentences of the narrative: pace, what is left, and what waits for an officer."""
    k = status.kpis
    out = []
    pace = protect_count(int(round(float(k["throughput_4w"]))), rules)
    out.append(
        f"Over the last four weeks, {count_words(pace, rules)} assessments were completed a "
        "week on average."
    )
    if status.required_weekly is not None and figures["remaining"] != 0:
        needed = protect_count(int(math.ceil(status.required_weekly)), rules)
        out.append(
            f"To finish by the target of {long_date(status.target)}, "
            f"{count_words(needed, rules)} assessments a week would be needed."
        )
    out.append(
        f"{_capital(count_words(figures['remaining'], rules, zero='no'))} cases are still to be "
        f"assessed, of which {count_words(figures['awaiting_allocation'], rules, zero='none')} "
        "are awaiting allocation to an officer."
    )
    return tuple(out)


def _rag_reason(status: Status, remaining: Shown, rules: DisclosureRules) -> str:
    """The RAG reason in words, with the remaining cases rounded (never the raw count)."""
    rag, f = status.rag, status.forecast
    if remaining == 0 or rag.label == "Complete":
        return "Every case in scope has been assessed."
    if status.as_of > status.target:
        weeks = (status.as_of - status.target).days // 7
        return (
            f"The target passed {weeks} week{'s' if weeks != 1 else ''} ago with "
            f"{count_words(remaining, rules)} cases not yet assessed."
        )
    if f.status == "ok" and f.prob_by_target is not None:
        return f"The forecast gives a {f.prob_by_target:.0%} chance of finishing by the target."
    return f.message


def _forecast_note(status: Status) -> str:
    f = status.forecast
    weeks = number_words(status.window_weeks)
    return (
        f"The forecast draws whole weeks at random from the assessments completed in the last "
        f"{weeks} weeks ({f.trials:,} trials), allowing for changes in scope as they have "
        "happened. The first date is the median; by the second, 85% of trials have finished. "
        "It is a projection of recent pace, not a commitment."
    )


def _caveats(
    snapshot: SnapshotInfo,
    programme: Programme,
    ethnicity_caveat: str,
    kpis: dict[str, Any],
    status: Status,
    rules: DisclosureRules,
) -> tuple[str, ...]:
    out = []
    if snapshot.synthetic:
        out.append(
            "SYNTHETIC DATA: these figures describe a demonstration programme generated by "
            "software. No real case, victim, suspect or officer is shown."
        )
    out.append(
        f"Counts are rounded to the nearest {rules.rounding_base} and small counts are not shown "
        "(see the disclosure rules), so figures may not add up to the totals shown."
    )
    scope = programme.baseline_scope
    out.append(
        f"Scope can change as records are searched. The Commissioner's letter gave about "
        f"{scope:,} investigations ({programme.setting('baseline_scope').source}); the tracker "
        f"now holds {count_words(_plain(kpis['in_scope']), zero='0')} cases in scope."
    )
    flagging = programme.flagging_accuracy_share
    out.append(
        f"Historic records may be incomplete: an inspection found {flagging:.0%} of child "
        f"exploitation cases accurately flagged ({programme.setting('flagging_accuracy_share').source}), "
        "so more cases may come into scope."
    )
    out.append(ethnicity_caveat)
    out.append(_forecast_note(status))
    return tuple(out)


def _sources(
    snapshot: SnapshotInfo, compare: SnapshotInfo | None, programme: Programme
) -> tuple[str, ...]:
    out = [
        f"Snapshot {snapshot.label} (the case tracker as at {long_date(snapshot.as_of)}), "
        f"ingested {snapshot.ingested_at:%Y-%m-%d %H:%M}."
    ]
    if compare is not None:
        out.append(f"Compared with snapshot {compare.label}.")
    target = programme.setting("target_date")
    out.append(f"Target date {long_date(target.value)}: {target.source}.")
    return tuple(out)


__all__ = [
    "BRIEFING_ROLE",
    "DEFINITIONS",
    "TABLE_KEYS",
    "Briefing",
    "BriefingTable",
    "ResourceLine",
    "build_briefing",
    "changes_sentence",
    "count_words",
    "display_value",
    "forecast_sentence",
    "progress_sentence",
]
