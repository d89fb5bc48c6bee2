"""Outcome and covariates of the structural models: the listed units and census covariates.

Outcome: being in the latest score-ordered list (2023: positions 1-49 of the 66 A units), for
all current units; covariates from the census, standardised once over the province's units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest import admin

#: covariates available for every current unit (standardised before fitting)
CONTINUOUS = (
    "urban_share_2020",
    "tertiary_share_2020",
    "log_population_2020",
    "age_0_14_share_2020",
    "age_65_plus_share_2020",
    "industry_share_2020",
)
#: population change 2010-2020: missing where the 2010 territory is not comparable
POP_CHANGE = "pop_change"
BINARY = ("is_district",)
REGION_BASE = "central"  # the largest group: 97 of 167 units
#: grouped positions for the ordered model (an ordered model with one unit per position is
#: not identified): top 10, 11-25, 26-n
POSITION_GROUPS = ((1, 10), (11, 25), (26, None))
MIN_DUMMY_COUNT = 5


def latest_ordered_round(classes: pd.DataFrame) -> int:
    """The latest round with a score-ordered list (positions published)."""
    ordered = classes.loc[classes["position"].notna(), "round"]
    if ordered.empty:
        raise DataError("no round has a score-ordered list", file="evaluation_classes.csv")
    return int(ordered.max())


def top_list(classes: pd.DataFrame, codes: pd.DataFrame, round_: int) -> pd.DataFrame:
    """The score-ordered list of ``round_`` on current codes: code, position (1..n, no gaps).

    Codes of the time are mapped to current codes; a unit later split cannot carry a position
    to any one successor, so it is an error rather than a guess.
    """
    rows = classes[(classes["round"] == round_) & classes["position"].notna()]
    if rows.empty:
        raise DataError(f"round {round_} has no score-ordered list", file="evaluation_classes.csv")
    out = []
    for i, r in rows.iterrows():
        current = admin.map_to_current(r["county_code"], codes)
        if len(current) != 1:
            raise DataError(
                f"{r['county']} ({r['county_code']}) was split into {', '.join(current)}; "
                "its position belongs to no single current unit",
                file="evaluation_classes.csv",
                row=int(i) + 2,
                column="county_code",
            )
        out.append({"code": current[0], "position": int(r["position"])})
    df = pd.DataFrame(out).sort_values("position").reset_index(drop=True)
    if df["code"].duplicated().any():
        dup = df.loc[df["code"].duplicated(), "code"].iloc[0]
        raise DataError(
            f"round {round_}: unit {dup} listed twice",
            file="evaluation_classes.csv",
            column="county_code",
        )
    if df["position"].tolist() != list(range(1, len(df) + 1)):
        raise DataError(
            f"round {round_}: positions are not 1..{len(df)} without gaps",
            file="evaluation_classes.csv",
            column="position",
        )
    return df


def model_frame(covariates: pd.DataFrame, top: pd.DataFrame) -> pd.DataFrame:
    """One row per current unit: outcome (``in_top`` 0/1, ``position``) and raw covariates.

    Adds ``log_population_2020`` (population spans 0.1-1.1 million: effects are proportional)
    and ``is_district`` as 0/1. ``pop_change`` stays NaN where 2010 is not comparable.
    """
    unknown = sorted(set(top["code"]) - set(covariates["code"]))
    if unknown:
        raise DataError(
            f"listed units without covariates: {unknown}",
            file="county_covariates.csv",
            column="code",
        )
    keep = ["code", "name", "city", "kind", "region", "is_district", "population_2020"]
    keep += [c for c in (*CONTINUOUS, POP_CHANGE) if c in covariates.columns]
    df = covariates[keep].copy()
    df["log_population_2020"] = np.log(df["population_2020"].astype(float))
    df["is_district"] = df["is_district"].astype(bool).astype(int)
    df = df.merge(top, on="code", how="left")
    df["in_top"] = df["position"].notna().astype(int)
    df["position"] = df["position"].astype("Int64")
    return df.reset_index(drop=True)


def standardise(frame: pd.DataFrame, columns: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """z-scores over all units with a value (ddof=1), and the (mean, sd) used.

    Standardised once on the province's units, so 'one standard deviation' means the same in
    every model, whatever its sample.
    """
    stats = pd.DataFrame({"mean": frame[list(columns)].mean(), "sd": frame[list(columns)].std()})
    if (stats["sd"] == 0).any():
        raise ValueError(f"constant covariate(s): {list(stats.index[stats['sd'] == 0])}")
    z = frame.copy()
    for c in columns:
        z[c] = (frame[c] - stats.at[c, "mean"]) / stats.at[c, "sd"]
    return z, stats


def design_matrix(
    frame: pd.DataFrame,
    continuous: tuple[str, ...],
    binary: tuple[str, ...] = BINARY,
    region_base: str | None = REGION_BASE,
    constant: bool = True,
) -> pd.DataFrame:
    """Regressors: the (already standardised) continuous columns, 0/1 dummies, region dummies.

    Rows with a missing value raise: choose the sample explicitly (:func:`complete_rows`).
    """
    X = frame[list(continuous)].astype(float).copy()
    for b in binary:
        X[b] = frame[b].astype(int)
    if region_base is not None:
        for region in sorted(set(frame["region"]) - {region_base}):
            X[f"region_{region}"] = (frame["region"] == region).astype(int)
    missing = X.isna().any(axis=1)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} row(s) with missing covariates; subset first")
    if constant:
        X.insert(0, "const", 1.0)
    X.index = frame.index
    return X


def complete_rows(
    frame: pd.DataFrame, columns: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units with every column present, units dropped) - the dropped ones are shown, not hidden."""
    ok = frame[list(columns)].notna().all(axis=1)
    return frame[ok], frame[~ok]
