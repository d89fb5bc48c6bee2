"""Figures of 02_output_growth: monthly levels and growth, the seasonal profile, contributions,
projection fan, backtest errors. Data in, styled figure out; saving and the 'simulated' stamp are
:func:`analysis.figures.export.save_figure`'s job."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from analysis.figures.labels import group_label, t
from analysis.figures.style import CYCLE, PALETTE, new_figure

YI = 1e4  # 万元 per 亿元: display only


def monthly_levels_chart(levels: pd.Series, growth: pd.Series, lang: str = "zh") -> Figure:
    """Monthly output (亿元, bars, above) and its comparable growth (%, below; blue up, red
    down): two panels on one time axis instead of a second y-axis."""
    fig, (ax, ax2) = new_figure(
        "screen", nrows=2, sharex=True, height_ratios=[3, 2], figsize=(5.0, 4.6)
    )
    x = np.arange(len(levels))
    ax.bar(x, levels.to_numpy() / YI, color=PALETTE["neutral"], width=0.7)
    ax.set_ylabel(t("output_month_yi", lang))
    rates = growth.to_numpy(dtype=float) * 100
    colours = [PALETTE["ahead"] if r >= 0 else PALETTE["behind"] for r in np.nan_to_num(rates)]
    ax2.bar(x, np.nan_to_num(rates), color=colours, width=0.7)
    ax2.axhline(0, color=PALETTE["text"], linewidth=0.8)
    ax2.set_ylabel(t("growth_month_percent", lang))
    step = max(1, -(-len(levels) // 6))
    ax2.set_xticks(x[::step], [str(p) for p in levels.index[::step]])
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
                label=group_label(g, lang) if i == 0 else None,
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
                i, bottom + v / 2, f"{v:.1f}", ha="center", va="center", color="white", fontsize=9.5
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
            fontsize=9.5,
        )
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xticks(range(len(spans)), [names[s] for s in spans])
    ax.set_ylabel(t("pull_pp", lang))
    fig.legend(loc="outside lower center", ncols=min(2, len(groups) + 1))
    return fig


def projection_fan_chart(
    cumulative_wan: pd.Series, projection: pd.Series, target_level_wan: float, lang: str = "zh"
) -> Figure:
    """The year so far and the full-year projection (``projection``: the headline row of
    projection.csv), in two panels: above, cumulative output by month with the projection's
    80% and 95% ranges widening to December; below, the full-year growth on its own scale, where
    the two intervals and the target are wide enough to read."""
    fig, (ax, ax2) = new_figure("screen", nrows=2, height_ratios=[3, 1.3], figsize=(5.0, 4.8))
    months = np.asarray(cumulative_wan.index.month)
    last, last_level = int(months[-1]), float(cumulative_wan.iloc[-1]) / YI
    ax.plot(months, cumulative_wan.to_numpy() / YI, color=PALETTE["series"], marker="o",
            markersize=4, label=t("actual", lang))  # fmt: skip
    colour = PALETTE["class_B"]
    for level, alpha in (("95", 0.22), ("80", 0.45)):
        lo, hi = float(projection[f"lo{level}_wan"]) / YI, float(projection[f"hi{level}_wan"]) / YI
        ax.fill([last, 12, 12], [last_level, lo, hi], color=colour, alpha=alpha, linewidth=0,
                label=t(f"interval_{level}", lang))  # fmt: skip
    point = float(projection["point_wan"]) / YI
    ax.plot([last, 12], [last_level, point], linestyle="--", color=colour, marker="D",
            markersize=5, label=t("projection", lang))  # fmt: skip
    ax.axhline(target_level_wan / YI, color=PALETTE["text"], linestyle=":", linewidth=1.2,
               label=t("target", lang))  # fmt: skip
    ax.set_xticks(range(1, 13))
    ax.set_xlim(0.5, 12.5)
    ax.set_xlabel(t("month", lang))
    ax.set_ylabel(t("cumulative_output_yi", lang))
    ax.legend(loc="upper left", fontsize=9)

    g = {k: float(projection[k]) * 100 for k in ("growth_point", "growth_lo80", "growth_hi80",
                                                 "growth_lo95", "growth_hi95")}  # fmt: skip
    target = float(projection["target_growth"]) * 100
    ax2.barh(0, g["growth_hi95"] - g["growth_lo95"], left=g["growth_lo95"], height=0.5,
             color=colour, alpha=0.3)  # fmt: skip
    ax2.barh(0, g["growth_hi80"] - g["growth_lo80"], left=g["growth_lo80"], height=0.5,
             color=colour, alpha=0.6)  # fmt: skip
    ax2.plot([g["growth_point"]], [0], marker="D", color=colour, markeredgecolor=PALETTE["text"])
    ax2.annotate(f"{g['growth_point']:.1f}%", (g["growth_point"], 0.25), xytext=(0, 2),
                 textcoords="offset points", ha="center", va="bottom", fontsize=9.5)  # fmt: skip
    ax2.axvline(target, color=PALETTE["text"], linestyle=":", linewidth=1.2)
    ax2.annotate(t("target_value", lang).format(pct=f"{target:g}"), (target, -0.25), xytext=(3, 0),
                 textcoords="offset points", ha="left", va="top", fontsize=9)  # fmt: skip
    lo, hi = min(g["growth_lo95"], target), max(g["growth_hi95"], target)
    pad = max(1.0, 0.15 * (hi - lo))
    ax2.set_xlim(lo - pad, hi + pad)
    ax2.set_ylim(-0.8, 0.8)
    ax2.set_yticks([])
    ax2.set_xlabel(t("full_year_growth_percent", lang))
    ax2.grid(axis="y", visible=False)
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


def month_shares(
    levels: pd.Series, skip_years: set[int] | frozenset[int] = frozenset()
) -> pd.DataFrame:
    """Each month's level as a share of its year's mean month, for the complete years (twelve
    months) not in ``skip_years`` (years published only as 1–2月, whose January and February
    are halves of one figure, not two observations)."""
    frame = pd.DataFrame({"level": levels.astype(float)})
    frame["year"], frame["month"] = levels.index.year, levels.index.month
    counts = frame.groupby("year")["level"].transform("count")
    frame = frame[(counts == 12) & ~frame["year"].isin(skip_years)]
    frame["share"] = frame["level"] / frame.groupby("year")["level"].transform("mean")
    return frame[["year", "month", "share"]].reset_index(drop=True)


def seasonal_profile_chart(shares: pd.DataFrame, lang: str = "zh") -> Figure:
    """The seasonal pattern the model must capture, before any model: each calendar month's
    output as a percentage of its year's monthly mean, one box per month over the years (seaborn
    box and strip plots). The wide January and February boxes are the Spring Festival moving
    between the two months."""
    fig, ax = new_figure("screen")
    data = shares.assign(percent=shares["share"] * 100)
    with warnings.catch_warnings():  # seaborn 0.13 passes matplotlib's deprecated `vert`
        warnings.filterwarnings("ignore", message="vert: bool", category=DeprecationWarning)
        sns.boxplot(
            data=data, x="month", y="percent", ax=ax, color=PALETTE["neutral"],
            fliersize=0, linewidth=0.8, width=0.6,
        )  # fmt: skip
    sns.stripplot(
        data=data,
        x="month",
        y="percent",
        ax=ax,
        color=PALETTE["text"],
        size=2.5,
        jitter=False,
        alpha=0.7,
    )  # fmt: skip  (no jitter: random offsets would change the figure's bytes run to run)
    ax.axhline(100, color=PALETTE["text"], linewidth=0.8, linestyle=":")
    ax.set_xlabel(t("calendar_month", lang))
    ax.set_ylabel(t("month_share_of_year_mean", lang))
    return fig
