"""The intruder test: every release of the demo and every comparison the Mayor's office may make, attacked with a linear program.

The intruder holds the release ledger (every figure of every weekly release, with the changes
for every allowed comparison) and knows the identities that hold exactly: the five stages
partition the cases in scope, the categories, the BCUs and the boroughs do too, a borough
belongs to one BCU, and a two-way table's cells add up to its totals. For each protected
figure they ask for the smallest and largest true value the published figures allow; none may
be pinned more narrowly than its published interval ([1, 9] for "<10", [s-2, s+2] for a rounded
s; a "[c]" figure no more narrowly than a "<10" one). A naive publisher, rounding each
comparison on its own, is attacked the same way and does give counts away.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reassess.briefing.stocks import BASE, CHANGES, STAGES
from reassess.briefing.timeline import build_ledger
from reassess.config import programme
from reassess.disclosure.ledger import Ledger
from reassess.disclosure.releases import allowed_compares, derive, protect_cell
from reassess.disclosure.tables import default_rules
from reassess.extract.contract import BCUS
from reassess.present.vocabulary import CATEGORY_LABELS
from reassess.snapshot.listing import Listing, list_snapshots
from reassess.snapshot.runner import Database
from tests.intruder import Expr, Program, narrower

RAW = "commander"
CATEGORY_CODE = {label: code for code, label in CATEGORY_LABELS.items()}
COLUMNS = {
    "In scope": "in_scope",
    "Assessed": "assessed",
    "Awaiting allocation": "awaiting_allocation",
}


@pytest.fixture(scope="module")
def published(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Listing, pd.DataFrame]:
    """The ledger of every demo release, built afresh (and rebuilt, to show it is the same)."""
    listing = list_snapshots(demo_dir / "snapshots")
    folder = tmp_path_factory.mktemp("ledger")
    first, second = Ledger(folder / "a.duckdb"), Ledger(folder / "b.duckdb")
    build_ledger(Database(), listing, programme(), first, default_rules())
    # rebuilt from the snapshots (the first releases), the ledger holds the same rows
    early = Listing(listing.snapshots[:4], ())
    build_ledger(Database(), early, programme(), second, default_rules())
    cells = first.cells()
    again = second.cells()
    mine = cells[cells.release <= pd.Timestamp(early.snapshots[-1].as_of)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, again)
    # append-only: a release recorded again changes nothing, even from other figures
    rows = [("headline", "in_scope", protect_cell(1, default_rules()))]
    first.record(listing.snapshots[-1].as_of, rows)
    pd.testing.assert_frame_equal(cells, first.cells())
    cells["release"] = [pd.Timestamp(d).date() for d in cells["release"]]
    return listing, cells


def stock(day: date, name: str, start: date) -> Expr:
    if day < start:  # before the programme every stock is 0, and published as 0
        return {}
    if name in BASE:
        return {("stock", day, name): 1}
    out: Expr = {}
    for k, base in STAGES[name]:
        out[("stock", day, base)] = out.get(("stock", day, base), 0) + k
    return out


def change(name: str, now: date, then: date, start: date) -> Expr:
    out: Expr = {}
    for k, base in CHANGES[name]:
        if now >= start:
            out[("stock", now, base)] = out.get(("stock", now, base), 0) + k
        if then >= start:
            out[("stock", then, base)] = out.get(("stock", then, base), 0) - k
    return {key: v for key, v in out.items() if v}


def expression(release: date, table: str, cell: str, start: date) -> Expr:
    """A published figure as a linear expression of the true counts."""
    if table == "stock":
        day, name = cell.split(":")
        return stock(date.fromisoformat(day), name, start)
    if table == "headline":
        return stock(release, cell, start)
    if table.startswith("changes:"):
        then = date.fromisoformat(table.split(":")[1])
        if cell == "high_priority_awaiting":
            return stock(release, cell, start)
        return change(cell, release, then, start)
    day_text, name = cell.split("|")
    if table == "weekly":
        end = date.fromisoformat(day_text)
        return change(name, end, end - timedelta(days=7), start)
    if table == "progress":
        return stock(date.fromisoformat(day_text), name, start)
    row, column = day_text, name
    if table == "by_category":
        return {(release, "category", CATEGORY_CODE[row], COLUMNS[column]): 1}
    if table == "by_bcu":
        return {(release, "bcu", row, COLUMNS[column]): 1}
    assert table == "borough_category", table
    codes = list(CATEGORY_LABELS) if column == "Total" else [CATEGORY_CODE[column]]
    boroughs = sorted(b for _, (_, bs) in BCUS.items() for b in bs) if row == "Total" else [row]
    return {(release, "cell", b, c): 1 for b in boroughs for c in codes}


def identities(release: date) -> list[Expr]:
    """What the intruder knows adds up exactly, in one release."""
    out: list[Expr] = []
    boroughs = {b: code for code, (_, bs) in BCUS.items() for b in bs}

    def total(name: str) -> Expr:
        return {("stock", release, name): -1}

    for name in ("in_scope", "assessed", "awaiting_allocation"):
        out.append({(release, "category", c, name): 1 for c in CATEGORY_LABELS} | total(name))
        out.append({(release, "bcu", b, name): 1 for b in BCUS} | total(name))
    for c in CATEGORY_LABELS:
        cells: Expr = {(release, "cell", b, c): 1 for b in boroughs}
        out.append(cells | {(release, "category", c, "in_scope"): -1})
    for code in BCUS:
        cells = {
            (release, "cell", b, c): 1
            for b, bc in boroughs.items()
            if bc == code
            for c in CATEGORY_LABELS
        }
        out.append(cells | {(release, "bcu", code, "in_scope"): -1})
    return out


def true_values(db: Database, listing: Listing) -> dict[Any, int]:
    """Every unknown's true value, read from the snapshots as the commander."""
    out: dict[Any, int] = {}
    for snap in listing.snapshots:
        kpis = db.scalar_row("kpis", snap, role=RAW)
        for name in BASE:
            out[("stock", snap.as_of, name)] = int(kpis[name])
        for dim, kind in (("category", "category"), ("bcu", "bcu")):
            frame = db.run(
                "categories_breakdown",
                snap,
                role=RAW,
                dimension=dim,
                categories=None,
                bcus=None,
                priorities=None,
                year_from=None,
                year_to=None,
            )
            for _, row in frame.iterrows():
                for name in COLUMNS.values():
                    out[(snap.as_of, kind, row["dim_value"], name)] = int(row[name])
        for _, row in db.run("briefing_borough_category", snap, role=RAW).iterrows():
            out[(snap.as_of, "cell", row["borough"], row["category"])] = int(row["in_scope"])
    return out


