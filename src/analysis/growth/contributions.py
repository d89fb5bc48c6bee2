"""拉动 (pull, pp) and 贡献率 (contribution share) of the key-enterprise group and the rest, and the
cross-check of one release against the previous one (methods.md §1.5, §1.6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.conventions import (
    comparable_base,
    contribution_shares,
    implied_previous_cumulative,
    pull_band_pp,
    pulls_pp,
    remainder_part,
)
from analysis.growth.series import cumulative_figures, has_group
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP

CONTRIBUTION_COLUMNS = [
    "period",
    "span",
    "group",
    "level_wan",
    "base_wan",
    "growth",
    "pull_pp",
    "pull_lo_pp",
    "pull_hi_pp",
    "contribution_share",
    "simulated",
]
SPANS = (("cumulative", "cum"), ("month", "month"))


def _period(year: int, month: int, span: str) -> str:
    return f"{year}-01..{month:02d}" if span == "cumulative" else f"{year}-{month:02d}"


def _total_row(period: str, span: str, total: dict[str, float], p: str, simulated: bool) -> dict:
    """The total's row: its pull on itself is its growth, banded by the growth's rounding."""
    g, half = total[f"{p}_growth"], total[f"{p}_growth_half"]
    return {
        "period": period,
        "span": span,
        "group": "total",
        "level_wan": total[f"{p}_wan"],
        "base_wan": comparable_base(total[f"{p}_wan"], g),
        "growth": g,
        "pull_pp": g * 100,
        "pull_lo_pp": (g - half) * 100,
        "pull_hi_pp": (g + half) * 100,
        "contribution_share": 1.0,
        "simulated": simulated,
    }


def _group_rows(
    period: str,
    span: str,
    total: dict[str, float],
    key: dict[str, float],
    p: str,
    names: tuple[str, str],
    simulated: bool,
) -> list[dict]:
    """Rows of the key group and the rest (total − key on the comparable basis)."""
    lvl, gr = f"{p}_wan", f"{p}_growth"
    rest_level, rest_growth = remainder_part(total[lvl], total[gr], key[lvl], key[gr])
    key_name, rest_name = names
    levels = {key_name: key[lvl], rest_name: rest_level}
    growths = {key_name: key[gr], rest_name: rest_growth}
    pulls = pulls_pp(levels, growths)
    shares = contribution_shares(levels, growths)
    band = pull_band_pp(
        total[lvl],
        total[gr],
        key[lvl],
        key[gr],
        total_level_half=total[f"{lvl}_half"],
        total_growth_half=total[f"{gr}_half"],
        part_level_half=key[f"{lvl}_half"],
        part_growth_half=key[f"{gr}_half"],
    )
    bands = {key_name: band["part"], rest_name: band["remainder"]}
    return [
        {
            "period": period,
            "span": span,
            "group": g,
            "level_wan": levels[g],
            "base_wan": comparable_base(levels[g], growths[g]),
            "growth": growths[g],
            "pull_pp": pulls[g],
            "pull_lo_pp": bands[g][0],
            "pull_hi_pp": bands[g][1],
            "contribution_share": shares[g],
            "simulated": simulated,
        }
        for g in levels
    ]


def contributions(
    industry: pd.DataFrame,
    year: int,
    month: int,
    key_group: str = KEY_GROUP,
    scope: str = COUNTY_SCOPE,
    others_label: str = "其他企业",
) -> pd.DataFrame:
    """拉动 and 贡献率 of the key-enterprise group and the rest, cumulative and current month,
    each pull with the band the published rounding allows (``pull_lo_pp``–``pull_hi_pp``).

    Computed from the figures as published (no re-rounding): the rest is total − key on the
    comparable basis (conventions.remainder_part). A release without the key group (a bureau
    may publish the total alone) gives the total's rows only.
    """
    total = cumulative_figures(industry, year, month, scope)
    groups = has_group(industry, year, month, key_group, scope)
    key = cumulative_figures(industry, year, month, scope, key_group) if groups else None
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    rows: list[dict] = []
    for span, p in SPANS:
        if np.isnan(total[f"{p}_wan"]):
            continue
        period = _period(year, month, span)
        if key is not None and not np.isnan(key[f"{p}_wan"]):
            names = (key_group, others_label)
            rows += _group_rows(period, span, total, key, p, names, simulated)
        rows.append(_total_row(period, span, total, p, simulated))
    return pd.DataFrame(rows, columns=CONTRIBUTION_COLUMNS)


def implied_previous_growth(industry: pd.DataFrame, year: int, month: int) -> dict[str, float]:
    """The 1–(N−1)月 growth this release implies, against the one published last month."""
    now = cumulative_figures(industry, year, month)
    implied = implied_previous_cumulative(
        now["cum_wan"], now["cum_growth"], now["month_wan"], now["month_growth"]
    )
    try:
        published = cumulative_figures(industry, year, month - 1)["cum_growth"]
    except ValueError:
        published = np.nan
    return {
        "implied_growth": implied.growth,
        "published_growth": published,
        "difference_pp": (implied.growth - published) * 100,
    }
