"""Growth models on seeded synthetic series with a known festival effect, and golden tables of
the arithmetic worked out by hand (a check of the code, not evidence about any county)."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import growth
from analysis.festival import festival_share

# the submodules, by name (the package exports functions of the same names)
backtest_mod = sys.modules["analysis.growth.backtest"]
projection_mod = sys.modules["analysis.growth.projection"]

TRUE_FESTIVAL = -0.40
# A January/February gap as large as a real one: ln(0.82 / 0.68) ≈ 0.187 log points.
PROFILE = np.log([0.82, 0.68, 0.92, 0.94, 0.96, 1.00, 0.94, 0.98, 1.10, 1.30, 1.28, 1.42])
TRUE_GAP = PROFILE[0] - PROFILE[1]


def synthetic_levels(seed: int = 7, start: str = "2010-01", end: str = "2022-12") -> pd.Series:
    """log X = trend + seasonal + β·festival share + COVID pulse + noise (万元)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range(start, end, freq="M")
    n = len(idx)
    trend = 10 + 0.006 * np.arange(n) + np.cumsum(rng.normal(0, 0.01, n))
    seasonal = PROFILE[idx.month - 1]
    fest = TRUE_FESTIVAL * festival_share(idx, 4, 15).to_numpy()
    covid = np.where(idx.isin(pd.PeriodIndex(["2020-01", "2020-02"], freq="M")), -0.3, 0.0)
    covid += np.where(idx == pd.Period("2020-03", "M"), -0.15, 0.0)
    return pd.Series(np.exp(trend + seasonal + fest + covid + rng.normal(0, 0.01, n)), index=idx)


AVERAGED = {2011, 2014, 2017, 2020}  # years "published only as 1–2月"


@pytest.fixture(scope="module")
def levels() -> pd.Series:
    return synthetic_levels()


@pytest.fixture(scope="module")
def averaged_fit(levels: pd.Series):
    """The model on the series with January = February = their mean in four years."""
    y = growth.prepare_log_levels(levels, AVERAGED)
    fit = growth.fit_sarimax(y, growth.design_matrix(y.index, AVERAGED, 4, 15))
    return y, fit


def test_sarimax_recovers_the_festival_effect_with_january_published(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, set(), 4, 15))
    eff = growth.festival_effect(res)
    assert eff.lo95 < TRUE_FESTIVAL < eff.hi95
    assert eff.estimate == pytest.approx(TRUE_FESTIVAL, abs=0.08)


def test_averaged_years_term_keeps_the_festival_effect_unbiased(averaged_fit) -> None:
    _, res = averaged_fit
    eff = growth.festival_effect(res)
    assert eff.lo95 < TRUE_FESTIVAL < eff.hi95
    # and its own coefficient is the January-over-February gap that averaging removed
    gap = growth.seasonal.coefficient(res, "jan_feb_averaged")
    assert gap.lo95 < TRUE_GAP < gap.hi95


def test_without_the_averaged_years_term_the_festival_absorbs_the_gap(averaged_fit) -> None:
    """The bug of issue #18: the regressor soaks up the January/February gap of the averaged
    years and the estimate is far too large."""
    y, _ = averaged_fit
    x = growth.design_matrix(y.index, AVERAGED, 4, 15).drop(columns="jan_feb_averaged")
    eff = growth.festival_effect(growth.fit_sarimax(y, x))
    assert eff.hi95 < TRUE_FESTIVAL


