"""Binary models of being listed: a Firth-penalised logit and an ML probit, with standard errors
clustered by city, and average marginal effects whose intervals agree with the coefficients.

Why these choices (issue #18):

* **Firth's penalty** (Jeffreys prior, Firth 1993): 167 units, 49 listed and a region with 1
  listed unit of 34 (冀北) is close to separation, where the ML logit coefficient runs off and
  its robust standard error with it. The penalised estimate stays finite and is less biased in
  small samples; it is what the structural logit reports. The probit is fitted by ML as a check
  on the link function.
* **Clustered by city**: units of one city share a city government, budget and policy, so
  their errors are not independent. With 11 cities, intervals and p-values use a t reference
  with (cities - 1) degrees of freedom and the usual small-sample factor.
* **Marginal effects that agree with the coefficients**: the delta method gave the 冀北 dummy a
  "significant" discrete change (p = 0.002) while its coefficient was not (p = 0.108). Here the
  interval of an average marginal effect is the image of its coefficient's interval (the other
  coefficients at their estimates), and its p-value is the coefficient's: an effect is
  significant exactly when its coefficient is. The sign of an average marginal effect is the
  sign of its coefficient, so zero lies inside one interval exactly when it lies inside the
  other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

Link = Callable[[np.ndarray], np.ndarray]
IMAGE_GRID = 41  # points of a coefficient's interval at which its marginal effect is evaluated


def link_functions(link: str) -> tuple[Link, Link]:
    """(cdf, pdf) of the ``logit`` or ``probit`` link.

    scipy (and statsmodels, in the fits) is imported when a model is used, not with this
    package: the summary notebook reads the ranking tables' contracts without fitting anything,
    and importing both cost it about a second of CPU.
    """
    from scipy import stats
    from scipy.special import expit

    if link == "logit":
        return expit, lambda e: expit(e) * (1 - expit(e))
    if link == "probit":
        return stats.norm.cdf, stats.norm.pdf
    raise ValueError(f"unknown link {link!r}: logit or probit")


@dataclass(frozen=True)
class BinaryFit:
    """A fitted binary model: estimates, cluster-robust covariance and what the tables need."""

    link: str  # logit | probit
    method: str  # firth | mle
    params: pd.Series
    cov: pd.DataFrame
    df: int  # degrees of freedom of the t reference (clusters - 1)
    X: pd.DataFrame
    llf: float  # log-likelihood at the estimates (unpenalised)
    llnull: float  # log-likelihood of the constant-only model
    converged: bool
    cov_type: str = "cluster"

    @property
    def nobs(self) -> int:
        return len(self.X)

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.cov)), index=self.params.index)

    @property
    def pvalues(self) -> pd.Series:
        from scipy import stats

        return pd.Series(2 * stats.t.sf(np.abs(self.params / self.bse), self.df), self.params.index)

    @property
    def prsquared(self) -> float:
        """McFadden's pseudo R²: 1 - llf/llnull."""
        return 1 - self.llf / self.llnull

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        from scipy import stats

        crit = stats.t.ppf(1 - alpha / 2, self.df)
        return pd.DataFrame({0: self.params - crit * self.bse, 1: self.params + crit * self.bse})

    def predict(self, X: pd.DataFrame | None = None) -> np.ndarray:
        X = self.X if X is None else X
        return link_functions(self.link)[0](np.asarray(X, dtype=float) @ self.params.to_numpy())


def _loglik(y: np.ndarray, eta: np.ndarray) -> float:
    return float((y * eta - np.logaddexp(0, eta)).sum())


def _information(X: np.ndarray, p: np.ndarray) -> np.ndarray:
    return X.T @ (X * (p * (1 - p))[:, None])


def firth_logit(
    y: np.ndarray, X: np.ndarray, maxiter: int = 200, tol: float = 1e-10
) -> tuple[np.ndarray, bool]:
    """(estimates, converged) of the logit maximising loglik + ½·log|X'WX| (Firth 1993).

    Newton steps on the modified score X'(y - p + h(½ - p)), h the hat values of the weighted
    design, halved while the penalised log-likelihood would fall.
    """
    from scipy.special import expit

    y, X = np.asarray(y, dtype=float), np.asarray(X, dtype=float)

    def penalised(b: np.ndarray) -> float:
        eta = X @ b
        return _loglik(y, eta) + 0.5 * np.linalg.slogdet(_information(X, expit(eta)))[1]

    beta = np.zeros(X.shape[1])
    for _ in range(maxiter):
        p = expit(X @ beta)
        inv = np.linalg.inv(_information(X, p))
        h = p * (1 - p) * np.einsum("ij,jk,ik->i", X, inv, X)
        step = inv @ (X.T @ (y - p + h * (0.5 - p)))
        now, t = penalised(beta), 1.0
        while penalised(beta + t * step) < now - 1e-12 and t > 1e-6:
            t /= 2
        beta = beta + t * step
        if np.abs(t * step).max() < tol:
            return beta, True
    return beta, False


