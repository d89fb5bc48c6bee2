"""Step 2 of the evaluation stand-in: each round's scores, in hundredths of a point.

The scores are drawn from a smooth distribution that meets the class counts and the mean
(:mod:`.evaluation_spread`); an integer programme then gives them to the units in an order that
meets the published orders and movements, and moves them as little as it must to hit the city
means and the count of scores that rose.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.optimize import Bounds

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.simulate import movement
from analysis.simulate.evaluation_spread import CLASS_INTERVALS, draw_scores
from analysis.simulate.program import Program
from analysis.simulate.units import city_rows, unit_row

# class intervals in hundredths of a point (A 80-97, B 60-79.99, C 15-59.99)
CLASS_BOUNDS = {c: (round(lo * 100), round(hi * 100)) for c, (lo, hi) in CLASS_INTERVALS.items()}
# the final order keeps at least this share of each drawn gap between neighbours (then less,
# if the anchors cannot be met with it), so anchors bend the spread rather than flatten it
GAP_SHARES = (0.5, 0.25, 0.0)
# first passes: each gives the drawn scores out again in the order the last one found, so a
# unit that a city mean lifts climbs to where the drawn scores already suit it
FIRST_PASSES = 3
# how far (hundredths) a score may leave the range of the drawn scores before the class
# intervals are used instead
EDGE_ROOM = 100
# a score's distance from its drawn value costs 1 per hundredth up to 0.30 points, 4 up to
# 1.00 and 16 beyond: a sum the anchors ask for is spread over many units, not put on one
DEVIATION_TIERS = ((30.0, 1.0), (70.0, 4.0), (np.inf, 16.0))


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
    rng: np.random.Generator,
    caps: dict[str, int] | None = None,
) -> pd.Series:
    """Scores (hundredths) of one round.

    1. Draw the round's scores (:func:`.evaluation_spread.draw_scores`) and give them out in
       the order of class, then latent strength.
    2. First pass: the nearest scores that meet the means, city means and published orders;
       its order is kept, unless movement anchors ask for another (:func:`.movement.choose_order`).
    3. Give the drawn scores out again in that order, and solve once more with the order fixed
       (neighbours keep part of their drawn gap) and the count of scores that rose.

    ``caps`` (code -> hundredths) bound the units whose published indicator values allow no
    more (:func:`.evaluation_indicators.score_cap`).
    """
    n = len(units)
    counts = {c: int((classes == c).sum()) for c in CLASSES}
    drawn = np.round(draw_scores(counts, float(targets["mean_score"]), rng) * 100)  # hundredths
    lo = np.array([CLASS_BOUNDS[c][0] for c in classes], dtype=float)
    hi = np.array([CLASS_BOUNDS[c][1] for c in classes], dtype=float)
    for code, cap in (caps or {}).items():
        i = unit_row(units, code)
        hi[i] = min(hi[i], cap)
    strength = latent.reindex(units["key"]).to_numpy()
    rank = {c: k for k, c in enumerate(CLASSES)}
    start = sorted(range(n), key=lambda i: (rank[classes[i]], -strength[i], units.at[i, "code"]))
    pairs = [
        (h, low, 1)
        for h, low in _order_pairs(units, classes, _give_out(drawn, start), anchors, positions)
    ]
    # first inside the drawn range (a mean the anchors ask for lifts many units, not the top
    # one to the cap), then, if the anchors cannot be met there, inside the class intervals
    inside = (np.maximum(lo, drawn[-1] - EDGE_ROOM), np.minimum(hi, drawn[0] + EDGE_ROOM))
    for bounds in (inside, (lo, hi)):
        try:
            return pd.Series(
                _arrange(r, units, classes, drawn, start, bounds, targets, anchors, pairs,
                         positions, links, next_anchors),
                index=units.index,
            )  # fmt: skip
        except DataError:
            if bounds is not inside:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _arrange(
    r: int,
    units: pd.DataFrame,
    classes: pd.Series,
    drawn: np.ndarray,
    start: list[int],
    bounds: tuple[np.ndarray, np.ndarray],
    targets: pd.Series,
    anchors: pd.DataFrame,
    pairs: list[tuple[int, int, int]],
    positions: dict[str, int],
    links: movement.Links,
    next_anchors: pd.DataFrame,
) -> np.ndarray:
    """Steps 2 and 3 of :func:`score_round` within ``bounds`` (lowest, highest per unit)."""
    n = len(units)
    lo, hi = bounds
    order = start
    for _ in range(FIRST_PASSES):
        t = _give_out(drawn, order)
        first = _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs)
        order = sorted(range(n), key=lambda i: (-first[i], -t[i], units.at[i, "code"]))
    if movement.has_rank_anchors(anchors, next_anchors, links):
        fixed = {unit_row(units, code): k for code, k in positions.items()}
        for a in anchors[anchors["kind"] == "unit_position"].itertuples():
            fixed[unit_row(units, a.subject)] = int(a.value)
        order = movement.choose_order(
            f"round {r}", units, classes, order, fixed, [(h, lw) for h, lw, _ in pairs], links,
            anchors, next_anchors,
        )  # fmt: skip
    t = _give_out(drawn, order)
    for share in GAP_SHARES:
        chain = [
            (order[k], order[k + 1], max(1, int(share * (drawn[k] - drawn[k + 1]))))
            for k in range(n - 1)
            if classes[order[k]] == classes[order[k + 1]]
        ]
        try:
            return _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs + chain, links)
        except DataError:
            if share == GAP_SHARES[-1]:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _give_out(drawn: np.ndarray, order: list[int]) -> np.ndarray:
    """The drawn scores (best first) given to the units in ``order``: t[order[k]] = drawn[k]."""
    t = np.empty(len(order))
    t[np.asarray(order)] = drawn
    return t


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
    """The integer scores s (hundredths) nearest to ``t`` - deviations cost by
    :data:`DEVIATION_TIERS` - under the sums, the ordered ``pairs`` (higher, lower, least gap)
    and, given the previous round's scores in ``links``, the count of scores that rose."""
    k = len(DEVIATION_TIERS)
    p = Program((1 + k) * n)  # s_0..s_n-1, then k deviation parts per unit
    for i in range(n):
        parts = {n + j * n + i: -1.0 for j in range(k)}
        p.add({i: 1, **parts}, -np.inf, t[i])
        p.add({i: 1, **{c: 1.0 for c in parts}}, t[i], np.inf)
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
    for h, low, gap in pairs:
        p.add({h: 1, low: -1}, gap, np.inf)
    extra = movement.scores_up_rows(p, units, links, anchors, (1 + k) * n) if links else 0
    p.n += extra
    widths = [w for w, _ in DEVIATION_TIERS]
    cost = np.r_[np.zeros(n), *[np.full(n, c) for _, c in DEVIATION_TIERS], np.zeros(extra)]
    bounds = Bounds(
        np.r_[lo, np.zeros(k * n), np.zeros(extra)],
        np.r_[hi, *[np.full(n, min(w, 1e5)) for w in widths], np.ones(extra)],
    )
    integrality = np.r_[np.ones(n), np.zeros(k * n), np.ones(extra)]
    x = p.solve(cost, integrality, bounds, f"round {r} (scores)")
    return x[:n]
