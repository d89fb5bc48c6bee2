"""Robustness: rank intervals over weighting, normalisation and aggregation (METHODS §3.6e)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.evaluation_rules import MAX_QUANTITATIVE
from analysis.ranking.whatif.matrices import Table
from analysis.ranking.whatif.reconstruction import normalise

MC_NORMALISATIONS = ("capped_ratio", "min_max", "z_score")
AGGREGATIONS = ("linear", "geometric")
GEOMETRIC_FLOOR = 0.01  # a zero normalised value would zero a geometric mean


def monte_carlo_ranks(
    tab: Table,
    weights: np.ndarray,
    bench: np.ndarray,
    n_draws: int = 1000,
    concentration: float = 100.0,
    seed: int = 0,
) -> np.ndarray:
    """Ranks of every unit (draws x units) over weighting, normalisation and aggregation.

    Weights: 85·Dirichlet(concentration·w/Σw) around the recovered ones; normalisation:
    capped ratio, min–max or rescaled z-score; aggregation linear or geometric (normalised
    values floored at :data:`GEOMETRIC_FLOOR`). Scores stay on 0-100: the qualitative points as
    they are plus 85 quantitative (METHODS §3.5, §3.6e).
    """
    rng = np.random.default_rng(seed)
    alpha = concentration * np.maximum(weights, 1e-3) / np.maximum(weights, 1e-3).sum()
    W = MAX_QUANTITATIVE * rng.dirichlet(alpha, size=n_draws)
    norm = rng.integers(len(MC_NORMALISATIONS), size=n_draws)
    agg = rng.integers(len(AGGREGATIONS), size=n_draws)
    scores = np.empty((n_draws, len(tab.codes)))
    for a, m in enumerate(MC_NORMALISATIONS):
        Z = normalise(tab.X, m, bench)
        logZ = np.log(np.maximum(Z, GEOMETRIC_FLOOR))
        for g, how in enumerate(AGGREGATIONS):
            rows = (norm == a) & (agg == g)
            if not rows.any():
                continue
            if how == "linear":
                quant = W[rows] @ Z.T
            else:
                quant = MAX_QUANTITATIVE * np.exp((W[rows] / MAX_QUANTITATIVE) @ logZ.T)
            scores[rows] = tab.Q + quant
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


def robustness_table(tab: Table, ranks: np.ndarray, county_code: str, simulated: bool):
    """Each unit's published position and its Monte-Carlo rank interval (5th-95th percentile)."""
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
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (d["rank_p05"] <= d["rank_median"]) & (d["rank_median"] <= d["rank_p95"]),
            error="median outside the rank interval",
        ),
        pa.Check(lambda d: d["is_county"].sum() == 1, error="exactly one row is the county"),
    ],
    strict=True,
    ordered=True,
)
