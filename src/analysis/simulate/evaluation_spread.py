"""The spread of one round's scores in the evaluation stand-in: a smooth, bounded distribution.

The province publishes class counts and the mean, not single scores. A stand-in that only
met those numbers with the smallest possible moves piled units onto class bounds and 0.01-point
staircases (2023: 60 of 65 gaps among the A units were 0.01), so ranks gained per point were an
artefact. Here every round's scores are drawn from a distribution that meets the published
figures exactly and is otherwise as plain as possible:

* its quantile function, read on the normal scale z = Φ⁻¹(p), is piecewise linear (knots at
  the class boundaries and at z = -2..2), so with equal slopes it would be a normal;
* it passes through 60 and 80 exactly where the class counts put the B/C and A/B boundaries;
* its mean over the round's units is the published (or assumed) mean;
* among those, it changes slope as little as possible, with the top near :data:`TOP` (an
  assumption: the province publishes no maximum) and the range inside
  [:data:`FLOOR`, :data:`CAP`].

Scores are then drawn class by class (stratified, so each class keeps its count) and moved
towards their class bounds by a common fraction until the mean is exact to 0.01/n.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from analysis.errors import DataError

FLOOR, CAP = 15.0, 97.0  # the lowest and highest score the stand-in writes
TOP = 94.0  # where the expected maximum is pulled to (assumed; nothing published)
TOP_WEIGHT = 2.0  # weight of that pull against smoothness
INNER_KNOTS = (-2.0, -1.0, 0.0, 1.0, 2.0)
MIN_KNOT_DISTANCE = 0.3  # an inner knot this close to a class boundary is left out
MIN_SLOPE = 0.5  # points per unit of z: the quantile function strictly increases
KNOT_DECIMALS = 6
# class intervals in points (upper ends exclusive at 0.01 below the next class)
CLASS_INTERVALS = {"A": (80.0, CAP), "B": (60.0, 79.99), "C": (FLOOR, 59.99)}


def normal_scores(n: int) -> np.ndarray:
    """z_k = Φ⁻¹((k - 0.5)/n), k = 1..n: the plotting positions on the normal scale."""
    return stats.norm.ppf((np.arange(1, n + 1) - 0.5) / n)


def _interpolation(z: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """Matrix B with q = B @ v: linear interpolation of knot values v at the points z."""
    B = np.zeros((len(z), len(knots)))
    for i, zi in enumerate(z):
        j = min(int(np.searchsorted(knots, zi, side="right")) - 1, len(knots) - 2)
        w = (zi - knots[j]) / (knots[j + 1] - knots[j])
        B[i, j], B[i, j + 1] = 1 - w, w
    return B


def quantile_function(n_a: int, n_b: int, n_c: int, mean: float) -> tuple[np.ndarray, np.ndarray]:
    """(knots on the z scale, score at each knot) of the round's distribution (see above).

    The A/B boundary sits midway (on the z scale) between the lowest A and the highest B
    plotting position, so exactly ``n_a`` expected order statistics lie at or above 80; the
    same for B/C at 60.
    """
    n = n_a + n_b + n_c
    z = normal_scores(n)
    z_bc = (z[n_c - 1] + z[n_c]) / 2 if n_c else z[0]
    z_ab = (z[n_c + n_b - 1] + z[n_c + n_b]) / 2 if n_a else z[-1]
    bounds = [z_bc, z_ab]
    inner = [k for k in INNER_KNOTS if z[0] < k < z[-1]]
    inner = [k for k in inner if min(abs(k - b) for b in bounds) > MIN_KNOT_DISTANCE]
    knots = np.array(sorted({z[0], z[-1], *bounds, *inner}))
    B = _interpolation(z, knots)
    h = np.diff(knots)
    slopes = (np.eye(len(knots))[1:] - np.eye(len(knots))[:-1]) / h[:, None]
    bends = slopes[1:] - slopes[:-1]
    weight = 1 / (h[1:] + h[:-1])
    j_bc, j_ab = int(np.flatnonzero(knots == z_bc)[0]), int(np.flatnonzero(knots == z_ab)[0])

    def roughness(v: np.ndarray) -> float:
        return float(((bends @ v) ** 2 * weight).sum() + TOP_WEIGHT * (v[-1] - TOP) ** 2)

    mean_row = B.mean(axis=0)  # the mean over the n plotting positions, linear in v
    rows = {"eq": lambda v: np.array([v[j_bc] - 60, v[j_ab] - 80, mean_row @ v - mean])}
    rows["ineq"] = lambda v: np.r_[slopes @ v - MIN_SLOPE, v[0] - FLOOR, CAP - v[-1]]
    start = np.interp(knots, [z[0], z_bc, z_ab, z[-1]], [FLOOR + 5, 60, 80, TOP])
    res = optimize.minimize(
        roughness,
        start,
        constraints=[{"type": k, "fun": f} for k, f in rows.items()],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    if not res.success:
        raise DataError(
            f"no score distribution has {n_a}/{n_b}/{n_c} units in A/B/C and mean {mean}: "
            f"{res.message}"
        )
    # rounded, so the numerical linear algebra's last digits (which vary with the number of BLAS
    # threads) cannot change the scores drawn from it: regeneration stays byte-identical
    return np.round(knots, KNOT_DECIMALS), np.round(res.x, KNOT_DECIMALS)


def draw_scores(counts: dict[str, int], mean: float, rng: np.random.Generator) -> np.ndarray:
    """One round's scores in points, best first: each class's count drawn from its part of the
    distribution, then moved towards the class bounds so that the mean is exact."""
    n_a, n_b, n_c = counts["A"], counts["B"], counts["C"]
    n = n_a + n_b + n_c
    knots, values = quantile_function(n_a, n_b, n_c, mean)
    # draws stay between the first and last plotting positions, where the knots end
    edge = 0.5 / n
    edges = {
        "C": (edge, n_c / n),
        "B": (n_c / n, (n_c + n_b) / n),
        "A": ((n_c + n_b) / n, 1 - edge),
    }
    parts = []
    for c in ("A", "B", "C"):
        lo_p, hi_p = edges[c]
        u = np.sort(rng.uniform(lo_p, hi_p, size=counts[c]))[::-1]
        z = stats.norm.ppf(u)
        lo, hi = CLASS_INTERVALS[c]
        parts.append(np.clip(np.interp(z, knots, values), lo, hi))
    scores = np.concatenate(parts)
    classes = ["A"] * n_a + ["B"] * n_b + ["C"] * n_c
    return exact_mean(scores, classes, mean)


def exact_mean(scores: np.ndarray, classes: list[str], mean: float) -> np.ndarray:
    """Move every score the same fraction of its distance to its class's upper (or lower)
    bound, so the mean is ``mean``; order and classes are kept (each stays in its interval)."""
    bound = [CLASS_INTERVALS[c][1 if mean > scores.mean() else 0] for c in classes]
    room = np.asarray(bound) - scores
    need = (mean - scores.mean()) * len(scores)
    if abs(need) > abs(room.sum()):
        raise DataError(f"the class intervals cannot hold a mean of {mean}")
    return scores + room * (need / room.sum() if room.sum() else 0.0)