def value(expr: Expr, truth: dict[Any, int]) -> int:
    return sum(k * truth.get(key, 0) for key, k in expr.items())


def test_every_release_and_comparison_resists_the_intruder(
    published: tuple[Listing, pd.DataFrame],
) -> None:
    listing, cells = published
    rules = default_rules()
    start = programme().programme_start
    truth = true_values(Database(), listing)
    assert len(listing.snapshots) == 34
    # every allowed comparison of every release is in the ledger
    for snap in listing.snapshots:
        for compare in allowed_compares(listing, snap).values():
            key = f"changes:{compare.as_of.isoformat()}"
            assert ((cells.release == snap.as_of) & (cells.table_name == key)).sum() == 4

    rows = list(cells.itertuples(index=False))
    exprs = [expression(r.release, r.table_name, r.cell, start) for r in rows]
    # the published intervals are true, and the identities hold, or the attack proves nothing
    for r, expr in zip(rows, exprs, strict=True):
        v = value(expr, truth)
        assert r.lo <= v and (pd.isna(r.hi) or v <= r.hi), (r, v)
    for snap in listing.snapshots:
        for expr in identities(snap.as_of):
            assert value(expr, truth) == 0, expr

    # 1. Over time: every figure of every release that is made from the base stocks.
    timeline = Program()
    stocks: dict[Any, tuple[int, int]] = {}
    for r, expr in zip(rows, exprs, strict=True):
        if not expr:
            assert r.lo == 0 and r.hi == 0, r
            continue
        if all(key[0] == "stock" for key in expr):
            timeline.bound(expr, r.lo, None if pd.isna(r.hi) else int(r.hi))
            if r.base:
                (key,) = expr
                stocks[key] = (int(r.lo), int(r.hi))
    assert len(stocks) == 34 * len(BASE)
    found = timeline.solve_bounds({key: {key: 1} for key in stocks})
    pinned = [(k, found[k], box) for k, box in stocks.items() if narrower(found[k], *box)]
    assert pinned == []
    # Every figure over time is implied by the boxes of its base stocks, so releases couple
    # through nothing else: each release's breakdowns can be attacked with those boxes alone.
    for r, expr in zip(rows, exprs, strict=True):
        if expr and all(key[0] == "stock" for key in expr) and not r.base:
            box_lo = sum(k * stocks[key][0 if k > 0 else 1] for key, k in expr.items())
            box_hi = sum(k * stocks[key][1 if k > 0 else 0] for key, k in expr.items())
            assert r.lo <= max(box_lo, 0), (r, box_lo)
            assert pd.isna(r.hi) or box_hi <= r.hi, (r, box_hi)

    # 2. Each release's breakdowns, with its stocks' boxes, every identity and every total.
    broken: list[tuple[Any, ...]] = []
    for snap in listing.snapshots:
        day = snap.as_of
        block = Program()
        for name in BASE:
            block.bound({("stock", day, name): 1}, *stocks[("stock", day, name)])
        for expr in identities(day):
            block.identity(expr)
        mine = cells[
            (cells.release == day)
            & cells.table_name.isin(["by_category", "by_bcu", "borough_category"])
        ]
        targets, published_cells = {}, {}
        for r in mine.itertuples(index=False):
            expr = expression(r.release, r.table_name, r.cell, start)
            block.bound(expr, r.lo, None if pd.isna(r.hi) else int(r.hi))
            if r.protection not in ("exact", "derived"):  # derived totals protect nothing
                targets[(r.table_name, r.cell)] = expr
                published_cells[(r.table_name, r.cell)] = r
        for name in BASE:
            targets[("stock", name)] = {("stock", day, name): 1}
        found = block.solve_bounds(targets)
        for key, (low, high) in found.items():
            if key[0] == "stock":
                if narrower((low, high), *stocks[("stock", day, key[1])]):
                    broken.append((day, key, low, high, stocks[("stock", day, key[1])]))
                continue
            r = published_cells[key]
            if r.protection == "secondary":
                if high - low < rules.threshold - 2:
                    broken.append((day, key, low, high, "[c]"))
            elif narrower((low, high), int(r.lo), int(r.hi)):
                broken.append((day, key, low, high, (r.lo, r.hi)))
    print(f"\nintruder: {len(broken)} figures narrowed")
    assert broken == []


