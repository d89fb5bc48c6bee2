"""The leadership summary (analysis.review): number formatting in work-report conventions, the
drafted sentences with their sources, the level-ratio note, and sections without data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import review, schemas
from analysis.errors import DataError
from analysis.schemas import write_tables

RELEASE = "模拟数据_2022年01-10月规上工业.xlsx"


def industry_rows() -> pd.DataFrame:
    """The bureau's 1-10月 release of 2022 and 2021 (total and key group), as 01 stores it."""
    base = {
        "scope": "全县",
        "coverage": "规模以上",
        "indicator": "工业总产值",
        "latest": True,
        "simulated": True,
        "release": RELEASE,
    }
    rows = [
        (2021, "cumulative", "合计", "合计", 841982.0, 0.181, 1),
        (2022, "cumulative", "合计", "合计", 964900.0, 0.2070, 2),
        (2022, "cumulative", "重点企业", "重点企业(晨光、恒博、科伦等)", 230900.0, 0.16, 2),
        (2022, "month", "合计", "合计", 138700.0, 0.2896, 2),
    ]
    return pd.DataFrame(
        [
            {
                **base,
                "year": y,
                "month": 10,
                "span": span,
                "group": g,
                "label": label,
                "value_wan": v,
                "growth": gr,
                "growth_decimals": d,
            }
            for y, span, g, label, v, gr, d in rows
        ]
    )


def contributions_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2022-01..10"] * 3,
            "span": ["cumulative"] * 3,
            "group": ["重点企业", "其他企业", "total"],
            "level_wan": [230900.0, 734000.0, 964900.0],
            "base_wan": [199051.724138, 600368.325572, 799420.049710],
            "growth": [0.16, 0.222583, 0.207],
            "pull_pp": [3.983922579, 16.71607742, 20.7],
            "pull_lo_pp": [3.87, 16.6, 20.65],
            "pull_hi_pp": [4.09, 16.8, 20.75],
            "contribution_share": [0.192460028, 0.807539972, 1.0],
            "simulated": [True] * 3,
        }
    )


def positions_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": ["county", "county", "city_peer"],
            "round": [2021, 2023, 2023],
            "data_year": [2020, 2022, 2022],
            "county_code": ["130435", "130435", "130402"],
            "county": ["曲周县", "曲周县", "邯山区"],
            "city": ["邯郸市"] * 3,
            "class": ["A", "A", "A"],
            "position": [8.0, 13.0, 30.0],
            "n_in_class": [32, 66, 66],
            "city_position": [1.0, 1.0, 2.0],
            "attribution": ["inferred", "published", "published"],
            "basis": ["", "", ""],
            "source": ["work report written 2022-11", "http://x", "http://x"],
        }
    )


@pytest.fixture
def inputs() -> dict[str, pd.DataFrame]:
    return {
        "industry_monthly": industry_rows(),
        "contributions": contributions_rows(),
        "ranking_published_positions": positions_rows(),
    }


def summary(inputs: dict, lang: str = "zh", **kw) -> review.Review:
    args = dict(
        county="曲周县",
        county_code="130435",
        year=2022,
        through_month=10,
        target_growth=0.15,
        target_position=5,
        lang=lang,
    )
    return review.build_review(inputs, **{**args, **kw})


# formatting -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fraction", "decimals", "expected"),
    [
        (0.207, 2, "20.70"),  # as published: the trailing zero is kept
        (0.16, 2, "16.00"),
        (0.2896, 2, "28.96"),
        (0.16, 0, "16"),
        (-0.0325, 1, "3.3"),
        (0.12345, None, "12.3"),
        (0.00049, 1, "0.0"),
    ],
)
def test_percent_text_uses_the_published_decimals_half_up(fraction, decimals, expected) -> None:
    assert review.percent_text(fraction, decimals) == expected


def test_money_is_yi_with_two_decimals_half_up() -> None:
    assert review.yi_text(964900.0) == "96.49"
    assert review.yi_text(138750.0) == "13.88"  # half up, not to even
    assert review.pp_text(3.983922579) == "4.0"


def test_growth_phrase_says_up_down_or_flat() -> None:
    assert review.growth_phrase(0.207, 2, "zh") == "同比增长20.70%"
    assert review.growth_phrase(-0.032, 1, "zh") == "同比下降3.2%"
    assert review.growth_phrase(0.0004, 1, "zh") == "与上年同期持平"
    assert review.growth_phrase(-0.032, 1, "en") == "down 3.2% year on year"


def test_area_word_follows_the_unit() -> None:
    assert [review.area_word(x) for x in ("曲周县", "邯山区", "武安市")] == ["全县", "全区", "全市"]


