"""The direct likelihood of the seasonal model (analysis.growth.regarima) against statsmodels:
it is the likelihood statsmodels computes for the differenced data, the levels' likelihood up to
statsmodels' approximation of the diffuse start, and its maximum gives the windows, the ranking
and the festival estimates that statsmodels' own fits give."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import growth
from analysis.growth import regarima
from analysis.growth.seasonal import AIC_TIE, fit_window, levels_results, rank_windows
from analysis.simulate.output import FESTIVAL_COEFFICIENT, FESTIVAL_WINDOW
from tests.test_growth import TRUE_FESTIVAL, synthetic_levels

MA_POINTS = [(-0.3, -0.6), (0.4, -0.95), (-0.8, 0.2), (0.0, -0.9999)]


def sarimax(y: pd.Series, x: pd.DataFrame, **kwargs):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(
        y,
        exog=x,
        order=growth.SARIMA_ORDER,
        seasonal_order=growth.SEASONAL_ORDER,
        concentrate_scale=True,
        **kwargs,
    )


def loglike(model, params: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(model.loglike(params))


@pytest.fixture(scope="module")
def stand_in(repo):
    """Log levels and averaged years of the bundled stand-in (2012-01 .. 2022-10, simulated)."""
    from analysis.ingest import bureau

    table, _ = bureau.ingest(repo / "data" / "internal" / "simulated", simulated=True)
    series = growth.monthly_series(table)
    cy = growth.combined_years(series)
    return growth.prepare_log_levels(series["level_wan"], cy), cy


@pytest.fixture(scope="module")
def synthetic():
    """Eight years with a known festival effect (−0.40, window 4/15) and no averaged years."""
    y = growth.prepare_log_levels(synthetic_levels(start="2015-01"), set())
    return y, growth.design_matrix(y.index, set(), 4, 15)


def differenced(y: pd.Series, x: pd.DataFrame) -> np.ndarray:
    return regarima.difference(np.column_stack([y.to_numpy(float), x.to_numpy(float)]))


def test_difference_is_the_seasonal_and_the_ordinary_difference() -> None:
    a = np.arange(30, dtype=float) ** 2  # ∇a_t = 2t − 1; ∇₁₂ of that is 24
    np.testing.assert_allclose(regarima.difference(a), np.full(17, 24.0))


def test_autocovariances_of_the_airline_errors_by_hand() -> None:
    """(1 + θB)(1 + ΘB¹²)ε = ε_t + θε_{t−1} + Θε_{t−12} + θΘε_{t−13}: with θ = 0.5, Θ = −0.4
    the variance is 1 + 0.25 + 0.16 + 0.04 and lag k sums the products of weights k apart."""
    g = regarima.autocovariances(0.5, -0.4)
    expected = np.zeros(14)
    expected[[0, 1, 11, 12, 13]] = [1.45, 0.5 * 1.16, -0.2, -0.4 * 1.25, -0.2]
    np.testing.assert_allclose(g, expected)


def test_profile_likelihood_is_statsmodels_likelihood_of_the_differenced_data(stand_in) -> None:
    """At any MA terms, the profile likelihood with β̂ is what statsmodels' SARIMAX computes
    on the differenced data (``simple_differencing=True``: endog and exog differenced before
    the state-space form) at the same parameters, and β̂ is its maximum over β."""
    y, cy = stand_in
    x = growth.design_matrix(y.index, cy, *FESTIVAL_WINDOW)
    model = sarimax(y, x, simple_differencing=True)
    data = differenced(y, x)
    for ma in MA_POINTS:
        llf, beta, _ = regarima.profile_loglike(*ma, data)
        params = np.r_[beta, ma]
        assert loglike(model, params) == pytest.approx(llf, abs=1e-8)
        for i in range(len(beta)):  # moving any coefficient lowers it
            moved = params.copy()
            moved[i] += 1e-3
            assert loglike(model, moved) < llf


def test_it_is_the_levels_likelihood_up_to_the_approximate_diffuse_start(stand_in) -> None:
    """Theory: with diffuse starting values the likelihood of the levels is that of the
    differenced data. statsmodels' exact diffuse filter gives it up to a constant (−½·log 2π
    for each of the 13 observations that fix the starting values), the same at every
    parameter point. Its default filter approximates the diffuse start by a prior variance κ =
    10⁶ and burns 13 observations: within 1e-3 of it, and the gap shrinks like 1/κ (a
    hundredth at κ = 10⁸), so it is the approximation's, not a different likelihood."""
    y, cy = stand_in
    x = growth.design_matrix(y.index, cy, *FESTIVAL_WINDOW)
    exact = sarimax(y, x, use_exact_diffuse=True)
    approx, wider = sarimax(y, x), sarimax(y, x, initial_variance=1e8)
    data = differenced(y, x)
    for ma in MA_POINTS[:3]:
        llf, beta, _ = regarima.profile_loglike(*ma, data)
        params = np.r_[beta, ma]
        assert loglike(exact, params) - llf == pytest.approx(-6.5 * np.log(2 * np.pi), abs=1e-8)
        gap = abs(loglike(approx, params) - llf)
        assert gap < 1e-3
        assert abs(loglike(wider, params) - llf) < gap / 50


