"""The summary as a whole: every section's headlines and sentences in one pair of tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import pandas as pd

from analysis.figures.labels import check_lang, t
from analysis.review.evaluation import evaluation_section
from analysis.review.indicators import indicator_section
from analysis.review.level_ratio import LevelRatio, level_ratio, level_ratio_items
from analysis.review.output import output_section
from analysis.review.projection import projection_section
from analysis.review.real_growth import real_growth_section
from analysis.review.tables import HEADLINE_COLUMNS, SENTENCE_COLUMNS, Headline, Sentence


@dataclass(frozen=True)
class Review:
    headlines: pd.DataFrame
    sentences: pd.DataFrame
    level_ratio: LevelRatio | None

    @property
    def simulated_tables(self) -> list[str]:
        """The tables behind a simulated number in this summary."""
        tabs = pd.concat(
            [
                self.headlines.loc[self.headlines["simulated"], "source_table"],
                self.sentences.loc[self.sentences["simulated"], "source_table"],
            ]
        )
        return sorted(set(tabs))


def build_review(
    inputs: Mapping[str, pd.DataFrame],
    *,
    county: str,
    county_code: str,
    year: int,
    through_month: int,
    target_growth: float,
    target_position: int,
    lang: str = "zh",
    allow_enterprise_tables: bool = False,
    context: pd.DataFrame | None = None,
) -> Review:
    """Headline numbers and drafted sentences of the summary, in ``lang``.

    ``context``: the province's and the nation's published real growth
    (:func:`analysis.growth.context_rates`), set beside the county's estimated real growth.
    A sentence resting on a simulated stand-in starts with the mark 【模拟数据】 in its text, so
    it cannot be pasted into a report without it.
    """
    check_lang(lang)
    heads: list[Headline] = []
    sents: list[Sentence] = []
    lr = level_ratio(inputs.get("industry_monthly"), year, through_month)
    for h, s in (
        output_section(inputs, county, year, through_month, lang, allow_enterprise_tables),
        projection_section(inputs, year, through_month, target_growth, lang),
        real_growth_section(inputs, context, year, through_month, lang),
        evaluation_section(inputs, county, county_code, target_position, lang),
        indicator_section(inputs, county, lang),
        level_ratio_items(lr, lang),
    ):
        heads += h
        sents += s
    hdf = pd.DataFrame([{**asdict(x), "lang": lang} for x in heads], columns=HEADLINE_COLUMNS)
    hdf["value"] = hdf["value"].astype(float)
    hdf["simulated"] = hdf["simulated"].astype(bool)
    hdf["available"] = hdf["available"].astype(bool)
    sents = [marked(x, lang) for x in sents]
    sdf = pd.DataFrame([{**asdict(x), "lang": lang} for x in sents], columns=SENTENCE_COLUMNS)
    sdf["simulated"] = sdf["simulated"].astype(bool)
    return Review(hdf, sdf, lr)


def marked(sentence: Sentence, lang: str) -> Sentence:
    """The sentence with the simulated mark at the start of its text when it rests on a
    stand-in (once: a sentence already marked is left as it is)."""
    mark = t("simulated_sentence_mark", lang)
    if not sentence.simulated or sentence.text.startswith(mark):
        return sentence
    return replace(sentence, text=mark + sentence.text)
