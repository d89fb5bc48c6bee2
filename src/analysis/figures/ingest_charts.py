"""Chart builders: tidy table in, styled matplotlib figure out (saving is export.save_figure).

One function per figure kind, so the notebooks stay thin and every figure in the review can be
traced to one place. Text comes from :mod:`analysis.figures.labels` so ``lang`` switches every word.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import in_parens, t
from analysis.figures.style import PALETTE, new_figure


def evaluation_rounds_chart(rounds: pd.DataFrame, lang: str = "zh") -> Figure:
    """Two panels on one axis of rounds: A/B/C counts as stacked bars above, the provincial
    mean score below (two panels rather than a second y-axis: each scale reads on its own).

    Derived values (from published differences) are hatched or marked, and a round with
    nothing published is labelled, so nothing derived passes for published.
    """
    fig, (ax, ax2) = new_figure(
        "screen", nrows=2, sharex=True, height_ratios=[3, 2], figsize=(5.0, 4.8)
    )
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
            ax.text(i, 5, t("not_published", lang), ha="center", va="bottom", rotation=90,
                    fontsize=9, color=PALETTE["neutral"])  # fmt: skip
        elif pd.isna(row.n_B):
            ax.text(i, float(row.n_A) + 3, f"B+C {t('not_published', lang)}", ha="center",
                    va="bottom", rotation=90, fontsize=9, color=PALETTE["neutral"])  # fmt: skip
    ax.set_ylabel(t("count_units", lang))
    ax.set_ylim(0, 175)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3,
              fontsize=9, borderaxespad=0.2)  # fmt: skip

    mean = rounds["mean_score"].astype(float)
    ax2.plot(x, mean, color=PALETTE["series"], marker="o", linewidth=1.4)
    for i, (value, status) in enumerate(zip(mean, rounds["mean_score_status"], strict=True)):
        if pd.notna(value):
            mark = "\n" + in_parens(t("derived", lang), lang).strip() if status == "derived" else ""
            ax2.annotate(f"{value:.1f}{mark}", (i, value), textcoords="offset points",
                         xytext=(0, 5), ha="center", va="bottom", fontsize=9)  # fmt: skip
    low = float(mean.min()) if mean.notna().any() else 0.0
    ax2.set_ylim(max(0.0, low - 12), 100)
    ax2.set_ylabel(t("mean_score", lang))
    ax2.set_xticks(x, [str(r) for r in rounds["round"]])
    ax2.set_xlabel(t("round", lang))
    return fig
