from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.festival import (
    combine_january_february,
    festival_share,
    spring_festival,
)


def test_dates_agree_with_the_independent_table(raw: Path) -> None:
    table = pd.read_csv(raw / "calendar" / "spring_festival_dates.csv")
    sample = table[(table["year"] >= 1990) & (table["year"] <= 2050)]
    for year, iso in zip(sample["year"], sample["spring_festival_date"]):
        assert spring_festival(int(year)).isoformat() == iso


def test_2026_festival_spills_a_fifth_of_the_window_into_march() -> None:
    assert spring_festival(2026) == date(2026, 2, 17)
    raw = festival_share(pd.period_range("2026-01", "2026-03", freq="M"), 4, 15, centred=False)
    assert raw.tolist() == pytest.approx([0.0, 0.8, 0.2])


def test_raw_shares_sum_to_one_per_year_and_centred_values_are_small() -> None:
    idx = pd.period_range("2012-01", "2022-12", freq="M")
    raw = festival_share(idx, 4, 15, centred=False)
    assert raw.groupby(raw.index.year).sum().tolist() == pytest.approx([1.0] * 11)
    centred = festival_share(idx, 4, 15)
    assert centred[centred.index.month > 3].abs().max() == 0


def test_combining_january_and_february_averages_them_only_in_listed_years() -> None:
    idx = pd.period_range("2021-01", "2022-03", freq="M")
    s = pd.Series(range(len(idx)), index=idx, dtype=float)
    out = combine_january_february(s, {2022})
    assert out[pd.Period("2022-01", "M")] == out[pd.Period("2022-02", "M")] == 12.5
    assert out[pd.Period("2021-01", "M")] == 0.0
