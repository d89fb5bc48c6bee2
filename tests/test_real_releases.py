"""Real published tables (tests/data/real/): each file read through the bureau reader gives every
figure of EXPECTED.csv exactly; a file that states its year or indicator nowhere is refused with
a message saying where to write it, and read once that fact is written there.

How EXPECTED.csv's columns meet the tidy table (tests/data/real/README.md):

* ``level_as_published`` in ``unit`` -> ``value_wan`` (money, converted exactly) or ``value``
  (a count; a rate as a fraction); ``growth_percent_as_published`` -> ``growth`` (a fraction,
  as published, NaN where the source prints none);
* ``indicator`` as named in the table -> its stored name in the vocabulary (销售产值 and
  工业销售产值 are one indicator); empty (the source names none) -> the one written in the file
  name when the fact is supplied;
* ``period`` ``YYYY-MM`` / ``YYYY-01..MM`` and ``span`` -> ``year``, ``month``, ``span``
  (``????`` -> the year supplied);
* ``coverage``: ``全部工业``/``规模以上`` a total of that coverage of the whole place;
  ``开发区`` / ``开发区/规模以上`` a development zone's (``scope``) all-industry / above-scale
  figure; ``规模以上/中央市属`` the part 中央市属 (``group``) of the 规上 total;
  ``规模以上/行业`` an industry of a breakdown of the 规上 total (``group`` = the industry,
  ``part_of`` its breakdown); ``规模以上 (北京市)`` the city's figure beside the district's,
  which a reader for 西城区 must not take.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis import conventions
from analysis.errors import DataError
from analysis.ingest import bureau
from analysis.vocabulary import BY_PRINTED, COUNTY_SCOPE, OUTPUT_INDICATOR, TOTAL_GROUP

REAL = Path(__file__).parent / "data" / "real"

# Facts a file states nowhere, supplied where the reader's message says to write them. The
# years are placeholders (the sources do not say which year): what is tested is that the
# reader takes the fact from there, not the year itself.
SUPPLIED_YEAR = {"东城区规模以上工业1-10月.csv": "2019", "西城区1-5月主要经济指标.xlsx": "2020"}
SUPPLIED_NAME = {  # the indicator written into the file name
    "北京市2017年1-5月分区数据.xlsx": "北京市2017年1-5月分区工业总产值.xlsx"
}
REFUSED = {
    "东城区规模以上工业1-10月.csv": r"no year for the release of 10月: write it in the title "
    r".*the file name, the sheet name or a folder name",
    "西城区1-5月主要经济指标.xlsx": r"no year for the release of 5月: write it",
    "北京市2017年1-5月分区数据.xlsx": r"the rows are places \(全市、首都功能核心区、东城区, …\) "
    r"but nothing says what the figures are: write the indicator in the title",
}
PLACE_ROWS = {"北京市2017年1-5月分区数据.xlsx"}  # each row is a place: its own scope
CITY_BESIDE = "规模以上 (北京市)"


def expected_rows() -> list[dict]:
    with open(REAL / "EXPECTED.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


EXPECTED = expected_rows()
FILES = sorted({r["file"] for r in EXPECTED})


def read(name: str, tmp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The file read as a user would, with any missing fact written where the message says."""
    path = REAL / name
    if name in SUPPLIED_NAME:
        path = tmp_path / SUPPLIED_NAME[name]
        shutil.copy(REAL / name, path)
    folders = (SUPPLIED_YEAR[name],) if name in SUPPLIED_YEAR else ()
    return bureau.read_release(path, folders=folders)


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _period(row: dict) -> tuple[int, int]:
    m = re.fullmatch(r"(?P<y>\d{4}|\?{4})-(?:01\.\.)?(?P<m>\d{2})", row["period"])
    assert m, row["period"]
    year = int(SUPPLIED_YEAR[row["file"]]) if m["y"] == "????" else int(m["y"])
    return year, int(m["m"])


def _indicator(row: dict) -> str:
    if not row["indicator"]:
        return OUTPUT_INDICATOR  # the fact supplied in the file name (SUPPLIED_NAME)
    return BY_PRINTED[row["indicator"]].stored


