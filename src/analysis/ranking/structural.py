"""Structural drivers: which census characteristics of a unit go with a high rank.

Logit and Probit of being listed (all current units) with HC1 errors and average marginal
effects on standardised covariates; OLS of log position and an ordered logit of grouped
positions within the list. A cross-section: association, not cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from analysis.ranking.covariates import (
    CONTINUOUS,
    POP_CHANGE,
    POSITION_GROUPS,
    complete_rows,
    design_matrix,
)
from analysis.ranking.separation import check_separation, drop_sparse_dummies


@dataclass(frozen=True)
class FittedModel:
    """A fitted model with what the tables need to describe it."""

    name: str
    kind: str  # logit | probit | ols | ordered_logit
    outcome: str
    sample: str
    result: object
    dropped: tuple[str, ...] = ()

    @property
    def n_obs(self) -> int:
        return int(self.result.nobs)


def fit_binary(y: pd.Series, X: pd.DataFrame, link: str = "logit") -> object:
    """Logit or Probit with HC1 (robust) errors, after the separation check.

    statsmodels: ``Logit(y, X).fit(cov_type='HC1')``; marginal effects via ``get_margeff``
    use the same robust covariance (delta method).
    """
    check_separation(X, y)
    model_class = {"logit": sm.Logit, "probit": sm.Probit}[link]
    res = model_class(y.astype(float), X).fit(cov_type="HC1", disp=False, maxiter=200)
    if not res.mle_retvals.get("converged", False):
        raise RuntimeError(f"{link} did not converge")
    return res


def fit_position_ols(frame: pd.DataFrame, continuous: tuple[str, ...]) -> tuple[object, list[str]]:
    """OLS of log(position) on the covariates, within the list, HC1 errors.

    log: the gap between 1st and 5th matters more than between 45th and 49th. A positive
    coefficient means further down the list.
    """
    listed = frame[frame["in_top"] == 1]
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous))
    y = np.log(listed["position"].astype(float))
    return sm.OLS(y, X).fit(cov_type="HC1"), dropped


def position_group(position: pd.Series, groups: tuple = POSITION_GROUPS) -> pd.Series:
    """Ordered categories '1-10' < '11-25' < '26-49' (upper bound of the last = the list's end)."""
    end = int(position.max())
    labels, bins = [], [0]
    for lo, hi in groups:
        hi = end if hi is None else hi
        labels.append(f"{lo}-{hi}")
        bins.append(hi)
    cat = pd.cut(position.astype(float), bins=bins, labels=labels)
    return pd.Series(pd.Categorical(cat, categories=labels, ordered=True), index=position.index)


def fit_position_ordered(
    frame: pd.DataFrame, continuous: tuple[str, ...]
) -> tuple[object, list[str]]:
    """Ordered logit of the grouped position (no constant: absorbed in the thresholds).

    Higher category = further down the list, so a positive coefficient means a worse position,
    as in :func:`fit_position_ols`.
    """
    listed = frame[frame["in_top"] == 1]
    y = position_group(listed["position"])
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous, constant=False))
    check_separation(X, y.cat.codes)
    res = OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
    return res, dropped


def fit_structural_models(frame: pd.DataFrame) -> list[FittedModel]:
    """The model set: in-list Logit/Probit without and with population change, rank models.

    ``frame`` from :func:`model_frame`, standardised with :func:`standardise`.
    """
    models = []
    with_change = (*CONTINUOUS, POP_CHANGE)
    sub, _ = complete_rows(frame, with_change)
    samples = {
        "all": (frame, CONTINUOUS),
        "pop_change": (sub, with_change),
    }
    for sample, (data, cols) in samples.items():
        X = design_matrix(data, cols)
        for link in ("logit", "probit"):
            suffix = "" if sample == "all" else "_pop_change"
            models.append(
                FittedModel(
                    f"in_top_{link}{suffix}",
                    link,
                    "in_top",
                    f"{sample}: {len(data)} units",
                    fit_binary(data["in_top"], X, link),
                )
            )
    n_listed = int(frame["in_top"].sum())
    res, dropped = fit_position_ols(frame, CONTINUOUS)
    models.append(
        FittedModel(
            "position_ols_log",
            "ols",
            "log(position)",
            f"listed: {n_listed} units",
            res,
            tuple(dropped),
        )
    )
    res, dropped = fit_position_ordered(frame, CONTINUOUS)
    models.append(
        FittedModel(
            "position_ordered_grouped",
            "ordered_logit",
            "position group",
            f"listed: {n_listed} units",
            res,
            tuple(dropped),
        )
    )
    return models


