"""Driver analysis of the quantitative points on the normalised indicators, and the model
table beside the recovered weights (methods.md §3.6a).

The outcome is the score minus the qualitative points: the qualitative points move with the
quantitative ones (they are expert scores of the same counties), so leaving them in the
outcome credits their share to whichever indicators correlate with them (on the stand-in the
printed weights 7/6/5 came out 2.25/10.72/8.96). No ordered logit of the class: the class is a
fixed cut of the score (80/60, :mod:`analysis.evaluation_rules`), so with scores in hand it adds
nothing, and its raw cut-points are log-odds increments, not points (methods.md §3.6b keeps it for
when scores are not available).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.ranking.whatif.matrices import Table
from analysis.ranking.whatif.reconstruction import WeightFit, weights_table

DRIVER_MODEL = "ols_hc3_quantitative"  # OLS (HC3) of score - qualitative points


def driver_models(tab: Table, Z: np.ndarray) -> pd.DataFrame:
    """OLS of the quantitative points (score - qualitative) on the normalised indicators, HC3
    errors and variance inflation factors; each coefficient beside its printed maximum.

    If the composite is a weighted sum of ``Z`` the coefficients are the weights (points at
    z = 1) and R² is 1 up to the printed rounding.
    """
    # statsmodels with the fit, not with the package (the summary reads only its contracts)
    from statsmodels.regression.linear_model import OLS
    from statsmodels.stats.outliers_influence import variance_inflation_factor
    from statsmodels.tools.tools import add_constant

    X = add_constant(pd.DataFrame(Z, columns=tab.indicators))
    ols = OLS(tab.S - tab.Q, X).fit(cov_type="HC3")
    printed = dict(zip(tab.indicators, tab.W, strict=True))
    rows = []
    for i, term in enumerate(X.columns):
        rows.append(
            {"model": DRIVER_MODEL, "term": term, "estimate": float(ols.params[term]),
             "std_err": float(ols.bse[term]), "p_value": float(ols.pvalues[term]),
             "printed_max": printed.get(term, np.nan), "benchmark": np.nan,
             "vif": float(variance_inflation_factor(X.to_numpy(), i)) if i else np.nan,
             "fit_r2": float(ols.rsquared),
             "max_abs_residual": float(np.abs(ols.resid).max()), "converged": True}
        )  # fmt: skip
    return pd.DataFrame(rows)


RANKING_WHATIF_MODEL = pa.DataFrameSchema(
    {
        "model": pa.Column(str),
        "term": pa.Column(str),
        "estimate": pa.Column(float),
        "std_err": pa.Column(float, nullable=True),
        "p_value": pa.Column(float, nullable=True),
        "printed_max": pa.Column(float, nullable=True),
        "benchmark": pa.Column(float, nullable=True),
        "vif": pa.Column(float, nullable=True),
        "fit_r2": pa.Column(float, nullable=True),
        "max_abs_residual": pa.Column(float, nullable=True),
        "converged": pa.Column(bool),
        "round": pa.Column(int),
        "simulated": pa.Column(bool),
    },
    unique=["model", "term"],
    strict=True,
    ordered=True,
)


def model_table(
    tab: Table, fits: dict[str, WeightFit], bench: np.ndarray, Z: np.ndarray, simulated: bool
) -> pd.DataFrame:
    """Recovered weights under every normalisation, then the driver OLS (HC3) rows."""
    out = pd.concat([weights_table(tab, fits, bench), driver_models(tab, Z)], ignore_index=True)
    out = out[[c for c in RANKING_WHATIF_MODEL.columns if c not in ("round", "simulated")]]
    return out.assign(
        round=tab.round, simulated=bool(simulated), converged=out["converged"].astype(bool)
    )
