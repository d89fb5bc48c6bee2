"""The indicator layer of one run: which modes the tables allow, and every result of each.

A county holds its own report, every unit's full table, both, or neither (a user's folder with
no evaluation report). :func:`whatif_layer` decides which modes run, so the notebook only
narrates and plots; a part that does not apply yields an empty table with its contract, never
an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.ranking.whatif.distributions import ScoreDistribution, observed_yearly_gains
from analysis.ranking.whatif.drivers import RANKING_WHATIF_MODEL, model_table
from analysis.ranking.whatif.full_table import full_table_whatif
from analysis.ranking.whatif.gap import RANKING_WHATIF_GAP, gap_decomposition
from analysis.ranking.whatif.matrices import Table, full_table, full_table_round
from analysis.ranking.whatif.montecarlo import (
    RANKING_WHATIF_ROBUSTNESS,
    monte_carlo_ranks,
    robustness_choices,
    robustness_table,
)
from analysis.ranking.whatif.own_report import own_report, own_report_whatifs
from analysis.ranking.whatif.reconstruction import WeightFit, normalise, reconstruct
from analysis.ranking.whatif.table import RANKING_WHATIF, WhatIf
from analysis.schemas import empty_table


@dataclass(frozen=True)
class OwnReportMode:
    """Own-report mode: the county's latest report against the fitted distribution.

    ``whatif`` uses the ``gap_share`` projection, ``shift`` the sensitivity (everyone + gain).
    """

    round: int
    rows: pd.DataFrame
    score: pd.Series
    whatif: WhatIf
    shift: WhatIf
    fits: list[ScoreDistribution]
    others: np.ndarray


@dataclass(frozen=True)
class FullTableMode:
    """Full-table mode: the reconstruction, its driver models and, where the county is in the
    table, its what-if, gap to the target unit and Monte-Carlo rank intervals."""

    table: Table
    fits: dict[str, WeightFit]
    benchmarks: np.ndarray
    normalisation: str
    Z: np.ndarray
    model: pd.DataFrame
    whatif: WhatIf | None = None
    shift: WhatIf | None = None
    gap: pd.DataFrame | None = None
    ranks: np.ndarray | None = None
    robustness: pd.DataFrame | None = None
    choices: list[tuple[str, str]] | None = None  # (normalisation, aggregation) drawn

    @property
    def weights(self) -> np.ndarray:
        """The recovered weights under the best-fitting normalisation."""
        return self.fits[self.normalisation].weights


@dataclass(frozen=True)
class WhatIfLayer:
    """Both modes' results (None where a mode does not apply) and the run's result tables."""

    simulated: bool
    gains: np.ndarray
    own: OwnReportMode | None
    full: FullTableMode | None

    def whatif_table(self) -> pd.DataFrame:
        """Both modes' what-if rows, own report first (empty with its columns if neither)."""
        parts = [m.whatif.table for m in (self.own, self.full) if m and m.whatif is not None]
        if not parts:
            return empty_table(RANKING_WHATIF)
        return pd.concat(parts, ignore_index=True)

    def tables(self) -> dict[str, tuple[pd.DataFrame, pa.DataFrameSchema]]:
        """The layer's four result tables with their contracts, ready for ``write_tables``."""
        full = self.full
        model = full.model if full is not None else empty_table(RANKING_WHATIF_MODEL)
        gap = full.gap if full is not None and full.gap is not None else None
        robust = full.robustness if full is not None and full.robustness is not None else None
        return {
            "ranking_whatif": (self.whatif_table(), RANKING_WHATIF),
            "ranking_whatif_model": (model, RANKING_WHATIF_MODEL),
            "ranking_whatif_gap": (
                gap if gap is not None else empty_table(RANKING_WHATIF_GAP),
                RANKING_WHATIF_GAP,
            ),
            "ranking_whatif_robustness": (
                robust if robust is not None else empty_table(RANKING_WHATIF_ROBUSTNESS),
                RANKING_WHATIF_ROBUSTNESS,
            ),
        }


def _own_mode(
    indicators: pd.DataFrame,
    scores: pd.DataFrame,
    rounds: pd.DataFrame,
    county_code: str,
    target_position: int,
) -> OwnReportMode | None:
    own = own_report(indicators, scores, county_code)
    if own is None:
        return None
    rnd, rows, score = own
    whatifs, fits, others = own_report_whatifs(
        rows, score, rounds, target_position, ("gap_share", "shift")
    )
    return OwnReportMode(
        rnd, rows, score, whatifs["gap_share"], whatifs["shift"], fits, others["gap_share"]
    )


def _full_mode(
    indicators: pd.DataFrame,
    scores: pd.DataFrame,
    county_code: str,
    target_position: int,
    gain: float,
    simulated: bool,
) -> FullTableMode | None:
    rnd = full_table_round(scores)
    if rnd is None:
        return None
    tab = full_table(indicators, scores, rnd)
    fits, bench, best = reconstruct(tab)
    Z = normalise(tab.X, best, bench)
    model = model_table(tab, fits, bench, Z, simulated)
    base = FullTableMode(tab, fits, bench, best, Z, model)
    if county_code not in tab.codes:
        return base
    weights = base.weights
    args = (tab, indicators, county_code, weights, bench, best, gain, target_position, simulated)
    whatif = full_table_whatif(*args)
    shift = full_table_whatif(*args, how="shift")
    gap = gap_decomposition(tab, Z, weights, county_code, target_position)
    choices = robustness_choices(tab, fits, bench)
    ranks = monte_carlo_ranks(tab, fits, bench, choices)
    robustness = robustness_table(tab, ranks, county_code, simulated, choices)
    return FullTableMode(
        tab, fits, bench, best, Z, model, whatif, shift, gap.assign(simulated=simulated), ranks,
        robustness, choices,
    )  # fmt: skip


def whatif_layer(
    indicators: pd.DataFrame,
    scores: pd.DataFrame,
    rounds: pd.DataFrame,
    county_code: str,
    target_position: int,
) -> WhatIfLayer:
    """Run every mode the tables allow for ``county_code`` and ``target_position``.

    Own-report mode needs the county's own rows; full-table mode a round with more than one
    unit's scores (its what-if, gap and rank intervals also need the county in that table).
    The others are projected at the observed yearly gains of the published mean (full table:
    the latest gain).
    """
    simulated = bool(scores["simulated"].any() or indicators["simulated"].any())
    gains = observed_yearly_gains(rounds)
    own = _own_mode(indicators, scores, rounds, county_code, target_position)
    full = _full_mode(indicators, scores, county_code, target_position, gains[-1], simulated)
    return WhatIfLayer(simulated, gains, own, full)
