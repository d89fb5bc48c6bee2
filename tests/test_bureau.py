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


def through_of(case: dict) -> tuple[int, int] | None:
    """The run's period a case is read for (``edit``: ``through=2022-10``), else None."""
    if not case["edit"].startswith("through="):
        return None
    year, month = case["edit"].removeprefix("through=").split("-")
    return int(year), int(month)


@pytest.mark.parametrize(
    "case",
    [r for r in read_cases() if r["outcome"] == "DataError" and r["reader"] == "bureau"],
    ids=lambda r: r["case"],
)
def test_bad_files_are_refused_naming_file_row_and_column(case: dict, tmp_path: Path) -> None:
    shutil.copytree(BAD / case["case"], tmp_path / "bureau")
    with pytest.raises(DataError) as err:
        bureau.ingest(tmp_path, through=through_of(case))
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
    assert findings[["check", "severity"]].values.tolist() == [["no_releases", "warning"]]
    assert bureau.releases_missing(findings) == "no bureau releases: no release files in bureau/"
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


# ------------------------------------------------------------------------------------------
# releases as counties receive them (tests/data/bad, issue #16): what each one read as


def case_table(case: str, through: tuple[int, int] | None = None) -> tuple[pd.DataFrame, list]:
    table, findings = bureau.ingest_folder(BAD / case, through=through)
    return table, findings["check"].tolist()


def cum(df: pd.DataFrame, **where: str) -> pd.DataFrame:
    rows = df[df["span"] == "cumulative"]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows


def test_a_sub_row_of_above_scale_industry_is_a_coverage_not_a_repeat() -> None:
    df, checks = case_table("coverage_subrows")
    got = cum(df)[["indicator", "coverage", "value_wan", "row"]].values.tolist()
    assert sorted(got) == [
        ["工业总产值", "全部工业", 1447350.0, 4],
        ["工业总产值", "规模以上", 964900.0, 5],
        ["工业销售产值", "全部工业", 1410000.0, 6],
        ["工业销售产值", "规模以上", 940000.0, 7],
    ]
    assert not df["flags"].str.contains("coverage_assumed").any() and checks == []


def test_coverage_blocks_and_rows_in_both_shapes() -> None:
    blocks, _ = case_table("coverage_blocks")
    assert sorted(cum(blocks)[["scope", "coverage", "value_wan"]].values.tolist()) == [
        ["全县", "全部工业", 1447350.0],
        ["全县", "规模以上", 964900.0],
        ["开发区", "规模以上", 420000.0],
    ]
    rows, _ = case_table("coverage_rows")
    got = cum(rows)[["group", "coverage", "label", "value_wan", "flags"]].values.tolist()
    assert sorted(got) == [
        ["合计", "全部工业", "全部工业", 1447350.0, ""],
        ["合计", "规模以上", "规模以上工业", 964900.0, ""],
        # the title states no coverage: the key group is taken as above-scale, and says so
        ["重点企业", "规模以上", "重点企业(晨光、恒博、科伦等)", 230900.0, "coverage_assumed"],
    ]
    assert set(bureau.release_summary(rows)["coverage"]) == {
        "全部工业、规模以上、规模以上 (assumed)"
    }


def test_an_above_scale_figure_above_all_industry_is_an_error() -> None:
    with pytest.raises(
        DataError, match=r"\[coverage_order\] 规模以上 工业总产值 .* exceeds 全部工业"
    ):
        bureau.ingest_folder(BAD / "coverage_swapped")


def test_synonyms_are_stored_under_one_name() -> None:
    df, _ = case_table("synonyms")
    total = cum(df, group="合计").iloc[0]
    assert (total["indicator"], total["coverage"], total["label"]) == (
        "工业总产值",
        "规模以上",
        "规上工业合计",
    )
    from analysis.vocabulary import BY_PRINTED

    assert (
        BY_PRINTED["现价工业总产值"].stored
        == BY_PRINTED["规模以上工业总产值"].stored
        == "工业总产值"
    )


def test_the_templates_key_group_and_its_members_are_not_added_together() -> None:
    df, checks = case_table("template_layout")
    parts = cum(df)[["group", "part_of", "value_wan"]].values.tolist()
    assert sorted(parts) == [
        ["合计", "", 964900.0],
        ["恒博", "重点企业", 200000.0],
        ["晨光", "重点企业", 300000.0],
        ["科伦", "重点企业", 130000.0],
        ["重点企业", "", 630000.0],
    ]
    assert checks == []  # 630000 + its members would be 1260000 > 964900
    cumulative = df["span"] == "cumulative"
    df.loc[cumulative & (df["group"] == "晨光"), "value_wan"] = 400000.0  # above their group
    found = bureau.checks.check_parts_sum(df)
    assert [(f.check, f.row) for f in found] == [("parts_sum", 6)]


