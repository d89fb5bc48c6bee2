"""Derived values, computed here and never copied, with the published rounding carried through:
patents per 10 000 residents (census population), the trademark stock of the year before, the
fiscal S&T spending of the year before, and growth within one registry."""

from __future__ import annotations

import re

import pandas as pd

from analysis.claims import Interval
from analysis.indicators.specs import FRACTION, INDICATOR_COLUMNS

CENSUS_URL = "https://github.com/leiii/census"
CENSUS_SOURCE = "第七次全国人口普查 county table (data/raw/census/hebei_census2020_county.csv)"


def _one(stated: pd.DataFrame, indicator: str, definition: str, period: str) -> pd.Series | None:
    rows = stated[
        (stated["indicator"] == indicator)
        & (stated["registry_or_definition"] == definition)
        & (stated["period"] == period)
    ]
    return rows.iloc[0] if len(rows) else None


def _interval(row: pd.Series, figures: pd.DataFrame) -> Interval:
    """The rounding interval of a stated row read from a figure (exact for facts' counts)."""
    fid = re.search(r"\b(F\d{2,3})\b", row["source"])
    if fid is None:
        return Interval.exact(float(row["value"]))
    figure = figures.set_index("figure_id").loc[fid.group(1)]
    scale = float(row["value"]) / float(figure["value"]) if float(figure["value"]) else 1.0
    return figure["interval"] * scale


def patents_per_10k(patents: Interval, population: float) -> Interval:
    """Invention patents per 10 000 residents."""
    return patents / population * 10_000


def derived_rows(
    stated: pd.DataFrame, figures: pd.DataFrame, census_population: float | None
) -> pd.DataFrame:
    """Rates and implied levels computed from the stated rows (``kind`` = derived)."""
    out = []

    def add(indicator: str, en: str, definition: str, period: str, value: Interval, unit: str,
            how: str, source: str, url: str) -> None:  # fmt: skip
        out.append(
            {
                "indicator": indicator,
                "indicator_en": en,
                "registry_or_definition": definition,
                "period": period,
                "value": round(value.mid, 6),
                "unit": unit,
                "kind": "derived",
                "computation": f"{how} = {value.mid:.6g}; with the published rounding {value}",
                "source": source,
                "url": url,
            }
        )

    for _, pat in stated[stated["indicator"] == "发明专利"].iterrows():
        if census_population is None:
            break
        got = patents_per_10k(_interval(pat, figures), census_population)
        add(
            "万人发明专利拥有量",
            "invention patents per 10 000 residents",
            "computed: patents / 2020 census population × 10 000",
            pat["period"],
            got,
            "件",
            f"{pat['value']:g} / {census_population:,.0f} × 10 000",
            f"{pat['source']}; {CENSUS_SOURCE}",
            CENSUS_URL,
        )

    for _, inc in stated[
        (stated["indicator"] == "有效注册商标")
        & (stated["registry_or_definition"] == "net increase on the year before")
    ].iterrows():
        stock = _one(stated, "有效注册商标", "stock", inc["period"])
        if stock is not None:
            prev = str(int(inc["period"]) - 1)
            got = _interval(stock, figures) - _interval(inc, figures)
            add(
                "有效注册商标",
                "valid registered trademarks",
                "stock",
                prev,
                got,
                stock["unit"],
                f"{stock['value']:g} − {inc['value']:g} (stock {inc['period']} "
                f"minus its net increase)",
                f"{stock['source']}; {inc['source']}",
                stock["source_url"],
            )

    for _, g in stated[
        (stated["indicator"] == "地方财政科技支出")
        & (stated["registry_or_definition"] == "growth on the year before")
    ].iterrows():
        level = _one(stated, "地方财政科技支出", "level", g["period"])
        if level is not None:
            prev = str(int(g["period"]) - 1)
            got = _interval(level, figures) / (1 + _interval(g, figures))
            add(
                "地方财政科技支出",
                "local fiscal S&T expenditure",
                "level",
                prev,
                got,
                level["unit"],
                f"{level['value']:g} / (1 + {g['value']:g})",
                f"{level['source']}; {g['source']}",
                level["source_url"],
            )

    out += _registry_growth(stated)
    table = pd.DataFrame(out)
    if table.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    return table.rename(columns={"url": "source_url"})[INDICATOR_COLUMNS]


def _registry_growth(stated: pd.DataFrame) -> list[dict[str, object]]:
    """Average annual growth between the first and last year of each stock series.

    Only within one ``registry_or_definition``: registries are never chained.
    """
    out = []
    stocks = stated[stated["registry_or_definition"].str.contains("stock")]
    for (indicator, definition), grp in stocks.groupby(
        ["indicator", "registry_or_definition"], sort=True
    ):
        years = grp.assign(y=grp["period"].astype(int)).sort_values("y")
        if len(years) < 2 or years["y"].nunique() < 2:
            continue
        first, last = years.iloc[0], years.iloc[-1]
        n = int(last["y"] - first["y"])
        rate = (last["value"] / first["value"]) ** (1 / n) - 1
        out.append(
            {
                "indicator": indicator,
                "indicator_en": first["indicator_en"],
                "registry_or_definition": f"{definition}: average annual growth",
                "period": f"{first['period']}..{last['period']}",
                "value": round(rate, 6),
                "unit": FRACTION,
                "kind": "derived",
                "computation": f"({last['value']:g} / {first['value']:g})^(1/{n}) − 1 = "
                f"{rate:.6g} (one registry, {definition})",
                "source": f"{first['source']}; {last['source']}",
                "url": f"{first['source_url']} ; {last['source_url']}",
            }
        )
    return out
