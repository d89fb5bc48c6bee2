"""Chart builders: tidy table in, styled matplotlib figure out (saving is export.save_figure).

One function per figure kind, so the notebooks stay thin and every figure in the review can be
traced to one place. Text comes from :mod:`analysis.figures.labels` so ``lang`` switches every word.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import t
from analysis.figures.style import PALETTE, new_figure


def evaluation_rounds_chart(rounds: pd.DataFrame, lang: str = "zh") -> Figure:
    """A/B/C counts by round as stacked bars, mean score as a line on a second axis.

    Derived values (from published differences) are hatched and the unpublished round is
    labelled, so nothing derived passes for published.
    """
    fig, ax = new_figure("print")
    x = list(range(len(rounds)))
    bottom = pd.Series(0.0, index=rounds.index)
    for cls in ("C", "B", "A"):
        counts = rounds[f"n_{cls}"].astype("Float64").fillna(0).astype(float)
        derived = rounds[f"n_{cls}_status"].eq("derived")
        bars = ax.bar(
            x,
            counts,
            bottom=bottom,
            color=PALETTE[f"class_{cls}"],
            width=0.65,
            label=t(f"class_{cls}", lang),
            edgecolor="white",
            linewidth=0.5,
        )
        for bar, is_derived in zip(bars, derived, strict=True):
            if is_derived:
                bar.set_hatch("///")
        bottom += counts
    for i, row in enumerate(rounds.itertuples()):
        if pd.isna(row.n_A) and pd.isna(row.mean_score):
            ax.text(
                i,
                5,
                t("not_published", lang),
                ha="center",
                va="bottom",
                rotation=90,
                color=PALETTE["neutral"],
            )
        elif pd.isna(row.n_B):
            ax.text(
                i,
                float(row.n_A) + 3,
                f"B+C {t('not_published', lang)}",
                ha="center",
                va="bottom",
                rotation=90,
                fontsize=7,
                color=PALETTE["neutral"],
            )
    ax.set_xticks(x, [str(r) for r in rounds["round"]])
    ax.set_xlabel(t("round", lang))
    ax.set_ylabel(t("count_units", lang))
    ax.set_ylim(0, 175)

    ax2 = ax.twinx()
    mean = rounds["mean_score"].astype(float)
    ax2.plot(x, mean, color=PALETTE["text"], marker="o", linewidth=1.2, label=t("mean_score", lang))
    for i, (value, status) in enumerate(zip(mean, rounds["mean_score_status"], strict=True)):
        if pd.notna(value):
            mark = f"\n({t('derived', lang)})" if status == "derived" else ""
            ax2.annotate(
                f"{value:.2f}{mark}",
                (i, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
            )
    ax2.set_ylim(0, 100)
    ax2.set_ylabel(t("mean_score", lang))
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(handles[::-1] + h2, labels[::-1] + l2, loc="outside lower center", ncols=4)
    return fig
