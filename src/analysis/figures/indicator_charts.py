"""Figures of the S&T indicators: small multiples by indicator, and platforms by level.

Series of different registries or definitions get their own marker and are never joined by a
line (a line would read as one series); derived values are drawn hollow, stated ones filled.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import LABELS, in_parens, t
from analysis.figures.style import CYCLE, PALETTE, new_figure, wrap_text
from analysis.indicators import FRACTION, LEVEL_ORDER

MARKERS = ("o", "s", "^", "D", "v", "P")
PANEL_ORDER = (
    "高新技术企业",
    "科技型中小企业",
    "发明专利",
    "万人发明专利拥有量",
    "有效注册商标",
    "地方财政科技支出",
    "人才",
)


def definition_label(definition: str, lang: str) -> str:
    """A registry/definition in ``lang`` (``definition_…`` in the translation table); one the
    table does not list is shown as stored."""
    key = f"definition_{definition}"
    return t(key, lang) if key in LABELS else definition


def kind_key(kind: str) -> str:
    """'incubator / maker space' -> 'incubator_maker_space', '-' too (a labels key)."""
    return "_".join(kind.replace("/", " ").replace("-", " ").split())


def panel_label(indicator: str, indicator_en: str, lang: str) -> str:
    return indicator if lang == "zh" else indicator_en


def indicators_small_multiples(series: pd.DataFrame, lang: str = "zh") -> Figure:
    """One panel per indicator, two to a row (levels only; growth rates are listed in the
    table), one marker per registry/definition, hollow where derived, the legend under each
    panel (never over its points) and the sources by publisher in a line of their own."""
    levels = series[series["unit"] != FRACTION]
    panels = [p for p in PANEL_ORDER if p in set(levels["indicator"])]
    panels += sorted(set(levels["indicator"]) - set(panels))
    ncols = 2
    nrows = max(1, -(-len(panels) // ncols))
    fig, axes = new_figure("screen", nrows=nrows, ncols=ncols, squeeze=False,
                           figsize=(5.0, 2.7 * nrows + 0.7))  # fmt: skip
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, panels):
        data = levels[levels["indicator"] == name]
        for i, (definition, grp) in enumerate(data.groupby("registry_or_definition", sort=True)):
            color = CYCLE[i % len(CYCLE)]
            for kind, sub in grp.groupby("kind"):
                ax.scatter(
                    sub["year"],
                    sub["value"],
                    marker=MARKERS[i % len(MARKERS)],
                    s=30,
                    color=color if kind == "stated" else "white",
                    edgecolors=color,
                    linewidths=1.2,
                    label=definition_label(definition, lang)
                    + (in_parens(t("derived", lang), lang) if kind == "derived" else ""),
                    zorder=3,
                )
            for row in grp.itertuples():
                below = row.kind == "derived"  # stated above the point, derived below it
                ax.annotate(f"{row.value:,.4g}", (row.year, row.value), textcoords="offset points",
                            xytext=(0, -12 if below else 5), ha="center",
                            va="top" if below else "bottom", fontsize=9)  # fmt: skip
        unit = data["unit"].iloc[0]
        ax.set_title(
            wrap_text(
                panel_label(name, data["indicator_en"].iloc[0], lang) + in_parens(unit, lang), 15
            ),
            fontsize=10,
        )
        years = sorted(set(data["year"]))
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
        high = data["value"].max()
        ax.set_ylim(0, high * 1.3 if high > 0 else 1)
        ax.tick_params(labelsize=9)
        ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=1,
                  handletextpad=0.3, borderaxespad=0)  # fmt: skip
    fig.supxlabel(wrap_text(f"{t('source', lang)}：{source_note(levels, lang)}"
                            if lang == "zh" else
                            f"{t('source', lang)}: {source_note(levels, lang)}", 48),
                  fontsize=9, color=PALETTE["text"], x=0.02, ha="left")  # fmt: skip
    return fig


# the publisher of each kind of source an indicator row can cite (its ``source`` column)
PUBLISHERS: tuple[tuple[str, str], ...] = (
    ("work_report", "publisher_work_report"),
    ("facts", "publisher_news"),
    ("census", "publisher_census"),
    ("普查", "publisher_census"),
)


def publishers(table: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Who published the sources behind a table's rows (the county's work report, government
    sites and news, the census), in the order of :data:`PUBLISHERS`: named by publisher, never
    by file or mirror address."""
    text = " ".join(table["source"].astype(str))
    keys = list(dict.fromkeys(key for needle, key in PUBLISHERS if needle in text))
    return [t(key, lang) for key in keys]


def source_note(table: pd.DataFrame, lang: str = "zh") -> str:
    """The publishers behind a table's rows, for a figure's footer."""
    return t("list_separator_short", lang).join(publishers(table, lang))


def platform_pyramid(by_level: pd.DataFrame, lang: str = "zh") -> Figure:
    """Platforms by level as centred horizontal bars (national at the top), stacked by kind.

    ``by_level``: :func:`analysis.indicators.platforms_by_level`. Platforms whose level the
    report does not state are a separate, hatched bar at the bottom, not a guessed level.
    """
    fig, ax = new_figure("print", figsize=(5.0, 4.0))
    levels = [lv for lv in LEVEL_ORDER if lv in by_level.index]
    kinds = list(by_level.columns)
    totals = by_level.sum(axis=1)
    width = float(totals.max()) if len(totals) else 1.0
    for y, level in enumerate(reversed(levels)):
        left = -float(totals[level]) / 2
        for i, kind in enumerate(kinds):
            n = int(by_level.at[level, kind])
            if n == 0:
                continue
            ax.barh(
                y,
                n,
                left=left,
                color=CYCLE[i % len(CYCLE)] if level != "not stated" else PALETTE["neutral"],
                edgecolor="white",
                hatch="///" if level == "not stated" else None,
                label=t(f"kind_{kind_key(kind)}", lang),
            )
            ax.text(left + n / 2, y, str(n), ha="center", va="center", fontsize=9, color="white")
            left += n
        ax.text(width / 2 + 0.5, y, f"{int(totals[level])}", va="center", fontsize=10)
    ax.set_yticks(range(len(levels)), [t(f"level_{lv.replace(' ', '_')}", lang)
                                       for lv in reversed(levels)])  # fmt: skip
    ax.set_xlim(-width / 2 - 1, width / 2 + 2)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=2, fontsize=9)
    return fig
