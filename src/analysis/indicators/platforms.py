"""Platforms the report counts (labs, centres, incubators, workstations …), by level and kind,
read from the end and the prefix of their names."""

from __future__ import annotations

import pandas as pd

from analysis.indicators.specs import INDICATOR_COLUMNS

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
