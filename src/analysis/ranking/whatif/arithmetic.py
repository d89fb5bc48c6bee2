"""Rank arithmetic shared by both modes: rank after a score, score to reach a position,
units needed, projection of the others' scores, and intervals of Monte-Carlo draws."""

from __future__ import annotations

import numpy as np

from analysis.evaluation_rules import MAX_QUALITATIVE, MAX_QUANTITATIVE, SCORE_STEP

MAX_SCORE = MAX_QUANTITATIVE + MAX_QUALITATIVE  # 100: no unit can score more
_OUT_OF_REACH = 1e6  # stands for "more than 100" while quantiles are taken


def rank_after(score: float, others: np.ndarray) -> np.ndarray:
    """Rank of a unit scoring ``score`` among ``others`` (1 = best): 1 + #{others > score}.

    ``others`` is a vector (one set of the other units' scores) or a matrix (one row per
    Monte-Carlo draw); ties go to the unit (the others must score strictly more to be above).
    """
    others = np.atleast_2d(np.asarray(others, dtype=float))
    return 1 + (others > float(score)).sum(axis=-1)


def score_to_reach(others: np.ndarray, position: int) -> np.ndarray:
    """The score that reaches ``position``: one step above the position-th best of the others.

    With fewer than ``position`` others above, the rank is at most ``position``; so the score
    must exceed the position-th highest other score (by :data:`SCORE_STEP`).
    """
    others = np.atleast_2d(np.asarray(others, dtype=float))
    if not 1 <= position <= others.shape[1]:
        raise ValueError(f"position {position} outside 1..{others.shape[1]}")
    kth = -np.partition(-others, position - 1, axis=1)[:, position - 1]
    return kth + SCORE_STEP


def needed_interval(needed: np.ndarray, level: float = 0.90) -> tuple[tuple, float]:
    """((median, low, high), share of draws reachable) of the scores needed to reach a place.

    A draw whose needed score is above :data:`MAX_SCORE` cannot be reached at all; a quantile
    that falls among those draws is NaN ("not reachable"), never a score above 100 such as
    100.01.
    """
    needed = np.asarray(needed, dtype=float)
    reachable = needed <= MAX_SCORE + 1e-9
    q = interval(np.where(reachable, needed, _OUT_OF_REACH), level)
    return tuple(v if v <= MAX_SCORE + 1e-9 else float("nan") for v in q), float(reachable.mean())


def units_to_target(needed_points: float, slope: float, headroom: float) -> float:
    """Improvement of one indicator alone that gains ``needed_points`` (NaN if not possible).

    0 if nothing is needed; NaN when the indicator's headroom is smaller than what is needed,
    or when it gives no points per unit (at its cap, or slope unknown).
    """
    if not np.isfinite(needed_points):
        return float("nan")  # the target cannot be reached at all
    if needed_points <= 0:
        return 0.0
    if not np.isfinite(slope) or slope <= 0 or needed_points > headroom + 1e-9:
        return float("nan")
    return float(needed_points / slope)


PROJECTIONS = ("gap_share", "shift")


def project_scores(
    scores: np.ndarray, gain: np.ndarray | float, mean: float, how: str = "gap_share"
):
    """Scores one or more years on, when the province's mean rises by ``gain`` points.

    * ``gap_share`` (default): every unit closes the same share of its distance to 100 as the
      mean does, ``S + gain·(100 - S)/(100 - mean)``: the mean rises by exactly ``gain`` and no
      score passes 100 (units near the top gain less, as they must);
    * ``shift``: every unit gains ``gain`` (methods.md §3.6d as written), capped at 100 - near the
      top this piles units up at 100.
    ``gain`` may be one value per row of a matrix of scores.
    """
    scores = np.asarray(scores, dtype=float)
    gain = np.asarray(gain, dtype=float)
    if scores.ndim == 2 and gain.ndim == 1:
        gain = gain.reshape(-1, 1)
    if how == "gap_share":
        return scores + gain * (100.0 - scores) / (100.0 - mean)
    if how == "shift":
        return np.minimum(100.0, scores + gain)
    raise ValueError(f"unknown projection {how!r}: use one of {PROJECTIONS}")


def interval(x: np.ndarray, level: float = 0.90) -> tuple[float, float, float]:
    """(median, low, high) of draws: the central ``level`` interval."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    q = np.quantile(np.asarray(x, dtype=float), [0.5, lo, hi])
    return float(q[0]), float(q[1]), float(q[2])
