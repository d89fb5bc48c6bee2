from pathlib import Path

import pandas as pd
import pytest

from analysis import indicators, schemas
from analysis.build.plan import notebook_parameters
from analysis.errors import DataError
from analysis.figures import indicator_charts
from analysis.indicators import derived
from analysis.indicators import stated as stated_series
from analysis.ingest.workreport import FIGURES_FILE
from analysis.io import read_csv
from analysis.params import load_params
from analysis.paths import Paths

from .conftest import at_project, copy_inputs

POPULATION = 463727.0  # 2020 census, the county of the bundled sources


@pytest.fixture(scope="module")
def bundled(raw: Path) -> indicators.IndicatorSources:
    return indicators.build_indicators(raw, FIGURES_FILE, "曲周县", POPULATION)


def _value(table: pd.DataFrame, indicator: str, definition: str, period: str, kind: str) -> float:
    row = table[
        (table["indicator"] == indicator)
        & (table["registry_or_definition"] == definition)
        & (table["period"] == period)
        & (table["kind"] == kind)
    ]
    assert len(row) == 1, (indicator, definition, period, kind)
    return float(row["value"].iloc[0])


# --- whose sources -------------------------------------------------------------------------


def test_the_report_names_its_county_through_its_publisher(raw: Path) -> None:
    assert indicators.report_is_about(raw, FIGURES_FILE, "曲周县")
    assert not indicators.report_is_about(raw, FIGURES_FILE, "成安县")


def test_the_facts_are_identified_by_their_census_population(raw: Path) -> None:
    facts = indicators.read_facts(raw)
    assert indicators.facts_are_about(facts, POPULATION)
    assert not indicators.facts_are_about(facts, 400_000.0)


def test_another_county_has_no_indicator_sources(raw: Path) -> None:
    other = indicators.build_indicators(raw, FIGURES_FILE, "成安县", 393_000.0)
    assert not other.any and other.indicators.empty and other.platforms.empty
    schemas.validate(other.indicators, schemas.STI_INDICATORS, "sti_indicators")


# --- stated and derived values ---------------------------------------------------------------


def test_the_table_validates_and_every_row_has_a_source(
    bundled: indicators.IndicatorSources,
) -> None:
    table = schemas.validate(bundled.indicators, schemas.STI_INDICATORS, "sti_indicators")
    assert (table["source_url"] != "").all() and (table["source"] != "").all()
    assert set(table["kind"]) == {"stated", "derived"}


def test_patents_per_10k_are_computed_from_the_census(bundled: indicators.IndicatorSources) -> None:
    table = bundled.indicators
    definition = "computed: patents / 2020 census population × 10 000"
    got = _value(table, "万人发明专利拥有量", definition, "2022", "derived")
    assert got == pytest.approx(round(279 / 463727 * 10000, 6))
    assert _value(table, "万人发明专利拥有量", "as stated by the report", "2022", "stated") == 6.02


def test_trademark_stock_2021_is_implied(bundled: indicators.IndicatorSources) -> None:
    assert _value(bundled.indicators, "有效注册商标", "stock", "2021", "derived") == 4300.0


def test_fiscal_spending_2020_is_implied_with_its_rounding(
    bundled: indicators.IndicatorSources,
) -> None:
    table = bundled.indicators
    got = _value(table, "地方财政科技支出", "level", "2020", "derived")
    # midpoint of [5487.5 / 1.00395, 5488.5 / 1.00385]
    assert got == pytest.approx((5487.5 / 1.00395 + 5488.5 / 1.00385) / 2, abs=1e-6)
    assert got == pytest.approx(5488 / 1.0039, abs=0.01)
    assert _value(table, "地方财政科技支出", "growth on the year before", "2021", "stated") == (
        pytest.approx(0.0039)
    )
    row = table[(table["period"] == "2020") & (table["indicator"] == "地方财政科技支出")]
    assert "[5465.91, 5467.45]" in row["computation"].iloc[0]


def test_registries_of_tech_smes_are_never_chained(bundled: indicators.IndicatorSources) -> None:
    smes = bundled.indicators[bundled.indicators["indicator"] == "科技型中小企业"]
    stocks = smes[smes["kind"] == "stated"].groupby("registry_or_definition")["period"]
    assert sorted(stocks.get_group("provincial 评价入库 (stock)")) == ["2020", "2022"]
    assert sorted(stocks.get_group("national registry (stock)")) == ["2024"]
    growth = smes[smes["kind"] == "derived"]
    # the only growth is within the provincial registry: 670 (2020) -> 777 (2022)
    assert growth["registry_or_definition"].tolist() == [
        "provincial 评价入库 (stock): average annual growth"
    ]
    assert growth["value"].iloc[0] == pytest.approx(round((777 / 670) ** 0.5 - 1, 6))
    assert growth["period"].iloc[0] == "2020..2022"


def test_registry_growth_needs_one_definition() -> None:
    stated = pd.DataFrame(
        {
            "indicator": ["x", "x"],
            "indicator_en": ["x", "x"],
            "registry_or_definition": ["national registry (stock)", "provincial (stock)"],
            "period": ["2020", "2024"],
            "value": [100.0, 200.0],
            "source": ["a", "b"],
            "source_url": ["u", "v"],
        }
    )
    assert derived._registry_growth(stated) == []


