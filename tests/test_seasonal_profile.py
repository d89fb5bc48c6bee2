"""The seasonal profile chart of 02 (seaborn): month shares of the year's mean, before any model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.figures import growth_charts

PROFILE = np.array([0.6, 0.7, 1.1, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 1.1, 1.15, 1.25])


def levels(years: range, last_months: int = 12) -> pd.Series:
    """Monthly levels following PROFILE, growing 10% a year; the last year cut short."""
    idx = pd.period_range(f"{years[0]}-01", f"{years[-1]}-{last_months:02d}", freq="M")
    values = [PROFILE[p.month - 1] * 1000 * 1.1 ** (p.year - years[0]) for p in idx]
    return pd.Series(values, index=idx)


def test_shares_recover_the_profile_of_complete_years_only() -> None:
    shares = growth_charts.month_shares(levels(range(2015, 2023), last_months=10))
    assert sorted(shares["year"].unique()) == list(range(2015, 2022))  # 2022 has 10 months
    by_month = shares.groupby("month")["share"].mean().to_numpy()
    np.testing.assert_allclose(by_month, PROFILE / PROFILE.mean())


def test_years_published_only_as_january_february_are_left_out() -> None:
    shares = growth_charts.month_shares(levels(range(2015, 2020)), skip_years={2016, 2018})
    assert sorted(shares["year"].unique()) == [2015, 2017, 2019]


def test_the_chart_has_one_box_per_month() -> None:
    shares = growth_charts.month_shares(levels(range(2015, 2022)))
    fig = growth_charts.seasonal_profile_chart(shares, "zh")
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [str(m) for m in range(1, 13)]
    assert ax.get_ylabel().startswith("当月产值")
