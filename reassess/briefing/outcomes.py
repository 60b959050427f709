"""The reinvestigation phase in the briefing: the funnel, closures and victims supported, disclosure-controlled (no Streamlit).

Base cells, each protected once per release and kept in the release ledger (table
"reinvestigation"), as the assessment stocks are (reassess/briefing/stocks.py):

- the furthest stage each reinvestigation has reached (seven cells, one partition of the
  referred);
- the closures by outcome (six cells);
- the victims supported: reinvestigations whose victim accepted an ISVA (one cell).

Every other figure is derived from the shown base cells (`derive`), never rounded afresh: each
stage of the cumulative funnel is the sum of the furthest-stage cells from it on, the closed
total the sum of the closure cells, and every change since a comparison the difference of the
two releases' derived figures. No two published figures are sums of different cells over the
same reinvestigations, so no total can be set against another to narrow a hidden count.

The commander, planner and analyst read the same table as recorded (`ROLE_RESULTS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from reassess.access import ROLE_RESULTS
from reassess.briefing.contents import BriefingTable, Shown
from reassess.briefing.tables import notes_for
from reassess.briefing.words import capital, count_words
from reassess.disclosure.ledger import Ledger
from reassess.disclosure.releases import Cell, derive, protect_counts
from reassess.disclosure.tables import DisclosureRules
from reassess.figures.reinvestigation import CLOSURES, FUNNEL, FURTHEST, Funnel, read_funnel
from reassess.model.reinvestigation import CoupledPlan
from reassess.present.formats import long_date
from reassess.snapshot.listing import SnapshotInfo
from reassess.snapshot.runner import Database

TABLE = "reinvestigation"
RAW_ROLE = "planner"  # raw aggregate counts, read only to protect them here
CLOSED = tuple(f"closed_{code}" for code, _ in CLOSURES)
BASE = (*FURTHEST, *CLOSED, "isva_accepted")
ROWS: tuple[tuple[str, str], ...] = (
    *FUNNEL,
    ("closed", "Closed"),
    *((f"closed_{code}", f"Closed: {text}") for code, text in CLOSURES),
    ("isva_accepted", "Victims supported (ISVA accepted)"),
)
"""The rows of the briefing's reinvestigation table, in order."""
ZERO = Cell(0, "exact", 0, 0)


def _key(day: date, name: str) -> str:
    return f"{day.isoformat()}:{name}"


def base_cells(
    db: Database, snapshot: SnapshotInfo, ledger: Ledger, rules: DisclosureRules
) -> dict[str, Cell]:
    """The base cells of one release: from the ledger, or protected now and recorded there."""
    f = read_funnel(db, snapshot, role=RAW_ROLE)
    if not f.recorded:
        return dict.fromkeys(BASE, ZERO)
    cells = protect_counts(
        {_key(snapshot.as_of, name): f[name] for name in BASE},
        snapshot.as_of,
        TABLE,
        ledger=ledger,
        rules=rules,
    )
    return {name: cells[_key(snapshot.as_of, name)] for name in BASE}


def figure_cells(base: dict[str, Cell], rules: DisclosureRules) -> dict[str, Cell]:
    """Every row's figure, derived from the base cells."""
    out: dict[str, Cell] = {}
    for i, (name, _) in enumerate(FUNNEL):
        out[name] = derive([(1, base[b]) for b in FURTHEST[i:]], rules)
    out["closed"] = derive([(1, base[b]) for b in CLOSED], rules)
    out.update({name: base[name] for name in CLOSED})
    out["isva_accepted"] = base["isva_accepted"]
    return out


def change_cells(
    now: dict[str, Cell], then: dict[str, Cell], rules: DisclosureRules
) -> dict[str, Cell]:
    """Each row's change between two releases, derived from both releases' base cells."""
    terms = {
        **{name: FURTHEST[i:] for i, (name, _) in enumerate(FUNNEL)},
        "closed": CLOSED,
        **{name: (name,) for name in (*CLOSED, "isva_accepted")},
    }
    return {
        name: derive(
            [(1, now[b]) for b in parts] + [(-1, then[b]) for b in parts], rules, signed=True
        )
        for name, parts in terms.items()
    }


@dataclass(frozen=True)
class Outcomes:
    """The reinvestigation figures a briefing shows, and the table that holds them."""

    recorded: bool
    figures: dict[str, Shown]  # by row name: shown (disclosed) or as recorded
    changes: dict[str, Shown] | None
    table: BriefingTable
    cells: dict[str, Cell]  # the disclosed figures, for the release ledger (empty as recorded)
    text: str  # one sentence from the figures shown


