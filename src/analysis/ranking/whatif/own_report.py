"""Own-report mode: the county's own indicators against a fitted, projected distribution."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.evaluation_rules import QUALITATIVE_LEVEL1
from analysis.ranking.whatif.distributions import (
    ScoreDistribution,
    draw_others,
    fit_score_distributions,
    observed_yearly_gains,
    project_draws,
)
from analysis.ranking.whatif.table import WhatIf, whatif_rows


def own_report(indicators: pd.DataFrame, scores: pd.DataFrame, county_code: str):
    """The county's latest own rows: (round, indicator rows, score row), or None if it has none.

    In the bundled stand-in the full table holds every unit's rows, so every county has them;
    with a user's folder holding only the county's own report, other counties have none.
    """
    mine = scores[scores["county_code"] == county_code]
    if mine.empty:
        return None
    rnd = int(mine["round"].max())
    rows = indicators[(indicators["county_code"] == county_code) & (indicators["round"] == rnd)]
    return rnd, rows.reset_index(drop=True), mine[mine["round"] == rnd].iloc[0]


def own_marginals(rows: pd.DataFrame) -> pd.DataFrame:
    """Headroom and points per unit of each indicator, from the county's own report alone.

    Quantitative indicators are read as capped benchmark ratios (methods.md §3.2/§3.6d): below the
    cap ``points = W·x/x*``, so the county's own value and points give the slope
    ``W/x* = points/value``. This is an **assumption** about an unpublished formula (marked in
    ``basis``). At the cap the slope is 0. Qualitative indicators are expert scores (value =
    points): one point per point, up to the maximum.
    """
    out = rows[["level1", "level2", "unit", "value", "points", "max_points"]].copy()
    out["headroom_points"] = (out["max_points"] - out["points"]).clip(lower=0).round(4)
    slopes, bases = [], []
    for r in out.itertuples(index=False):
        if r.level1 == QUALITATIVE_LEVEL1:
            slopes.append(1.0)
            bases.append("expert score (value = points): one point per point")
        elif r.points >= r.max_points - 1e-9:
            slopes.append(0.0)
            bases.append("at the maximum: no further points (assumed capped ratio)")
        elif pd.notna(r.value) and r.value > 0 and r.points > 0:
            slopes.append(r.points / r.value)
            bases.append("ASSUMED capped ratio: slope = points/value (W/x*), up to the cap")
        else:
            slopes.append(float("nan"))
            bases.append("slope unknown: value or points is 0")
    out["points_per_unit"] = slopes
    out["basis"] = bases
    return out.rename(columns={"level2": "indicator", "value": "current_value"})


def own_report_whatifs(
    rows: pd.DataFrame,
    score_row: pd.Series,
    rounds: pd.DataFrame,
    target_position: int,
    hows: tuple[str, ...] = ("gap_share",),
    n_draws: int = 2000,
    seed: int = 0,
) -> tuple[dict[str, WhatIf], list[ScoreDistribution], dict[str, np.ndarray]]:
    """Own-report mode: the county's indicators against a fitted, projected distribution, for
    each projection in ``hows`` (by projection: the what-if and the others' projected scores).

    The target round is the round after the later of the county's report and the basis round
    of the published lists; the others are projected by the observed yearly gains of the mean.
    The distributions are fitted and the others drawn once for all projections (the draws do
    not depend on the projection).
    """
    fits = fit_score_distributions(rounds)
    rnd = int(score_row["round"])
    basis = fits[0].round
    years = max(rnd, basis) + 1 - basis
    n_units = int(rounds.set_index("round").at[basis, "n_units"])
    gains = observed_yearly_gains(rounds)
    draws = draw_others(fits, n_units - 1, gains, years, n_draws, seed)
    marg = own_marginals(rows)
    simulated = bool(rows["simulated"].any() or score_row["simulated"])
    whatifs, others = {}, {}
    for how in hows:
        others[how] = project_draws(fits, draws, how)
        note = (
            f"others: reflected-gamma fit to the published round-{basis} shares and mean, "
            f"projected {years} year(s) at the observed yearly gains of the mean ({how}; "
            f"{n_draws} draws)"
        )
        whatifs[how] = whatif_rows(
            marg, mode="own_report", rnd=rnd, county_code=str(score_row["county_code"]),
            score=float(score_row["score"]), others=others[how],
            target_position=target_position, note=note, simulated=simulated,
        )  # fmt: skip
    return whatifs, fits, others


def own_report_whatif(
    rows: pd.DataFrame,
    score_row: pd.Series,
    rounds: pd.DataFrame,
    target_position: int,
    n_draws: int = 2000,
    seed: int = 0,
    how: str = "gap_share",
) -> tuple[WhatIf, list[ScoreDistribution], np.ndarray]:
    """:func:`own_report_whatifs` for one projection ``how``: (what-if, fits, others)."""
    whatifs, fits, others = own_report_whatifs(
        rows, score_row, rounds, target_position, (how,), n_draws, seed
    )
    return whatifs[how], fits, others[how]
