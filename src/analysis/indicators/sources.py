"""Whose sources are these? The county a work report and a facts file describe, read from the
data (the report's publisher; the facts' census population), never assumed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.sources import read_sources

FACTS_FILE = Path("published") / "quzhou_facts.csv"
FACTS_COLUMNS = ["indicator", "indicator_en", "period", "value", "unit", "source_url", "note"]
CENSUS_FACT = re.compile(r"第七次.*普查")


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
