"""Step 3 of the evaluation stand-in: each score split into its 17 indicators.

Quantitative points are capped benchmark ratios (``points = W_k · min(1, x / x*_k)``); the
qualitative points take the rest, so the total is exact. Weights, standards and the names of
12 of the 17 indicators are assumptions (``published=False`` in :data:`INDICATORS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import QUALITATIVE_LEVEL1
from analysis.ingest.evaluation_report import TOTAL_ITEMS, TOTAL_LEVEL1
from analysis.simulate.evaluation_inputs import ROUNDS

NOTE = "模拟数据 simulated stand-in (seeded; not the province's figures)"
NOTE_UNPUBLISHED = "；该轮未公布 round not published"


@dataclass(frozen=True)
class Indicator:
    """One level-2 indicator: its points (W), benchmark standard (x*) and printed precision."""

    level1: str
    level2: str
    unit: str
    max_points: float
    benchmark: float | None  # None: qualitative (expert score, value = points)
    decimals: int
    published: bool  # the name is among the five the province named


# Names: five published (hebei_sti_indicator_system.csv), the rest assumed. Level-1 parents,
# weights and standards are assumed throughout (not published).
INDICATORS: tuple[Indicator, ...] = (
    Indicator("创新投入", "地方财政科技支出", "万元", 7, 8000, 2, True),
    Indicator("创新投入", "地方财政科技支出占公共财政支出的比重", "%", 6, 3.0, 2, True),
    Indicator("创新投入", "规上工业企业R&D经费支出占主营业务收入的比重", "%", 7, 1.5, 2, True),
    Indicator("创新投入", "R&D经费投入强度", "%", 5, 2.5, 2, False),
    Indicator("创新主体", "高新技术企业数量", "家", 7, 60, 0, True),
    Indicator("创新主体", "科技型中小企业数量", "家", 6, 800, 0, False),
    Indicator("创新主体", "有研发活动的规上工业企业占比", "%", 5, 40, 2, False),
    Indicator("创新主体", "万名就业人员中研发人员数", "人", 5, 60, 2, False),
    Indicator("创新条件", "省级以上研发平台数量", "个", 6, 20, 0, False),
    Indicator("创新条件", "省级以上孵化载体数量", "个", 5, 8, 0, False),
    Indicator("创新条件", "技术合同成交额", "万元", 5, 20000, 2, False),
    Indicator("创新产出", "万人发明专利拥有量", "件", 8, 8.0, 2, False),
    Indicator("创新产出", "高新技术产业增加值占比", "%", 7, 30, 2, False),
    Indicator("创新产出", "新产品销售收入占比", "%", 6, 20, 2, False),
    Indicator(QUALITATIVE_LEVEL1, "科技管理创新", "分", 5, None, 2, True),
    Indicator(QUALITATIVE_LEVEL1, "科技政策落实情况", "分", 5, None, 2, False),
    Indicator(QUALITATIVE_LEVEL1, "科技工作组织推动", "分", 5, None, 2, False),
)
QUANT = tuple(i for i in INDICATORS if i.benchmark is not None)
QUAL = tuple(i for i in INDICATORS if i.benchmark is None)


def _benchmark(ind: Indicator) -> float:
    """The standard x* of a quantitative indicator (a qualitative one has none: an error)."""
    if ind.benchmark is None:
        raise ValueError(f"{ind.level2} is qualitative: it has no benchmark standard")
    return ind.benchmark


def _points(ind: Indicator, value: float) -> float:
    return round(ind.max_points * min(1.0, value / _benchmark(ind)) + 1e-9, 2)


CAP_MARGIN = 1.0  # points kept below the most a unit's published values allow


def score_cap(fixed: dict[str, float]) -> int:
    """The highest score (hundredths) a unit can get with its published indicator values:
    100 minus the points those values leave short of their maxima, less :data:`CAP_MARGIN`
    (the other indicators then sit at or near their caps)."""
    spec = {i.level2: i for i in QUANT}
    short = sum(spec[name].max_points - _points(spec[name], v) for name, v in fixed.items())
    return round((100 - short - CAP_MARGIN) * 100)


def decompose(
    score_h: int,
    rng: np.random.Generator,
    fixed: dict[str, float],
    profile: np.ndarray | None = None,
) -> list[tuple[Indicator, float, float]]:
    """Indicator (value, points) for one unit and round; points add up to the score exactly.

    ``fixed`` holds published values (level-2 name -> value) that are used as given;
    ``profile`` is the unit's persistent strength per quantitative indicator (same in every
    round, so a unit's values move with its score rather than jumping about).
    """
    profile = np.zeros(len(QUANT)) if profile is None else profile
    score = score_h / 100
    q_target = float(np.clip(0.15 * score + rng.normal(0, 0.8), 1.0, 14.5))
    noise = rng.normal(0, 0.05, len(QUANT))
    extra = rng.uniform(0, 0.5, len(QUANT))
    level = (score - q_target) / 85
    for _ in range(100):  # move the common level until the qualitative rest fits in 0..15
        rows = []
        for ind, offset, e, x in zip(QUANT, profile, noise, extra):
            if ind.level2 in fixed:
                value = fixed[ind.level2]
            else:
                ratio = float(np.clip(level + offset + e, 0.01, 1.25))
                value = round((1 + x if ratio >= 1 else ratio) * _benchmark(ind), ind.decimals)
            rows.append((ind, value, _points(ind, value)))
        quant_h = round(sum(pt for _, _, pt in rows) * 100)
        qual_h = score_h - quant_h
        if 0 <= qual_h <= 1500:
            break
        level += (qual_h - q_target * 100) / 8500 / 2
    else:  # pragma: no cover - the level search converges for scores in 15..97
        raise DataError(f"cannot split the score {score} into indicators")
    parts = _split(qual_h, len(QUAL), 500, rng)
    rows += [(ind, h / 100, h / 100) for ind, h in zip(QUAL, parts)]
    return rows


def _split(total: int, k: int, cap: int, rng: np.random.Generator) -> list[int]:
    """``total`` hundredths into k integer parts, each within 0..cap, near equal with noise."""
    parts = [total // k + (1 if j < total % k else 0) for j in range(k)]
    for _ in range(k):
        a, b = rng.choice(k, size=2, replace=False)
        shift = int(rng.integers(0, 60))
        shift = min(shift, parts[a], cap - parts[b])
        parts[a] -= shift
        parts[b] += shift
    return parts


def indicator_rows(scores: pd.DataFrame, anchors: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The long table in the input format: 17 indicator rows + 3 summary rows per unit."""
    fixed = fill_unit_values(anchors)
    records = []
    for row in scores.to_dict("records"):
        rnd, code = int(row["round"]), str(row["code"])
        rng = np.random.default_rng([seed, rnd, int(code)])
        profile = np.random.default_rng([seed, int(row["key"])]).normal(0, 0.11, len(QUANT))
        parts = decompose(int(row["score_h"]), rng, fixed.get((rnd, code), {}), profile)
        note = NOTE + ("" if row["round_published"] else NOTE_UNPUBLISHED)
        base = {"round": rnd, "data_year": rnd - 1, "county_code": code, "county": row["name"]}
        for ind, value, pts in parts:
            records.append(
                {**base, "level1": ind.level1, "level2": ind.level2,
                 "value": _fmt(value, ind.decimals), "unit": ind.unit,
                 "points": _fmt(pts, 2), "max_points": _fmt(ind.max_points, 0), "note": ""}
            )  # fmt: skip
        # the simulated mark goes on the three total rows (it would double the file size on all)
        for item, value_text, unit, points_text, max_text in (
            (TOTAL_ITEMS["score"], _fmt(row["score"], 2), "分", _fmt(row["score"], 2), "100"),
            (TOTAL_ITEMS["class"], row["class"], "", "", ""),
            (TOTAL_ITEMS["position"], str(row["position"]), "位", "", ""),
        ):
            records.append(
                {**base, "level1": TOTAL_LEVEL1, "level2": item, "value": value_text,
                 "unit": unit, "points": points_text, "max_points": max_text, "note": note}
            )  # fmt: skip
    return pd.DataFrame.from_records(records)