def _cluster_cov(
    X: np.ndarray, scores: np.ndarray, bread: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """Sandwich bread·meat·bread with the meat summed by cluster and the factor
    G/(G-1)·(N-1)/(N-K) (as statsmodels and Stata use)."""
    n, k = X.shape
    labels = pd.unique(pd.Series(groups))
    g = len(labels)
    sums = np.array([scores[groups == lab].sum(axis=0) for lab in labels])
    factor = g / (g - 1) * (n - 1) / (n - k)
    return factor * bread @ (sums.T @ sums) @ bread


def fit_firth_logit(y: pd.Series, X: pd.DataFrame, groups: pd.Series) -> BinaryFit:
    """Firth-penalised logit with standard errors clustered by ``groups`` (the city)."""
    from scipy.special import expit

    yv, Xv, gv = y.to_numpy(float), X.to_numpy(float), np.asarray(groups)
    beta, ok = firth_logit(yv, Xv)
    p = expit(Xv @ beta)
    bread = np.linalg.inv(_information(Xv, p))
    h = p * (1 - p) * np.einsum("ij,jk,ik->i", Xv, bread, Xv)
    scores = Xv * (yv - p + h * (0.5 - p))[:, None]
    cov = _cluster_cov(Xv, scores, bread, gv)
    return BinaryFit(
        "logit", "firth", pd.Series(beta, X.columns),
        pd.DataFrame(cov, X.columns, X.columns), len(set(gv)) - 1, X,
        _loglik(yv, Xv @ beta), _null_loglik(yv), ok,
    )  # fmt: skip


def fit_probit(y: pd.Series, X: pd.DataFrame, groups: pd.Series) -> BinaryFit:
    """ML probit (statsmodels) with standard errors clustered by ``groups``, t reference."""
    from statsmodels.discrete.discrete_model import Probit

    res = Probit(y.astype(float), X).fit(
        disp=False, maxiter=200, cov_type="cluster", cov_kwds={"groups": np.asarray(groups)},
        use_t=True,
    )  # fmt: skip
    return BinaryFit(
        "probit", "mle", res.params, res.cov_params(), int(res.df_resid_inference), X,
        float(res.llf), float(res.llnull), bool(res.mle_retvals.get("converged", False)),
    )  # fmt: skip


def _null_loglik(y: np.ndarray) -> float:
    m = y.mean()
    return float((y * np.log(m) + (1 - y) * np.log(1 - m)).sum())


def _is_dummy(x: pd.Series) -> bool:
    return set(np.unique(x)) <= {0.0, 1.0} and x.nunique() == 2


def _effect_of_coefficient(fit: BinaryFit, term: str) -> Callable[[float], float]:
    """:func:`average_marginal_effect` of ``term`` as a function of its coefficient, with the
    design (and, for a dummy, its 0 and 1 versions) built once rather than at every point of
    the grid that carries the interval through."""
    cdf, pdf = link_functions(fit.link)
    X = fit.X.astype(float)
    base = fit.params.to_numpy()
    j = fit.params.index.get_loc(term)

    def beta(coefficient: float) -> np.ndarray:
        b = base.copy()
        b[j] = coefficient
        return b

    if _is_dummy(X[term]):
        hi = X.assign(**{term: 1.0}).to_numpy()
        lo = X.assign(**{term: 0.0}).to_numpy()

        def discrete_change(coefficient: float) -> float:
            b = beta(coefficient)
            return float(np.mean(cdf(hi @ b) - cdf(lo @ b)))

        return discrete_change
    Xv = X.to_numpy()

    def per_unit(coefficient: float) -> float:
        return float(np.mean(pdf(Xv @ beta(coefficient))) * coefficient)

    return per_unit


def average_marginal_effect(fit: BinaryFit, term: str, coefficient: float) -> float:
    """The average marginal effect of ``term`` with its coefficient set to ``coefficient``
    (the others at their estimates): per unit of a continuous regressor, or the average change
    in probability from 0 to 1 of a dummy."""
    return _effect_of_coefficient(fit, term)(coefficient)


def marginal_effects_frame(fit: BinaryFit, alpha: float = 0.05) -> pd.DataFrame:
    """Average marginal effects (no constant) with the coefficient's interval carried through
    (:func:`average_marginal_effect` over a grid of it) and the coefficient's p-value."""
    ci = fit.conf_int(alpha)
    rows = []
    for term in fit.params.index:
        if term == "const":
            continue
        effect = _effect_of_coefficient(fit, term)
        grid = np.linspace(ci.at[term, 0], ci.at[term, 1], IMAGE_GRID)
        image = [effect(b) for b in grid]
        rows.append(
            {
                "term": term,
                "estimate": effect(fit.params[term]),
                "ci_low": min(image),
                "ci_high": max(image),
                "p_value": float(fit.pvalues[term]),
            }
        )
    return pd.DataFrame(rows)
