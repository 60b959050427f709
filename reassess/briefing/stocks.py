"""The briefing's figures over time, consistent across releases: base stocks and what is derived (no Streamlit).

Each weekly snapshot publishes six base cells, protected once (reassess/disclosure/releases.py)
and kept in the release ledger: cases in scope, assessed, awaiting allocation, in assessment,
awaiting QA, and high-priority cases awaiting allocation. The five status counts are the
stages every case is at, so any other stage, and every change over time, is a sum or difference
of these: it is derived from the shown base figures, never rounded afresh from a raw count.

- allocated, not started = in scope - assessed - awaiting allocation - in assessment;
- QA signed off = assessed - awaiting QA; still to assess = in scope - assessed;
- what changed since a comparison: assessments completed (assessed now - then), the net change
  in cases in scope, cases newly allocated ((in scope - awaiting allocation) now - then);
- each week's completions (assessed at its end - at the week before) and starts (in assessment
  + assessed, likewise); the cumulative series is the assessed figure of each week's release.

Before the programme start every stock is 0 (nothing had been assessed); a week with no
snapshot has no figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reassess.disclosure.ledger import Ledger
from reassess.disclosure.releases import Cell, derive, protect_counts
from reassess.disclosure.tables import DisclosureRules
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database

BASE = (
    "in_scope",
    "assessed",
    "awaiting_allocation",
    "in_assessment",
    "awaiting_qa",
    "high_priority_awaiting",
)
STOCK_TABLE = "stock"
RAW_ROLE = "planner"  # raw aggregate counts, read only to protect them here
ZERO = Cell(0, "exact", 0, 0)


@dataclass(frozen=True)
class Stocks:
    """The base cells of every release up to one, by as-of date."""

    by_date: dict[date, dict[str, Cell]]
    programme_start: date

    def at(self, day: date) -> dict[str, Cell] | None:
        """The base cells as at a date: its release's, zeros before the programme, else None."""
        if day in self.by_date:
            return self.by_date[day]
        if day < self.programme_start:
            return dict.fromkeys(BASE, ZERO)
        return None

    def figure(self, day: date, name: str, rules: DisclosureRules) -> Cell | None:
        """A headline figure as at a date: a base cell, or one derived from them."""
        base = self.at(day)
        if base is None:
            return None
        if name in base:
            return base[name]
        return derive([(k, base[b]) for k, b in STAGES[name]], rules)

    def change(self, name: str, now: date, then: date, rules: DisclosureRules) -> Cell | None:
        """A change between two dates, derived from the shown base figures of both."""
        a, b = self.at(now), self.at(then)
        if a is None or b is None:
            return None
        terms = [(k, a[n]) for k, n in CHANGES[name]] + [(-k, b[n]) for k, n in CHANGES[name]]
        return derive(terms, rules, signed=name == "net_scope")


STAGES: dict[str, tuple[tuple[int, str], ...]] = {
    "allocated": (
        (1, "in_scope"),
        (-1, "assessed"),
        (-1, "awaiting_allocation"),
        (-1, "in_assessment"),
    ),
    "qa_signed_off": ((1, "assessed"), (-1, "awaiting_qa")),
    "remaining": ((1, "in_scope"), (-1, "assessed")),
}
CHANGES: dict[str, tuple[tuple[int, str], ...]] = {
    "completed": ((1, "assessed"),),
    "net_scope": ((1, "in_scope"),),
    "newly_allocated": ((1, "in_scope"), (-1, "awaiting_allocation")),
    "started": ((1, "in_assessment"), (1, "assessed")),
}


def stock_key(day: date, name: str) -> str:
    return f"{day.isoformat()}:{name}"


def release_stocks(
    db: Database,
    listing: Listing,
    upto: SnapshotInfo,
    programme_start: date,
    ledger: Ledger,
    rules: DisclosureRules,
) -> Stocks:
    """The base cells of every release up to `upto`, from the ledger or protected and recorded now."""
    known = ledger.base(STOCK_TABLE)
    by_date: dict[date, dict[str, Cell]] = {}
    for snap in listing.snapshots:
        if snap.as_of > upto.as_of:
            break
        keys = {name: stock_key(snap.as_of, name) for name in BASE}
        if all(k in known for k in keys.values()):
            by_date[snap.as_of] = {name: known[k] for name, k in keys.items()}
            continue
        raw = db.scalar_row("kpis", snap, role=RAW_ROLE)
        cells = protect_counts(
            {keys[name]: int(raw[name]) for name in BASE},
            snap.as_of,
            STOCK_TABLE,
            ledger=ledger,
            rules=rules,
        )
        by_date[snap.as_of] = {name: cells[k] for name, k in keys.items()}
    return Stocks(by_date, programme_start)


def week_before(day: date) -> date:
    return day - timedelta(days=7)


__all__ = ["BASE", "CHANGES", "STAGES", "Stocks", "release_stocks", "stock_key", "week_before"]
