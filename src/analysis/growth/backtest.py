"""Rolling-origin backtest of the full-year forecast against the baselines (methods.md §2.7), and
the rule that picks the headline projection from it.

No look-ahead: at each origin (a past year cut at the run's month) the festival window is chosen
again on the data to the cut, the model is fitted on them, and the spread of the full year's
comparable base is drawn from the years before the origin only. Every fit starts afresh (each
costs milliseconds, see :mod:`.regarima`), so a row never depends on anything after its cut.

Scored per origin and method: the full-year level (APE, MASE) and the full-year *growth* on the
comparable basis (error in percentage points against the published 1–12月 growth), whether the
80% and 95% growth intervals held it, and its PIT (the share of draws at or below the outcome:
over many origins a calibrated forecast gives PITs spread evenly over 0–1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.growth.baselines import BASELINES
from analysis.growth.projection import (
    MODEL_METHOD,
    base_draws,
    full_year_base,
    method_draws,
    model_full_year_draws,
    scope_factor_ratios,
    scope_factor_ratios_by_year,
)
from analysis.growth.seasonal import (
    WINDOW_CANDIDATES,
    choose_window,
    levels_results,
)
from analysis.growth.series import combined_years, cumulative_figures, prepare_log_levels

HEADLINE_RULE = (
    "the method with the lowest mean absolute error of full-year growth in the backtest "
    "({n} origins); its point, with the model's simulated spread around it"
)
NO_BACKTEST_RULE = "the model (too little history for a backtest)"
BACKTEST_COLUMNS = [
    "origin_year",
    "method",
    "window_before",
    "window_after",
    "actual_wan",
    "forecast_wan",
    "ape",
    "mase",
    "actual_growth",
    "forecast_growth",
    "growth_error_pp",
    "in80",
    "in95",
    "pit",
    "simulated",
]


def mase_scale(levels: pd.Series, cut: pd.Period) -> float:
    """In-sample mean absolute error of the seasonal naive forecast (m = 12)."""
    train = levels[levels.index <= cut].dropna()
    return float(np.mean(np.abs(train.diff(12).dropna())))


def _score(
    year: int,
    method: str,
    totals: np.ndarray,
    bases: np.ndarray,
    point_base: float,
    actual: dict[str, float],
    scale: float,
    window: tuple[int, int],
) -> dict[str, object]:
    point = float(np.median(totals))
    growth = totals / bases - 1
    g_lo95, g_lo80, g_hi80, g_hi95 = np.percentile(growth, [2.5, 10, 90, 97.5])
    g_actual = actual["cum_growth"]
    err = actual["cum_wan"] - point
    forecast_growth = point / point_base - 1
    return {
        "origin_year": year,
        "method": method,
        "window_before": window[0],
        "window_after": window[1],
        "actual_wan": actual["cum_wan"],
        "forecast_wan": point,
        "ape": abs(err) / actual["cum_wan"],
        "mase": abs(err) / scale if scale > 0 else np.nan,
        "actual_growth": g_actual,
        "forecast_growth": forecast_growth,
        "growth_error_pp": (forecast_growth - g_actual) * 100,
        "in80": bool(g_lo80 <= g_actual <= g_hi80),
        "in95": bool(g_lo95 <= g_actual <= g_hi95),
        "pit": float(np.mean(growth <= g_actual)),
    }


def backtest(
    series: pd.DataFrame,
    industry: pd.DataFrame,
    through_month: int,
    origins: list[int],
    candidates: tuple[tuple[int, int], ...] = WINDOW_CANDIDATES,
    repetitions: int = 2000,
    seed: int = 2022,
) -> pd.DataFrame:
    """For each origin year: choose the window and fit on data to the same month, forecast the
    full year by every method, score level and growth against the published full year."""
    levels = series["level_wan"]
    cy = combined_years(series)
    rng = np.random.default_rng(seed)
    ratios = scope_factor_ratios_by_year(industry, through_month)  # each origin: earlier years
    rows = []
    for year in sorted(origins):
        cut = pd.Period(f"{year}-{through_month:02d}", "M")
        y = prepare_log_levels(levels[levels.index <= cut], cy)
        choice = choose_window(y, cy, candidates=candidates)
        res = levels_results(choice.best_fit)
        model = model_full_year_draws(
            res, levels, year, through_month, cy, *choice.best, repetitions, rng
        )
        base = full_year_base(industry, year, through_month)["base_fy_wan"]
        earlier = scope_factor_ratios(industry, year, through_month, by_year=ratios)
        bases = base_draws(base, earlier, repetitions, rng)
        actual = cumulative_figures(industry, year, 12)
        scale = mase_scale(levels, cut) * (12 - through_month)
        for method, totals in method_draws(model, levels, year, through_month).items():
            rows.append(_score(year, method, totals, bases, base, actual, scale, choice.best))
    simulated = bool(industry["simulated"].astype(bool).any())
    out = pd.DataFrame([r | {"simulated": simulated} for r in rows], columns=BACKTEST_COLUMNS)
    # typed even when empty (no origins)
    types: dict[str, Any] = dict.fromkeys(BACKTEST_COLUMNS, "float64")
    types |= {"method": str, "origin_year": "int64", "window_before": "int64"}
    types |= {"window_after": "int64", "in80": bool, "in95": bool, "simulated": bool}
    return out.astype(types)


def backtest_summary(bt: pd.DataFrame) -> pd.DataFrame:
    """Per method: mean errors of level and growth, interval coverage, PIT mean (best first by
    the headline criterion, the mean absolute growth error)."""
    g = bt.assign(abs_growth_error_pp=bt["growth_error_pp"].abs()).groupby("method", sort=False)
    out = g.agg(
        origins=("origin_year", "count"),
        mean_abs_growth_error_pp=("abs_growth_error_pp", "mean"),
        mean_ape=("ape", "mean"),
        mean_mase=("mase", "mean"),
        cover80=("in80", "mean"),
        cover95=("in95", "mean"),
        mean_pit=("pit", "mean"),
    )
    return out.sort_values("mean_abs_growth_error_pp", kind="stable")


def headline_method(summary: pd.DataFrame) -> tuple[str, str]:
    """(method, rule): the method with the lowest mean absolute growth error; the model when
    there is no backtest (ties go to the method listed first: the model)."""
    if summary.empty:
        return MODEL_METHOD, NO_BACKTEST_RULE
    order = [MODEL_METHOD, *BASELINES]
    ranked = summary.reindex([m for m in order if m in summary.index])
    best = ranked["mean_abs_growth_error_pp"].idxmin()
    return str(best), HEADLINE_RULE.format(n=int(ranked.loc[best, "origins"]))


def backtest_origins(series: pd.DataFrame, year: int, min_training_years: int = 4) -> list[int]:
    """Every past year with a full twelve months and enough history before it."""
    counts = series["level_wan"].notna().groupby(series.index.year).sum()
    full = [int(y) for y, n in counts.items() if n == 12 and y < year]
    first = min(counts.index)
    return [y for y in full if y - first >= min_training_years]
