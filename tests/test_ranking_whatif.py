"""Indicator layer of the ranking (what-if): rank arithmetic, headroom, weight recovery, the
score-needed estimate, and the whole layer on the bundled stand-in for two counties.

Weight recovery on a table built from known weights checks the code, not the province's method.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest import evaluation_published as evaluation
from analysis.ingest import evaluation_report as evalreport
from analysis.ranking.whatif import (
    arithmetic,
    distributions,
    drivers,
    full_table,
    gap,
    matrices,
    own_report,
    reconstruction,
    table,
)
from analysis.schemas import validate
from analysis.simulate import evaluation_indicators as sim_indicators


# --- rank arithmetic ----------------------------------------------------------------------------
def test_rank_after_improvement_hand_worked() -> None:
    # others now 90, 85, 80, 70; mean gain 5 -> 95, 90, 85, 75 (shift). County 82, slope 2/unit.
    others = arithmetic.project_scores(np.array([90.0, 85.0, 80.0, 70.0]), 5.0, 0.0, "shift")
    assert others.tolist() == [95.0, 90.0, 85.0, 75.0]
    assert arithmetic.rank_after(82.0, others).tolist() == [4]  # 95, 90, 85 above
    assert arithmetic.rank_after(82.0 + 2 * 2.0, others).tolist() == [3]  # 86: 95, 90 above
    assert arithmetic.rank_after(90.0, others).tolist() == [2]  # a tie goes to the county
    # to reach position 2: beat the 2nd best other (90) by one step
    assert arithmetic.score_to_reach(others, 2).tolist() == [90.01]
    # Δ = (90.01 - 82) / 2 = 4.005 units, within a headroom of 10 points
    assert arithmetic.units_to_target(90.01 - 82.0, 2.0, 10.0) == pytest.approx(4.005)


def test_gap_share_projection_raises_the_mean_by_the_gain_and_stays_below_100() -> None:
    s = np.array([96.0, 80.0, 60.0, 40.0])
    out = arithmetic.project_scores(s, 4.0, float(s.mean()))
    assert out.mean() == pytest.approx(s.mean() + 4.0)
    assert out.max() < 100 and out[0] == pytest.approx(96 + 4 * 4 / 31)


def test_units_to_target_empty_when_headroom_is_short_and_zero_when_ahead() -> None:
    assert math.isnan(arithmetic.units_to_target(3.0, 0.5, 2.0))
    assert math.isnan(arithmetic.units_to_target(1.0, 0.0, 2.0))  # at the cap
    assert arithmetic.units_to_target(-1.0, 0.5, 2.0) == 0.0
    assert arithmetic.units_to_target(1.0, 0.5, 2.0) == 2.0


def test_score_to_reach_rejects_a_position_beyond_the_field() -> None:
    with pytest.raises(ValueError, match=r"position 5 outside 1\.\.4"):
        arithmetic.score_to_reach(np.array([1.0, 2.0, 3.0, 4.0]), 5)


# --- own report: headroom and slopes --------------------------------------------------------------
def test_own_marginals_headroom_and_slopes_on_a_tiny_report() -> None:
    rows = pd.DataFrame(
        {
            "level1": ["创新主体", "创新投入", "创新管理", "创新产出"],
            "level2": ["高新技术企业数量", "R&D经费投入强度", "科技管理创新", "专利"],
            "unit": ["家", "%", "分", "件"],
            "value": [35.0, 2.6, 4.5, 0.0],
            "points": [4.2, 5.0, 4.5, 0.0],
            "max_points": [7.0, 5.0, 5.0, 8.0],
        }
    )
    m = own_report.own_marginals(rows).set_index("indicator")
    assert m["headroom_points"].tolist() == [2.8, 0.0, 0.5, 8.0]
    assert m.at["高新技术企业数量", "points_per_unit"] == pytest.approx(0.12)  # 4.2/35
    assert m.at["R&D经费投入强度", "points_per_unit"] == 0.0  # at the cap
    assert m.at["科技管理创新", "points_per_unit"] == 1.0
    assert math.isnan(m.at["专利", "points_per_unit"])
    assert m.at["高新技术企业数量", "basis"].startswith("ASSUMED capped ratio")
    # 2 points needed: 2 / 0.12 = 16.67 more enterprises, within the headroom of 2.8
    need = arithmetic.units_to_target(2.0, 0.12, 2.8)
    assert need == pytest.approx(16.6667, abs=1e-4)


def test_no_own_report_for_a_county_without_rows() -> None:
    scores = pd.DataFrame({"county_code": ["130435"], "round": [2024]})
    assert (
        own_report.own_report(pd.DataFrame(columns=["county_code", "round"]), scores, "130407")
        is None
    )


# --- weight recovery ------------------------------------------------------------------------------
def test_nnls_recovers_known_weights_of_a_capped_ratio_composite() -> None:
    rng = np.random.default_rng(1)
    w = np.array([30.0, 25.0, 20.0, 10.0])
    bench = np.array([10.0, 2.0, 50.0, 400.0])
    X = rng.uniform(0.2, 1.3, size=(120, 4)) * bench
    y = reconstruction.normalise(X, "capped_ratio", bench) @ w
    fit = reconstruction.recover_weights(reconstruction.normalise(X, "capped_ratio", bench), y)
    assert fit.weights == pytest.approx(w, abs=1e-8)
    assert fit.intercept == pytest.approx(0.0, abs=1e-8)
    assert fit.r2 == pytest.approx(1.0) and fit.max_abs_residual < 1e-8
    # the wrong normalisation fits worse
    assert reconstruction.recover_weights(reconstruction.normalise(X, "min_max"), y).r2 < 0.999


def test_benchmarks_are_read_from_the_points_of_units_below_the_cap() -> None:
    X = np.array([[5.0], [10.0], [20.0], [40.0]])
    P = 6.0 * np.minimum(1.0, X / 20.0)
    tab = matrices.Table(2024, list("abcd"), list("abcd"), ["k"], ["件"], X, P, np.array([6.0]),
                        np.zeros(4), P[:, 0], np.arange(1, 5), list("AAAA"))  # fmt: skip
    assert reconstruction.estimate_benchmarks(tab).tolist() == [20.0]


# --- the score-needed distribution --------------------------------------------------------------
def _rounds(n_a, n_b, mean, rnd=2023, n=167):
    return pd.DataFrame(
        {"round": [rnd], "n_units": [n], "n_A": [n_a], "n_B": [n_b], "mean_score": [mean]}
    )


def test_fitted_distribution_reproduces_the_published_class_shares_and_mean() -> None:
    fits = distributions.fit_score_distributions(_rounds(66.0, 73.0, 72.92))
    assert len(fits) == 1 and fits[0].shape_round == 2023
    a, ab, mean = fits[0].shares()
    assert a == pytest.approx(66 / 167, abs=1e-6)
    assert ab == pytest.approx(139 / 167, abs=1e-6)
    assert mean == pytest.approx(72.92, abs=1e-4)
    draws = fits[0].sample((400, 167), np.random.default_rng(0))
    assert (draws >= 80).mean() == pytest.approx(66 / 167, abs=0.005)
    assert (draws >= 60).mean() == pytest.approx(139 / 167, abs=0.005)
    assert draws.max() <= 100


def test_a_round_with_only_the_a_count_borrows_each_earlier_shape() -> None:
    rounds = pd.concat([_rounds(32.0, 66.0, 61.07, 2021), _rounds(66.0, 73.0, 72.92),
                        _rounds(82.0, np.nan, 76.93, 2024)], ignore_index=True)  # fmt: skip
    fits = distributions.fit_score_distributions(rounds)
    assert [f.shape_round for f in fits] == [2021, 2023]
    for f in fits:
        a, _, mean = f.shares()
        assert (f.round, round(a, 6), round(mean, 4)) == (2024, round(82 / 167, 6), 76.93)


# --- the whole layer on the stand-in --------------------------------------------------------------
@pytest.fixture(scope="module")
def evaluation_tables(repo: Path, raw: Path):
    """The stand-in's tables as 01_ingest builds them (in memory), and the published rounds."""
    tables = evalreport.ingest(repo / "data" / "internal" / "simulated", raw, simulated=True)
    rounds = evaluation.evaluation_rounds(raw)
    return tables["evaluation_indicators"], tables["evaluation_scores"], rounds


