"""What notebook 02 can compute from the releases at hand, and the reason it gives when it cannot
(analysis.growth.readiness): no release for the county, one year, too few years for a backtest,
last year's full-year release missing."""

from __future__ import annotations

import pandas as pd

from analysis import growth, schemas
from tests.test_growth import tidy_row


def releases(first: str, last: str) -> pd.DataFrame:
    """Cumulative 1–N月 releases of the total for every month from ``first`` to ``last``."""
    rows = [
        tidy_row(p.year, p.month, "cumulative", "合计", 100.0 * p.month, 0.10)
        for p in pd.period_range(first, last, freq="M")
    ]
    return pd.DataFrame(rows)


def test_no_release_for_the_county_says_so_in_both_languages() -> None:
    empty = releases("2022-01", "2022-10").iloc[0:0]
    ready = growth.readiness(empty, "肥乡区", 2022, 10)
    assert not (ready.release or ready.model or ready.backtest or ready.projection)
    assert (
        "暂无肥乡区的统计局月报数据" in ready.note and "No bureau releases for 肥乡区" in ready.note
    )
    assert ready.note == ready.release.reason  # said once, not once per step
    assert ready.series.empty and list(ready.series.columns) == ["level_wan", "growth", "source",
                                                                 "jan_feb_combined"]  # fmt: skip


def test_a_missing_release_of_the_run_is_named() -> None:
    ready = growth.readiness(releases("2022-01", "2022-09"), "曲周县", 2022, 10)
    assert not ready.release and "1–10月 2022" in ready.release.reason


def test_one_year_reports_the_release_and_says_what_the_model_needs() -> None:
    table = releases("2022-01", "2022-10")
    ready = growth.readiness(table, "曲周县", 2022, 10)
    assert ready.release and len(ready.series) == 10
    assert not ready.model
    assert f"at least {growth.MIN_MODEL_MONTHS} months" in ready.model.reason
    assert "give 10 month(s) (2022-01 to 2022-10)" in ready.model.reason
    assert ready.backtest.reason == ready.projection.reason == ready.model.reason
    proj = growth.no_projection(2022, 10, 0.15, ready.projection.reason, simulated=False)
    schemas.validate(proj, schemas.PROJECTION, "projection")  # one headline row, no number
    assert proj["headline"].all() and proj["growth_point"].isna().all()
    assert proj["rule"].iloc[0] == ready.model.reason


def test_three_years_fit_the_model_but_not_the_backtest() -> None:
    ready = growth.readiness(releases("2019-01", "2022-10"), "曲周县", 2022, 10)
    assert ready.release and ready.model and ready.projection
    assert not ready.backtest and "at least 4 years" in ready.backtest.reason
    assert ready.note == ready.backtest.reason


def test_a_projection_needs_last_years_full_year_release() -> None:
    table = releases("2014-01", "2022-10")
    assert growth.readiness(table, "曲周县", 2022, 10).projection
    gap = table[~((table["year"] == 2021) & (table["month"] == 12))]
    ready = growth.readiness(gap, "曲周县", 2022, 10)
    assert ready.model and ready.backtest and not ready.projection
    assert "missing: 1–12月 2021" in ready.projection.reason


def test_empty_tables_keep_their_contracts() -> None:
    for schema, name in ((schemas.CONTRIBUTIONS, "contributions"),
                         (schemas.SEASONAL_MODEL, "seasonal_model"),
                         (schemas.REAL_GROWTH, "real_growth")):  # fmt: skip
        empty = schemas.empty_table(schema)
        assert empty.empty and list(empty.columns) == list(schema.columns)
        schemas.validate(empty, schema, name)
