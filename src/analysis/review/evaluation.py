"""Section 3 of the summary: the county in the province's innovation evaluation.

Its class and position as published (``ranking_published_positions``, 03), the position the
work report claims (an inference about which round it means, said so), and, when the
evaluation stand-in or the county's own report exists, its score and the indicator with the
most headroom (``evaluation_scores``, ``ranking_whatif``). The A list is published in score
order, so a position within class A is a provincial position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.claims import ordinal
from analysis.figures.labels import t
from analysis.review.inputs import rows_ref, table_simulated
from analysis.review.numbers import round_half_up
from analysis.review.tables import Headline, Sentence, found, missing

POSITIONS = "ranking_published_positions"


def _num(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _position_display(row: pd.Series, lang: str) -> str:
    """'2023年度 A类 全省第13位' — the A list is in score order, so within A it is provincial."""
    rnd, cls = int(row["round"]), str(row["class"])
    text = t("position_round", lang).format(round=rnd, cls=cls)
    p = row["position"]
    if pd.notna(p):
        key = "position_in_province" if cls == "A" else "position_in_class"
        text += t(key, lang).format(cls=cls, position=int(p), position_ord=ordinal(int(p)))
    return text


def _evaluation_sentence(row: pd.Series, county: str, lang: str) -> str:
    """'在2023年度全省县域科技创新能力监测评价(2022年数据)中，曲周县被评为A类县，位列全省…'"""
    cls = str(row["class"])
    p, n, cp = row["position"], row["n_in_class"], row["city_position"]
    position = count = city = ""
    if pd.notna(p):
        key = "evaluation_in_province" if cls == "A" else "evaluation_in_class"
        position = t(key, lang).format(cls=cls, position=int(p), position_ord=ordinal(int(p)))
    if pd.notna(n):
        count = t("evaluation_class_size", lang).format(cls=cls, n=int(n))
    if pd.notna(cp):
        city = t("evaluation_in_city", lang).format(position=int(cp), position_ord=ordinal(int(cp)))
    return t("sentence_evaluation", lang).format(
        round=int(row["round"]),
        data_year=int(row["data_year"]),
        county=county,
        cls=cls,
        position=position,
        count=count,
        city=city,
    )


def _latest_published(
    mine: pd.DataFrame | None, county: str, lang: str
) -> tuple[Headline, list[Sentence]]:
    """The county's class and position in the latest round with a published list."""
    published = (
        mine[mine["attribution"] == "published"].sort_values("round") if mine is not None else None
    )
    if published is None or published.empty:
        return missing("evaluation_latest", "headline_eval_latest", POSITIONS, lang), []
    row = published.iloc[-1]
    ref = rows_ref([int(published.index[-1])])
    head = found("evaluation_latest", "headline_eval_latest", _num(row["position"]), "position",
                 _position_display(row, lang), POSITIONS, ref, False, lang,
                 note=str(row["source"]))  # fmt: skip
    sentence = Sentence(
        "evaluation_latest",
        "evaluation",
        _evaluation_sentence(row, county, lang),
        POSITIONS,
        ref,
        False,
    )
    return head, [sentence]