def _matches_coverage(r: pd.Series, row: dict) -> bool:
    """Whether a tidy row is the figure EXPECTED's ``coverage`` describes (module docstring)."""
    cov, label = row["coverage"], _nospace(row["row_label"])
    scope = label if row["file"] in PLACE_ROWS else COUNTY_SCOPE
    zone = "开发区" in r["scope"]
    if cov in ("全部工业", "规模以上"):
        whole = r["group"] == TOTAL_GROUP and r["part_of"] == ""
        return whole and r["coverage"] == cov and r["scope"] == scope
    if cov == "开发区":
        return zone and r["coverage"] == "全部工业" and r["group"] == TOTAL_GROUP
    if cov == "开发区/规模以上":
        return zone and r["coverage"] == "规模以上" and r["group"] == TOTAL_GROUP
    if cov == "规模以上/中央市属":
        return r["coverage"] == "规模以上" and r["group"] == "中央市属"
    if cov == "规模以上/行业":
        industry = _nospace(re.sub(r"^\s*#", "", row["row_label"]))
        return r["coverage"] == "规模以上" and r["group"] == industry and r["part_of"] != ""
    raise AssertionError(f"coverage {cov!r} not described in the module docstring")


def the_figure(table: pd.DataFrame, row: dict) -> pd.Series:
    year, month = _period(row)
    hit = table[
        (table["label"] == _nospace(row["row_label"]))
        & (table["indicator"] == _indicator(row))
        & (table["year"] == year)
        & (table["month"] == month)
        & (table["span"] == row["span"])
    ]
    hit = hit[[_matches_coverage(r, row) for _, r in hit.iterrows()]]
    assert len(hit) == 1, (row, hit)
    return hit.iloc[0]


def assert_level(r: pd.Series, row: dict) -> None:
    text, unit = row["level_as_published"], row["unit"]
    assert r["original_unit"] == unit
    if unit in conventions.TO_WAN:
        assert r["unit"] == "万元" and r["value_wan"] == conventions.to_wan(text, unit)
    elif unit == "%":
        assert r["unit"] == "fraction" and r["value"] == float(Decimal(text) / 100)
    else:
        assert r["unit"] == unit and r["value"] == float(Decimal(text))


def assert_growth(r: pd.Series, row: dict) -> None:
    text = row["growth_percent_as_published"]
    if not text:
        assert math.isnan(r["growth"])
        return
    assert r["growth"] == float(Decimal(text) / 100)
    decimals = -Decimal(text).as_tuple().exponent
    assert r["growth_decimals"] == decimals


def test_the_corpus_is_documented() -> None:
    on_disk = sorted(p.name for p in REAL.iterdir() if p.name not in ("README.md", "EXPECTED.csv"))
    assert on_disk == FILES and len(FILES) >= 6
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert [f for f in FILES if f"`{f}`" not in readme] == []


@pytest.mark.parametrize("name", sorted(REFUSED), ids=str)
def test_a_fact_stated_nowhere_is_asked_for(name: str) -> None:
    with pytest.raises(DataError, match=REFUSED[name]) as info:
        bureau.read_release(REAL / name)
    assert (info.value.file, info.value.row, info.value.column) == (str(REAL / name), 1, "A")


@pytest.mark.parametrize("name", FILES, ids=str)
def test_every_expected_figure_comes_out_exactly(name: str, tmp_path: Path) -> None:
    table, _ = read(name, tmp_path)
    rows = [r for r in EXPECTED if r["file"] == name and r["coverage"] != CITY_BESIDE]
    assert rows
    for row in rows:
        r = the_figure(table, row)
        assert_level(r, row)
        assert_growth(r, row)
        assert r["sheet"] == row["sheet"]


def test_the_district_is_read_from_its_own_columns_not_the_citys(tmp_path: Path) -> None:
    name = "西城区1-5月主要经济指标.xlsx"
    table, findings = read(name, tmp_path)
    city = [r for r in EXPECTED if r["file"] == name and r["coverage"] == CITY_BESIDE]
    city_wan = conventions.to_wan(city[0]["level_as_published"], city[0]["unit"])
    assert city_wan not in set(table["value_wan"])
    assert set(table["value_column"].str[0]) == {"E"}  # 西城区's 本期; its ±% is F
    assert set(table["growth_column"].str[0]) - {""} == {"F"}
    note = findings[findings["check"] == "other_place_columns"]
    assert note[["column", "message"]].values.tolist() == [
        ["C, D", "columns C, D are 北京市's, not 西城区's: not read"]
    ]


