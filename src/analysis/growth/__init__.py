"""Modelling monthly above-scale output: a Spring Festival-aware seasonal model, a full-year
projection by simulation, baselines and a rolling-origin backtest (methods.md §2).

Inputs are monthly levels in 万元 on a monthly ``PeriodIndex`` (derived from the bureau's
cumulative releases by :mod:`analysis.conventions`), plus the set of years whose January and
February were published only together. Models work on log levels, never on YoY rates, which
carry the festival distortion twice.

Modules: :mod:`.series` (monthly series from the tidy table, log levels), :mod:`.contributions`
(拉动 and 贡献率 with their rounding bands), :mod:`.seasonal` (design, fits, window choice,
festival effect), :mod:`.regarima` (the model's likelihood computed directly, for the window
fits), :mod:`.x13` (the X-13 check of the festival effect), :mod:`.baselines`,
:mod:`.projection`, :mod:`.backtest` (and the headline rule), :mod:`.real` (growth deflated by
the PPI, 估算), :mod:`.context` (published rates of other regions), :mod:`.readiness` (which
steps the releases allow, and why not), :mod:`.notes` (page sentences from computed values).
This package exports the API notebook 02 uses.
"""

from __future__ import annotations

from analysis.growth.backtest import (
    backtest,
    backtest_origins,
    backtest_summary,
    headline_method,
    mase_scale,
)
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
from analysis.growth.notes import groups_note, headline_note, window_note
from analysis.growth.projection import (
    MODEL_METHOD,
    Projection,
    full_year_base,
    mark_headline,
    model_full_year_draws,
    projection_row,
    projection_table,
    simulate_remaining_months,
    summarise_draws,
)
from analysis.growth.readiness import (
    MIN_MODEL_MONTHS,
    NO_PROJECTION,
    Readiness,
    Step,
    no_projection,
    readiness,
)
from analysis.growth.real import read_ppi, real_growth
from analysis.growth.seasonal import (
    COVID_MONTHS,
    FITTERS,
    SARIMA_ORDER,
    SEASONAL_ORDER,
    WINDOW_CANDIDATES,
    Effect,
    WindowChoice,
    choose_window,
    compare_models,
    design_matrix,
    diagnostics,
    festival_effect,
    fit_sarimax,
    fit_unobserved_components,
    future_periods,
    refine,
    seasonal_model_table,
)
from analysis.growth.series import (
    combined_years,
    cumulative_figures,
    has_group,
    monthly_series,
    prepare_log_levels,
)
from analysis.growth.x13 import festival_effect_x13

__all__ = [
    "BASELINES",
    "CONTRIBUTION_COLUMNS",
    "COVID_MONTHS",
    "FITTERS",
    "MIN_MODEL_MONTHS",
    "MODEL_METHOD",
    "NO_PROJECTION",
    "SARIMA_ORDER",
    "SEASONAL_ORDER",
    "WINDOW_CANDIDATES",
    "Effect",
    "Projection",
    "Readiness",
    "Step",
    "WindowChoice",
    "backtest",
    "backtest_origins",
    "backtest_summary",
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
    "festival_effect_x13",
    "fit_sarimax",
    "fit_unobserved_components",
    "full_year_base",
    "future_periods",
    "groups_note",
    "has_group",
    "headline_method",
    "headline_note",
    "implied_previous_growth",
    "mark_headline",
    "mase_scale",
    "model_full_year_draws",
    "monthly_series",
    "no_projection",
    "prepare_log_levels",
    "projection_row",
    "projection_table",
    "read_ppi",
    "readiness",
    "real_growth",
    "refine",
    "seasonal_model_table",
    "seasonal_naive_total",
    "simulate_remaining_months",
    "summarise_draws",
    "window_note",
    "ytd_share_total",
]
