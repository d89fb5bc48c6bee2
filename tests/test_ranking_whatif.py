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
    montecarlo,
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


# --- known truth: the stand-in's generating weights --------------------------------------------
@pytest.mark.parametrize("rnd", [2021, 2023, 2024])
def test_the_driver_regression_recovers_the_weights_the_stand_in_was_built_with(
    evaluation_tables, rnd: int
) -> None:
    ind, sc, _ = evaluation_tables
    tab = matrices.full_table(ind, sc, rnd)
    _, bench, best = reconstruction.reconstruct(tab)
    rows = drivers.driver_models(tab, reconstruction.normalise(tab.X, best, bench))
    est = rows[rows["term"] != "const"].set_index("term")["estimate"]
    truth = pd.Series({i.level2: float(i.max_points) for i in sim_indicators.QUANT})
    assert (est - truth.reindex(est.index)).abs().max() < 0.5
    # the three the issue names: printed 7 / 6 / 5, once read as 2.25 / 10.72 / 8.96
    named = ["规上工业企业R&D经费支出占主营业务收入的比重", "科技型中小企业数量", "技术合同成交额"]
    assert est[named].round(0).tolist() == [7.0, 6.0, 5.0]


def test_the_robustness_draws_only_what_the_reconstruction_accepts(evaluation_tables) -> None:
    ind, sc, _ = evaluation_tables
    tab = matrices.full_table(ind, sc, matrices.full_table_round(sc))
    fits, bench, _ = reconstruction.reconstruct(tab)
    # min-max and z-scores miss the printed points by a point or more: rejected
    choices = montecarlo.robustness_choices(tab, fits, bench)
    assert choices == [("capped_ratio", "linear")]
    # with the weights pinned (huge concentration) the accepted reading gives back the
    # published order up to neighbours a rounding apart; a rejected reading moves units by
    # tens of places: that spread is its error, not the evaluation's uncertainty
    kept = montecarlo.monte_carlo_ranks(tab, fits, bench, choices, n_draws=20,
                                        concentration=1e9)  # fmt: skip
    assert np.abs(kept - tab.position).max() <= 3
    rejected = montecarlo.monte_carlo_ranks(tab, fits, bench, [("min_max", "linear")],
                                            n_draws=20, concentration=1e9)  # fmt: skip
    assert np.abs(rejected - tab.position).max() > 20


def test_a_min_max_composite_is_accepted_as_min_max() -> None:
    rng = np.random.default_rng(2)
    X = rng.uniform(1, 50, size=(80, 3))
    w = np.array([40.0, 30.0, 15.0])
    Q = rng.uniform(5, 15, 80)
    S = Q + reconstruction.normalise(X, "min_max") @ w
    fits = {m: reconstruction.recover_weights(reconstruction.normalise(X, m, X.max(0)), S - Q, m)
            for m in reconstruction.NORMALISATIONS}  # fmt: skip
    assert reconstruction.accepted(fits) == ["min_max"]


# --- golden tables: small inputs, values worked out by hand -------------------------------------
def test_whatif_rows_golden_table() -> None:
    # three draws of four others; the county scores 80 and aims at position 2
    others = np.array([[90, 85, 82, 70], [88, 84, 79, 60], [91, 86, 81, 75]], dtype=float)
    marg = pd.DataFrame(
        {"level1": ["创新主体", "创新管理"], "indicator": ["k", "q"], "unit": ["家", "分"],
         "current_value": [10.0, 4.0], "points": [4.0, 4.0], "max_points": [10.0, 5.0],
         "headroom_points": [6.0, 1.0], "points_per_unit": [0.5, 1.0], "basis": ["b1", "b2"]}
    )  # fmt: skip
    w = table.whatif_rows(marg, mode="full_table", rnd=2024, county_code="130435", score=80.0,
                          others=others, target_position=2, note="n", simulated=True)  # fmt: skip
    # needed per draw: 2nd best + 0.01 = 85.01, 84.01, 86.01 -> median 85.01, 5 %: 84.01 + 0.1,
    # 95 %: 85.01 + 0.9; rank standing still: 4, 3, 4 -> 4. Indicator k: (85.01 - 80)/0.5 =
    # 10.02 units; at full headroom (86) only 90, 88, 91 are above -> 2. q: 5.01 needed > 1
    # headroom -> none; at 81: ranks 4, 3, 3 -> 3.
    want = pd.DataFrame(
        {"mode": "full_table", "round": 2024, "county_code": "130435", "indicator": ["k", "q"],
         "level1": ["创新主体", "创新管理"], "unit": ["家", "分"], "current_value": [10.0, 4.0],
         "points": [4.0, 4.0], "max_points": [10.0, 5.0], "headroom_points": [6.0, 1.0],
         "points_per_unit": [0.5, 1.0], "units_to_target": [10.02, np.nan],
         "rank_standing_still": 4, "rank_at_full_headroom": [2, 3], "target_position": 2,
         "score_now": 80.0, "score_needed": 85.01, "score_needed_low": 84.11,
         "score_needed_high": 85.91, "target_reachable_share": 1.0,
         "basis": ["b1; n", "b2; n"], "simulated": True}
    )  # fmt: skip
    pd.testing.assert_frame_equal(w.table, want, check_dtype=False)
    assert w.rank_now == (4.0, 3.1, 4.0)


