"""The briefing's tables over time (headline, what changed, weekly, progress) from the base stocks, and its release record (no Streamlit).

Every figure here is a base cell or derived from base cells (reassess/briefing/stocks.py), so
no comparison and no later release can narrow a hidden or rounded count.
`release_cells` lists every figure one release of the briefing shows, with its protection, for
the release ledger; `publish_release` records a release for every comparison the Mayor's
office may make, and `build_ledger` does so for every snapshot, oldest first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from reassess.briefing.contents import HEADLINE_ROWS, BriefingTable
from reassess.briefing.stocks import Stocks, release_stocks
from reassess.briefing.tables import as_day, notes_for
from reassess.config import Programme
from reassess.disclosure.ledger import Ledger
from reassess.disclosure.releases import Cell, allowed_compares, shown_cell
from reassess.disclosure.tables import DisclosureRules
from reassess.present.formats import long_date, number_words
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database

CHANGE_ROWS = (
    ("completed", "Assessments completed"),
    ("net_scope", "Net change in cases in scope"),
    ("newly_allocated", "Cases newly allocated to an officer"),
    ("high_priority_awaiting", "High-priority cases awaiting allocation (now)"),
)
DERIVED_NOTE = (
    "Changes are worked out from the rounded figures of the two snapshots, so they are "
    'approximate; a small change is shown as "{label}".'
)


def headline_cells(stocks: Stocks, day: date, rules: DisclosureRules) -> dict[str, Cell]:
    """The headline figures as at a date (and the cases still to assess)."""
    names = [k for k, _ in HEADLINE_ROWS] + ["remaining"]
    out = {}
    for name in names:
        cell = stocks.figure(day, name, rules)
        if cell is None:
            raise ValueError(f"no snapshot as at {day}")
        out[name] = cell
    return out


def change_cells(stocks: Stocks, now: date, then: date, rules: DisclosureRules) -> dict[str, Cell]:
    """What changed between two snapshots, derived from their shown base figures."""
    out: dict[str, Cell] = {}
    for name, _ in CHANGE_ROWS:
        if name == "high_priority_awaiting":
            base = stocks.at(now)
            assert base is not None
            out[name] = base[name]
        else:
            cell = stocks.change(name, now, then, rules)
            assert cell is not None
            out[name] = cell
    return out


def headline_table(
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    now: dict[str, Cell],
    before: dict[str, Cell] | None,
    rules: DisclosureRules,
) -> BriefingTable:
    columns = {f"As at {snapshot.as_of.isoformat()}": now}
    if compare is not None and before is not None:
        columns[f"As at {compare.as_of.isoformat()}"] = before
    data: dict[str, list[Any]] = {"Figure": [label for _, label in HEADLINE_ROWS]}
    for title, cells in columns.items():
        data[title] = [cells[k].shown for k, _ in HEADLINE_ROWS]
    notes = notes_for([data[c] for c in columns], rules) + (
        "Allocated and QA signed off are worked out from the rounded figures of the other stages.",
    )
    return BriefingTable("headline", "Headline figures", pd.DataFrame(data), notes, tuple(columns))


def changes_table(
    compare: SnapshotInfo, cells: dict[str, Cell], rules: DisclosureRules
) -> BriefingTable:
    frame = pd.DataFrame(
        {
            "Change": [label for _, label in CHANGE_ROWS],
            "Cases": [cells[k].shown for k, _ in CHANGE_ROWS],
        }
    )
    return BriefingTable(
        "changes",
        f"What changed since {long_date(compare.as_of)}",
        frame,
        notes_for([frame["Cases"]], rules) + (DERIVED_NOTE.format(label=rules.suppressed_label),),
        ("Cases",),
    )


def week_endings(as_of: date, weeks: int) -> list[date]:
    return [as_of - timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]


def weekly_cells(
    stocks: Stocks, as_of: date, weeks: int, rules: DisclosureRules
) -> dict[date, dict[str, Cell | None]]:
    """Each week's starts and completions, derived from the week's and the week before's stocks."""
    return {
        end: {
            name: stocks.change(name, end, end - timedelta(days=7), rules)
            for name in ("started", "completed")
        }
        for end in week_endings(as_of, weeks)
    }


def weekly_table(
    cells: dict[date, dict[str, Cell | None]], weeks: int, rules: DisclosureRules
) -> BriefingTable:
    def shown(c: Cell | None) -> object:
        return None if c is None else c.shown

    frame = pd.DataFrame(
        {
            "Week starting": [end - timedelta(days=6) for end in cells],
            "Week ending": list(cells),
            "Assessments started": pd.Series(
                [shown(c["started"]) for c in cells.values()], dtype=object
            ),
            "Assessments completed": pd.Series(
                [shown(c["completed"]) for c in cells.values()], dtype=object
            ),
        }
    )
    notes = notes_for([frame["Assessments started"], frame["Assessments completed"]], rules) + (
        "Each week's figure is worked out from the rounded figures of that week's snapshot and "
        "the week before's; blank where a week has no snapshot.",
    )
    return BriefingTable(
        "weekly",
        f"Assessments started and completed each week (last {number_words(weeks)} weeks)",
        frame,
        notes,
        ("Assessments started", "Assessments completed"),
    )


