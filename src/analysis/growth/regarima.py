"""The seasonal model's likelihood computed directly, for the many fits that need only the
estimates and the log-likelihood: the festival-window choice, at the run's month and at every
backtest origin (methods.md §2.2, "How the window fits are computed").

The model is regression with SARIMA(0,1,1)(0,1,1)12 errors: y = Xβ + u, ∇∇₁₂u = (1 + θB)(1 +
ΘB¹²)ε. Differencing both sides gives w = ∇∇₁₂y = (∇∇₁₂X)β + e with e a stationary MA(13):
variance σ²(1 + θ²)(1 + Θ²) and non-zero autocovariances at lags 1, 11, 12 and 13 only. The
exact Gaussian likelihood of w has a banded covariance matrix (bandwidth 13): its banded
Cholesky factor whitens w and the differenced regressors, and then β and σ² have closed forms
(generalised least squares, σ̂² = RSS/n). What is left to search is (θ, Θ).

Why this is the estimator statsmodels' SARIMAX fit of the levels (``seasonal.fit_sarimax``)
computes: with diffuse starting values the likelihood of the levels is the likelihood of the
differenced data (the first 13 observations only fix the unknown starting values), so both
maximise one function of (β, θ, Θ, σ²); maximising over β and σ² in closed form for each
(θ, Θ) leaves the maximum where it is. statsmodels' exact diffuse filter gives this likelihood
up to a constant (−½·log 2π for each of the 13 observations), its default filter approximates
the diffuse start (prior variance 10⁶, 13 observations burned; within 1e-3), and its
``simple_differencing=True`` model computes it exactly (tests/test_regarima.py). It searches
all six parameters with numerical gradients through a Kalman filter of 27 states (14 when
differenced); here each evaluation is one factorisation of a band of 117 columns and the
search is two-dimensional: ~10 ms a fit instead of ~0.5 s. The parameters come out under
statsmodels' names and order, so they pass unchanged to a SARIMAX model of the levels for
forecasts, simulation and standard errors, which this module does not give.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# scipy is imported by the functions that fit: the summary notebook (05) imports this package
# for its small helpers, and scipy.linalg and scipy.optimize would cost it ~0.5 s of CPU

PERIOD = 12
MA_NAMES = ("ma.L1", "ma.S.L12")  # statsmodels' names for θ and Θ
# The search starts from the best point of this grid of (θ, Θ): an MA likelihood can have more
# than one local maximum, and the grid's 25 evaluations cost about as much as the search.
START_GRID = (-0.8, -0.4, 0.0, 0.4, 0.8)
# The MA terms are searched within ±MA_BOUND. The maximum is often on the invertibility
# boundary (Θ → −1: a seasonal pattern that does not drift). statsmodels searches unbounded
# coordinates (θ = x/√(1 + x²)) in which the likelihood flattens out there, and stops where
# the slope fades, up to ~1e-4 short; bounded, the search stops at the bound, and a bound ten
# thousand times closer to −1 gains less than 1e-6 (tests/test_regarima.py).
MA_BOUND = 1 - 1e-4


def difference(values: np.ndarray) -> np.ndarray:
    """∇∇₁₂ along the first axis: the first 13 rows are lost."""
    d = values[1:] - values[:-1]
    return d[PERIOD:] - d[:-PERIOD]


def autocovariances(theta: float, seasonal_theta: float) -> np.ndarray:
    """Autocovariances at lags 0..13 of (1 + θB)(1 + ΘB¹²)ε with unit innovation variance."""
    g = np.zeros(PERIOD + 2)
    g[0] = (1 + theta**2) * (1 + seasonal_theta**2)
    g[1] = theta * (1 + seasonal_theta**2)
    g[PERIOD - 1] = theta * seasonal_theta
    g[PERIOD] = seasonal_theta * (1 + theta**2)
    g[PERIOD + 1] = theta * seasonal_theta
    return g


def profile_loglike(
    theta: float, seasonal_theta: float, data: np.ndarray
) -> tuple[float, np.ndarray, float]:
    """(log-likelihood, β̂, σ̂²) at the MA terms (θ, Θ), with β and σ² at their maxima given
    them; ``data`` holds the differenced series in its first column and the differenced
    regressors in the others."""
    from scipy.linalg.lapack import dpbtrf, dtbtrs

    n = len(data)
    band = np.repeat(autocovariances(theta, seasonal_theta)[:, None], n, axis=1)
    chol, info = dpbtrf(band, lower=1)  # lower band storage: row k holds lag k
    if info != 0:
        return -np.inf, np.full(data.shape[1] - 1, np.nan), np.nan
    white, _ = dtbtrs(chol, data, uplo="L")
    zw, zx = white[:, 0], white[:, 1:]
    beta = np.linalg.lstsq(zx, zw, rcond=None)[0]
    resid = zw - zx @ beta
    scale = float(resid @ resid) / n
    llf = -0.5 * n * (np.log(2 * np.pi) + 1 + np.log(scale)) - float(np.log(chol[0]).sum())
    return float(llf), beta, scale


@dataclass(frozen=True)
class RegArimaFit:
    """A maximum-likelihood fit: ``params`` under statsmodels' SARIMAX names (the regressors,
    then ``ma.L1``, ``ma.S.L12``), the maximised log-likelihood, the innovation variance, and
    the data it was fitted on (log levels and regressors, undifferenced)."""

    params: pd.Series
    llf: float
    scale: float
    nobs_effective: int
    converged: bool
    endog: pd.Series
    exog: pd.DataFrame

    @property
    def aic(self) -> float:
        """As statsmodels counts: every parameter and the concentrated-out variance."""
        return -2 * self.llf + 2 * (len(self.params) + 1)


def fit_regarima(y: pd.Series, exog: pd.DataFrame) -> RegArimaFit:
    """The maximum-likelihood fit of regression with airline-model errors (the model of
    ``seasonal.fit_sarimax``) through the profile likelihood of (θ, Θ).

    The search (L-BFGS-B, as statsmodels) starts from the best point of a small grid and keeps
    both MA terms within ±:data:`MA_BOUND`. ``y`` must have no missing month.
    """
    from scipy.optimize import minimize

    values = y.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError("fit_regarima needs a series without missing months")
    x = exog.to_numpy(dtype=float).reshape(len(values), -1)
    data = difference(np.column_stack([values, x]))
    n = len(data)

    def objective(ma: np.ndarray) -> float:  # as statsmodels: minus the mean log-likelihood
        llf = profile_loglike(ma[0], ma[1], data)[0]
        return -llf / n if np.isfinite(llf) else 1e10

    grid = [(a, b) for a in START_GRID for b in START_GRID]
    start = max(grid, key=lambda ma: profile_loglike(ma[0], ma[1], data)[0])
    bounds = [(-MA_BOUND, MA_BOUND)] * 2
    opt = minimize(objective, np.asarray(start), method="L-BFGS-B", bounds=bounds)
    theta, seasonal_theta = (float(v) for v in opt.x)
    llf, beta, scale = profile_loglike(theta, seasonal_theta, data)
    names = [*exog.columns, *MA_NAMES]
    params = pd.Series([*beta, theta, seasonal_theta], index=names, dtype=float)
    return RegArimaFit(params, llf, scale, n, bool(opt.success), y, exog)
