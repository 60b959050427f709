"""The intruder's linear program: the tightest bounds on true counts that published figures allow.

An intruder who holds every figure of every release writes each figure as a linear expression
of unknown true counts, bounded by the interval the figure gives ([1, 9] for "<10", [s-2, s+2]
for a rounded s, ...), adds every identity they know holds exactly (a table's cells add up to
its total, the categories partition the cases in scope), and asks a linear program for the
smallest and largest value each protected count can take. Used by tests/test_intruder.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

Expr = dict[Any, int]  # variable -> coefficient


@dataclass
class Program:
    """Unknowns, interval constraints on expressions of them, and exact identities."""

    index: dict[Any, int] = field(default_factory=dict)
    bounded: list[tuple[Expr, float, float]] = field(default_factory=list)  # lo <= expr <= hi
    equal: list[Expr] = field(default_factory=list)  # expr == 0

    def var(self, key: Any) -> int:
        return self.index.setdefault(key, len(self.index))

    def bound(self, expr: Expr, lo: float, hi: float | None) -> None:
        for key in expr:
            self.var(key)
        self.bounded.append((expr, lo, np.inf if hi is None else hi))

    def identity(self, expr: Expr) -> None:
        for key in expr:
            self.var(key)
        self.equal.append(expr)

    def solve_bounds(self, targets: Mapping[Any, Expr]) -> dict[Any, tuple[float, float]]:
        """min and max of each target expression over every true value the figures allow.

        One HiGHS model per program; each target changes only the objective, so every solve
        starts from the last basis.
        """
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        n = len(self.index)
        inf = highspy.kHighsInf
        for _ in range(n):
            h.addVar(0, inf)
        rows = [(expr, lo, hi) for expr, lo, hi in self.bounded]
        rows += [(expr, 0.0, 0.0) for expr in self.equal]
        for expr, lo, hi in rows:
            idx = np.array([self.index[k] for k in expr], dtype=np.int32)
            val = np.array(list(expr.values()), dtype=np.float64)
            h.addRow(lo if lo > -np.inf else -inf, hi if hi < np.inf else inf, len(idx), idx, val)
        out = {}
        zero = np.zeros(n)
        every = np.arange(n, dtype=np.int32)
        for name, expr in targets.items():
            cost = zero.copy()
            for key, k in expr.items():
                cost[self.index[key]] = k
            h.changeColsCost(n, every, cost)
            found = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                h.changeObjectiveSense(sense)
                h.run()
                status = h.getModelStatus()
                if status == highspy.HighsModelStatus.kUnbounded:
                    found.append(-np.inf if sense == highspy.ObjSense.kMinimize else np.inf)
                    continue
                assert status == highspy.HighsModelStatus.kOptimal, (
                    f"the intruder's program failed for {name}: {h.modelStatusToString(status)}"
                )
                found.append(h.getInfo().objective_function_value)
            out[name] = (found[0], found[1])
        return out


def narrower(found: tuple[float, float], lo: int, hi: int | None, slack: float = 1e-6) -> bool:
    """Whether the intruder pins a count more narrowly than its published interval."""
    low, high = found
    if low > lo + slack:
        return True
    if hi is not None and high < hi - slack:
        return True
    return False