def test_the_search_reaches_the_maximum_statsmodels_finds(stand_in) -> None:
    """Every window, the full sample and a backtest origin: the fit's log-likelihood is at least
    statsmodels' maximum of the same (differenced) likelihood and at most 1e-3 above it: the
    same maximum, which statsmodels (searching unbounded coordinates in which the likelihood
    flattens out towards Θ = −1) stops up to ~1e-4 short of."""
    y, cy = stand_in
    for sample in (y, y[y.index <= pd.Period("2018-10", "M")]):
        for window in growth.WINDOW_CANDIDATES:
            x = growth.design_matrix(sample.index, cy, *window)
            fit = regarima.fit_regarima(sample, x)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = sarimax(sample, x, simple_differencing=True).fit(disp=False, maxiter=200)
            assert fit.converged
            assert fit.nobs_effective == ref.nobs_effective == len(sample) - 13
            assert -1e-6 < fit.llf - ref.llf < 1e-3
            assert fit.aic == pytest.approx(ref.aic, abs=2e-3)
            assert list(fit.params.index) == ref.model.param_names


def test_the_bound_on_the_ma_terms_costs_nothing(stand_in, monkeypatch) -> None:
    """On the stand-in the seasonal MA term ends on the bound (the maximum is at Θ → −1): a
    bound ten thousand times closer to −1 raises the log-likelihood by less than 1e-6."""
    y, cy = stand_in
    x = growth.design_matrix(y.index, cy, *FESTIVAL_WINDOW)
    fit = regarima.fit_regarima(y, x)
    assert fit.params["ma.S.L12"] == pytest.approx(-regarima.MA_BOUND)
    monkeypatch.setattr(regarima, "MA_BOUND", 1 - 1e-8)
    closer = regarima.fit_regarima(y, x)
    assert closer.params["ma.S.L12"] < fit.params["ma.S.L12"]
    assert 0 <= closer.llf - fit.llf < 1e-6


@pytest.mark.slow  # nine statsmodels fits of the levels (~4 s)
def test_same_window_and_ranking_as_statsmodels_fits_of_the_levels(stand_in) -> None:
    """The window table of notebook 02 on the stand-in ranks the windows as statsmodels' fits
    of the levels (the previous computation, at full tolerance) do, with AICs within 0.005
    (the approximate diffuse start, above) and the festival coefficient of the chosen window
    within 1e-3; so does its refinement (statsmodels' own fit, started at the estimates)."""
    y, cy = stand_in
    choice = growth.choose_window(y, cy)
    levels = {
        w: growth.fit_sarimax(y, growth.design_matrix(y.index, cy, *w), covariance=False)
        for w in growth.WINDOW_CANDIDATES
    }
    ranked = sorted(levels, key=lambda w: levels[w].aic)
    assert list(zip(choice.table["before"], choice.table["after"], strict=True)) == ranked
    for row in choice.table.itertuples():
        assert row.aic == pytest.approx(levels[(row.before, row.after)].aic, abs=5e-3)
    best = levels[choice.best]
    assert choice.best_fit.params["festival"] == pytest.approx(best.params["festival"], abs=1e-3)
    refined = growth.refine(choice.best_fit)
    assert refined.params["festival"] == pytest.approx(best.params["festival"], abs=1e-3)
    assert refined.llf >= best.llf - 1e-4


