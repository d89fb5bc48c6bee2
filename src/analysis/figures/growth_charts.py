"""Figures of 02_output_growth: monthly levels and growth, contributions, projection fan,
backtest errors. Data in, styled figure out; saving and the 'simulated' stamp are
:func:`analysis.figures.export.save_figure`'s job."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import t
from analysis.figures.style import CYCLE, PALETTE, new_figure

YI = 1e4  # 万元 per 亿元: display only


def monthly_levels_chart(levels: pd.Series, growth: pd.Series, lang: str = "zh") -> Figure:
    """Monthly output (亿元, bars) and comparable monthly growth (%, line)."""
    fig, ax = new_figure("print")
    x = np.arange(len(levels))
    ax.bar(
        x,
        levels.to_numpy() / YI,
        color=PALETTE["class_A"],
        width=0.7,
        label=t("output_month_yi", lang),
    )
    ax.set_ylabel(t("unit_yi_yuan", lang))
    step = max(1, len(levels) // 12)
    ax.set_xticks(x[::step], [str(p) for p in levels.index[::step]], rotation=45, ha="right")
    ax2 = ax.twinx()
    ax2.plot(
        x,
        growth.to_numpy() * 100,
        color=PALETTE["county"],
        marker="o",
        markersize=3,
        linewidth=1.2,
        label=t("growth_month", lang),
    )
    ax2.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax2.set_ylabel(t("unit_percent", lang))
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncols=2)
    return fig


def contributions_chart(contrib: pd.DataFrame, lang: str = "zh") -> Figure:
    """Pull (pp) of each group on cumulative and current-month growth, stacked, each with the
    range its published rounding allows (thin bars); the total alone when the release has no
    groups."""
    fig, ax = new_figure("print")
    spans = [s for s in ("cumulative", "month") if s in set(contrib["span"])]
    names = {"cumulative": t("growth_cumulative", lang), "month": t("growth_month", lang)}
    groups = [g for g in contrib["group"].unique() if g != "total"] or ["total"]
    for i, span in enumerate(spans):
        sub = contrib[contrib["span"] == span].set_index("group")
        pos = neg = 0.0
        for j, g in enumerate(groups):
            v = float(sub.loc[g, "pull_pp"])
            bottom = pos if v >= 0 else neg
            ax.bar(
                i,
                v,
                bottom=bottom,
                color=CYCLE[j % len(CYCLE)],
                width=0.5,
                label=(g if g != "total" else t("county", lang)) if i == 0 else None,
            )
            lo, hi = float(sub.loc[g, "pull_lo_pp"]), float(sub.loc[g, "pull_hi_pp"])
            if np.isfinite(lo) and np.isfinite(hi):
                top = bottom + v
                ax.errorbar(
                    i + 0.18,
                    top,
                    yerr=[[v - lo], [hi - v]],
                    fmt="none",
                    ecolor=PALETTE["text"],
                    elinewidth=0.8,
                    capsize=2,
                    label=t("rounding_band", lang) if i == 0 and j == 0 else None,
                )
            ax.text(
                i, bottom + v / 2, f"{v:.1f}", ha="center", va="center", color="white", fontsize=8
            )
            pos, neg = (pos + v, neg) if v >= 0 else (pos, neg + v)
        total = float(sub.loc["total", "growth"]) * 100
        ax.plot([i - 0.3, i + 0.3], [total, total], color=PALETTE["text"], linewidth=1.5)
        ax.annotate(
            f"{total:.1f}%",
            (i + 0.3, total),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xticks(range(len(spans)), [names[s] for s in spans])
    ax.set_ylabel(t("pull_pp", lang))
    fig.legend(loc="outside lower center", ncols=min(3, len(groups) + 1))
    return fig


def projection_fan_chart(
    cumulative_wan: pd.Series, projection: pd.Series, target_level_wan: float, lang: str = "zh"
) -> Figure:
    """Cumulative output so far, the full-year projection (``projection``: one row of
    projection.csv, the headline) with 80/95% intervals, the target."""
    fig, ax = new_figure("print")
    months = cumulative_wan.index.month
    ax.plot(
        months,
        cumulative_wan.to_numpy() / YI,
        color=PALETTE["class_A"],
        marker="o",
        label=t("actual", lang),
    )
    last = months[-1]
    for level, alpha in (("95", 0.35), ("80", 0.8)):
        ax.vlines(
            12,
            projection[f"lo{level}_wan"] / YI,
            projection[f"hi{level}_wan"] / YI,
            color=PALETTE["class_B"],
            linewidth=6,
            alpha=alpha,
            label=f"{level}%",
        )
    ax.plot(
        [last, 12],
        [cumulative_wan.iloc[-1] / YI, projection["point_wan"] / YI],
        linestyle="--",
        color=PALETTE["class_B"],
        marker="D",
        label=f"{t('projection', lang)}: {t('method_' + str(projection['method']), lang)}",
    )
    ax.axhline(
        target_level_wan / YI, color=PALETTE["county"], linestyle=":", label=t("target", lang)
    )
    ax.set_xticks(range(1, 13))
    ax.set_xlabel(t("month", lang))
    ax.set_ylabel(f"{t('cumulative_output', lang)} ({t('unit_yi_yuan', lang)})")
    fig.legend(loc="outside lower center", ncols=5)
    return fig


def backtest_chart(backtest: pd.DataFrame, lang: str = "zh") -> Figure:
    """Error of the full-year growth forecast (pp, forecast − published) by origin and method."""
    fig, ax = new_figure("print")
    methods = list(backtest["method"].unique())
    years = sorted(backtest["origin_year"].unique())
    width = 0.8 / len(methods)
    for j, m in enumerate(methods):
        sub = backtest[backtest["method"] == m].set_index("origin_year").reindex(years)
        ax.bar(
            np.arange(len(years)) + j * width - 0.4 + width / 2,
            sub["growth_error_pp"],
            width=width,
            color=CYCLE[j % len(CYCLE)],
            label=t(f"method_{m}", lang),
        )
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlabel(t("origin_year", lang))
    ax.set_ylabel(t("growth_error_pp", lang))
    fig.legend(loc="outside lower center", ncols=2)
    return fig
