"""Perfect separation: dummies whose coefficient has no finite ML estimate, found before a fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.ranking.covariates import MIN_DUMMY_COUNT


def separation_table(frame: pd.DataFrame, outcome: str, by: str) -> pd.DataFrame:
    """For each category of ``by``: units, positives, and whether a dummy for it would separate.

    A category whose units all have outcome 0 (or all 1) makes its dummy's ML coefficient
    infinite (perfect separation); cities without a listed unit are the case in point.
    """
    g = frame.groupby(by)[outcome].agg(n="size", n_positive="sum").reset_index()
    g["n_positive"] = g["n_positive"].astype(int)
    g["separates"] = (g["n_positive"] == 0) | (g["n_positive"] == g["n"])
    return g.rename(columns={by: "category"}).assign(variable=by)[
        ["variable", "category", "n", "n_positive", "separates"]
    ]


class SeparationError(ValueError):
    """A dummy regressor separates the outcome: its coefficient is not identified."""


def check_separation(X: pd.DataFrame, y: pd.Series) -> None:
    """Raise :class:`SeparationError` if a 0/1 column of ``X`` separates ``y``.

    Separation: within the units with dummy = 1 (or = 0) the outcome sits entirely at its lowest
    or entirely at its highest value. For a 0/1 outcome that means all 0 or all 1; for ordered
    groups, all in the top group or all in the bottom one.
    """
    y = pd.Series(np.asarray(y, dtype=float), index=X.index)
    lo, hi = y.min(), y.max()
    for column in X.columns:
        values = set(X[column].unique())
        if column == "const" or not values <= {0, 1} or len(values) < 2:
            continue
        for level in (1, 0):
            sub = y[X[column] == level]
            if (sub == lo).all() or (sub == hi).all():
                which = "lowest" if (sub == lo).all() else "highest"
                raise SeparationError(
                    f"dummy {column!r} separates the outcome: all {len(sub)} units with "
                    f"{column} = {level} have the {which} outcome ({sub.iloc[0]:g})"
                )


def drop_sparse_dummies(
    X: pd.DataFrame, min_count: int = MIN_DUMMY_COUNT
) -> tuple[pd.DataFrame, list[str]]:
    """Drop 0/1 columns with fewer than ``min_count`` ones or zeros in this sample.

    Why: a dummy for one or two units fits them exactly and its robust variance is degenerate
    (leverage 1); the notebook reports the dropped columns.
    """
    dropped = []
    for column in X.columns:
        values = X[column]
        if column != "const" and set(values.unique()) <= {0, 1}:
            ones = int(values.sum())
            if min(ones, len(values) - ones) < min_count:
                dropped.append(column)
    return X.drop(columns=dropped), dropped
