"""A calibrated stand-in for the provincial evaluation's per-county reports (seeded).

The province publishes class counts, mean scores, some class memberships and (2023) the A list
in score order; the scores and indicator values of single counties are not public. This module
builds, for every round 2019-2024 and every county-level unit of the time (codes of the time:
168 units with 邢台县 in the 2019 and 2020 rounds, 167 after), a full evaluation table that
agrees with every published anchor, and writes it in the documented input format
(:mod:`analysis.ingest.evalreport`): the full table per round and one county's own report per round,
as CSV (UTF-8 BOM) and xlsx.

How (three steps, each deterministic for a seed):

1. **Classes.** A seeded latent strength per unit (persistent across rounds, with the 2023 A
   order built in) gives each unit a preferred class; an integer programme per round
   (``scipy.optimize.milp``) chooses the classes closest to it subject to the published class
   counts, named memberships and the anchors of :data:`ANCHORS_FILE` (city counts, class moves
   against the previous round, cities with or without a class, and the conditions the rank
   movements of :mod:`.movement` put on classes). The 2018 plan-start baseline gets classes
   only (its counts are published, and the 2019 round's 26 class jumps are counted against
   it); they are written to :data:`BASELINE_FILE`.
2. **Scores** in hundredths of a point: a second integer programme keeps each score inside its
   class and near the latent target, hits the mean (and city means) at their printed rounding,
   and enforces the published orders (the 2023 A list, a unit's position, first in its city).
   The order of that first pass is kept, unless movement anchors (places gained against the
   previous round) ask for another: then :func:`.movement.choose_order` picks the nearest order
   that meets them. A second pass fixes the order and asks for 0.01-point gaps, so no two units
   tie, and meets the count of scores that rose.
3. **Indicators.** Each score is split into 14 quantitative indicators (85 points) and 3
   qualitative ones (15 points). Quantitative points are benchmark ratios capped at 1 (METHODS
   §3.2/§3.3: ``points = W_k · min(1, x / x*_k)``, fixed standards, so the mean can rise from
   round to round); values are drawn, rounded to their printed precision, and the points are
   computed from the rounded values. The qualitative points (expert scores) take the rest, so
   the total is exact. Published values of a unit (e.g. 曲周县's 34 high-tech enterprises in
   the 2021 round) are set as given.

Weights, standards and the names of 12 of the 17 indicators are **assumptions** (the province
published five names, the 85 + 15 split and nothing else); they are marked ``published=False``
in :data:`INDICATORS` and ``assumed_name`` in the processed table. Nothing of the county is
hard-coded here: the county-specific anchors are rows of ``ANCHORS.csv`` (data, with sources),
and the county whose own report is written is an argument.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES, QUALITATIVE_LEVEL1
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.ingest.evaluation_report import TOTAL_ITEMS, TOTAL_LEVEL1
from analysis.io import read_csv, write_csv
from analysis.simulate import movement
from analysis.simulate.program import Program
from analysis.simulate.units import city_rows, scope_rows, unit_row

ROUNDS = tuple(range(2019, 2025))
# the plan-start baseline (跃升计划起点): only its class counts are published, and the 2019
# round's "26 counties jumped class" is measured against it, so its classes are simulated too
BASELINE_ROUND = 2018
ALL_ROUNDS = (BASELINE_ROUND, *ROUNDS)
BASELINE_FILE = f"BASELINE_{BASELINE_ROUND}.csv"
SEED = 20221125
ANCHORS_FILE = "ANCHORS.csv"
CALIBRATION_FILE = "CALIBRATION.csv"
# class intervals in hundredths of a point: A 80-97, B 60-79.99, C 15-59.99
CLASS_BOUNDS = {"A": (8000, 9700), "B": (6000, 7999), "C": (1500, 5999)}
# comfortable ranges used when the class programme checks that a city mean stays reachable
CLASS_RANGE = {"A": (81.0, 95.0), "B": (61.0, 79.0), "C": (30.0, 59.0)}
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


# ---------------------------------------------------------------------------------------------
# inputs: units of each round, targets, anchors


def read_anchors(folder: Path) -> pd.DataFrame:
    """The documented anchors table (one row per published or assumed target, with source)."""
    path = folder / ANCHORS_FILE
    if not path.is_file():
        raise DataError("the stand-in's anchors table is missing", file=path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    need = ["anchor_id", "round", "kind", "subject", "value", "status", "source", "note"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", file=path, row=1)
    df["round"] = df["round"].astype(int)
    return df


def round_units(raw: Path) -> dict[int, pd.DataFrame]:
    """Units of each round (codes of the time, ``units_as_of(round - 1)``) with a link key.

    The key follows a unit across rounds through renames (任县 -> 任泽区); 邢台县, split in 2020,
    keeps its own key and simply ends.
    """
    key = link_keys(admin.code_table(raw))
    out = {}
    for r in ALL_ROUNDS:
        units = admin.units_as_of(r - 1, raw)[["code", "name", "city"]].copy()
        units["key"] = units["code"].map(key)
        out[r] = units.reset_index(drop=True)
    return out


def round_targets(raw: Path, anchors: pd.DataFrame) -> pd.DataFrame:
    """Class counts and mean per round: published or derived (evaluation_rounds), else the
    assumed values of the anchors table (the unpublished 2022 round, 2024 B and C)."""
    rounds = evaluation.evaluation_rounds(raw).set_index("round")
    rows = []
    for r in ALL_ROUNDS:
        row = {"round": r, "published": bool(rounds.at[r, "published"])}
        for q in ("n_A", "n_B", "n_C", "mean_score"):
            v = rounds.at[r, q]
            row[q] = float(v) if pd.notna(v) else np.nan
            row[f"{q}_source"] = f"summary:{r}:{q}" if pd.notna(v) else ""
        for a in anchors[(anchors["round"] == r)].itertuples():
            q = {"class_count": f"n_{a.subject}", "mean": "mean_score"}.get(a.kind)
            if q and np.isnan(row[q]):
                row[q] = float(a.value)
                row[f"{q}_source"] = f"anchor:{a.anchor_id}"
        rows.append(row)
    out = pd.DataFrame(rows).set_index("round")
    n_units = {r: evaluation.units_in_round(r) for r in ALL_ROUNDS}
    bad = out[out[["n_A", "n_B", "n_C"]].sum(axis=1) != pd.Series(n_units)]
    if len(bad):
        raise DataError(f"class counts do not add up to the units in rounds {list(bad.index)}")
    return out


# ---------------------------------------------------------------------------------------------
# step 1: latent strength and classes


def latent_scores(
    units: dict[int, pd.DataFrame], targets: pd.DataFrame, positions: pd.DataFrame, seed: int
) -> dict[int, pd.Series]:
    """Seeded latent scores per round, indexed by link key: persistent (AR(1), rho 0.9), with
    the published 2023 A order built into the base strength so anchors bend it little."""
    rng = np.random.default_rng(seed)
    keys = sorted({k for u in units.values() for k in u["key"]})
    base = pd.Series(rng.standard_normal(len(keys)), index=keys)
    listed = positions.sort_values("position")
    top = np.linspace(2.6, 0.9, num=len(listed)) if len(listed) else []
    for key, z in zip(listed["key"], top):
        base[key] = z
    out: dict[int, pd.Series] = {}
    z = base.copy()
    for r in ALL_ROUNDS:
        z = 0.9 * z + np.sqrt(1 - 0.81) * 0.5 * pd.Series(rng.standard_normal(len(keys)), keys)
        mean = targets.at[r, "mean_score"]
        out[r] = (mean + 14.0 * z).clip(18, 96)
    return out


def choose_classes(
    r: int,
    units: pd.DataFrame,
    latent: pd.Series,
    targets: pd.Series,
    forced: dict[str, str],
    anchors: pd.DataFrame,
    previous: dict[str, str] | None,
    fixed_positions: dict[str, int],
    links: movement.Links,
    next_anchors: pd.DataFrame,
) -> pd.Series:
    """Classes of one round: closest to the latent scores under every class anchor, and able
    to meet the movement anchors of this round and the next (:mod:`.movement`)."""
    n = len(units)
    col = {(i, c): 3 * i + k for i in range(n) for k, c in enumerate(CLASSES)}
    p = Program(3 * n)
    t = latent.reindex(units["key"]).to_numpy()
    cost = np.zeros(3 * n)
    for i in range(n):
        for c in CLASSES:
            lo, hi = CLASS_RANGE[c]
            cost[col[i, c]] = max(lo - t[i], 0, t[i] - hi) ** 2
        p.add({col[i, c]: 1 for c in CLASSES}, 1, 1)
    for c in CLASSES:
        k = targets[f"n_{c}"]
        p.add({col[i, c]: 1 for i in range(n)}, k, k)
    for code, c in forced.items():
        i = unit_row(units, code)
        p.add({col[i, c]: 1}, 1, 1)
    prev = units["key"].map(previous or {})
    for a in anchors.itertuples():
        _class_anchor(a, p, col, units, prev)
    counts = {c: int(targets[f"n_{c}"]) for c in CLASSES}
    fixed = {unit_row(units, code): k for code, k in fixed_positions.items()}
    movement.class_conditions(p, col, units, counts, fixed, links, anchors, next_anchors)
    # the mean (and city means) must stay reachable with the chosen classes
    for a in anchors[anchors["kind"] == "city_mean"].itertuples():
        idx = city_rows(units, a.subject)
        _mean_reachable(p, col, idx, float(a.value))
    _mean_reachable(p, col, list(range(n)), targets["mean_score"])
    x = p.solve(cost, np.ones(3 * n), Bounds(0, 1), f"round {r} (classes)")
    chosen = [next(c for c in CLASSES if x[col[i, c]]) for i in range(n)]
    return pd.Series(chosen, index=units.index)


def _mean_reachable(p: Program, col: dict, idx: list[int], mean: float) -> None:
    total = mean * len(idx)
    p.add({col[i, c]: CLASS_RANGE[c][0] for i in idx for c in CLASSES}, -np.inf, total)
    p.add({col[i, c]: CLASS_RANGE[c][1] for i in idx for c in CLASSES}, total, np.inf)


def _moves(spec: str) -> list[tuple[str, str]]:
    """'B>A' -> [(B, A)]; 'up' / 'down' -> the upward / downward moves; 'any' -> every change."""
    if spec == "up":
        return [("B", "A"), ("C", "B"), ("C", "A")]
    if spec == "down":
        return [("A", "B"), ("A", "C"), ("B", "C")]
    if spec == "any":
        return [(a, b) for a in CLASSES for b in CLASSES if a != b]
    a, b = spec.split(">")
    return [(a, b)]


def _class_anchor(a, p: Program, col: dict, units: pd.DataFrame, prev: pd.Series) -> None:
    n = len(units)
    if a.kind == "class_only_in_cities":
        allowed = set(a.value.split(";"))
        for i in range(n):
            if units.at[i, "city"] not in allowed:
                p.add({col[i, a.subject]: 1}, 0, 0)
        for city in allowed:  # "only in" these cities: each of them has one
            p.add({col[i, a.subject]: 1 for i in city_rows(units, city)}, 1, np.inf)
    elif a.kind == "class_in_every_city":
        for city in sorted(set(units["city"])):
            idx = city_rows(units, city)
            p.add({col[i, a.subject]: 1 for i in idx}, float(a.value), np.inf)
    elif a.kind == "city_class_count":
        city, c = a.subject.split(":")
        k = float(a.value)
        p.add({col[i, c]: 1 for i in city_rows(units, city)}, k, k)
    elif a.kind == "city_most_at_least":
        city, c = a.subject.split(":")
        better = CLASSES[: CLASSES.index(c) + 1]
        mine = {col[i, b]: 1.0 for i in city_rows(units, city) for b in better}
        for other in sorted(set(units["city"]) - {city}):
            coef = dict(mine)
            for i in city_rows(units, other):
                for b in better:
                    coef[col[i, b]] = coef.get(col[i, b], 0) - 1
            p.add(coef, float(a.value), np.inf)
    elif a.kind == "class_changes":
        scope, spec = a.subject.split(":")
        idx = scope_rows(units, scope)
        coef = {
            col[i, to]: 1
            for i in idx
            for frm, to in _moves(spec)
            if isinstance(prev.iloc[i], str) and prev.iloc[i] == frm
        }
        k = float(a.value)
        p.add(coef, k, k)
    elif a.kind == "unit_class":
        p.add({col[unit_row(units, a.subject), a.value]: 1}, 1, 1)


# ---------------------------------------------------------------------------------------------
# step 2: scores


def _hundredths(mean: float, n: int) -> tuple[int, int]:
    """Sum bounds (hundredths of a point) whose mean rounds to ``mean`` at its printed precision:
    the sum is the nearest integer to mean * n * 100 (exact to 0.01/n)."""
    s = round(mean * n * 100)
    return s, s


def score_round(
    r: int,
    units: pd.DataFrame,
    classes: pd.Series,
    latent: pd.Series,
    targets: pd.Series,
    anchors: pd.DataFrame,
    positions: dict[str, int],
    links: movement.Links,
    next_anchors: pd.DataFrame,
) -> pd.Series:
    """Scores (hundredths) of one round; see the module docstring, step 2."""
    n = len(units)
    t = (latent.reindex(units["key"]).to_numpy() * 100).round()
    lo = np.array([CLASS_BOUNDS[c][0] for c in classes])
    hi = np.array([CLASS_BOUNDS[c][1] for c in classes])
    t = np.clip(t, lo + 30, hi - 30)
    pairs = _order_pairs(units, classes, t, anchors, positions)
    first = _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs)
    # second pass: keep the first pass's order (ties broken by the latent score), unless the
    # movement anchors ask for another one, with units 0.01 apart
    order = sorted(range(n), key=lambda i: (-first[i], -t[i], units.at[i, "code"]))
    if movement.has_rank_anchors(anchors, next_anchors, links):
        fixed = {unit_row(units, code): k for code, k in positions.items()}
        for a in anchors[anchors["kind"] == "unit_position"].itertuples():
            fixed[unit_row(units, a.subject)] = int(a.value)
        order = movement.choose_order(
            f"round {r}", units, classes, order, fixed, pairs, links, anchors, next_anchors
        )
    chain = [
        (order[k], order[k + 1]) for k in range(n - 1) if classes[order[k]] == classes[order[k + 1]]
    ]
    final = _solve_scores(
        r, n, first.astype(float), lo, hi, units, targets, anchors, pairs + chain, links
    )
    return pd.Series(final, index=units.index)


def _order_pairs(
    units: pd.DataFrame,
    classes: pd.Series,
    t: np.ndarray,
    anchors: pd.DataFrame,
    positions: dict[str, int],
) -> list[tuple[int, int]]:
    """(higher, lower) pairs from published orders: the A list, positions, first in city."""
    n = len(units)
    pairs: list[tuple[int, int]] = []
    listed = sorted(positions.items(), key=lambda kv: kv[1])
    idx = [unit_row(units, code) for code, _ in listed]
    pairs += list(itertools.pairwise(idx))
    if idx:  # the listed part of the A list is above every unlisted A unit
        rest = [i for i in range(n) if classes[i] == "A" and i not in idx]
        pairs += [(idx[-1], j) for j in rest]
    for a in anchors[anchors["kind"] == "unit_first_in_city"].itertuples():
        q = unit_row(units, a.subject)
        pairs += [(q, j) for j in city_rows(units, units.at[q, "city"]) if j != q]
    for a in anchors[anchors["kind"] == "unit_position"].itertuples():
        q = unit_row(units, a.subject)
        k = int(a.value)
        below_q = {j for h, j in pairs if h == q}
        cands = [j for j in range(n) if j != q and j not in below_q]
        above = sorted(cands, key=lambda j: -t[j])[: k - 1]
        pairs += [(j, q) for j in above]
        pairs += [(q, j) for j in range(n) if j != q and j not in above]
    return pairs


def _solve_scores(r, n, t, lo, hi, units, targets, anchors, pairs, links=None) -> np.ndarray:
    """min sum |s - t| over integer s (hundredths) under the sums and order pairs (and, given
    the previous round's scores in ``links``, the count of scores that rose)."""
    p = Program(2 * n)  # s_0..s_n-1, d_0..d_n-1
    for i in range(n):
        p.add({i: 1, n + i: -1}, -np.inf, t[i])
        p.add({i: 1, n + i: 1}, t[i], np.inf)
    s_lo, s_hi = _hundredths(targets["mean_score"], n)
    p.add(dict.fromkeys(range(n), 1), s_lo, s_hi)
    for a in anchors.itertuples():
        if a.kind == "city_mean":
            idx = city_rows(units, a.subject)
            s_lo, s_hi = _hundredths(float(a.value), len(idx))
            p.add(dict.fromkeys(idx, 1), s_lo, s_hi)
        elif a.kind == "city_mean_range":
            idx = city_rows(units, a.subject)
            low, high = (float(v) for v in a.value.split(".."))
            # 0.01 inside the range at both ends, so a float mean never sits on the boundary
            n_c = len(idx)
            p.add(dict.fromkeys(idx, 1), (low + 0.01) * 100 * n_c, (high - 0.01) * 100 * n_c)
        elif a.kind == "city_highest_mean":
            mine = city_rows(units, a.subject)
            for other in sorted(set(units["city"]) - {a.subject}):
                theirs = city_rows(units, other)
                coef = {i: float(len(theirs)) for i in mine}
                coef.update({j: -float(len(mine)) for j in theirs})
                p.add(coef, len(mine) * len(theirs), np.inf)  # at least 0.01 higher
    for h, low in pairs:
        p.add({h: 1, low: -1}, 1, np.inf)
    extra = movement.scores_up_rows(p, units, links, anchors, 2 * n) if links else 0
    p.n += extra
    cost = np.r_[np.zeros(n), np.ones(n), np.zeros(extra)]
    bounds = Bounds(
        np.r_[lo, np.zeros(n), np.zeros(extra)], np.r_[hi, np.full(n, 1e5), np.ones(extra)]
    )
    integrality = np.r_[np.ones(n), np.zeros(n), np.ones(extra)]
    x = p.solve(cost, integrality, bounds, f"round {r} (scores)")
    return x[:n]


# ---------------------------------------------------------------------------------------------
# step 3: indicators


def _points(ind: Indicator, value: float) -> float:
    return round(ind.max_points * min(1.0, value / ind.benchmark) + 1e-9, 2)


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
                value = round((1 + x if ratio >= 1 else ratio) * ind.benchmark, ind.decimals)
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


# ---------------------------------------------------------------------------------------------
# putting it together


@dataclass(frozen=True)
class StandIn:
    """The generated tables: ``full`` (long, every unit and round, input format columns in
    English), ``scores`` (one row per unit and round) and ``baseline`` (the 2018 plan-start
    classes: round, county_code, county, city, class, note)."""

    full: pd.DataFrame
    scores: pd.DataFrame
    baseline: pd.DataFrame


def build(raw: Path, anchors_dir: Path, seed: int = SEED) -> StandIn:
    """Every round's full table (all units) and per-unit scores; deterministic for ``seed``."""
    anchors = read_anchors(anchors_dir)
    units = round_units(raw)
    targets = round_targets(raw, anchors)
    codes = admin.code_table(raw)
    published = evaluation.evaluation_classes(raw, codes)
    key_of = {c: k for u in units.values() for c, k in zip(u["code"], u["key"])}
    pos = published[published["position"].notna()].assign(
        key=lambda d: d["county_code"].map(key_of)
    )
    latent = latent_scores(units, targets, pos[pos["round"] == pos["round"].max()], seed)
    base = units[BASELINE_ROUND]
    no_links = movement.make_links(base["key"], None, {})
    baseline = choose_classes(
        BASELINE_ROUND, base, latent[BASELINE_ROUND], targets.loc[BASELINE_ROUND], {},
        anchors[anchors["round"] == BASELINE_ROUND], None, {}, no_links,
        anchors[anchors["round"] == BASELINE_ROUND + 1],
    )  # fmt: skip
    previous: dict[str, str] | None = dict(zip(base["key"], baseline))
    score_rows: list[pd.DataFrame] = []
    for r in ROUNDS:
        u = units[r]
        a = anchors[anchors["round"] == r]
        a_next = anchors[anchors["round"] == r + 1]
        positions = _published_positions(published, anchors, r)
        pub = published[published["round"] == r]
        forced = dict(zip(pub["county_code"], pub["class"]))
        for c, k in positions.items():
            forced.setdefault(c, _class_of_position(k, targets.loc[r]))
        links = movement.make_links(
            u["key"],
            score_rows[-1] if score_rows else None,
            {key_of[c]: k for c, k in _published_positions(published, anchors, r + 1).items()},
        )
        classes = choose_classes(
            r, u, latent[r], targets.loc[r], forced, a, previous, positions, links, a_next
        )
        listed = {c: k for c, k in positions.items() if c in set(pub["county_code"])}
        scores = score_round(r, u, classes, latent[r], targets.loc[r], a, listed, links, a_next)
        previous = dict(zip(u["key"], classes))
        position = scores.rank(ascending=False, method="first").astype(int)
        score_rows.append(
            u.assign(
                round=r,
                score_h=scores.to_numpy(),
                score=scores.to_numpy() / 100,
                **{"class": classes.to_numpy()},
                position=position.to_numpy(),
                round_published=bool(targets.at[r, "published"]),
            )
        )
    scores = pd.concat(score_rows, ignore_index=True)
    full = _indicator_rows(scores, anchors, seed)
    baseline_table = pd.DataFrame(
        {"round": BASELINE_ROUND, "county_code": base["code"], "county": base["name"],
         "city": base["city"], "class": baseline.to_numpy(), "note": NOTE}
    )  # fmt: skip
    return StandIn(full=full, scores=scores, baseline=baseline_table)


def _published_positions(published: pd.DataFrame, anchors: pd.DataFrame, r: int) -> dict[str, int]:
    """Code -> position in round r: the published list (2023 A order) and unit_position anchors."""
    pub = published[(published["round"] == r) & published["position"].notna()]
    out = {c: int(k) for c, k in zip(pub["county_code"], pub["position"])}
    for row in anchors[(anchors["round"] == r) & (anchors["kind"] == "unit_position")].itertuples():
        out.setdefault(row.subject, int(row.value))
    return out


def _class_of_position(k: int, targets: pd.Series) -> str:
    if k <= targets["n_A"]:
        return "A"
    return "B" if k <= targets["n_A"] + targets["n_B"] else "C"


def _indicator_rows(scores: pd.DataFrame, anchors: pd.DataFrame, seed: int) -> pd.DataFrame:
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
        for item, value, unit, pts, mx in (
            (TOTAL_ITEMS["score"], _fmt(row["score"], 2), "分", _fmt(row["score"], 2), "100"),
            (TOTAL_ITEMS["class"], row["class"], "", "", ""),
            (TOTAL_ITEMS["position"], str(row["position"]), "位", "", ""),
        ):
            records.append(
                {**base, "level1": TOTAL_LEVEL1, "level2": item, "value": value, "unit": unit,
                 "points": pts, "max_points": mx, "note": note}
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


# ---------------------------------------------------------------------------------------------
# files


def full_file(round_: int, ext: str = "csv") -> str:
    return f"full_{round_}.{ext}"


def report_file(round_: int, code: str, ext: str = "csv") -> str:
    return f"report_{round_}_{code}.{ext}"


def generate(raw: Path, out_dir: Path, county_code: str, seed: int = SEED) -> list[Path]:
    """Build the stand-in and write it to ``out_dir`` (which holds ANCHORS.csv): per round the
    full table and ``county_code``'s own report, each as CSV and xlsx, then CALIBRATION.csv
    with the achieved values read back through :func:`analysis.ingest.evalreport.ingest`."""
    from analysis.ingest import evaluation_report as evalreport

    out_dir = Path(out_dir)
    if not any(county_code in set(u["code"]) for u in round_units(raw).values()):
        raise DataError(f"county code {county_code} is not a unit of any round 2019-2024")
    stand_in = build(raw, out_dir, seed)
    full = stand_in.full
    written: list[Path] = [write_csv(stand_in.baseline, out_dir / BASELINE_FILE)]
    for old in out_dir.glob("*"):
        if old.name.startswith(("full_", "report_")):
            old.unlink()
    for r in ROUNDS:
        table = evalreport.to_input_format(full[full["round"] == r])
        own = evalreport.to_input_format(
            full[(full["round"] == r) & (full["county_code"] == county_code)]
        )
        if own.empty:
            continue  # the county did not exist in that round
        for df, name in ((table, full_file(r, "")), (own, report_file(r, county_code, ""))):
            written.append(write_csv(df, out_dir / f"{name}csv"))
            written.append(evalreport.write_xlsx(df, out_dir / f"{name}xlsx"))
    tables = evalreport.ingest(out_dir.parent, raw, simulated=True)
    baseline = read_csv(out_dir / BASELINE_FILE, dtype={"county_code": str})
    cal = calibration(tables, baseline, read_anchors(out_dir),
                      round_targets(raw, read_anchors(out_dir)), raw, county_code)  # fmt: skip
    written.append(write_csv(cal, out_dir / CALIBRATION_FILE))
    return written


# ---------------------------------------------------------------------------------------------
# calibration: targets against what the written files achieve


def _fig_id(anchor) -> str:
    import re

    # A work-report figure id only where the anchor's value is that figure's own number (the
    # claims register compares them); a class behind F09 ("three years in class A") is not.
    ids = re.findall(r"\bF\d{2}\b", anchor.source)
    try:
        float(anchor.value)
    except (TypeError, ValueError):
        return f"anchor:{anchor.anchor_id}"
    return ids[0] if len(ids) == 1 else f"anchor:{anchor.anchor_id}"


def calibration(
    tables: dict[str, pd.DataFrame],
    baseline: pd.DataFrame,
    anchors: pd.DataFrame,
    targets: pd.DataFrame,
    raw: Path,
    county_code: str,
) -> pd.DataFrame:
    """One row per target (file, target_figure_id, target_value, achieved_value); the achieved
    values are computed from the ingested tables and the written baseline (the 2018 classes),
    not copied from the targets."""
    sc = pd.concat([baseline, tables["evaluation_scores"]], ignore_index=True)
    ind = tables["evaluation_indicators"]
    rows: list[dict[str, str]] = []

    def add(file: str, fid: str, target: object, achieved: object) -> None:
        rows.append({"file": file, "target_figure_id": fid, "target_value": str(target),
                     "achieved_value": str(achieved)})  # fmt: skip

    g = sc[sc["round"] == BASELINE_ROUND]
    for q in ("n_A", "n_B", "n_C"):
        fid = targets.at[BASELINE_ROUND, f"{q}_source"]
        add(
            BASELINE_FILE, fid, int(targets.at[BASELINE_ROUND, q]), int((g["class"] == q[-1]).sum())
        )
    add(BASELINE_FILE, f"units:{BASELINE_ROUND}", evaluation.units_in_round(BASELINE_ROUND), len(g))
    for r in ROUNDS:
        g = sc[sc["round"] == r]
        for q in ("n_A", "n_B", "n_C", "mean_score"):
            fid = targets.at[r, f"{q}_source"]
            if q == "mean_score":
                add(full_file(r), fid, f"{targets.at[r, q]:.2f}", f"{g['score'].mean():.2f}")
            else:
                add(full_file(r), fid, int(targets.at[r, q]), int((g["class"] == q[-1]).sum()))
        add(full_file(r), f"units:{r}", evaluation.units_in_round(r), len(g))
    codes = admin.code_table(raw)
    keys = link_keys(codes)
    published = evaluation.evaluation_classes(raw, codes)
    for p in published.to_dict("records"):
        r, name = p["round"], p["name_as_published"]
        hit = sc[(sc["round"] == r) & (sc["county_code"] == p["county_code"])].iloc[0]
        add(full_file(r), f"classes:{r}:class:{name}", p["class"], hit["class"])
        if pd.notna(p["position"]):
            add(full_file(r), f"classes:{r}:position:{name}", int(p["position"]),
                int(hit["position"]))  # fmt: skip
    for a in anchors.itertuples():
        if a.kind in ("class_count", "mean"):
            continue  # in the round rows above
        g = sc[sc["round"] == a.round]
        file = full_file(a.round)
        code = a.subject.split(":")[0]
        if code == county_code:
            file = report_file(a.round, code)
        target, achieved = _achieved(a, g, ind[ind["round"] == a.round], sc, keys)
        add(file, _fig_id(a), target, achieved)
    return pd.DataFrame(rows)


def _achieved(
    a, g: pd.DataFrame, ind: pd.DataFrame, sc: pd.DataFrame, keys: dict[str, str]
) -> tuple[object, object]:
    """(target, achieved) of one anchor row, achieved computed from the scores table."""
    city_count = lambda city, c: int(((g["city"] == city) & (g["class"] == c)).sum())  # noqa: E731
    if a.kind == "class_only_in_cities":
        have = sorted(set(g.loc[g["class"] == a.subject, "city"]))
        return ";".join(sorted(a.value.split(";"))), ";".join(have)
    if a.kind == "class_in_every_city":
        cities = sorted(set(g["city"]))
        return len(cities), sum(city_count(c, a.subject) >= int(a.value) for c in cities)
    if a.kind == "city_class_count":
        city, c = a.subject.split(":")
        return int(a.value), city_count(city, c)
    if a.kind == "city_most_at_least":
        city, c = a.subject.split(":")
        better = list(CLASSES[: CLASSES.index(c) + 1])
        n = g[g["class"].isin(better)].groupby("city").size()
        return 1, 1 + int((n.drop(city) >= n[city]).sum())
    if a.kind == "class_changes":
        scope, spec = a.subject.split(":")
        prev = sc[sc["round"] == a.round - 1]
        key = keys
        before = dict(zip(prev["county_code"].map(key), prev["class"]))
        mine = g if scope == "*" else g[g["city"] == scope]
        moves = set(_moves(spec))
        n = sum(
            (before.get(key[c]), k) in moves for c, k in zip(mine["county_code"], mine["class"])
        )
        return int(a.value), n
    if a.kind in movement.KINDS:
        return movement.achieved(a, g, sc[sc["round"] == a.round - 1], keys)
    if a.kind == "unit_class":
        return a.value, g.loc[g["county_code"] == a.subject, "class"].iloc[0]
    if a.kind == "city_mean":
        decimals = len(a.value.split(".")[1]) if "." in a.value else 0
        m = g.loc[g["city"] == a.subject, "score"].mean()
        return a.value, f"{m:.{decimals}f}"
    if a.kind == "city_mean_range":
        return a.value, f"{g.loc[g['city'] == a.subject, 'score'].mean():.2f}"
    if a.kind == "city_highest_mean":
        means = g.groupby("city")["score"].mean().sort_values(ascending=False)
        return 1, list(means.index).index(a.subject) + 1
    if a.kind == "unit_position":
        return int(a.value), int(g.loc[g["county_code"] == a.subject, "position"].iloc[0])
    if a.kind == "unit_first_in_city":
        me = g[g["county_code"] == a.subject].iloc[0]
        return 1, int((g.loc[g["city"] == me["city"], "score"] >= me["score"]).sum())
    if a.kind == "unit_value":
        code, name = a.subject.split(":")
        v = ind.loc[(ind["county_code"] == code) & (ind["level2"] == name), "value"].iloc[0]
        return f"{float(a.value):g}", f"{v:g}"
    raise DataError(f"unknown anchor kind {a.kind!r} ({a.anchor_id})")


def link_keys(codes: pd.DataFrame) -> dict[str, str]:
    """Code of the time -> link key: a unit keeps its key through renames (任县 -> 任泽区); a
    split unit (邢台县) keeps its own code and simply ends. ``codes`` is admin.code_table."""
    return {
        r.code: (r.current_codes if r.relation in ("current", "renamed") else r.code)
        for r in codes.itertuples()
    }


def main(argv: Iterable[str] | None = None) -> int:
    """Regenerate the committed stand-in: ``python -m analysis.simulate.evaluation
    [--params params/x.yaml]`` (the county is the run parameter ``county_code``)."""
    import argparse

    from analysis.params import load_params
    from analysis.paths import Paths

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--params", default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(list(argv) if argv is not None else None)
    params = load_params(args.params)
    paths = Paths.for_run()
    out = paths.root / "data" / "internal" / "simulated" / "evaluation"
    for path in generate(paths.raw, out, params.county_code, args.seed):
        print(path.relative_to(paths.root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
