"""Figures of 05_annual_review. Data in, styled figure out; saving and the 'simulated' stamp are
:func:`analysis.figures.export.save_figure`'s job."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import t
from analysis.figures.style import PALETTE, new_figure


def level_ratio_chart(history: pd.DataFrame, lang: str = "zh") -> Figure:
    """Published (comparable) growth against this year's level over last year's published level,
    by year, with the scope factor k on a second axis: the gap between the two lines is k."""
    fig, ax = new_figure("print")
    years = history["year"].astype(int).to_numpy()
    ax.plot(
        years,
        history["published_growth"] * 100,
        marker="o",
        color=PALETTE["class_A"],
        label=t("published_growth", lang),
    )
    ax.plot(
        years,
        history["naive_growth"] * 100,
        marker="s",
        linestyle="--",
        color=PALETTE["county"],
        label=t("level_ratio", lang),
    )
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_ylabel(t("unit_percent", lang))
    ax.set_xlabel(t("year", lang))
    ax.set_xticks(years, [str(y) for y in years], rotation=45, ha="right")
    ax2 = ax.twinx()
    ax2.bar(
        years,
        history["k"],
        color=PALETTE["neutral"],
        alpha=0.25,
        width=0.6,
        label=t("scope_factor_k", lang),
    )
    ax2.set_ylim(0, max(1.2, float(history["k"].max()) * 1.1))
    ax2.set_ylabel(t("scope_factor_k", lang))
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncols=3)
    return fig
