"""From the bureau's tidy table (``industry_monthly.csv``) to monthly series: levels and
comparable growth on a monthly ``PeriodIndex``, the years published only as 1–2月, the published
cumulative figures of one release, and the log levels the models work on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.conventions import comparable_base, monthly_comparable_growth
from analysis.festival import combine_january_february
from analysis.vocabulary import COUNTY_SCOPE, OUTPUT_INDICATOR, TOTAL_GROUP


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


def prepare_log_levels(levels: pd.Series, combined_years: set[int]) -> pd.Series:
    """Log monthly levels, with Jan = Feb = their mean in years published only as 1-2月."""
    if (levels.dropna() <= 0).any():
        raise ValueError("monthly levels must be positive to take logs")
    return np.log(combine_january_february(levels.astype(float), combined_years))