GROWTH = 0.06  # yearly growth used to carry a published value to the rounds around it


def fill_unit_values(anchors: pd.DataFrame) -> dict[tuple[int, str], dict[str, float]]:
    """Published values of a unit (``unit_value`` anchors) for every round: as published in
    their rounds, interpolated linearly between two of them and carried outwards at
    :data:`GROWTH` a year, so the unit's own series is smooth rather than random around them."""
    by_series: dict[tuple[str, str], dict[int, float]] = {}
    for a in anchors[anchors["kind"] == "unit_value"].itertuples():
        code, name = a.subject.split(":")
        by_series.setdefault((code, name), {})[int(a.round)] = float(a.value)
    decimals = {i.level2: i.decimals for i in QUANT}
    out: dict[tuple[int, str], dict[str, float]] = {}
    for (code, name), known in by_series.items():
        years = sorted(known)
        for r in ROUNDS:
            if r in known:
                v = known[r]
            elif r < years[0]:
                v = known[years[0]] / (1 + GROWTH) ** (years[0] - r)
            elif r > years[-1]:
                v = known[years[-1]] * (1 + GROWTH) ** (r - years[-1])
            else:
                lo = max(y for y in years if y < r)
                hi = min(y for y in years if y > r)
                v = known[lo] + (known[hi] - known[lo]) * (r - lo) / (hi - lo)
            out.setdefault((r, code), {})[name] = round(v, decimals[name])
    return out


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"
