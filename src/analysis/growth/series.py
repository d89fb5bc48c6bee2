"""From the bureau's tidy table (``industry_monthly.csv``) to monthly series: levels and
comparable growth on a monthly ``PeriodIndex``, the years published only as 1–2月, the published
cumulative figures of one release, and the log levels the models work on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.conventions import comparable_base, half_unit, monthly_comparable_growth
from analysis.festival import combine_january_february
from analysis.vocabulary import COUNTY_SCOPE, HEADLINE_COVERAGE, OUTPUT_INDICATOR, TOTAL_GROUP


def _mask(industry: pd.DataFrame, scope: str, group: str, indicator: str) -> np.ndarray:
    """Rows of the latest vintage of one series, on the 规上 coverage (an all-industry row of
    the same release is another series, never the headline's). Compared as NumPy arrays: the
    backtest asks for a release some 170 times, and pandas' string comparisons made that half
    a second."""

    def equals(column: str, value: str) -> np.ndarray:
        return industry[column].to_numpy(dtype=object, na_value=None) == value

    return (
        industry["latest"].to_numpy(dtype=bool)
        & equals("scope", scope)
        & equals("coverage", HEADLINE_COVERAGE)
        & equals("group", group)
        & equals("indicator", indicator)
    )


def _select(industry: pd.DataFrame, scope: str, group: str, indicator: str) -> pd.DataFrame:
    return industry[_mask(industry, scope, group, indicator)]


def _no_rows(scope: str, group: str, indicator: str) -> ValueError:
    return ValueError(f"no rows for scope={scope!r}, group={group!r}, indicator={indicator!r}")


def _latest(industry: pd.DataFrame, scope: str, group: str, indicator: str) -> pd.DataFrame:
    rows = _select(industry, scope, group, indicator)
    if rows.empty:
        raise _no_rows(scope, group, indicator)
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
    (b(N) = B(N) − B(N−1), methods.md §1.5). In a year published only as 1–2月, January and
    February both get half the 1–2月 total and its growth (``jan_feb_combined``): the
    averaging treatment of methods.md §2.1a.
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
    """Published cumulative and current-month level and growth of one release (万元, fraction),
    with half a unit of each figure's last published digit (``*_half``: the rounding band, in
    万元 and as a fraction; NaN where the table does not record the decimals)."""
    series = _mask(industry, scope, group, indicator)
    if not series.any():
        raise _no_rows(scope, group, indicator)
    release = (industry["year"].to_numpy() == year) & (industry["month"].to_numpy() == month)
    rows = industry[series & release].set_index("span")
    if "cumulative" not in rows.index:
        raise ValueError(f"no 1-{month}月 {year} release for {group}")
    out = _figures(rows.loc["cumulative"], "cum")
    has_month = "month" in rows.index and pd.notna(rows.at["month", "value_wan"])
    if has_month:
        out |= _figures(rows.loc["month"], "month")
    else:
        out |= dict.fromkeys(("month_wan", "month_growth", "month_wan_half", "month_growth_half"),
                             np.nan)  # fmt: skip
    return out


def _figures(row: pd.Series, prefix: str) -> dict[str, float]:
    level_half = growth_half = np.nan
    if pd.notna(row.get("value_decimals")) and pd.notna(row.get("original_unit")):
        level_half = half_unit(int(row["value_decimals"]), str(row["original_unit"]))
    if pd.notna(row.get("growth_decimals")):
        growth_half = half_unit(int(row["growth_decimals"])) / 100.0  # percent -> fraction
    return {
        f"{prefix}_wan": float(row["value_wan"]),
        f"{prefix}_growth": float(row["growth"]),
        f"{prefix}_wan_half": level_half,
        f"{prefix}_growth_half": growth_half,
    }


def has_group(
    industry: pd.DataFrame,
    year: int,
    month: int,
    group: str,
    scope: str = COUNTY_SCOPE,
    indicator: str = OUTPUT_INDICATOR,
) -> bool:
    """Whether the release of 1–``month``月 ``year`` gives ``group`` (e.g. key enterprises):
    a bureau may publish the total alone."""
    rows = _select(industry, scope, group, indicator)
    return bool(
        ((rows["year"] == year) & (rows["month"] == month) & (rows["span"] == "cumulative")).any()
    )


def prepare_log_levels(levels: pd.Series, combined_years: set[int]) -> pd.Series:
    """Log monthly levels, with Jan = Feb = their mean in years published only as 1-2月."""
    if (levels.dropna() <= 0).any():
        raise ValueError("monthly levels must be positive to take logs")
    return np.log(combine_january_february(levels.astype(float), combined_years))
