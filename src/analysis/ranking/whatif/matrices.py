"""One round's full table (every unit's indicators and scores) in matrix form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import QUALITATIVE_LEVEL1


def full_table_round(scores: pd.DataFrame) -> int | None:
    """The latest round with every unit's scores (more than one unit), or None."""
    n = scores.groupby("round")["county_code"].nunique()
    full = n[n > 1]
    return int(full.index.max()) if len(full) else None


@dataclass(frozen=True)
class Table:
    """One round's full table in matrix form (units in score order)."""

    round: int
    codes: list[str]
    names: list[str]
    indicators: list[str]
    units: list[str]
    X: np.ndarray  # values, units x quantitative indicators
    P: np.ndarray  # printed points
    W: np.ndarray  # printed maxima
    Q: np.ndarray  # qualitative points
    S: np.ndarray  # scores
    position: np.ndarray
    cls: list[str]


def full_table(indicators: pd.DataFrame, scores: pd.DataFrame, rnd: int) -> Table:
    """The round's quantitative indicators as matrices; a missing value is an error."""
    ind = indicators[(indicators["round"] == rnd) & (indicators["level1"] != QUALITATIVE_LEVEL1)]
    sc = scores[scores["round"] == rnd].sort_values("position").reset_index(drop=True)
    val = ind.pivot(index="county_code", columns="level2", values="value")
    val = val.reindex(sc["county_code"])
    if val.isna().any().any():
        code = val.index[val.isna().any(axis=1)][0]
        raise DataError(
            f"round {rnd}: unit {code} lacks an indicator value",
            file="evaluation_indicators.csv",
            column="value",
        )
    pts = ind.pivot(index="county_code", columns="level2", values="points")
    pts = pts.reindex(sc["county_code"])
    first = ind.drop_duplicates("level2").set_index("level2")
    cols = list(val.columns)
    return Table(
        rnd, list(sc["county_code"]), list(sc["county"]), cols,
        [first.at[c, "unit"] for c in cols], val.to_numpy(float), pts[cols].to_numpy(float),
        first.loc[cols, "max_points"].to_numpy(float), sc["qualitative_points"].to_numpy(float),
        sc["score"].to_numpy(float), sc["position"].to_numpy(int), list(sc["class"]),
    )  # fmt: skip


def unit_index(tab: Table, county_code: str) -> int:
    if county_code not in tab.codes:
        raise DataError(
            f"county_code {county_code} is not in the round {tab.round} full table",
            file="evaluation_scores.csv",
            column="county_code",
        )
    return tab.codes.index(county_code)