def test_talent_definitions_stay_apart(bundled: indicators.IndicatorSources) -> None:
    talent = bundled.indicators[bundled.indicators["indicator"] == "人才"]
    assert talent[["registry_or_definition", "period", "value"]].values.tolist() == [
        ["PhD/master-level recruited, cumulative", "2022", 106.0],
        ["bachelor-and-above recruited in the year", "2024", 1332.0],
    ]


def test_periods_as_published_become_years() -> None:
    assert stated_series._year_of("2020 (article 2020-05-07)") == "2020"
    assert stated_series._year_of("cumulative to 2022") == "2022"
    assert stated_series._year_of("as of 2020-05") == "2020"
    assert stated_series._year_of("2024") == "2024"


def test_a_non_numeric_fact_names_row_and_column(raw: Path) -> None:
    facts = indicators.read_facts(raw)
    facts.loc[facts["indicator"] == "高新技术企业总数", "value"] = "34家"
    figures = pd.DataFrame(columns=["indicator_zh"])
    with pytest.raises(DataError) as err:
        indicators.stated_rows(figures, facts, "wr.csv", "url")
    assert (err.value.row, err.value.column) == (7, "value")


# --- platforms ---------------------------------------------------------------------------------


def test_platform_kind_and_level_from_the_name() -> None:
    assert indicators.platform_kind("省级重点实验室") == "laboratory"
    assert indicators.platform_kind("工业设计创新中心入驻设计机构") is None
    assert indicators.platform_kind("创业孵化房间") is None
    assert indicators.platform_level("国家级星创天地") == "national"
    assert indicators.platform_level("院士工作站") == "not stated"


def test_platforms_by_level(bundled: indicators.IndicatorSources) -> None:
    plat = bundled.platforms
    assert sorted(plat["figure_id"]) == [f"F{i}" for i in (*range(25, 37), 45, 46, 47, 48, 56)]
    totals = indicators.platforms_by_level(plat).sum(axis=1)
    assert totals.to_dict() == {"national": 2, "provincial": 25, "municipal": 2, "not stated": 9}


# --- charts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_draw_in_both_languages(bundled: indicators.IndicatorSources, lang: str) -> None:
    series = indicators.series_for_chart(bundled.indicators)
    fig = indicator_charts.indicators_small_multiples(series, lang)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(titles) == 7
    assert ("科技型中小企业（家）" in titles) == (lang == "zh")
    pyramid = indicator_charts.platform_pyramid(
        indicators.platforms_by_level(bundled.platforms), lang
    )
    labels = [t.get_text() for t in pyramid.axes[0].get_yticklabels()]
    assert labels == (
        ["级别未说明", "市级", "省级", "国家级"]
        if lang == "zh"
        else ["Level not stated", "Municipal", "Provincial", "National"]
    )


def test_small_multiples_never_join_points(bundled: indicators.IndicatorSources) -> None:
    fig = indicator_charts.indicators_small_multiples(
        indicators.series_for_chart(bundled.indicators), "en"
    )
    assert all(len(ax.lines) == 0 for ax in fig.axes)


def test_source_note_names_publishers_not_files() -> None:
    table = pd.DataFrame(
        {
            "source": [
                "work_report_2022_figures.csv F1; data/raw/census/c.csv",
                "quzhou_facts.csv: x",
            ]
        }
    )
    assert indicator_charts.source_note(table) == (
        "县科技兴县改革工作汇报、政府网站与新闻报道、第七次全国人口普查"
    )
    assert ".csv" not in indicator_charts.source_note(table, "en")
    assert indicator_charts.source_note(table.iloc[:0]) == ""


# --- the notebook for another county -----------------------------------------------------------


def run_one_notebook(notebook: Path, params, paths: Paths) -> None:
    """Execute one notebook with the run's parameters (papermill, the project kernel)."""
    import papermill

    from analysis.env.envsetup import KERNEL_NAME

    paths.reports.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook), str(paths.reports / notebook.name),
        parameters=notebook_parameters(notebook, params), kernel_name=KERNEL_NAME,
        cwd=str(paths.notebooks), progress_bar=False,
    )  # fmt: skip


@pytest.mark.notebooks
def test_the_notebook_runs_for_a_county_without_sources(repo: Path, tmp_path: Path) -> None:
    root = copy_inputs(repo, tmp_path)
    with at_project(root):
        params = load_params(county="成安县", county_code="130424", output_dir="runs/other")
        paths = Paths.for_run(params.output_dir)
        for name in ("01_ingest.ipynb", "04_sti_indicators.ipynb"):
            run_one_notebook(paths.notebooks / name, params, paths)
    executed = (paths.reports / "04_sti_indicators.ipynb").read_text(encoding="utf-8")
    assert "No indicator sources exist for 成安县 (130424)" in executed
    assert read_csv(paths.processed / "sti_indicators.csv").empty
    assert read_csv(paths.processed / "claims.csv").empty
    assert not (paths.figures / "04_sti_indicators" / "04-indicators.png").exists()
