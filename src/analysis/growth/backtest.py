"""Rolling-origin backtest of the full-year forecast against the baselines (METHODS §2.7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.growth.baselines import BASELINES
from analysis.growth.projection import model_full_year_draws


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


def backtest_origins(series: pd.DataFrame, year: int, min_training_years: int = 4) -> list[int]:
    """Every past year with a full twelve months and enough history before it."""
    counts = series["level_wan"].notna().groupby(series.index.year).sum()
    full = [int(y) for y, n in counts.items() if n == 12 and y < year]
    first = min(counts.index)
    return [y for y in full if y - first >= min_training_years]
