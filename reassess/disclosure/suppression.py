"""Secondary suppression on a grid of counts with its margins (used by `tables`; no Streamlit).

Every row and column equation (its cells add up to its margin) holding one hidden figure gets a
second; then, where rows and columns linked through hidden figures would still pin a hidden
cell down (it lies on no cycle of hidden cells), one more is hidden, and the loop runs again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from reassess.disclosure.tables import DisclosureRules

Cell = tuple[int, int]


class Line(NamedTuple):
    """One row or column equation: the cells in it add up to its margin (a member too)."""

    cells: tuple[Cell, ...]
    margin: Cell


def suppress(
    values: np.ndarray,
    lines: Sequence[Line],
    locked: set[Cell],
    rules: DisclosureRules,
    *,
    linked: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Primary and final suppression masks for a grid of raw counts with its margins."""
    primary = np.zeros(values.shape, dtype=bool)
    for cell, v in np.ndenumerate(values):
        primary[cell] = (v == 0 and not rules.show_zero) or 1 <= v < rules.threshold
    suppressed = primary.copy()
    while True:
        _complete_lines(values, suppressed, lines, locked)
        if not linked:
            break
        bridge = _find_bridge(suppressed)
        if bridge is None:
            break
        suppressed[_pick_across(values, suppressed, locked, *bridge)] = True
    return primary, suppressed


def _complete_lines(
    values: np.ndarray, suppressed: np.ndarray, lines: Sequence[Line], locked: set[Cell]
) -> None:
    """Until stable, give every line with exactly one hidden member a second hidden member."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if len(line.cells) < 2 or sum(bool(suppressed[c]) for c in line.cells) != 1:
                continue
            candidates = [
                c for c in line.cells if c != line.margin and not suppressed[c] and c not in locked
            ]
            if candidates:
                # smallest non-zero first; zeros only when nothing else is left
                pick = min(candidates, key=lambda c: (values[c] == 0, values[c]))
            elif line.margin not in locked:
                pick = line.margin
            else:  # cannot happen: a line whose only other member is the grand total
                raise RuntimeError(f"no complementary cell for line {line}; please report this")
            suppressed[pick] = True
            changed = True


def _find_bridge(suppressed: np.ndarray) -> tuple[Cell, set[int], set[int]] | None:
    """A hidden cell the totals pin down (a bridge between hidden cells), and its two sides."""
    # Rows and columns are nodes, hidden cells edges: a cell on no cycle can be solved for.
    n_rows = suppressed.shape[0]
    edges = [(int(i), int(j)) for i, j in zip(*np.nonzero(suppressed), strict=True)]
    adjacent: dict[int, set[int]] = {}
    for i, j in edges:
        adjacent.setdefault(i, set()).add(n_rows + j)
        adjacent.setdefault(n_rows + j, set()).add(i)
    for i, j in edges:
        row_side = _reach(adjacent, i, skip=(i, n_rows + j))
        if n_rows + j not in row_side:
            return (i, j), row_side, _reach(adjacent, n_rows + j, skip=(i, n_rows + j))
    return None


def _reach(adjacent: dict[int, set[int]], start: int, skip: tuple[int, int]) -> set[int]:
    """Nodes reachable from start without crossing the edge skip."""
    seen, todo = {start}, deque([start])
    while todo:
        node = todo.popleft()
        for nxt in adjacent.get(node, ()):
            if {node, nxt} == set(skip) or nxt in seen:
                continue
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _pick_across(
    values: np.ndarray,
    suppressed: np.ndarray,
    locked: set[Cell],
    bridge: Cell,
    side_a: set[int],
    side_b: set[int],
) -> Cell:
    """The smallest visible cell joining the two sides of a bridge, closing a cycle through it."""
    n_rows = suppressed.shape[0]
    candidates = [
        (int(i), int(j))
        for (i, j), hidden in np.ndenumerate(suppressed)
        if not hidden
        and (i, j) not in locked
        and ((i in side_a and n_rows + j in side_b) or (i in side_b and n_rows + j in side_a))
    ]
    if not candidates:  # cannot happen: each side holds a cycle, so two rows and two columns
        raise RuntimeError(f"no cell closes a cycle through {bridge}; please report this")
    return min(candidates, key=lambda c: (values[c] == 0, values[c]))