def test_unobserved_components_also_recovers_it(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    res = growth.fit_unobserved_components(y, growth.design_matrix(y.index, set(), 4, 15))
    assert growth.festival_effect(res).estimate == pytest.approx(TRUE_FESTIVAL, abs=0.1)


def test_window_choice_prefers_the_true_window(levels: pd.Series) -> None:
    y = growth.prepare_log_levels(levels, combined_years=set())
    choice = growth.choose_window(y, set(), candidates=((0, 8), (4, 15), (7, 20)))
    assert choice.best == (4, 15)
    assert set(choice.fits) == {(0, 8), (4, 15), (7, 20)}
    assert choice.table["akaike_weight"].sum() == pytest.approx(1.0)


def test_design_has_covid_pulses_only_when_the_sample_covers_2020(levels: pd.Series) -> None:
    x = growth.design_matrix(levels.index, set())
    assert list(x.columns) == ["festival", "covid_jan_feb", "covid_mar"]
    assert x["covid_jan_feb"].sum() == 2
    early = growth.design_matrix(pd.period_range("2012-01", "2019-12", freq="M"), set())
    assert list(early.columns) == ["festival"]


def test_the_averaged_years_term_is_minus_and_plus_a_half() -> None:
    idx = pd.period_range("2016-12", "2017-03", freq="M")
    x = growth.design_matrix(idx, {2017})
    assert x["jan_feb_averaged"].tolist() == [0.0, -0.5, 0.5, 0.0]


def test_baselines_on_a_hand_worked_series() -> None:
    idx = pd.period_range("2020-01", "2022-12", freq="M")
    levels = pd.Series([10.0] * 12 + [11.0] * 12 + [12.0] * 12, index=idx)
    # 2022 through October: 120 done; last year's Nov-Dec were 22
    assert growth.seasonal_naive_total(levels, 2022, 10) == 142.0
    assert growth.carry_forward_total(levels, 2022, 10) == pytest.approx(120 * 132 / 110)
    assert growth.ytd_share_total(levels, 2022, 10) == pytest.approx(120 / (10 / 12))


# --- projection ---------------------------------------------------------------------------------
def test_projection_row_golden() -> None:
    """Draws 0, 1, …, 100 (万元) against a fixed base of 50: every number below by hand.

    Percentiles of 0..100 are the percentages themselves (2.5, 10, 50, 90, 97.5); growth is
    total/50 − 1, so its percentiles are those over 50 minus one; P(growth ≥ 0.5) =
    P(total ≥ 75) = 26/101.
    """
    totals = np.arange(101, dtype=float)
    row = growth.projection_row(2022, 10, "m", totals, np.full(101, 50.0), 50.0, 0.5, True)
    expected = pd.DataFrame(
        [
            {
                "year": 2022,
                "through_month": 10,
                "method": "m",
                "point_wan": 50.0,
                "lo80_wan": 10.0,
                "hi80_wan": 90.0,
                "lo95_wan": 2.5,
                "hi95_wan": 97.5,
                "base_fy_wan": 50.0,
                "growth_point": 0.0,
                "growth_lo80": -0.8,
                "growth_hi80": 0.8,
                "growth_lo95": -0.95,
                "growth_hi95": 0.95,
                "target_growth": 0.5,
                "p_reach_target": 26 / 101,
                "simulated": True,
            }
        ]
    )
    pd.testing.assert_frame_equal(pd.DataFrame([row]), expected)


def test_base_uncertainty_widens_the_growth_interval_not_the_level_one() -> None:
    """The same totals against a base drawn as 50 × {0.9, 1.1}: the level interval is unchanged,
    the growth interval wider than with a fixed base."""
    totals = np.tile(np.arange(101, dtype=float), 2)
    bases = np.repeat([45.0, 55.0], 101)
    fixed = growth.projection_row(2022, 10, "m", totals, np.full(202, 50.0), 50.0, 0.5, True)
    drawn = growth.projection_row(2022, 10, "m", totals, bases, 50.0, 0.5, True)
    assert drawn["lo95_wan"] == fixed["lo95_wan"] and drawn["hi95_wan"] == fixed["hi95_wan"]
    assert drawn["growth_hi95"] - drawn["growth_lo95"] > fixed["growth_hi95"] - fixed["growth_lo95"]
    # P(total/base − 1 ≥ 0.5): total ≥ 67.5 with base 45 (33 of 101), ≥ 82.5 with 55 (18 of 101)
    assert drawn["p_reach_target"] == pytest.approx((33 + 18) / 202)


def test_method_draws_give_each_baseline_the_models_spread_around_its_point() -> None:
    idx = pd.period_range("2020-01", "2022-12", freq="M")
    levels = pd.Series([10.0] * 12 + [11.0] * 12 + [12.0] * 12, index=idx)
    model = np.array([140.0, 141.0, 142.0, 145.0])  # median 141.5
    out = projection_mod.method_draws(model, levels, 2022, 10)
    np.testing.assert_allclose(out["seasonal_naive"], [140.5, 141.5, 142.5, 145.5])
    assert np.median(out["carry_forward"]) == pytest.approx(120 * 132 / 110)


def test_simulation_uses_the_models_own_forecast_distribution(levels: pd.Series) -> None:
    """Fixed parameters, nothing patched: the simulated log levels of the next two months have
    the mean and variance of statsmodels' own forecast."""
    y = growth.prepare_log_levels(levels[levels.index <= pd.Period("2022-10", "M")], set())
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, set(), 4, 15), covariance=False)
    fut = growth.future_periods(y.index[-1], 2)
    x_fut = growth.design_matrix(y.index.append(fut), set(), 4, 15).loc[fut]
    sims = np.log(growth.simulate_remaining_months(res, x_fut, 4000, np.random.default_rng(1)))
    fc = res.get_forecast(2, exog=x_fut)
    np.testing.assert_allclose(sims.mean(axis=1), fc.predicted_mean, atol=0.005)
    np.testing.assert_allclose(sims.var(axis=1), fc.var_pred_mean, rtol=0.1)


