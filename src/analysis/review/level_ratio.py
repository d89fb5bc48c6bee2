"""Why a ratio of two published levels is not the published growth (the summary's note).

The bureau's growth compares this year's enterprises with the same enterprises a year earlier
(同口径): g = C_t / B − 1, with the comparable base B = C_t / (1 + g). Last year's *published*
level C_{t−1} also counted enterprises that have since left the register, so

    C_t / C_{t−1} − 1 = (1 + g) · k − 1,   k = B / C_{t−1}

(docs/methods.md §1.2, "Published growth is on a comparable basis"). The numbers come from
the bureau table alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.figures.labels import t
from analysis.review.inputs import rows_ref, table_simulated
from analysis.review.numbers import percent_text, signed_percent, span_text, yi_text
from analysis.review.output import output_rows
from analysis.review.tables import Headline, Sentence, found, missing


@dataclass(frozen=True)
class LevelRatio:
    """This year's level over last year's published level, against the published growth."""

    year: int
    month: int
    level_wan: float
    prev_level_wan: float
    naive_growth: float
    published_growth: float
    published_decimals: float
    base_wan: float
    k: float
    rows: tuple[int, int]
    simulated: bool


def level_ratio(industry: pd.DataFrame | None, year: int, month: int) -> LevelRatio | None:
    """C_t/C_{t-1}(published) − 1 = (1+g)·k − 1, with k = B/C_{t-1}(published).

    None when either release is missing.
    """
    r = output_rows(industry, year, month)
    if r.cum is None or r.prev_cum is None:
        return None
    c, p = float(r.cum["value_wan"]), float(r.prev_cum["value_wan"])
    g = float(r.cum["growth"])
    base = c / (1 + g)
    idx = (int(r.cum.name), int(r.prev_cum.name))
    return LevelRatio(
        year,
        month,
        c,
        p,
        c / p - 1,
        g,
        r.cum["growth_decimals"],
        base,
        base / p,
        idx,
        table_simulated(industry, idx),
    )


def level_ratio_history(industry: pd.DataFrame | None, month: int) -> pd.DataFrame:
    """The level ratio, the published growth and k for every year with both releases."""
    if industry is None:
        return pd.DataFrame(columns=["year", "naive_growth", "published_growth", "k"])
    rows = []
    for y in sorted(set(industry["year"])):
        lr = level_ratio(industry, int(y), month)
        if lr is not None:
            rows.append(
                {
                    "year": lr.year,
                    "naive_growth": lr.naive_growth,
                    "published_growth": lr.published_growth,
                    "k": lr.k,
                    "simulated": lr.simulated,
                }
            )
    return pd.DataFrame(
        rows, columns=["year", "naive_growth", "published_growth", "k", "simulated"]
    )


def level_ratio_items(lr: LevelRatio | None, lang: str) -> tuple[list[Headline], list[Sentence]]:
    """The note as two headline rows and one sentence (with numbers from the bureau table)."""
    table = "industry_monthly"
    if lr is None:
        return [
            missing("naive_level_ratio", "headline_naive_ratio", table, lang),
            missing("scope_factor_k", "scope_factor_k", table, lang),
        ], []
    ref = rows_ref(lr.rows)
    heads = [
        found("naive_level_ratio", "headline_naive_ratio", lr.naive_growth, "fraction",
              signed_percent(lr.naive_growth, lr.published_decimals), table, ref, lr.simulated,
              lang),
        found("scope_factor_k", "scope_factor_k", lr.k, "ratio", f"{lr.k:.3f}", table, ref,
              lr.simulated, lang),
    ]  # fmt: skip
    text = t("sentence_level_ratio", lang).format(
        year=lr.year,
        span=span_text(lr.month, lang),
        level=yi_text(lr.level_wan),
        previous=yi_text(lr.prev_level_wan),
        direction=t("level_ratio_above" if lr.naive_growth >= 0 else "level_ratio_below", lang),
        naive=percent_text(lr.naive_growth, lr.published_decimals),
        growth=percent_text(lr.published_growth, lr.published_decimals),
        base=yi_text(lr.base_wan),
        k=f"{lr.k:.3f}",
    )
    return heads, [Sentence("level_ratio_note", "note", text, table, ref, lr.simulated)]


def level_ratio_frame(history: pd.DataFrame) -> pd.DataFrame:
    """The level-ratio history for display (percent and k)."""
    if history.empty:
        return history
    return pd.DataFrame(
        {
            "year": history["year"],
            "published_growth_%": np.round(history["published_growth"] * 100, 2),
            "level_ratio_%": np.round(history["naive_growth"] * 100, 2),
            "k": np.round(history["k"], 4),
            "simulated": history["simulated"],
        }
    )
