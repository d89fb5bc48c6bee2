"""A small collector of linear constraints for ``scipy.optimize.milp``.

The evaluation stand-in solves several integer programmes (classes, order, scores); each adds
rows as ``{column: coefficient}`` with bounds, which reads closer to the constraint as written
on paper than building sparse matrices by hand.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from analysis.errors import DataError


class Program:
    """Rows ``lo <= sum coef_j x_j <= hi`` over ``n`` columns, solved by HiGHS through milp."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.ptr: list[int] = [0]
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, coef: dict[int, float], lo: float, hi: float) -> None:
        merged: dict[int, float] = {}
        for j, c in coef.items():
            merged[j] = merged.get(j, 0.0) + c
        self.cols += list(merged)
        self.vals += list(merged.values())
        self.ptr.append(len(self.cols))
        self.lo.append(lo)
        self.hi.append(hi)

    def solve(self, cost: np.ndarray, integrality: np.ndarray, bounds: Bounds, what: str):
        """The optimum, rounded to integers; a DataError naming ``what`` if none exists."""
        cons = None
        if self.lo:
            a = csr_array((self.vals, self.cols, self.ptr), shape=(len(self.lo), self.n))
            cons = LinearConstraint(a, self.lo, self.hi)
        res = milp(cost, constraints=cons, integrality=integrality, bounds=bounds)
        if res.x is None:
            raise DataError(f"the stand-in cannot meet the anchors of {what}: {res.message}")
        return np.round(res.x).astype(int)
