"""Section 2 of the summary: the full-year projection against the growth target.

The number is the projection 02_output_growth chose as its headline by its stated rule (the
method with the best backtest; its point, 80% interval and the probability of reaching the
target), read from ``projection``; nothing is re-estimated here, and the sentence names the
method so a reader knows which projection is quoted.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.figures.labels import t
from analysis.review.inputs import rows_ref, table_simulated
from analysis.review.numbers import (
    growth_phrase,
    interval_text,
    month_en,
    pp_text,
    probability_text,
    round_half_up,
    signed_percent,
    yi_text,
)
from analysis.review.tables import Headline, Sentence, found, missing


def _projection_row(proj: pd.DataFrame | None, year: int, month: int) -> pd.Series | None:
    """The run's headline projection: the row 02 marked ``headline``."""
    if proj is None:
        return None
    sel = proj[(proj["year"] == year) & (proj["through_month"] == month) & proj["headline"]]
    if not len(sel):
        return None
    row = sel.iloc[0]
    row.name = sel.index[0]
    return row


def projection_section(
    inputs: Mapping[str, pd.DataFrame], year: int, month: int, target_growth: float, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """Full-year projection (the model's median and 80% interval) against the growth target."""
    proj = inputs.get("projection")
    row = _projection_row(proj, year, month)
    if row is None or pd.isna(row["growth_point"]):
        return [
            missing("projection_growth", "headline_projection", "projection", lang),
            missing("p_reach_target", "headline_p_target", "projection", lang),
        ], []
    i = int(row.name)
    ref, sim = rows_ref([i]), table_simulated(proj, [i])
    g, lo, hi = row["growth_point"], row["growth_lo80"], row["growth_hi80"]
    interval = interval_text(lo, hi) if pd.notna(lo) and pd.notna(hi) else ""
    method = t(f"method_{row['method']}", lang)
    display = t("projection_display", lang).format(
        growth=signed_percent(g, 1),
        interval=t("projection_display_interval", lang).format(interval=interval)
        if interval
        else "",
        method=method,
    )
    heads = [
        found("projection_growth", "headline_projection", float(g), "fraction", display,
              "projection", ref, sim, lang)
    ]  # fmt: skip
    p = row["p_reach_target"]
    if pd.notna(p):
        heads.append(
            found("p_reach_target", "headline_p_target", float(p), "probability",
                  probability_text(p, lang), "projection", ref, sim, lang,
                  note=f"target {target_growth:.1%}")
        )  # fmt: skip
    else:
        heads.append(missing("p_reach_target", "headline_p_target", "projection", lang))
    gap_pp = (g - target_growth) * 100
    text = t("sentence_projection", lang).format(
        month=month,
        month_en=month_en(month),
        point=yi_text(row["point_wan"]),
        growth=growth_phrase(g, 1, lang),
        interval=t("projection_interval", lang).format(interval=interval) if interval else "",
        relation=t("target_above" if gap_pp >= 0 else "target_below", lang),
        target=f"{float(round_half_up(target_growth * 100, 2)):g}",  # 0.15 -> "15"
        gap=pp_text(gap_pp),
        method=t("projection_method", lang).format(method=method),
        probability=(
            t("projection_probability", lang).format(p=probability_text(p, lang))
            if pd.notna(p)
            else ""
        ),
    )
    return heads, [Sentence("projection", "output", text, "projection", ref, sim)]
