"""Driver analyses of the score on the normalised indicators, and the model table beside the
recovered weights (METHODS §3.6a-b)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from analysis.ranking.whatif.matrices import Table
from analysis.ranking.whatif.reconstruction import WeightFit, weights_table


def driver_models(tab: Table, Z: np.ndarray) -> pd.DataFrame:
    """OLS of the score on the normalised indicators (HC3) and an ordered logit on the class.

    The ordered logit has no constant (absorbed in the thresholds) and takes the class as a
    Series with an ordered categorical dtype (C < B < A), fitted with BFGS (METHODS §3.6b). The
    class is a cut of the score, so near-separation is likely: ``converged`` says whether BFGS
    converged, and the estimates are for reading signs, not sizes.
    """
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    Zdf = pd.DataFrame(Z, columns=tab.indicators)
    X = sm.add_constant(Zdf)
    ols = sm.OLS(tab.S, X).fit(cov_type="HC3")
    vif = {c: float(variance_inflation_factor(X.to_numpy(), i)) for i, c in enumerate(X.columns)}
    y = pd.Series(pd.Categorical(tab.cls, categories=["C", "B", "A"], ordered=True))
    rows = []
    for term in X.columns:
        rows.append(
            {"model": "ols_hc3", "term": term, "estimate": float(ols.params[term]),
             "std_err": float(ols.bse[term]), "p_value": float(ols.pvalues[term]),
             "vif": vif[term] if term != "const" else np.nan, "fit_r2": float(ols.rsquared),
             "converged": True}
        )  # fmt: skip
    present = [c for c in ("C", "B", "A") if c in set(tab.cls)]
    if len(present) >= 2:
        y = pd.Series(pd.Categorical(tab.cls, categories=present, ordered=True))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = OrderedModel(y, Zdf, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
        ok = bool(res.mle_retvals.get("converged", False))
        for term in res.params.index:
            rows.append(
                {"model": "ordered_logit", "term": str(term),
                 "estimate": float(res.params[term]), "std_err": float(res.bse[term]),
                 "p_value": float(res.pvalues[term]), "vif": np.nan,
                 "fit_r2": float(res.prsquared), "converged": ok}
            )  # fmt: skip
    out = pd.DataFrame(rows)
    for c in ("printed_max", "benchmark", "max_abs_residual"):
        out[c] = np.nan
    return out


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
    """Recovered weights under every normalisation, then the OLS (HC3) and ordered-logit rows."""
    out = pd.concat([weights_table(tab, fits, bench), driver_models(tab, Z)], ignore_index=True)
    out = out[[c for c in RANKING_WHATIF_MODEL.columns if c not in ("round", "simulated")]]
    return out.assign(
        round=tab.round, simulated=bool(simulated), converged=out["converged"].astype(bool)
    )
