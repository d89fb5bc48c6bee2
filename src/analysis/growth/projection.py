"""Full-year projection: the remaining months simulated from the fitted seasonal model, the
estimated comparable base of the full year with its own uncertainty, and one row per method
(methods.md §2.5).

How the interval is made, and why so: the parameters are held at their estimates and the
remaining months are simulated from the fitted state-space model (statsmodels' ``simulate``
anchored at the end of the sample: the current state drawn from its filtered distribution,
Gaussian innovations with the estimated variance). Nothing is patched: an earlier version drew
parameters from N(θ̂, cov) and had to clip the seasonal MA (at its invertibility boundary) and
take ``abs()`` of negative variance draws. Parameter uncertainty is therefore left out; the
backtest's coverage and PIT say whether the intervals are too narrow.

Growth is against the comparable base of the full year, which is not known until year end:
B_FY = L_{t−1}(12) · k(12), estimated by k̂ = k(N) so far. How far k(12) strays from k(N) is
drawn from the years before (their ratios k(12)/k(N)), so the growth interval and the target
probability carry the base's uncertainty too.

Baselines get the model's spread around their own point (the model's draws shifted so their
median is the baseline's total), so every method has an interval and the backtest can score
each one's coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.conventions import comparable_base, scope_factor
from analysis.growth.baselines import BASELINES
from analysis.growth.seasonal import design_matrix, future_periods
from analysis.growth.series import combined_years, cumulative_figures

MODEL_METHOD = "model_sarimax"
QUANTILES = (2.5, 10, 50, 90, 97.5)


# ---------------------------------------------------------------------------------------------
# the remaining months
def simulate_remaining_months(
    res, exog_future: pd.DataFrame, repetitions: int, rng: np.random.Generator
) -> np.ndarray:
    """Simulated levels (万元) of the months after the sample: array (n_months, repetitions).

    ``res`` is a SARIMAX fit of log levels; parameters are held at their estimates. The paths
    are statsmodels' ``res.simulate(n, anchor="end", repetitions=…, exog=…, rng=rng)``,
    computed for all paths at once instead of in a Python loop per path (2,000 paths took
    ~0.15 s per origin): the starting state is drawn from its predicted distribution after the
    sample, then every path takes n measurement and n state shocks in turn, in statsmodels'
    order, so the same generator gives the same paths (``tests/test_growth.py`` holds them to
    statsmodels' own to 1e-12).
    """
    n = len(exog_future)
    if n == 0:
        return np.zeros((0, repetitions))
    model = res.model
    design, transition, selection, obs_cov, state_cov = (
        _time_invariant(model.ssm[name])
        for name in ("design", "transition", "selection", "obs_cov", "state_cov")
    )
    scale = float(res.scale) if res.filter_results.filter_concentrated else 1.0
    state = rng.multivariate_normal(
        res.predicted_state[:, -1], res.predicted_state_cov[:, :, -1], size=repetitions
    ).T
    shocks = rng.standard_normal((repetitions, 2, n))  # per path: n measurement, n state
    intercept = exog_future[model.exog_names].to_numpy(float) @ res.params[model.exog_names]
    measurement_sd = np.sqrt(obs_cov[0, 0] * scale)
    state_sd = np.sqrt(state_cov[0, 0] * scale)
    out = np.empty((n, repetitions))
    for t in range(n):
        out[t] = intercept[t] + design[0] @ state + measurement_sd * shocks[:, 0, t]
        state = transition @ state + selection @ (state_sd * shocks[None, :, 1, t])
    return np.exp(out)


def _time_invariant(matrix: np.ndarray) -> np.ndarray:
    """A system matrix of the model (SARIMAX's design, transition and covariances do not change
    with time; only its observation intercept, the regression, does)."""
    if matrix.ndim == 3:
        if matrix.shape[2] != 1:
            raise ValueError("simulate_remaining_months needs time-invariant system matrices")
        return matrix[:, :, 0]
    return matrix


def model_full_year_draws(
    res,
    levels: pd.Series,
    year: int,
    through_month: int,
    combined_years: set[int],
    before: int,
    after: int,
    repetitions: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Full-year totals: this year's months so far plus each simulated path of the rest.

    ``res`` must be fitted on data up to ``through_month`` of ``year`` with the window
    ``before``/``after``.
    """
    cut = pd.Period(f"{year}-{through_month:02d}", "M")
    fut = future_periods(cut, 12 - through_month)
    periods = pd.period_range(f"{year}-01", cut, freq="M").append(fut)
    exog_future = design_matrix(periods, combined_years, before, after).loc[fut]
    exog_future = exog_future.reindex(columns=res.model.exog_names, fill_value=0.0)
    done = float(levels[(levels.index.year == year) & (levels.index <= cut)].sum())
    return done + simulate_remaining_months(res, exog_future, repetitions, rng).sum(axis=0)


def method_draws(
    model_totals: np.ndarray, levels: pd.Series, year: int, through_month: int
) -> dict[str, np.ndarray]:
    """Full-year draws of every method: the model's, and each baseline's point with the
    model's spread around it."""
    out = {MODEL_METHOD: model_totals}
    centre = float(np.median(model_totals))
    for name, fn in BASELINES.items():
        out[name] = fn(levels, year, through_month) + (model_totals - centre)
    return out


# ---------------------------------------------------------------------------------------------
# the comparable base of the full year
def full_year_base(industry: pd.DataFrame, year: int, month: int) -> dict[str, float]:
    """Estimated comparable base of the full year: B_FY = L_{t−1}(12) · k̂ (methods.md §2.5).

    k̂ = B_{t−1}(N) / C_{t−1}(N): this year's implied base over last year's published level at
    the same month, the scope factor so far this year.
    """
    now = cumulative_figures(industry, year, month)
    last_same = cumulative_figures(industry, year - 1, month)["cum_wan"]
    last_full = cumulative_figures(industry, year - 1, 12)["cum_wan"]
    k = scope_factor(comparable_base(now["cum_wan"], now["cum_growth"]), last_same)
    return {"k_hat": float(k), "last_full_year_wan": last_full, "base_fy_wan": last_full * k}


def _scope_factor_at(industry: pd.DataFrame, year: int, month: int) -> float:
    now = cumulative_figures(industry, year, month)
    last = cumulative_figures(industry, year - 1, month)["cum_wan"]
    return float(scope_factor(comparable_base(now["cum_wan"], now["cum_growth"]), last))


def scope_factor_ratios_by_year(industry: pd.DataFrame, month: int) -> dict[int, float]:
    """k(12) / k(month) of every year whose releases give both, by year (oldest first): how far
    the full year's scope factor strayed from the one known at ``month``."""
    ratios = {}
    for t in sorted(set(industry["year"].astype(int))):
        try:
            ratios[t] = _scope_factor_at(industry, t, 12) / _scope_factor_at(industry, t, month)
        except ValueError:  # a release missing: that year cannot say
            continue
    return ratios


def scope_factor_ratios(
    industry: pd.DataFrame, year: int, month: int, by_year: dict[int, float] | None = None
) -> np.ndarray:
    """The ratios k(12) / k(month) of the years before ``year`` (oldest first); ``by_year``:
    :func:`scope_factor_ratios_by_year` computed once for several origins."""
    if by_year is None:
        by_year = scope_factor_ratios_by_year(industry, month)
    return np.asarray([r for t, r in by_year.items() if t < year], dtype=float)


def base_draws(
    base_fy_wan: float, ratios: np.ndarray, repetitions: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws of the full year's comparable base: B̂_FY times a ratio k(12)/k(N) of a past year
    (the base as estimated when no past year can say)."""
    if len(ratios) == 0:
        return np.full(repetitions, base_fy_wan)
    return base_fy_wan * rng.choice(ratios, size=repetitions)


# ---------------------------------------------------------------------------------------------
# rows of projection.csv
@dataclass(frozen=True)
class Projection:
    point_wan: float
    lo80_wan: float
    hi80_wan: float
    lo95_wan: float
    hi95_wan: float


def summarise_draws(totals: np.ndarray) -> Projection:
    lo95, lo80, point, hi80, hi95 = np.percentile(totals, QUANTILES)
    return Projection(float(point), float(lo80), float(hi80), float(lo95), float(hi95))


def projection_row(
    year: int,
    through_month: int,
    method: str,
    totals: np.ndarray,
    bases: np.ndarray,
    base_fy_wan: float,
    target_growth: float,
    simulated: bool,
) -> dict[str, object]:
    """One row of projection.csv. ``totals`` and ``bases`` are paired draws of the full year
    and of its comparable base; the point growth is the point total over the estimated base."""
    totals, bases = np.asarray(totals, dtype=float), np.asarray(bases, dtype=float)
    proj = summarise_draws(totals)
    growth = totals / bases - 1
    lo95, lo80, _, hi80, hi95 = np.percentile(growth, QUANTILES)
    return {
        "year": year,
        "through_month": through_month,
        "method": method,
        **vars(proj),
        "base_fy_wan": float(base_fy_wan),
        "growth_point": proj.point_wan / base_fy_wan - 1,
        "growth_lo80": float(lo80),
        "growth_hi80": float(hi80),
        "growth_lo95": float(lo95),
        "growth_hi95": float(hi95),
        "target_growth": target_growth,
        "p_reach_target": float(np.mean(growth >= target_growth)),
        "simulated": simulated,
    }


def projection_table(
    res,
    series: pd.DataFrame,
    industry: pd.DataFrame,
    year: int,
    through_month: int,
    target_growth: float,
    before: int,
    after: int,
    repetitions: int = 4000,
    seed: int = 2022,
) -> pd.DataFrame:
    """The model's simulated full-year projection and the three baselines, one row each.

    ``res`` is the SARIMAX fit on the data to ``through_month`` (the chosen window's fit).
    """
    rng = np.random.default_rng(seed)
    levels = series["level_wan"]
    base = full_year_base(industry, year, through_month)["base_fy_wan"]
    bases = base_draws(base, scope_factor_ratios(industry, year, through_month), repetitions, rng)
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    model = model_full_year_draws(
        res, levels, year, through_month, combined_years(series), before, after, repetitions, rng
    )
    rows = [
        projection_row(year, through_month, m, d, bases, base, target_growth, simulated)
        for m, d in method_draws(model, levels, year, through_month).items()
    ]
    return pd.DataFrame(rows)


def mark_headline(projection: pd.DataFrame, method: str, rule: str) -> pd.DataFrame:
    """Add ``headline`` (the row the leadership page reports) and ``rule`` (why that row)."""
    if method not in set(projection["method"]):
        raise ValueError(f"headline method {method!r} is not in the projection table")
    cols = [c for c in projection.columns if c != "simulated"]
    out = projection.assign(headline=projection["method"] == method, rule=rule)
    return out[[*cols, "headline", "rule", "simulated"]]
