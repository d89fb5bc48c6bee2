"""The seasonal model of log monthly output: the design matrix (Spring Festival share, the
averaged-January/February term, COVID pulses), SARIMAX and UnobservedComponents fits, the
festival window chosen by AIC, the festival effect and diagnostics (methods.md §2.1–2.4).

Years published only as 1–2月 (methods.md §2.1a) carry January = February = half the total. In
those years the data lose the ordinary January/February seasonal gap, while years with a January
release keep it; fitted as one series, the festival regressor would absorb the difference (it
did: −0.54 against a generating −0.25). The design therefore carries one more term,
``jan_feb_averaged`` (−½ in January, +½ in February of an averaged year, 0 elsewhere), whose
coefficient is the January-over-February seasonal gap in log points: exactly what averaging
removed. The festival share itself is averaged like the data in those years.

Fits are the expensive part of notebook 02. The window choice (every candidate, at every backtest
origin) needs only estimates and log-likelihoods, so it maximises the model's exact likelihood
directly (:mod:`.regarima`, two parameters searched instead of six through a Kalman filter);
the chosen window's fit becomes a statsmodels SARIMAX of the levels at those estimates for
forecasts and simulation (:func:`levels_results`, one filter pass), or is polished by statsmodels
with its covariance for the reported coefficients (:func:`refine`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.festival import (
    DEFAULT_AFTER,
    DEFAULT_BEFORE,
    combine_january_february,
    festival_share,
)
from analysis.growth.regarima import RegArimaFit, fit_regarima

SARIMA_ORDER = (0, 1, 1)
SEASONAL_ORDER = (0, 1, 1, 12)
COVID_MONTHS = ("2020-01", "2020-02", "2020-03")  # the 2020 Q1 slump, as an intervention
WINDOW_CANDIDATES = tuple((b, a) for b in (0, 4, 7) for a in (8, 15, 20))
AVERAGED_TERM = "jan_feb_averaged"


def averaged_years_term(periods: pd.PeriodIndex, combined_years: set[int]) -> pd.Series:
    """−½ in January, +½ in February of each year published only as 1–2月, else 0.

    Its coefficient is the seasonal gap ln(January) − ln(February) that averaging removed.
    """
    month = np.asarray(periods.month)
    averaged = np.isin(np.asarray(periods.year), sorted(combined_years)) & (month <= 2)
    values = np.where(averaged, np.where(month == 1, -0.5, 0.5), 0.0)
    return pd.Series(values, index=periods, name=AVERAGED_TERM)


def design_matrix(
    periods: pd.PeriodIndex,
    combined_years: set[int],
    before: int = DEFAULT_BEFORE,
    after: int = DEFAULT_AFTER,
) -> pd.DataFrame:
    """Regressors: the festival share (averaged like the data in 1-2月 years), the
    averaged-years term, and COVID pulses; columns that are zero throughout are dropped.

    Q1 2020 enters as an explicit intervention: one pulse for January-February (averaged in a
    combined year) and one for March, so the slump neither biases the festival effect nor the
    seasonal pattern.
    """
    share = combine_january_february(festival_share(periods, before, after), combined_years)
    x = pd.DataFrame({"festival": share}, index=periods)
    x[AVERAGED_TERM] = averaged_years_term(periods, combined_years)
    x["covid_jan_feb"] = periods.isin(pd.PeriodIndex(COVID_MONTHS[:2], freq="M")).astype(float)
    x["covid_mar"] = (periods == pd.Period(COVID_MONTHS[2], "M")).astype(float)
    return x.loc[:, (x != 0).any(axis=0) | (x.columns == "festival")]


def future_periods(last: pd.Period, n: int) -> pd.PeriodIndex:
    return pd.period_range(last + 1, periods=n, freq="M")


# ---------------------------------------------------------------------------------------------
# models
def sarimax_model(y: pd.Series, exog: pd.DataFrame):
    """Regression with seasonal ARIMA(0,1,1)(0,1,1)12 errors (regARIMA, like X-13's pre-step),
    as a statsmodels state-space model of the levels; the innovation variance is concentrated
    out of the likelihood (one parameter fewer to search)."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(
        y,
        exog=exog,
        order=SARIMA_ORDER,
        seasonal_order=SEASONAL_ORDER,
        concentrate_scale=True,
    )


