"""Official-statistics arithmetic for above-scale industry (规上工业), as NBS and bureaus do it.

Why a module of its own: published growth is computed on a *comparable* basis (同口径: this year's
register of enterprises in both years), so a growth rate can never be rebuilt as a ratio of two
published levels. Every function here works from a published level and its published growth
through the implied comparable base ``B = C / (1 + g)`` (methods.md §1.2, §1.5, §1.6).

Notation: ``C(N)`` cumulative 1–N月 level, ``g(N)`` its published growth (fraction), ``X(N)`` the
month's level, ``B(N)`` the comparable base of ``C(N)`` (last year's value for this year's
enterprises), ``b(N)`` the month's comparable base. Functions accept floats or numpy/pandas
arrays alike (plain arithmetic), so they apply to whole columns.

Hand-worked example (methods.md §1.5; illustrative numbers): 1–10月 96.49亿元 +20.7%, 10月
13.87亿元 +28.96% give C(9) = 82.62, B(10) = 79.94, b(10) = 10.755, B(9) = 69.19 and an implied
1–9月 growth of +19.4%.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Money units the bureaus use, as a factor to 万元 (the pipeline's one money unit).
TO_WAN: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal("1"),
    "亿元": Decimal("10000"),
}


def to_wan(value: str | float | Decimal, unit: str) -> float:
    """A money figure in ``unit`` as 万元, converted exactly (decimal arithmetic, then float).

    Exact conversion matters: 96.49亿元 must become 964900万元, not 964899.9999999999.
    """
    if unit not in TO_WAN:
        raise ValueError(f"unknown money unit {unit!r}; known: {sorted(TO_WAN)}")
    return float(Decimal(str(value)) * TO_WAN[unit])


def half_unit(decimals: int, unit: str = "万元") -> float:
    """Half a unit of the last published digit, in 万元 for money units (the rounding band)."""
    half = Decimal(5) * Decimal(10) ** (-(int(decimals) + 1))
    return float(half * TO_WAN[unit]) if unit in TO_WAN else float(half)


def monthly_from_cumulative(cum: Any, cum_prev: Any) -> Any:
    """The month's level ``X(N) = C(N) − C(N−1)`` (for N = 2 after a 1–2月 release: Jan+Feb)."""
    return cum - cum_prev


def comparable_base(level: Any, growth: Any) -> Any:
    """The implied comparable base ``B = C / (1 + g)``: last year's value for this year's firms."""
    return level / (1.0 + growth)


def scope_factor(base: Any, published_prev_level: Any) -> Any:
    """``k = B_{t−1} / C_{t−1}`` published: how far last year's register differs from this year's.

    ``k = 1`` means the same enterprises; the naive level ratio equals ``(1 + g)·k − 1``.
    """
    return base / published_prev_level


def monthly_base(base: Any, base_prev: Any) -> Any:
    """The month's comparable base ``b(N) = B(N) − B(N−1)`` (both from the same year's releases)."""
    return base - base_prev


def monthly_comparable_growth(month_level: Any, month_base: Any) -> Any:
    """Derived monthly growth ``X(N) / b(N) − 1`` on the comparable basis."""
    return month_level / month_base - 1.0


@dataclass(frozen=True)
class PreviousCumulative:
    """What one release implies about the previous month's cumulative figures."""

    level: float  # C(N−1) = C(N) − X(N)
    base_now: float  # B(N) = C(N) / (1 + g(N))
    month_base: float  # b(N) = X(N) / (1 + g_m(N))
    base: float  # B(N−1) = B(N) − b(N)
    growth: float  # g(N−1) = C(N−1) / B(N−1) − 1


def implied_previous_cumulative(
    cum: float, cum_growth: float, month: float, month_growth: float
) -> PreviousCumulative:
    """The 1–(N−1)月 level and growth implied by a 1–N月 release that also gives the month.

    Used to cross-check last month's release (methods.md §1.5): the two must agree within rounding.
    """
    base_now = comparable_base(cum, cum_growth)
    month_base = comparable_base(month, month_growth)
    level = monthly_from_cumulative(cum, month)
    base = base_now - month_base
    return PreviousCumulative(
        level=level,
        base_now=base_now,
        month_base=month_base,
        base=base,
        growth=level / base - 1.0,
    )


