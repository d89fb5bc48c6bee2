"""The bureau reader on every delivered path: shapes, encodings, units, merged headers, 1–2月."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.ingest import bureau
from analysis.io import write_csv_rows, write_xlsx_rows

BAD = Path(__file__).parent / "data" / "bad"


def read_cases() -> list[dict]:
    with open(BAD / "cases.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


HEAD = ["企业名称", "本月", "1-本月累计", "本月同比增长(%)", "累计同比增长(%)"]


def enterprise_rows(period: str, unit: str, total: list[str], key: list[str]) -> list[list[str]]:
    return [
        [f"{period}规模以上工业企业主要指标"],
        [f"单位：{unit}"],
        HEAD,
        ["合计", *total],
        ["重点企业(晨光、恒博、科伦等)", *key],
    ]


def read_one(path: Path) -> pd.DataFrame:
    return bureau.tidy(bureau.read_folder(path.parent))


def pick(df: pd.DataFrame, group: str, span: str, indicator: str = "工业总产值") -> pd.Series:
    rows = df[(df["group"] == group) & (df["span"] == span) & (df["indicator"] == indicator)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    rows = enterprise_rows(
        "2022年1-10月",
        "万元",
        ["138700", "964900", "28.96", "20.7"],
        ["33145", "230900", "20.5", "16.0"],
    )
    path = write_csv_rows(tmp_path / "r.csv", rows, encoding)
    df = read_one(path)
    cum = pick(df, "合计", "cumulative")
    assert (cum["year"], cum["month"], cum["value_wan"], cum["growth"]) == (
        2022,
        10,
        964900.0,
        0.207,
    )
    assert (cum["row"], cum["value_column"], cum["growth_column"]) == (
        4,
        "C (1-本月累计)",
        "E (累计同比增长(%))",
    )
    key = pick(df, "重点企业", "month")
    assert (key["value_wan"], key["growth"], key["label"]) == (
        33145.0,
        0.205,
        "重点企业(晨光、恒博、科伦等)",
    )
    assert bureau.decode(path.read_bytes(), path)[1] == (
        "gb18030" if encoding in ("gbk", "gb18030") else encoding
    )


@pytest.mark.parametrize(
    ("unit", "text", "wan"),
    [
        ("元", "9649000000", 964900.0),
        ("千元", "9649000", 964900.0),
        ("万元", "964900", 964900.0),
        ("亿元", "96.49", 964900.0),
    ],
)
def test_each_money_unit_becomes_wan_exactly(
    tmp_path: Path, unit: str, text: str, wan: float
) -> None:
    path = write_csv_rows(
        tmp_path / "r.csv",
        enterprise_rows("2022年1-10月", unit, ["—", text, "—", "20.7"], ["", "", "", ""])[:4],
        "utf-8",
    )
    row = pick(read_one(path), "合计", "cumulative")
    assert (row["value_wan"], row["original_unit"], row["unit"]) == (wan, unit, "万元")


def test_xlsx_with_merged_two_row_header(tmp_path: Path) -> None:
    rows = [
        ["2020年1-3月规模以上工业企业主要指标"],
        ["单位：亿元"],
        ["企业名称", "工业总产值", "", "", ""],
        ["", *HEAD[1:]],
        ["合计", "3.1200", "7.4500", "-12.3", "-20.5"],
    ]
    path = write_xlsx_rows(tmp_path / "r.xlsx", rows, ["A1:E1", "A3:A4", "B3:E3"])
    df = read_one(path)
    row = pick(df, "合计", "month")
    assert (row["value_wan"], row["growth"], row["value_decimals"], row["growth_decimals"]) == (
        31200.0,
        -0.123,
        4,
        1,
    )
    assert row["value_column"] == "B (工业总产值 | 本月)"
    assert row["sheet"] == "Sheet1"


def test_indicator_shape_with_blocks_units_and_percentage_points(tmp_path: Path) -> None:
    rows = [
        ["2016年1-6月规模以上工业主要指标"],
        ["单位:个、万元"],
        ["指标名称", "计量单位", "本月", "", "1-本月累计", ""],
        ["", "", "绝对值", "同比%", "绝对值", "同比%"],
        ["企业单位数", "个", "45", "—", "45", "--"],
        ["工业总产值", "万元", "5000.5", "8.0", "30000.0", "7.5"],
        ["产品销售率", "%", "", "", "98.2", "+0.5个百分点"],
        ["其中：开发区", "", "", "", "", ""],
        ["工业总产值", "万元", "2000.0", "9.0", "12000.0", "10.0"],
        ["其中：重点企业(晨光、恒博、科伦等)", "", "", "", "", ""],
        ["工业总产值", "万元", "1000.0", "3.0", "6000.0", "4.0"],
    ]
    path = write_xlsx_rows(tmp_path / "r.xlsx", rows, ["A1:F1", "A3:A4", "B3:B4", "C3:D3", "E3:F3"])
    df = read_one(path)
    firms = pick(df[df["scope"] == "全县"], "合计", "cumulative", "企业单位数")
    assert (firms["value"], firms["unit"], np.isnan(firms["growth"])) == (45.0, "个", True)
    rate = pick(df, "合计", "cumulative", "产品销售率")
    assert (rate["value"], rate["change_pp"], rate["unit"]) == (0.982, 0.5, "fraction")
    zone = df[(df["scope"] == "开发区") & (df["group"] == "合计") & (df["span"] == "cumulative")]
    assert zone[["indicator", "value_wan", "growth", "row"]].values.tolist() == [
        ["工业总产值", 12000.0, 0.1, 9]
    ]
    key = df[(df["group"] == "重点企业") & (df["span"] == "month")]
    assert key[["scope", "value_wan", "growth"]].values.tolist() == [["开发区", 1000.0, 0.03]]


def test_cumulative_only_shape_with_plus_minus_growth(tmp_path: Path) -> None:
    rows = [
        ["2017年1-5月规模以上工业主要指标"],
        ["单位：万元"],
        ["指标名称", "1-本月累计", "同比增长(±%)"],
        ["工业总产值", "250000", "-3.5"],
    ]
    df = read_one(write_csv_rows(tmp_path / "r.csv", rows, "gb18030"))
    assert df[["span", "value_wan", "growth"]].values.tolist() == [["cumulative", 250000.0, -0.035]]


def test_jan_feb_release_without_february_alone(tmp_path: Path) -> None:
    rows = enterprise_rows(
        "2021年1-2月", "万元", ["—", "150000", "—", "35.1"], ["40000", "40000", "30.0", "30.0"]
    )
    df = read_one(write_csv_rows(tmp_path / "r.csv", rows, "utf-8"))
    month = pick(df, "合计", "month")
    assert (month["month"], np.isnan(month["value_wan"])) == (2, True)
    assert month["flags"] == "jan_feb_combined"
    # 本月 equal to 1-2月 is the combined figure, not February: dropped to NaN
    assert np.isnan(pick(df, "重点企业", "month")["value_wan"])
    assert pick(df, "合计", "cumulative")["value_wan"] == 150000.0


def test_jan_feb_release_with_february_alone(tmp_path: Path) -> None:
    rows = enterprise_rows(
        "2022年1-2月",
        "万元",
        ["62715", "139019", "23.93", "19.29"],
        ["15150", "32662", "20.58", "15.37"],
    )
    month = pick(read_one(write_csv_rows(tmp_path / "r.csv", rows, "utf-8")), "合计", "month")
    assert (month["value_wan"], month["growth"]) == (62715.0, 0.2393)
    assert month["flags"] == "jan_feb_combined;february_alone"


def test_period_from_the_file_name_when_the_title_has_none(tmp_path: Path) -> None:
    rows = [["规模以上工业企业主要指标"], ["单位：万元"], HEAD, ["合计", "1", "10", "1.0", "1.0"]]
    for name, expected in (("快报_2022年1-9月.csv", (2022, 9)), ("bureau_202203.csv", (2022, 3))):
        path = write_csv_rows(tmp_path / name, rows, "utf-8")
        rel = bureau.parse_grid(bureau.read_grids(path)[0])
        assert (rel.period.year, rel.period.month, rel.period.source) == (*expected, "file name")
        path.unlink()


def test_vintages_are_kept_and_the_last_is_latest(tmp_path: Path) -> None:
    shutil.copytree(BAD / "revision", tmp_path / "bureau")
    table, findings = bureau.ingest(tmp_path)
    cum = table[(table["span"] == "cumulative")]
    assert cum[["release", "value_wan", "latest"]].values.tolist() == [
        ["2022年1-10月.csv", 964900.0, False],
        ["2022年1-10月_修订.csv", 965900.0, True],
    ]
    assert findings["check"].tolist() == ["revision"]


@pytest.mark.parametrize(
    "case",
    [r for r in read_cases() if r["outcome"] == "DataError" and r["reader"] == "bureau"],
    ids=lambda r: r["case"],
)
def test_bad_files_are_refused_naming_file_row_and_column(case: dict) -> None:
    with pytest.raises(DataError) as err:
        bureau.read_folder(BAD / case["case"])
    assert Path(err.value.file).name == case["file"]
    assert err.value.row == (int(case["row"]) if case["row"] else None)
    assert err.value.column == (case["column"] or None)


def test_ingest_error_stops_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(BAD / "parts_sum", tmp_path / "internal" / "bureau")
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "industry_monthly.csv").write_text("old", encoding="utf-8")
    with pytest.raises(DataError) as err:
        table, findings = bureau.ingest(tmp_path / "internal")
        bureau.write_tables(table, findings, processed)
    assert (Path(err.value.file).name, err.value.row, err.value.column) == (
        "2022年1-10月.csv",
        5,
        "C (1-本月累计)",
    )
    assert (processed / "industry_monthly.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in processed.iterdir()) == ["industry_monthly.csv"]


def test_an_empty_folder_gives_an_empty_table_and_a_warning(tmp_path: Path) -> None:
    table, findings = bureau.ingest(tmp_path)
    assert len(table) == 0
    assert findings[["check", "severity"]].values.tolist() == [["no_files", "warning"]]
    bureau.write_tables(table, findings, tmp_path / "out")
    assert (tmp_path / "out" / "industry_monthly.csv").is_file()


def test_templates_have_headers_the_reader_understands(repo: Path, tmp_path: Path) -> None:
    for tpl in sorted((repo / "data" / "internal" / "templates").glob("bureau_*")):
        for grid in bureau.read_grids(tpl):
            grid.rows[0][0] = "2022年1-10月规模以上工业企业主要指标"
            for row in grid.rows[4:]:
                if row[0].startswith("其中"):  # a block row stays empty
                    continue
                for j in range(1, len(row)):
                    if row[j] == "":
                        row[j] = "1"
            rel = bureau.parse_grid(grid)
            assert rel.period.month == 10
            assert {r["span"] for r in rel.records} == {"month", "cumulative"}, tpl.name
