"""Movement anchors of the evaluation stand-in: how units move from one round to the next.

The province's press releases describe movement as well as levels: "139 counties' scores
rose", "82 rose in rank, 41 of them by 10 places or more", "磁县 rose 38 places", "18 counties
rose 5 places or more". These are statements about pairs of consecutive rounds, so they bind
the order of units, not just their classes and scores. This module turns them into linear
constraints for the stand-in's integer programmes (:mod:`analysis.simulate.evaluation`):

* ``ranks_up`` (subject ``scope:range``, e.g. ``*:10..`` or ``*:5..9``; value: how many
  units): units of the scope, present in both rounds, whose position improved by a number of
  places in the range;
* ``scores_up`` (subject ``scope``): units whose score is strictly higher than in the
  previous round;
* ``unit_rank_change`` (subject: a unit's code): places gained by that unit (negative: lost).

Positions are those printed in each round (the 2020 round ranks 168 units, later rounds 167);
a unit is followed across rounds by its link key (renames keep it, 邢台县 simply ends).

How. Classes are chosen first, and each class occupies a block of positions (A: 1..n_A, ...),
so a unit's class already bounds how far it can move. :func:`class_conditions` adds the
necessary conditions to the class programme (no more units forced into a range than the
anchor allows, enough units able to reach it). :func:`choose_order` then picks the whole
order as an assignment problem (unit x position, inside its class block) closest to the
order the scores would otherwise have, with the counts as equalities. Where the next round
has published positions (the 2023 A list) and a ``ranks_up`` anchor, the units listed there
are held back in this round so the next round can still meet it ("lookahead").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.simulate.program import Program
from analysis.simulate.units import scope_rows, unit_row

KINDS = ("ranks_up", "scores_up", "unit_rank_change")
LOOKAHEAD_COST = 25  # places of displacement one listed unit counting ahead is worth


def parse_range(text: str) -> tuple[float, float]:
    """'10..' -> (10, inf); '5..9' -> (5, 9); '..-1' -> (-inf, -1); '3' -> (3, 3)."""
    if ".." not in text:
        v = float(text)
        return v, v
    lo, hi = text.split("..")
    return (float(lo) if lo else -np.inf), (float(hi) if hi else np.inf)


def blocks(counts: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Positions each class occupies (1-based, inclusive): A first, then B, then C."""
    out, start = {}, 1
    for c in CLASSES:
        out[c] = (start, start + int(counts[c]) - 1)
        start += int(counts[c])
    return out


@dataclass(frozen=True)
class Links:
    """For the units of one round (by row index): their position and score (hundredths) in the
    previous round, and their published position in the next round; NaN where unknown."""

    prev_position: np.ndarray
    prev_score: np.ndarray
    next_position: np.ndarray


def make_links(
    keys: pd.Series, previous: pd.DataFrame | None, next_positions: dict[str, int]
) -> Links:
    """``previous``: the previous round's units (columns key, position, score_h) or None;
    ``next_positions``: link key -> published position in the next round."""
    n = len(keys)
    if previous is None or previous.empty:
        pos = score = np.full(n, np.nan)
    else:
        prev = previous.set_index("key")
        pos = keys.map(prev["position"]).to_numpy(dtype=float)
        score = keys.map(prev["score_h"]).to_numpy(dtype=float)
    nxt = keys.map(next_positions).to_numpy(dtype=float)
    return Links(pos, score, nxt)


def _rank_anchors(anchors: pd.DataFrame) -> list[tuple[str, float, float, int]]:
    rows = []
    for a in anchors[anchors["kind"] == "ranks_up"].itertuples():
        scope, rng = a.subject.split(":")
        lo, hi = parse_range(rng)
        rows.append((scope, lo, hi, int(a.value)))
    return rows


def has_rank_anchors(anchors: pd.DataFrame, next_anchors: pd.DataFrame, links: Links) -> bool:
    """Whether the order of this round is bound by a movement anchor (now or lookahead)."""
    now = anchors["kind"].isin(["ranks_up", "unit_rank_change"]).any()
    ahead = (next_anchors["kind"] == "ranks_up").any() and np.isfinite(links.next_position).any()
    return bool(now or ahead)


