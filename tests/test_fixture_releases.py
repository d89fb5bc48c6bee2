"""The two made-up fixture folders (tests/data/fixture_shape_*/README.md): a year of releases of
either shape without enterprise groups gives 01's tables with the county's above-scale total
for every release, and nothing else that a headline could take.

The end-to-end part (a report built from either folder has that total as its headline) runs
the notebooks; this is the ingest half."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import bureau
from analysis.vocabulary import (
    ABOVE_SCALE,
    ALL_INDUSTRY,
    COUNTY_SCOPE,
    OUTPUT_INDICATOR,
    TOTAL_GROUP,
)

DATA = Path(__file__).parent / "data"
# (folder, through-months of its releases, the 1-10月 规上 total in 万元 and its growth)
FIXTURES = {
    "fixture_shape_a_totals": (list(range(2, 11)), 649485.0, 0.104),
    "fixture_shape_b_coverage": (list(range(1, 11)), 596487.0, 0.099),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed-release cache for the module (each file is parsed once per county)."""
    return tmp_path_factory.mktemp("cache")


def headline_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a 规上 headline may take: the county's above-scale output total."""
    return table[
        (table["scope"] == COUNTY_SCOPE)
        & (table["group"] == TOTAL_GROUP)
        & (table["coverage"] == ABOVE_SCALE)
        & (table["indicator"] == OUTPUT_INDICATOR)
        & table["latest"]
    ]


@pytest.mark.parametrize("name", sorted(FIXTURES), ids=str)
def test_a_release_set_without_groups_gives_the_total_of_every_release(
    name: str, tmp_path: Path, store: Path
) -> None:
    months, total, growth = FIXTURES[name]
    table, findings = bureau.ingest(DATA / name, through=(2022, 10), county="曲周县", cache=store)
    assert findings.empty  # consistent made-up figures: no check has anything to say
    assert set(table["group"]) == {TOTAL_GROUP} and set(table["part_of"]) == {""}
    assert set(table["scope"]) == {COUNTY_SCOPE}
    assert table["simulated"].all()  # 测试样例: never taken for real figures
    cum = headline_rows(table[table["span"] == "cumulative"])
    assert sorted(cum["month"]) == months and set(cum["year"]) == {2022}
    last = cum[cum["month"] == 10].iloc[0]
    assert (last["value_wan"], last["growth"], last["unit"]) == (total, growth, "万元")
    assert not table["flags"].str.contains("coverage_assumed").any()
    bureau.write_tables(table, findings, tmp_path)  # 01's two tables, schema-valid
    assert (tmp_path / "industry_monthly.csv").is_file()


def test_the_all_industry_block_is_kept_apart_from_the_above_scale_one(store: Path) -> None:
    table, _ = bureau.ingest(DATA / "fixture_shape_b_coverage", county="曲周县", cache=store)
    oct_cum = table[(table["month"] == 10) & (table["span"] == "cumulative")]
    output = oct_cum[oct_cum["indicator"] == OUTPUT_INDICATOR].set_index("coverage")
    assert output["value_wan"].to_dict() == {ALL_INDUSTRY: 775433.0, ABOVE_SCALE: 596487.0}
    assert set(oct_cum["indicator"]) == {
        "企业单位数", "工业总产值", "工业销售产值", "出口交货值", "产品销售率"
    }  # fmt: skip
    rate = oct_cum[oct_cum["indicator"] == "产品销售率"].iloc[0]
    assert (rate["coverage"], rate["value"], rate["change_pp"]) == (ABOVE_SCALE, 0.968, 0.3)


@pytest.mark.parametrize("name", sorted(FIXTURES), ids=str)
def test_the_fixtures_belong_to_the_county_their_titles_name(name: str, store: Path) -> None:
    table, findings = bureau.ingest(DATA / name, county="肥乡区", cache=store)
    assert len(table) == 0
    assert bureau.releases_missing(findings).startswith("no bureau releases for 肥乡区")
