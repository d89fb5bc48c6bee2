"""The county's indicator table (stated + derived + platforms) from the sources about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.claims import read_figures
from analysis.indicators.derived import derived_rows
from analysis.indicators.platforms import platform_rows, platforms
from analysis.indicators.sources import facts_are_about, read_facts, report_is_about
from analysis.indicators.specs import INDICATOR_COLUMNS, empty_table
from analysis.indicators.stated import stated_rows
from analysis.ingest.sources import read_sources


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
