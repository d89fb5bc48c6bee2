"""Baselines of the full-year total (methods.md §2.6): all take monthly levels on a PeriodIndex."""

from __future__ import annotations

import numpy as np
import pandas as pd


def seasonal_naive_total(levels: pd.Series, year: int, through_month: int) -> float:
    """This year's months so far plus last year's remaining months."""
    done = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    rest = levels[(levels.index.year == year - 1) & (levels.index.month > through_month)].sum()
    return float(done + rest)


def carry_forward_total(levels: pd.Series, year: int, through_month: int) -> float:
    """Remaining months grow like the year so far: C_t(N) · L_{t-1}(12) / L_{t-1}(N)."""
    this = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    prev = levels[levels.index.year == year - 1]
    return float(this * prev.sum() / prev[prev.index.month <= through_month].sum())


def ytd_share_total(levels: pd.Series, year: int, through_month: int) -> float:
    """C_t(N) / mean over past years of C(N)/C(12)."""
    this = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    shares = []
    for y in sorted(set(levels.index.year)):
        yl = levels[levels.index.year == y]
        if y < year and len(yl.dropna()) == 12:
            shares.append(yl[yl.index.month <= through_month].sum() / yl.sum())
    return float(this / np.mean(shares))


BASELINES = {
    "seasonal_naive": seasonal_naive_total,
    "carry_forward": carry_forward_total,
    "ytd_share": ytd_share_total,
}
