"""Modelling monthly above-scale output: a Spring Festival-aware seasonal model, a full-year
projection by simulation, baselines and a rolling-origin backtest (METHODS §2).

Inputs are monthly levels in 万元 on a monthly ``PeriodIndex`` (derived from the bureau's
cumulative releases by :mod:`analysis.conventions`), plus the set of years whose January and
February were published only together. Models work on log levels, never on YoY rates, which
carry the festival distortion twice.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .festival import DEFAULT_AFTER, DEFAULT_BEFORE, combine_january_february, festival_share

SARIMA_ORDER = (0, 1, 1)
SEASONAL_ORDER = (0, 1, 1, 12)
COVID_MONTHS = ("2020-01", "2020-02", "2020-03")  # the 2020 Q1 slump, as an intervention
WINDOW_CANDIDATES = tuple((b, a) for b in (0, 4, 7) for a in (8, 15, 20))


# ---------------------------------------------------------------------------------------------
# design
def prepare_log_levels(levels: pd.Series, combined_years: set[int]) -> pd.Series:
    """Log monthly levels, with Jan = Feb = their mean in years published only as 1-2月."""
    if (levels.dropna() <= 0).any():
        raise ValueError("monthly levels must be positive to take logs")
    return np.log(combine_january_february(levels.astype(float), combined_years))


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


# ---------------------------------------------------------------------------------------------
# projection
def simulate_remaining_months(
    res,
    exog_future: pd.DataFrame,
    repetitions: int = 2000,
    seed: int = 2022,
    parameter_draws: int = 100,
) -> np.ndarray:
    """Simulated levels (万元) of the months after the sample: array (n_months, draws).

    Parameter uncertainty is included by drawing parameters from N(θ̂, cov) and simulating
    from each draw (``simulate`` alone holds them fixed, METHODS §2.5).
    """
    rng = np.random.default_rng(seed)
    n = len(exog_future)
    if n == 0:
        return np.zeros((0, repetitions))
    per_draw = max(1, repetitions // parameter_draws)
    cov = np.asarray(res.cov_params())
    mean = np.asarray(res.params)
    draws = []
    for _ in range(parameter_draws):
        theta = rng.multivariate_normal(mean, cov, method="eigh")
        try:
            smoothed = res.model.smooth(theta)
        except (ValueError, np.linalg.LinAlgError):
            smoothed = res
        sims = smoothed.simulate(n, anchor="end", repetitions=per_draw, exog=exog_future, rng=rng)
        draws.append(np.asarray(sims).reshape(n, -1))
    return np.exp(np.concatenate(draws, axis=1))


@dataclass(frozen=True)
class Projection:
    point_wan: float
    lo80_wan: float
    hi80_wan: float
    lo95_wan: float
    hi95_wan: float


def summarise_draws(totals: np.ndarray) -> Projection:
    lo95, lo80, point, hi80, hi95 = np.percentile(totals, [2.5, 10, 50, 90, 97.5])
    return Projection(float(point), float(lo80), float(hi80), float(lo95), float(hi95))


def projection_row(
    year: int,
    through_month: int,
    method: str,
    totals: np.ndarray | float,
    base_fy_wan: float,
    target_growth: float,
    simulated: bool,
) -> dict[str, object]:
    """One row of projection.csv; growth against the estimated comparable full-year base."""
    if np.ndim(totals) == 0:
        value = float(totals)
        proj = Projection(value, np.nan, np.nan, np.nan, np.nan)
        p_reach = np.nan
    else:
        proj = summarise_draws(np.asarray(totals))
        p_reach = float(np.mean(np.asarray(totals) / base_fy_wan - 1 >= target_growth))
    g = {k: v / base_fy_wan - 1 for k, v in vars(proj).items()}
    return {
        "year": year,
        "through_month": through_month,
        "method": method,
        **vars(proj),
        "growth_point": g["point_wan"],
        "growth_lo80": g["lo80_wan"],
        "growth_hi80": g["hi80_wan"],
        "growth_lo95": g["lo95_wan"],
        "growth_hi95": g["hi95_wan"],
        "target_growth": target_growth,
        "p_reach_target": p_reach,
        "simulated": simulated,
    }


# ---------------------------------------------------------------------------------------------
# baselines (METHODS §2.6): all take monthly levels on PeriodIndex
def seasonal_naive_total(levels: pd.Series, year: int, through_month: int) -> float:
    """This year's months so far plus last year's remaining months."""
    done = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    rest = levels[(levels.index.year == year - 1) & (levels.index.month > through_month)].sum()
    return float(done + rest)


def carry_forward_total(levels: pd.Series, year: int, through_month: int) -> float:
    """Remaining months grow like the year so far: C_t(N) · L_{t-1}(12) / L_{t-1}(N)."""
    this = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    prev = levels[levels.index.year == year - 1]
    return float(this * prev.sum() / prev[prev.index.month <= through_month].sum())


def ytd_share_total(levels: pd.Series, year: int, through_month: int) -> float:
    """C_t(N) / mean over past years of C(N)/C(12)."""
    this = levels[(levels.index.year == year) & (levels.index.month <= through_month)].sum()
    shares = []
    for y in sorted(set(levels.index.year)):
        yl = levels[levels.index.year == y]
        if y < year and len(yl.dropna()) == 12:
            shares.append(yl[yl.index.month <= through_month].sum() / yl.sum())
    return float(this / np.mean(shares))


BASELINES = {
    "seasonal_naive": seasonal_naive_total,
    "carry_forward": carry_forward_total,
    "ytd_share": ytd_share_total,
}


def model_full_year_draws(
    levels: pd.Series,
    year: int,
    through_month: int,
    combined_years: set[int],
    before: int,
    after: int,
    repetitions: int = 2000,
    seed: int = 2022,
) -> np.ndarray:
    """Full-year totals simulated from the SARIMAX model fitted on data to through_month."""
    cut = pd.Period(f"{year}-{through_month:02d}", "M")
    train = levels[levels.index <= cut]
    y = prepare_log_levels(train, combined_years)
    res = fit_sarimax(y, design_matrix(y.index, combined_years, before, after))
    fut = future_periods(cut, 12 - through_month)
    exog_future = design_matrix(y.index.append(fut), combined_years, before, after).loc[
        fut, res.model.exog_names
    ]
    sims = simulate_remaining_months(res, exog_future, repetitions, seed)
    done = train[train.index.year == year].sum()
    return done + sims.sum(axis=0)


def mase_scale(levels: pd.Series, cut: pd.Period) -> float:
    """In-sample mean absolute error of the seasonal naive forecast (m = 12)."""
    train = levels[levels.index <= cut].dropna()
    return float(np.mean(np.abs(train.diff(12).dropna())))


def backtest(
    levels: pd.Series,
    through_month: int,
    combined_years: set[int],
    origins: list[int],
    before: int,
    after: int,
    repetitions: int = 1000,
    seed: int = 2022,
) -> pd.DataFrame:
    """Rolling-origin backtest: for each past year cut at the same month, forecast the year."""
    rows = []
    for year in origins:
        actual = float(levels[levels.index.year == year].sum())
        cut = pd.Period(f"{year}-{through_month:02d}", "M")
        scale = mase_scale(levels, cut) * (12 - through_month)
        draws = model_full_year_draws(
            levels, year, through_month, combined_years, before, after, repetitions, seed
        )
        lo95, lo80, point, hi80, hi95 = np.percentile(draws, [2.5, 10, 50, 90, 97.5])
        forecasts = {"model_sarimax": (point, lo80, hi80, lo95, hi95)}
        for name, fn in BASELINES.items():
            forecasts[name] = (fn(levels, year, through_month), *[np.nan] * 4)
        for method, (f, l80, h80, l95, h95) in forecasts.items():
            err = actual - f
            rows.append(
                {
                    "origin_year": year,
                    "method": method,
                    "actual_wan": actual,
                    "forecast_wan": float(f),
                    "ape": abs(err) / actual,
                    "mase": abs(err) / scale if scale > 0 else np.nan,
                    "in80": bool(l80 <= actual <= h80) if not np.isnan(l80) else pd.NA,
                    "in95": bool(l95 <= actual <= h95) if not np.isnan(l95) else pd.NA,
                }
            )
    out = pd.DataFrame(rows)
    out["in80"] = out["in80"].astype("boolean")
    out["in95"] = out["in95"].astype("boolean")
    return out