def test_reconstruction_of_the_stand_in_recovers_its_weights_and_benchmarks(
    evaluation_tables,
) -> None:
    ind, sc, _ = evaluation_tables
    tab = matrices.full_table(ind, sc, matrices.full_table_round(sc))
    fits, bench, best = reconstruction.reconstruct(tab)
    assert best == "capped_ratio" and fits[best].r2 > 0.9999
    truth = {i.level2: (i.max_points, i.benchmark) for i in sim_indicators.QUANT}
    for k, name in enumerate(tab.indicators):
        assert fits[best].weights[k] == pytest.approx(truth[name][0], abs=0.05), name
        assert bench[k] == pytest.approx(truth[name][1], rel=0.01), name


@pytest.mark.parametrize("code", ["130435", "130407"])
def test_both_modes_run_for_either_county_and_the_tables_keep_their_contracts(
    evaluation_tables, code: str
) -> None:
    ind, sc, rounds = evaluation_tables
    rnd, rows, score = own_report.own_report(ind, sc, code)
    own, _, _ = own_report.own_report_whatif(rows, score, rounds, 5, n_draws=300)
    tab = matrices.full_table(ind, sc, rnd)
    fits, bench, best = reconstruction.reconstruct(tab)
    full = full_table.full_table_whatif(tab, ind, code, fits[best].weights, bench, best, 4.01, 5,
                                     True)  # fmt: skip
    rows = validate(pd.concat([own.table, full.table], ignore_index=True),
                    table.RANKING_WHATIF, "ranking_whatif")  # fmt: skip
    assert len(rows) == 34 and rows["simulated"].all()
    assert (rows["county_code"] == code).all()
    Z = reconstruction.normalise(tab.X, best, bench)
    parts = gap.gap_decomposition(tab, Z, fits[best].weights, code, 5).assign(simulated=True)
    validate(parts, gap.RANKING_WHATIF_GAP, "gap")
    assert abs(parts.loc[parts["kind"] == "residual", "points"].iloc[0]) < 0.05
    model = drivers.model_table(tab, fits, bench, Z, True)
    validate(model, drivers.RANKING_WHATIF_MODEL, "model")
