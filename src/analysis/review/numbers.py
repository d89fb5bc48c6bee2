"""Numbers as a Chinese work report writes them: 亿元 with two decimals, x.x%, 个百分点.

Rounding is done once, here, from the stored values (fractions, 万元): half-up (四舍五入) on
the decimal representation, with the decimals the bureau published where the table records
them (``growth_decimals``), so the drafted text matches the printed figures. The words around
the numbers come from the one translation table (:mod:`analysis.figures.labels`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analysis.figures.labels import t

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def round_half_up(x: float, decimals: int) -> Decimal:
    """四舍五入 on the decimal representation of the stored value (not on binary floats)."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)


def yi_text(value_wan: float) -> str:
    """万元 -> 亿元 with two decimals (96,4900 万元 -> '96.49')."""
    v = (Decimal(repr(float(value_wan))) / Decimal(10000)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{v:,.2f}" if abs(v) >= 1000 else f"{v:.2f}"


def yi_display(value_wan: float, lang: str) -> str:
    """'96.49亿元' / '96.49 hundred million yuan'."""
    return t("amount_yi", lang).format(yi=yi_text(value_wan))


def percent_text(fraction: float, decimals: float | int | None = None) -> str:
    """A growth fraction as the magnitude of a percentage, with the bureau's decimals.

    ``decimals`` is what the bureau published (``growth_decimals``; one when unknown), kept as
    published, trailing zeros included (20.70 stays 20.70 beside a 28.96 of the same release):
    precision is the bureau's, the same for every rate of one release, never mixed within a
    sentence. Numbers computed here (projections, pulls, estimates) take one decimal.
    """
    d = 1 if decimals is None or pd.isna(decimals) else int(decimals)
    return f"{abs(round_half_up(float(fraction) * 100, d)):f}"


def interval_text(lo: float, hi: float, decimals: int = 1) -> str:
    """'19.3%–21.0%': an interval of growth fractions, half-up, with the sign of each end."""
    return f"{signed_percent(lo, decimals)}–{signed_percent(hi, decimals)}"


def signed_percent(fraction: float, decimals: float | int | None = None) -> str:
    """'20.7%' / '-3.2%': :func:`percent_text` with the sign of ``fraction`` and the % sign."""
    return f"{'-' if fraction < 0 else ''}{percent_text(fraction, decimals)}%"


def pp_text(pp: float, decimals: int = 1) -> str:
    """Percentage points with one decimal (3.9839 -> '4.0')."""
    return f"{abs(round_half_up(pp, decimals)):f}"


def growth_phrase(fraction: float, decimals: float | int | None, lang: str) -> str:
    """'同比增长20.7%' / '同比下降3.2%' / 'up 20.7%' (a zero after rounding reads as flat)."""
    text = percent_text(fraction, decimals)
    if float(text) == 0:
        return t("growth_flat", lang)
    return t("growth_up" if fraction > 0 else "growth_down", lang).format(pct=text)


def probability_text(p: float, lang: str) -> str:
    """A probability as leaders read it: '99%以上' rather than a spurious '100%'."""
    if p >= 0.995:
        return t("probability_above_99", lang)
    if p <= 0.005:
        return t("probability_below_1", lang)
    return f"{round_half_up(p * 100, 0):f}%"


def area_word(county: str) -> str:
    """全县 / 全区 / 全市: how a county-level unit refers to itself in its own report."""
    for suffix in ("区", "市", "旗"):
        if county.endswith(suffix):
            return f"全{suffix}"
    return "全县"


def month_en(month: int) -> str:
    return MONTHS_EN[month - 1]


def span_text(month: int, lang: str) -> str:
    """The year-to-date span of a release: '1-10月' ('1月' for January) / 'January–October'."""
    key = "span_months" if month > 1 else "span_first_month"
    return t(key, lang).format(month=month, month_en=month_en(month))
