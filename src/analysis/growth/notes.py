"""Sentences of page 02 built from computed values (no number is typed into the notebook)."""

from __future__ import annotations

import pandas as pd

from analysis.growth.seasonal import WindowChoice

CLOSE_AIC = 2.0  # windows within this many AIC units of the best are not told apart by the data


def window_note(choice: WindowChoice) -> str:
    """Which festival window AIC picks, and how decisively."""
    table = choice.table
    b, a = choice.best
    rest = table.iloc[1:]  # the best is row 0 (a tie may leave it a hair above the minimum)
    close = rest[rest["delta_aic"] < CLOSE_AIC]
    text = f"AIC picks the window from {b} days before to {a} days after 正月初一"
    if close.empty:
        runner = table.iloc[1] if len(table) > 1 else None
        if runner is None:
            return text + "."
        return (
            text + f"; the next window ({int(runner['before'])}, {int(runner['after'])}) is "
            f"{runner['delta_aic']:.1f} AIC units behind."
        )
    others = "; ".join(
        f"({int(r.before)}, {int(r.after)}): ΔAIC {r.delta_aic:.1f}, Akaike weight "
        f"{r.akaike_weight:.0%}, festival {r.festival:+.3f}"
        for r in close.itertuples()
    )
    lo = min(table.loc[0, "festival"], close["festival"].min())
    hi = max(table.loc[0, "festival"], close["festival"].max())
    return (
        f"{text} (Akaike weight {table.loc[0, 'akaike_weight']:.0%}), but the data hardly tell "
        f"it from {others}. Across these windows the festival coefficient runs from {lo:+.3f} "
        f"to {hi:+.3f}."
    )


def headline_note(method: str, rule: str, summary: pd.DataFrame) -> str:
    """The headline projection, the rule that chose it and how the methods scored."""
    text = f"Headline projection: {method} — {rule}."
    if summary.empty:
        return text
    parts = "; ".join(
        f"{m}: {r.mean_abs_growth_error_pp:.2f} pp, 80% interval held {r.cover80:.0%}, "
        f"95% held {r.cover95:.0%}"
        for m, r in summary.iterrows()
    )
    return f"{text} Mean absolute error of full-year growth and interval coverage: {parts}."


def groups_note(has_groups: bool, year: int, month: int) -> str:
    if has_groups:
        return ""
    return (
        f"The release of 1–{month}月 {year} gives the total only (no enterprise groups): "
        "contributions are shown for the total alone; the model and the projection use the "
        "total, as always."
    )
