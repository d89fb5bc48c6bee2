"""The other units' scores in own-report mode: fitted to the published shares and mean.

A reflected gamma per usable shape, its fit against the published targets, and Monte-Carlo
sets of the others' scores projected to the target round.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import CLASS_A_MIN, CLASS_B_MIN
from analysis.ranking.published import mean_score_gains
from analysis.ranking.whatif.arithmetic import project_scores

FIT_TOLERANCE = 0.005  # a distribution fit must hit the published shares within 0.5 pp


@dataclass(frozen=True)
class ScoreDistribution:
    """Scores as a reflected gamma: S = upper - X, X ~ Gamma(shape, scale), truncated at 100.

    Why this family: the published rounds are left-skewed with a bounded top (2023: 40 % in A,
    17 % in C, mean 72.92); a normal or skew-normal cannot match the shares and the mean
    together, the reflected gamma matches them exactly with three parameters.
    """

    round: int
    shape_round: int
    shape: float
    scale: float
    upper: float
    share_a: float
    share_ab: float
    mean: float
    max_error: float

    def frozen(self):
        from scipy import stats

        return stats.gamma(self.shape, scale=self.scale)

    def shares(self) -> tuple[float, float, float]:
        """(P(S >= 80), P(S >= 60), E S) of the fitted distribution (before truncation)."""
        d = self.frozen()
        return (
            float(d.cdf(self.upper - CLASS_A_MIN)),
            float(d.cdf(self.upper - CLASS_B_MIN)),
            float(self.upper - d.mean()),
        )

    def sample(self, size: tuple[int, int], rng) -> np.ndarray:
        """Draws of S truncated to [0, 100] (inverse CDF above the point where S = 100)."""
        d = self.frozen()
        low = d.cdf(max(self.upper - 100.0, 0.0))
        u = low + (1 - low) * rng.uniform(size=size)
        return np.clip(self.upper - d.ppf(u), 0.0, 100.0)


def _round_targets(rounds: pd.DataFrame) -> pd.DataFrame:
    df = rounds[rounds["n_A"].notna() & rounds["mean_score"].notna() & rounds["n_units"].notna()]
    df = df.assign(
        share_a=df["n_A"] / df["n_units"],
        share_ab=(df["n_A"] + df["n_B"]) / df["n_units"],
    )
    return df.sort_values("round").reset_index(drop=True)


def _fit_reflected_gamma(share_a, share_ab, mean, shape=None) -> tuple[float, float, float, float]:
    """(shape, scale, upper, max error): 3 conditions with the shape free, 2 with it given."""
    from scipy import optimize, stats

    def conditions(k, th, up):
        # the unfrozen calls compute what a frozen ``stats.gamma(k, scale=th)`` would, without
        # building a distribution object (and its docstring) at every step of the solver
        def cdf(x):
            return stats.gamma.cdf(x, k, scale=th)

        res = [cdf(up - CLASS_A_MIN) - share_a, (up - stats.gamma.mean(k, scale=th) - mean) / 100]
        if shape is None:
            res.append(cdf(up - CLASS_B_MIN) - share_ab)
        return res

    if shape is None:
        r = optimize.least_squares(
            lambda p: conditions(np.exp(p[0]), np.exp(p[1]), p[2]), [np.log(2), np.log(8), 95.0]
        )
        k, th, up = np.exp(r.x[0]), np.exp(r.x[1]), r.x[2]
    else:
        r = optimize.least_squares(
            lambda p: conditions(shape, np.exp(p[0]), p[1]), [np.log(8), 95.0]
        )
        k, th, up = shape, np.exp(r.x[0]), r.x[1]
    return float(k), float(th), float(up), float(np.abs(r.fun).max())


def fit_score_distributions(rounds: pd.DataFrame, basis_round: int | None = None):
    """Distributions of the latest published round's scores, one per usable shape.

    The latest round with a published A count and mean is the basis. Where B (hence the share
    >= 60) is published for it, all three parameters are fitted to it; where not (2024), the
    shape is taken from each earlier round whose three conditions fit within
    :data:`FIT_TOLERANCE`, and scale and upper end are fitted to the basis round's A share and
    mean. The spread between shapes is model uncertainty, carried into the intervals.
    """
    targets = _round_targets(rounds)
    if targets.empty:
        raise DataError("no round with a published A count and mean", file="evaluation_rounds.csv")
    if basis_round is None:
        basis_round = int(targets["round"].max())
    basis = targets.set_index("round").loc[basis_round]
    shapes = []
    for t_ in targets[targets["n_B"].notna() & (targets["round"] <= basis_round)].itertuples():
        k, th, up, err = _fit_reflected_gamma(t_.share_a, t_.share_ab, t_.mean_score)
        if err <= FIT_TOLERANCE:
            shapes.append((int(t_.round), k, th, up, err))
    own = [s for s in shapes if s[0] == basis_round]
    fits = []
    for rnd, k, th, up, err in own or shapes:
        if rnd != basis_round:
            k, th, up, err = _fit_reflected_gamma(basis.share_a, np.nan, basis.mean_score, shape=k)
        fits.append(
            ScoreDistribution(
                basis_round, rnd, k, th, up, float(basis.share_a),
                float(basis.share_ab) if pd.notna(basis.share_ab) else float("nan"),
                float(basis.mean_score), err,
            )
        )  # fmt: skip
    if not fits:
        raise DataError("no round's shares and mean could be fitted", file="evaluation_rounds.csv")
    return fits


def distribution_table(fits: list[ScoreDistribution]) -> pd.DataFrame:
    """The fitted distributions with the published targets and what each reproduces."""
    rows = []
    for f in fits:
        a, ab, m = f.shares()
        rows.append(
            {
                "round": f.round,
                "shape_from_round": f.shape_round,
                "shape": round(f.shape, 4),
                "scale": round(f.scale, 4),
                "upper_end": round(f.upper, 2),
                "share_A_published": round(f.share_a, 4),
                "share_A_fitted": round(a, 4),
                "share_AB_published": round(f.share_ab, 4),
                "share_AB_fitted": round(ab, 4),
                "mean_published": f.mean,
                "mean_fitted": round(m, 2),
            }
        )
    return pd.DataFrame(rows)


def observed_yearly_gains(rounds: pd.DataFrame) -> np.ndarray:
    """The mean score's observed gains per year (one per pair of rounds with a mean)."""
    gains = mean_score_gains(rounds)["gain_per_year"].dropna().to_numpy(dtype=float)
    if gains.size == 0:
        raise DataError("fewer than two rounds with a mean score", file="evaluation_rounds.csv")
    return gains