def implied_previous_growth_band(
    cum: float,
    cum_growth: float,
    month: float,
    month_growth: float,
    *,
    level_half: float,
    growth_half: float,
) -> tuple[float, float]:
    """The range of ``g(N−1)`` consistent with the release's published rounding.

    Each published input may be off by half a unit of its last digit (``level_half`` in the
    level's unit, ``growth_half`` as a fraction); the implied growth is monotone in each input, so
    its extremes are at the corners of that box. (The band is narrow for the previous
    *cumulative* rate, about ±0.06 pp at N = 10; it is the derived *monthly* rate that rounding
    moves by up to ±1 pp, methods.md §1.5 'what breaks' 3.)
    """
    values = [
        implied_previous_cumulative(c, g, x, gm).growth
        for c, g, x, gm in itertools.product(
            (cum - level_half, cum + level_half),
            (cum_growth - growth_half, cum_growth + growth_half),
            (month - level_half, month + level_half),
            (month_growth - growth_half, month_growth + growth_half),
        )
    ]
    return min(values), max(values)


def pulls_pp(levels: Mapping[str, float], growths: Mapping[str, float]) -> dict[str, float]:
    """拉动 of each part of a partition, in percentage points: ``ΔC_k / B × 100``.

    ``levels`` and ``growths`` are the parts' current levels and published growth (same scope,
    period and price basis). The pulls sum to the total's growth in percentage points.
    """
    bases = {k: comparable_base(levels[k], growths[k]) for k in levels}
    total_base = sum(bases.values())
    return {k: (levels[k] - bases[k]) / total_base * 100.0 for k in levels}


def contribution_shares(
    levels: Mapping[str, float], growths: Mapping[str, float]
) -> dict[str, float]:
    """贡献率 of each part as a fraction: ``ΔC_k / Σ_j ΔC_j`` (sums to 1; may be <0 or >1)."""
    deltas = {k: levels[k] - comparable_base(levels[k], growths[k]) for k in levels}
    total = sum(deltas.values())
    if total == 0:
        raise ZeroDivisionError("the total did not change: contribution rates are undefined")
    return {k: d / total for k, d in deltas.items()}


def remainder_part(
    total_level: float, total_growth: float, part_level: float, part_growth: float
) -> tuple[float, float]:
    """Level and growth of 'all others' = total − part, on the comparable basis.

    Completes a partition when only the total and one group (e.g. key enterprises) are published.
    """
    level = total_level - part_level
    base = comparable_base(total_level, total_growth) - comparable_base(part_level, part_growth)
    return level, level / base - 1.0


def pull_band_pp(
    total_level: float,
    total_growth: float,
    part_level: float,
    part_growth: float,
    *,
    total_level_half: float,
    total_growth_half: float,
    part_level_half: float,
    part_growth_half: float,
) -> dict[str, tuple[float, float]]:
    """The range of the pulls (pp) of a part and of the remainder (total − part) consistent with
    the published rounding of the four inputs.

    A published "16%" may be anything from 15.5% to 16.5%, and the pull computed from it moves
    with it. Each input may be off by half a unit of its last digit (``*_level_half`` in 万元,
    ``*_growth_half`` as a fraction); both pulls are monotone in each input, so the extremes are
    at the corners of that box. Keys: ``"part"``, ``"remainder"``.
    """
    part, rest = [], []
    for c, g, cp, gp in itertools.product(
        (total_level - total_level_half, total_level + total_level_half),
        (total_growth - total_growth_half, total_growth + total_growth_half),
        (part_level - part_level_half, part_level + part_level_half),
        (part_growth - part_growth_half, part_growth + part_growth_half),
    ):
        part_pull = (cp - comparable_base(cp, gp)) / comparable_base(c, g) * 100.0
        part.append(part_pull)
        rest.append(g * 100.0 - part_pull)
    return {"part": (min(part), max(part)), "remainder": (min(rest), max(rest))}


def two_year_average_growth(growth: Any, growth_prev: Any) -> Any:
    """NBS 两年平均增长 ``sqrt((1 + g_t)(1 + g_{t−1})) − 1`` (e.g. 2021 over the 2020 slump)."""
    product = (1.0 + growth) * (1.0 + growth_prev)
    if isinstance(product, int | float):
        return math.sqrt(product) - 1.0
    return product**0.5 - 1.0