def _tidy(model: FittedModel, quantity: str, est, se, low, high, p, terms) -> pd.DataFrame:
    res = model.result
    fit_stat = getattr(res, "prsquared", None)
    if fit_stat is None:
        fit_stat = getattr(res, "rsquared", np.nan)
    return pd.DataFrame(
        {
            "model": model.name,
            "kind": model.kind,
            "outcome": model.outcome,
            "sample": model.sample,
            "n_obs": model.n_obs,
            "quantity": quantity,
            "term": list(terms),
            "estimate": np.asarray(est, dtype=float),
            "std_err": np.asarray(se, dtype=float),
            "ci_low": np.asarray(low, dtype=float),
            "ci_high": np.asarray(high, dtype=float),
            "p_value": np.asarray(p, dtype=float),
            "cov_type": getattr(res, "cov_type", "nonrobust"),
            "fit_r2": float(fit_stat) if fit_stat is not None else np.nan,
            "dropped_terms": ";".join(model.dropped),
        }
    )


def coefficient_table(model: FittedModel) -> pd.DataFrame:
    """Coefficients with robust s.e. and 95% intervals (ordered model: thresholds excluded)."""
    res = model.result
    ci = res.conf_int()
    terms = [t for t in res.params.index if "/" not in str(t)]  # OrderedModel thresholds: '0/1'
    return _tidy(
        model,
        "coefficient",
        res.params[terms],
        res.bse[terms],
        ci.loc[terms, 0],
        ci.loc[terms, 1],
        res.pvalues[terms],
        terms,
    )


def marginal_effects(model: FittedModel) -> pd.DataFrame:
    """Average marginal effects on P(in list); 0/1 regressors as discrete changes (0 -> 1).

    Units: change in probability per one standard deviation of a continuous covariate.
    """
    m = model.result.get_margeff(at="overall", method="dydx", dummy=True)
    f = m.summary_frame()
    return _tidy(
        model,
        "marginal_effect",
        f["dy/dx"],
        f["Std. Err."],
        f["Conf. Int. Low"],
        f["Cont. Int. Hi."],
        f["Pr(>|z|)"],
        f.index,
    )


def structural_table(models: list[FittedModel]) -> pd.DataFrame:
    """Every model's coefficients, and the binary models' average marginal effects, tidy."""
    parts = []
    for m in models:
        parts.append(coefficient_table(m))
        if m.kind in ("logit", "probit"):
            parts.append(marginal_effects(m))
    out = pd.concat(parts, ignore_index=True)
    out["simulated"] = False
    return out


STRUCTURAL = pa.DataFrameSchema(
    {
        "model": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["logit", "probit", "ols", "ordered_logit"])),
        "outcome": pa.Column(str),
        "sample": pa.Column(str),
        "n_obs": pa.Column(int, pa.Check.gt(0)),
        "quantity": pa.Column(str, pa.Check.isin(["coefficient", "marginal_effect"])),
        "term": pa.Column(str),
        "estimate": pa.Column(float),
        "std_err": pa.Column(float, pa.Check.ge(0)),
        "ci_low": pa.Column(float),
        "ci_high": pa.Column(float),
        "p_value": pa.Column(float, pa.Check.in_range(0, 1)),
        "cov_type": pa.Column(str),
        "fit_r2": pa.Column(float, nullable=True),
        "dropped_terms": pa.Column(str, nullable=True),
        "simulated": pa.Column(bool, pa.Check.isin([False])),
    },
    checks=[
        pa.Check(
            lambda d: (d["ci_low"] <= d["estimate"]) & (d["estimate"] <= d["ci_high"]),
            error="estimate outside its interval",
        )
    ],
    unique=["model", "quantity", "term"],
    strict=True,
    ordered=True,
)
