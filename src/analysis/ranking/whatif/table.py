"""The what-if table: one row per indicator of a mode, with the score needed and the ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.ranking.whatif.arithmetic import (
    interval,
    needed_interval,
    rank_after,
    score_to_reach,
    units_to_target,
)

WHATIF_COLUMNS = [
    "mode", "round", "county_code", "indicator", "level1", "unit", "current_value", "points",
    "max_points", "headroom_points", "points_per_unit", "units_to_target",
    "rank_standing_still", "rank_at_full_headroom", "target_position", "score_now",
    "score_needed", "score_needed_low", "score_needed_high", "target_reachable_share", "basis",
    "simulated",
]  # fmt: skip


@dataclass(frozen=True)
class WhatIf:
    """A mode's result: its rows, the score needed (median, interval; NaN where out of reach),
    the share of draws in which the target can be reached at all, and the ranks."""

    table: pd.DataFrame
    score_needed: tuple[float, float, float]
    rank_now: tuple[float, float, float]
    reachable_share: float = 1.0


def needed_text(w: WhatIf) -> str:
    """The score needed for the target in words: the median and its interval, or 'not
    reachable' when even 100 points would not do in most draws (never '100.01')."""
    need, share = w.score_needed, w.reachable_share
    if np.isnan(need[0]):
        return f"not reachable (reachable with 100 points in {share:.0%} of draws)"
    high = "above 100" if np.isnan(need[2]) else f"{need[2]:.2f}"
    return f"{need[0]:.2f} (90% interval {need[1]:.2f}-{high}; reachable in {share:.0%} of draws)"


def whatif_rows(
    marg: pd.DataFrame,
    *,
    mode: str,
    rnd: int,
    county_code: str,
    score: float,
    others: np.ndarray,
    target_position: int,
    note: str,
    simulated: bool,
) -> WhatIf:
    need, reachable = needed_interval(score_to_reach(others, target_position))
    standing = interval(rank_after(score, others))
    rows = []
    for r in marg.to_dict("records"):
        full = np.median(rank_after(score + r["headroom_points"], others))
        rows.append(
            r | {
                "units_to_target": units_to_target(
                    need[0] - score, r["points_per_unit"], r["headroom_points"]
                ),
                "rank_standing_still": round(standing[0]),
                "rank_at_full_headroom": round(full),
                "basis": f"{r['basis']}; {note}",
            }
        )  # fmt: skip
    out = pd.DataFrame(rows).assign(
        mode=mode, round=rnd, county_code=county_code, target_position=target_position,
        score_now=score, score_needed=round(need[0], 2), score_needed_low=round(need[1], 2),
        score_needed_high=round(need[2], 2), target_reachable_share=round(reachable, 4),
        simulated=bool(simulated),
    )  # fmt: skip
    for c in ("points_per_unit", "units_to_target", "headroom_points"):
        out[c] = out[c].astype(float).round(6)
    return WhatIf(out[WHATIF_COLUMNS], need, standing, reachable)


RANKING_WHATIF = pa.DataFrameSchema(
    {
        "mode": pa.Column(str, pa.Check.isin(["own_report", "full_table"])),
        "round": pa.Column(int, pa.Check.in_range(2018, 2100)),
        "county_code": pa.Column(str, schemas.CODE),
        "indicator": pa.Column(str),
        "level1": pa.Column(str),
        "unit": pa.Column(str),
        "current_value": pa.Column(float, nullable=True),
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "headroom_points": pa.Column(float, pa.Check.ge(0)),
        "points_per_unit": pa.Column(float, pa.Check.ge(0), nullable=True),
        "units_to_target": pa.Column(float, pa.Check.ge(0), nullable=True),
        "rank_standing_still": pa.Column(int, pa.Check.ge(1)),
        "rank_at_full_headroom": pa.Column(int, pa.Check.ge(1)),
        "target_position": pa.Column(int, pa.Check.ge(1)),
        "score_now": pa.Column(float, pa.Check.in_range(0, 100)),
        "score_needed": pa.Column(float, pa.Check.le(100), nullable=True),
        "score_needed_low": pa.Column(float, pa.Check.le(100), nullable=True),
        "score_needed_high": pa.Column(float, pa.Check.le(100), nullable=True),
        "target_reachable_share": pa.Column(float, schemas.FRACTION),
        "basis": pa.Column(str, pa.Check.str_length(min_value=1)),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: d["rank_at_full_headroom"] <= d["rank_standing_still"],
            error="more points cannot worsen the rank",
        ),
        pa.Check(
            lambda d: (
                (d["score_needed"].isna() | (d["score_needed_low"] <= d["score_needed"]))
                & (d["score_needed_high"].isna() | (d["score_needed"] <= d["score_needed_high"]))
            ),
            error="score needed outside its interval",
        ),
    ],
    unique=["mode", "indicator"],
    strict=True,
    ordered=True,
)
