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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.claims import Interval, read_figures
from analysis.errors import DataError
from analysis.ingest.sources import read_sources

FACTS_FILE = Path("published") / "quzhou_facts.csv"
CENSUS_URL = "https://github.com/leiii/census"
CENSUS_SOURCE = "第七次全国人口普查 county table (data/raw/census/hebei_census2020_county.csv)"
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
FACTS_COLUMNS = ["indicator", "indicator_en", "period", "value", "unit", "source_url", "note"]
CENSUS_FACT = re.compile(r"第七次.*普查")


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

# Platform kinds by the end of their name (工业设计创新中心入驻设计机构 is not a platform).
PLATFORM_KINDS: tuple[tuple[str, str], ...] = (
    ("实验室", "laboratory"),
    ("技术中心", "technology centre"),
    ("创新中心", "technology centre"),
    ("研究院", "research institute"),
    ("联盟", "innovation alliance"),
    ("星创天地", "incubator / maker space"),
    ("孵化器", "incubator / maker space"),
    ("众创空间", "incubator / maker space"),
    ("孵化基地", "incubator / maker space"),
    ("科普基地", "popular-science base"),
    ("工作站", "workstation"),
    ("合作基地", "cooperation base"),
)
PLATFORM_LEVELS: tuple[tuple[str, str], ...] = (
    ("国家级", "national"),
    ("省级", "provincial"),
    ("市级", "municipal"),
)
LEVEL_ORDER = ("national", "provincial", "municipal", "not stated")
PLATFORM_COLUMNS = ["figure_id", "name", "level", "platform_kind", "period", "value", "unit"]


def empty_table(columns: list[str], numeric: tuple[str, ...] = ("value",)) -> pd.DataFrame:
    """An empty table with typed columns (text as 'string'), so an empty table validates."""
    return pd.DataFrame({c: pd.Series(dtype=float if c in numeric else "string") for c in columns})


# ---------------------------------------------------------------------------------------------
# whose sources are these?


def report_county_names(raw: Path, figures_file: Path) -> str:
    """The publisher of the report a figures file was read from (``SOURCES.csv``).

    The figures file's ``source_url`` names the report file; that file's publisher names the
    county (e.g. '<county> S&T innovation service centre').
    """
    sources = read_sources(raw).set_index("file")
    key = Path(figures_file).as_posix()
    if key not in sources.index:
        raise DataError(f"{key} is not listed", file=raw / "SOURCES.csv", column="file")
    report = sources.at[key, "source_url"].split(" ")[0]
    if report in sources.index:
        return str(sources.at[report, "publisher"])
    return str(sources.at[key, "publisher"])


def report_is_about(raw: Path, figures_file: Path, county: str) -> bool:
    """True if the work report behind ``figures_file`` was published by ``county``'s offices."""
    return county in report_county_names(raw, figures_file)


def read_facts(raw: Path) -> pd.DataFrame:
    """The published facts file, as text (values such as '1500余万' stay as printed)."""
    path = raw / FACTS_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in FACTS_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", file=path, row=1)
    return df


def facts_are_about(facts: pd.DataFrame, census_population: float) -> bool:
    """True if the facts' 7th-census population (in 人) is the county's census count.

    The facts file does not name its county; its census population identifies it.
    """
    rows = facts[facts["indicator"].str.contains(CENSUS_FACT) & (facts["unit"] == "人")]
    values = pd.to_numeric(rows["value"], errors="coerce").dropna()
    return bool(len(values)) and bool((values == census_population).all())


# ---------------------------------------------------------------------------------------------
# the stated series


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


# ---------------------------------------------------------------------------------------------
# derived values


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


# ---------------------------------------------------------------------------------------------
# platforms


def platform_kind(name: str) -> str | None:
    """The kind of platform a figure counts, from the end of its name; None if not a platform."""
    return next((kind for end, kind in PLATFORM_KINDS if name.endswith(end)), None)


def platform_level(name: str) -> str:
    """national / provincial / municipal from the name's prefix, else 'not stated'."""
    return next((level for pre, level in PLATFORM_LEVELS if name.startswith(pre)), "not stated")


