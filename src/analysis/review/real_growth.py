"""The estimated real growth beside the province's and the nation's published real growth.

The county's 总产值 growth is nominal (current prices); 02_output_growth deflates it by the
national producer price index into an estimate (``real_growth``, labelled 估算). Only that
estimate may be set beside the published growth of above-scale *value added* (real,
comparable prices) of the province and the nation — never the nominal rate. The published
rates are read from the context table (``growth.context_rates``) by the notebook and passed in;
a region is quoted for the same span if it published one, else for its latest cumulative span
of the year up to the run's month, named in the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.figures.labels import LABELS, t
from analysis.review.inputs import rows_ref, table_simulated
from analysis.review.numbers import month_en, percent_text, signed_percent, span_text
from analysis.review.tables import Headline, Sentence, found, missing

TABLE = "real_growth"
REGIONS = ("河北省", "全国")  # the province first, then the nation


def _row(real: pd.DataFrame | None, year: int, month: int) -> pd.Series | None:
    if real is None or real.empty:
        return None
    sel = real[(real["span"] == "cumulative") & (real["period"] == f"{year}-01..{month:02d}")]
    if sel.empty:
        return None
    row = sel.iloc[0]
    row.name = sel.index[0]
    return row


def _span_end(period: str) -> int | None:
    """'2022-01..06' -> 6 (a cumulative span's last month)."""
    try:
        return int(str(period).rsplit("..", 1)[1])
    except (IndexError, ValueError):
        return None


def context_rows(context: pd.DataFrame | None, year: int, month: int) -> list[pd.Series]:
    """The province's and the nation's published cumulative rate of the year: for the same span
    when published, else the latest span up to ``month`` (each row with its ``end`` month)."""
    if context is None or context.empty:
        return []
    out = []
    cum = context[context["cumulative"].astype(str).str.lower().eq("true")]
    for region in REGIONS:
        rows = cum[(cum["region"] == region) & cum["period"].str.startswith(f"{year}-01..")]
        rows = rows.assign(end=rows["period"].map(_span_end))
        rows = rows[rows["end"].notna() & (rows["end"] <= month)]
        if len(rows):
            out.append(rows.loc[rows["end"].idxmax()])
    return out


def region_name(region: str, lang: str) -> str:
    key = f"region_{region}"
    return t(key, lang) if key in LABELS else region


def context_items(context: pd.DataFrame | None, year: int, month: int, lang: str) -> list[str]:
    """'河北省1-6月规模以上工业增加值增长5.2%' for the province and the nation."""
    return [
        t("real_growth_context_item", lang).format(
            region=region_name(row["region"], lang),
            span=span_text(int(row["end"]), lang),
            growth=percent_text(float(row["growth"]), 1),
        )
        for row in context_rows(context, year, month)
    ]


def real_growth_section(
    inputs: Mapping[str, pd.DataFrame],
    context: pd.DataFrame | None,
    year: int,
    month: int,
    lang: str,
) -> tuple[list[Headline], list[Sentence]]:
    """The estimated real growth of the year to date (估算), and one sentence setting it beside
    the province's and the nation's published real growth."""
    real = inputs.get(TABLE)
    row = _row(real, year, month)
    if row is None:
        return [missing("real_growth", "headline_real_growth", TABLE, lang)], []
    i = int(row.name)
    ref, sim = rows_ref([i]), table_simulated(real, [i])
    value = float(row["real_growth_estimate"])
    display = (
        f"{signed_percent(value, 1)}（{t('estimate_mark', lang)}）"
        if lang == "zh"
        else (f"{signed_percent(value, 1)} ({t('estimate_mark', lang)})")
    )
    head = found("real_growth", "headline_real_growth", value, "fraction", display, TABLE, ref,
                 sim, lang, note=str(row["label"]))  # fmt: skip
    items = context_items(context, year, month, lang)
    region = "region_national" if row["ppi_region"] == "全国" else ""
    text = t("sentence_real_growth", lang).format(
        span=span_text(month, lang),
        month_en=month_en(month),
        real=("-" if value < 0 else "") + percent_text(value, 1),
        region=t(region, lang) if region else row["ppi_region"],
        context=t("real_growth_context", lang).format(items=t("list_separator", lang).join(items))
        if items
        else "",
    )
    return [head], [Sentence("real_growth", "output", text, TABLE, ref, sim)]
