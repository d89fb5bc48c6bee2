"""Ranking: published positions, the outcome and covariates, separation, models and peers.

The real tables are built by the ingest into a temporary folder and read back the way the
notebook reads them (files, codes as text), so nothing here depends on a previous `make report`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import ranking
from analysis.errors import DataError
from analysis.ingest import public as ingest
from analysis.ranking import covariates, separation, structural, work_report


@pytest.fixture(scope="module")
def inputs(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    processed = tmp_path_factory.mktemp("processed")
    ingest.write_public_tables(raw, processed)
    return ranking.read_inputs(processed)


@pytest.fixture(scope="module")
def frame(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    top = ranking.top_list(inputs["evaluation_classes"], inputs["county_codes"], 2023)
    return ranking.model_frame(inputs["county_covariates"], top)


@pytest.fixture(scope="module")
def zframe(frame: pd.DataFrame) -> pd.DataFrame:
    return ranking.standardise(frame, (*ranking.CONTINUOUS, ranking.POP_CHANGE))[0]


@pytest.fixture(scope="module")
def models(zframe: pd.DataFrame) -> list[structural.FittedModel]:
    return ranking.fit_structural_models(zframe)


# --- reading ------------------------------------------------------------------------------------
def test_inputs_keep_codes_as_text_and_positions_as_integers(inputs) -> None:
    classes = inputs["evaluation_classes"]
    assert classes["county_code"].str.fullmatch(r"\d{6}").all()
    assert str(classes["position"].dtype) == "Int64"
    assert inputs["county_covariates"]["code"].iloc[0] == "130102"


def test_missing_input_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"evaluation_rounds\.csv"):
        ranking.read_inputs(tmp_path)


# --- published layer ------------------------------------------------------------------------------
def test_class_counts_2024_show_b_plus_c_as_derived_and_2022_is_absent(inputs) -> None:
    counts = ranking.class_counts_long(inputs["evaluation_rounds"]).set_index(["round", "class"])
    assert counts.loc[(2024, "A"), "count"] == 82
    assert counts.loc[(2024, "B+C"), ["count", "status"]].tolist() == [85, "derived"]
    assert counts.loc[(2020, "A"), "status"] == "derived"
    assert 2022 not in counts.index.get_level_values("round")


def test_mean_gain_spans_two_years_over_the_unpublished_round(inputs) -> None:
    gains = ranking.mean_score_gains(inputs["evaluation_rounds"]).set_index("round")
    assert gains.loc[2023, "years_since_previous"] == 2
    assert gains.loc[2023, "gain_per_year"] == pytest.approx(round((72.92 - 61.07) / 2, 2))


@pytest.mark.parametrize(
    ("year", "month", "expected"), [(2022, 11, 2021), (2023, 6, 2021), (2023, 12, 2023)]
)
def test_latest_round_known_skips_the_unpublished_2022_round(inputs, year, month, expected):
    assert work_report.latest_round_known(inputs["evaluation_rounds"], year, month) == expected


def test_report_written_needs_a_before_date(inputs) -> None:
    figures = inputs["work_report_figures"].copy()
    assert work_report.report_written(figures) == (2022, 11)
    i = figures.index[figures["indicator_zh"] == work_report.REPORT_PROVINCE_RANK][0]
    figures.loc[i, "period"] = "2022"
    with pytest.raises(DataError) as err:
        work_report.report_written(figures)
    assert err.value.column == "period" and err.value.row == i + 2


def test_the_bundled_work_report_belongs_to_the_unit_its_provenance_names(inputs) -> None:
    code = ranking.work_report_county(inputs["provenance"], inputs["county_codes"])
    publisher = inputs["provenance"].set_index("file").loc["reference/work_report_2022.txt"]
    name = inputs["county_codes"].set_index("code").loc[code, "name"]
    assert name in publisher["publisher"]


def test_report_claims_go_to_the_2021_round_as_inferences(inputs) -> None:
    claims = ranking.report_claims(
        inputs["work_report_figures"], inputs["evaluation_rounds"], "130435",
        inputs["county_codes"],
    )  # fmt: skip
    assert claims["round"].tolist() == [2019, 2020, 2021]
    assert (claims["attribution"] == "inferred").all() and (claims["class"] == "A").all()
    last = claims.set_index("round").loc[2021]
    assert (last["position"], last["city_position"], last["n_in_class"]) == (8, 1, 32)
    assert "inference" in last["basis"]


def test_published_positions_derive_city_positions_from_the_ordered_list(inputs) -> None:
    pos = ranking.published_positions(
        inputs["evaluation_classes"], inputs["evaluation_rounds"], inputs["county_codes"],
        "130407", "邯郸市",
    )  # fmt: skip
    ranking.PUBLISHED_POSITIONS.validate(pos)
    y2023 = pos[pos["round"] == 2023].set_index("county")
    assert y2023["position"].to_dict() == {"肥乡区": 32, "曲周县": 13, "永年区": 44, "成安县": 46}
    assert y2023["city_position"].to_dict() == {"肥乡区": 2, "曲周县": 1, "永年区": 3, "成安县": 4}
    assert y2023.loc["肥乡区", "role"] == "county" and y2023.loc["曲周县", "role"] == "city_peer"
    assert (pos["city"] == "邯郸市").all()
    inferred_2019 = pos[(pos["round"] == 2019) & (pos["county"] == "邯山区")]
    assert inferred_2019[["class", "attribution"]].values.tolist() == [["B", "inferred"]]


def test_a_county_outside_the_city_is_an_error(inputs) -> None:
    with pytest.raises(DataError, match="not in 石家庄市"):
        ranking.published_positions(
            inputs["evaluation_classes"], inputs["evaluation_rounds"], inputs["county_codes"],
            "130435", "石家庄市",
        )  # fmt: skip


# --- outcome and covariates -----------------------------------------------------------------------
def test_top_list_is_the_49_published_positions(inputs) -> None:
    top = ranking.top_list(inputs["evaluation_classes"], inputs["county_codes"], 2023)
    assert top["position"].tolist() == list(range(1, 50))
    assert top.set_index("code").loc[["130435", "130407"], "position"].tolist() == [13, 32]
    assert ranking.latest_ordered_round(inputs["evaluation_classes"]) == 2023


def _one_row(code: str, position: int, county: str = "x") -> pd.DataFrame:
    return pd.DataFrame(
        {"round": [2023], "county_code": [code], "county": [county],
         "position": pd.array([position], dtype="Int64")}
    )  # fmt: skip


def test_top_list_maps_old_codes_to_current_ones(inputs) -> None:
    old = _one_row("130428", 1, "肥乡县")  # 肥乡县 became 肥乡区 (130407) in 2016
    top = ranking.top_list(old, inputs["county_codes"], 2023)
    assert top.to_dict("records") == [{"code": "130407", "position": 1}]


def test_top_list_refuses_a_split_unit(inputs) -> None:
    split = pd.concat([_one_row("130102", 1), _one_row("130103", 2, "桥东区")], ignore_index=True)
    with pytest.raises(DataError, match="split into 130102, 130104") as err:
        ranking.top_list(split, inputs["county_codes"], 2023)
    assert (err.value.row, err.value.column) == (3, "county_code")


def test_top_list_refuses_gaps(inputs) -> None:
    gap = pd.concat([_one_row("130102", 1), _one_row("130104", 3)], ignore_index=True)
    with pytest.raises(DataError, match="without gaps") as err:
        ranking.top_list(gap, inputs["county_codes"], 2023)
    assert err.value.column == "position"


def test_model_frame_has_every_current_unit_and_49_positives(frame: pd.DataFrame) -> None:
    assert len(frame) == 167 and frame["code"].is_unique
    assert frame["in_top"].sum() == 49
    assert (frame["position"].notna() == (frame["in_top"] == 1)).all()
    row = frame.set_index("code").loc["130435"]
    assert row["log_population_2020"] == pytest.approx(math.log(463727))
    assert row["is_district"] == 0 and frame.set_index("code").loc["130407", "is_district"] == 1
    assert frame["pop_change"].isna().sum() == 17  # split or changed since 2010


def test_model_frame_refuses_a_listed_unit_without_covariates(inputs) -> None:
    top = pd.DataFrame({"code": ["139999"], "position": [1]})
    with pytest.raises(DataError, match="139999"):
        ranking.model_frame(inputs["county_covariates"], top)


def test_standardise_gives_mean_0_sd_1_and_keeps_missing(frame: pd.DataFrame) -> None:
    z, stats = ranking.standardise(frame, ("urban_share_2020", "pop_change"))
    assert z["urban_share_2020"].mean() == pytest.approx(0, abs=1e-12)
    assert z["pop_change"].std() == pytest.approx(1)
    assert z["pop_change"].isna().sum() == 17
    assert stats.at["urban_share_2020", "mean"] == pytest.approx(frame["urban_share_2020"].mean())


def test_design_matrix_refuses_missing_rows(zframe: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="17 row"):
        covariates.design_matrix(zframe, (*ranking.CONTINUOUS, ranking.POP_CHANGE))
    X = covariates.design_matrix(zframe, ranking.CONTINUOUS)
    assert list(X.columns[-3:]) == ["is_district", "region_north", "region_south"]
    assert X["const"].eq(1).all() and len(X) == 167


# --- separation ---------------------------------------------------------------------------------
def test_separation_table_flags_cities_without_a_listed_unit(frame: pd.DataFrame) -> None:
    sep = ranking.separation_table(frame, "in_top", "city").set_index("category")
    assert sorted(sep.index[sep["separates"]]) == ["承德市", "秦皇岛市"]
    assert sep.loc["承德市", ["n", "n_positive"]].tolist() == [11, 0]
    regions = ranking.separation_table(frame, "in_top", "region")
    assert not regions["separates"].any()


def test_check_separation_raises_on_a_city_dummy(zframe: pd.DataFrame) -> None:
    X = covariates.design_matrix(zframe, ranking.CONTINUOUS)
    separation.check_separation(X, zframe["in_top"])  # the model's own dummies are fine
    X["city_承德市"] = (zframe["city"] == "承德市").astype(int)
    with pytest.raises(separation.SeparationError, match=r"city_承德市.*all 11 units"):
        separation.check_separation(X, zframe["in_top"])
    with pytest.raises(separation.SeparationError):
        structural.fit_binary(zframe, X)


def test_check_separation_on_ordered_groups_and_the_zero_side() -> None:
    X = pd.DataFrame({"const": 1.0, "d": [1, 1, 0, 0, 0], "x": [0.1, 0.5, 0.2, 0.9, 0.3]})
    separation.check_separation(X, pd.Series([0, 2, 1, 0, 2]))
    with pytest.raises(separation.SeparationError, match="highest"):
        separation.check_separation(X, pd.Series([2, 2, 1, 0, 2]))
    with pytest.raises(separation.SeparationError, match="d = 0"):
        separation.check_separation(X, pd.Series([1, 0, 0, 0, 0]))


def test_drop_sparse_dummies_drops_north_among_the_listed(zframe: pd.DataFrame) -> None:
    listed = zframe[zframe["in_top"] == 1]
    X, dropped = separation.drop_sparse_dummies(
        covariates.design_matrix(listed, ranking.CONTINUOUS)
    )
    assert dropped == ["region_north"]  # one northern unit in the top 49
    assert "region_south" in X.columns


# --- models -------------------------------------------------------------------------------------
def test_models_fit_on_the_real_data(models, zframe) -> None:
    by_name = {m.name: m for m in models}
    assert {n: m.n_obs for n, m in by_name.items()} == {
        "in_top_logit": 167, "in_top_probit": 167, "in_top_logit_pop_change": 150,
        "in_top_probit_pop_change": 150, "position_ols_log": 49, "position_ordered_grouped": 49,
    }  # fmt: skip
    logit = by_name["in_top_logit"].result
    assert (logit.method, logit.cov_type, logit.converged) == ("firth", "cluster", True)
    assert logit.df == 10  # 11 cities: t reference on 10 degrees of freedom
    # Firth shrinks towards 0.5: the near-separated 冀北 dummy (1 listed of 34) is smaller in
    # size than the ML estimate, and its standard error finite
    ml = sm.Logit(zframe["in_top"], logit.X).fit(disp=False)
    assert abs(logit.params["region_north"]) < abs(ml.params["region_north"])
    assert by_name["position_ols_log"].dropped == ("region_north",)
    thresholds = [t for t in by_name["position_ordered_grouped"].result.params.index if "/" in t]
    assert len(thresholds) == 2  # three groups, two cut-points, no constant


def test_structural_table_has_marginal_effects_for_binary_models(models) -> None:
    table = ranking.structural_table(models)
    ranking.STRUCTURAL.validate(table)
    me = table[table["quantity"] == "marginal_effect"]
    assert sorted(me["model"].unique()) == sorted(
        ["in_top_logit", "in_top_probit", "in_top_logit_pop_change", "in_top_probit_pop_change"]
    )
    assert len(me[me["model"] == "in_top_logit"]) == 9  # 6 continuous, district, 2 regions
    assert "const" not in set(me["term"])
    assert (me["ci_low"] < me["estimate"]).all() and (me["estimate"] < me["ci_high"]).all()
    # a marginal effect is significant exactly when its coefficient is: same p-value, and
    # its interval excludes 0 exactly when the coefficient's does (the 冀北 dummy was p = 0.002
    # as a delta-method effect but p = 0.108 as a coefficient)
    coef = table[table["quantity"] == "coefficient"].set_index(["model", "term"])
    for row in me.itertuples():
        c = coef.loc[(row.model, row.term)]
        assert row.p_value == c["p_value"]
        assert (row.ci_low > 0 or row.ci_high < 0) == (c["ci_low"] > 0 or c["ci_high"] < 0)
    assert me["std_err"].isna().all()
    # VIFs beside every slope, none beside the constant
    slopes = table[(table["quantity"] == "coefficient") & (table["term"] != "const")]
    assert (slopes["vif"] >= 1).all()
    assert table.loc[table["term"] == "const", "vif"].isna().all()
    # all 11 cities in the binary models; 9 have a listed unit (承德, 秦皇岛 none)
    assert set(table["cov_type"]) == {"cluster by city (11), t", "cluster by city (9), t"}


def test_position_groups_split_at_10_and_25() -> None:
    g = structural.position_group(pd.Series([1, 10, 11, 25, 26, 49]))
    assert g.astype(str).tolist() == ["1-10", "1-10", "11-25", "11-25", "26-49", "26-49"]
    assert g.cat.ordered


# --- where the county sits, peers ----------------------------------------------------------------
def test_fitted_table_and_county_standing(zframe, models) -> None:
    fitted = ranking.fitted_table(zframe, models[0], models[1])
    me = ranking.county_standing(fitted, "130407")
    assert me["in_top"] == 1 and me["position"] == 32
    expected = (fitted["p_logit"] <= me["p_logit"]).mean()
    assert me["fitted_percentile"] == pytest.approx(expected)
    assert me["residual"] == pytest.approx(1 - me["p_logit"])
    with pytest.raises(DataError, match="139999"):
        ranking.county_standing(fitted, "139999")


def test_nearest_peers_orders_by_distance_and_excludes_the_county() -> None:
    toy = pd.DataFrame(
        {"code": ["1", "2", "3", "4"], "name": list("abcd"), "city": "c", "kind": "county",
         "in_top": [1, 0, 1, 0], "position": pd.array([3, None, 7, None], dtype="Int64"),
         "u": [0.0, 1.0, 3.0, 10.0], "v": [0.0, 0.0, 0.0, 1.0]}
    )  # fmt: skip
    peers = ranking.nearest_peers(toy, "2", k=2, features=("u", "v"))
    assert peers["code"].tolist() == ["1", "3"] and peers["peer_rank"].tolist() == [1, 2]
    z = (toy[["u", "v"]] - toy[["u", "v"]].mean()) / toy[["u", "v"]].std()
    assert peers["distance"].iloc[0] == pytest.approx(abs(z["u"][0] - z["u"][1]))


def test_core_functions_run_for_feixiang(inputs, frame, zframe, models) -> None:
    """The county is a parameter: 邯郸市肥乡区 (130407), a district, listed 32nd."""
    code, city = "130407", "邯郸市"
    peers = ranking.nearest_peers(frame, code, k=5)
    assert len(peers) == 5 and code not in set(peers["code"])
    assert (peers["kind"] == "district").all()  # district status is a feature
    fitted = ranking.with_peers(ranking.fitted_table(zframe, models[0], models[1]), peers, code)
    ranking.FITTED.validate(fitted)
    assert fitted.loc[fitted["is_county"], "code"].tolist() == [code]
    assert fitted["peer_rank"].notna().sum() == 5
    report_unit = ranking.work_report_county(inputs["provenance"], inputs["county_codes"])
    assert report_unit != code  # the bundled report is not this county's: no claims attached
    pos = ranking.published_positions(
        inputs["evaluation_classes"], inputs["evaluation_rounds"], inputs["county_codes"],
        code, city,
    )  # fmt: skip
    mine = pos[pos["role"] == "county"]
    assert mine[["round", "position", "attribution"]].values.tolist() == [[2023, 32, "published"]]


def test_fitted_schema_refuses_two_county_rows(zframe, models) -> None:
    fitted = ranking.fitted_table(zframe, models[0], models[1])
    peers = ranking.nearest_peers(zframe, "130435", k=5)
    table = ranking.with_peers(fitted, peers, "130435")
    table.loc[0, "is_county"] = True
    with pytest.raises(Exception, match="exactly one row is the county"):
        ranking.FITTED.validate(table)
    assert np.isfinite(fitted["p_probit"]).all()
