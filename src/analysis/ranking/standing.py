"""Where the county sits: its fitted probability of being listed, and its structural peers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.errors import DataError
from analysis.ranking.covariates import CONTINUOUS, design_matrix, standardise
from analysis.ranking.structural import FittedModel


def fitted_table(frame: pd.DataFrame, logit: FittedModel, probit: FittedModel) -> pd.DataFrame:
    """Each unit's fitted P(in list) under Logit and Probit, its outcome, and its percentile.

    ``fitted_percentile``: the fraction of units whose Logit probability is at most this unit's.
    """
    X = design_matrix(frame, CONTINUOUS)
    p_logit = pd.Series(np.asarray(logit.result.predict(X)), index=frame.index)
    p_probit = pd.Series(np.asarray(probit.result.predict(X)), index=frame.index)
    ranks = p_logit.rank(method="max") / len(p_logit)
    out = frame[["code", "name", "city", "region", "kind", "in_top", "position"]].copy()
    out["p_logit"] = p_logit
    out["p_probit"] = p_probit
    out["fitted_percentile"] = ranks
    out["residual"] = out["in_top"] - out["p_logit"]
    return out.reset_index(drop=True)


def county_standing(fitted: pd.DataFrame, county_code: str) -> pd.Series:
    """The county's row of :func:`fitted_table` (raises if the code is not a current unit)."""
    hit = fitted[fitted["code"] == county_code]
    if hit.empty:
        raise DataError(
            f"county_code {county_code} is not among the current units",
            file="county_covariates.csv",
            column="code",
        )
    return hit.iloc[0]


PEER_FEATURES = (*CONTINUOUS, "is_district")


def nearest_peers(
    frame: pd.DataFrame, county_code: str, k: int = 5, features: tuple[str, ...] = PEER_FEATURES
) -> pd.DataFrame:
    """The ``k`` units most alike the county: Euclidean distance on standardised features.

    Features are re-standardised here (is_district included), so each counts equally; region is
    left out on purpose - peers are alike in structure, wherever they are.
    """
    z, _ = standardise(frame, features)
    if county_code not in set(frame["code"]):
        raise DataError(
            f"county_code {county_code} is not among the current units",
            file="county_covariates.csv",
            column="code",
        )
    me = z.loc[z["code"] == county_code, list(features)].iloc[0]
    dist = np.sqrt(((z[list(features)] - me) ** 2).sum(axis=1))
    out = frame[["code", "name", "city", "kind", "in_top", "position"]].assign(distance=dist)
    out = out[out["code"] != county_code].sort_values(["distance", "code"]).head(k)
    return out.assign(peer_rank=range(1, len(out) + 1)).reset_index(drop=True)


def with_peers(fitted: pd.DataFrame, peers: pd.DataFrame, county_code: str) -> pd.DataFrame:
    """Fitted table plus ``is_county``, ``peer_rank`` and ``peer_distance`` for the peers."""
    out = fitted.merge(peers[["code", "peer_rank", "distance"]], on="code", how="left")
    out = out.rename(columns={"distance": "peer_distance"})
    out["peer_rank"] = out["peer_rank"].astype("Int64")
    out.insert(3, "is_county", out["code"] == county_code)
    out["simulated"] = False
    return out


FITTED = pa.DataFrameSchema(
    {
        "code": pa.Column(str, schemas.CODE, unique=True),
        "name": pa.Column(str),
        "city": pa.Column(str),
        "is_county": pa.Column(bool),
        "region": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["district", "county", "city"])),
        "in_top": pa.Column(int, pa.Check.isin([0, 1])),
        "position": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "p_logit": pa.Column(float, schemas.FRACTION),
        "p_probit": pa.Column(float, schemas.FRACTION),
        "fitted_percentile": pa.Column(float, pa.Check.in_range(0, 1, include_min=False)),
        "residual": pa.Column(float, pa.Check.in_range(-1, 1)),
        "peer_rank": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "peer_distance": pa.Column(float, pa.Check.ge(0), nullable=True),
        "simulated": pa.Column(bool, pa.Check.isin([False])),
    },
    checks=[
        pa.Check(lambda d: d["is_county"].sum() == 1, error="exactly one row is the county"),
        pa.Check(
            lambda d: (d["position"].notna() == (d["in_top"] == 1)).all(),
            error="a position exactly for the listed units",
        ),
    ],
    strict=True,
    ordered=True,
)
