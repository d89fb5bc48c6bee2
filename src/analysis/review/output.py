"""Section 1 of the summary: above-scale industrial output, its growth, the key enterprises' pull.

Levels and growth come from the bureau's table (``industry_monthly``, latest vintage, whole
county) as published: growth on the comparable basis (同口径), never a ratio of two published
levels. The key-enterprise group's pull (拉动, percentage points) and contribution share come
from 02_output_growth's ``contributions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from analysis.figures.labels import t
from analysis.review.inputs import rows_ref, table_simulated
from analysis.review.numbers import (
    area_word,
    growth_phrase,
    month_en,
    percent_text,
    pp_text,
    signed_percent,
    span_text,
    yi_display,
    yi_text,
)
from analysis.review.tables import Headline, Sentence, found, missing
from analysis.vocabulary import (
    COUNTY_SCOPE,
    HEADLINE_COVERAGE,
    KEY_GROUP,
    OUTPUT_INDICATOR,
    TOTAL_GROUP,
)

KEY_HEADLINES = (
    ("key_output_wan", "headline_key_output"),
    ("key_growth", "headline_key_growth"),
    ("key_pull_pp", "headline_key_pull"),
    ("key_contribution_share", "headline_key_share"),
)


@dataclass(frozen=True)
class OutputRows:
    """The bureau's rows for one release: total and key group, cumulative and month."""

    cum: pd.Series | None
    month: pd.Series | None
    key_cum: pd.Series | None
    prev_cum: pd.Series | None


def _release_row(
    industry: pd.DataFrame, year: int, month: int, span: str, group: str
) -> pd.Series | None:
    rows = industry[
        industry["latest"].astype(str).str.lower().eq("true")
        & (industry["year"] == year)
        & (industry["month"] == month)
        & (industry["span"] == span)
        & (industry["group"] == group)
        & (industry["indicator"] == OUTPUT_INDICATOR)
        & (industry["scope"] == COUNTY_SCOPE)
        & (industry["coverage"] == HEADLINE_COVERAGE)
    ]
    if rows.empty:
        return None
    return rows.iloc[0]


def output_rows(industry: pd.DataFrame | None, year: int, month: int) -> OutputRows:
    if industry is None:
        return OutputRows(None, None, None, None)
    return OutputRows(
        cum=_release_row(industry, year, month, "cumulative", TOTAL_GROUP),
        month=_release_row(industry, year, month, "month", TOTAL_GROUP),
        key_cum=_release_row(industry, year, month, "cumulative", KEY_GROUP),
        prev_cum=_release_row(industry, year - 1, month, "cumulative", TOTAL_GROUP),
    )


def key_group_name(label: str, allow_enterprise_names: bool, lang: str) -> str:
    """'重点企业(晨光、恒博、科伦等)' -> '晨光、恒博、科伦等重点企业' when names may be shown,
    else the group alone; leadership pages name enterprises only if the run allows it (and
    only in Chinese, where the names are written)."""
    if lang == "en":
        return "Key enterprises"
    if allow_enterprise_names and "(" in label and label.endswith(")"):
        group, names = label[:-1].split("(", 1)
        return f"{names}{group}"
    return KEY_GROUP


def output_section(
    inputs: Mapping[str, pd.DataFrame],
    county: str,
    year: int,
    month: int,
    lang: str,
    allow_enterprise_names: bool = False,
) -> tuple[list[Headline], list[Sentence]]:
    """Output level and comparable growth (cumulative and month), key enterprises' pull."""
    industry = inputs.get("industry_monthly")
    if industry is not None and industry.empty:
        return no_releases(county, lang), []
    r = output_rows(industry, year, month)
    heads: list[Headline] = []
    sents: list[Sentence] = []
    area = area_word(county)
    table = "industry_monthly"
    for row, (level_key, level_label), (growth_key, growth_label) in (
        (
            r.cum,
            ("output_cumulative_wan", "headline_output_cum"),
            ("growth_cumulative", "headline_growth_cum"),
        ),
        (
            r.month,
            ("output_month_wan", "headline_output_month"),
            ("growth_month", "headline_growth_month"),
        ),
    ):
        if row is None:
            heads += [
                missing(level_key, level_label, table, lang),
                missing(growth_key, growth_label, table, lang),
            ]
            continue
        i = int(row.name)
        ref, sim = rows_ref([i]), table_simulated(industry, [i])
        level, growth = row["value_wan"], row["growth"]
        heads += [
            found(level_key, level_label, float(level), "万元", yi_display(level, lang), table,
                  ref, sim, lang),
            found(growth_key, growth_label, float(growth), "fraction",
                  signed_percent(growth, row["growth_decimals"]), table, ref, sim, lang),
        ]  # fmt: skip
    if r.cum is not None:
        sents.append(output_sentence(r, area, month, lang, industry))

    key_heads, key_sents = key_enterprise_section(
        inputs, r, year, month, area, lang, allow_enterprise_names
    )
    return heads + key_heads, sents + key_sents