def _reachable(counts: dict[str, int], fixed: dict[int, int]) -> dict[int | str, tuple]:
    """Positions a unit can take: its fixed position, else the free part of its class block
    (published positions inside a block are taken)."""
    out: dict[int | str, tuple] = {i: (q, q) for i, q in fixed.items()}
    taken = set(fixed.values())
    for c, (first, last) in blocks(counts).items():
        free = [q for q in range(first, last + 1) if q not in taken]
        out[c] = (free[0], free[-1]) if free else (first, last)
    return out


def class_conditions(
    p: Program,
    col: dict[tuple[int, str], int],
    units: pd.DataFrame,
    counts: dict[str, int],
    fixed: dict[int, int],
    links: Links,
    anchors: pd.DataFrame,
    next_anchors: pd.DataFrame,
) -> None:
    """Necessary conditions on the classes for the rank anchors of this round and the next.

    A unit in class c sits in the free part of c's block (or at its published position), so
    its rise lies in an interval known from the class alone. At most k units may have that
    interval inside an anchor's range, and at least k must be able to reach the range; a unit
    with a fixed rise must be in a class whose block holds its target position.
    """
    reach_of = _reachable(counts, fixed)

    def span(i: int, c: str) -> tuple[int, int]:
        return reach_of[i] if i in fixed else reach_of[c]

    prev, nxt = links.prev_position, links.next_position
    for scope, lo, hi, k in _rank_anchors(anchors):
        inside: dict[int, float] = {}
        reach: dict[int, float] = {}
        for i in scope_rows(units, scope):
            if np.isnan(prev[i]):
                continue
            for c in CLASSES:
                first, last = span(i, c)
                rise_lo, rise_hi = prev[i] - last, prev[i] - first
                if lo <= rise_lo and rise_hi <= hi:
                    inside[col[i, c]] = 1
                if rise_hi >= lo and rise_lo <= hi:
                    reach[col[i, c]] = 1
        p.add(inside, -np.inf, k)
        p.add(reach, k, np.inf)
    for scope, lo, hi, k in _rank_anchors(next_anchors):
        inside = {}
        for i in scope_rows(units, scope):
            if np.isnan(nxt[i]):
                continue
            for c in CLASSES:  # rise into the next round: this position - next position
                first, last = span(i, c)
                if lo <= first - nxt[i] and last - nxt[i] <= hi:
                    inside[col[i, c]] = 1
        p.add(inside, -np.inf, k)
    for a in anchors[anchors["kind"] == "unit_rank_change"].itertuples():
        i = unit_row(units, a.subject)
        if np.isnan(prev[i]):
            raise DataError(f"anchor {a.anchor_id}: {a.subject} has no previous round")
        target = prev[i] - int(a.value)
        for c in CLASSES:
            first, last = span(i, c)
            if not first <= target <= last:
                p.add({col[i, c]: 1}, 0, 0)


