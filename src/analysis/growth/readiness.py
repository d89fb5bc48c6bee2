"""What the releases at hand let notebook 02 compute, each step with the reason when they do not.

A county may send one year of releases, or none at all (a run for another county than the
stand-in's). The published figures of the run's release are always reported when it exists;
the steps that need history say what they need instead of failing deep inside a fit:

* ``release`` — the run's 1–N月 release of the above-scale total (levels and published growth);
* ``model`` — the seasonal model needs at least :data:`MIN_MODEL_MONTHS` monthly levels (three
  years: the minimum X-13ARIMA-SEATS asks of a monthly series before it estimates seasonality;
  the ARIMA(0,1,1)(0,1,1)12 errors alone lose 13 months to differencing);
* ``backtest`` — a past year with all twelve months and enough years before it
  (:func:`analysis.growth.backtest.backtest_origins`);
* ``projection`` — the model, and last year's 1–N月 and 1–12月 releases, which give the
  comparable base of the full year (:func:`analysis.growth.projection.full_year_base`).

Only lengths and the presence of rows are checked here, never a fit: a step that passes may
still be judged by its diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schemas
from analysis.growth.backtest import backtest_origins
from analysis.growth.series import cumulative_figures, monthly_series

MIN_MODEL_MONTHS = 36
MIN_TRAINING_YEARS = 4  # years of data before a backtest origin (backtest_origins' default)


@dataclass(frozen=True)
class Step:
    """Whether one step of 02 can run; ``reason`` says why not (empty when it can)."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class Readiness:
    release: Step
    model: Step
    backtest: Step
    projection: Step
    series: pd.DataFrame  # the monthly series (empty without releases)

    @property
    def note(self) -> str:
        """The page's sentence on what is not computed and why ("" when everything is)."""
        steps = (self.release, self.model, self.backtest, self.projection)
        return "\n".join(dict.fromkeys(s.reason for s in steps if not s))


def no_releases_reason(county: str) -> str:
    """The sentence for a run whose county has no bureau releases (both languages)."""
    return (
        f"暂无{county}的统计局月报数据：本页不显示产值数字。 No bureau releases for {county}: "
        "no output figures are shown."
    )


def empty_series() -> pd.DataFrame:
    """The monthly series' columns with no month (what :func:`monthly_series` gives)."""
    return pd.DataFrame(
        {"level_wan": [], "growth": [], "source": [], "jan_feb_combined": []},
        index=pd.PeriodIndex([], freq="M", name="period"),
    ).astype({"level_wan": float, "growth": float, "source": str, "jan_feb_combined": bool})


def release_step(industry: pd.DataFrame, county: str, year: int, month: int) -> Step:
    """The run's release of the above-scale total: present, or why there is none."""
    if industry.empty:
        return Step(False, no_releases_reason(county))
    try:
        cumulative_figures(industry, year, month)
    except ValueError:
        return Step(
            False,
            f"No 1–{month}月 {year} release of the above-scale total (规模以上 工业总产值, "
            f"合计) for {county}: no output figures are shown.",
        )
    return Step(True)


def model_step(series: pd.DataFrame, year: int, month: int) -> Step:
    """Enough monthly levels up to the run's month for the seasonal model."""
    cut = pd.Period(f"{year}-{month:02d}", "M")
    levels = series.loc[series.index <= cut, "level_wan"].dropna()
    if len(levels) >= MIN_MODEL_MONTHS:
        return Step(True)
    span = f" ({levels.index[0]} to {levels.index[-1]})" if len(levels) else ""
    return Step(
        False,
        f"Seasonal model, festival effect, backtest and full-year projection not computed: "
        f"they need at least {MIN_MODEL_MONTHS} months (three years) of monthly releases up to "
        f"{cut}; the releases give {len(levels)} month(s){span}. The published levels and "
        "growth are reported as they are.",
    )


def backtest_step(series: pd.DataFrame, year: int, model: Step) -> Step:
    """A past year the backtest can start from (the model must be possible too)."""
    if not model:
        return model  # the backtest refits the seasonal model: the same reason
    if backtest_origins(series, year, MIN_TRAINING_YEARS):
        return Step(True)
    return Step(
        False,
        f"Backtest not computed: it needs a past year with all twelve months and at least "
        f"{MIN_TRAINING_YEARS} years of monthly releases before it; the headline projection is "
        "the model's.",
    )


def projection_step(industry: pd.DataFrame, year: int, month: int, model: Step) -> Step:
    """The model and last year's releases that give the full year's comparable base."""
    if not model:
        return model  # the projection simulates the seasonal model: the same reason
    missing = []
    for m in sorted({month, 12}):
        try:
            value = cumulative_figures(industry, year - 1, m)["cum_wan"]
        except ValueError:
            value = np.nan
        if np.isnan(value):
            missing.append(f"1–{m}月 {year - 1}")
    if not missing:
        return Step(True)
    return Step(
        False,
        "Full-year projection not computed: the comparable base of the full year needs last "
        f"year's releases of the total, missing: {', '.join(missing)}.",
    )


def readiness(industry: pd.DataFrame, county: str, year: int, month: int) -> Readiness:
    """Which steps of 02 the releases allow, with the reason for each that they do not."""
    release = release_step(industry, county, year, month)
    series = monthly_series(industry) if release else empty_series()
    model = model_step(series, year, month) if release else release
    return Readiness(
        release=release,
        model=model,
        backtest=backtest_step(series, year, model),
        projection=projection_step(industry, year, month, model),
        series=series,
    )


NO_PROJECTION = "none"  # the method of the row that stands in for a projection not made


def no_projection(
    year: int, month: int, target_growth: float, reason: str, simulated: bool
) -> pd.DataFrame:
    """projection.csv when no projection can be made: one headline row with no numbers whose
    ``rule`` says why, so the summary reports the reason instead of a number."""
    row: dict[str, object] = {c: np.nan for c in schemas.PROJECTION.columns}
    row |= {
        "year": year,
        "through_month": month,
        "method": NO_PROJECTION,
        "target_growth": float(target_growth),
        "headline": True,
        "rule": reason,
        "simulated": bool(simulated),
    }
    return pd.DataFrame([row]).astype(schemas.dtypes(schemas.PROJECTION))