def test_simulated_paths_are_statsmodels_own(levels: pd.Series) -> None:
    """All paths at once, yet the very paths of statsmodels' ``simulate`` (one path at a time)
    from the same generator: the same starting-state draw and shocks in the same order."""
    y = growth.prepare_log_levels(levels[levels.index <= pd.Period("2022-09", "M")], set())
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, set(), 4, 15), covariance=False)
    fut = growth.future_periods(y.index[-1], 3)
    x_fut = growth.design_matrix(y.index.append(fut), set(), 4, 15).loc[fut]
    ours = growth.simulate_remaining_months(res, x_fut, 300, np.random.default_rng(11))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = res.simulate(
            3, anchor="end", repetitions=300, exog=x_fut, rng=np.random.default_rng(11)
        )
    np.testing.assert_allclose(np.log(ours), np.asarray(theirs).reshape(3, 300), atol=1e-12)


def test_projection_intervals_nest_and_cover_the_truth(levels: pd.Series) -> None:
    train = levels[levels.index <= pd.Period("2022-10", "M")]
    y = growth.prepare_log_levels(train, set())
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, set(), 4, 15), covariance=False)
    draws = growth.model_full_year_draws(
        res, levels, 2022, 10, set(), 4, 15, 2000, np.random.default_rng(3)
    )
    base = float(levels[levels.index.year == 2021].sum())
    row = growth.projection_row(2022, 10, "model", draws, np.full(2000, base), base, 0.05, True)
    assert row["lo95_wan"] < row["lo80_wan"] < row["point_wan"] < row["hi80_wan"] < row["hi95_wan"]
    actual = float(levels[levels.index.year == 2022].sum())
    assert row["lo95_wan"] < actual < row["hi95_wan"]
    assert row["lo95_wan"] > float(train[train.index.year == 2022].sum())  # the year so far


def test_scope_factor_ratios_and_base_draws_by_hand() -> None:
    """Two years, each 1–10月 and 1–12月 for the total; k(N) = C_t(N)/(1+g_t(N)) / C_{t−1}(N).

    2021: 1–10月 110 +10% on 2020's 100 → k(10) = 1; 1–12月 132 +20% on 2020's 120 → k(12) =
    110/120. The ratio k(12)/k(10) = 11/12.
    """
    rows = []
    for year, month, value, g in [
        (2020, 10, 100.0, 0.0),
        (2020, 12, 120.0, 0.0),
        (2021, 10, 110.0, 0.10),
        (2021, 12, 132.0, 0.20),
        (2022, 10, 121.0, 0.10),
    ]:
        rows.append(tidy_row(year, month, "cumulative", "合计", value, g))
    industry = pd.DataFrame(rows)
    ratios = projection_mod.scope_factor_ratios(industry, 2022, 10)
    np.testing.assert_allclose(ratios, [11 / 12])
    # computed once for every origin (the backtest): each origin still sees earlier years only
    by_year = projection_mod.scope_factor_ratios_by_year(industry, 10)
    assert by_year == pytest.approx({2021: 11 / 12})
    assert projection_mod.scope_factor_ratios(industry, 2021, 10, by_year=by_year).size == 0
    draws = projection_mod.base_draws(100.0, ratios, 3, np.random.default_rng(0))
    np.testing.assert_allclose(draws, [100 * 11 / 12] * 3)
    assert projection_mod.base_draws(100.0, np.array([]), 2, np.random.default_rng(0)).tolist() == [
        100.0,
        100.0,
    ]


