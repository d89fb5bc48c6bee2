"""The county's evaluation report and the full table: formats, tidy tables, and every check
tested with a bad input (tests/data/bad/evaluation/README.md lists the expected outcomes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import schemas
from analysis.errors import DataError
from analysis.ingest import evaluation_report

REPO = Path(__file__).resolve().parents[1]
STANDIN = REPO / "data" / "internal" / "simulated"
BAD = REPO / "tests" / "data" / "bad" / "evaluation"


def folder_with(tmp_path: Path, *files: Path) -> Path:
    """An internal-data folder whose evaluation/ holds just ``files``."""
    (tmp_path / "evaluation").mkdir()
    for f in files:
        shutil.copy(f, tmp_path / "evaluation" / f.name)
    return tmp_path


@pytest.fixture(scope="module")
def tables(raw: Path) -> dict[str, pd.DataFrame]:
    return evaluation_report.ingest(STANDIN, raw, simulated=True)


# ---------------------------------------------------------------------------------------------
# formats


def test_csv_and_xlsx_of_the_same_report_read_the_same() -> None:
    csv = evaluation_report.read_report(STANDIN / "evaluation" / "report_2021_130435.csv")
    xlsx = evaluation_report.read_report(STANDIN / "evaluation" / "report_2021_130435.xlsx")
    cols = ["round", "data_year", "county_code", "level1", "level2", "value", "points"]
    pd.testing.assert_frame_equal(csv[cols], xlsx[cols])
    assert len(csv) == 20  # 17 indicators + 总得分, 等级, 全省位次


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_own_report_alone_ingests_in_either_format(tmp_path: Path, raw: Path, ext: str) -> None:
    d = folder_with(tmp_path, STANDIN / "evaluation" / f"report_2023_130435.{ext}")
    out = evaluation_report.ingest(d, raw, simulated=True)
    sc = out["evaluation_scores"]
    assert sc[["round", "county_code", "class", "position"]].values.tolist() == [
        [2023, "130435", "A", 13]
    ]
    ind = out["evaluation_indicators"].set_index("level2")
    assert ind.at["高新技术企业数量", "value"] == 33
    assert ind.at["万人发明专利拥有量", "value"] == pytest.approx(6.02)


def test_no_evaluation_folder_gives_empty_tables_and_a_note(tmp_path: Path, raw: Path) -> None:
    out = evaluation_report.ingest(tmp_path, raw, simulated=False, county_code="130407")
    assert len(out["evaluation_scores"]) == 0 and len(out["evaluation_indicators"]) == 0
    checks = out["evaluation_checks"]
    assert checks[["check", "result"]].values.tolist() == [["county_reports", "note"]]
    assert checks["detail"].iloc[0].startswith("no evaluation reports in evaluation/")
    schemas.write_tables(evaluation_report.tables_with_schemas(out), tmp_path / "out")
    assert (tmp_path / "out" / "evaluation_scores.csv").is_file()


def test_a_county_without_its_own_report_is_noted_and_counts_from_the_full_table(
    tmp_path: Path, raw: Path
) -> None:
    d = folder_with(
        tmp_path,
        STANDIN / "evaluation" / "full_2023.csv",
        STANDIN / "evaluation" / "report_2023_130435.csv",
    )
    own = evaluation_report.ingest(d, raw, simulated=True, county_code="130435")
    assert "county_reports" not in set(own["evaluation_checks"]["check"])
    other = evaluation_report.ingest(d, raw, simulated=True, county_code="130407")
    note = other["evaluation_checks"].set_index("check").loc["county_reports"]
    assert note["result"] == "note"
    assert note["detail"] == (
        "no own evaluation report for 130407 in round(s) 2023; its scores for 2023 come from "
        "the full table(s)"
    )
    scores = other["evaluation_scores"]
    assert scores.loc[scores["county_code"] == "130407", "round"].tolist() == [2023]
    (tmp_path / "alone").mkdir()
    alone = folder_with(tmp_path / "alone", STANDIN / "evaluation" / "report_2023_130435.csv")
    none = evaluation_report.ingest(alone, raw, simulated=True, county_code="130407")
    detail = none["evaluation_checks"].set_index("check").at["county_reports", "detail"]
    assert detail.startswith("no evaluation report for 130407 and no full table that holds it")


def test_english_headers_and_unknown_indicator_names_are_accepted(
    tmp_path: Path, raw: Path
) -> None:
    df = pd.read_csv(STANDIN / "evaluation" / "report_2021_130435.csv", dtype=str,
                     keep_default_na=False, encoding="utf-8-sig")  # fmt: skip
    english = {zh: en for zh, en in [*evaluation_report.HEADERS.values(),
                                     *evaluation_report.OPTIONAL_HEADERS.values()]}  # fmt: skip
    df = df.rename(columns=english)
    df.loc[df["level2"] == "R&D经费投入强度", "level2"] = "研发投入强度(自定义)"
    (tmp_path / "evaluation").mkdir()
    df.to_csv(tmp_path / "evaluation" / "mine.csv", index=False, encoding="utf-8-sig")
    out = evaluation_report.ingest(tmp_path, raw, simulated=False)
    ind = out["evaluation_indicators"].set_index("level2")
    assert not ind.at["研发投入强度(自定义)", "indicator_named_in_sources"]
    assert not ind["assumed_name"].any()  # a user's report names its indicators as printed
    assert ind.at["高新技术企业数量", "indicator_named_in_sources"]
    assert not out["evaluation_scores"]["simulated"].any()


def test_metadata_files_in_capitals_are_not_reports() -> None:
    names = [p.name for p in evaluation_report.report_files(STANDIN / "evaluation")]
    assert "CALIBRATION.csv" not in names and "ANCHORS.csv" not in names
    assert "full_2019.csv" in names and "report_2024_130435.xlsx" in names


# ---------------------------------------------------------------------------------------------
# the tidy tables


def test_tables_have_their_columns_and_validate(tables: dict[str, pd.DataFrame]) -> None:
    assert list(tables["evaluation_indicators"].columns) == evaluation_report.INDICATOR_COLUMNS
    assert list(tables["evaluation_scores"].columns) == evaluation_report.SCORE_COLUMNS
    for name, (df, schema) in evaluation_report.tables_with_schemas(tables).items():
        schemas.validate(df, schema, name)


def test_every_round_has_its_units_and_the_2022_round_is_marked_unpublished(
    tables: dict[str, pd.DataFrame],
) -> None:
    sc = tables["evaluation_scores"]
    assert sc.groupby("round").size().to_dict() == {
        2019: 168, 2020: 168, 2021: 167, 2022: 167, 2023: 167, 2024: 167
    }  # fmt: skip
    published = sc.groupby("round")["round_published"].first().to_dict()
    assert published == {2019: True, 2020: True, 2021: True, 2022: False, 2023: True, 2024: True}
    assert "130521" in set(sc.loc[sc["round"] == 2020, "county_code"])  # 邢台县, codes of the time
    assert "130521" not in set(sc.loc[sc["round"] == 2021, "county_code"])


def test_points_split_85_plus_15(tables: dict[str, pd.DataFrame]) -> None:
    sc = tables["evaluation_scores"]
    total = sc["quantitative_points"] + sc["qualitative_points"]
    assert (total - sc["score"]).abs().max() < 0.006
    assert sc["quantitative_points"].max() <= 85 and sc["qualitative_points"].max() <= 15
    ind = tables["evaluation_indicators"]
    one = ind[(ind["round"] == 2023) & (ind["county_code"] == "130435")]
    assert len(one) == 17
    assert one.loc[one["level1"] == "创新管理", "max_points"].sum() == 15


def test_named_and_assumed_indicator_flags(tables: dict[str, pd.DataFrame]) -> None:
    ind = tables["evaluation_indicators"]
    one = ind[(ind["round"] == 2021) & (ind["county_code"] == "130435")]
    assert one["indicator_named_in_sources"].sum() == 5
    assert one["assumed_name"].sum() == 12
    assert (one["assumed_name"] == ~one["indicator_named_in_sources"]).all()


def test_the_checks_table_lists_every_check_passed(tables: dict[str, pd.DataFrame]) -> None:
    checks = tables["evaluation_checks"]
    assert checks["check"].tolist() == [c.name for c in evaluation_report.CHECKS]
    assert (checks["result"] == "passed").all()
    detail = checks.set_index("check")["detail"]
    assert (
        detail["unit_count"] == "2019: 168; 2020: 168; 2021: 167; 2022: 167; 2023: 167; 2024: 167"
    )


# ---------------------------------------------------------------------------------------------
# bad inputs (tests/data/bad/evaluation/README.md)

BAD_CASES = [
    ("points_over_max.csv", 6, "得分", "outside 0..7"),
    ("quantitative_missing_one.csv", 14, "满分", "13 quantitative indicators worth 80"),
    ("qualitative_worth_16.csv", 18, "满分", "worth 16 points"),
    ("class_disagrees_with_score.csv", 20, "指标值", "score 87.17 is class A"),
    ("score_not_sum_of_points.csv", 19, "指标值", "not the sum of the points"),
    ("position_outside_class_range.csv", 21, "指标值", "lies in class B"),
    ("position_beyond_units.csv", 21, "指标值", "outside 1..167"),
    ("position_disagrees_with_published_list.csv", 21, "指标值", "published A list has 13"),
    ("unknown_code.csv", 2, "区划代码", "not a county-level unit"),
    ("unit_not_of_the_round.csv", 2, "区划代码", "not a county-level unit of the 2019 round"),
    ("name_does_not_match_code.csv", 2, "县(市、区)", "does not name 130435"),
    ("missing_column.csv", 1, "满分", "missing column"),
    ("value_not_a_number.csv", 6, "指标值", "not a number"),
]


@pytest.mark.parametrize(("name", "row", "column", "message"), BAD_CASES)
def test_bad_report_names_file_row_and_column(
    tmp_path: Path, raw: Path, name: str, row: int, column: str, message: str
) -> None:
    d = folder_with(tmp_path, BAD / name)
    with pytest.raises(DataError, match=message) as err:
        evaluation_report.ingest(d, raw, simulated=False)
    assert Path(err.value.file).name == name
    assert (err.value.row, err.value.column) == (row, column)


def test_every_bad_file_is_documented_and_tested() -> None:
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in BAD.glob("*.csv"))
    assert files == sorted(c[0] for c in BAD_CASES)
    assert all(f"| {f} |" in readme for f in files)


def _full_2021(tmp_path: Path) -> pd.DataFrame:
    return pd.read_csv(STANDIN / "evaluation" / "full_2021.csv", dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")  # fmt: skip


def _write(tmp_path: Path, df: pd.DataFrame, name: str = "full_2021.csv") -> Path:
    (tmp_path / "evaluation").mkdir(exist_ok=True)
    df.to_csv(tmp_path / "evaluation" / name, index=False, encoding="utf-8-sig")
    return tmp_path


def test_full_table_missing_a_unit_is_an_error(tmp_path: Path, raw: Path) -> None:
    df = _full_2021(tmp_path)
    df = df[df["区划代码"] != "130102"]  # 长安区
    with pytest.raises(DataError, match=r"166 units, the round has 167; missing \['130102'\]") as e:
        evaluation_report.ingest(_write(tmp_path, df), raw, simulated=True)
    assert e.value.column == "区划代码" and e.value.row is not None


def test_positions_that_contradict_scores_are_an_error(tmp_path: Path, raw: Path) -> None:
    df = _full_2021(tmp_path)
    pos = df["二级指标"] == "全省位次"
    first = pos & (df["指标值"] == "1")
    second = pos & (df["指标值"] == "2")
    df.loc[first, "指标值"], df.loc[second, "指标值"] = "2", "1"
    with pytest.raises(DataError, match="position 2 with score") as e:
        evaluation_report.ingest(_write(tmp_path, df), raw, simulated=True)
    assert e.value.row == int(df.index[first][0]) + 2 and e.value.column == "指标值"


def test_full_table_mean_off_the_published_mean_is_an_error(tmp_path: Path, raw: Path) -> None:
    df = _full_2021(tmp_path)
    last = df.loc[(df["二级指标"] == "全省位次") & (df["指标值"] == "167"), "区划代码"].iloc[0]
    mine = df["区划代码"] == last
    total = mine & (df["二级指标"] == "总得分")
    score = float(df.loc[total, "指标值"].iloc[0]) - 1
    df.loc[total, ["指标值", "得分"]] = f"{score:.2f}"
    rows = df.index[mine & (df["一级指标"] != "合计")]
    q = rows[df.loc[rows, "得分"].astype(float).argmax()]
    df.loc[q, "得分"] = f"{float(df.at[q, '得分']) - 1:.2f}"
    with pytest.raises(DataError, match=r"mean score 61\.064, published 61\.07") as e:
        evaluation_report.ingest(_write(tmp_path, df), raw, simulated=True)
    assert e.value.column == "指标值"


def test_class_counts_off_the_published_counts_are_an_error(raw: Path) -> None:
    ind, sc, _ = evaluation_report.read_folder(STANDIN / "evaluation")
    ctx = {"rounds": pd.DataFrame({"round": [2021], "n_A": [33], "n_B": [65], "n_C": [69],
                                   "n_A_status": ["published"], "n_B_status": ["published"],
                                   "n_C_status": ["published"], "mean_score": [61.07],
                                   "mean_score_status": ["published"]}),
           "full_rounds": {2021}}  # fmt: skip
    with pytest.raises(DataError, match="32 units in class A, published 33") as e:
        evaluation_report.check_published_counts(ind, sc, ctx)
    assert Path(e.value.file).name.startswith("full_2021") and e.value.column == "指标值"


def test_own_report_that_disagrees_with_the_full_table_is_an_error(
    tmp_path: Path, raw: Path
) -> None:
    d = _write(tmp_path, _full_2021(tmp_path))
    own = pd.read_csv(STANDIN / "evaluation" / "report_2021_130435.csv", dtype=str,
                      keep_default_na=False, encoding="utf-8-sig")  # fmt: skip
    own.loc[own["二级指标"] == "高新技术企业数量", "指标值"] = "35"
    _write(tmp_path, own, "report_2021_130435.csv")
    with pytest.raises(DataError, match=r"value 35 disagrees with 34 in full_2021\.csv") as e:
        evaluation_report.ingest(d, raw, simulated=True)
    assert Path(e.value.file).name == "report_2021_130435.csv"
    assert (e.value.row, e.value.column) == (6, "指标值")


def test_is_simulated_looks_for_the_calibration_file(tmp_path: Path) -> None:
    assert evaluation_report.is_simulated(STANDIN)
    assert not evaluation_report.is_simulated(folder_with(tmp_path, BAD / "points_over_max.csv"))


def test_templates_have_the_input_headers(repo: Path) -> None:
    for name in ("evaluation_report.csv", "evaluation_full_table.csv"):
        df = pd.read_csv(repo / "data" / "internal" / "templates" / name, encoding="utf-8-sig")
        assert list(df.columns) == evaluation_report.TEMPLATE_HEADERS
    xlsx = pd.read_excel(
        repo / "data" / "internal" / "templates" / "evaluation_report.xlsx", engine="calamine"
    )
    assert list(xlsx.columns) == evaluation_report.TEMPLATE_HEADERS


def test_points_written_with_fen_and_full_width_digits_read_as_numbers(
    tmp_path: Path, raw: Path
) -> None:
    own = STANDIN / "evaluation" / "report_2023_130435.csv"
    df = pd.read_csv(own, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    plain = evaluation_report.read_report(own)
    df["得分"] = df["得分"].map(lambda v: f"{v}分" if v else v)  # 6.54 -> 6.54分
    wide = str.maketrans("0123456789.", "０１２３４５６７８９．")
    df.loc[0, "指标值"] = df.loc[0, "指标值"].translate(wide)
    edited = tmp_path / own.name
    df.to_csv(edited, index=False, encoding="utf-8-sig")
    read = evaluation_report.read_report(edited)
    pd.testing.assert_series_equal(read["points"], plain["points"])
    assert read["value"].iloc[0] == plain["value"].iloc[0]


def test_the_first_bad_cell_is_named_in_row_order(tmp_path: Path) -> None:
    own = STANDIN / "evaluation" / "report_2023_130435.csv"
    df = pd.read_csv(own, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[5, "满分"] = "x"  # row 7
    df.loc[3, "得分"] = "y"  # row 5: found first
    df.loc[3, "满分"] = "z"  # same row, a later column
    edited = tmp_path / own.name
    df.to_csv(edited, index=False, encoding="utf-8-sig")
    with pytest.raises(DataError) as err:
        evaluation_report.read_report(edited)
    assert (err.value.row, err.value.column, err.value.detail) == (5, "得分", "'y' is not a number")
