"""Step 2 of the evaluation stand-in: each round's scores, in hundredths of a point.

An integer programme keeps each score inside its class and near the latent target, hits the
mean (and city means) at their printed rounding and enforces the published orders.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.optimize import Bounds

from analysis.simulate import movement
from analysis.simulate.program import Program
from analysis.simulate.units import city_rows, unit_row

# class intervals in hundredths of a point: A 80-97, B 60-79.99, C 15-59.99
CLASS_BOUNDS = {"A": (8000, 9700), "B": (6000, 7999), "C": (1500, 5999)}


def _hundredths(mean: float, n: int) -> tuple[int, int]:
    """Sum bounds (hundredths of a point) whose mean rounds to ``mean`` at its printed precision:
    the sum is the nearest integer to mean * n * 100 (exact to 0.01/n)."""
    s = round(mean * n * 100)
    return s, s


def score_round(
    r: int,
    units: pd.DataFrame,
    classes: pd.Series,
    latent: pd.Series,
    targets: pd.Series,
    anchors: pd.DataFrame,
    positions: dict[str, int],
    links: movement.Links,
    next_anchors: pd.DataFrame,
) -> pd.Series:
    """Scores (hundredths) of one round; see the module docstring, step 2."""
    n = len(units)
    t = (latent.reindex(units["key"]).to_numpy() * 100).round()
    lo = np.array([CLASS_BOUNDS[c][0] for c in classes])
    hi = np.array([CLASS_BOUNDS[c][1] for c in classes])
    t = np.clip(t, lo + 30, hi - 30)
    pairs = _order_pairs(units, classes, t, anchors, positions)
    first = _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs)
    # second pass: keep the first pass's order (ties broken by the latent score), unless the
    # movement anchors ask for another one, with units 0.01 apart
    order = sorted(range(n), key=lambda i: (-first[i], -t[i], units.at[i, "code"]))
    if movement.has_rank_anchors(anchors, next_anchors, links):
        fixed = {unit_row(units, code): k for code, k in positions.items()}
        for a in anchors[anchors["kind"] == "unit_position"].itertuples():
            fixed[unit_row(units, a.subject)] = int(a.value)
        order = movement.choose_order(
            f"round {r}", units, classes, order, fixed, pairs, links, anchors, next_anchors
        )
    chain = [
        (order[k], order[k + 1]) for k in range(n - 1) if classes[order[k]] == classes[order[k + 1]]
    ]
    final = _solve_scores(
        r, n, first.astype(float), lo, hi, units, targets, anchors, pairs + chain, links
    )
    return pd.Series(final, index=units.index)


def _order_pairs(
    units: pd.DataFrame,
    classes: pd.Series,
    t: np.ndarray,
    anchors: pd.DataFrame,
    positions: dict[str, int],
) -> list[tuple[int, int]]:
    """(higher, lower) pairs from published orders: the A list, positions, first in city."""
    n = len(units)
    pairs: list[tuple[int, int]] = []
    listed = sorted(positions.items(), key=lambda kv: kv[1])
    idx = [unit_row(units, code) for code, _ in listed]
    pairs += list(itertools.pairwise(idx))
    if idx:  # the listed part of the A list is above every unlisted A unit
        rest = [i for i in range(n) if classes[i] == "A" and i not in idx]
        pairs += [(idx[-1], j) for j in rest]
    for a in anchors[anchors["kind"] == "unit_first_in_city"].itertuples():
        q = unit_row(units, a.subject)
        pairs += [(q, j) for j in city_rows(units, units.at[q, "city"]) if j != q]
    for a in anchors[anchors["kind"] == "unit_position"].itertuples():
        q = unit_row(units, a.subject)
        k = int(a.value)
        below_q = {j for h, j in pairs if h == q}
        cands = [j for j in range(n) if j != q and j not in below_q]
        above = sorted(cands, key=lambda j: -t[j])[: k - 1]
        pairs += [(j, q) for j in above]
        pairs += [(q, j) for j in range(n) if j != q and j not in above]
    return pairs


def _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs, links=None) -> np.ndarray:
    """min sum |s - t| over integer s (hundredths) under the sums and order pairs (and, given
    the previous round's scores in ``links``, the count of scores that rose)."""
    p = Program(2 * n)  # s_0..s_n-1, d_0..d_n-1
    for i in range(n):
        p.add({i: 1, n + i: -1}, -np.inf, t[i])
        p.add({i: 1, n + i: 1}, t[i], np.inf)
    s_lo, s_hi = _hundredths(targets["mean_score"], n)
    p.add(dict.fromkeys(range(n), 1), s_lo, s_hi)
    for a in anchors.itertuples():
        if a.kind == "city_mean":
            idx = city_rows(units, a.subject)
            s_lo, s_hi = _hundredths(float(a.value), len(idx))
            p.add(dict.fromkeys(idx, 1), s_lo, s_hi)
        elif a.kind == "city_mean_range":
            idx = city_rows(units, a.subject)
            low, high = (float(v) for v in a.value.split(".."))
            # 0.01 inside the range at both ends, so a float mean never sits on the boundary
            n_c = len(idx)
            p.add(dict.fromkeys(idx, 1), (low + 0.01) * 100 * n_c, (high - 0.01) * 100 * n_c)
        elif a.kind == "city_highest_mean":
            mine = city_rows(units, a.subject)
            for other in sorted(set(units["city"]) - {a.subject}):
                theirs = city_rows(units, other)
                coef = {i: float(len(theirs)) for i in mine}
                coef.update({j: -float(len(mine)) for j in theirs})
                p.add(coef, len(mine) * len(theirs), np.inf)  # at least 0.01 higher
    for h, low in pairs:
        p.add({h: 1, low: -1}, 1, np.inf)
    extra = movement.scores_up_rows(p, units, links, anchors, 2 * n) if links else 0
    p.n += extra
    cost = np.r_[np.zeros(n), np.ones(n), np.zeros(extra)]
    bounds = Bounds(
        np.r_[lo, np.zeros(n), np.zeros(extra)], np.r_[hi, np.full(n, 1e5), np.ones(extra)]
    )
    integrality = np.r_[np.ones(n), np.zeros(n), np.ones(extra)]
    x = p.solve(cost, integrality, bounds, f"round {r} (scores)")
    return x[:n]