def platforms(figures: pd.DataFrame) -> pd.DataFrame:
    """Every platform the report counts (labs, centres, incubators, workstations …) by level."""
    rows = []
    for _, f in figures.iterrows():
        kind = platform_kind(f["indicator_zh"])
        if kind is None or f["unit"] != "家":
            continue
        rows.append(
            {
                "figure_id": f["figure_id"],
                "name": f["indicator_zh"],
                "level": platform_level(f["indicator_zh"]),
                "platform_kind": kind,
                "period": f["period"],
                "value": int(f["value"]),
                "unit": f["unit"],
            }
        )
    return pd.DataFrame(rows, columns=PLATFORM_COLUMNS)


def platform_rows(table: pd.DataFrame, figures_source: str, url: str) -> pd.DataFrame:
    """The platforms as indicator rows (stated), one per figure."""
    out = [
        {
            "indicator": p["name"],
            "indicator_en": f"{p['level']} {p['platform_kind']}",
            "registry_or_definition": f"platform; level: {p['level']}; kind: {p['platform_kind']}",
            "period": p["period"],
            "value": float(p["value"]),
            "unit": p["unit"],
            "kind": "stated",
            "computation": "as published",
            "source": f"{figures_source} {p['figure_id']}",
            "source_url": url,
        }
        for _, p in table.iterrows()
    ]
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


def platforms_by_level(table: pd.DataFrame) -> pd.DataFrame:
    """Counts by level (rows, :data:`LEVEL_ORDER`) and kind (columns), zeros kept."""
    wide = table.pivot_table(
        index="level", columns="platform_kind", values="value", aggfunc="sum", fill_value=0
    )
    return wide.reindex(list(LEVEL_ORDER), fill_value=0).astype(int)


# ---------------------------------------------------------------------------------------------
# the whole table


@dataclass(frozen=True)
class IndicatorSources:
    """What exists for a county: which sources describe it, and the tables built from them."""

    county: str
    report: bool
    facts: bool
    indicators: pd.DataFrame
    platforms: pd.DataFrame

    @property
    def any(self) -> bool:
        return self.report or self.facts


def build_indicators(
    raw: Path,
    figures_file: Path,
    county: str,
    census_population: float | None,
) -> IndicatorSources:
    """The county's indicator table (stated + derived) and platforms, from the sources about it.

    ``figures_file`` is relative to ``raw``. A county no source describes gets empty tables.
    """
    figures = read_figures(raw / figures_file)
    report = report_is_about(raw, figures_file, county)
    facts_all = read_facts(raw)
    facts = census_population is not None and facts_are_about(facts_all, census_population)
    url = (
        f"data/raw/{read_sources(raw).set_index('file').at[figures_file.as_posix(), 'source_url']}"
    )
    url = url.split(" ")[0]
    source = Path(figures_file).name
    own_figures = figures if report else figures.iloc[0:0]
    stated = stated_rows(own_figures, facts_all if facts else None, source, url)
    plat = platforms(own_figures)
    derived = derived_rows(stated, own_figures, census_population if report else None)
    frames = [f for f in (stated, derived, platform_rows(plat, source, url)) if not f.empty]
    if not frames:
        return IndicatorSources(county, report, facts, empty_table(INDICATOR_COLUMNS), plat)
    table = pd.concat(frames, ignore_index=True)
    platform = table["registry_or_definition"].str.startswith("platform")
    table = (
        table.assign(_platform=platform)
        .sort_values(
            ["_platform", "indicator", "registry_or_definition", "period", "kind"], kind="stable"
        )
        .drop(columns="_platform")
        .reset_index(drop=True)
    )
    return IndicatorSources(county, report, facts, table[INDICATOR_COLUMNS], plat)


def series_for_chart(table: pd.DataFrame) -> pd.DataFrame:
    """The year-indexed series of the small multiples (no platforms, no multi-year rates)."""
    keep = ~table["registry_or_definition"].str.startswith("platform") & table[
        "period"
    ].str.fullmatch(r"\d{4}")
    out = table[keep].copy()
    out["year"] = out["period"].astype(int)
    return out
