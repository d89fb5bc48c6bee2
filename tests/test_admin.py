"""Administrative codes: the current units, the code history, and names as printed.

Two halves: the real files in data/raw (exact values checked against the files by hand), and a
tiny synthetic history written to tmp_path, so the mapping logic is tested on its own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.ingest import admin

# ---------------------------------------------------------------------------------------------
# real data


@pytest.fixture(scope="module")
def table(raw: Path) -> pd.DataFrame:
    return admin.code_table(raw)


def _row(table: pd.DataFrame, code: str) -> pd.Series:
    hit = table[table["code"] == code]
    assert len(hit) == 1, code
    return hit.iloc[0]


def test_current_units_are_167_without_zones(raw: Path) -> None:
    units = admin.read_counties(raw)
    assert len(units) == 167
    assert units["code"].is_unique
    assert not units["code"].str[4].eq("7").any()
    assert "130171" not in set(units["code"])  # 石家庄高新技术产业开发区
    assert units["kind"].value_counts().to_dict() == {"county": 97, "district": 49, "city": 21}
    quzhou = units.set_index("code").loc["130435"]
    assert (quzhou["name"], quzhou["city"], quzhou["city_code"]) == ("曲周县", "邯郸市", "1304")
    assert (quzhou["kind"], quzhou["is_district"]) == ("county", False)
    assert units.set_index("code").loc["131081", "kind"] == "city"  # 霸州市, 县级市


def test_history_parses_successors_and_partial_transfers(raw: Path) -> None:
    hist = admin.read_code_history(raw)
    cixian = hist[(hist["code"] == "130427") & (hist["status"] == "active")].iloc[0]
    assert cixian["name"] == "磁县"
    assert cixian["partial_transfers"] == (("130402", 2016), ("130404", 2016))
    assert cixian["successors"] == ()
    yongnian = hist[hist["code"] == "130429"].iloc[0]
    assert yongnian["status"] == "abolished"
    assert yongnian["successors"] == ("130403", "130408")
    assert yongnian["end_year"] == 2016
    renamed = hist[(hist["code"] == "130502") & (hist["status"] == "renamed")].iloc[0]
    assert (renamed["name"], renamed["end_year"]) == ("桥东区", 2020)
    assert str(hist["end_year"].dtype) == "Int64"


def test_code_table_relations(table: pd.DataFrame) -> None:
    feixiang = _row(table, "130428")
    assert (feixiang["name"], feixiang["current_codes"]) == ("肥乡县", "130407")
    assert feixiang["relation"] == "renamed"
    assert (feixiang["status"], feixiang["valid_to"]) == ("abolished", 2016)
    assert _row(table, "130429")["relation"] == "split"
    assert _row(table, "130429")["current_codes"] == "130403;130408"
    for code in ("130603", "130604"):  # 北市区, 南市区 -> 莲池区
        assert _row(table, code)["relation"] == "merged"
        assert _row(table, code)["current_codes"] == "130606"
    assert _row(table, "130521")["current_codes"] == "130502;130503"  # 邢台县
    assert _row(table, "130435")["relation"] == "current"
    assert _row(table, "130502")["former_names"] == "桥东区[1983-2020]"


def test_code_table_covers_units_since_2010_only(table: pd.DataFrame) -> None:
    assert table["code"].is_unique
    assert len(table) == 190  # 167 current + 23 abolished since 2010
    assert table["relation"].value_counts().to_dict() == {
        "current": 167, "renamed": 15, "split": 6, "merged": 2,
    }  # fmt: skip
    assert "130206" not in set(table["code"])  # 唐山 新区, abolished 2002
    assert not table["code"].str[4].eq("7").any()


def test_map_to_current(table: pd.DataFrame) -> None:
    assert admin.map_to_current("130428", table) == ("130407",)
    assert admin.map_to_current("130721", table) == ("130702", "130703", "130705")
    assert admin.map_to_current("130435", table) == ("130435",)
    with pytest.raises(DataError, match="130199"):
        admin.map_to_current("130199", table)


def test_units_as_of_matches_the_evaluation_counts(raw: Path) -> None:
    """Round R uses year R-1: 168 units in rounds 2019 and 2020 (data 2018, 2019), 167 later."""
    y2019 = admin.units_as_of(2019, raw)
    assert len(y2019) == 168
    assert "130521" in set(y2019["code"])  # 邢台县
    names = y2019.set_index("code")["name"]
    assert (names["130502"], names["130503"], names["130526"]) == ("桥东区", "桥西区", "任县")
    assert len(admin.units_as_of(2018, raw)) == 168
    assert len(admin.units_as_of(2020, raw)) == 167
    assert len(admin.units_as_of(2021, raw)) == 167
    assert len(admin.units_as_of(2020, raw, at="start")) == 168
    assert set(admin.units_as_of(2024, raw)["code"]) == set(admin.read_counties(raw)["code"])


def test_units_of_2010_are_the_2010_census_units(raw: Path) -> None:
    units = admin.units_as_of(2010, raw)
    census = pd.read_csv(raw / "census" / "hebei_census2010_county.csv", dtype=str)
    codes = census["区划代码"]
    assert len(units) == 172
    assert set(units["code"]) == set(codes[~codes.str.endswith("00")])


def test_boundary_changes_since_2010(raw: Path) -> None:
    b = admin.boundary_changes(raw).set_index("code")
    assert len(b) == 167
    assert b.loc["130435", "boundary"] == "same"
    assert b.loc["130407", "boundary"] == "renamed"
    assert b.loc["130602", "boundary"] == "renamed"  # 新市区 -> 竞秀区, same code
    assert b.loc["130606", "boundary"] == "merged"
    assert b.loc["130606", "base_codes"] == ("130603", "130604")
    assert b.loc["130402", "boundary"] == "split"  # part of 邯郸县 (and of 磁县)
    assert b.loc["130404", "boundary"] == "changed"  # received part of 磁县
    assert b.loc["130427", "boundary"] == "changed"  # 磁县 gave parts away
    assert b.loc["130209", "boundary"] == "changed"  # 唐海县 + part of 丰南区 (2012)
    assert b["boundary"].value_counts().to_dict() == {
        "same": 134, "renamed": 15, "split": 13, "changed": 4, "merged": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "city", "year", "code"),
    [
        ("石家庄市鹿泉区", None, None, "130110"),
        ("固安", None, None, "131022"),
        ("三河", None, None, "131082"),
        ("安次", None, None, "131002"),
        ("霸州", None, None, "131081"),
        ("正定县", None, None, "130123"),
        ("邯郸市肥乡区", None, None, "130407"),
        ("桥西区", "石家庄市", None, "130104"),
        ("桥西区", "石家庄", 2019, "130104"),
        ("桥西区", "邢台市", 2019, "130503"),  # the old name of 信都区
        ("肥乡县", None, 2015, "130428"),
        ("邢台县", None, 2019, "130521"),
        ("鹿泉", None, 2012, "130185"),  # 鹿泉市 then, 鹿泉区 from 2014
        ("南和", "邢台市", 2020, "130506"),
        ("井陉", None, None, "130121"),  # 井陉县, not 井陉矿区
        ("峰峰", None, None, "130406"),
        ("大厂", "廊坊市", 2020, "131028"),
        ("定州市", "定州市(省直管)", 2023, "130682"),
        ("渤海新区黄骅市", "沧州市", 2023, "130983"),
        ("张家口市桥东区", None, None, "130702"),
    ],
)
def test_resolve_name(table: pd.DataFrame, name: str, city, year, code: str) -> None:
    assert admin.resolve_name(name, table, city=city, year=year) == code


def test_resolve_name_ambiguous_needs_city(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="ambiguous") as info:
        admin.resolve_name("桥西区", table)
    assert "130104" in str(info.value) and "130703" in str(info.value)


def test_resolve_name_old_name_gives_current_name(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="old name") as info:
        admin.resolve_name("肥乡县", table, year=2016)
    assert "肥乡区 (130407)" in str(info.value)
    with pytest.raises(DataError, match="信都区"):
        admin.resolve_name("桥西区", table, city="邢台市", year=2021)
    with pytest.raises(DataError, match="old name"):
        admin.resolve_name("邢台县", table)


def test_resolve_name_unknown_lists_close_matches(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="unknown") as info:
        admin.resolve_name("固按县", table)
    assert "固安县" in str(info.value)


def test_resolve_name_wrong_city(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="not in 邯郸"):
        admin.resolve_name("固安县", table, city="邯郸市")
    with pytest.raises(DataError, match="unknown city"):
        admin.resolve_name("固安县", table, city="北京市")
    with pytest.raises(DataError, match="names the city"):
        admin.resolve_name("石家庄市鹿泉区", table, city="保定市")


# ---------------------------------------------------------------------------------------------
# synthetic history: every kind of change, independent of the real files

HEADER = "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更（弃用）时间,新代码"
SYNTHETIC_HISTORY = [
    "130000,河北省,,河北省,省级,启用,1980,,",
    "130100,河北省,石家庄市,石家庄市,地级,启用,1980,,",
    "130102,河北省,石家庄市,东区,县级,启用,1990,,",
    "130103,河北省,石家庄市,新区,县级,启用,2015,,",
    "130104,河北省,石家庄市,北区,县级,弃用,1990,2015,130103",  # merged with 南区
    "130105,河北省,石家庄市,南区,县级,弃用,1990,2015,130103",
    "130106,河北省,石家庄市,西区,县级,启用,1990,,",
    "130107,河北省,石家庄市,小区,县级,弃用,1990,2013,130102",  # absorbed by 东区
    "130108,河北省,石家庄市,旧区,县级,弃用,1990,2000,130102",  # before 2010: not in table
    "130121,河北省,石家庄市,老县,县级,弃用,1990,2016,130106;130122",  # split
    "130122,河北省,石家庄市,丙县,县级,启用,1990,,",
    "130123,河北省,石家庄市,丁县,县级,弃用,1990,2017,130181",  # renamed
    "130124,河北省,石家庄市,己县,县级,弃用,1990,2012,130125",  # chain of renames
    "130125,河北省,石家庄市,己区,县级,弃用,2012,2014,130126",
    "130126,河北省,石家庄市,己市,县级,启用,2014,,",
    "130129,河北省,石家庄市,辛县,县级,启用,1990,,",  # untouched
    "130181,河北省,石家庄市,丁市,县级,启用,2017,,",
    "130202,河北省,唐山市,东区,县级,启用,1990,,",  # same name as 石家庄's 东区
    "130203,河北省,唐山市,庚区,县级,启用,2018,,",
    "130203,河北省,唐山市,旧庚区,县级,变更,1990,2018,130203",  # same code, new name
    "130221,河北省,唐山市,戊县,县级,启用,1990,,130202[2016]",  # gave part to 130202
]
SYNTHETIC_CURRENT = {
    "130102": "东区", "130103": "新区", "130106": "西区", "130122": "丙县", "130126": "己市",
    "130129": "辛县", "130171": "高新区", "130181": "丁市", "130202": "东区", "130203": "庚区",
    "130221": "戊县",
}  # fmt: skip


def write_synthetic_admin(raw: Path, history: list[str] = SYNTHETIC_HISTORY) -> Path:
    folder = raw / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hebei_code_history.csv").write_text("\n".join([HEADER, *history]) + "\n")
    (folder / "hebei_cities.csv").write_text(
        'code,name,provinceCode\n1301,"石家庄市",13\n1302,"唐山市",13\n'
    )
    rows = [f'{c},"{n}",{c[:4]},13' for c, n in SYNTHETIC_CURRENT.items()]
    (folder / "hebei_counties.csv").write_text(
        "\n".join(["code,name,cityCode,provinceCode", *rows]) + "\n"
    )
    return raw


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    return write_synthetic_admin(tmp_path / "raw")


def test_synthetic_code_table(synthetic: Path) -> None:
    table = admin.code_table(synthetic).set_index("code")
    assert len(admin.read_counties(synthetic)) == 10  # the zone 130171 is dropped
    assert "130108" not in table.index
    expected = {
        "130104": ("130103", "merged"), "130105": ("130103", "merged"),
        "130107": ("130102", "merged"),  # absorbed by a unit that already existed
        "130121": ("130106;130122", "split"), "130123": ("130181", "renamed"),
        "130124": ("130126", "renamed"), "130125": ("130126", "renamed"),  # a chain
        "130203": ("130203", "current"), "130129": ("130129", "current"),
    }  # fmt: skip
    for code, (current, relation) in expected.items():
        assert (table.loc[code, "current_codes"], table.loc[code, "relation"]) == (
            current, relation,
        ), code  # fmt: skip
    assert table.loc["130203", "former_names"] == "旧庚区[1990-2018]"
    assert table.loc["130124", "valid_to"] == 2012


def test_synthetic_units_as_of(synthetic: Path) -> None:
    counts = {y: len(admin.units_as_of(y, synthetic)) for y in (2010, 2012, 2013, 2015, 2016, 2018)}
    assert counts == {2010: 13, 2012: 13, 2013: 12, 2015: 11, 2016: 10, 2018: 10}
    assert len(admin.units_as_of(2016, synthetic, at="start")) == 11
    names = admin.units_as_of(2017, synthetic).set_index("code")["name"]
    assert names["130203"] == "旧庚区"
    assert admin.units_as_of(2018, synthetic).set_index("code").loc["130203", "name"] == "庚区"


def test_synthetic_boundary_changes(synthetic: Path) -> None:
    b = admin.boundary_changes(synthetic).set_index("code")["boundary"].to_dict()
    assert b == {
        "130102": "merged",  # 东区 absorbed 小区 in 2013
        "130103": "merged", "130106": "split", "130122": "split", "130126": "renamed",
        "130129": "same", "130181": "renamed", "130202": "changed", "130203": "renamed",
        "130221": "changed",
    }  # fmt: skip


def test_synthetic_resolve_name(synthetic: Path) -> None:
    table = admin.code_table(synthetic)
    assert admin.resolve_name("东区", table, city="唐山市") == "130202"
    assert admin.resolve_name("丁县", table, year=2016) == "130123"
    assert admin.resolve_name("旧庚区", table, year=2017) == "130203"
    assert admin.resolve_name("丙县", table) == "130122"
    with pytest.raises(DataError, match="ambiguous"):
        admin.resolve_name("东区", table)
    with pytest.raises(DataError, match="丁市"):
        admin.resolve_name("丁县", table, year=2017)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("130129,河北省,石家庄市,辛县,县级,撤销,1990,,", "状态"),
        ("130129,河北省,石家庄市,辛县,县级,弃用,1990,,130102", "变更（弃用）时间"),
        ("130129,河北省,石家庄市,辛县,县级,启用,199O,,", "启用时间"),
        ("130129,河北省,石家庄市,辛县,县级,启用,1990,,13010", "新代码"),
    ],
)
def test_bad_history_names_row_and_column(tmp_path: Path, line: str, column: str) -> None:
    history = [line if row.startswith("130129") else row for row in SYNTHETIC_HISTORY]
    raw = write_synthetic_admin(tmp_path / "raw", history)
    with pytest.raises(DataError) as info:
        admin.read_code_history(raw)
    assert info.value.row == 17  # header is row 1; 130129 is the 16th data line
    assert info.value.column == column


def test_history_and_current_list_must_agree(tmp_path: Path) -> None:
    history = [row for row in SYNTHETIC_HISTORY if not row.startswith("130129")]
    raw = write_synthetic_admin(tmp_path / "raw", history)
    with pytest.raises(DataError, match="130129"):
        admin.code_table(raw)


def test_unknown_suffix_is_a_data_error(tmp_path: Path) -> None:
    raw = write_synthetic_admin(tmp_path / "raw")
    path = raw / "admin" / "hebei_counties.csv"
    path.write_text(path.read_text().replace('"辛县"', '"辛镇"'))
    with pytest.raises(DataError, match="辛镇") as info:
        admin.read_counties(raw)
    assert info.value.column == "name"
