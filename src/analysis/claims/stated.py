"""A work report's figures as printed: the published digits set each figure's tolerance."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.claims.intervals import published_interval
from analysis.ingest.workreport import read_work_report_figures

COUNT_UNITS = frozenset({"家", "件", "个", "名", "人", "项", "次", "位"})


def read_figures(path: Path) -> pd.DataFrame:
    """A work report's figures (checked by :mod:`analysis.ingest.workreport`) with the value as
    printed.

    ``value_text`` keeps the published digits (the float loses '20.70'); ``interval`` is the
    :class:`Interval` the figure stands for; ``year`` is the period when it is a single year.
    """
    figures = read_work_report_figures(path)
    text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")["value"]
    figures["value_text"] = text.str.strip().to_numpy()
    figures["exact"] = figures.apply(is_exact_count, axis=1)
    figures["interval"] = [
        published_interval(t, q, e)
        for t, q, e in zip(figures["value_text"], figures["qualifier"], figures["exact"])
    ]
    figures["year"] = figures["period"].map(period_year)
    return figures


def is_exact_count(figure: pd.Series) -> bool:
    """A whole count of things (家, 件 …) without a qualifier is exact, not rounded."""
    return (
        figure["kind"] == "count"
        and figure["unit"] in COUNT_UNITS
        and not figure["qualifier"]
        and float(figure["value"]).is_integer()
    )


def period_year(period: str) -> int | None:
    """The year of a single-year period ('2022'), else None ('2022-01..10', 'to 2022')."""
    return int(period) if re.fullmatch(r"\d{4}", period.strip()) else None
