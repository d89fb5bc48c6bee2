"""Every accepted release reaches a report (#16.2), end to end through the runner.

* A year of releases of either shape with no enterprise groups (the made-up fixture folders of
  tests/data, 曲周县 2022 only, no evaluation report) builds a complete report whose headline is
  the release's 规上 total; 02 says why it fits no seasonal model and makes no projection, 03
  writes its evaluation layer empty.
* A run for another county (肥乡区, 130407) over the stand-in folder, whose releases all name
  曲周县, shows none of the stand-in's output numbers: they are taken from the default build's
  ``review_headlines.csv``, not typed here.

Each build is a temporary project copy (:func:`tests.conftest.copy_inputs`) run by
:func:`analysis.build.build`, with the run's own parameters file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.growth import MIN_MODEL_MONTHS, NO_PROJECTION
from analysis.vocabulary import (
    ABOVE_SCALE,
    ALL_INDUSTRY,
    COUNTY_SCOPE,
    OUTPUT_INDICATOR,
    TOTAL_GROUP,
)
from tests.conftest import at_project, copy_inputs
from tests.test_fixture_releases import FIXTURES

pytestmark = [pytest.mark.notebooks]

DATA = Path(__file__).parent / "data"
YEAR, MONTH = 2022, 10


def run_build(root: Path, stem: str, params: dict[str, str]) -> Path:
    """Build the project copy ``root`` with ``params`` over the defaults; the run's output
    folder (``runs/<stem>``)."""
    from analysis.build import build

    text = "".join(f"{k}: {v}\n" for k, v in params.items())
    (root / "params" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    with at_project(root):
        rc = build(f"params/{stem}.yaml")
    assert rc == 0, f"the build of {stem} failed (see its output above)"
    return root / "runs" / stem


def fixture_build(repo: Path, root: Path, name: str) -> Path:
    internal = f"data/internal/{name}"
    copy_inputs(repo, root)
    shutil.copytree(DATA / name, root / internal)
    return run_build(root, name, {"internal_data_dir": internal})


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "data" / "processed" / f"{name}.csv", encoding="utf-8-sig")


def headline(heads: pd.DataFrame, key: str) -> pd.Series:
    return heads.set_index("key").loc[key]


def release_rows(industry: pd.DataFrame, coverage: str) -> pd.DataFrame:
    """The county's output total of the run's 1–N月 release, on one coverage."""
    return industry[
        (industry["year"] == YEAR)
        & (industry["month"] == MONTH)
        & (industry["span"] == "cumulative")
        & (industry["scope"] == COUNTY_SCOPE)
        & (industry["group"] == TOTAL_GROUP)
        & (industry["indicator"] == OUTPUT_INDICATOR)
        & (industry["coverage"] == coverage)
        & industry["latest"]
    ]


def check_headline_is_the_release_total(out: Path, name: str) -> pd.DataFrame:
    _, total, growth = FIXTURES[name]  # what the fixture's README says a correct read gives
    heads = table(out, "review_headlines")
    level, rate = headline(heads, "output_cumulative_wan"), headline(heads, "growth_cumulative")
    assert level["available"] and level["value"] == total
    assert rate["available"] and rate["value"] == pytest.approx(growth)
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert level["display"] in index and rate["display"] in index
    # the total alone: contributions only of the total, no model, a projection row saying why
    assert set(table(out, "contributions")["group"]) == {"total"}
    assert table(out, "seasonal_model").empty and table(out, "backtest").empty
    proj = table(out, "projection")
    assert list(proj["method"]) == [NO_PROJECTION] and proj["point_wan"].isna().all()
    assert f"{MIN_MODEL_MONTHS} months" in proj["rule"].iloc[0]
    page = (out / "reports" / "html" / "02_output_growth.html").read_text(encoding="utf-8")
    assert f"至少{MIN_MODEL_MONTHS}个月" in page  # the leader reads why, in Chinese
    # no evaluation report in the folder: 03 writes its what-if layer empty, the rest stands
    assert table(out, "ranking_whatif").empty and table(out, "ranking_whatif_robustness").empty
    assert len(table(out, "ranking_published_positions"))
    return heads


def test_totals_only_release_builds_a_report_headed_by_its_total(
    repo: Path, tmp_path: Path
) -> None:
    name = "fixture_shape_a_totals"
    check_headline_is_the_release_total(fixture_build(repo, tmp_path, name), name)


@pytest.mark.slow
def test_coverage_blocks_release_headline_is_the_above_scale_total(
    repo: Path, tmp_path: Path
) -> None:
    name = "fixture_shape_b_coverage"
    out = fixture_build(repo, tmp_path, name)
    heads = check_headline_is_the_release_total(out, name)
    industry = table(out, "industry_monthly")
    assert len(release_rows(industry, ABOVE_SCALE)) == 1
    all_industry = release_rows(industry, ALL_INDUSTRY)["value_wan"]
    assert len(all_industry) == 1  # the 全部工业 figure is read, and never reaches a headline
    assert all_industry.iloc[0] not in set(heads["value"].dropna())


# the summary's tables fed by the bureau releases: their numbers are the stand-in county's
BUREAU_TABLES = ("industry_monthly", "contributions", "projection")


def test_another_county_shows_none_of_the_stand_in_numbers(
    repo: Path, built: Path, tmp_path: Path
) -> None:
    default = pd.read_csv(
        built / "data" / "processed" / "review_headlines.csv", encoding="utf-8-sig"
    )
    stand_in = default[default["available"] & default["source_table"].isin(BUREAU_TABLES)]
    numbers = sorted(set(stand_in["display"]))
    assert "96.49亿元" in numbers  # the example is among them: the check can bite
    copy_inputs(repo, tmp_path)
    out = run_build(tmp_path, "feixiang", {"county": "肥乡区", "county_code": "'130407'"})
    heads = table(out, "review_headlines")
    output = heads[heads["source_table"].isin(BUREAU_TABLES[:2])]
    assert not output["available"].any()
    for key in ("output_cumulative_wan", "growth_cumulative"):
        assert headline(heads, key)["display"] == "暂无肥乡区的统计局月报数据"
    pages = sorted((out / "reports" / "html").glob("*.html"))
    assert len(pages) == 5
    texts = {p.name: p.read_text(encoding="utf-8") for p in pages}
    texts["index.html"] = (out / "reports" / "index.html").read_text(encoding="utf-8")
    texts["review_sentences.csv"] = (out / "data" / "processed" / "review_sentences.csv").read_text(
        encoding="utf-8-sig"
    )
    assert "暂无肥乡区的统计局月报数据" in texts["index.html"]
    shown = {(name, n) for name, text in texts.items() for n in numbers if n in text}
    assert not shown, f"the stand-in county's numbers in the 130407 run: {sorted(shown)}"
