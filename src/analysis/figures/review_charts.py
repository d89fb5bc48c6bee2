"""Figures of 05_annual_review. Data in, styled figure out; saving and the 'simulated' stamp are
:func:`analysis.figures.export.save_figure`'s job."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import t
from analysis.figures.style import CYCLE, PALETTE, new_figure


def level_ratio_chart(history: pd.DataFrame, lang: str = "zh") -> Figure:
    """Published (comparable) growth against this year's level over last year's published level,
    by year (above), and the scope factor k (below): two panels on one axis of years rather than
    a second y-axis. Where k < 1 the dashed line runs under the solid one."""
    fig, (ax, ax2) = new_figure(
        "screen", nrows=2, sharex=True, height_ratios=[3, 1.6], figsize=(5.0, 4.4)
    )
    years = history["year"].astype(int).to_numpy()
    ax.plot(years, history["published_growth"] * 100, marker="o", color=PALETTE["series"],
            label=t("published_growth", lang))  # fmt: skip
    ax.plot(years, history["naive_growth"] * 100, marker="s", linestyle="--", color=CYCLE[0],
            label=t("level_ratio", lang))  # fmt: skip
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_ylabel(t("growth_percent", lang))
    ax.legend(loc="best", fontsize=9)
    ax2.bar(years, history["k"], color=PALETTE["neutral"], width=0.6)
    ax2.axhline(1, color=PALETTE["text"], linewidth=0.8, linestyle=":")
    low = float(history["k"].min()) if len(history) else 1.0
    ax2.set_ylim(min(0.8, low - 0.05), max(1.1, float(history["k"].max()) + 0.05))
    ax2.set_ylabel(t("scope_factor_short", lang))
    ax2.set_xlabel(t("year", lang))
    ax2.set_xticks(years, [str(y) for y in years])
    return fig
