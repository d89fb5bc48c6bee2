"""The leadership summary (05_annual_review): headline numbers and drafted sentences.

Everything here reads the processed tables the other notebooks wrote and turns them into text
for the written review, in the conventions of a Chinese work report: money in 亿元 with two
decimals, growth as 同比增长/下降 x.x%, differences and pulls in 个百分点 (拉动). It formats;
it does not compute afresh.

* :mod:`.inputs` — the tables read (each through its writer's schema) and how rows are cited;
* :mod:`.numbers` — rounding (half-up, with the bureau's published decimals) and number words;
* :mod:`.tables` — the headline and sentence rows and their contracts;
* sections: :mod:`.output` (output, growth, key enterprises), :mod:`.projection`,
  :mod:`.evaluation`, :mod:`.indicators`, :mod:`.level_ratio` (why a ratio of two published
  levels is not the growth);
* :mod:`.build` — the whole summary; :mod:`.figure_list` and :mod:`.report_check` — the
  figures and the work report's checked figures; :mod:`.html` — the page's fragments.

Every word shown comes from the one translation table (:mod:`analysis.figures.labels`). Each
headline and sentence names the table and CSV line(s) it comes from and whether a simulated
stand-in stands behind it; a section whose table is missing yields rows marked not available,
never an error. This module re-exports what notebook 05 and the tests call.
"""

from __future__ import annotations

from analysis.review.build import Review, build_review
from analysis.review.figure_list import figure_set
from analysis.review.html import banner_html, figure_html, headlines_html, sentences_html
from analysis.review.inputs import INPUT_TABLES, load_inputs
from analysis.review.level_ratio import (
    LevelRatio,
    level_ratio,
    level_ratio_frame,
    level_ratio_history,
)
from analysis.review.numbers import (
    area_word,
    growth_phrase,
    percent_text,
    pp_text,
    probability_text,
    signed_percent,
    yi_display,
    yi_text,
)
from analysis.review.report_check import claim_counts, claims_list
from analysis.review.tables import (
    HEADLINE_COLUMNS,
    REVIEW_HEADLINES,
    REVIEW_SENTENCES,
    SENTENCE_COLUMNS,
    Headline,
    Sentence,
)

__all__ = [
    "HEADLINE_COLUMNS",
    "INPUT_TABLES",
    "REVIEW_HEADLINES",
    "REVIEW_SENTENCES",
    "SENTENCE_COLUMNS",
    "Headline",
    "LevelRatio",
    "Review",
    "Sentence",
    "area_word",
    "banner_html",
    "build_review",
    "claim_counts",
    "claims_list",
    "figure_html",
    "figure_set",
    "growth_phrase",
    "headlines_html",
    "level_ratio",
    "level_ratio_frame",
    "level_ratio_history",
    "load_inputs",
    "percent_text",
    "pp_text",
    "probability_text",
    "sentences_html",
    "signed_percent",
    "yi_display",
    "yi_text",
]