# sentences and headlines -----------------------------------------------------------------------
def test_the_output_and_key_enterprise_sentences_read_as_the_work_report(inputs) -> None:
    s = summary(inputs).sentences.set_index("sentence_id")
    assert s.at["output", "text"] == (
        "【模拟数据】1-10月，全县规模以上工业总产值完成96.49亿元，同比增长20.70%，"
        "其中10月份完成产值13.87亿元，同比增长28.96%。"
    )
    assert s.at["output", "source_table"] == "industry_monthly"
    assert s.at["output", "source_row"] == "3;5"  # CSV lines of the 2022 total rows
    assert s.at["key_enterprises", "text"] == (
        "【模拟数据】重点企业累计完成产值23.09亿元，增长16.00%，拉动全县增长4.0个百分点。"
    )
    assert (s.at["key_enterprises", "source_table"], s.at["key_enterprises", "source_row"]) == (
        "contributions",
        "2",
    )
    assert s["simulated"].loc[["output", "key_enterprises"]].all()


def test_an_all_industry_row_never_reaches_the_above_scale_headline(inputs) -> None:
    """A release with 全部工业 and 其中:规模以上 rows: the headline is the 规上 figure."""
    industry = inputs["industry_monthly"]
    all_industry = industry[industry["group"] == "合计"].assign(
        coverage="全部工业", value_wan=lambda d: d["value_wan"] * 1.5
    )
    bigger = pd.concat([all_industry, industry], ignore_index=True)
    h = summary({**inputs, "industry_monthly": bigger}).headlines.set_index("key")
    assert h.at["output_cumulative_wan", "value"] == pytest.approx(964900.0)


def test_enterprise_names_only_when_the_run_allows_them(inputs) -> None:
    s = summary(inputs, allow_enterprise_tables=True).sentences.set_index("sentence_id")
    assert s.at["key_enterprises", "text"].startswith(
        "【模拟数据】晨光、恒博、科伦等重点企业累计完成产值"
    )


def test_english_sentences(inputs) -> None:
    s = summary(inputs, lang="en").sentences.set_index("sentence_id")
    assert s.at["output", "text"] == (
        "[SIMULATED] January–October: above-scale industrial output of the county reached "
        "96.49 hundred million yuan, up 20.70% year on year; October alone 13.87 hundred "
        "million yuan, up 28.96% year on year."
    )
    assert set(summary(inputs, lang="en").sentences["lang"]) == {"en"}


def test_the_evaluation_claim_carries_its_inference_note(inputs) -> None:
    r = summary(inputs)
    h = r.headlines.set_index("key")
    assert h.at["evaluation_latest", "display"] == "2023年度A类，全省第13位"
    assert h.at["evaluation_latest", "source_row"] == "3"
    assert h.at["evaluation_claim", "value"] == 8.0
    assert (
        "推断" in h.at["evaluation_claim", "note"]
        and "写于2022年11月" in h.at["evaluation_claim", "note"]
        and "2021年度" in h.at["evaluation_claim", "note"]
    )
    s = r.sentences.set_index("sentence_id")
    assert s.at["evaluation_latest", "text"] == (
        "在2023年度全省县域科技创新能力监测评价（2022年数据）中，曲周县被评为A类县，"
        "位列全省第13位（全省A类县共66个），居全市第1位。"
    )


def test_level_ratio_is_not_the_published_growth(inputs) -> None:
    lr = review.level_ratio(inputs["industry_monthly"], 2022, 10)
    assert lr is not None
    assert lr.naive_growth == pytest.approx(964900 / 841982 - 1)
    assert lr.k == pytest.approx(964900 / 1.207 / 841982)
    assert lr.k * (1 + lr.published_growth) - 1 == pytest.approx(lr.naive_growth)
    h = summary(inputs).headlines.set_index("key")
    assert h.at["naive_level_ratio", "display"] == "14.60%"  # the growth's decimals
    assert h.at["scope_factor_k", "display"] == "0.949"
    assert h.at["scope_factor_k", "source_row"] == "3;2"


def test_missing_tables_are_not_available_not_errors(inputs) -> None:
    h = summary(inputs).headlines.set_index("key")
    for key in ("projection_growth", "evaluation_score", "whatif_top", "patents_per_10k"):
        assert (h.at[key, "display"], h.at[key, "available"]) == ("暂无数据", False), key
    assert pd.isna(h.at["projection_growth", "value"])


def test_another_county_gets_no_evaluation_rows() -> None:
    r = summary(
        {"ranking_published_positions": positions_rows()}, county="馆陶县", county_code="130433"
    )
    h = r.headlines.set_index("key")
    assert not h["available"].any()
    assert r.sentences.empty
    assert r.simulated_tables == []


