"""The models against the truth they are tested on: the bureau stand-in is generated with a known
Spring Festival coefficient and window and a known seasonal profile
(``analysis.simulate.output``), so the estimates notebook 02 prints must recover them within
their intervals. (Tests may read the simulator's constants; the code under test never does.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import growth
from analysis.growth.notes import CLOSE_AIC
from analysis.growth.seasonal import coefficient
from analysis.simulate.output import FESTIVAL_COEFFICIENT, FESTIVAL_WINDOW, MONTH_PROFILE


@pytest.fixture(scope="module")
def stand_in(repo):
    """Series, averaged years and the window choice of notebook 02 on the bundled stand-in."""
    from analysis.ingest import bureau

    table, _ = bureau.ingest(repo / "data" / "internal" / "simulated", simulated=True)
    series = growth.monthly_series(table)
    cy = growth.combined_years(series)
    y = growth.prepare_log_levels(series["level_wan"], cy)
    return series, cy, y, growth.choose_window(y, cy)


def test_the_chosen_windows_festival_interval_holds_the_generating_coefficient(stand_in) -> None:
    _, _, _, windows = stand_in
    effect = growth.festival_effect(growth.refine(windows.best_fit))
    assert effect.lo95 < FESTIVAL_COEFFICIENT < effect.hi95


def test_the_generating_window_is_as_good_as_the_chosen_one(stand_in) -> None:
    """Honest about the window: AIC cannot tell the generating window from the best one (within
    two AIC units), and fitted at the generating window the interval holds the truth too."""
    _, _, _, windows = stand_in
    table = windows.table.set_index(["before", "after"])
    assert table.loc[FESTIVAL_WINDOW, "delta_aic"] < CLOSE_AIC
    effect = growth.festival_effect(growth.refine(windows.fits[FESTIVAL_WINDOW]))
    assert effect.lo95 < FESTIVAL_COEFFICIENT < effect.hi95


def test_x13_with_usertype_holiday_recovers_the_coefficient(stand_in) -> None:
    series, cy, _, _ = stand_in
    effect = growth.festival_effect_x13(series["level_wan"], cy, *FESTIVAL_WINDOW)
    assert effect.lo95 < FESTIVAL_COEFFICIENT < effect.hi95


def test_the_averaged_years_term_is_the_january_february_seasonal_gap(stand_in) -> None:
    _, _, _, windows = stand_in
    gap = coefficient(growth.refine(windows.best_fit), "jan_feb_averaged")
    truth = MONTH_PROFILE[0] - MONTH_PROFILE[1]
    assert gap.lo95 < truth < gap.hi95


def test_the_structural_models_seasonal_pattern_is_the_generating_profile(stand_in) -> None:
    """UnobservedComponents' smoothed seasonal of a mid-sample year against MONTH_PROFILE
    (centred): every month within three standard errors."""
    _, cy, y, windows = stand_in
    res = growth.fit_unobserved_components(y, growth.design_matrix(y.index, cy, *windows.best))
    seasonal = res.freq_seasonal[0]
    year = y.index.year == 2019
    estimate = pd.Series(seasonal["smoothed"], index=y.index)[year].to_numpy()
    se = np.sqrt(np.asarray(seasonal["smoothed_cov"])[year])
    truth = MONTH_PROFILE - MONTH_PROFILE.mean()
    assert np.all(np.abs(estimate - truth) < 3 * se)