def _fit(model, start: np.ndarray | None, covariance: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; checked via mle_retvals
        return model.fit(
            start_params=start,
            disp=False,
            maxiter=200,
            cov_type="approx" if covariance else "none",
        )


def fit_sarimax(y: pd.Series, exog: pd.DataFrame, covariance: bool = True):
    """statsmodels' maximum-likelihood fit of :func:`sarimax_model` from its own starting
    values; ``covariance=False`` skips the numerical Hessian when only the likelihood and the
    point estimates are needed."""
    return _fit(sarimax_model(y, exog), None, covariance)


def fit_window(y: pd.Series, exog: pd.DataFrame) -> RegArimaFit:
    """Estimates and log-likelihood of the model (no covariance): through the exact likelihood
    of the differenced data (:func:`~analysis.growth.regarima.fit_regarima`), or, when a month
    is missing (which differencing cannot bridge), through statsmodels' Kalman filter."""
    if not y.isna().any():
        return fit_regarima(y, exog)
    res = fit_sarimax(y, exog, covariance=False)
    converged = bool(res.mle_retvals.get("converged", True))
    scale, nobs = float(res.scale), int(res.nobs_effective)
    return RegArimaFit(res.params, float(res.llf), scale, nobs, converged, y, exog)


def levels_results(fit: RegArimaFit):
    """``fit`` as statsmodels SARIMAX results of the levels with the parameters held at its
    estimates (one Kalman filter pass, no search): what forecasts and simulation need."""
    return sarimax_model(fit.endog, fit.exog).filter(fit.params.to_numpy(), cov_type="none")


def refine(fit: RegArimaFit):
    """statsmodels' fit of the levels with its parameter covariance (numerical Hessian),
    started at ``fit``'s estimates. They maximise the same likelihood (the levels' diffuse
    likelihood, which statsmodels approximates), so the search takes a few steps; the start is
    not pulled off the boundary because it is this sample's own maximum."""
    return _fit(sarimax_model(fit.endog, fit.exog), fit.params.to_numpy(dtype=float), True)


def fit_unobserved_components(y: pd.Series, exog: pd.DataFrame):
    """Local linear trend + trigonometric seasonal + regression (a structural alternative)."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    model = UnobservedComponents(
        y,
        level="local linear trend",
        freq_seasonal=[{"period": 12, "harmonics": 6}],
        exog=exog,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(disp=False, maxiter=500)


FITTERS = {"SARIMAX": fit_sarimax, "UnobservedComponents": fit_unobserved_components}


# Windows whose AICs differ by less than this are tied: a hundredth of an AIC unit is far above
# what the search leaves (tied windows' fits agree to 1e-6 in log-likelihood) and far below
# any difference the data can show (CLOSE_AIC = 2). Ties are real. Up to 2018 no stand-in
# window starts in another month than its New Year's Day; windows that differ only in the days
# before it then have differenced regressors that span the same space (one festival share is a
# multiple of the other plus the averaged-years term once ∇₁₂ removes the calendar months'
# constants): the same model, the same likelihood, the festival coefficient rescaled.
AIC_TIE = 0.01


@dataclass(frozen=True)
class WindowChoice:
    """AIC of the SARIMAX model for each festival window (``table``, best first) and the fits
    (estimates and log-likelihood, no covariance)."""

    table: pd.DataFrame
    fits: dict[tuple[int, int], RegArimaFit]

    @property
    def best(self) -> tuple[int, int]:
        return int(self.table.loc[0, "before"]), int(self.table.loc[0, "after"])

    @property
    def best_fit(self) -> RegArimaFit:
        return self.fits[self.best]


def rank_windows(rows: pd.DataFrame) -> pd.DataFrame:
    """Candidates (in their listed order) ranked by AIC, best first; windows tied with the best
    (within :data:`AIC_TIE`) come first in their listed order, so a tie goes to the window
    listed first, never to the optimiser's last digits. Adds ΔAIC and the Akaike weights."""
    tied = rows["aic"] <= rows["aic"].min() + AIC_TIE
    rest = rows[~tied].sort_values("aic", kind="stable")
    table = pd.concat([rows[tied], rest], ignore_index=True)
    table["delta_aic"] = table["aic"] - table["aic"].min()
    weights = np.exp(-table["delta_aic"] / 2)
    table["akaike_weight"] = weights / weights.sum()
    return table


def choose_window(
    y: pd.Series,
    combined_years: set[int],
    candidates: tuple[tuple[int, int], ...] = WINDOW_CANDIDATES,
) -> WindowChoice:
    """Fit every candidate window to its maximum likelihood; rank by AIC (equal parameter
    counts, so AIC ranks as the likelihood does). Each fit is on its own (no starting values
    from another fit), so the choice depends on ``y`` alone."""
    rows, fits = [], {}
    for before, after in candidates:
        fit = fit_window(y, design_matrix(y.index, combined_years, before, after))
        fits[(before, after)] = fit
        rows.append(
            {
                "before": before,
                "after": after,
                "aic": fit.aic,
                "festival": float(fit.params["festival"]),
            }
        )
    return WindowChoice(rank_windows(pd.DataFrame(rows)), fits)


@dataclass(frozen=True)
class Effect:
    estimate: float
    lo95: float
    hi95: float

    @property
    def as_percent_of_month(self) -> float:
        """Effect of a whole window inside one month on its level, in percent."""
        return float(np.expm1(self.estimate) * 100)


def _festival_name(res) -> str:
    """SARIMAX names the coefficient 'festival', UnobservedComponents 'beta.festival'."""
    return term_name(res, "festival")


def term_name(res, term: str) -> str:
    return next(n for n in res.params.index if n.split(".")[-1] == term)


def coefficient(res, term: str) -> Effect:
    """A coefficient and its 95% interval (the fit must carry its covariance)."""
    name = term_name(res, term)
    ci = res.conf_int(alpha=0.05).loc[name]
    return Effect(float(res.params[name]), float(ci.iloc[0]), float(ci.iloc[1]))


def festival_effect(res) -> Effect:
    return coefficient(res, "festival")


def diagnostics(res) -> dict[str, float]:
    """Information criteria and residual tests (Ljung-Box at lag 12, Jarque-Bera)."""
    lb = res.test_serial_correlation("ljungbox", lags=[12])[0]
    jb = res.test_normality("jarquebera")[0]
    return {
        "aic": float(res.aic),
        "bic": float(res.bic),
        "ljung_box_p": float(lb[1, -1]),
        "jarque_bera_p": float(jb[1]),
        "loglik": float(res.llf),
    }


def compare_models(y: pd.Series, exog: pd.DataFrame, sarimax=None) -> pd.DataFrame:
    """SARIMAX against UnobservedComponents on the same regressors (``sarimax``: a fit with
    its covariance to reuse)."""
    rows = []
    for name, fit in FITTERS.items():
        res = sarimax if name == "SARIMAX" and sarimax is not None else fit(y, exog)
        eff = festival_effect(res)
        rows.append(
            {
                "model": name,
                **diagnostics(res),
                "festival": eff.estimate,
                "festival_lo95": eff.lo95,
                "festival_hi95": eff.hi95,
            }
        )
    return pd.DataFrame(rows)


SEASONAL_MODEL_COLUMNS = [
    "term",
    "estimate",
    "ci_low",
    "ci_high",
    "window_before",
    "window_after",
    "model",
    "simulated",
]


def seasonal_model_table(
    res,
    before: int,
    after: int,
    simulated: bool,
    checks: tuple[tuple[str, str, Effect], ...] = (),
) -> pd.DataFrame:
    """Every coefficient of the chosen SARIMAX fit (``res`` with its covariance) and its 95%
    interval, one row per term (``festival`` is the Spring Festival coefficient of the chosen
    window), then any ``checks``: (term, model, effect) of other fits of the same window, such
    as the X-13 regARIMA festival coefficient."""
    ci = res.conf_int(alpha=0.05)
    rows = [
        (name, "SARIMAX(0,1,1)(0,1,1)12", float(res.params[name]), *map(float, ci.loc[name]))
        for name in res.params.index
    ]
    rows += [(term, model, e.estimate, e.lo95, e.hi95) for term, model, e in checks]
    return pd.DataFrame(
        [
            {
                "term": term,
                "estimate": est,
                "ci_low": lo,
                "ci_high": hi,
                "window_before": before,
                "window_after": after,
                "model": model,
                "simulated": simulated,
            }
            for term, model, est, lo, hi in rows
        ],
        columns=SEASONAL_MODEL_COLUMNS,
    )