# --- contributions -----------------------------------------------------------------------------
def tidy_row(year: int, month: int, span: str, group: str, value: float, g: float) -> dict:
    """One row of industry_monthly.csv as 01_ingest writes it (the columns growth reads)."""
    return {
        "year": year,
        "month": month,
        "span": span,
        "scope": "全县",
        "coverage": "规模以上",
        "group": group,
        "indicator": "工业总产值",
        "value_wan": value,
        "value_decimals": 0,
        "original_unit": "万元",
        "growth": g,
        "growth_decimals": 1,
        "latest": True,
        "simulated": False,
    }


def hand_release(groups: bool = True) -> pd.DataFrame:
    """1–10月: total 120 (+20%), key group 55 (+10%); October: total 13 (+30%), key 5 (+25%)."""
    rows = [
        tidy_row(2022, 10, "cumulative", "合计", 120.0, 0.20),
        tidy_row(2022, 10, "month", "合计", 13.0, 0.30),
    ]
    if groups:
        rows += [
            tidy_row(2022, 10, "cumulative", "重点企业", 55.0, 0.10),
            tidy_row(2022, 10, "month", "重点企业", 5.0, 0.25),
        ]
    return pd.DataFrame(rows)


def test_contributions_golden_table() -> None:
    """By hand. 1–10月: bases 120/1.2 = 100, 55/1.1 = 50, so the rest is 65 on a base of 50
    (+30%); pulls 5/100 = 5 pp and 15 pp; shares 5/20 and 15/20. October: bases 10 and 4, the
    rest 8 on 6 (+33.3%); pulls 1/10 = 10 pp and 2/10 = 20 pp; shares 1/3 and 2/3.

    Bands: growth published to 0.1% (±0.0005), levels to 1万元 (±0.5); the key pull is lowest at
    the smallest key level and growth and the largest total level and smallest growth."""

    def key_pull(c: float, g: float, ck: float, gk: float) -> float:
        return (ck - ck / (1 + gk)) / (c / (1 + g)) * 100

    h, lh = 0.0005, 0.5
    k_lo = key_pull(120 + lh, 0.20 - h, 55 - lh, 0.10 - h)
    k_hi = key_pull(120 - lh, 0.20 + h, 55 + lh, 0.10 + h)
    m_lo = key_pull(13 + lh, 0.30 - h, 5 - lh, 0.25 - h)
    m_hi = key_pull(13 - lh, 0.30 + h, 5 + lh, 0.25 + h)
    # the rest's pull is the total's growth less the key pull, at the corners that extremise it
    r_lo = (0.20 - h) * 100 - key_pull(120 - lh, 0.20 - h, 55 + lh, 0.10 + h)
    r_hi = (0.20 + h) * 100 - key_pull(120 + lh, 0.20 + h, 55 - lh, 0.10 - h)
    rm_lo = (0.30 - h) * 100 - key_pull(13 - lh, 0.30 - h, 5 + lh, 0.25 + h)
    rm_hi = (0.30 + h) * 100 - key_pull(13 + lh, 0.30 + h, 5 - lh, 0.25 - h)
    expected = pd.DataFrame(
        {
            "period": ["2022-01..10"] * 3 + ["2022-10"] * 3,
            "span": ["cumulative"] * 3 + ["month"] * 3,
            "group": ["重点企业", "其他企业", "total"] * 2,
            "level_wan": [55.0, 65.0, 120.0, 5.0, 8.0, 13.0],
            "base_wan": [50.0, 50.0, 100.0, 4.0, 6.0, 10.0],
            "growth": [0.10, 0.30, 0.20, 0.25, 8 / 6 - 1, 0.30],
            "pull_pp": [5.0, 15.0, 20.0, 10.0, 20.0, 30.0],
            "pull_lo_pp": [k_lo, r_lo, 19.95, m_lo, rm_lo, 29.95],
            "pull_hi_pp": [k_hi, r_hi, 20.05, m_hi, rm_hi, 30.05],
            "contribution_share": [0.25, 0.75, 1.0, 1 / 3, 2 / 3, 1.0],
            "simulated": [False] * 6,
        }
    )
    pd.testing.assert_frame_equal(growth.contributions(hand_release(), 2022, 10), expected)


