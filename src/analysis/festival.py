"""Spring Festival (春节) dates and the moving-holiday regressor for monthly models.

Dates come from a maintained lunar-calendar package (``lunardate``), checked in the tests
against ``data/raw/calendar/spring_festival_dates.csv``. The regressor is the Bell–Hillmer
share used for lunar holidays (methods.md §2.2): for a window from ``before`` days before to
``after`` days after New Year's Day, the share of the window's days falling in each month,
centred by its calendar-month means so that it does not absorb ordinary seasonality.

Centring uses a fixed reference span (not the sample), so the regressor of a month never changes
when data are added. Not named ``calendar.py``: that would shadow the standard library.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd
from lunardate import LunarDate

REFERENCE_YEARS = range(1990, 2051)  # span over which the share is centred
DEFAULT_BEFORE = 4  # NBS: about 4-5 days before the festival ...
DEFAULT_AFTER = 15  # ... and 15-20 days after (methods.md §1.4, [S17])


@cache
def spring_festival(year: int) -> date:
    """Gregorian date of the first day of the first lunar month (正月初一) of ``year``."""
    return LunarDate(year, 1, 1).to_solar_date()


def window_days(year: int, before: int, after: int) -> list[date]:
    start = spring_festival(year) - timedelta(days=before)
    return [start + timedelta(days=i) for i in range(before + after + 1)]


@cache
def _raw_share(year: int, month: int, before: int, after: int) -> float:
    days = window_days(year, before, after)
    return sum(d.year == year and d.month == month for d in days) / len(days)


@cache
def _calendar_means(before: int, after: int) -> tuple[float, ...]:
    return tuple(
        float(np.mean([_raw_share(y, m, before, after) for y in REFERENCE_YEARS]))
        for m in range(1, 13)
    )


def festival_share(
    periods: pd.PeriodIndex,
    before: int = DEFAULT_BEFORE,
    after: int = DEFAULT_AFTER,
    centred: bool = True,
) -> pd.Series:
    """Share of the festival window in each month, centred by calendar-month means."""
    if before < 0 or after < 0:
        raise ValueError("window lengths must be non-negative")
    means = _calendar_means(before, after)
    values = [
        _raw_share(p.year, p.month, before, after) - (means[p.month - 1] if centred else 0.0)
        for p in periods
    ]
    return pd.Series(values, index=periods, name=f"festival_{before}_{after}")


def combine_january_february(x: pd.Series, combined_years: set[int]) -> pd.Series:
    """Replace January and February by their mean in years published only as 1-2月.

    This is the averaging treatment (methods.md §2.1a): applied to both the series and the
    regressor, the only festival effect left to estimate in those years is the spill into March.
    """
    out = x.copy()
    for year in combined_years:
        jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
        if jan in out.index and feb in out.index:
            mean = (out[jan] + out[feb]) / 2
            out[jan] = out[feb] = mean
    return out
