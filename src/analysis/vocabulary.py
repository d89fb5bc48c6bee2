"""The statistics bureau's words, declared once: the names under which the monthly tables of
above-scale industry (规上工业) are stored and looked up, and the one table of what releases
print for them.

Readers map what a release prints onto these names (``analysis.ingest.bureau``); the analyses,
the claims register and the review look rows up by them. Changing one here changes it everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

COUNTY_SCOPE = "全县"  # the whole county, as opposed to a development zone or a township
TOTAL_GROUP = "合计"  # the total of all enterprises of the coverage in the scope
KEY_GROUP = "重点企业"  # the bureau's key-enterprise group
OUTPUT_INDICATOR = "工业总产值"  # gross industrial output (current prices)
SALES_INDICATOR = "工业销售产值"
VALUE_ADDED_INDICATOR = "工业增加值"
FIRMS_INDICATOR = "企业单位数"
EXPORT_INDICATOR = "出口交货值"
SALES_RATE_INDICATOR = "产品销售率"  # sales over output, a percentage (产销率)

# Coverage: which enterprises a figure counts. The monthly tables are of above-scale industry
# (规模以上: annual main revenue of 20 million yuan or more); some releases add all industry
# (全部工业) or below-scale rows. A 规上 headline takes the 规模以上 figure, never another.
ABOVE_SCALE = "规模以上"
ALL_INDUSTRY = "全部工业"
BELOW_SCALE = "规模以下"
HEADLINE_COVERAGE = ABOVE_SCALE


class Printed(NamedTuple):
    """One name as releases print it (spaces, a leading 其中/内 and a unit in brackets aside)."""

    printed: str
    kind: str  # "indicator" | "total" (a total row; alone on a row it heads a coverage block)
    stored: str  # the stored indicator or group
    coverage: str  # the coverage the name itself states, "" if none


_O, _T, _S, _R = OUTPUT_INDICATOR, TOTAL_GROUP, SALES_INDICATOR, SALES_RATE_INDICATOR
PRINTED_NAMES: tuple[Printed, ...] = (
    # gross output: every form names the same indicator; some also name the coverage
    Printed("工业总产值", "indicator", _O, ""),
    Printed("总产值", "indicator", _O, ""),
    Printed("产值", "indicator", _O, ""),  # 规上工业产值, 主要行业产值
    Printed("现价工业总产值", "indicator", _O, ""),
    Printed("工业总产值(现价)", "indicator", _O, ""),
    Printed("工业总产值(当年价)", "indicator", _O, ""),
    Printed("规模以上工业总产值", "indicator", _O, ABOVE_SCALE),
    Printed("规上工业总产值", "indicator", _O, ABOVE_SCALE),
    Printed("规模以上工业现价总产值", "indicator", _O, ABOVE_SCALE),
    Printed("全部工业总产值", "indicator", _O, ALL_INDUSTRY),
    Printed("规模以下工业总产值", "indicator", _O, BELOW_SCALE),
    Printed("工业销售产值", "indicator", _S, ""),
    Printed("销售产值", "indicator", _S, ""),
    Printed("现价工业销售产值", "indicator", _S, ""),
    Printed("工业销售产值(现价)", "indicator", _S, ""),
    Printed("工业销售产值(当年价)", "indicator", _S, ""),
    Printed("规模以上工业销售产值", "indicator", _S, ABOVE_SCALE),
    Printed("出口交货值", "indicator", EXPORT_INDICATOR, ""),
    Printed("工业出口交货值", "indicator", EXPORT_INDICATOR, ""),
    Printed("规模以上工业出口交货值", "indicator", EXPORT_INDICATOR, ABOVE_SCALE),
    Printed("产品销售率", "indicator", _R, ""),
    Printed("工业产品销售率", "indicator", _R, ""),
    Printed("产销率", "indicator", _R, ""),
    Printed("工业产销率", "indicator", _R, ""),
    Printed("规模以上工业产品销售率", "indicator", _R, ABOVE_SCALE),
    Printed("工业增加值", "indicator", VALUE_ADDED_INDICATOR, ""),
    Printed("增加值", "indicator", VALUE_ADDED_INDICATOR, ""),
    Printed("规模以上工业增加值", "indicator", VALUE_ADDED_INDICATOR, ABOVE_SCALE),
    Printed("规上工业增加值", "indicator", VALUE_ADDED_INDICATOR, ABOVE_SCALE),
    Printed("全部工业增加值", "indicator", VALUE_ADDED_INDICATOR, ALL_INDUSTRY),
    Printed("企业单位数", "indicator", FIRMS_INDICATOR, ""),
    Printed("企业个数", "indicator", FIRMS_INDICATOR, ""),
    Printed("企业数", "indicator", FIRMS_INDICATOR, ""),
    Printed("单位数", "indicator", FIRMS_INDICATOR, ""),
    Printed("规模以上工业企业单位数", "indicator", FIRMS_INDICATOR, ABOVE_SCALE),
    # the total row; a name with a coverage also heads a block or a 其中 sub-row of that coverage
    Printed("合计", "total", _T, ""),
    Printed("总计", "total", _T, ""),
    Printed("全县合计", "total", _T, ""),
    Printed("全部合计", "total", _T, ""),
    Printed("规上合计", "total", _T, ABOVE_SCALE),
    Printed("规上工业合计", "total", _T, ABOVE_SCALE),
    Printed("规模以上合计", "total", _T, ABOVE_SCALE),
    Printed("规模以上工业合计", "total", _T, ABOVE_SCALE),
    Printed("规模以上工业", "total", _T, ABOVE_SCALE),
    Printed("规模以上工业企业", "total", _T, ABOVE_SCALE),
    Printed("规模以上", "total", _T, ABOVE_SCALE),
    Printed("规上工业", "total", _T, ABOVE_SCALE),
    Printed("规上企业", "total", _T, ABOVE_SCALE),
    Printed("规上", "total", _T, ABOVE_SCALE),
    Printed("全部工业", "total", _T, ALL_INDUSTRY),
    Printed("全部工业合计", "total", _T, ALL_INDUSTRY),
    Printed("规模以下工业", "total", _T, BELOW_SCALE),
    Printed("规模以下", "total", _T, BELOW_SCALE),
    Printed("规下工业", "total", _T, BELOW_SCALE),
)
BY_PRINTED: dict[str, Printed] = {p.printed: p for p in PRINTED_NAMES}

# Labels a release prints for the total row (also with spaces, as some bureaus pad them).
TOTAL_LABELS = frozenset(
    {p.printed for p in PRINTED_NAMES if p.kind == "total"} | {"总 计", "合 计"}
)

# Words before an indicator that name the whole place, not a part (全市工业总产值 = 工业总产值).
WHOLE_PLACE_WORDS = ("全县", "全市", "全区", "全旗", "全省")

# Words of a title that state the coverage of the whole release, checked in this order.
TITLE_COVERAGE = (
    ("规模以下", BELOW_SCALE),
    ("规模以上", ABOVE_SCALE),
    ("规上", ABOVE_SCALE),
    ("全部工业", ALL_INDUSTRY),
)