def test_numbers_as_excel_stores_them() -> None:
    pct, _ = case_table("percent_format_xlsx")
    total = pct[(pct["group"] == "合计")].set_index("span")
    assert total.loc["cumulative", ["growth", "growth_decimals"]].tolist() == [0.207, 1]
    assert total.loc["month", ["growth", "growth_decimals"]].tolist() == [0.2896, 2]
    sci, _ = case_table("scientific_notation")
    row = cum(sci, group="合计").iloc[0]
    assert (row["value_wan"], row["original_unit"], row["value_decimals"]) == (964900.0, "元", -6)
    wide, _ = case_table("fullwidth_digits")
    key = wide[wide["group"] == "重点企业"].set_index("span")
    assert key.loc["month", ["value_wan", "growth"]].tolist() == [33145.0, -0.05]
    words, _ = case_table("growth_words")
    key = words[words["group"] == "重点企业"].set_index("span")
    assert key["growth"].to_dict() == {"month": -0.025, "cumulative": 0.16}
    for case in ("tab_separated", "semicolon_separated"):
        df, _ = case_table(case)
        assert cum(df, group="合计")["value_wan"].tolist() == [964900.0], case


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("１３８，７００", False, (138700.0, 0)),
        ("\u22123.5", True, (-3.5, 1)),
        ("下降3.2%", True, (-3.2, 1)),
        ("增长20.7%", True, (20.7, 1)),
        ("9.65E+09", False, (9.65e9, -7)),
    ],
)
def test_parse_number_reads_what_people_and_excel_print(text, words, expected) -> None:
    n = bureau.parse_number(text, file=Path("x.csv"), row=1, column="B", words=words)
    assert (n.value, n.decimals) == expected


def test_a_word_in_a_level_column_is_refused() -> None:
    with pytest.raises(DataError, match="is not a number"):
        bureau.parse_number("增长20.7", file=Path("x.csv"), row=4, column="C")


def test_periods_written_as_dates_serials_dashes_and_apart() -> None:
    for case, source in (("date_period_xlsx", "title"), ("excel_serial_period", "title")):
        rel = bureau.read_folder(BAD / case)[0]
        assert (rel.period.year, rel.period.month, rel.period.source) == (2022, 10, source), case
    dashes = bureau.read_folder(BAD / "period_dashes")
    assert sorted((r.period.year, r.period.month) for r in dashes) == [(2022, 9), (2022, 10)]
    folder = bureau.read_folder(BAD / "year_in_folder")[0]
    assert (folder.period.year, folder.period.year_source, folder.name) == (
        2022,
        "folder",
        "2022/1-10月.csv",
    )
    apart = bureau.read_folder(BAD / "year_before_county")[0]
    assert (apart.period.year, apart.period.month) == (2022, 10)


def test_no_year_anywhere_says_where_to_write_it() -> None:
    with pytest.raises(DataError, match=r"title .*file name, the sheet name or a folder name"):
        bureau.read_folder(BAD / "no_year")


def test_title_and_file_name_that_disagree_are_reported_and_the_title_used() -> None:
    df, _ = case_table("title_vs_file_name")
    _, findings = bureau.ingest_folder(BAD / "title_vs_file_name")
    note = findings[findings["check"] == "period_title_vs_name"]["message"].iloc[0]
    assert "2022年1-10月" in note and "2022年1-9月" in note
    assert set(df["month"]) == {10}


def test_a_release_later_than_the_run_is_refused_and_read_for_a_later_run() -> None:
    with pytest.raises(DataError, match=r"2022年1-11月, later than the run \(2022年1-10月\)"):
        bureau.ingest_folder(BAD / "release_after_run", through=(2022, 10))
    df, _ = case_table("release_after_run", through=(2022, 11))
    assert set(df["month"]) == {11}


