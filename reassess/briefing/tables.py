"""The briefing's tables, each read as the Mayor's office role or protected here (no Streamlit)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reassess.briefing.contents import (
    FAN_COLUMNS,
    MODEL_ROLE,
    NOT_SHOWN,
    BriefingTable,
    as_number,
    shown_or_plain,
)
from reassess.briefing.words import count_words
from reassess.config import Programme
from reassess.disclosure.releases import Cell, protect_grid
from reassess.disclosure.tables import (
    DisclosureRules,
    protect_count,
    protected_percent,
)
from reassess.extract.contract import BCUS, CATEGORIES
from reassess.figures.status import Status, status_fan
from reassess.present.vocabulary import CATEGORY_LABELS
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database


def notes_for(columns: list[Any], rules: DisclosureRules) -> tuple[str, ...]:
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


def as_day(value: Any) -> date:
    return pd.Timestamp(value).date()


def build_fan_table(
    status: Status, rules: DisclosureRules
) -> tuple[BriefingTable, pd.DataFrame | None]:
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
        {"Week ending": [as_day(d) for d in fan["week_ending"]]}
        | {label: shown[key] for key, label in FAN_COLUMNS}
    )
    chart = pd.DataFrame(
        {"week_ending": pd.to_datetime(frame["Week ending"])}
        | {key: [as_number(v) for v in shown[key]] for key, _ in FAN_COLUMNS}
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


def one_way_table(
    frame: pd.DataFrame, label_columns: dict[str, list[Any]], rules: DisclosureRules
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A one-way breakdown from a disclosed frame: labels, the counts and % assessed."""
    in_scope = [shown_or_plain(v) for v in frame["in_scope"]]
    assessed = [shown_or_plain(v) for v in frame["assessed"]]
    pct = [protected_percent(a, s, rules=rules) for a, s in zip(assessed, in_scope, strict=True)]
    out = pd.DataFrame(
        label_columns
        | {
            "In scope": in_scope,
            "Assessed": assessed,
            "% assessed": [NOT_SHOWN if p is None else f"{p:.0f}%" for p in pct],
            "Awaiting allocation": [shown_or_plain(v) for v in frame["awaiting_allocation"]],
        }
    )
    notes = notes_for([in_scope, assessed, out["Awaiting allocation"]], rules)
    if any(p is None for p in pct):
        notes += (f'"{NOT_SHOWN}" in % assessed: not shown, because a figure it uses is hidden.',)
    return out, notes


def breakdown_frame(run: Any, dimension: str) -> pd.DataFrame:
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


def category_table(run: Any, rules: DisclosureRules) -> BriefingTable:
    frame = breakdown_frame(run, "category")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    frame = frame.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)
    labels = [CATEGORY_LABELS.get(c, str(c)) for c in frame["category"]]
    out, notes = one_way_table(frame, {"Category": labels}, rules)
    counts = ("In scope", "Assessed", "Awaiting allocation")
    return BriefingTable("by_category", "Cases by category", out, notes, counts)


def bcu_table(run: Any, rules: DisclosureRules) -> BriefingTable:
    frame = breakdown_frame(run, "bcu")
    labels = {
        "BCU": [str(c) for c in frame["bcu"]],
        "Name": [BCUS[c][0] if c in BCUS else str(c) for c in frame["bcu"]],
    }
    out, notes = one_way_table(frame, labels, rules)
    counts = ("In scope", "Assessed", "Awaiting allocation")
    return BriefingTable("by_bcu", "Cases by Basic Command Unit (BCU)", out, notes, counts)


def borough_category_table(
    db: Database, snapshot: SnapshotInfo, rules: DisclosureRules
) -> tuple[BriefingTable, dict[tuple[object, object], Cell]]:
    """Cases in scope by borough and category: each cell protected, every total derived from them."""
    # Raw counts: protect_grid protects each cell and works out the totals from the shown
    # cells; nothing from this frame is used except through protect_grid.
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
    shown, cells = protect_grid(pivot, rules)
    shown.columns = [CATEGORY_LABELS[c] if c in CATEGORY_LABELS else c for c in shown.columns]
    shown = shown.reset_index()
    counts = tuple(str(c) for c in shown.columns[1:])
    values = [v for c in counts for v in shown[c]]
    notes = notes_for([values], rules) + (
        "Totals are worked out from the figures shown in the table, so they are approximate.",
    )
    label = {**CATEGORY_LABELS, "Total": "Total"}
    derived = {(str(r), label.get(str(c), str(c))): cell for (r, c), cell in cells.items()}
    table = BriefingTable(
        "borough_category",
        "Cases in scope by borough and category",
        shown,
        notes,
        counts,
        derived,
    )
    return table, cells


def ethnicity_table(
    run: Any, programme: Programme, rules: DisclosureRules
) -> tuple[BriefingTable, str]:
    row = run("briefing_ethnicity").iloc[0]
    with_suspects = shown_or_plain(row["with_suspects"])
    lines = (
        ("Recorded for every suspect", shown_or_plain(row["all_recorded"])),
        ("Recorded for some suspects", shown_or_plain(row["some_recorded"])),
        ("Not recorded for any suspect", shown_or_plain(row["none_recorded"])),
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
        notes_for([frame["Cases"]], rules)
        + ("Percentages are worked out from the rounded figures shown.",),
        ("Cases",),
    )
    return table, caveat
