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

Fits are the expensive part of notebook 02, so they are shared: :func:`choose_window` returns
every candidate's fit (parameters only, no covariance), later searches start from them, and the
projection simulates from the chosen fit instead of refitting.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.festival import (
    DEFAULT_AFTER,
    DEFAULT_BEFORE,
    combine_january_february,
    festival_share,
)

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
def fit_sarimax(
    y: pd.Series,
    exog: pd.DataFrame,
    start_params: pd.Series | None = None,
    covariance: bool = True,
    quick: bool = False,
):
    """Regression with seasonal ARIMA(0,1,1)(0,1,1)12 errors (regARIMA, like X-13's pre-step).

    The innovation variance is concentrated out of the likelihood (one parameter fewer to
    search). ``start_params`` (e.g. a fit of a neighbouring window or a longer sample) makes a
    refit take a few iterations; ``covariance=False`` skips the numerical Hessian when only the
    likelihood and the point estimates are needed (window choice, simulation); ``quick`` stops
    the optimiser earlier (scipy's ``factr`` 1e10 instead of 1e7): from a warm start the
    log-likelihood ends within 0.002 of its maximum on the stand-in and within 0.05 in the
    tests, a tenth of an AIC unit, enough to rank windows.
    """
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = SARIMAX(
        y,
        exog=exog,
        order=SARIMA_ORDER,
        seasonal_order=SEASONAL_ORDER,
        concentrate_scale=True,
    )
    start = None
    if start_params is not None and list(start_params.index) == model.param_names:
        start = _away_from_the_boundary(start_params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; checked via mle_retvals
        return model.fit(
            start_params=start,
            disp=False,
            maxiter=200,
            cov_type="approx" if covariance else "none",
            **({"factr": 1e10} if quick else {}),
        )


START_MA_LIMIT = 0.9


def _away_from_the_boundary(params: pd.Series) -> np.ndarray:
    """Starting values with MA terms kept within ±0.9. Only a starting point, never an estimate:
    near the invertibility boundary the likelihood is flat in the optimiser's coordinates, and a
    start there (e.g. a seasonal MA of −0.99 from a longer sample) can stall short of the
    maximum; from ±0.9 the optimiser still reaches a boundary optimum when there is one."""
    out = params.to_numpy(dtype=float).copy()
    for i, name in enumerate(params.index):
        if name.startswith("ma."):
            out[i] = min(max(out[i], -START_MA_LIMIT), START_MA_LIMIT)
    return out


def refine(res):
    """A fit (e.g. a quick one from the window choice) optimised to the default tolerance from
    where it stopped, with its parameter covariance (numerical Hessian)."""
    data = res.model.data  # the pandas objects the model was given
    return fit_sarimax(data.orig_endog, data.orig_exog, start_params=res.params)


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


@dataclass(frozen=True)
class WindowChoice:
    """AIC of the SARIMAX model for each festival window (``table``, best first) and the fits."""

    table: pd.DataFrame
    fits: dict[tuple[int, int], Any]

    @property
    def best(self) -> tuple[int, int]:
        return int(self.table.loc[0, "before"]), int(self.table.loc[0, "after"])

    @property
    def best_fit(self):
        return self.fits[self.best]


def choose_window(
    y: pd.Series,
    combined_years: set[int],
    candidates: tuple[tuple[int, int], ...] = WINDOW_CANDIDATES,
    start_from: WindowChoice | None = None,
) -> WindowChoice:
    """Fit every candidate window; rank by AIC (equal parameter counts, so AIC ranks as the
    likelihood does). Each fit starts from ``start_from``'s fit of the same window when given
    (e.g. the previous backtest origin's), else from the previous candidate's; only the very
    first fit starts cold."""
    rows, fits, previous = [], {}, None
    for before, after in candidates:
        start = start_from.fits[(before, after)].params if start_from is not None else previous
        x = design_matrix(y.index, combined_years, before, after)
        res = fit_sarimax(y, x, start, covariance=False, quick=start is not None)
        fits[(before, after)] = res
        previous = res.params
        rows.append(
            {
                "before": before,
                "after": after,
                "aic": float(res.aic),
                "festival": float(res.params[_festival_name(res)]),
            }
        )
    table = pd.DataFrame(rows).sort_values("aic", kind="stable", ignore_index=True)
    table["delta_aic"] = table["aic"] - table["aic"].min()
    weights = np.exp(-table["delta_aic"] / 2)
    table["akaike_weight"] = weights / weights.sum()
    return WindowChoice(table, fits)


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