def test_a_side_by_side_table_naming_no_county_takes_the_runs_or_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "1-5月主要经济指标.xlsx"  # the district's name taken out of the file name
    shutil.copy(REAL / "西城区1-5月主要经济指标.xlsx", path)
    with pytest.raises(DataError, match=r"headed by places \(北京市、西城区\) and the release "
                       r"does not say whose table it is: name the county"):  # fmt: skip
        bureau.read_release(path, folders=("2020",))
    with pytest.raises(DataError, match=r"headed by places \(北京市、西城区\) and none is 曲周县"):
        bureau.read_release(path, folders=("2020",), county="曲周县")
    table, _ = bureau.read_release(path, folders=("2020",), county="西城区")
    total = table[table["indicator"] == OUTPUT_INDICATOR]
    assert total[["value_wan", "growth"]].values.tolist() == [[2815000.0, 0.049]]


def test_the_sources_own_slip_is_caught_and_kept_as_published() -> None:
    # 销售产值 1-6月 158996 < 6月 299736: a digit dropped in the source; read as printed, and
    # the checks say so at its cell (and at the two figures it makes impossible)
    table, findings = bureau.read_release(REAL / "工业生产销售总量指标2010.6.csv")
    kept = table[(table["row"] == 8) & (table["span"] == "cumulative")]
    assert kept["value_wan"].tolist() == [158996.0]
    got = findings[findings["severity"] == "error"][["check", "row", "column"]]
    assert got.values.tolist() == [
        ["coverage_order", 9, "D (累计)"],
        ["cumulative_below_month", 8, "D (累计)"],
        ["parts_sum", 15, "D (累计)"],
    ]
    with pytest.raises(DataError, match=r"\[coverage_order\]"):
        bureau.read_release(REAL / "工业生产销售总量指标2010.6.csv", raise_on_error=True)


def test_a_release_counts_for_the_place_it_names(tmp_path: Path) -> None:
    # 门头沟区 names itself: a run for 曲周县 reads none of it, and says why
    named = REAL / "门头沟区2022年1-8月规模以上工业总产值.xlsx"
    table, findings = bureau.read_release(named, county="曲周县")
    assert len(table) == 0
    assert bureau.releases_missing(findings) == (
        f"no bureau releases for 曲周县: the 1 release(s) in {named.name} are for 门头沟区"
    )
    table, _ = bureau.read_release(named, county="门头沟区")
    assert len(table) == 8
    # the 2010 county table names no county (its title says 全县): it is the run's county's
    unnamed, _ = bureau.read_release(REAL / "工业生产销售总量指标2010.6.csv", county="曲周县")
    assert len(unnamed) == 28  # 14 rows, month and cumulative


def test_indented_and_marked_rows_are_parts_not_totals(tmp_path: Path) -> None:
    table, findings = read("上海市2019年6月工业生产情况.xlsx", tmp_path)
    cum = table[(table["span"] == "cumulative") & (table["indicator"] == OUTPUT_INDICATOR)]
    totals = cum[cum["group"] == TOTAL_GROUP]
    assert sorted(totals[["coverage", "value_wan"]].values.tolist()) == [
        ["全部工业", 168136400.0],
        ["规模以上", 161692800.0],
    ]
    # two breakdowns of the 规上 total (by ownership, by size) and a group with its industries
    parts = cum[cum["group"] != TOTAL_GROUP].groupby("part_of")["group"].apply(sorted).to_dict()
    assert parts == {
        "": ["六个重点行业"],
        "六个重点行业": sorted(["电子信息产品制造业", "汽车制造业", "石油化工及精细化工制造业",
                                "精品钢材制造业", "成套设备制造业", "生物医药制造业"]),
        "国有控股等": sorted(["国有控股", "私人控股", "港澳台商控股", "外商控股"]),
        "大型工业等": sorted(["大型工业", "中型工业", "小型工业"]),
    }  # fmt: skip
    assert findings.empty  # each breakdown sums to the total apart, within rounding