def no_releases(county: str, lang: str) -> list[Headline]:
    """The section's headlines when the run's county has no bureau release (an empty
    ``industry_monthly``: 01 reads only the releases that name this county or none): each
    says so instead of "not available", and no other county's figure can stand in."""
    text = t("no_bureau_releases", lang).format(county=county)
    keys = (
        ("output_cumulative_wan", "headline_output_cum"),
        ("growth_cumulative", "headline_growth_cum"),
        ("output_month_wan", "headline_output_month"),
        ("growth_month", "headline_growth_month"),
    )
    heads = [missing(k, lab, "industry_monthly", lang, note=text) for k, lab in keys]
    heads += [missing(k, lab, "contributions", lang, note=text) for k, lab in KEY_HEADLINES]
    return [replace(h, display=text) for h in heads]


def output_sentence(
    r: OutputRows, area: str, month: int, lang: str, industry: pd.DataFrame
) -> Sentence:
    """'1-10月，全县规模以上工业总产值完成96.49亿元，同比增长20.7%，其中10月份完成产值…'"""
    c = r.cum
    if c is None:
        raise ValueError("output_sentence needs the cumulative row (see no_output_items)")
    idx = [int(c.name)]
    text = t("sentence_output", lang).format(
        span=span_text(month, lang),
        area=area,
        level=yi_text(c["value_wan"]),
        growth=growth_phrase(c["growth"], c["growth_decimals"], lang),
    )
    m = r.month
    if m is not None and month > 1 and pd.notna(m["value_wan"]):
        idx.append(int(m.name))
        text += t("sentence_output_month", lang).format(
            month=month,
            month_en=month_en(month),
            level=yi_text(m["value_wan"]),
            growth=growth_phrase(m["growth"], m["growth_decimals"], lang),
        )
    text += t("full_stop", lang)
    return Sentence(
        "output", "output", text, "industry_monthly", rows_ref(idx), table_simulated(industry, idx)
    )


def _key_change(growth: float, decimals: float | None, lang: str) -> str:
    """'增长16.0%' / 'up 16.0% year on year'. The Chinese sentence states the direction even
    when the rate rounds to zero (增长0.0%); the English one then says 'flat'."""
    if lang == "en":
        return growth_phrase(growth, decimals, lang)
    key = "key_change_up" if growth >= 0 else "key_change_down"
    return t(key, lang).format(pct=percent_text(growth, decimals))


def key_enterprise_section(
    inputs: Mapping[str, pd.DataFrame],
    r: OutputRows,
    year: int,
    month: int,
    area: str,
    lang: str,
    allow_enterprise_names: bool,
) -> tuple[list[Headline], list[Sentence]]:
    """The key-enterprise group's output, growth, pull (拉动, pp) and contribution share."""
    contrib = inputs.get("contributions")
    keys, labels = zip(*KEY_HEADLINES, strict=True)
    row = None
    if contrib is not None:
        sel = contrib[
            (contrib["period"] == f"{year}-01..{month:02d}")
            & (contrib["span"] == "cumulative")
            & (contrib["group"] == KEY_GROUP)
        ]
        row = sel.iloc[0] if len(sel) else None
        if row is not None:
            row.name = sel.index[0]
    if row is None:
        return [missing(k, lab, "contributions", lang) for k, lab in zip(keys, labels)], []
    i = int(row.name)
    ref = rows_ref([i])
    sim = table_simulated(contrib, [i])
    decimals = r.key_cum["growth_decimals"] if r.key_cum is not None else None
    label = str(r.key_cum["label"]) if r.key_cum is not None else KEY_GROUP
    pull = pp_text(row["pull_pp"])
    pull_text = t("amount_pp", lang).format(pp=f"{'-' if row['pull_pp'] < 0 else ''}{pull}")
    shown = (
        (float(row["level_wan"]), "万元", yi_display(row["level_wan"], lang)),
        (float(row["growth"]), "fraction", signed_percent(row["growth"], decimals)),
        (float(row["pull_pp"]), "pp", pull_text),
        (
            float(row["contribution_share"]),
            "fraction",
            signed_percent(row["contribution_share"], 1),
        ),
    )
    heads = [
        found(key, lab, value, unit, display, "contributions", ref, sim, lang)
        for key, lab, (value, unit, display) in zip(keys, labels, shown, strict=True)
    ]
    text = t("sentence_key_enterprises", lang).format(
        name=key_group_name(label, allow_enterprise_names, lang),
        level=yi_text(row["level_wan"]),
        month_en=month_en(month),
        change=_key_change(row["growth"], decimals, lang),
        pull=t("pull_up" if row["pull_pp"] >= 0 else "pull_down", lang).format(area=area, pp=pull),
    )
    return heads, [Sentence("key_enterprises", "output", text, "contributions", ref, sim)]