def test_versions_by_marker_then_vintage_and_ties_refused_naming_both() -> None:
    marked, checks = case_table("revision_in_name")
    latest = cum(marked)[["release", "latest"]].values.tolist()
    assert latest == [["2022年1-10月.csv", False], ["2022年1-10月(修订).csv", True]]
    assert checks == ["revision"]
    vintage, _ = case_table("vintage_line")
    used = cum(vintage)[cum(vintage)["latest"]]
    assert used[["release", "value_wan"]].values.tolist() == [["2022年1-10月_a.csv", 965900.0]]
    with pytest.raises(DataError) as err:
        bureau.ingest_folder(BAD / "ambiguous_versions")
    assert "2022年1-10月_张.csv" in err.value.detail and "2022年1-10月_李.csv" in err.value.detail


def test_revision_markers_anywhere_in_the_name() -> None:
    from analysis.ingest.bureau.versions import revision_level

    assert [
        revision_level([n])
        for n in ("2022年1-10月.xlsx", "修订 2022年1-10月.xlsx", "2022年1-10月(更正).csv",
                  "2022-10 revised.csv", "2022年1-10月_修订2.xlsx")
    ] == [0, 1, 1, 1, 2]  # fmt: skip


def test_formulas_without_values_and_hidden_rows_are_named() -> None:
    with pytest.raises(DataError, match=r"formulas saved without their values \(Sheet: B4, C4\)"):
        bureau.read_folder(BAD / "formula_without_value")
    _, findings = bureau.ingest_folder(BAD / "hidden_rows")
    assert findings[["check", "row"]].values.tolist() == [["hidden", 5]]
    assert "rows 5 are hidden" in findings["message"].iloc[0]


def test_a_repeated_row_is_not_told_to_delete_real_data() -> None:
    with pytest.raises(DataError) as err:
        bureau.read_folder(BAD / "duplicate_row")
    assert "appears twice" in err.value.detail and "delete" not in err.value.detail
    assert "其中：规模以上" in err.value.detail


def test_read_release_reads_one_file() -> None:
    table, findings = bureau.read_release(BAD / "coverage_subrows" / "2022年1-10月.csv")
    assert len(cum(table, coverage="规模以上", indicator="工业总产值")) == 1
    assert findings.empty


def test_parsed_releases_are_cached_by_content_and_reader(tmp_path: Path, monkeypatch) -> None:
    from analysis.ingest.bureau import cache as cache_module

    shutil.copytree(BAD / "revision", tmp_path / "in" / "bureau")
    store = tmp_path / ".cache"
    first, _ = bureau.ingest(tmp_path / "in", cache=store)
    entries = sorted(store.rglob("*.pickle"))
    assert len(entries) == 2  # one per file

    def no_parsing(path: Path):
        raise AssertionError(f"{path.name} parsed again")

    monkeypatch.setattr(bureau, "read_grids", no_parsing)
    again, _ = bureau.ingest(tmp_path / "in", cache=store)
    pd.testing.assert_frame_equal(first, again)
    monkeypatch.undo()

    # a changed file, a damaged entry, another reader: parsed again
    edited = tmp_path / "in" / "bureau" / "2022年1-10月_修订.csv"
    edited.write_bytes(edited.read_bytes().replace(b"965900", b"965800"))
    entries[0].write_bytes(b"not a pickle")
    changed, _ = bureau.ingest(tmp_path / "in", cache=store)
    assert 965800.0 in changed["value_wan"].tolist()
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another reader")
    assert bureau.ReleaseCache(store).get(edited, ()) is None
    assert list(store.rglob("*.tmp")) == []  # written atomically


def test_a_file_that_fails_is_never_cached(tmp_path: Path) -> None:
    shutil.copytree(BAD / "bad_number", tmp_path / "bureau")
    with pytest.raises(DataError):
        bureau.ingest(tmp_path, cache=tmp_path / ".cache")
    assert list((tmp_path / ".cache").rglob("*.pickle")) == []


# ---------------------------------------------------------------------------------------------
# which county a release is for (#16 item 2)

STANDIN = Path(__file__).resolve().parents[1] / "data" / "internal" / "simulated"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("【模拟数据】曲周县2022年1-10月规模以上工业企业主要指标", ["曲周县"]),
        ("河北省邯郸市曲周县2022年1-10月", ["邯郸市", "曲周县"]),
        ("2022年1-10月全县规模以上工业", []),
        ("北京市2017年1-5月分区数据", ["北京市"]),
        ("其中：开发区", []),
        ("工业生产销售总量指标", []),
        ("峰峰矿区2022年1-10月", ["峰峰矿区"]),
    ],
)
def test_the_places_a_title_or_file_name_names(text: str, names: list[str]) -> None:
    from analysis.ingest.bureau.places import places_in

    assert places_in(text) == names


