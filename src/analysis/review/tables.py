"""The summary's two tables: headline numbers and drafted sentences, with their contracts.

Each headline and each sentence carries the table and the CSV line(s) it comes from
(``source_table``, ``source_row``), so every number a leader reads can be traced back, and
says whether a simulated stand-in stands behind it. A headline whose table is missing is a row
marked not available, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from analysis.figures.labels import t
from analysis.review.inputs import INPUT_TABLES


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: float | None
    unit: str
    display: str
    source_table: str
    source_row: str
    simulated: bool
    available: bool
    note: str = ""


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    topic: str
    text: str
    source_table: str
    source_row: str
    simulated: bool


def missing(key: str, label_key: str, table: str, lang: str, note: str = "") -> Headline:
    """A headline whose table or row does not exist for this run."""
    return Headline(
        key, t(label_key, lang), None, "", t("not_available", lang), table, "", False, False, note
    )


def found(
    key: str,
    label_key: str,
    value: float | None,  # None: published without a number (a class listed without a position)
    unit: str,
    display: str,
    table: str,
    ref: str,
    simulated: bool,
    lang: str,
    note: str = "",
) -> Headline:
    """An available headline number: value, display text and the table rows it comes from."""
    return Headline(
        key, t(label_key, lang), value, unit, display, table, ref, simulated, True, note
    )


HEADLINE_COLUMNS = [
    "key",
    "lang",
    "label",
    "value",
    "unit",
    "display",
    "source_table",
    "source_row",
    "simulated",
    "available",
    "note",
]
SENTENCE_COLUMNS = [
    "sentence_id",
    "topic",
    "lang",
    "text",
    "source_table",
    "source_row",
    "simulated",
]
_ROWS = pa.Check.str_matches(r"^(\d+(;\d+)*)?$")

REVIEW_HEADLINES = pa.DataFrameSchema(
    {
        "key": pa.Column(str, unique=True),
        "lang": pa.Column(str, pa.Check.isin(["zh", "en"])),
        "label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "display": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_table": pa.Column(str, pa.Check.isin(list(INPUT_TABLES))),
        "source_row": pa.Column(str, _ROWS),
        "simulated": pa.Column(bool),
        "available": pa.Column(bool),
        "note": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: d["available"] == (d["value"].notna() & d["source_row"].ne("")),
            error="an available headline has a value and its source row; a missing one neither",
        ),
    ],
    strict=True,
    ordered=True,
)

REVIEW_SENTENCES = pa.DataFrameSchema(
    {
        "sentence_id": pa.Column(str, unique=True),
        "topic": pa.Column(str, pa.Check.isin(["output", "evaluation", "indicators", "note"])),
        "lang": pa.Column(str, pa.Check.isin(["zh", "en"])),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_table": pa.Column(str, pa.Check.isin(list(INPUT_TABLES))),
        "source_row": pa.Column(str, pa.Check.str_matches(r"^\d+(;\d+)*$")),
        "simulated": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)
