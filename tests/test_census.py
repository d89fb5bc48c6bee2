"""Census covariates on current boundaries: real values checked against the files, and the
carry/sum/blank rules on a synthetic pair of censuses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.ingest import census

from .test_admin import write_synthetic_admin

SHARES = [
    "urban_share_2020", "urban_share_2010", "tertiary_share_2020", "tertiary_share_2010",
    "age_0_14_share_2020", "age_65_plus_share_2020", "industry_share_2020", "industry_share_2010",
]  # fmt: skip


@pytest.fixture(scope="module")
def cov(raw: Path) -> pd.DataFrame:
    return census.covariates(raw).set_index("code", drop=False)


@pytest.fixture(scope="module")
def c2010(raw: Path) -> pd.DataFrame:
    return census.read_census_2010(raw).set_index("code", drop=False)


def test_readers_keep_codes_as_text_and_na_as_nan(raw: Path) -> None:
    c20 = census.read_census_2020(raw)
    assert len(c20) == 202
    assert c20["code"].str.fullmatch(r"\d{6}").all()
    assert c20.columns[0] == "code"
    dacheng = c20.set_index("code").loc["131025"]
    assert dacheng["区县"] == "大城县"
    assert np.isnan(dacheng["采矿业"])  # 'NA' in the file
    assert dacheng["人口数_合计"] == 481902
    assert pd.api.types.is_float_dtype(c20["人口数_合计"])
    c10 = census.read_census_2010(raw)
    assert len(c10) == 184
    assert c10.set_index("code").loc["130428", "地区"] == "肥乡县"


def test_one_row_per_current_unit(cov: pd.DataFrame) -> None:
    assert len(cov) == 167
    assert cov["code"].is_unique
    assert not cov["code"].str[4].eq("7").any()
    assert list(cov.columns) == census.COVARIATE_COLUMNS
    assert cov["region"].value_counts().to_dict() == {"central": 97, "south": 36, "north": 34}


def test_quzhou(cov: pd.DataFrame) -> None:
    q = cov.loc["130435"]
    assert (q["name"], q["city"], q["region"], q["boundary_2010"]) == (
        "曲周县",
        "邯郸市",
        "south",
        "same",
    )
    assert q["population_2020"] == 463727
    assert q["population_2010"] == 427610
    assert q["pop_change"] == pytest.approx(463727 / 427610 - 1)
    assert q["urban_share_2020"] == pytest.approx(244750 / 463727)
    assert q["age_0_14_share_2020"] == pytest.approx(0.3059)
    # 2010 long form: 27123 employed, of whom 6 mining, 344 manufacturing, 32 utilities
    assert q["industry_share_2010"] == pytest.approx((6 + 344 + 32) / 27123)


def test_merged_unit_sums_its_2010_parts(cov: pd.DataFrame, c2010: pd.DataFrame) -> None:
    lianchi = cov.loc["130606"]  # 莲池区 = 北市区 130603 + 南市区 130604
    parts = c2010.loc[["130603", "130604"]]
    assert lianchi["boundary_2010"] == "merged"
    assert lianchi["codes_2010"] == "130603;130604"
    assert lianchi["population_2010"] == parts["合计"].sum() == 387339 + 287784
    assert lianchi["urban_share_2010"] == pytest.approx(
        parts["城镇人口"].sum() / parts["合计"].sum()
    )


def test_renamed_unit_carries_its_2010_values(cov: pd.DataFrame, c2010: pd.DataFrame) -> None:
    feixiang = cov.loc["130407"]
    assert feixiang["boundary_2010"] == "renamed"
    assert feixiang["codes_2010"] == "130428"
    assert feixiang["population_2010"] == c2010.loc["130428", "合计"] == 351690


def test_split_and_changed_units_get_no_2010_values(cov: pd.DataFrame) -> None:
    for code, boundary in [
        ("130402", "split"),  # 邯山区: parts of 邯郸县 (and of 磁县)
        ("130403", "split"),  # 丛台区: parts of 邯郸县 and 永年县
        ("130408", "split"),  # 永年区: the rest of 永年县
        ("130502", "split"),  # 襄都区: part of 邢台县
        ("130404", "changed"),  # 复兴区: part of 磁县
        ("130427", "changed"),  # 磁县 gave parts away
    ]:
        row = cov.loc[code]
        assert row["boundary_2010"] == boundary, code
        assert row[["population_2010", "urban_share_2010", "tertiary_share_2010"]].isna().all()
        assert np.isnan(row["pop_change"])
        assert row["codes_2010"] == ""
        assert row["population_2020"] > 0


def test_2010_values_follow_codes_not_the_swapped_names(cov: pd.DataFrame, c2010) -> None:
    """The 2010 file labels 130207 丰润区 and 130208 丰南区: the names are swapped, the codes
    are right (丰润区 130208 has 916,092 people in 2010 and 800,740 in 2020)."""
    assert c2010.loc["130208", "地区"] == "丰南区"  # the defect; if fixed, update this test
    assert cov.loc["130208", "name"] == "丰润区"
    assert cov.loc["130208", "population_2010"] == 916092


def test_shares_are_fractions(cov: pd.DataFrame) -> None:
    values = cov[SHARES]
    assert ((values >= 0) & (values <= 1) | values.isna()).all().all()
    assert values[[c for c in SHARES if c.endswith("2020")]].notna().all().all()
    assert cov["population_2010"].notna().sum() == 150  # 167 minus 13 split and 4 changed
    assert cov["tertiary_share_2020"].median() < 0.2  # a share, not a percent


def test_tertiary_denominator_is_the_population_aged_6_plus(raw: Path) -> None:
    c20 = census.read_census_2020(raw)
    counts = census.census_counts(c20, census.COLUMNS_2020)
    ratio = counts["educated"] / counts["population"]
    assert ratio.between(0.88, 0.99).all()  # total minus the under-6s


# ---------------------------------------------------------------------------------------------
# synthetic censuses on the synthetic history of test_admin


def _census_csv(path: Path, spec: census.CensusColumns, rows: dict[str, dict], extra=()) -> None:
    header = ["区划代码", *spec.text, spec.population, spec.urban, *spec.education,
              spec.industry_total, *spec.industry, *extra]  # fmt: skip
    lines = [",".join(header)]
    for code, v in rows.items():
        values = {c: "0" for c in header}
        values.update({"区划代码": code, **{t: "x" for t in spec.text}})
        values[spec.population] = str(v["pop"])
        values[spec.urban] = str(v["urban"])
        values[spec.education[2]] = str(v["educated"] - v["tertiary"])  # 小学 / 学前教育, male
        values[spec.tertiary[1]] = str(v["tertiary"])
        values[spec.industry_total] = str(v["employed"])
        values[spec.industry[1]] = str(v["industry"])  # 制造业
        values[spec.industry[0]] = v.get("mining", "NA")
        values.update({c: "20" for c in extra})
        lines.append(",".join(values[c] for c in header))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def _unit(pop: int) -> dict:
    return {"pop": pop, "urban": pop // 2, "educated": pop - 10, "tertiary": 10,
            "employed": 100, "industry": 25}  # fmt: skip


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    raw = write_synthetic_admin(tmp_path / "raw")
    units_2010 = ["130102", "130104", "130105", "130106", "130107", "130121", "130122",
                  "130123", "130124", "130129", "130202", "130203", "130221"]  # fmt: skip
    rows_2010 = {c: _unit(1000 * (i + 1)) for i, c in enumerate(units_2010)}
    rows_2010["130104"]["urban"] = 2000  # all urban: merged share must be recomputed
    rows_2010["130104"]["mining"] = "5"
    current = ["130102", "130103", "130106", "130122", "130126", "130129", "130171", "130181",
               "130202", "130203", "130221"]  # fmt: skip
    rows_2020 = {c: _unit(500 * (i + 1)) for i, c in enumerate(current)}
    _census_csv(raw / census.CENSUS_2010_FILE, census.COLUMNS_2010, rows_2010)
    _census_csv(raw / census.CENSUS_2020_FILE, census.COLUMNS_2020, rows_2020,
                extra=(census.AGE_0_14_2020, census.AGE_65_PLUS_2020))  # fmt: skip
    return raw


def test_synthetic_covariates(synthetic: Path) -> None:
    cov = census.covariates(synthetic).set_index("code")
    assert len(cov) == 10 and "130171" not in cov.index
    # 新区 = 北区 (2000 people, all urban, 5 miners) + 南区 (3000, half urban)
    xin = cov.loc["130103"]
    assert (xin["boundary_2010"], xin["codes_2010"]) == ("merged", "130104;130105")
    assert xin["population_2010"] == 5000
    assert xin["urban_share_2010"] == pytest.approx((2000 + 1500) / 5000)
    assert xin["tertiary_share_2010"] == pytest.approx(20 / (1990 + 2990))
    assert xin["industry_share_2010"] == pytest.approx((25 + 5 + 25) / 200)
    # 东区 absorbed 小区 (130107, 5000 people) in 2013
    assert cov.loc["130102", "population_2010"] == 1000 + 5000
    # renamed twice: 己县 -> 己区 -> 己市 carries 己县's 2010 values
    assert cov.loc["130126", "population_2010"] == 9000
    assert cov.loc["130126", "pop_change"] == pytest.approx(2500 / 9000 - 1)
    assert cov.loc["130129", "boundary_2010"] == "same"
    for code in ("130106", "130122", "130202", "130221"):
        assert np.isnan(cov.loc[code, "population_2010"]), code
    assert cov["age_0_14_share_2020"].eq(0.2).all()
    assert cov.loc["130129", "industry_share_2020"] == pytest.approx(0.25)


def test_missing_2010_row_is_a_data_error(synthetic: Path) -> None:
    path = synthetic / census.CENSUS_2010_FILE
    lines = [line for line in path.read_text().splitlines() if not line.startswith("130105")]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="130105"):
        census.covariates(synthetic)


def test_bad_number_names_row_and_column(synthetic: Path) -> None:
    path = synthetic / census.CENSUS_2020_FILE
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("城镇人口")] = "12O0"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="12O0") as info:
        census.read_census_2020(synthetic)
    assert (info.value.row, info.value.column) == (4, "城镇人口")


def test_missing_column_is_a_data_error(synthetic: Path) -> None:
    path = synthetic / census.CENSUS_2020_FILE
    path.write_text(path.read_text().replace("城镇人口", "城镇"))
    with pytest.raises(DataError) as info:
        census.read_census_2020(synthetic)
    assert info.value.column == "城镇人口"
