"""The county's S&T indicators over time, from every real source, with units and sources.

Sources: a work report's figures (``published/work_report_2022_figures.csv``), other published
facts about the county (``published/quzhou_facts.csv``) and the 2020 census. What an indicator
is, which registry or definition it follows, and where it is read are data
(:data:`INDICATOR_SPECS`), so a registry is never chained with another: the provincial
科技型中小企业 评价入库 count (670 in 2020, 777 in 2022) and the national registry's (158 in 2024)
are different series, as are PhD/master recruits and bachelor-and-above recruits.

Derived values are computed here, never copied: patents per 10 000 residents from the patent
count and the census population, the 2021 trademark stock from the 2022 stock and its increase,
the 2020 fiscal S&T spending from the 2021 level and its growth, and growth within one registry.
Their ``computation`` column says how, with the published rounding carried through.

The sources are about one county. Which one is read from the data, not assumed: the work
report's publisher in ``SOURCES.csv`` names it, and the facts file states its county's 2020
census population. For any other county there are no indicator sources and the table is empty.

Modules: :mod:`.specs` (what is read, and how), :mod:`.sources` (whose sources these are),
:mod:`.stated`, :mod:`.derived`, :mod:`.platforms` and :mod:`.table` (the whole table). This
module re-exports what notebook 04, its charts and the tests call.
"""

from __future__ import annotations

from analysis.indicators.derived import (
    CENSUS_SOURCE,
    CENSUS_URL,
    derived_rows,
    patents_per_10k,
)
from analysis.indicators.platforms import (
    LEVEL_ORDER,
    PLATFORM_COLUMNS,
    PLATFORM_KINDS,
    PLATFORM_LEVELS,
    platform_kind,
    platform_level,
    platform_rows,
    platforms,
    platforms_by_level,
)
from analysis.indicators.sources import (
    CENSUS_FACT,
    FACTS_COLUMNS,
    FACTS_FILE,
    facts_are_about,
    read_facts,
    report_county_names,
    report_is_about,
)
from analysis.indicators.specs import (
    FRACTION,
    INDICATOR_COLUMNS,
    INDICATOR_SPECS,
    IndicatorSpec,
    empty_table,
)
from analysis.indicators.stated import (
    stated_rows,
)
from analysis.indicators.table import (
    IndicatorSources,
    build_indicators,
    series_for_chart,
)

__all__ = [
    "CENSUS_FACT",
    "CENSUS_SOURCE",
    "CENSUS_URL",
    "FACTS_COLUMNS",
    "FACTS_FILE",
    "FRACTION",
    "INDICATOR_COLUMNS",
    "INDICATOR_SPECS",
    "LEVEL_ORDER",
    "PLATFORM_COLUMNS",
    "PLATFORM_KINDS",
    "PLATFORM_LEVELS",
    "IndicatorSources",
    "IndicatorSpec",
    "build_indicators",
    "derived_rows",
    "empty_table",
    "facts_are_about",
    "patents_per_10k",
    "platform_kind",
    "platform_level",
    "platform_rows",
    "platforms",
    "platforms_by_level",
    "read_facts",
    "report_county_names",
    "report_is_about",
    "series_for_chart",
    "stated_rows",
]
