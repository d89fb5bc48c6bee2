"""The stated series: one row per published value of every spec'd indicator (``kind`` = stated)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.indicators.sources import FACTS_FILE
from analysis.indicators.specs import INDICATOR_COLUMNS, INDICATOR_SPECS, IndicatorSpec


def _year_of(period: str) -> str:
    """The leading year of a period as published ('2020 (article 2020-05-07)' -> '2020')."""
    years = re.findall(r"\d{4}", period)
    if not years:
        return period
    return years[0] if re.match(r"\s*(?:as of |c\.)?\d{4}", period) else years[-1]


def stated_rows(
    figures: pd.DataFrame,
    facts: pd.DataFrame | None,
    figures_source: str,
    figures_url: str,
    specs: tuple[IndicatorSpec, ...] = INDICATOR_SPECS,
) -> pd.DataFrame:
    """One row per published value of every spec'd series (``kind`` = stated)."""
    out = []
    for spec in specs:
        if spec.origin == "figure":
            hits = figures[figures["indicator_zh"].str.fullmatch(spec.name)]
            for _, f in hits.iterrows():
                out.append(
                    _stated(
                        spec,
                        f["period"],
                        float(f["value"]) * spec.scale,
                        f["unit"],
                        f"{figures_source} {f['figure_id']} ({f['indicator_zh']})",
                        figures_url,
                    )
                )
        elif facts is not None:
            hits = facts[facts["indicator"] == spec.name]
            for i, f in hits.iterrows():
                value = pd.to_numeric(f["value"], errors="coerce")
                if pd.isna(value):
                    raise DataError(
                        f"{f['value']!r} is not a number",
                        file=FACTS_FILE,
                        row=int(i) + 2,
                        column="value",
                    )
                note = f"; {f['note']}" if f["note"] else ""
                out.append(
                    _stated(
                        spec,
                        f["period"],
                        float(value) * spec.scale,
                        f["unit"],
                        f"{FACTS_FILE.name}: {f['indicator']}{note}",
                        f["source_url"],
                    )
                )
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


def _stated(
    spec: IndicatorSpec, period: str, value: float, unit: str, source: str, url: str
) -> dict[str, object]:
    year = _year_of(period)
    as_printed = "" if year == period else f" (period as published: {period})"
    scaled = f"; published in {unit}, ×{spec.scale:g}" if spec.scale != 1 else ""
    return {
        "indicator": spec.indicator,
        "indicator_en": spec.indicator_en,
        "registry_or_definition": spec.registry_or_definition,
        "period": year,
        "value": value,
        "unit": spec.unit or unit,
        "kind": "stated",
        "computation": f"as published{as_printed}{scaled}",
        "source": source,
        "source_url": url,
    }
