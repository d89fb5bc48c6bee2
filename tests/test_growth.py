"""Growth models on seeded synthetic series with a known festival effect (a check of the code,
not evidence about any county)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import growth
from analysis.festival import festival_share

TRUE_FESTIVAL = -0.40


def synthetic_levels(seed: int = 7, start: str = "2010-01", end: str = "2022-12") -> pd.Series:
    """log X = trend + seasonal + β·festival share + COVID pulse + noise (万元)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range(start, end, freq="M")
    n = len(idx)
    trend = 10 + 0.006 * np.arange(n) + np.cumsum(rng.normal(0, 0.01, n))
    seasonal = 0.08 * np.sin(2 * np.pi * idx.month / 12)
    fest = TRUE_FESTIVAL * festival_share(idx, 4, 15).to_numpy()
    covid = np.where(idx.isin(pd.PeriodIndex(["2020-01", "2020-02"], freq="M")), -0.3, 0.0)
    covid += np.where(idx == pd.Period("2020-03", "M"), -0.15, 0.0)
    return pd.Series(np.exp(trend + seasonal + fest + covid + rng.normal(0, 0.01, n)), index=idx)


@pytest.fixture(scope="module")
def levels() -> pd.Series:
    return synthetic_levels()


def test_sarimax_recovers_the_festival_effect_with_january_published(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, set(), 4, 15))
    eff = growth.festival_effect(res)
    assert eff.lo95 < TRUE_FESTIVAL < eff.hi95
    assert eff.estimate == pytest.approx(TRUE_FESTIVAL, abs=0.08)


def test_unobserved_components_also_recovers_it(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    res = growth.fit_unobserved_components(y, growth.design_matrix(y.index, set(), 4, 15))
    assert growth.festival_effect(res).estimate == pytest.approx(TRUE_FESTIVAL, abs=0.1)


def test_window_choice_prefers_the_true_window(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    table = growth.choose_window(y, set(), candidates=((4, 15), (0, 8), (7, 20)))
    assert (table.loc[0, "before"], table.loc[0, "after"]) == (4, 15)


def test_design_has_covid_pulses_only_when_the_sample_covers_2020(levels: pd.Series) -> None:
    x = growth.design_matrix(levels.index, set())
    assert list(x.columns) == ["festival", "covid_jan_feb", "covid_mar"]
    assert x["covid_jan_feb"].sum() == 2
    early = growth.design_matrix(pd.period_range("2012-01", "2019-12", freq="M"), set())
    assert list(early.columns) == ["festival"]


def test_baselines_on_a_hand_worked_series() -> None:
    idx = pd.period_range("2020-01", "2022-12", freq="M")
    levels = pd.Series([10.0] * 12 + [11.0] * 12 + [12.0] * 12, index=idx)
    # 2022 through October: 120 done; last year's Nov-Dec were 22
    assert growth.seasonal_naive_total(levels, 2022, 10) == 142.0
    assert growth.carry_forward_total(levels, 2022, 10) == pytest.approx(120 * 132 / 110)
    assert growth.ytd_share_total(levels, 2022, 10) == pytest.approx(120 / (10 / 12))


def test_projection_intervals_nest_and_cover_the_truth(levels: pd.Series) -> None:
    draws = growth.model_full_year_draws(levels, 2022, 10, set(), 4, 15, repetitions=400)
    row = growth.projection_row(
        2022,
        10,
        "model",
        draws,
        base_fy_wan=float(levels[levels.index.year == 2021].sum()),
        target_growth=0.05,
        simulated=True,
    )
    assert row["lo95_wan"] < row["lo80_wan"] < row["point_wan"] < row["hi80_wan"] < row["hi95_wan"]
    actual = float(levels[levels.index.year == 2022].sum())
    assert row["lo95_wan"] < actual < row["hi95_wan"]
    assert 0.0 <= row["p_reach_target"] <= 1.0


def test_backtest_rows_and_metrics(levels: pd.Series) -> None:
    bt = growth.backtest(
        levels, 10, set(), origins=[2019, 2021], before=4, after=15, repetitions=200
    )
    assert len(bt) == 2 * 4
    assert set(bt["method"]) == {"model_sarimax", "seasonal_naive", "carry_forward", "ytd_share"}
    assert (bt["ape"] >= 0).all() and (bt["mase"] >= 0).all()
    assert bt.loc[bt["method"] == "seasonal_naive", "in80"].isna().all()


@pytest.fixture(scope="module")
def stand_in_table(repo) -> pd.DataFrame:
    """The bureau stand-in as 01_ingest tidies it (simulated, 2012-01 .. 2022-10)."""
    from analysis.ingest import bureau

    table, _ = bureau.ingest(repo / "data" / "internal" / "simulated", simulated=True)
    return table


@pytest.mark.parametrize(("year", "month"), [(2022, 6), (2021, 10), (2021, 3)])
def test_another_year_or_month_works(stand_in_table: pd.DataFrame, year: int, month: int) -> None:
    contrib = growth.contributions(stand_in_table, year, month)
    for _, grp in contrib.groupby("span"):
        total = grp[grp["group"] == "total"].iloc[0]
        parts = grp[grp["group"] != "total"]
        assert parts["pull_pp"].sum() == pytest.approx(total["pull_pp"])  # pulls add up
        assert parts["contribution_share"].sum() == pytest.approx(1.0)
    series = growth.monthly_series(stand_in_table)
    series = series[series.index <= pd.Period(f"{year}-{month:02d}", "M")]
    proj = growth.projection_table(series, stand_in_table, year, month, 0.1, 4, 15,
                                   repetitions=200)  # fmt: skip
    model = proj.set_index("method").loc["model_sarimax"]
    assert model["lo95_wan"] < model["point_wan"] < model["hi95_wan"]
    done = series.loc[series.index.year == year, "level_wan"].sum()
    assert model["lo95_wan"] > done  # the year so far is part of every path
