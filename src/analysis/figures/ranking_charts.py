"""Figures of notebook 03 (innovation ranking): tidy table in, styled figure out.

Saving, titles, captions and the manifest are :func:`analysis.figures.export.save_figure`'s
job; these functions only draw. Words come from :mod:`analysis.figures.labels`, so ``lang``
switches every one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from analysis.figures.labels import in_parens, t
from analysis.figures.style import PALETTE, new_figure, wrap_text

CLASS_COLOURS = {
    "A": PALETTE["class_A"],
    "B": PALETTE["class_B"],
    "C": PALETTE["class_C"],
    "B+C": PALETTE["neutral"],
}
CLASS_LABEL_KEYS = {"A": "class_A", "B": "class_B", "C": "class_C", "B+C": "class_B_plus_C"}


def pyramid_chart(counts: pd.DataFrame, rounds: pd.DataFrame, lang: str = "zh") -> Figure:
    """Class counts by round as stacked horizontal bars (A, B, C), oldest round on top.

    Derived segments are hatched; a round with nothing published is labelled as such; the
    mean score is written at the end of each bar, '(推断)'/'(derived)' where derived.
    """
    fig, ax = new_figure("print")
    order = list(rounds["round"])
    y = {r: i for i, r in enumerate(order)}
    left = dict.fromkeys(order, 0)
    seen = set()
    for row in counts.itertuples(index=False):
        cls = row[counts.columns.get_loc("class")]
        label = t(CLASS_LABEL_KEYS[cls], lang) if cls not in seen else None
        seen.add(cls)
        ax.barh(
            y[row.round],
            row.count,
            left=left[row.round],
            color=CLASS_COLOURS[cls],
            hatch="///" if row.status == "derived" else None,
            edgecolor="white",
            linewidth=0.5,
            height=0.7,
            label=label,
        )
        if row.count >= 8:
            ax.text(
                left[row.round] + row.count / 2,
                y[row.round],
                str(row.count),
                ha="center",
                va="center",
                color="white",
                fontsize=9,
            )
        left[row.round] += row.count
    for r in rounds.itertuples(index=False):
        if r.round not in set(counts["round"]):
            ax.text(2, y[r.round], t("not_published", lang), va="center", fontsize=9,
                    color=PALETTE["neutral"])  # fmt: skip
            continue
        if pd.notna(r.mean_score):
            mark = in_parens(t("derived", lang), lang) if r.mean_score_status == "derived" else ""
            ax.text(
                left[r.round] + 2,
                y[r.round],
                f"{t('mean_score_short', lang)} {r.mean_score:.1f}{mark}",
                va="center",
                fontsize=9,
            )
    ax.set_yticks(range(len(order)), [str(r) for r in order])
    ax.invert_yaxis()
    ax.set_ylabel(t("round", lang))
    ax.set_xlabel(t("count_units", lang))
    ax.set_xlim(0, 240)
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=4, fontsize=9)
    return fig


def city_peers_chart(
    positions: pd.DataFrame, units: pd.DataFrame, county_code: str, lang: str = "zh"
) -> Figure:
    """A grid of the city's units (rows) by round (columns): class colour, position if known.

    Inferred entries are lighter and starred; the county's row label is in the county colour.
    A blank cell means nothing was published about that unit in that round (for a top-n list:
    not among the first n, which may still be class A).
    """
    rounds = sorted(positions["round"].unique())
    order = [county_code] + [c for c in units["code"] if c != county_code]
    names = dict(zip(units["code"], units["name"], strict=True))
    fig, ax = new_figure("print", figsize=(5.0, max(2.6, 0.3 * len(order) + 1.4)))
    best = positions.sort_values("attribution", key=lambda s: s.eq("inferred")).drop_duplicates(
        ["round", "county_code"]
    )
    for row in best.itertuples(index=False):
        if row.county_code not in order:
            continue
        cls = row[best.columns.get_loc("class")]
        x, yy = rounds.index(row.round), order.index(row.county_code)
        inferred = row.attribution == "inferred"
        colour = CLASS_COLOURS.get(cls, PALETTE["neutral"]) if cls else PALETTE["neutral"]
        ax.add_patch(
            _cell(x, yy, colour, alpha=0.45 if inferred else 0.9),
        )
        text = cls or "?"
        if pd.notna(row.position):
            text += f" {int(row.position)}"
        if inferred:
            text += "*"
        ax.text(
            x,
            yy,
            text,
            ha="center",
            va="center",
            fontsize=9,
            color=PALETTE["text"] if inferred else "white",
        )
    ax.set_xlim(-0.5, len(rounds) - 0.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xticks(range(len(rounds)), [str(r) for r in rounds])
    ax.set_yticks(range(len(order)), [names[c] for c in order])
    for tick, code in zip(ax.get_yticklabels(), order, strict=True):
        if code == county_code:
            tick.set_color(PALETTE["county"])
    ax.set_xlabel(t("round", lang))
    ax.grid(False)
    ax.tick_params(length=0)
    handles = [Patch(color=CLASS_COLOURS[c], label=t(CLASS_LABEL_KEYS[c], lang)) for c in "ABC"]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=3,
        fontsize=9,
        title=t("inferred_mark", lang),
        title_fontsize=9,
    )
    return fig


def _cell(x: float, y: float, colour: str, alpha: float) -> Rectangle:
    return Rectangle((x - 0.45, y - 0.42), 0.9, 0.84, color=colour, alpha=alpha, linewidth=0)


def driver_effects_chart(
    structural: pd.DataFrame,
    models: tuple[str, ...] = ("in_top_logit", "in_top_probit"),
    lang: str = "zh",
) -> Figure:
    """Average marginal effects with 95% intervals, one row per covariate, one marker per model.

    Continuous covariates: change in P(in list) per standard deviation; dummies: change from 0
    to 1. A zero line shows which intervals exclude no association; each marker carries its
    p-value and is filled when p < 0.05 (its interval then excludes zero: the table's
    intervals and p-values are built to agree).
    """
    me = structural[
        (structural["quantity"] == "marginal_effect") & structural["model"].isin(models)
    ]
    terms = list(dict.fromkeys(me["term"]))
    fig, ax = new_figure("print", figsize=(5.0, max(3.4, 0.5 * len(terms) + 1.2)))
    offsets = np.linspace(-0.2, 0.2, len(models)) if len(models) > 1 else [0.0]
    markers = ("o", "s", "^", "D")
    for i, model in enumerate(models):
        sub = me[me["model"] == model].set_index("term").reindex(terms)
        ypos = np.arange(len(terms)) + offsets[i]
        kind = sub["kind"].dropna().iloc[0]
        colour = f"C{i}"  # the style's colour cycle
        ax.errorbar(
            sub["estimate"],
            ypos,
            xerr=[sub["estimate"] - sub["ci_low"], sub["ci_high"] - sub["estimate"]],
            fmt="none",
            ecolor=colour,
            capsize=2,
            linewidth=1,
        )
        significant = (sub["p_value"] < 0.05).to_numpy()
        ax.scatter(
            sub["estimate"],
            ypos,
            marker=markers[i % len(markers)],
            s=18,
            facecolors=np.where(significant, colour, "white").tolist(),
            edgecolors=colour,
            zorder=3,
            label=f"{t(f'model_{kind}', lang)} (n={int(sub['n_obs'].iloc[0])})",
        )
        for y, hi, p in zip(ypos, sub["ci_high"], sub["p_value"], strict=True):
            if pd.notna(p):
                ax.text(hi, y, f" p={p:.2f}", va="center", fontsize=9, color=colour)
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    left, right = ax.get_xlim()
    ax.set_xlim(left, right + 0.3 * (right - left))  # room for the p-values
    ax.set_yticks(range(len(terms)), [wrap_text(t(f"term_{term}", lang), 9) for term in terms])
    ax.invert_yaxis()
    ax.set_xlabel(t("marginal_effect", lang))
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig


def fitted_probability_chart(fitted: pd.DataFrame, county_code: str, lang: str = "zh") -> Figure:
    """Fitted P(in list) against the actual outcome for every unit; the county marked.

    Points are spread vertically by a fixed-seed jitter (for legibility only; same figure every
    run). Peers (``peer_rank`` set) are ringed.
    """
    n_top = int(fitted["in_top"].sum())
    fig, ax = new_figure("print")
    rng = np.random.default_rng(0)
    jitter = rng.uniform(-0.15, 0.15, size=len(fitted))
    y = fitted["in_top"].to_numpy() + jitter
    is_county = (fitted["code"] == county_code).to_numpy()
    ax.scatter(
        fitted["p_logit"][~is_county], y[~is_county], s=10, color=PALETTE["neutral"], alpha=0.7
    )
    if "peer_rank" in fitted.columns:
        peers = fitted["peer_rank"].notna().to_numpy()
        ax.scatter(
            fitted["p_logit"][peers],
            y[peers],
            s=40,
            facecolors="none",
            edgecolors=PALETTE["text"],
            linewidths=0.8,
        )
    row = fitted[is_county].iloc[0]
    ax.scatter([row["p_logit"]], y[is_county], s=40, color=PALETTE["county"], zorder=5)
    label = row["name"] + (
        in_parens(str(int(row["position"])), lang) if pd.notna(row["position"]) else ""
    )
    ax.annotate(
        label,
        (row["p_logit"], y[is_county][0]),
        xytext=(8, -14),
        textcoords="offset points",
        color=PALETTE["county"],
        fontsize=9.5,
        arrowprops={"arrowstyle": "-", "color": PALETTE["county"], "linewidth": 0.6},
    )
    ax.set_yticks(
        [0, 1],
        [t("not_in_top_list", lang).format(n=n_top), t("in_top_list", lang).format(n=n_top)],
    )
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel(t("fitted_probability", lang))
    ax.grid(axis="y", visible=False)
    return fig


# --- 3. indicator layer ----------------------------------------------------------------------
def _component_label(row: pd.Series, lang: str) -> str:
    if row["kind"] == "qualitative":
        return t("qualitative_points", lang)
    if row["kind"] == "residual":
        return t("reconstruction_residual", lang)
    return str(row["component"])


def _signed(points: float) -> str:
    """'+1.86' / '-0.48', and '0.00' for what rounds to nothing (never '-0.00')."""
    return "0.00" if abs(points) < 0.005 else f"{points:+.2f}"


def gap_waterfall_chart(gap: pd.DataFrame, lang: str = "zh") -> Figure:
    """The county's score, each component of the gap to the target unit, the target's score.

    Horizontal waterfall (indicator names are long, so they wrap): grey totals at both ends;
    red where the county is behind the target unit (the component widens the gap), blue where
    the county is ahead (it narrows it) — the colours of every chart.
    """
    n = len(gap)
    fig, ax = new_figure("print", figsize=(5.0, max(3.4, 0.42 * n + 1.3)))
    level = 0.0
    for y, row in enumerate(gap.to_dict("records")):
        if row["kind"] in ("start", "end"):
            left, width, colour = 0.0, row["points"], PALETTE["neutral"]
            level = row["points"]
        else:
            left, width = level, row["points"]
            colour = PALETTE["behind"] if width >= 0 else PALETTE["ahead"]
            level += width
        ax.barh(y, width, left=left, color=colour, height=0.7)
        text = f"{row['points']:.2f}" if row["kind"] in ("start", "end") else _signed(width)
        ax.text(max(left, left + width) + 0.1, y, text, va="center", fontsize=9)
    totals = gap.loc[gap["kind"].isin(["start", "end"]), "points"]
    lo = max(0.0, float(totals.min()) - 4)
    ax.set_xlim(lo, float(totals.max()) + 3)
    ax.set_yticks(
        range(n), [wrap_text(_component_label(r, lang), 12) for _, r in gap.iterrows()], fontsize=9
    )
    ax.invert_yaxis()
    ax.set_xlabel(t("score", lang))
    ax.grid(axis="y", visible=False)
    handles = [
        Patch(color=PALETTE["behind"], label=t("county_behind", lang)),
        Patch(color=PALETTE["ahead"], label=t("county_ahead", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=9)
    return fig


RANK_GAIN_COLOURS = {"full_table": PALETTE["ahead"], "own_report": "#8fb8de"}  # gains: blue


def rank_gain_chart(whatif: pd.DataFrame, lang: str = "zh") -> Figure:
    """Places gained if one indicator alone reaches its maximum, per indicator and mode.

    Gain = rank standing still (the others projected a round on) minus rank at full headroom,
    in blue (a gain; the darker blue the full table, the lighter the own report). Each
    indicator carries one label at the end of its longer bar: its headroom in points, or
    'at maximum' — never one per mode, so labels cannot print over each other.
    """
    modes = [m for m in ("full_table", "own_report") if m in set(whatif["mode"])]
    gains = whatif.assign(g=whatif["rank_standing_still"] - whatif["rank_at_full_headroom"])
    order = gains.groupby("indicator")["g"].max().sort_values(ascending=False).index.tolist()
    n = len(order)
    fig, ax = new_figure("print", figsize=(5.0, max(3.4, 0.42 * n + 1.5)))
    height = 0.8 / max(len(modes), 1)
    ends = pd.Series(0.0, index=order)
    for k, mode in enumerate(modes):
        sub = gains[gains["mode"] == mode].set_index("indicator").reindex(order)
        gain = sub["g"].fillna(0).clip(lower=0)
        y = np.arange(n) + (k - (len(modes) - 1) / 2) * height
        ax.barh(y, gain, height=height, color=RANK_GAIN_COLOURS[mode],
                label=t(f"mode_{mode}", lang))  # fmt: skip
        ends = np.maximum(ends, gain.to_numpy())
    headroom = gains.groupby("indicator")["headroom_points"].max().reindex(order)
    span = float(ends.max()) if len(ends) else 0.0
    for row, name in enumerate(order):
        h = headroom[name]
        if pd.isna(h):
            continue
        label = t("headroom_label", lang).format(h) if h >= 0.005 else t("headroom_none", lang)
        ax.text(float(ends[name]) + 0.02 * max(span, 1), row, label, va="center", fontsize=9)
    ax.set_xlim(0, max(span, 1) * 1.3 + 0.5)
    ax.set_yticks(range(n), [wrap_text(str(name), 12) for name in order], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(t("rank_gained", lang) + "\n" + in_parens(t("headroom_note", lang), lang).strip())
    ax.grid(axis="y", visible=False)
    if len(modes) > 1:
        fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig
