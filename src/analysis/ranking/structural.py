"""Structural drivers: which census characteristics of a unit go with a high rank.

A Firth-penalised logit and an ML probit of being listed (all current units), and average
marginal effects on standardised covariates (:mod:`.binary`); OLS of log position and an
ordered logit of grouped positions within the list. Standard errors are clustered by city in
every model (t reference, cities - 1 degrees of freedom); variance inflation factors are
reported beside the coefficients. A cross-section: association, not cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.ranking.binary import (
    BinaryFit,
    fit_firth_logit,
    fit_probit,
    marginal_effects_frame,
)
from analysis.ranking.covariates import (
    CONTINUOUS,
    POP_CHANGE,
    POSITION_GROUPS,
    complete_rows,
    design_matrix,
)
from analysis.ranking.separation import check_separation, drop_sparse_dummies


class StatsmodelsFit(Protocol):
    """What the tables read from a statsmodels results object (OLS, ordered logit): estimates
    with their clustered errors, and the model with its design. statsmodels ships no type
    information, so this names the part of its results API the project relies on;
    :class:`.binary.BinaryFit` offers the same estimates (without ``model``)."""

    @property
    def nobs(self) -> float: ...
    @property
    def params(self) -> pd.Series: ...
    @property
    def bse(self) -> pd.Series: ...
    @property
    def pvalues(self) -> pd.Series: ...
    @property
    def model(self) -> Any: ...  # exog, exog_names

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame: ...
    def predict(self, exog: pd.DataFrame | None = None) -> np.ndarray: ...


@dataclass(frozen=True)
class FittedModel:
    """A fitted model with what the tables need to describe it."""

    name: str
    kind: str  # logit | probit | ols | ordered_logit
    outcome: str
    sample: str
    result: BinaryFit | StatsmodelsFit
    dropped: tuple[str, ...] = ()
    method: str = "mle"  # firth | mle | ols
    clusters: int = 0  # cities the standard errors are clustered by

    @property
    def n_obs(self) -> int:
        return int(self.result.nobs)


CLUSTER = "city"  # standard errors are clustered by the unit's city


def _cluster(data: pd.DataFrame) -> dict:
    """statsmodels arguments for errors clustered by city, with a t reference (cities - 1)."""
    return {"cov_type": "cluster", "cov_kwds": {"groups": data[CLUSTER].to_numpy()}}


def fit_binary(data: pd.DataFrame, X: pd.DataFrame, link: str = "logit") -> BinaryFit:
    """Firth logit or ML probit of ``in_top`` on ``X``, errors clustered by city, after the
    separation check (a dummy that separates the outcome is an error, penalty or not)."""
    check_separation(X, data["in_top"])
    fit = {"logit": fit_firth_logit, "probit": fit_probit}[link]
    res = fit(data["in_top"], X, data[CLUSTER])
    if not res.converged:
        raise RuntimeError(f"{link} did not converge")
    return res


def fit_position_ols(
    frame: pd.DataFrame, continuous: tuple[str, ...]
) -> tuple[StatsmodelsFit, list[str]]:
    """OLS of log(position) on the covariates, within the list, errors clustered by city.

    log: the gap between 1st and 5th matters more than between 45th and 49th. A positive
    coefficient means further down the list.
    """
    from statsmodels.regression.linear_model import OLS  # with the fit, not with the package

    listed = frame[frame["in_top"] == 1]
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous))
    y = np.log(listed["position"].astype(float))
    return OLS(y, X).fit(**_cluster(listed), use_t=True), dropped


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
) -> tuple[StatsmodelsFit, list[str]]:
    """Ordered logit of the grouped position (no constant: absorbed in the thresholds).

    Higher category = further down the list, so a positive coefficient means a worse position,
    as in :func:`fit_position_ols`.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel  # with the fit

    listed = frame[frame["in_top"] == 1]
    y = position_group(listed["position"])
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous, constant=False))
    check_separation(X, y.cat.codes)
    res = OrderedModel(y, X, distr="logit").fit(
        method="bfgs", disp=False, maxiter=500, **_cluster(listed)
    )
    return res, dropped