def test_a_release_with_the_total_only_gives_the_totals_rows() -> None:
    table = hand_release(groups=False)
    assert not growth.has_group(table, 2022, 10, "重点企业")
    out = growth.contributions(table, 2022, 10)
    assert out["group"].tolist() == ["total", "total"]
    assert out["pull_pp"].tolist() == pytest.approx([20.0, 30.0])


# --- backtest ----------------------------------------------------------------------------------
def test_backtest_summary_and_headline_rule_by_hand() -> None:
    bt = pd.DataFrame(
        {
            "origin_year": [2019, 2019, 2020, 2020],
            "method": ["model_sarimax", "ytd_share"] * 2,
            "growth_error_pp": [1.0, -0.5, -2.0, 0.5],
            "ape": [0.01, 0.005, 0.02, 0.004],
            "mase": [1.0, 0.5, 2.0, 0.4],
            "in80": [True, True, False, True],
            "in95": [True] * 4,
            "pit": [0.2, 0.6, 0.9, 0.4],
        }
    )
    summary = growth.backtest_summary(bt)
    assert summary.index.tolist() == ["ytd_share", "model_sarimax"]  # 0.5 pp before 1.5 pp
    assert summary.loc["model_sarimax", "mean_abs_growth_error_pp"] == pytest.approx(1.5)
    assert summary.loc["model_sarimax", "cover80"] == pytest.approx(0.5)
    method, rule = growth.headline_method(summary)
    assert method == "ytd_share" and "2 origins" in rule
    tie = summary.assign(mean_abs_growth_error_pp=1.0)
    assert growth.headline_method(tie)[0] == "model_sarimax"  # a tie goes to the model


def test_mark_headline_adds_one_headline_row_and_the_rule() -> None:
    proj = pd.DataFrame({"method": ["model_sarimax", "ytd_share"], "simulated": [True, True]})
    out = growth.mark_headline(proj, "ytd_share", "lowest error")
    assert out.columns.tolist() == ["method", "headline", "rule", "simulated"]
    assert out["headline"].tolist() == [False, True]
    with pytest.raises(ValueError, match="not in the projection"):
        growth.mark_headline(proj, "carry_forward", "x")


@pytest.fixture(scope="module")
def stand_in_table(repo) -> pd.DataFrame:
    """The bureau stand-in as 01_ingest tidies it (simulated, 2012-01 .. 2022-10)."""
    from analysis.ingest import bureau

    table, _ = bureau.ingest(repo / "data" / "internal" / "simulated", simulated=True)
    return table


def test_backtest_has_no_look_ahead(stand_in_table: pd.DataFrame) -> None:
    """Rewriting everything after an origin's cut (levels of later months ×1.3) changes neither
    that origin's chosen window nor its forecast: windows, fits, starting values and the base's
    spread all come from data up to the cut."""
    series = growth.monthly_series(stand_in_table)
    later = series.index > pd.Period("2017-10", "M")
    altered = series.copy()
    altered.loc[later, "level_wan"] *= 1.3
    kwargs = {"candidates": ((4, 15), (7, 20)), "repetitions": 200}
    a = growth.backtest(series, stand_in_table, 10, [2016, 2017], **kwargs)
    b = growth.backtest(altered, stand_in_table, 10, [2016, 2017], **kwargs)
    cols = ["origin_year", "method", "window_before", "window_after", "forecast_wan"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert set(a["method"]) == {"model_sarimax", "seasonal_naive", "carry_forward", "ytd_share"}
    assert a["pit"].between(0, 1).all()


def test_total_only_table_still_projects(stand_in_table: pd.DataFrame) -> None:
    total = stand_in_table[stand_in_table["group"] == "合计"]
    series = growth.monthly_series(total)
    series = series[series.index <= pd.Period("2021-10", "M")]
    cy = growth.combined_years(series)
    y = growth.prepare_log_levels(series["level_wan"], cy)
    res = growth.fit_sarimax(y, growth.design_matrix(y.index, cy, 4, 15), covariance=False)
    proj = growth.projection_table(res, series, total, 2021, 10, 0.1, 4, 15, repetitions=300)
    model = proj.set_index("method").loc["model_sarimax"]
    assert model["lo95_wan"] < model["point_wan"] < model["hi95_wan"]
    done = series.loc[series.index.year == 2021, "level_wan"].sum()
    assert model["lo95_wan"] > done  # the year so far is part of every path