def test_festival_estimates_match_the_levels_fit_and_hold_the_truth(stand_in, synthetic) -> None:
    """On the stand-in (generated with −0.25 at window 4/15) and on a synthetic series with a
    known −0.40: the estimate is within 1e-3 of statsmodels' fit of the levels, and the
    refined fit's 95% interval holds the generating coefficient."""
    y, cy = stand_in
    cases = [
        (y, growth.design_matrix(y.index, cy, *FESTIVAL_WINDOW), FESTIVAL_COEFFICIENT),
        (*synthetic, TRUE_FESTIVAL),
    ]
    for series, x, truth in cases:
        fit = regarima.fit_regarima(series, x)
        levels = growth.fit_sarimax(series, x, covariance=False)
        assert fit.params["festival"] == pytest.approx(levels.params["festival"], abs=1e-3)
        effect = growth.festival_effect(growth.refine(fit))
        assert effect.lo95 < truth < effect.hi95


def test_levels_results_forecast_the_levels_at_the_fitted_parameters(synthetic) -> None:
    """The window fit becomes a SARIMAX model of the levels (not of the differenced series):
    same parameters, a likelihood within the approximate diffuse start's 1e-3, and forecasts of
    the log levels (two held-out months within 0.05; the differenced series is near zero)."""
    y, x = synthetic
    cut = y.index <= pd.Period("2022-08", "M")
    fit = regarima.fit_regarima(y[cut], x[cut])
    res = levels_results(fit)
    np.testing.assert_array_equal(res.params.to_numpy(), fit.params.to_numpy())
    assert res.llf == pytest.approx(fit.llf, abs=1e-3)
    forecast = res.get_forecast(2, exog=x[~cut].iloc[:2]).predicted_mean.to_numpy()
    np.testing.assert_allclose(forecast, y[~cut].iloc[:2].to_numpy(), atol=0.05)


def test_a_series_with_a_missing_month_is_fitted_by_statsmodels(synthetic) -> None:
    """Differencing cannot bridge a gap: the direct fit refuses it, and the window fit falls
    back to statsmodels' Kalman filter, which skips the missing month."""
    y, x = synthetic
    gappy = y.copy()
    gappy.iloc[40] = np.nan
    with pytest.raises(ValueError, match="missing"):
        regarima.fit_regarima(gappy, x)
    fit = fit_window(gappy, x)
    assert np.isfinite(fit.llf) and fit.converged
    assert fit.params["festival"] == pytest.approx(TRUE_FESTIVAL, abs=0.1)


def test_tied_windows_go_to_the_window_listed_first() -> None:
    """AICs within AIC_TIE of the best are a tie, resolved by the candidates' order, not by
    the optimiser's last digits; the rest follow by AIC."""
    rows = pd.DataFrame(
        {
            "before": [0, 4, 7, 0],
            "after": [8, 15, 20, 20],
            "aic": [-100.0, -110.0 + AIC_TIE / 2, -110.0, -105.0],
            "festival": [0.0, -0.2, -0.3, -0.1],
        }
    )
    table = rank_windows(rows)
    assert list(zip(table["before"], table["after"], strict=True)) == [
        (4, 15),
        (7, 20),
        (0, 20),
        (0, 8),
    ]
    assert table["delta_aic"].tolist() == pytest.approx([AIC_TIE / 2, 0.0, 5.0, 10.0])
    assert table["akaike_weight"].sum() == pytest.approx(1.0)


def test_windows_tie_when_their_regressors_give_the_same_model(stand_in) -> None:
    """Why ties happen: up to 2018 no festival window on the stand-in starts in another month
    than its New Year, and windows that differ only in the days before give the same
    likelihood at every MA point (the same model, the festival coefficient rescaled). The
    choice at such an origin is the first listed of them."""
    y, cy = stand_in
    sample = y[y.index <= pd.Period("2017-10", "M")]
    fits = {}
    for before in (0, 4, 7):
        x = growth.design_matrix(sample.index, cy, before, 20)
        data = differenced(sample, x)
        at = [regarima.profile_loglike(*ma, data)[0] for ma in MA_POINTS]
        fits[before] = (at, regarima.fit_regarima(sample, x))
    for before in (4, 7):
        np.testing.assert_allclose(fits[before][0], fits[0][0], rtol=0, atol=1e-8)
        assert fits[before][1].llf == pytest.approx(fits[0][1].llf, abs=1e-6)
    assert fits[7][1].params["festival"] != pytest.approx(fits[0][1].params["festival"], abs=0.01)
    assert growth.choose_window(sample, cy).best == (0, 20)
