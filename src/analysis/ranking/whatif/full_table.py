"""Full-table mode: marginal points from the reconstructed composite, the others' known
scores projected a round on."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.evaluation_rules import QUALITATIVE_LEVEL1
from analysis.ranking.whatif.arithmetic import project_scores
from analysis.ranking.whatif.matrices import Table, unit_index
from analysis.ranking.whatif.reconstruction import marginal_points, normalise
from analysis.ranking.whatif.table import WhatIf, whatif_rows


def full_table_whatif(
    tab: Table,
    indicators: pd.DataFrame,
    county_code: str,
    weights: np.ndarray,
    bench: np.ndarray,
    method: str,
    gain: float,
    target_position: int,
    simulated: bool,
    how: str = "gap_share",
) -> WhatIf:
    """Full-table mode: marginal points from the reconstructed composite, the others' known
    scores projected one year by the mean's latest yearly gain (:func:`project_scores`)."""
    i = unit_index(tab, county_code)
    Z = normalise(tab.X, method, bench)
    slope = marginal_points(method, tab.X[i], tab.X, weights, bench)
    quant = pd.DataFrame(
        {
            "level1": "", "indicator": tab.indicators, "unit": tab.units,
            "current_value": tab.X[i], "points": tab.P[i], "max_points": tab.W,
            "headroom_points": weights * (1 - Z[i]), "points_per_unit": slope,
            "basis": f"reconstructed: {method} normalisation, NNLS weights",
        }
    )  # fmt: skip
    here = (indicators["round"] == tab.round) & (indicators["county_code"] == county_code)
    mine = indicators[here]
    level1 = dict(zip(mine["level2"], mine["level1"]))
    quant["level1"] = quant["indicator"].map(level1)
    qual = mine[mine["level1"] == QUALITATIVE_LEVEL1]
    qual = pd.DataFrame(
        {
            "level1": qual["level1"], "indicator": qual["level2"], "unit": qual["unit"],
            "current_value": qual["value"], "points": qual["points"],
            "max_points": qual["max_points"],
            "headroom_points": (qual["max_points"] - qual["points"]).clip(lower=0),
            "points_per_unit": 1.0, "basis": "expert score (value = points): one point per point",
        }
    )  # fmt: skip
    others = project_scores(np.delete(tab.S, i), gain, float(tab.S.mean()), how)
    note = (
        f"others: round-{tab.round} scores projected one year at the mean's latest yearly "
        f"gain {gain:.2f} ({how})"
    )
    return whatif_rows(
        pd.concat([quant, qual], ignore_index=True), mode="full_table", rnd=tab.round,
        county_code=county_code, score=float(tab.S[i]), others=others,
        target_position=target_position, note=note, simulated=simulated,
    )  # fmt: skip
