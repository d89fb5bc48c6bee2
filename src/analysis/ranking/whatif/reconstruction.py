"""Reconstruct the composite from a full table: benchmarks, normalisations, NNLS weights.

Also the marginal points of the reconstructed composite (methods.md §3.6d).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ranking.whatif.matrices import Table

NORMALISATIONS = ("capped_ratio", "min_max", "log_min_max", "z_score")
# a reading whose typical miss (RMSE, points) is more than this above the best reading's is
# rejected: scores and points are printed to 0.01, so rounding alone misses by about 0.01
ACCEPT_RMSE_POINTS = 0.1


def estimate_benchmarks(tab: Table) -> np.ndarray:
    """x*_k under the capped-ratio reading: W_k / median(points/value) over uncapped units.

    Uses the printed maxima (in every report) and each indicator's points column; where every
    unit is at the cap the smallest value is taken (x* is at most that).
    """
    out = np.empty(len(tab.indicators))
    for k in range(len(tab.indicators)):
        x, p, w = tab.X[:, k], tab.P[:, k], tab.W[k]
        ok = (x > 0) & (p > 0) & (p < w - 1e-9)
        out[k] = w / np.median(p[ok] / x[ok]) if ok.any() else x[x > 0].min()
    return out


def normalise(X: np.ndarray, method: str, benchmarks: np.ndarray | None = None) -> np.ndarray:
    """Normalised indicators in [0, 1] (methods.md §3.3); all indicators are benefit indicators.

    ``z_score`` is rescaled to [0, 1] as 0.5 + z/6 (±3 sd), clipped, to stay on the points
    scale; ``log_min_max`` uses ln(1 + x).
    """
    X = np.asarray(X, dtype=float)
    if method == "capped_ratio":
        return np.minimum(1.0, X / benchmarks)
    if method in ("min_max", "log_min_max"):
        Y = np.log1p(X) if method == "log_min_max" else X
        lo, hi = Y.min(axis=0), Y.max(axis=0)
        return (Y - lo) / np.where(hi > lo, hi - lo, 1.0)
    if method == "z_score":
        sd = X.std(axis=0, ddof=1)
        return np.clip(0.5 + (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0) / 6, 0.0, 1.0)
    raise ValueError(f"unknown normalisation {method!r}: use one of {NORMALISATIONS}")


@dataclass(frozen=True)
class WeightFit:
    """NNLS weights of the quantitative points on normalised indicators, and the fit."""

    normalisation: str
    weights: np.ndarray
    intercept: float
    r2: float
    max_abs_residual: float
    residuals: np.ndarray

    @property
    def rmse(self) -> float:
        """Root mean squared residual, in points."""
        return float(np.sqrt(np.mean(self.residuals**2)))


def recover_weights(Z: np.ndarray, y: np.ndarray, normalisation: str = "") -> WeightFit:
    """Non-negative least squares of ``y`` on ``[1, Z]`` (methods.md §3.6a: negative weights are
    implausible). If the composite is a weighted sum of ``Z``, R² = 1 and the weights are W."""
    from scipy.optimize import nnls

    A = np.column_stack([np.ones(len(Z)), Z])
    coef, _ = nnls(A, np.asarray(y, dtype=float))
    fitted = A @ coef
    resid = y - fitted
    r2 = 1 - (resid**2).sum() / ((y - y.mean()) ** 2).sum()
    return WeightFit(normalisation, coef[1:], float(coef[0]), float(r2),
                     float(np.abs(resid).max()), resid)  # fmt: skip


def reconstruct(tab: Table) -> tuple[dict[str, WeightFit], np.ndarray, str]:
    """Weights under every normalisation; (fits, benchmarks, the best-fitting normalisation)."""
    bench = estimate_benchmarks(tab)
    y = tab.S - tab.Q
    fits = {m: recover_weights(normalise(tab.X, m, bench), y, m) for m in NORMALISATIONS}
    best = max(fits, key=lambda m: fits[m].r2)
    return fits, bench, best


def accepted(fits: dict[str, WeightFit], loss: float = ACCEPT_RMSE_POINTS) -> list[str]:
    """The normalisations the reconstruction does not reject: RMSE within ``loss`` points of
    the best.

    Why: a robustness interval that draws from readings the scores rule out (on the stand-in
    min-max and z-scores miss by 1.3-1.7 points on average and up to 8) measures those
    readings' errors, not the uncertainty that remains about the evaluation.
    """
    best = min(f.rmse for f in fits.values())
    return [m for m, f in fits.items() if f.rmse <= best + loss]


def weights_table(tab: Table, fits: dict[str, WeightFit], bench: np.ndarray) -> pd.DataFrame:
    """One row per (normalisation, indicator): recovered weight beside the printed maximum."""
    rows = []
    for m, f in fits.items():
        for k, name in enumerate(tab.indicators):
            rows.append(
                {
                    "model": f"nnls_{m}",
                    "term": name,
                    "estimate": float(f.weights[k]),
                    "std_err": np.nan,
                    "p_value": np.nan,
                    "printed_max": float(tab.W[k]),
                    "benchmark": float(bench[k]) if m == "capped_ratio" else np.nan,
                    "vif": np.nan,
                    "fit_r2": f.r2,
                    "max_abs_residual": f.max_abs_residual,
                    "converged": True,
                }
            )
        rows.append(rows[-1] | {"term": "intercept", "estimate": f.intercept,
                                "printed_max": np.nan, "benchmark": np.nan})  # fmt: skip
    return pd.DataFrame(rows)


def marginal_points(
    method: str, x: np.ndarray, X: np.ndarray, weights: np.ndarray, bench: np.ndarray
) -> np.ndarray:
    """∂S/∂x for each indicator at the unit's values ``x`` (methods.md §3.6d)."""
    if method == "capped_ratio":
        return np.where(x < bench, weights / bench, 0.0)
    if method == "min_max":
        return weights / np.where(X.max(0) > X.min(0), X.max(0) - X.min(0), np.inf)
    if method == "log_min_max":
        span = np.log1p(X.max(0)) - np.log1p(X.min(0))
        return weights / ((1 + x) * np.where(span > 0, span, np.inf))
    if method == "z_score":
        return weights / (6 * X.std(axis=0, ddof=1))
    raise ValueError(method)
