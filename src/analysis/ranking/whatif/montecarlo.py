"""Robustness: rank intervals over weighting, normalisation and aggregation (methods.md §3.6e).

Only the normalisations and aggregations the reconstruction does not reject are drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.evaluation_rules import MAX_QUANTITATIVE
from analysis.ranking.whatif.matrices import Table
from analysis.ranking.whatif.reconstruction import (
    ACCEPT_RMSE_POINTS,
    WeightFit,
    accepted,
    normalise,
)

AGGREGATIONS = ("linear", "geometric")
GEOMETRIC_FLOOR = 0.01  # a zero normalised value would zero a geometric mean


def quantitative_points(Z: np.ndarray, W: np.ndarray, how: str) -> np.ndarray:
    """Quantitative points of every unit (columns) for each weight vector (rows of ``W``,
    points summing to 85): linear ``W @ z`` or geometric ``85 * exp(W/85 @ ln z)``."""
    W = np.atleast_2d(W)
    if how == "linear":
        return W @ Z.T
    if how == "geometric":
        logZ = np.log(np.maximum(Z, GEOMETRIC_FLOOR))
        return MAX_QUANTITATIVE * np.exp((W / MAX_QUANTITATIVE) @ logZ.T)
    raise ValueError(f"unknown aggregation {how!r}: use one of {AGGREGATIONS}")


def robustness_choices(
    tab: Table, fits: dict[str, WeightFit], bench: np.ndarray
) -> list[tuple[str, str]]:
    """(normalisation, aggregation) pairs the reconstruction does not reject.

    Normalisations: :func:`.reconstruction.accepted`. Aggregation: linear is what the weights
    were fitted for; geometric is kept for a normalisation only if, with its recovered weights,
    it reproduces the quantitative points about as well (RMSE within
    :data:`.reconstruction.ACCEPT_RMSE_POINTS` of the linear fit's).
    """
    y = tab.S - tab.Q
    out = []
    for m in accepted(fits):
        out.append((m, "linear"))
        w = MAX_QUANTITATIVE * fits[m].weights / fits[m].weights.sum()
        resid = y - quantitative_points(normalise(tab.X, m, bench), w, "geometric")[0]
        if np.sqrt(np.mean(resid**2)) <= fits[m].rmse + ACCEPT_RMSE_POINTS:
            out.append((m, "geometric"))
    return out


def monte_carlo_ranks(
    tab: Table,
    fits: dict[str, WeightFit],
    bench: np.ndarray,
    choices: list[tuple[str, str]],
    n_draws: int = 1000,
    concentration: float = 100.0,
    seed: int = 0,
) -> np.ndarray:
    """Ranks of every unit (draws x units) over weighting and the accepted ``choices``.

    Each draw takes one (normalisation, aggregation) of ``choices`` with equal chance and
    weights 85·Dirichlet(concentration·w/Σw) around the weights recovered under that
    normalisation. Scores stay on 0-100: the qualitative points as they are plus 85
    quantitative (methods.md §3.5, §3.6e).
    """
    if not choices:
        raise ValueError("no normalisation and aggregation to draw from")
    rng = np.random.default_rng(seed)
    which = rng.integers(len(choices), size=n_draws)
    scores = np.empty((n_draws, len(tab.codes)))
    for k, (m, how) in enumerate(choices):
        rows = which == k
        if not rows.any():
            continue
        w = np.maximum(fits[m].weights, 1e-3)
        W = MAX_QUANTITATIVE * rng.dirichlet(concentration * w / w.sum(), size=int(rows.sum()))
        scores[rows] = tab.Q + quantitative_points(normalise(tab.X, m, bench), W, how)
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


def robustness_table(
    tab: Table,
    ranks: np.ndarray,
    county_code: str,
    simulated: bool,
    choices: list[tuple[str, str]],
) -> pd.DataFrame:
    """Each unit's published position and its Monte-Carlo rank interval (5th-95th percentile);
    ``drawn_from`` names the (normalisation/aggregation) choices the draws used."""
    q = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame(
        {
            "round": tab.round,
            "county_code": tab.codes,
            "county": tab.names,
            "is_county": [c == county_code for c in tab.codes],
            "position": tab.position,
            "score": tab.S,
            "rank_p05": q[0].round().astype(int),
            "rank_median": q[1].round().astype(int),
            "rank_p95": q[2].round().astype(int),
            "n_draws": ranks.shape[0],
            "drawn_from": "; ".join(f"{m}/{how}" for m, how in choices),
            "simulated": bool(simulated),
        }
    )


RANKING_WHATIF_ROBUSTNESS = pa.DataFrameSchema(
    {
        "round": pa.Column(int),
        "county_code": pa.Column(str, schemas.CODE, unique=True),
        "county": pa.Column(str),
        "is_county": pa.Column(bool),
        "position": pa.Column(int, pa.Check.ge(1)),
        "score": pa.Column(float, pa.Check.in_range(0, 100)),
        "rank_p05": pa.Column(int, pa.Check.ge(1)),
        "rank_median": pa.Column(int, pa.Check.ge(1)),
        "rank_p95": pa.Column(int, pa.Check.ge(1)),
        "n_draws": pa.Column(int, pa.Check.gt(0)),
        "drawn_from": pa.Column(str, pa.Check.str_length(min_value=1)),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (d["rank_p05"] <= d["rank_median"]) & (d["rank_median"] <= d["rank_p95"]),
            error="median outside the rank interval",
        ),
        pa.Check(  # empty: no full table with the county (e.g. no evaluation report)
            lambda d: d.empty or d["is_county"].sum() == 1,
            error="exactly one row is the county (or no row at all)",
        ),
    ],
    strict=True,
    ordered=True,
)