def choose_order(
    what: str,
    units: pd.DataFrame,
    classes: pd.Series,
    start: list[int],
    fixed: dict[int, int],
    pairs: list[tuple[int, int]],
    links: Links,
    anchors: pd.DataFrame,
    next_anchors: pd.DataFrame,
) -> list[int]:
    """The order (row indices, best first) closest to ``start`` that meets the rank anchors.

    An assignment of units to positions inside their class blocks; ``fixed`` holds published
    positions (row -> position), ``pairs`` (higher, lower) published orders. The cost is the
    number of places each unit is moved from ``start``.
    """
    n = len(units)
    counts = {c: int((classes == c).sum()) for c in CLASSES}
    blk = blocks(counts)
    p0 = {i: k + 1 for k, i in enumerate(start)}
    var: dict[tuple[int, int], int] = {}
    for i in range(n):
        first, last = blk[classes[i]]
        allowed = [fixed[i]] if i in fixed else range(first, last + 1)
        for q in allowed:
            var[i, q] = len(var)
    p = Program(len(var))
    cells: dict[int, list[tuple[int, int]]] = {}  # unit -> [(position, column)]
    by_position: dict[int, dict[int, float]] = {}
    for (i, q), j in var.items():
        cells.setdefault(i, []).append((q, j))
        by_position.setdefault(q, {})[j] = 1
    for i in range(n):
        p.add({j: 1 for _, j in cells[i]}, 1, 1)
    for row in by_position.values():
        p.add(row, 1, 1)
    for h, low in pairs:  # position of h at least one above low
        coef = {j: float(q) for q, j in cells[h]}
        coef.update({j: -float(q) for q, j in cells[low]})
        p.add(coef, -np.inf, -1)
    prev, nxt = links.prev_position, links.next_position
    for scope, lo, hi, k in _rank_anchors(anchors):
        members = {i for i in scope_rows(units, scope) if not np.isnan(prev[i])}
        coef = {j: 1.0 for (i, q), j in var.items() if i in members and lo <= prev[i] - q <= hi}
        p.add(coef, k, k)
    for scope, lo, hi, k in _rank_anchors(next_anchors):
        members = {i for i in scope_rows(units, scope) if not np.isnan(nxt[i])}
        coef = {j: 1.0 for (i, q), j in var.items() if i in members and lo <= q - nxt[i] <= hi}
        p.add(coef, -np.inf, k)
    for a in anchors[anchors["kind"] == "unit_rank_change"].itertuples():
        i = unit_row(units, a.subject)
        target = prev[i] - int(a.value)
        if (i, target) not in var:
            raise DataError(
                f"anchor {a.anchor_id}: {a.subject} cannot be at position {target:g} in {what} "
                f"(its class {classes[i]} or its published position rules it out)"
            )
        p.add({var[i, target]: 1}, 1, 1)
    cost = np.zeros(len(var))
    for (i, q), j in var.items():
        cost[j] = abs(q - p0[i])
    # a listed unit that would count in the next round's anchor uses up part of its budget:
    # allowed (up to the count) but dear, so the next round keeps room to meet it
    for scope, lo, hi, _ in _rank_anchors(next_anchors):
        members = {i for i in scope_rows(units, scope) if not np.isnan(nxt[i])}
        for (i, q), j in var.items():
            if i in members and lo <= q - nxt[i] <= hi:
                cost[j] += LOOKAHEAD_COST
    x = p.solve(cost, np.ones(len(var)), Bounds(0, 1), f"{what} (order)")
    position = {i: q for (i, q), j in var.items() if x[j]}
    return sorted(range(n), key=position.__getitem__)


def scores_up_rows(
    p: Program, units: pd.DataFrame, links: Links, anchors: pd.DataFrame, n_vars: int
) -> int:
    """Add the ``scores_up`` anchors to a score programme whose first n columns are the scores
    (hundredths); returns how many indicator columns were appended after ``n_vars``.

    For each counted unit an indicator u_i: u_i = 1 forces s_i >= previous + 1, u_i = 0 forces
    s_i <= previous; their sum is the anchor's count. Big-M is the widest possible score move.
    """
    big = 10_000
    extra = 0
    for a in anchors[anchors["kind"] == "scores_up"].itertuples():
        members = [i for i in scope_rows(units, a.subject) if not np.isnan(links.prev_score[i])]
        total: dict[int, float] = {}
        for i in members:
            u = n_vars + extra
            extra += 1
            prev = links.prev_score[i]
            p.add({i: 1, u: -big}, prev + 1 - big, np.inf)  # u=1: s >= prev + 1
            p.add({i: 1, u: -big}, -np.inf, prev)  # u=0: s <= prev
            total[u] = 1
        p.add(total, int(a.value), int(a.value))
    return extra


def achieved(a, now: pd.DataFrame, before: pd.DataFrame, keys: dict[str, str]) -> tuple:
    """(target, achieved) of a movement anchor from two rounds of the ingested scores table."""
    prev = before.assign(key=before["county_code"].map(keys)).set_index("key")
    cur = now.assign(key=now["county_code"].map(keys))
    cur = cur[cur["key"].isin(prev.index)]
    if a.kind == "unit_rank_change":
        me = cur[cur["county_code"] == a.subject].iloc[0]
        return int(a.value), int(prev.at[me["key"], "position"] - me["position"])
    scope = a.subject.split(":")[0]
    if scope != "*":
        cur = cur[cur["city"] == scope]
    if a.kind == "scores_up":
        return int(a.value), int((cur["score"] > cur["key"].map(prev["score"])).sum())
    if a.kind == "ranks_up":
        lo, hi = parse_range(a.subject.split(":")[1])
        rise = cur["key"].map(prev["position"]) - cur["position"]
        return int(a.value), int(rise.between(lo, hi).sum())
    raise DataError(f"not a movement anchor: {a.kind!r} ({a.anchor_id})")
