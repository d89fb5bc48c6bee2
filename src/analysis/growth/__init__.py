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
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.festival import (
    DEFAULT_AFTER,
    DEFAULT_BEFORE,
    combine_january_february,
    festival_share,
)
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP

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
def _plausible(theta: np.ndarray, names: list[str]) -> np.ndarray:
    """Keep a parameter draw inside the model's valid region: variances positive, MA terms
    invertible. (Draws are normal around θ̂, so a few land outside; clipping them keeps the
    parameter uncertainty without simulating from an impossible model.)"""
    out = theta.copy()
    for i, name in enumerate(names):
        if "sigma2" in name:
            out[i] = abs(out[i])
        elif name.startswith(("ma.", "ar.")):
            out[i] = float(np.clip(out[i], -0.99, 0.99))
    return out


def simulate_remaining_months(
    res,
    exog_future: pd.DataFrame,
    repetitions: int = 2000,
    seed: int = 2022,
    parameter_draws: int = 40,
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
    names = list(res.params.index)
    draws = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(parameter_draws):
            theta = _plausible(rng.multivariate_normal(mean, cov, method="eigh"), names)
            sims = res.model.smooth(theta).simulate(
                n, anchor="end", repetitions=per_draw, exog=exog_future, rng=rng
            )
            sims = np.asarray(sims).reshape(n, -1)
            if np.isfinite(sims).all():
                draws.append(sims)
    if not draws:
        raise RuntimeError("every parameter draw gave non-finite simulations")
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


# ---------------------------------------------------------------------------------------------
# from the bureau's table (industry_monthly.csv) to series and contributions


def _latest(industry: pd.DataFrame, scope: str, group: str, indicator: str) -> pd.DataFrame:
    rows = industry[
        industry["latest"].astype(bool)
        & (industry["scope"] == scope)
        & (industry["group"] == group)
        & (industry["indicator"] == indicator)
    ]
    if rows.empty:
        raise ValueError(f"no rows for scope={scope!r}, group={group!r}, indicator={indicator!r}")
    return rows


def monthly_series(
    industry: pd.DataFrame,
    scope: str = COUNTY_SCOPE,
    group: str = TOTAL_GROUP,
    indicator: str = OUTPUT_INDICATOR,
) -> pd.DataFrame:
    """Monthly levels and comparable growth on a monthly PeriodIndex, as the releases give them.

    The month's level is the published 本月 figure where there is one, else C(N) − C(N−1);
    its growth is the published 同比 where there is one, else derived on the comparable basis
    (b(N) = B(N) − B(N−1), METHODS §1.5). In a year published only as 1–2月, January and
    February both get half the 1–2月 total and its growth (``jan_feb_combined``): the
    averaging treatment of METHODS §2.1a.
    """
    from analysis.conventions import comparable_base, monthly_comparable_growth

    rows = _latest(industry, scope, group, indicator)
    cum = rows[rows["span"] == "cumulative"].set_index(["year", "month"])
    mon = rows[rows["span"] == "month"].set_index(["year", "month"])
    records = []
    for year in sorted(set(cum.index.get_level_values(0))):
        c = cum.loc[year]
        m = mon.loc[year] if year in mon.index.get_level_values(0) else mon.iloc[0:0]
        combined = 1 not in c.index and 2 in c.index
        for month in sorted(c.index):
            level, growth, source = np.nan, np.nan, "derived"
            if combined and month == 2:
                half = c.at[2, "value_wan"] / 2
                for mm in (1, 2):
                    records.append(
                        {
                            "period": pd.Period(f"{year}-{mm:02d}", "M"),
                            "level_wan": half,
                            "growth": c.at[2, "growth"],
                            "source": "jan_feb_average",
                            "jan_feb_combined": True,
                        }
                    )
                continue
            if month in m.index and pd.notna(m.at[month, "value_wan"]):
                level, growth, source = m.at[month, "value_wan"], m.at[month, "growth"], "published"
            elif month == 1:
                level, growth, source = c.at[1, "value_wan"], c.at[1, "growth"], "published"
            elif month - 1 in c.index:
                level = c.at[month, "value_wan"] - c.at[month - 1, "value_wan"]
            if pd.isna(growth) and month - 1 in c.index:
                base = comparable_base(c.at[month, "value_wan"], c.at[month, "growth"])
                base_prev = comparable_base(c.at[month - 1, "value_wan"], c.at[month - 1, "growth"])
                growth = monthly_comparable_growth(level, base - base_prev)
            records.append(
                {
                    "period": pd.Period(f"{year}-{month:02d}", "M"),
                    "level_wan": level,
                    "growth": growth,
                    "source": source,
                    "jan_feb_combined": combined,
                }
            )
    out = pd.DataFrame(records).set_index("period").sort_index()
    return out


def combined_years(series: pd.DataFrame) -> set[int]:
    return set(series.index[series["jan_feb_combined"]].year)


def cumulative_figures(
    industry: pd.DataFrame,
    year: int,
    month: int,
    scope: str = COUNTY_SCOPE,
    group: str = TOTAL_GROUP,
    indicator: str = OUTPUT_INDICATOR,
) -> dict[str, float]:
    """Published cumulative and current-month level and growth of one release (万元, fraction)."""
    rows = _latest(industry, scope, group, indicator)
    rows = rows[(rows["year"] == year) & (rows["month"] == month)].set_index("span")
    if "cumulative" not in rows.index:
        raise ValueError(f"no 1-{month}月 {year} release for {group}")
    out = {
        "cum_wan": float(rows.at["cumulative", "value_wan"]),
        "cum_growth": float(rows.at["cumulative", "growth"]),
    }
    has_month = "month" in rows.index and pd.notna(rows.at["month", "value_wan"])
    out["month_wan"] = float(rows.at["month", "value_wan"]) if has_month else np.nan
    out["month_growth"] = float(rows.at["month", "growth"]) if has_month else np.nan
    return out


CONTRIBUTION_COLUMNS = [
    "period",
    "span",
    "group",
    "level_wan",
    "base_wan",
    "growth",
    "pull_pp",
    "contribution_share",
    "simulated",
]


def contributions(
    industry: pd.DataFrame,
    year: int,
    month: int,
    key_group: str = KEY_GROUP,
    scope: str = COUNTY_SCOPE,
    others_label: str = "其他企业",
) -> pd.DataFrame:
    """拉动 and 贡献率 of the key-enterprise group and the rest, cumulative and current month.

    Computed from the figures as published (no re-rounding): the rest is total − key on the
    comparable basis (conventions.remainder_part); pulls sum to the total's growth in pp.
    """
    from analysis.conventions import comparable_base, contribution_shares, pulls_pp, remainder_part

    total = cumulative_figures(industry, year, month, scope)
    key = cumulative_figures(industry, year, month, scope, key_group)
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    rows = []
    for span, lvl, gr in (
        ("cumulative", "cum_wan", "cum_growth"),
        ("month", "month_wan", "month_growth"),
    ):
        if np.isnan(total[lvl]) or np.isnan(key[lvl]):
            continue
        rest_level, rest_growth = remainder_part(total[lvl], total[gr], key[lvl], key[gr])
        levels = {key_group: key[lvl], others_label: rest_level}
        growths = {key_group: key[gr], others_label: rest_growth}
        pulls = pulls_pp(levels, growths)
        shares = contribution_shares(levels, growths)
        period = f"{year}-01..{month:02d}" if span == "cumulative" else f"{year}-{month:02d}"
        for g in levels:
            rows.append(
                {
                    "period": period,
                    "span": span,
                    "group": g,
                    "level_wan": levels[g],
                    "base_wan": comparable_base(levels[g], growths[g]),
                    "growth": growths[g],
                    "pull_pp": pulls[g],
                    "contribution_share": shares[g],
                    "simulated": simulated,
                }
            )
        rows.append(
            {
                "period": period,
                "span": span,
                "group": "total",
                "level_wan": total[lvl],
                "base_wan": comparable_base(total[lvl], total[gr]),
                "growth": total[gr],
                "pull_pp": total[gr] * 100,
                "contribution_share": 1.0,
                "simulated": simulated,
            }
        )
    return pd.DataFrame(rows, columns=CONTRIBUTION_COLUMNS)


def implied_previous_growth(industry: pd.DataFrame, year: int, month: int) -> dict[str, float]:
    """The 1–(N−1)月 growth this release implies, against the one published last month."""
    from analysis.conventions import implied_previous_cumulative

    now = cumulative_figures(industry, year, month)
    implied = implied_previous_cumulative(
        now["cum_wan"], now["cum_growth"], now["month_wan"], now["month_growth"]
    )
    try:
        published = cumulative_figures(industry, year, month - 1)["cum_growth"]
    except ValueError:
        published = np.nan
    return {
        "implied_growth": implied.growth,
        "published_growth": published,
        "difference_pp": (implied.growth - published) * 100,
    }


def full_year_base(industry: pd.DataFrame, year: int, month: int) -> dict[str, float]:
    """Estimated comparable base of the full year: B_FY = L_{t−1}(12) · k̂ (METHODS §2.5).

    k̂ = B_{t−1}(N) / C_{t−1}(N): this year's implied base over last year's published level at
    the same month, the scope factor so far this year.
    """
    from analysis.conventions import comparable_base, scope_factor

    now = cumulative_figures(industry, year, month)
    last_same = cumulative_figures(industry, year - 1, month)["cum_wan"]
    last_full = cumulative_figures(industry, year - 1, 12)["cum_wan"]
    k = scope_factor(comparable_base(now["cum_wan"], now["cum_growth"]), last_same)
    return {"k_hat": float(k), "last_full_year_wan": last_full, "base_fy_wan": last_full * k}


def context_rates(raw_path: Path, year: int) -> pd.DataFrame:
    """Published growth of above-scale industrial VALUE ADDED elsewhere in the same year.

    A different measure from the county's gross output (real, at comparable prices, vs
    nominal): shown for context, never on the same axis or in one ratio (METHODS §1.3).
    """
    df = pd.read_csv(raw_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df[df["period"].str.startswith(f"{year}-") & df["indicator"].str.contains("增加值")]
    out = df[["region", "indicator", "period", "yoy_growth_pct", "cumulative", "source_url"]]
    out = out.assign(
        growth=pd.to_numeric(out["yoy_growth_pct"]) / 100,
        measure="value added, real (comparable prices)",
    )
    return out.drop(columns="yoy_growth_pct").reset_index(drop=True)


def projection_table(
    series: pd.DataFrame,
    industry: pd.DataFrame,
    year: int,
    through_month: int,
    target_growth: float,
    before: int,
    after: int,
    repetitions: int = 2000,
    seed: int = 2022,
) -> pd.DataFrame:
    """The model's simulated full-year projection and the three baselines, one row each."""
    levels = series["level_wan"]
    base = full_year_base(industry, year, through_month)["base_fy_wan"]
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    cy = combined_years(series)
    draws = model_full_year_draws(levels, year, through_month, cy, before, after, repetitions, seed)
    rows = [
        projection_row(year, through_month, "model_sarimax", draws, base, target_growth, simulated)
    ]
    for name, fn in BASELINES.items():
        rows.append(
            projection_row(
                year,
                through_month,
                name,
                fn(levels, year, through_month),
                base,
                target_growth,
                simulated,
            )
        )
    return pd.DataFrame(rows)


def backtest_origins(series: pd.DataFrame, year: int, min_training_years: int = 4) -> list[int]:
    """Every past year with a full twelve months and enough history before it."""
    counts = series["level_wan"].notna().groupby(series.index.year).sum()
    full = [int(y) for y, n in counts.items() if n == 12 and y < year]
    first = min(counts.index)
    return [y for y in full if y - first >= min_training_years]