def test_a_naive_publisher_gives_hidden_counts_away(demo_dir: Path) -> None:
    """The old briefing: each week's changes rounded on their own, beside each week's scope."""
    listing = list_snapshots(demo_dir / "snapshots")
    db = Database()
    rules = default_rules()
    program, hidden = Program(), {}
    for before, snap in zip(listing.snapshots, listing.snapshots[1:], strict=False):
        for s in (before, snap):
            shown = protect_cell(int(db.scalar_row("kpis", s, role=RAW)["in_scope"]), rules)
            program.bound({("in_scope", s.as_of): 1}, shown.lo, shown.hi)
        row = db.run(
            "changes_since", snap, role=RAW, compare=before, compare_as_of=before.as_of
        ).iloc[0]
        for name in ("added", "removed"):
            cell = protect_cell(int(row[name]), rules)
            program.bound({(name, snap.as_of): 1}, cell.lo, cell.hi)
            if cell.protection == "suppressed":
                hidden[(name, snap.as_of)] = cell
        # cases in scope now - then = added - removed, exactly
        program.identity(
            {
                ("in_scope", snap.as_of): 1,
                ("in_scope", before.as_of): -1,
                ("added", snap.as_of): -1,
                ("removed", snap.as_of): 1,
            }
        )
    assert hidden, "the demo has hidden weekly adds or removes"
    found = program.solve_bounds({key: {key: 1} for key in hidden})
    broken = [key for key, cell in hidden.items() if narrower(found[key], cell.lo, cell.hi)]
    exact = [key for key in broken if found[key][0] == found[key][1]]
    print(
        f"\nnaive publisher: {len(broken)} of {len(hidden)} hidden counts narrowed, {len(exact)} exactly"
    )
    assert len(broken) >= len(hidden) // 2


def test_cumulative_series_naive_and_derived() -> None:
    """The issue's worked case: week 1 completes 9 (hidden), week 2 completes 50, 59 in all.

    Rounded on their own, 60 cumulative less 50 in week 2 pins week 1 to 6-9; derived from the
    shown stocks (0, "<10", 60), week 2 is shown as about 50 and week 1 stays anywhere in 1-9.
    """
    rules = default_rules()
    naive = Program()
    naive.bound({"w1": 1}, 1, 9)  # "<10"
    w2 = protect_cell(50, rules)
    naive.bound({"w2": 1}, w2.lo, w2.hi)
    c2 = protect_cell(59, rules)
    naive.bound({"w1": 1, "w2": 1}, c2.lo, c2.hi)
    assert naive.solve_bounds({"w1": {"w1": 1}})["w1"] == (6, 9)

    stocks = {1: protect_cell(9, rules), 2: protect_cell(59, rules)}
    derived = Program()
    for week, cell in stocks.items():
        derived.bound({f"c{week}": 1}, cell.lo, cell.hi)
    weekly = derive([(1, stocks[2]), (-1, stocks[1])], rules)
    assert weekly.shown == 55 and (weekly.lo, weekly.hi) == (49, 61)
    derived.bound({"c2": 1, "c1": -1}, weekly.lo, weekly.hi)
    assert derived.solve_bounds({"c1": {"c1": 1}})["c1"] == (1, 9)
