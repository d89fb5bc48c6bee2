"""Modelling monthly above-scale output: a Spring Festival-aware seasonal model, a full-year
projection by simulation, baselines and a rolling-origin backtest (METHODS §2).

Inputs are monthly levels in 万元 on a monthly ``PeriodIndex`` (derived from the bureau's
cumulative releases by :mod:`analysis.conventions`), plus the set of years whose January and
February were published only together. Models work on log levels, never on YoY rates, which
carry the festival distortion twice.

Modules: :mod:`.series` (monthly series from the tidy table, log levels), :mod:`.contributions`
(拉动 and 贡献率), :mod:`.seasonal` (design, fits, window choice, festival effect),
:mod:`.baselines`, :mod:`.projection`, :mod:`.backtest`, :mod:`.context` (published rates of
other regions). This package exports the API notebook 02 uses.
"""

from __future__ import annotations

from analysis.growth.backtest import backtest, backtest_origins, mase_scale
from analysis.growth.baselines import (
    BASELINES,
    carry_forward_total,
    seasonal_naive_total,
    ytd_share_total,
)
from analysis.growth.context import context_rates
from analysis.growth.contributions import (
    CONTRIBUTION_COLUMNS,
    contributions,
    implied_previous_growth,
)
from analysis.growth.projection import (
    Projection,
    full_year_base,
    model_full_year_draws,
    projection_row,
    projection_table,
    simulate_remaining_months,
    summarise_draws,
)
from analysis.growth.seasonal import (
    COVID_MONTHS,
    FITTERS,
    SARIMA_ORDER,
    SEASONAL_ORDER,
    WINDOW_CANDIDATES,
    Effect,
    choose_window,
    compare_models,
    design_matrix,
    diagnostics,
    festival_effect,
    fit_sarimax,
    fit_unobserved_components,
    future_periods,
)
from analysis.growth.series import (
    combined_years,
    cumulative_figures,
    monthly_series,
    prepare_log_levels,
)

__all__ = [
    "BASELINES",
    "CONTRIBUTION_COLUMNS",
    "COVID_MONTHS",
    "FITTERS",
    "SARIMA_ORDER",
    "SEASONAL_ORDER",
    "WINDOW_CANDIDATES",
    "Effect",
    "Projection",
    "backtest",
    "backtest_origins",
    "carry_forward_total",
    "choose_window",
    "combined_years",
    "compare_models",
    "context_rates",
    "contributions",
    "cumulative_figures",
    "design_matrix",
    "diagnostics",
    "festival_effect",
    "fit_sarimax",
    "fit_unobserved_components",
    "full_year_base",
    "future_periods",
    "implied_previous_growth",
    "mase_scale",
    "model_full_year_draws",
    "monthly_series",
    "prepare_log_levels",
    "projection_row",
    "projection_table",
    "seasonal_naive_total",
    "simulate_remaining_months",
    "summarise_draws",
    "ytd_share_total",
]