def test_optional_evaluation_tables_are_used_when_present(inputs) -> None:
    inputs["evaluation_scores"] = pd.DataFrame(
        {
            "round": [2023, 2024],
            "data_year": [2022, 2023],
            "county_code": ["130435"] * 2,
            "county": ["曲周县"] * 2,
            "city": ["邯郸市"] * 2,
            "score": [84.125, 86.5],
            "class": ["A", "A"],
            "position": [13, 11],
            "quantitative_points": [72.0, 74.0],
            "qualitative_points": [12.125, 12.5],
            "simulated": [True, True],
            "round_published": [True, True],
        }
    )
    inputs["ranking_whatif"] = pd.DataFrame(
        {
            "indicator": ["高新技术企业数量", "地方财政科技支出"],
            "headroom_points": [1.5, 3.25],
            "simulated": [True, True],
        }
    )
    r = summary(inputs)
    h = r.headlines.set_index("key")
    assert h.at["evaluation_score", "display"] == "2024年度：86.50分"
    assert h.at["whatif_top", "display"] == "地方财政科技支出（尚有3.25分空间）"
    assert h.at["whatif_top", "source_row"] == "3"
    s = r.sentences.set_index("sentence_id")
    assert (
        s.at["evaluation_score", "text"]
        == "【模拟数据】2024年度监测评价中，曲周县得分86.50分，为A类，位列全省第11位。"
    )
    assert s.at["evaluation_score", "simulated"]
    assert "evaluation_scores" in r.simulated_tables


def test_the_tables_pass_their_schemas_and_a_broken_one_names_row_and_column(
    inputs, tmp_path: Path
) -> None:
    r = summary(inputs)
    write_tables(
        {
            "review_headlines": (r.headlines, review.REVIEW_HEADLINES),
            "review_sentences": (r.sentences, review.REVIEW_SENTENCES),
        },
        tmp_path,
    )
    assert (tmp_path / "review_sentences.csv").is_file()
    bad = r.sentences.copy()
    bad.loc[1, "source_row"] = ""
    with pytest.raises(DataError) as err:
        write_tables({"review_sentences": (bad, review.REVIEW_SENTENCES)}, tmp_path / "x")
    assert (err.value.row, err.value.column) == (3, "source_row")
    assert not (tmp_path / "x").exists()


def test_claim_counts_list_every_status(tmp_path: Path) -> None:
    claims = pd.DataFrame({"status": ["calibrated", "stated_only", "stated_only"]})
    counts = review.claim_counts(claims, "zh").set_index("status")["count"].to_dict()
    assert counts == {
        "reproduced": 0,
        "consistent": 0,
        "contradicted": 0,
        "calibrated": 1,
        "stated_only": 2,
    }


# reading ----------------------------------------------------------------------------------------
def test_inputs_are_read_through_their_writers_schemas_and_absent_ones_left_out(
    tmp_path: Path,
) -> None:
    write_tables({"contributions": (contributions_rows(), schemas.CONTRIBUTIONS)}, tmp_path)
    got = review.load_inputs(tmp_path)
    assert list(got) == ["contributions"]
    pd.testing.assert_frame_equal(got["contributions"], contributions_rows())
    assert review.load_inputs(tmp_path / "empty") == {}


def test_an_input_breaking_its_contract_is_refused_naming_table_row_and_column(
    tmp_path: Path,
) -> None:
    bad = contributions_rows()
    bad.loc[2, "level_wan"] = -1.0  # a level below zero
    bad.to_csv(tmp_path / "contributions.csv", index=False)
    with pytest.raises(DataError, match="contributions") as err:
        review.load_inputs(tmp_path)
    assert (err.value.row, err.value.column) == (4, "level_wan")


def projection_rows() -> pd.DataFrame:
    """02's projection table: the model and a baseline, the baseline chosen as the headline."""
    common = {"year": 2022, "through_month": 10, "base_fy_wan": 1_000_000.0, "target_growth": 0.15}
    rows = [
        ("model_sarimax", 1_260_000.0, 0.26, 0.25, 0.27, 1.0, False),
        ("ytd_share", 1_250_000.0, 0.25, 0.24, 0.26, 0.99, True),
    ]
    return pd.DataFrame(
        [
            {**common, "method": m, "point_wan": p, "growth_point": g, "growth_lo80": lo,
             "growth_hi80": hi, "p_reach_target": pr, "headline": h,
             "rule": "lowest mean absolute error of full-year growth", "simulated": True}
            for m, p, g, lo, hi, pr, h in rows
        ]
    )  # fmt: skip


def test_projection_quotes_the_headline_method_and_names_it(inputs) -> None:
    r = summary({**inputs, "projection": projection_rows()})
    h = r.headlines.set_index("key")
    assert h.at["projection_growth", "value"] == pytest.approx(0.25)
    assert "累计占比法" in h.at["projection_growth", "display"]
    text = r.sentences.set_index("sentence_id").at["projection", "text"]
    assert "125.00亿元" in text and "累计占比法" in text
    assert "126.00" not in text