def progress_cells(
    stocks: Stocks, as_of: date, start: date, rules: DisclosureRules
) -> dict[date, dict[str, Cell | None]]:
    """Cumulative assessed and cases in scope as each week's snapshot showed them."""
    ends = [as_of - timedelta(days=7 * i) for i in range((as_of - start).days // 7, -1, -1)]
    return {
        end: {name: stocks.figure(end, name, rules) for name in ("assessed", "in_scope")}
        for end in ends
    }


def progress_table(
    cells: dict[date, dict[str, Cell | None]], rules: DisclosureRules
) -> tuple[BriefingTable, pd.DataFrame, pd.DataFrame]:
    def shown(c: Cell | None) -> object:
        return None if c is None else c.shown

    def number(c: Cell | None) -> float:
        return float("nan") if c is None or isinstance(c.shown, str) else float(c.shown)

    weeks = list(cells)
    frame = pd.DataFrame(
        {
            "Week ending": weeks,
            "Assessed (cumulative)": pd.Series(
                [shown(c["assessed"]) for c in cells.values()], dtype=object
            ),
            "Cases in scope": pd.Series(
                [shown(c["in_scope"]) for c in cells.values()], dtype=object
            ),
        }
    )
    chart_assessed = pd.DataFrame(
        {
            "week_ending": pd.to_datetime(weeks),
            "assessed": [number(c["assessed"]) for c in cells.values()],
        }
    ).dropna()
    chart_scope = pd.DataFrame(
        {
            "as_of": pd.to_datetime(weeks),
            "in_scope": [number(c["in_scope"]) for c in cells.values()],
        }
    ).dropna()
    table = BriefingTable(
        "progress",
        "Cases assessed (cumulative) and cases in scope, by week",
        frame,
        notes_for([frame["Assessed (cumulative)"], frame["Cases in scope"]], rules)
        + ("Both are blank in weeks with no snapshot.",),
        ("Assessed (cumulative)", "Cases in scope"),
    )
    return table, chart_assessed, chart_scope


def table_cells(table: BriefingTable, rules: DisclosureRules) -> list[tuple[str, str, Cell]]:
    """The count cells of a protected table for the ledger: (table, 'row label|column', Cell)."""
    out = []
    label_column = table.frame.columns[0]
    for _, row in table.frame.iterrows():
        for column in table.count_columns:
            label = str(row[label_column])
            cell = table.derived.get((label, column)) or shown_cell(row[column], rules)
            if cell is not None:
                out.append((table.key, f"{label}|{column}", cell))
    return out


def dated_cells(
    table: str, cells: dict[date, dict[str, Cell | None]]
) -> list[tuple[str, str, Cell]]:
    return [
        (table, f"{day.isoformat()}|{name}", cell)
        for day, row in cells.items()
        for name, cell in row.items()
        if cell is not None
    ]


def release_cells(
    db: Database,
    listing: Listing,
    snapshot: SnapshotInfo,
    programme: Programme,
    ledger: Ledger,
    rules: DisclosureRules,
    cross_section: list[BriefingTable],
) -> list[tuple[str, str, Cell]]:
    """Every figure one release shows, for each comparison the Mayor's office may make."""
    stocks = release_stocks(db, listing, snapshot, programme.programme_start, ledger, rules)
    day = snapshot.as_of
    out = [("headline", k, c) for k, c in headline_cells(stocks, day, rules).items()]
    for compare in allowed_compares(listing, snapshot).values():
        changes = change_cells(stocks, day, compare.as_of, rules)
        out += [(f"changes:{compare.as_of.isoformat()}", k, c) for k, c in changes.items()]
    out += dated_cells(
        "weekly", weekly_cells(stocks, day, programme.throughput_window_weeks, rules)
    )
    out += dated_cells("progress", progress_cells(stocks, day, programme.programme_start, rules))
    for table in cross_section:
        out += table_cells(table, rules)
    return out


def cross_section_tables(
    db: Database, snapshot: SnapshotInfo, rules: DisclosureRules
) -> list[BriefingTable]:
    """The breakdowns a release shows: by category, by BCU, and by borough and category."""
    from reassess.briefing.contents import BRIEFING_ROLE
    from reassess.briefing.tables import bcu_table, borough_category_table, category_table

    def run(name: str, **params: Any) -> pd.DataFrame:
        return db.run(name, snapshot, role=BRIEFING_ROLE, **params)

    borough, _ = borough_category_table(db, snapshot, rules)
    return [category_table(run, rules), bcu_table(run, rules), borough]


def build_ledger(
    db: Database, listing: Listing, programme: Programme, ledger: Ledger, rules: DisclosureRules
) -> None:
    """Record every release of the snapshots, oldest first, as the briefing publishes it.

    Rebuilding from the same snapshots gives the same rows; releases already recorded are kept.
    """
    for snapshot in listing.snapshots:
        tables = cross_section_tables(db, snapshot, rules)
        cells = release_cells(db, listing, snapshot, programme, ledger, rules, tables)
        ledger.record(snapshot.as_of, cells)


__all__ = [
    "build_ledger",
    "cross_section_tables",
    "CHANGE_ROWS",
    "as_day",
    "change_cells",
    "changes_table",
    "headline_cells",
    "headline_table",
    "progress_cells",
    "progress_table",
    "release_cells",
    "weekly_cells",
    "weekly_table",
]
