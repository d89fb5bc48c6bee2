"""拉动 (pull, pp) and 贡献率 (contribution share) of the key-enterprise group and the rest, and the
cross-check of one release against the previous one (METHODS §1.5, §1.6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.conventions import (
    comparable_base,
    contribution_shares,
    implied_previous_cumulative,
    pulls_pp,
    remainder_part,
)
from analysis.growth.series import cumulative_figures
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP

CONTRIBUTION_COLUMNS = [
    "period",
    "span",
    "group",
    "level_wan",
    "base_wan",
    "growth",
    "pull_pp",
    "contribution_share",
    "simulated",
]


def contributions(
    industry: pd.DataFrame,
    year: int,
    month: int,
    key_group: str = KEY_GROUP,
    scope: str = COUNTY_SCOPE,
    others_label: str = "其他企业",
) -> pd.DataFrame:
    """拉动 and 贡献率 of the key-enterprise group and the rest, cumulative and current month.

    Computed from the figures as published (no re-rounding): the rest is total − key on the
    comparable basis (conventions.remainder_part); pulls sum to the total's growth in pp.
    """
    total = cumulative_figures(industry, year, month, scope)
    key = cumulative_figures(industry, year, month, scope, key_group)
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    rows = []
    for span, lvl, gr in (
        ("cumulative", "cum_wan", "cum_growth"),
        ("month", "month_wan", "month_growth"),
    ):
        if np.isnan(total[lvl]) or np.isnan(key[lvl]):
            continue
        rest_level, rest_growth = remainder_part(total[lvl], total[gr], key[lvl], key[gr])
        levels = {key_group: key[lvl], others_label: rest_level}
        growths = {key_group: key[gr], others_label: rest_growth}
        pulls = pulls_pp(levels, growths)
        shares = contribution_shares(levels, growths)
        period = f"{year}-01..{month:02d}" if span == "cumulative" else f"{year}-{month:02d}"
        for g in levels:
            rows.append(
                {
                    "period": period,
                    "span": span,
                    "group": g,
                    "level_wan": levels[g],
                    "base_wan": comparable_base(levels[g], growths[g]),
                    "growth": growths[g],
                    "pull_pp": pulls[g],
                    "contribution_share": shares[g],
                    "simulated": simulated,
                }
            )
        rows.append(
            {
                "period": period,
                "span": span,
                "group": "total",
                "level_wan": total[lvl],
                "base_wan": comparable_base(total[lvl], total[gr]),
                "growth": total[gr],
                "pull_pp": total[gr] * 100,
                "contribution_share": 1.0,
                "simulated": simulated,
            }
        )
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