@dataclass(frozen=True)
class OtherDraws:
    """Monte-Carlo sets of the other units' scores before they are projected to the target
    round (:func:`project_draws`): the shape and the pace of each draw and the scores drawn
    from each shape. Both projections (``gap_share`` and ``shift``) of one seed share them, so
    they are drawn once."""

    which: np.ndarray  # index of the fitted shape of each draw
    gain: np.ndarray  # each draw's gain of the mean over the years projected
    scores: tuple[np.ndarray | None, ...]  # per shape: its draws' scores (None: no draw)
    n_others: int


def draw_others(
    fits: list[ScoreDistribution],
    n_others: int,
    gains: np.ndarray,
    years: int,
    n_draws: int = 2000,
    seed: int = 0,
) -> OtherDraws:
    """Each draw takes one fitted shape (model uncertainty), ``n_others`` scores from it
    (sampling) and one observed yearly gain of the mean times ``years`` (pace uncertainty)."""
    rng = np.random.default_rng(seed)
    which = rng.integers(len(fits), size=n_draws)
    gain = rng.choice(np.asarray(gains, dtype=float), size=n_draws) * years
    scores = []
    for i, f in enumerate(fits):
        rows = which == i
        scores.append(f.sample((int(rows.sum()), n_others), rng) if rows.any() else None)
    return OtherDraws(which, gain, tuple(scores), n_others)


def project_draws(
    fits: list[ScoreDistribution], draws: OtherDraws, how: str = "gap_share"
) -> np.ndarray:
    """The drawn scores projected to the target round by :func:`project_scores`
    (draws x others)."""
    out = np.empty((len(draws.which), draws.n_others))
    for i, (f, drawn) in enumerate(zip(fits, draws.scores, strict=True)):
        if drawn is not None:
            rows = draws.which == i
            out[rows] = project_scores(drawn, draws.gain[rows], f.mean, how)
    return out
