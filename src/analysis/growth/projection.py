"""Full-year projection: the remaining months simulated from the fitted seasonal model, the
estimated comparable base of the full year, and one row per method (METHODS §2.5)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.conventions import comparable_base, scope_factor
from analysis.growth.baselines import BASELINES
from analysis.growth.seasonal import design_matrix, fit_sarimax, future_periods
from analysis.growth.series import combined_years, cumulative_figures, prepare_log_levels


def _plausible(theta: np.ndarray, names: list[str]) -> np.ndarray:
    """Keep a parameter draw inside the model's valid region: variances positive, MA terms
    invertible. (Draws are normal around θ̂, so a few land outside; clipping them keeps the
    parameter uncertainty without simulating from an impossible model.)"""
    out = theta.copy()
    for i, name in enumerate(names):
        if "sigma2" in name:
            out[i] = abs(out[i])
        elif name.startswith(("ma.", "ar.")):
            out[i] = float(np.clip(out[i], -0.99, 0.99))
    return out


def simulate_remaining_months(
    res,
    exog_future: pd.DataFrame,
    repetitions: int = 2000,
    seed: int = 2022,
    parameter_draws: int = 40,
) -> np.ndarray:
    """Simulated levels (万元) of the months after the sample: array (n_months, draws).

    Parameter uncertainty is included by drawing parameters from N(θ̂, cov) and simulating
    from each draw (``simulate`` alone holds them fixed, METHODS §2.5).
    """
    rng = np.random.default_rng(seed)
    n = len(exog_future)
    if n == 0:
        return np.zeros((0, repetitions))
    per_draw = max(1, repetitions // parameter_draws)
    cov = np.asarray(res.cov_params())
    mean = np.asarray(res.params)
    names = list(res.params.index)
    draws = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(parameter_draws):
            theta = _plausible(rng.multivariate_normal(mean, cov, method="eigh"), names)
            sims = res.model.smooth(theta).simulate(
                n, anchor="end", repetitions=per_draw, exog=exog_future, rng=rng
            )
            sims = np.asarray(sims).reshape(n, -1)
            if np.isfinite(sims).all():
                draws.append(sims)
    if not draws:
        raise RuntimeError("every parameter draw gave non-finite simulations")
    return np.exp(np.concatenate(draws, axis=1))


@dataclass(frozen=True)
class Projection:
    point_wan: float
    lo80_wan: float
    hi80_wan: float
    lo95_wan: float
    hi95_wan: float


def summarise_draws(totals: np.ndarray) -> Projection:
    lo95, lo80, point, hi80, hi95 = np.percentile(totals, [2.5, 10, 50, 90, 97.5])
    return Projection(float(point), float(lo80), float(hi80), float(lo95), float(hi95))


def projection_row(
    year: int,
    through_month: int,
    method: str,
    totals: np.ndarray | float,
    base_fy_wan: float,
    target_growth: float,
    simulated: bool,
) -> dict[str, object]:
    """One row of projection.csv; growth against the estimated comparable full-year base."""
    if np.ndim(totals) == 0:
        value = float(totals)
        proj = Projection(value, np.nan, np.nan, np.nan, np.nan)
        p_reach = np.nan
    else:
        proj = summarise_draws(np.asarray(totals))
        p_reach = float(np.mean(np.asarray(totals) / base_fy_wan - 1 >= target_growth))
    g = {k: v / base_fy_wan - 1 for k, v in vars(proj).items()}
    return {
        "year": year,
        "through_month": through_month,
        "method": method,
        **vars(proj),
        "growth_point": g["point_wan"],
        "growth_lo80": g["lo80_wan"],
        "growth_hi80": g["hi80_wan"],
        "growth_lo95": g["lo95_wan"],
        "growth_hi95": g["hi95_wan"],
        "target_growth": target_growth,
        "p_reach_target": p_reach,
        "simulated": simulated,
    }


def model_full_year_draws(
    levels: pd.Series,
    year: int,
    through_month: int,
    combined_years: set[int],
    before: int,
    after: int,
    repetitions: int = 2000,
    seed: int = 2022,
) -> np.ndarray:
    """Full-year totals simulated from the SARIMAX model fitted on data to through_month."""
    cut = pd.Period(f"{year}-{through_month:02d}", "M")
    train = levels[levels.index <= cut]
    y = prepare_log_levels(train, combined_years)
    res = fit_sarimax(y, design_matrix(y.index, combined_years, before, after))
    fut = future_periods(cut, 12 - through_month)
    exog_future = design_matrix(y.index.append(fut), combined_years, before, after).loc[
        fut, res.model.exog_names
    ]
    sims = simulate_remaining_months(res, exog_future, repetitions, seed)
    done = train[train.index.year == year].sum()
    return done + sims.sum(axis=0)


def full_year_base(industry: pd.DataFrame, year: int, month: int) -> dict[str, float]:
    """Estimated comparable base of the full year: B_FY = L_{t−1}(12) · k̂ (METHODS §2.5).

    k̂ = B_{t−1}(N) / C_{t−1}(N): this year's implied base over last year's published level at
    the same month, the scope factor so far this year.
    """
    now = cumulative_figures(industry, year, month)
    last_same = cumulative_figures(industry, year - 1, month)["cum_wan"]
    last_full = cumulative_figures(industry, year - 1, 12)["cum_wan"]
    k = scope_factor(comparable_base(now["cum_wan"], now["cum_growth"]), last_same)
    return {"k_hat": float(k), "last_full_year_wan": last_full, "base_fy_wan": last_full * k}


def projection_table(
    series: pd.DataFrame,
    industry: pd.DataFrame,
    year: int,
    through_month: int,
    target_growth: float,
    before: int,
    after: int,
    repetitions: int = 2000,
    seed: int = 2022,
) -> pd.DataFrame:
    """The model's simulated full-year projection and the three baselines, one row each."""
    levels = series["level_wan"]
    base = full_year_base(industry, year, through_month)["base_fy_wan"]
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    cy = combined_years(series)
    draws = model_full_year_draws(levels, year, through_month, cy, before, after, repetitions, seed)
    rows = [
        projection_row(year, through_month, "model_sarimax", draws, base, target_growth, simulated)
    ]
    for name, fn in BASELINES.items():
        rows.append(
            projection_row(
                year,
                through_month,
                name,
                fn(levels, year, through_month),
                base,
                target_growth,
                simulated,
            )
        )
    return pd.DataFrame(rows)