def _month_text(written: str, lang: str) -> str:
    """'2022-11' as a Chinese text writes it (2022年11月); other forms as they are."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", written.strip())
    return f"{m.group(1)}年{int(m.group(2))}月" if m and lang == "zh" else written


def _claimed(mine: pd.DataFrame | None, county: str, lang: str) -> tuple[Headline, list[Sentence]]:
    """The position the work report claims, with the round it is inferred to mean."""
    claimed = (
        mine[(mine["attribution"] == "inferred") & mine["position"].notna()].sort_values("round")
        if mine is not None
        else None
    )
    if claimed is None or claimed.empty:
        return missing("evaluation_claim", "headline_eval_claim", POSITIONS, lang), []
    row = claimed.iloc[-1]
    ref = rows_ref([int(claimed.index[-1])])
    written = _month_text(str(row["source"]).replace("work report written ", ""), lang)
    note = t("inferred_note", lang).format(
        written=written, round=int(row["round"]), data_year=int(row["data_year"])
    )
    display = f"{_position_display(row, lang)} *{t('inferred', lang)}"
    head = found("evaluation_claim", "headline_eval_claim", _num(row["position"]), "position",
                 display, POSITIONS, ref, False, lang, note=note)  # fmt: skip
    p, cp = int(row["position"]), row["city_position"]
    city = (
        t("claim_in_city", lang).format(position=int(cp), position_ord=ordinal(int(cp)))
        if pd.notna(cp)
        else ""
    )
    text = t("sentence_claim", lang).format(
        county=county, position=p, position_ord=ordinal(p), city=city, note=note
    )
    return head, [Sentence("evaluation_claim", "evaluation", text, POSITIONS, ref, False)]


def evaluation_section(
    inputs: Mapping[str, pd.DataFrame],
    county: str,
    county_code: str,
    target_position: int,
    lang: str,
) -> tuple[list[Headline], list[Sentence]]:
    """The county's class and position as published, the work report's (inferred) claim, and
    the evaluation stand-in's score and what-if when those tables exist."""
    pos = inputs.get(POSITIONS)
    mine = (
        pos[(pos["role"] == "county") & (pos["county_code"] == county_code)]
        if pos is not None
        else None
    )
    heads: list[Headline] = []
    sents: list[Sentence] = []
    for head, sentences in (
        _latest_published(mine, county, lang),
        _claimed(mine, county, lang),
    ):
        heads.append(head)
        sents += sentences
    h, s = evaluation_score_section(inputs, county, county_code, lang)
    heads += h
    sents += s
    heads.append(whatif_headline(inputs, target_position, lang))
    return heads, sents


def evaluation_score_section(
    inputs: Mapping[str, pd.DataFrame], county: str, county_code: str, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """The county's score in the latest round of ``evaluation_scores`` (when present)."""
    scores = inputs.get("evaluation_scores")
    absent: tuple[list[Headline], list[Sentence]] = (
        [missing("evaluation_score", "headline_eval_score", "evaluation_scores", lang)],
        [],
    )
    if scores is None:
        return absent
    mine = scores[scores["county_code"] == county_code].sort_values("round")
    if mine.empty:
        return absent
    row, i = mine.iloc[-1], int(mine.index[-1])
    sim = table_simulated(scores, [i])
    ref = rows_ref([i])
    score = f"{round_half_up(row['score'], 2):f}"
    rnd = int(row["round"])
    head = found(
        "evaluation_score",
        "headline_eval_score",
        float(row["score"]),
        "points",
        t("score_display", lang).format(round=rnd, score=score),
        "evaluation_scores",
        ref,
        sim,
        lang,
    )
    position = int(row["position"])
    text = t("sentence_score", lang).format(
        round=rnd,
        county=county,
        score=score,
        cls=row["class"],
        position=position,
        position_ord=ordinal(position),
    )
    return [head], [Sentence("evaluation_score", "evaluation", text, "evaluation_scores", ref, sim)]


def whatif_headline(
    inputs: Mapping[str, pd.DataFrame], target_position: int, lang: str
) -> Headline:
    """The indicator with the most headroom in ``ranking_whatif`` (03's indicator layer)."""
    w = inputs.get("ranking_whatif")
    if w is None or w.empty or "headroom_points" not in w.columns:
        return missing("whatif_top", "headline_whatif", "ranking_whatif", lang)
    i = int(w["headroom_points"].astype(float).idxmax())
    row = w.loc[i]
    pts = f"{round_half_up(row['headroom_points'], 2):f}"
    return found(
        "whatif_top",
        "headline_whatif",
        float(row["headroom_points"]),
        "points",
        t("headroom_display", lang).format(indicator=row["indicator"], points=pts),
        "ranking_whatif",
        rows_ref([i]),
        table_simulated(w, [i]),
        lang,
        note=f"target position {target_position}",
    )
