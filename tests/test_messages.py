"""Each page's key messages (analysis.review.messages): their numbers are the tables' numbers,
written as the display layer writes them; 【模拟数据】 marks exactly the lines (and drafted
sentences) that rest on a stand-in; Chinese text uses full-width punctuation."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import review
from analysis.review import messages
from analysis.review.numbers import percent_text, pp_text, yi_text

from .test_review import contributions_rows, industry_rows, positions_rows, summary

MARK = {"zh": "【模拟数据】", "en": "[SIMULATED] "}
ASCII_PUNCT_BY_CJK = re.compile(r"[\u4e00-\u9fff][(),;:]|[(,;:][\u4e00-\u9fff]")


def growth_lines(industry: pd.DataFrame, contrib: pd.DataFrame, lang: str = "zh") -> list[str]:
    km = messages.growth_messages(industry, contrib, None, None, "曲周县", 2022, 10, lang)
    return list(km.lines)


def test_the_output_line_carries_the_tables_numbers() -> None:
    industry, contrib = industry_rows(), contributions_rows()
    cum = industry[(industry["year"] == 2022) & (industry["span"] == "cumulative")
                   & (industry["group"] == "合计")].iloc[0]  # fmt: skip
    month = industry[industry["span"] == "month"].iloc[0]
    key = contrib[contrib["group"] == "重点企业"].iloc[0]
    lines = growth_lines(industry, contrib)
    assert yi_text(cum["value_wan"]) in lines[0]
    assert percent_text(cum["growth"], cum["growth_decimals"]) + "%" in lines[0]
    assert yi_text(month["value_wan"]) in lines[0]
    assert percent_text(month["growth"], month["growth_decimals"]) + "%" in lines[0]
    assert pp_text(key["pull_pp"]) in lines[1]
    assert percent_text(key["contribution_share"], 1) + "%" in lines[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("simulated", [True, False])
def test_the_mark_is_there_exactly_when_simulated(simulated: bool, lang: str) -> None:
    industry = industry_rows().assign(simulated=simulated)
    contrib = contributions_rows().assign(simulated=simulated)
    lines = growth_lines(industry, contrib, lang)
    assert len(lines) >= 2
    assert all(line.startswith(MARK[lang]) == simulated for line in lines[:2])
    assert not any(MARK[lang] in line[len(MARK[lang]) :] for line in lines)  # once, at the start


@pytest.mark.parametrize("simulated", [True, False])
def test_drafted_sentences_carry_the_mark_in_their_text_exactly_when_simulated(
    simulated: bool,
) -> None:
    inputs = {
        "industry_monthly": industry_rows().assign(simulated=simulated),
        "contributions": contributions_rows().assign(simulated=simulated),
        "ranking_published_positions": positions_rows(),
    }
    s = summary(inputs).sentences
    assert len(s)
    for _, row in s.iterrows():
        assert row["text"].startswith(MARK["zh"]) == bool(row["simulated"]), row["text"]
    assert s["simulated"].any() == simulated  # the evaluation sentences are real either way


def test_the_block_is_html_for_the_page_and_text_for_the_notebook() -> None:
    km = messages.KeyMessages(("一行 <b>", "二行"))
    html = km._repr_html_()
    assert html.startswith('<div class="leader-messages">')
    assert html.count("<li>") == 2 and "&lt;b&gt;" in html
    assert repr(km).splitlines() == ["· 一行 <b>", "· 二行"]


def test_a_county_without_releases_is_told_so_without_numbers() -> None:
    km = messages.growth_messages(None, None, None, None, "馆陶县", 2022, 10, "zh")
    assert 1 <= len(km.lines) <= 4
    assert "馆陶县" in km.lines[0]
    assert not any(re.search(r"\d(%|亿元|个百分点)", line) for line in km.lines)


def test_the_position_is_the_published_one_and_the_claim_only_a_note() -> None:
    positions = positions_rows()
    published = positions[
        (positions["role"] == "county") & (positions["attribution"] == "published")
    ]
    inferred = positions[(positions["role"] == "county") & (positions["attribution"] == "inferred")]
    p, q = int(published["position"].iloc[0]), int(inferred["position"].iloc[0])
    lines = messages.ranking_messages(positions, None, "曲周县", "130435", 5, "zh").lines
    assert f"第{p}位" in lines[0]
    assert not any(f"第{q}位" in line for line in lines)
    note = messages.claim_note(positions, "130435", "zh")
    assert f"第{q}位" in note and "推断" in note


def test_the_summary_messages_repeat_the_headlines() -> None:
    inputs = {
        "industry_monthly": industry_rows(),
        "contributions": contributions_rows(),
        "ranking_published_positions": positions_rows(),
    }
    heads = summary(inputs).headlines
    h = heads.set_index("key")
    lines = messages.review_messages(heads, None, "曲周县", 10, "zh").lines
    assert 2 <= len(lines) <= 4
    assert h.at["output_cumulative_wan", "display"] in lines[0]
    assert h.at["key_pull_pp", "display"] in lines[0]
    assert h.at["evaluation_latest", "display"] in " ".join(lines)


def test_chinese_text_uses_full_width_punctuation() -> None:
    inputs = {
        "industry_monthly": industry_rows(),
        "contributions": contributions_rows(),
        "ranking_published_positions": positions_rows(),
    }
    r = summary(inputs)
    texts = [*r.sentences["text"], *r.headlines["display"], *r.headlines["note"].fillna("")]
    texts += list(messages.growth_messages(industry_rows(), contributions_rows(), None, None,
                                           "曲周县", 2022, 10, "zh").lines)  # fmt: skip
    bad = [x for x in texts if ASCII_PUNCT_BY_CJK.search(str(x))]
    assert bad == []


def test_english_messages_are_english() -> None:
    lines = growth_lines(industry_rows(), contributions_rows(), "en")
    assert all(not re.search(r"[\u4e00-\u9fff]", line) for line in lines), lines
    r = summary(
        {"industry_monthly": industry_rows(), "contributions": contributions_rows()}, lang="en"
    )
    assert all(not re.search(r"[\u4e00-\u9fff]", x) for x in r.sentences["text"])


def test_growth_keeps_the_published_decimals_and_computed_rates_one() -> None:
    """One precision per quantity: a published rate as the bureau printed it (20.70 beside
    28.96 of the same release), a pull or share computed here with one decimal."""
    assert review.percent_text(0.207, 2) == "20.70"
    assert review.percent_text(0.207, 1) == "20.7"
    assert review.percent_text(0.12345, None) == "12.3"


def test_the_leaders_sentences_leave_the_claim_and_simulated_ranks_to_notes() -> None:
    from analysis.review import views

    scores = pd.DataFrame(
        {"round": [2024], "data_year": [2023], "county_code": ["130435"], "county": ["曲周县"],
         "city": ["邯郸市"], "score": [86.5], "class": ["A"], "position": [34],
         "quantitative_points": [74.0], "qualitative_points": [12.5], "simulated": [True],
         "round_published": [True]}
    )  # fmt: skip
    inputs = {
        "industry_monthly": industry_rows(),
        "ranking_published_positions": positions_rows(),
        "evaluation_scores": scores,
    }
    s = summary(inputs).sentences
    assert {"evaluation_claim", "evaluation_score", "evaluation_latest"} <= set(s["sentence_id"])
    shown = views.leader_sentences(s)
    assert set(shown["sentence_id"]) == set(s["sentence_id"]) - {
        "evaluation_claim",
        "evaluation_score",
    }
    real = summary({**inputs, "evaluation_scores": scores.assign(simulated=False)}).sentences
    assert "evaluation_score" in set(views.leader_sentences(real)["sentence_id"])
