"""Step 1 of the evaluation stand-in: a latent strength per unit and the classes of each round.

An integer programme per round chooses the classes closest to the latent strength under the
published class counts, memberships and the class anchors of ``ANCHORS.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds

from analysis.evaluation_rules import CLASSES
from analysis.simulate import movement
from analysis.simulate.evaluation_inputs import ALL_ROUNDS
from analysis.simulate.program import Program
from analysis.simulate.units import city_rows, scope_rows, unit_row

# the ranges a latent score is drawn to when its class is chosen
CLASS_RANGE = {"A": (81.0, 95.0), "B": (61.0, 79.0), "C": (30.0, 59.0)}
# the ranges a unit's score is assumed to reach when the class programme checks that a mean
# (of the province or of a city) stays reachable with the chosen classes: narrower than the
# class intervals, so a high city mean calls for more units in A rather than A units near 97
REACH_RANGE = {"A": (80.0, 93.0), "B": (62.0, 78.0), "C": (35.0, 58.0)}


def latent_scores(
    units: dict[int, pd.DataFrame], targets: pd.DataFrame, positions: pd.DataFrame, seed: int
) -> dict[int, pd.Series]:
    """Seeded latent scores per round, indexed by link key: persistent (AR(1), rho 0.9), with
    the published 2023 A order built into the base strength so anchors bend it little."""
    rng = np.random.default_rng(seed)
    keys = sorted({k for u in units.values() for k in u["key"]})
    base = pd.Series(rng.standard_normal(len(keys)), index=keys)
    listed = positions.sort_values("position")
    top = np.linspace(2.6, 0.9, num=len(listed))  # empty when no position is published
    for key, z in zip(listed["key"], top):
        base[key] = z
    out: dict[int, pd.Series] = {}
    z = base.copy()
    for r in ALL_ROUNDS:
        z = 0.9 * z + np.sqrt(1 - 0.81) * 0.5 * pd.Series(rng.standard_normal(len(keys)), keys)
        mean = targets.at[r, "mean_score"]
        out[r] = (mean + 14.0 * z).clip(18, 96)
    return out


def choose_classes(
    r: int,
    units: pd.DataFrame,
    latent: pd.Series,
    targets: pd.Series,
    forced: dict[str, str],
    anchors: pd.DataFrame,
    previous: dict[str, str] | None,
    fixed_positions: dict[str, int],
    links: movement.Links,
    next_anchors: pd.DataFrame,
) -> pd.Series:
    """Classes of one round: closest to the latent scores under every class anchor, and able
    to meet the movement anchors of this round and the next (:mod:`.movement`)."""
    n = len(units)
    col = {(i, c): 3 * i + k for i in range(n) for k, c in enumerate(CLASSES)}
    p = Program(3 * n)
    t = latent.reindex(units["key"]).to_numpy()
    cost = np.zeros(3 * n)
    for i in range(n):
        for c in CLASSES:
            lo, hi = CLASS_RANGE[c]
            cost[col[i, c]] = max(lo - t[i], 0, t[i] - hi) ** 2
        p.add({col[i, c]: 1 for c in CLASSES}, 1, 1)
    for c in CLASSES:
        k = targets[f"n_{c}"]
        p.add({col[i, c]: 1 for i in range(n)}, k, k)
    for code, c in forced.items():
        i = unit_row(units, code)
        p.add({col[i, c]: 1}, 1, 1)
    prev = units["key"].map(previous or {})
    for a in anchors.itertuples():
        _class_anchor(a, p, col, units, prev)
    counts = {c: int(targets[f"n_{c}"]) for c in CLASSES}
    fixed = {unit_row(units, code): k for code, k in fixed_positions.items()}
    movement.class_conditions(p, col, units, counts, fixed, links, anchors, next_anchors)
    # the mean (and city means) must stay reachable with the chosen classes
    for a in anchors[anchors["kind"] == "city_mean"].itertuples():
        idx = city_rows(units, a.subject)
        _mean_reachable(p, col, idx, float(a.value))
    _mean_reachable(p, col, list(range(n)), targets["mean_score"])
    x = p.solve(cost, np.ones(3 * n), Bounds(0, 1), f"round {r} (classes)")
    chosen = [next(c for c in CLASSES if x[col[i, c]]) for i in range(n)]
    return pd.Series(chosen, index=units.index)


def _mean_reachable(p: Program, col: dict, idx: list[int], mean: float) -> None:
    total = mean * len(idx)
    p.add({col[i, c]: REACH_RANGE[c][0] for i in idx for c in CLASSES}, -np.inf, total)
    p.add({col[i, c]: REACH_RANGE[c][1] for i in idx for c in CLASSES}, total, np.inf)


def class_moves(spec: str) -> list[tuple[str, str]]:
    """'B>A' -> [(B, A)]; 'up' / 'down' -> the upward / downward moves; 'any' -> every change."""
    if spec == "up":
        return [("B", "A"), ("C", "B"), ("C", "A")]
    if spec == "down":
        return [("A", "B"), ("A", "C"), ("B", "C")]
    if spec == "any":
        return [(a, b) for a in CLASSES for b in CLASSES if a != b]
    a, b = spec.split(">")
    return [(a, b)]


def _class_anchor(a, p: Program, col: dict, units: pd.DataFrame, prev: pd.Series) -> None:
    n = len(units)
    if a.kind == "class_only_in_cities":
        allowed = set(a.value.split(";"))
        for i in range(n):
            if units.at[i, "city"] not in allowed:
                p.add({col[i, a.subject]: 1}, 0, 0)
        for city in allowed:  # "only in" these cities: each of them has one
            p.add({col[i, a.subject]: 1 for i in city_rows(units, city)}, 1, np.inf)
    elif a.kind == "class_in_every_city":
        for city in sorted(set(units["city"])):
            idx = city_rows(units, city)
            p.add({col[i, a.subject]: 1 for i in idx}, float(a.value), np.inf)
    elif a.kind == "city_class_count":
        city, c = a.subject.split(":")
        k = float(a.value)
        p.add({col[i, c]: 1 for i in city_rows(units, city)}, k, k)
    elif a.kind == "city_most_at_least":
        city, c = a.subject.split(":")
        better = CLASSES[: CLASSES.index(c) + 1]
        mine = {col[i, b]: 1.0 for i in city_rows(units, city) for b in better}
        for other in sorted(set(units["city"]) - {city}):
            coef = dict(mine)
            for i in city_rows(units, other):
                for b in better:
                    coef[col[i, b]] = coef.get(col[i, b], 0) - 1
            p.add(coef, float(a.value), np.inf)
    elif a.kind == "class_changes":
        scope, spec = a.subject.split(":")
        idx = scope_rows(units, scope)
        coef = {
            col[i, to]: 1
            for i in idx
            for frm, to in class_moves(spec)
            if isinstance(prev.iloc[i], str) and prev.iloc[i] == frm
        }
        k = float(a.value)
        p.add(coef, k, k)
    elif a.kind == "unit_class":
        p.add({col[unit_row(units, a.subject), a.value]: 1}, 1, 1)