def recorded_rows(f: Funnel) -> dict[str, int]:
    return {name: f[name] for name, _ in ROWS}


def outcomes(
    db: Database,
    snapshot: SnapshotInfo,
    compare: SnapshotInfo | None,
    ledger: Ledger,
    rules: DisclosureRules,
    *,
    role: str,
) -> Outcomes:
    """The reinvestigation table for a role: disclosed for the Mayor's office, else as recorded."""
    recorded = read_funnel(db, snapshot, role=RAW_ROLE).recorded
    figures: dict[str, Shown]
    changes: dict[str, Shown] | None = None
    cells: dict[str, Cell] = {}
    as_recorded = ROLE_RESULTS.get(role) == "as_recorded"
    if as_recorded:
        now_f = read_funnel(db, snapshot, role=role)
        figures = dict(recorded_rows(now_f))
        if compare is not None:
            then = recorded_rows(read_funnel(db, compare, role=role))
            changes = {k: int(v) - then[k] for k, v in figures.items()}
        notes: tuple[str, ...] = (
            "As recorded, for the commander, planner and analyst: the Mayor's office's copy "
            "rounds these and hides small counts.",
        )
    else:
        now = base_cells(db, snapshot, ledger, rules)
        shown = figure_cells(now, rules)
        figures = {k: c.shown for k, c in shown.items()}
        cells = dict(shown)
        if compare is not None:
            moved = change_cells(now, base_cells(db, compare, ledger, rules), rules)
            changes = {k: c.shown for k, c in moved.items()}
            cells.update({f"change:{compare.as_of.isoformat()}:{k}": c for k, c in moved.items()})
        notes = notes_for([list(figures.values())], rules) + (
            "Each stage and total is worked out from the rounded furthest-stage and closure "
            "counts, so it is approximate.",
        )
    frame = pd.DataFrame(
        {"Stage": [text for _, text in ROWS], "Reinvestigations": [figures[k] for k, _ in ROWS]}
    )
    counts: tuple[str, ...] = ("Reinvestigations",)
    if changes is not None and compare is not None:
        column = f"Change since {long_date(compare.as_of)}"
        frame[column] = [changes[k] for k, _ in ROWS]
        counts += (column,)
    if not recorded:
        notes = ("No reinvestigations are recorded in this snapshot yet.", *notes)
    table = BriefingTable(
        TABLE,
        "Reinvestigations: how far they have got",
        frame,
        notes + ("A reinvestigation counts at every stage up to the furthest it has reached.",),
        counts,
    )
    return Outcomes(
        recorded,
        figures,
        changes,
        table,
        cells,
        outcome_sentence(recorded, figures, rules, exact=as_recorded),
    )


def _words(shown: Shown, rules: DisclosureRules, exact: bool) -> str:
    if exact and isinstance(shown, int):
        return f"{shown:,}" if shown else "none"
    return count_words(shown, rules, zero="none")


def outcome_sentence(
    recorded: bool, figures: dict[str, Shown], rules: DisclosureRules, *, exact: bool
) -> str:
    """The reinvestigation phase in one sentence, from the figures shown ("about" unless exact)."""
    if not recorded:
        return "No reinvestigations are recorded in this snapshot yet."
    w = {k: _words(v, rules, exact) for k, v in figures.items()}
    return (
        f"{capital(w['referred'])} cases have been referred for reinvestigation: the victim has "
        f"been contacted in {w['engaged']}, has given consent in {w['consent_given']}, an "
        f"investigation has opened in {w['opened']} and suspects have been charged in "
        f"{w['charged']}; {w['closed']} have closed. {capital(w['isva_accepted'])} victims "
        "have accepted the support of an ISVA."
    )


def demand_statement(plan: CoupledPlan, *, as_recorded: bool) -> str:
    """The coupled forecast's statement of unmet demand (FTE and pounds).

    The review team reads `statement()` whole. The Mayor's office reads its first part (the
    gap in FTE and pounds) and where the effort figure comes from, without the count of closed
    reinvestigations behind it, which is exact and may be small.
    """
    full = plan.statement()
    if as_recorded:
        return full
    gap = full.split("; effort", 1)[0]
    basis = (
        "measured from the reinvestigations closed so far"
        if plan.effort_measured
        else "assumed from config/programme.toml until enough reinvestigations have closed"
    )
    return f"{gap}; effort per reinvestigation is {basis}."


__all__ = [
    "demand_statement",
    "BASE",
    "ROWS",
    "TABLE",
    "Outcomes",
    "base_cells",
    "change_cells",
    "figure_cells",
    "outcomes",
]