def test_a_release_naming_a_county_counts_for_it_alone(tmp_path: Path) -> None:
    from analysis.ingest.bureau.places import belongs_to

    assert belongs_to("曲周县", "曲周县") and belongs_to("曲周县", "曲周")
    assert belongs_to("", "肥乡区")  # a bureau's own 全县 table names none
    assert not belongs_to("曲周县", "肥乡区") and not belongs_to("长安区", "长安县")
    for county in ("曲周县", "肥乡区"):
        shutil.copytree(BAD / "year_before_county", tmp_path / county / "bureau")
    own, _ = bureau.ingest(tmp_path / "曲周县", county="曲周县")
    assert len(own) and set(own["year"]) == {2022}
    other, findings = bureau.ingest(tmp_path / "肥乡区", county="肥乡区")
    assert len(other) == 0
    assert findings[["check", "severity", "file", "row", "column"]].values.tolist() == [
        ["no_releases", "warning", "bureau/", pd.NA, ""],
        ["other_county", "warning", "曲周县规上工业快报.csv", 1, "A"],
    ]
    assert bureau.releases_missing(findings) == (
        "no bureau releases for 肥乡区: the 1 release(s) in bureau/ are for 曲周县"
    )
    assert bureau.no_releases_text("肥乡区", "zh").startswith("没有肥乡区的统计局规上工业月报")
    assert bureau.releases_missing(bureau.ingest(tmp_path / "曲周县", county="曲周县")[1]) == ""


def test_the_stand_in_is_qu_zhous_alone(tmp_path: Path) -> None:
    table, findings = bureau.ingest(STANDIN, county="肥乡区", cache=tmp_path / ".cache")
    assert len(table) == 0
    assert bureau.releases_missing(findings).startswith("no bureau releases for 肥乡区: the ")
    assert bureau.releases_missing(findings).endswith(" release(s) in bureau/ are for 曲周县")
    bureau.write_tables(table, findings, tmp_path / "out")  # an empty, schema-valid table
    mine, _ = bureau.ingest(STANDIN, county="曲周县", cache=tmp_path / ".cache")
    assert mine["simulated"].all() and len(mine) == len(bureau.ingest(STANDIN)[0])


def test_two_breakdowns_of_one_total_are_each_summed_against_it(tmp_path: Path) -> None:
    rows = [
        ["2019年1-6月规模以上工业主要指标"],
        ["单位：亿元"],
        ["指标名称", "1-6月", "比去年同期增长(%)"],
        ["工业总产值", "100.0", "1.0"],
        ["  # 国有控股", "60.0", "1.0"],
        ["    私人控股", "40.0", "1.0"],
        ["  # 大型工业", "70.0", "1.0"],
        ["    中型工业", "20.0", "1.0"],
        ["    小型工业", "10.0", "1.0"],
    ]
    path = write_csv_rows(tmp_path / "ok.csv", rows, "utf-8")
    table, findings = bureau.read_release(path)
    assert findings.empty  # 60 + 40 and 70 + 20 + 10 are each the total, not 200
    assert set(table["part_of"]) == {"", "国有控股等", "大型工业等"}
    rows[8] = ["    小型工业", "30.0", "1.0"]  # the size breakdown now sums to 120 > 100
    path = write_csv_rows(tmp_path / "over.csv", rows, "utf-8")
    _, findings = bureau.read_release(path)
    assert findings[["check", "row"]].values.tolist() == [["parts_sum", 7]]
    assert "大型工业等" in findings["message"].iloc[0]


def test_the_cache_is_cleared_on_request_and_inputs_stay(tmp_path: Path) -> None:
    from analysis.ingest.bureau.cache import clear_cache, project_cache

    shutil.copytree(BAD / "revision", tmp_path / "in" / "bureau")
    before = sorted((tmp_path / "in").rglob("*"))
    bureau.ingest(tmp_path / "in", cache=project_cache(tmp_path))
    assert list(project_cache(tmp_path).rglob("*.pickle"))
    assert clear_cache(tmp_path) == [project_cache(tmp_path) / "bureau"]
    assert not (project_cache(tmp_path) / "bureau").exists() and clear_cache(tmp_path) == []
    assert sorted((tmp_path / "in").rglob("*")) == before