def test_a_target_beyond_100_points_is_not_reachable_rather_than_100_01() -> None:
    # the best other is at 100 in two of three draws: position 1 needs 100.01 there
    others = np.array([[100, 95, 90], [99, 95, 90], [100, 96, 91]], dtype=float)
    (median, low, high), share = arithmetic.needed_interval(arithmetic.score_to_reach(others, 1))
    assert math.isnan(median) and math.isnan(high) and math.isnan(low)
    assert share == pytest.approx(1 / 3)
    w = table.WhatIf(pd.DataFrame(), (median, low, high), (1.0, 1.0, 1.0), share)
    assert table.needed_text(w) == "not reachable (reachable with 100 points in 33% of draws)"
    assert math.isnan(arithmetic.units_to_target(median - 80, 0.5, 30.0))
    # reachable in most draws: the median is a score, the top of the interval is not
    (median, low, high), share = arithmetic.needed_interval(np.array([95.0, 96.0, 100.01]))
    assert (median, low, math.isnan(high), share) == (96.0, 95.1, True, pytest.approx(2 / 3))


def test_gap_decomposition_golden_table() -> None:
    # target j (position 1) and county i (position 2); weights 10 and 5 points
    Z = np.array([[0.9, 0.6], [0.5, 1.0]])
    tab = matrices.Table(2024, ["131022", "130435"], ["固安县", "曲周县"], ["k1", "k2"],
                         ["家", "%"], Z, Z, np.array([10.0, 5.0]), np.array([11.5, 10.0]),
                         np.array([23.6, 20.0]), np.array([1, 2]), ["A", "A"])  # fmt: skip
    got = gap.gap_decomposition(tab, Z, np.array([10.0, 5.0]), "130435", 1)
    # G = 3.6 = k1 10*(0.9-0.5) = 4 + k2 5*(0.6-1) = -2 + qualitative 1.5 + residual 0.1
    want = pd.DataFrame(
        {"round": 2024, "county_code": "130435", "target_code": "131022",
         "component": ["曲周县", "k1", "k2", "创新管理", "residual", "固安县"],
         "kind": ["start", "indicator", "indicator", "qualitative", "residual", "end"],
         "points": [20.0, 4.0, -2.0, 1.5, 0.1, 23.6],
         "share_of_gap": [np.nan, 1.1111, -0.5556, 0.4167, 0.0278, np.nan]}
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, want, check_dtype=False, atol=1e-9)


def test_both_projections_of_one_seed_share_their_draws(evaluation_tables) -> None:
    """Own-report mode fits and draws once for both projections; each projection equals the
    one drawn afresh with the same seed, and both move the same drawn scores."""
    ind, sc, rounds = evaluation_tables
    _, rows, score = own_report.own_report(ind, sc, "130435")
    both, fits, others = own_report.own_report_whatifs(
        rows, score, rounds, 5, ("gap_share", "shift"), n_draws=300
    )
    basis = fits[0].round
    years = max(int(score["round"]), basis) + 1 - basis
    n_others = int(rounds.set_index("round").at[basis, "n_units"]) - 1
    gains = distributions.observed_yearly_gains(rounds)
    for how in ("gap_share", "shift"):
        fresh = distributions.draw_others(fits, n_others, gains, years, 300, seed=0)
        assert np.array_equal(others[how], distributions.project_draws(fits, fresh, how))
        assert both[how].table["basis"].str.contains(f"({how}; 300 draws)", regex=False).all()
    draws = distributions.draw_others(fits, n_others, gains, years, 300, seed=0)
    drawn = np.empty_like(others["shift"])
    for i, scores in enumerate(draws.scores):
        if scores is not None:
            drawn[draws.which == i] = scores
    assert np.array_equal(others["shift"], np.minimum(100.0, drawn + draws.gain[:, None]))
    assert (others["gap_share"] >= drawn).all() and (others["gap_share"] <= 100.0).all()
