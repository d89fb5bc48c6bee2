"""The binary models against known answers: Firth's logit on a 2x2 table (a closed form), the
cluster sandwich and the average marginal effects against statsmodels' own implementations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.ranking import binary


def _two_by_two(a: int, b: int, c: int, d: int) -> tuple[pd.Series, pd.DataFrame]:
    """x = 1: a listed, b not; x = 0: c listed, d not."""
    x = [1] * (a + b) + [0] * (c + d)
    y = [1] * a + [0] * b + [1] * c + [0] * d
    return pd.Series(y, dtype=float), sm.add_constant(pd.DataFrame({"x": x}, dtype=float))


@pytest.mark.parametrize(("a", "b", "c", "d"), [(3, 7, 12, 8), (1, 33, 48, 85), (5, 0, 2, 9)])
def test_firth_on_a_2x2_table_is_the_log_odds_ratio_with_half_added_to_each_cell(
    a: int, b: int, c: int, d: int
) -> None:
    # Firth's penalised estimate for one binary regressor: log((a+.5)(d+.5) / ((b+.5)(c+.5)));
    # finite even when a cell is empty (5, 0, 2, 9: the ML estimate does not exist)
    y, X = _two_by_two(a, b, c, d)
    beta, converged = binary.firth_logit(y, X)
    assert converged
    assert beta[1] == pytest.approx(np.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))))
    assert beta[0] == pytest.approx(np.log((c + 0.5) / (d + 0.5)))


@pytest.fixture(scope="module")
def sample() -> tuple[pd.Series, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(3)
    n = 300
    X = pd.DataFrame({"const": 1.0, "z": rng.normal(size=n), "d": rng.integers(0, 2, n) * 1.0})
    groups = rng.integers(0, 12, n)
    eta = -0.4 + 0.8 * X["z"] - 0.7 * X["d"] + rng.normal(0, 0.5, 12)[groups]
    y = pd.Series((rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float))
    return y, X, groups


def test_the_cluster_sandwich_is_statsmodels_for_the_plain_logit(sample) -> None:
    y, X, groups = sample
    ml = sm.Logit(y, X).fit(disp=False, cov_type="cluster", cov_kwds={"groups": groups})
    p = ml.predict()
    bread = np.linalg.inv(X.T.to_numpy() @ (X.to_numpy() * (p * (1 - p))[:, None]))
    scores = X.to_numpy() * (y.to_numpy() - p)[:, None]
    mine = binary._cluster_cov(X.to_numpy(), scores, bread, groups)
    assert mine == pytest.approx(ml.cov_params().to_numpy(), rel=1e-6)


def test_firth_is_close_to_ml_in_a_large_sample_and_clusters_by_group(sample) -> None:
    y, X, groups = sample
    fit = binary.fit_firth_logit(y, X, pd.Series(groups))
    ml = sm.Logit(y, X).fit(disp=False)
    assert fit.params.to_numpy() == pytest.approx(ml.params.to_numpy(), abs=0.05)
    assert (fit.method, fit.df, fit.nobs) == ("firth", 11, 300)
    ci = fit.conf_int()
    assert ((ci[0] < fit.params) & (fit.params < ci[1])).all()


@pytest.mark.parametrize("link", ["logit", "probit"])
def test_average_marginal_effects_are_statsmodels_at_the_estimates(sample, link: str) -> None:
    y, X, _ = sample
    model = {"logit": sm.Logit, "probit": sm.Probit}[link]
    ml = model(y, X).fit(disp=False)
    fit = binary.BinaryFit(link, "mle", ml.params, ml.cov_params(), 11, X, ml.llf, ml.llnull,
                           True)  # fmt: skip
    want = ml.get_margeff(at="overall", method="dydx", dummy=True).summary_frame()["dy/dx"]
    got = binary.marginal_effects_frame(fit).set_index("term")["estimate"]
    assert got.to_numpy() == pytest.approx(want.to_numpy(), rel=1e-6)


def test_a_marginal_effect_interval_is_its_coefficients_interval_carried_through(sample) -> None:
    y, X, groups = sample
    fit = binary.fit_firth_logit(y, X, pd.Series(groups))
    me = binary.marginal_effects_frame(fit).set_index("term")
    ci = fit.conf_int()
    for term in ("z", "d"):
        ends = [binary.average_marginal_effect(fit, term, b) for b in ci.loc[term]]
        assert (me.at[term, "ci_low"], me.at[term, "ci_high"]) == pytest.approx(
            (min(ends), max(ends))
        )
        assert me.at[term, "p_value"] == fit.pvalues[term]
    # at a coefficient of 0 the effect is 0, so 0 is inside one interval exactly when inside
    # the other
    assert binary.average_marginal_effect(fit, "d", 0.0) == 0.0
