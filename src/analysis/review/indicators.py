"""Section 4 of the summary: key S&T indicators, the latest stated value of each.

Read from 04_sti_indicators' ``sti_indicators``, one registry or definition per indicator
(:data:`KEY_INDICATORS`): series of different registries are never mixed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.figures.labels import t
from analysis.review.inputs import rows_ref
from analysis.review.tables import Headline, Sentence, found, missing

# S&T indicators shown in the summary: (key, indicator, registry_or_definition) in sti_indicators
KEY_INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("patents_per_10k", "万人发明专利拥有量", "as stated by the report"),
    ("high_tech_enterprises", "高新技术企业", "stock (总数)"),
    ("tech_smes", "科技型中小企业", "provincial 评价入库 (stock)"),
)
# units of sti_indicators with a translation; others are shown as stored
UNIT_LABELS = {"件": "unit_items", "家": "unit_enterprises"}


def latest_stated(sti: pd.DataFrame | None, indicator: str, registry: str) -> pd.DataFrame:
    if sti is None:
        return pd.DataFrame()
    return sti[
        (sti["indicator"] == indicator)
        & (sti["registry_or_definition"] == registry)
        & (sti["kind"] == "stated")
    ]


def indicator_section(
    inputs: Mapping[str, pd.DataFrame], county: str, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """Key S&T indicators, the latest stated value of each (sti_indicators)."""
    sti = inputs.get("sti_indicators")
    heads: list[Headline] = []
    parts: list[str] = []
    idx: list[int] = []
    for key, indicator, registry in KEY_INDICATORS:
        sel = latest_stated(sti, indicator, registry)
        if sel.empty:
            heads.append(missing(key, f"headline_{key}", "sti_indicators", lang))
            continue
        sel = sel.sort_values("period")
        row, i = sel.iloc[-1], int(sel.index[-1])
        v = float(row["value"])
        unit = t(UNIT_LABELS[row["unit"]], lang) if row["unit"] in UNIT_LABELS else str(row["unit"])
        display = t("amount_unit", lang).format(value=f"{v:g}", unit=unit)
        heads.append(
            found(
                key,
                f"headline_{key}",
                v,
                str(row["unit"]),
                t("value_in_period", lang).format(value=display, period=row["period"]),
                "sti_indicators",
                rows_ref([i]),
                False,
                lang,
                note=str(row["source"]),
            )
        )
        label = t(f"headline_{key}", lang).split("(")[0].strip()
        parts.append(t("labelled_value", lang).format(label=label, value=display))
        idx.append(i)
    sents: list[Sentence] = []
    if parts:
        text = t("sentence_indicators", lang).format(
            county=county, items=t("list_separator", lang).join(parts)
        )
        sents.append(
            Sentence("indicators", "indicators", text, "sti_indicators", rows_ref(idx), False)
        )
    return heads, sents
