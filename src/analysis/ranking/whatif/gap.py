"""The gap from the county to the unit at the target position, by component (methods.md §3.6c)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.evaluation_rules import QUALITATIVE_LEVEL1
from analysis.ranking.whatif.matrices import Table, unit_index


def gap_decomposition(
    tab: Table, Z: np.ndarray, weights: np.ndarray, county_code: str, target_position: int
) -> pd.DataFrame:
    """G = S_j - S_i = (Q_j - Q_i) + Σ W_k (z_jk - z_ik) + residual (methods.md §3.6c).

    ``j`` is the unit at ``target_position``; the residual is what the reconstruction misses.
    Rows: the county's score, the components in order of size, the residual, the target's score.
    """
    i = unit_index(tab, county_code)
    j = int(np.flatnonzero(tab.position == target_position)[0])
    parts = weights * (Z[j] - Z[i])
    gap = tab.S[j] - tab.S[i]
    comp = pd.DataFrame({"component": tab.indicators, "kind": "indicator", "points": parts})
    comp = pd.concat(
        [comp, pd.DataFrame([{"component": QUALITATIVE_LEVEL1, "kind": "qualitative",
                              "points": tab.Q[j] - tab.Q[i]}])], ignore_index=True,
    )  # fmt: skip
    comp = comp.reindex(comp["points"].abs().sort_values(ascending=False).index)
    resid = gap - comp["points"].sum()
    head = {"component": tab.names[i], "kind": "start", "points": tab.S[i]}
    tail = {"component": tab.names[j], "kind": "end", "points": tab.S[j]}
    out = pd.concat(
        [pd.DataFrame([head]), comp,
         pd.DataFrame([{"component": "residual", "kind": "residual", "points": resid}, tail])],
        ignore_index=True,
    )  # fmt: skip
    out["share_of_gap"] = np.where(
        out["kind"].isin(["indicator", "qualitative", "residual"]) & (gap != 0),
        out["points"] / gap if gap != 0 else np.nan,
        np.nan,
    )
    out.insert(0, "round", tab.round)
    out.insert(1, "county_code", county_code)
    out.insert(2, "target_code", tab.codes[j])
    out["points"] = out["points"].round(4)
    out["share_of_gap"] = out["share_of_gap"].round(4)
    return out.reset_index(drop=True)


RANKING_WHATIF_GAP = pa.DataFrameSchema(
    {
        "round": pa.Column(int),
        "county_code": pa.Column(str, schemas.CODE),
        "target_code": pa.Column(str, schemas.CODE),
        "component": pa.Column(str),
        "kind": pa.Column(
            str, pa.Check.isin(["start", "indicator", "qualitative", "residual", "end"])
        ),
        "points": pa.Column(float),
        "share_of_gap": pa.Column(float, nullable=True),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (
                abs(
                    d.loc[d["kind"] == "start", "points"].sum()
                    + d.loc[~d["kind"].isin(["start", "end"]), "points"].sum()
                    - d.loc[d["kind"] == "end", "points"].sum()
                )
                < 1e-3
            ),
            error="start + components = end",
        )
    ],
    strict=True,
    ordered=True,
)
