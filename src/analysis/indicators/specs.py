"""What an indicator is, which registry or definition it follows, and where it is read.

The specs are data (:data:`INDICATOR_SPECS`), so a registry is never chained with another:
the provincial 科技型中小企业 评价入库 count and the national registry's are different series.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FRACTION = "fraction"  # unit of growth rates: stored as a fraction, shown as %
INDICATOR_COLUMNS = [
    "indicator",
    "indicator_en",
    "registry_or_definition",
    "period",
    "value",
    "unit",
    "kind",
    "computation",
    "source",
    "source_url",
]


@dataclass(frozen=True)
class IndicatorSpec:
    """Where one series is read: a figure (``indicator_zh`` regex) or a fact (``indicator``).

    ``registry_or_definition`` separates series that share a name but not a definition;
    ``scale`` converts the published unit to the pipeline's (percent -> fraction: 0.01).
    """

    indicator: str
    indicator_en: str
    registry_or_definition: str
    origin: str  # "figure" or "fact"
    name: str
    scale: float = 1.0
    unit: str | None = None


INDICATOR_SPECS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("高新技术企业", "high-tech enterprises", "stock (总数)", "fact",
                  "高新技术企业总数"),
    IndicatorSpec("高新技术企业", "high-tech enterprises", "stock (总数)", "figure",
                  "高新技术企业"),
    IndicatorSpec("高新技术企业", "high-tech enterprises", "applications in the year",
                  "figure", "申报高新技术企业"),
    IndicatorSpec("高新技术企业", "high-tech enterprises", "certified in the year's first batch",
                  "fact", "第一批认定高新技术企业"),
    IndicatorSpec("科技型中小企业", "tech-based SMEs", "provincial 评价入库 (stock)", "fact",
                  "科技型中小企业总数"),
    IndicatorSpec("科技型中小企业", "tech-based SMEs", "provincial 评价入库 (stock)", "figure",
                  "科技型中小企业"),
    IndicatorSpec("科技型中小企业", "tech-based SMEs", "provincial, recognised in the year",
                  "figure", "认定省级科技型中小企业"),
    IndicatorSpec("科技型中小企业", "tech-based SMEs", "national registry, recognised in the year",
                  "figure", "认定国家级科技型中小企业"),
    IndicatorSpec("科技型中小企业", "tech-based SMEs", "national registry (stock)", "fact",
                  "国家级科技型中小企业"),
    IndicatorSpec("发明专利", "invention patents", "granted, stock", "figure", "发明专利授权"),
    IndicatorSpec("万人发明专利拥有量", "invention patents per 10 000 residents",
                  "as stated by the report", "figure", "万人发明专利拥有量"),
    IndicatorSpec("有效注册商标", "valid registered trademarks", "stock", "figure",
                  "有效注册商标"),
    IndicatorSpec("有效注册商标", "valid registered trademarks", "net increase on the year before",
                  "figure", r"有效注册商标较\d{4}年净增"),
    IndicatorSpec("地方财政科技支出", "local fiscal S&T expenditure", "level", "figure",
                  "地方财政科技支出"),
    IndicatorSpec("地方财政科技支出", "local fiscal S&T expenditure", "growth on the year before",
                  "figure", "地方财政科技支出同比增长", scale=0.01, unit=FRACTION),
    IndicatorSpec("人才", "talent", "PhD/master-level recruited, cumulative", "figure",
                  "引进博硕高层次人才"),
    IndicatorSpec("人才", "talent", "bachelor-and-above recruited in the year", "fact",
                  "引进本科及以上人才"),
)  # fmt: skip


def empty_table(columns: list[str], numeric: tuple[str, ...] = ("value",)) -> pd.DataFrame:
    """An empty table with typed columns (text as 'string'), so an empty table validates."""
    return pd.DataFrame({c: pd.Series(dtype=float if c in numeric else "string") for c in columns})