def fit_structural_models(frame: pd.DataFrame) -> list[FittedModel]:
    """The model set: in-list Firth logit and probit without and with population change, then
    the rank models.

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
                    fit_binary(data, X, link),
                    method="firth" if link == "logit" else "mle",
                    clusters=int(data[CLUSTER].nunique()),
                )
            )
    n_listed = int(frame["in_top"].sum())
    listed_cities = int(frame.loc[frame["in_top"] == 1, CLUSTER].nunique())
    res, dropped = fit_position_ols(frame, CONTINUOUS)
    models.append(
        FittedModel(
            "position_ols_log",
            "ols",
            "log(position)",
            f"listed: {n_listed} units",
            res,
            tuple(dropped),
            method="ols",
            clusters=listed_cities,
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
            clusters=listed_cities,
        )
    )
    return models


def design_of(model: FittedModel) -> pd.DataFrame:
    """The regressors a model was fitted on, as a named frame."""
    res = model.result
    if isinstance(res, BinaryFit):
        return res.X
    exog = res.model.exog
    return pd.DataFrame(exog, columns=res.model.exog_names[: exog.shape[1]])  # no thresholds


def vifs(X: pd.DataFrame) -> pd.Series:
    """Variance inflation factor of each regressor (a constant added if the design has none;
    the constant itself gets none): 1/(1 - R²) of the regressor on all the others."""
    A = X.astype(float)
    if "const" not in A.columns:
        A = A.assign(const=1.0)
    out = {}
    for c in X.columns:
        if c == "const":
            continue
        others = A.drop(columns=c)
        resid = A[c] - others @ np.linalg.lstsq(others, A[c], rcond=None)[0]
        tss = ((A[c] - A[c].mean()) ** 2).sum()
        out[c] = float(tss / (resid**2).sum())
    return pd.Series(out)


def _fit_stat(res: object) -> float:
    for name in ("prsquared", "rsquared"):
        if hasattr(res, name):
            return float(getattr(res, name))
    return float("nan")


def _tidy(model: FittedModel, quantity: str, frame: pd.DataFrame) -> pd.DataFrame:
    res = model.result
    vif = vifs(design_of(model)) if quantity == "coefficient" else pd.Series(dtype=float)
    return pd.DataFrame(
        {
            "model": model.name,
            "kind": model.kind,
            "method": model.method,
            "outcome": model.outcome,
            "sample": model.sample,
            "n_obs": model.n_obs,
            "quantity": quantity,
            "term": frame["term"].astype(str).to_numpy(),
            "estimate": frame["estimate"].to_numpy(float),
            "std_err": frame["std_err"].to_numpy(float),
            "ci_low": frame["ci_low"].to_numpy(float),
            "ci_high": frame["ci_high"].to_numpy(float),
            "p_value": frame["p_value"].to_numpy(float),
            "vif": frame["term"].map(vif).to_numpy(float),
            "cov_type": f"cluster by {CLUSTER} ({model.clusters}), t",
            "fit_r2": _fit_stat(res),
            "dropped_terms": ";".join(model.dropped),
        }
    )


def coefficient_table(model: FittedModel) -> pd.DataFrame:
    """Coefficients with clustered s.e. and 95% intervals (ordered model: thresholds excluded,
    they are log-odds increments between groups, not effects)."""
    res = model.result
    ci = res.conf_int()
    terms = [t for t in res.params.index if "/" not in str(t)]  # OrderedModel thresholds: '0/1'
    frame = pd.DataFrame(
        {
            "term": terms,
            "estimate": np.asarray(res.params[terms], dtype=float),
            "std_err": np.asarray(res.bse[terms], dtype=float),
            "ci_low": np.asarray(ci.loc[terms, 0], dtype=float),
            "ci_high": np.asarray(ci.loc[terms, 1], dtype=float),
            "p_value": np.asarray(res.pvalues[terms], dtype=float),
        }
    )
    return _tidy(model, "coefficient", frame)


def marginal_effects(model: FittedModel) -> pd.DataFrame:
    """Average marginal effects on P(in list); 0/1 regressors as discrete changes (0 -> 1).

    Units: change in probability per one standard deviation of a continuous covariate. The
    interval is the coefficient's carried through and the p-value the coefficient's
    (:func:`.binary.marginal_effects_frame`), so no standard error is given.
    """
    if not isinstance(model.result, BinaryFit):
        raise TypeError(f"{model.name}: marginal effects are computed for the binary models only")
    frame = marginal_effects_frame(model.result).assign(std_err=np.nan)
    return _tidy(model, "marginal_effect", frame)


def structural_table(models: list[FittedModel]) -> pd.DataFrame:
    """Every model's coefficients (with VIFs), and the binary models' average marginal
    effects, tidy."""
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
        "method": pa.Column(str, pa.Check.isin(["firth", "mle", "ols"])),
        "outcome": pa.Column(str),
        "sample": pa.Column(str),
        "n_obs": pa.Column(int, pa.Check.gt(0)),
        "quantity": pa.Column(str, pa.Check.isin(["coefficient", "marginal_effect"])),
        "term": pa.Column(str),
        "estimate": pa.Column(float),
        "std_err": pa.Column(float, pa.Check.ge(0), nullable=True),
        "ci_low": pa.Column(float),
        "ci_high": pa.Column(float),
        "p_value": pa.Column(float, pa.Check.in_range(0, 1)),
        "vif": pa.Column(float, pa.Check.ge(1 - 1e-9), nullable=True),
        "cov_type": pa.Column(str),
        "fit_r2": pa.Column(float, nullable=True),
        "dropped_terms": pa.Column(str, nullable=True),
        "simulated": pa.Column(bool, pa.Check.isin([False])),
    },
    checks=[
        pa.Check(
            lambda d: (d["ci_low"] <= d["estimate"]) & (d["estimate"] <= d["ci_high"]),
            error="estimate outside its interval",
        ),
        pa.Check(
            lambda d: ((d["ci_low"] > 0) | (d["ci_high"] < 0)) == (d["p_value"] < 0.05),
            error="an interval excluding 0 must go with p < 0.05 (and only then)",
        ),
    ],
    unique=["model", "quantity", "term"],
    strict=True,
    ordered=True,
)
