"""Disclosure that holds across releases and comparisons: base cells, derived figures, the policy.

Every weekly snapshot is a release to the Mayor's office. What one release shows must not, with
every earlier release and every comparison allowed, pin down a count that was hidden or rounded
(docs/disclosure.md says why this method was chosen, and what the intruder test found):

- **base cells**: the few counts that are protected on their own, one release at a time
  (``protect_counts``): 0 is shown as 0, 1 to 9 hidden ("<10"), the rest rounded to the nearest
  5. Each comes with its protection interval (what the shown figure says about the true count:
  [1, 9] for "<10", [s-2, s+2] for a rounded s). A base cell is published once and then read
  back from the release ledger (reassess/disclosure/ledger.py), so the same cell shows the same
  figure in every later release;
- **derived figures**: every figure that is a sum or difference of base cells (what changed
  since a comparison, weekly completions, the cumulative series, the cases still to assess) is
  worked out from the *shown* base figures (``derive``), never rounded again from the raw
  counts. It therefore tells nothing that the base figures have not already told, however many
  releases and comparisons are put side by side; its interval is the sum of its terms' intervals;
- **the compare policy**: the Mayor's office may compare a release only with the previous week,
  four weeks back and the programme start (``allowed_compares``), as defence in depth.

Pure Python: no Streamlit, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from reassess.disclosure.tables import (
    DisclosureError,
    DisclosureRules,
    default_rules,
    round_to_base,
)
from reassess.snapshot.listing import Listing, SnapshotInfo

Protection = Literal["exact", "rounded", "suppressed", "secondary", "derived"]
RESTRICTED_ROLES = frozenset({"mayors_office"})
"""Roles whose comparisons are limited to the fixed set of published releases."""
COMPARE_NAMES = {
    "previous": "the previous week",
    "four_weeks": "four weeks back",
    "start": "the programme start",
}


@dataclass(frozen=True)
class Cell:
    """One published figure: what is shown, how it was protected, and what it says about the truth."""

    shown: int | str  # a whole number or a suppression label
    protection: Protection
    lo: int  # the true count lies in [lo, hi] as far as the shown figure tells
    hi: int | None  # None: no upper bound is shown (a secondary suppression)

    @property
    def mid(self) -> float:
        """The middle of the interval: the figure used when a hidden count enters a sum."""
        if self.hi is None:
            raise DisclosureError("a cell with no upper bound cannot enter a derived figure")
        return (self.lo + self.hi) / 2

    @property
    def upper(self) -> int:
        """The upper bound, for a base cell (which always has one)."""
        if self.hi is None:
            raise DisclosureError("a cell with no upper bound cannot enter a derived figure")
        return self.hi


def protect_cell(n: int, rules: DisclosureRules | None = None) -> Cell:
    """One base count as shown, with its protection interval."""
    rules = rules or default_rules()
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DisclosureError(f"a count must be a whole number of 0 or more, not {n!r}")
    if n == 0 and rules.show_zero:
        return Cell(0, "exact", 0, 0)
    if n < rules.threshold:
        return Cell(
            rules.suppressed_label,
            "suppressed",
            0 if not rules.show_zero else 1,
            rules.threshold - 1,
        )
    shown = max(round_to_base(n, rules.rounding_base), rules.smallest_shown)
    half = rules.rounding_base // 2
    lo = max(shown - half, rules.threshold)
    hi = shown + (rules.rounding_base - 1 - half)
    return Cell(shown, "rounded", lo, hi)


def shown_cell(value: int | str | None, rules: DisclosureRules | None = None) -> Cell | None:
    """The interval a figure from a protected table (protect_table, protect_series) gives."""
    rules = rules or default_rules()
    if value is None:
        return None
    if value == rules.secondary_label:
        return Cell(value, "secondary", 0, None)
    if value == rules.suppressed_label:
        return Cell(value, "suppressed", 0 if not rules.show_zero else 1, rules.threshold - 1)
    if isinstance(value, str):
        raise DisclosureError(f"{value!r} is not a shown figure")
    if value == 0:
        return Cell(0, "exact", 0, 0)
    half = rules.rounding_base // 2
    return Cell(
        value, "rounded", max(value - half, rules.threshold), value + rules.rounding_base - 1 - half
    )


def protect_counts(
    counts: Mapping[str, int],
    release: date,
    table: str,
    *,
    ledger: object | None = None,
    rules: DisclosureRules | None = None,
) -> dict[str, Cell]:
    """Protect a table of base counts for a release: {cell key: Cell}, consistent with the ledger.

    A cell the ledger already holds for this table (published by this or an earlier release)
    is shown as it was then; the others are protected here and recorded in the ledger (when one
    is given). Use it for any new table of counts the Mayor's office sees: its cells must be
    counts that no other published figure adds up to (else derive that figure with ``derive``).
    """
    from reassess.disclosure.ledger import Ledger

    rules = rules or default_rules()
    known = ledger.base(table, list(counts)) if isinstance(ledger, Ledger) else {}
    out = {key: known.get(key) or protect_cell(int(n), rules) for key, n in counts.items()}
    if isinstance(ledger, Ledger):
        fresh = {k: c for k, c in out.items() if k not in known}
        if fresh:
            ledger.record_base(release, table, fresh)
    return out


def derive(
    terms: Sequence[tuple[int, Cell]], rules: DisclosureRules | None = None, *, signed: bool = False
) -> Cell:
    """A sum of base cells (each with a coefficient of +1 or -1), from their shown figures only.

    The interval is the sum of the terms' intervals (clipped at 0 unless ``signed``); the figure
    shown is its middle, rounded to the base, or "<10" when the interval lies below the threshold
    (0 when it is exactly 0).
    """
    rules = rules or default_rules()
    lo = sum(c.lo if k > 0 else -c.upper for k, c in terms)
    hi = sum(c.upper if k > 0 else -c.lo for k, c in terms)
    if not signed:
        lo, hi = max(lo, 0), max(hi, 0)
    if lo == hi == 0:
        return Cell(0, "derived", 0, 0)
    mid = sum(k * c.mid for k, c in terms)
    magnitude = round_to_base(int(abs(mid) + 0.5), rules.rounding_base)
    if magnitude < rules.threshold:
        return Cell(rules.suppressed_label, "derived", lo, hi)
    return Cell(magnitude if mid >= 0 else -magnitude, "derived", lo, hi)


def protect_grid(
    counts: pd.DataFrame, rules: DisclosureRules | None = None, *, total_label: str = "Total"
) -> tuple[pd.DataFrame, dict[tuple[object, object], Cell]]:
    """A two-way table whose cells are base cells and whose totals are derived from them.

    Each cell is protected on its own (``protect_cell``); each row, column and grand total is
    worked out from the shown cells (``derive``), so the totals tell nothing the cells do not,
    and no secondary suppression is needed. Returns the shown table (with a Total row and
    column) and every figure as a Cell, keyed by (row label, column label).
    """
    rules = rules or default_rules()
    cells: dict[tuple[object, object], Cell] = {}
    for row in counts.index:
        for column in counts.columns:
            cells[(row, column)] = protect_cell(int(counts.at[row, column]), rules)
    for row in counts.index:
        cells[(row, total_label)] = derive([(1, cells[(row, c)]) for c in counts.columns], rules)
    for column in counts.columns:
        cells[(total_label, column)] = derive(
            [(1, cells[(r, column)]) for r in counts.index], rules
        )
    every = [(1, cells[(r, c)]) for r in counts.index for c in counts.columns]
    cells[(total_label, total_label)] = derive(every, rules)
    rows, columns = [*counts.index, total_label], [*counts.columns, total_label]
    shown = pd.DataFrame(
        [[cells[(r, c)].shown for c in columns] for r in rows],
        index=pd.Index(rows, name=counts.index.name),
        columns=columns,
        dtype=object,
    )
    return shown, cells


# --- the compare policy ----------------------------------------------------------------------


def allowed_compares(listing: Listing, snapshot: SnapshotInfo) -> dict[str, SnapshotInfo]:
    """The releases the Mayor's office may compare a release with: {name: snapshot}, in order."""
    earlier = [s for s in listing.snapshots if s.as_of < snapshot.as_of]
    if not earlier:
        return {}
    found: dict[str, SnapshotInfo] = {"previous": earlier[-1]}
    four = [s for s in earlier if s.as_of <= snapshot.as_of - timedelta(days=28)]
    if four:
        found["four_weeks"] = four[-1]
    found["start"] = earlier[0]
    out: dict[str, SnapshotInfo] = {}
    for name, snap in found.items():
        if snap not in out.values():
            out[name] = snap
    return out


def may_compare(
    role: str, listing: Listing, snapshot: SnapshotInfo, compare: SnapshotInfo | None
) -> bool:
    """Whether a role may compare this release with that one (no comparison is always allowed)."""
    if compare is None or role not in RESTRICTED_ROLES:
        return True
    return compare in allowed_compares(listing, snapshot).values()


def compare_refusal(listing: Listing, snapshot: SnapshotInfo, wanted: str) -> str:
    """The message for a comparison the Mayor's office may not make, naming the ones it may."""
    allowed = allowed_compares(listing, snapshot)
    if not allowed:
        return f"the Mayor's office may not compare {snapshot.label} with anything: it is the first release"
    choices = ", ".join(f"{s.label} ({COMPARE_NAMES[name]})" for name, s in allowed.items())
    return (
        f"the Mayor's office may compare {snapshot.label} only with {choices}, not {wanted}; "
        "give one of those dates, 'previous', 'four-weeks', 'start' or 'none'"
    )


__all__ = [
    "Cell",
    "allowed_compares",
    "compare_refusal",
    "derive",
    "may_compare",
    "protect_cell",
    "protect_counts",
    "protect_grid",
    "shown_cell",
]
