"""The seasonal model of log monthly output: the design matrix (Spring Festival share, COVID
pulses), SARIMAX and UnobservedComponents fits, the festival window chosen by AIC, the festival
effect and diagnostics (METHODS §2.1–2.4)."""

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

SARIMA_ORDER = (0, 1, 1)
SEASONAL_ORDER = (0, 1, 1, 12)
COVID_MONTHS = ("2020-01", "2020-02", "2020-03")  # the 2020 Q1 slump, as an intervention
WINDOW_CANDIDATES = tuple((b, a) for b in (0, 4, 7) for a in (8, 15, 20))


def design_matrix(
    periods: pd.PeriodIndex,
    combined_years: set[int],
    before: int = DEFAULT_BEFORE,
    after: int = DEFAULT_AFTER,
) -> pd.DataFrame:
    """Regressors: the festival share (averaged like the data in 1-2月 years) and COVID pulses.

    Q1 2020 enters as an explicit intervention: one pulse for January-February (averaged in a
    combined year) and one for March, so the slump neither biases the festival effect nor the
    seasonal pattern.
    """
    share = combine_january_february(festival_share(periods, before, after), combined_years)
    x = pd.DataFrame({"festival": share}, index=periods)
    jf = [pd.Period(m, "M") for m in COVID_MONTHS[:2]]
    x["covid_jan_feb"] = [1.0 if p in jf else 0.0 for p in periods]
    x["covid_mar"] = [1.0 if p == pd.Period(COVID_MONTHS[2], "M") else 0.0 for p in periods]
    return x.loc[:, (x != 0).any(axis=0) | (x.columns == "festival")]


def future_periods(last: pd.Period, n: int) -> pd.PeriodIndex:
    return pd.period_range(last + 1, periods=n, freq="M")


# ---------------------------------------------------------------------------------------------
# models
def fit_sarimax(y: pd.Series, exog: pd.DataFrame):
    """Regression with seasonal ARIMA(0,1,1)(0,1,1)12 errors (regARIMA, like X-13's pre-step)."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = SARIMAX(y, exog=exog, order=SARIMA_ORDER, seasonal_order=SEASONAL_ORDER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; checked via mle_retvals
        return model.fit(disp=False, maxiter=200)


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


def choose_window(
    y: pd.Series,
    combined_years: set[int],
    candidates: tuple[tuple[int, int], ...] = WINDOW_CANDIDATES,
) -> pd.DataFrame:
    """AIC of the SARIMAX model for each festival window; best first."""
    rows = []
    for before, after in candidates:
        res = fit_sarimax(y, design_matrix(y.index, combined_years, before, after))
        rows.append(
            {
                "before": before,
                "after": after,
                "aic": res.aic,
                "festival": festival_effect(res).estimate,
            }
        )
    return pd.DataFrame(rows).sort_values("aic", ignore_index=True)


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
    return next(n for n in res.params.index if n.split(".")[-1] == "festival")


def festival_effect(res) -> Effect:
    name = _festival_name(res)
    ci = res.conf_int(alpha=0.05).loc[name]
    return Effect(float(res.params[name]), float(ci.iloc[0]), float(ci.iloc[1]))


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


def compare_models(y: pd.Series, exog: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, fit in FITTERS.items():
        res = fit(y, exog)
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
