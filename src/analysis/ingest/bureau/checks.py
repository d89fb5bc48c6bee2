"""Checks a careful official-statistics analyst runs on the bureau's monthly tables (methods.md §4).

Each check is a function of the tidy table (:data:`analysis.ingest.bureau.table.INDUSTRY_MONTHLY`)
returning a list of :class:`Finding` (check, severity, file, row, column, message): *errors* are
impossible figures (a cumulative below its own month, parts above their total, members above
their group, above-scale above all industry, a unit slip of 10³/10⁴) and stop the ingest;
*warnings* are figures to explain (a broken cumulative identity, a negative derived month, a
scope factor far from 1, an implied growth that disagrees with last month's, a revision) and go
to the data-quality report. Series are kept apart by scope *and* coverage: an all-industry
figure is never compared with an above-scale one as if they were the same series.

Tolerances follow the published rounding: half a unit of the last published digit of each
figure involved (``value_decimals``/``growth_decimals`` in their original unit).
Flow checks apply to money indicators except profits (利润), which may legitimately fall.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import astuple, dataclass

import numpy as np
import pandas as pd

from analysis import conventions
from analysis.vocabulary import ALL_INDUSTRY, COUNTY_SCOPE, HEADLINE_COVERAGE, TOTAL_GROUP

SCOPE_FACTOR_TOLERANCE = 0.05  # |k − 1| above this asks for an explanation (methods.md §4.3)
SLIP_BAND = 0.3  # |log10 ratio − k| below this for k in ±1, ±3, ±4 looks like a unit slip
SLIP_POWERS = (1, 3, 4)
COLUMNS = ["check", "severity", "file", "row", "column", "message"]


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # "warning" | "error"
    file: str
    row: int | None
    column: str
    message: str


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    df = pd.DataFrame([astuple(f) for f in findings], columns=COLUMNS)
    df["row"] = pd.array([None if pd.isna(r) else int(r) for r in df["row"]], dtype="Int64")
    for c in ("check", "severity", "file", "column", "message"):
        df[c] = df[c].astype(str)
    return df


def _tol(r: pd.Series) -> float:
    if pd.isna(r["value_decimals"]):
        return 0.0
    return conventions.half_unit(int(r["value_decimals"]), r["original_unit"])


def _growth_half(r: pd.Series) -> float:
    if pd.isna(r["growth_decimals"]):
        return 0.0
    return conventions.half_unit(int(r["growth_decimals"])) / 100.0


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def flows(df: pd.DataFrame, latest_only: bool = True) -> pd.DataFrame:
    """Money indicators that only accumulate (not profits), latest vintage by default, with
    ``area``: the scope, and the coverage when it is not the headline's (全县·全部工业)."""
    out = df[(df["unit"] == "万元") & ~df["indicator"].str.contains("利润")]
    out = out[out["latest"]] if latest_only else out
    other = out["coverage"] != HEADLINE_COVERAGE
    return out.assign(area=out["scope"].where(~other, out["scope"] + "·" + out["coverage"]))


def _series(df: pd.DataFrame, span: str) -> dict[tuple, pd.Series]:
    part = df[(df["span"] == span) & df["value_wan"].notna()]
    return {(r.year, r.area, r.group, r.indicator, r.month): r for _, r in part.iterrows()}


def _at(r: pd.Series, which: str = "value") -> tuple[str, int, str]:
    return r["file"], int(r["row"]), r["value_column"] if which == "value" else r["growth_column"]


def check_cumulative_below_month(df: pd.DataFrame) -> list[Finding]:
    """A cumulative 1–N月 below its own month is impossible (usually a dropped digit)."""
    out = []
    f = flows(df, latest_only=False)
    cum = _series_by_release(f, "cumulative")
    for key, m in _series_by_release(f, "month").items():
        c = cum.get(key)
        if c is None:
            continue
        if c["value_wan"] < m["value_wan"] - _tol(c) - _tol(m):
            out.append(
                Finding(
                    "cumulative_below_month",
                    "error",
                    *_at(c),
                    f"1-{c['month']}月 {_fmt(c['value_wan'])} 万元 is below the month's own "
                    f"{_fmt(m['value_wan'])} 万元 ({m['value_column']}): a dropped digit?",
                )
            )
    return out


def check_negative_level(df: pd.DataFrame) -> list[Finding]:
    """A published level of output, sales or exports below zero is impossible (a sign typed by
    mistake, or a derived difference pasted as a level); profits may be negative."""
    out = []
    f = flows(df, latest_only=False)
    for _, r in f[f["value_wan"] < 0].iterrows():
        out.append(
            Finding(
                "negative_level",
                "error",
                *_at(r),
                f"{r['group']} {r['indicator']} ({r['span']}) is {_fmt(r['value_wan'])} 万元: "
                "a level cannot be negative",
            )
        )
    return out


def _series_by_release(df: pd.DataFrame, span: str) -> dict[tuple, pd.Series]:
    part = df[(df["span"] == span) & df["value_wan"].notna()]
    return {(r.release, r.area, r.group, r.indicator): r for _, r in part.iterrows()}


def check_cumulative_identity(df: pd.DataFrame) -> list[Finding]:
    """``C(N) = C(N−1) + X(N)`` within the rounding of the three figures (methods.md §4.1)."""
    out = []
    f = flows(df)
    cum, mon = _series(f, "cumulative"), _series(f, "month")
    for (y, s, g, ind, n), c in cum.items():
        p, x = cum.get((y, s, g, ind, n - 1)), mon.get((y, s, g, ind, n))
        if p is None or x is None:
            continue
        gap = c["value_wan"] - p["value_wan"] - x["value_wan"]
        if abs(gap) > _tol(c) + _tol(p) + _tol(x) + 1e-9:
            out.append(
                Finding(
                    "cumulative_identity",
                    "warning",
                    *_at(c),
                    f"1-{n}月 {_fmt(c['value_wan'])} ≠ 1-{n - 1}月 {_fmt(p['value_wan'])} "
                    f"({p['file']}) + {n}月 {_fmt(x['value_wan'])}: off by {_fmt(gap)} 万元 "
                    "(a revision or a scope change?)",
                )
            )
    return out


def check_negative_derived_month(df: pd.DataFrame) -> list[Finding]:
    """Derived months ``C(N) − C(N−1)`` of a flow must not be negative beyond rounding."""
    out = []
    cum = _series(flows(df), "cumulative")
    for (y, s, g, ind, n), c in cum.items():
        p = cum.get((y, s, g, ind, n - 1))
        if p is None:
            continue
        x = conventions.monthly_from_cumulative(c["value_wan"], p["value_wan"])
        if x < -(_tol(c) + _tol(p)):
            out.append(
                Finding(
                    "negative_derived_month",
                    "warning",
                    *_at(c),
                    f"1-{n}月 {_fmt(c['value_wan'])} is below 1-{n - 1}月 {_fmt(p['value_wan'])} "
                    f"({p['file']}): derived {n}月 = {_fmt(x)} 万元",
                )
            )
    return out


def _with_tolerance(f: pd.DataFrame) -> pd.DataFrame:
    """``tol``: half a unit of each figure's last published digit, in 万元 (0 if unknown)."""
    tol = [
        0.0 if pd.isna(d) else conventions.half_unit(int(d), u)
        for d, u in zip(f["value_decimals"], f["original_unit"])
    ]
    return f.assign(tol=tol)


def _sums(parts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Parts summed per ``by``: sum, tolerance, a 其他 row, the largest part."""
    return parts.groupby(by, sort=True).agg(
        total=("value_wan", "sum"),
        tol_parts=("tol", "sum"),
        complete=("group", lambda g: g.str.startswith("其他").any()),
        worst=("value_wan", "idxmax"),
    )


def _sums_over(parts: pd.DataFrame, wholes: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Parts summed per ``by`` beside their whole (same index)."""
    if parts.empty:
        return pd.DataFrame()
    return _sums(parts, by).join(wholes, how="inner")


def _parts_findings(sums: pd.DataFrame, parts: pd.DataFrame, member: bool) -> list[Finding]:
    if sums.empty:
        return []
    tol = sums["tol_parts"] + sums["tol"]
    over = sums["total"] > sums["value_wan"] + tol
    off = ~pd.Series(member, index=sums.index) & sums["complete"]
    off &= (sums["total"] - sums["value_wan"]).abs() > tol
    out = []
    for key, t in sums[over | off].iterrows():
        worst = parts.loc[t["worst"]]
        what = f"{t['area']} {key[3]} ({key[1]})" + (f" {key[-1]}" if member else "")
        out.append(
            Finding(
                "parts_sum",
                "error",
                *_at(worst),
                f"{what}: parts sum to {_fmt(t['total'])} 万元 but the total "
                f"(row {int(t['row'])}) is {_fmt(t['value_wan'])} 万元",
            )
        )
    return out


def check_parts_sum(df: pd.DataFrame) -> list[Finding]:
    """Groups and parts of the county never exceed their total, nor a group's members the
    group; a complete partition (with a row 其他…) sums to it, within rounding.

    Parts are the groups and the enterprises outside a group (``part_of`` empty); the members
    of a group (the rows listed under it) are summed against the group, not the total. A
    breakdown with no row of its own (industries under a heading 主要行业产值, a run of
    ``# 国有控股 …`` rows: ``part_of`` names no group) is summed against the total, each
    breakdown apart, since two breakdowns of one total each add up to it."""
    f = _with_tolerance(flows(df, latest_only=False))
    keys = ["release", "span", "coverage", "indicator", "scope"]
    wholes = f[f["group"] == TOTAL_GROUP].set_index(keys)[["value_wan", "tol", "row", "area"]]
    parts = f[(f["group"] != TOTAL_GROUP) & f["value_wan"].notna()]
    top = parts[parts["part_of"] == ""]
    members = parts[parts["part_of"] != ""]
    heads = top.set_index([*keys, "group"])[["value_wan", "tol", "row", "area"]]
    heads.index = heads.index.set_names([*keys, "part_of"])
    headed = members.set_index([*keys, "part_of"]).index.isin(heads.index)
    out = _parts_findings(_sums_over(top, wholes, keys), parts, member=False)
    out += _parts_findings(
        _sums_over(members[headed], heads, [*keys, "part_of"]), parts, member=True
    )
    out += _parts_findings(_breakdowns(members[~headed], wholes, keys), parts, member=True)
    return out + _scopes_within_county(f)


def _breakdowns(members: pd.DataFrame, wholes: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Breakdowns without a row of their own, summed per breakdown beside their total."""
    if members.empty:
        return pd.DataFrame()
    sums = _sums(members, [*keys, "part_of"]).reset_index()
    joined = sums.merge(wholes.reset_index(), on=keys, how="inner")
    return joined.set_index([*keys, "part_of"])


def _scopes_within_county(f: pd.DataFrame) -> list[Finding]:
    """A part of the county (开发区) never exceeds the county's total."""
    keys = ["release", "span", "coverage", "indicator"]
    totals = f[f["group"] == TOTAL_GROUP]
    county = totals[totals["scope"] == COUNTY_SCOPE].set_index(keys)
    county = county[["value_wan", "tol", "row"]].add_prefix("county_")
    zones = totals[totals["scope"] != COUNTY_SCOPE].merge(county.reset_index(), on=keys)
    bad = zones["value_wan"] > zones["county_value_wan"] + zones["tol"] + zones["county_tol"]
    out = []
    for _, z in zones[bad].sort_values([*keys, "scope"], kind="stable").iterrows():
        out.append(
            Finding(
                "parts_sum",
                "error",
                *_at(z),
                f"{z['scope']} {z['indicator']} ({z['span']}) {_fmt(z['value_wan'])} 万元 "
                f"exceeds the county total {_fmt(z['county_value_wan'])} 万元 "
                f"(row {int(z['county_row'])})",
            )
        )
    return out


def check_coverage_order(df: pd.DataFrame) -> list[Finding]:
    """An above-scale (or below-scale) figure never exceeds the all-industry one of the same
    release, scope, group and indicator: a larger 规上 figure means the rows were swapped."""
    out = []
    f = flows(df, latest_only=False)
    f = f[f["value_wan"].notna()]
    keys = ["release", "span", "scope", "group", "indicator"]
    for _, grp in f[f.duplicated(keys, keep=False)].groupby(keys, sort=True):
        whole = grp[grp["coverage"] == ALL_INDUSTRY]
        if whole.empty:
            continue
        w = whole.iloc[0]
        for _, r in grp[grp["coverage"] != ALL_INDUSTRY].iterrows():
            if r["value_wan"] > w["value_wan"] + _tol(r) + _tol(w):
                out.append(
                    Finding(
                        "coverage_order",
                        "error",
                        *_at(r),
                        f"{r['coverage']} {r['indicator']} ({r['span']}) {_fmt(r['value_wan'])} "
                        f"万元 exceeds {ALL_INDUSTRY} {_fmt(w['value_wan'])} 万元 (row "
                        f"{int(w['row'])}): are the two rows swapped?",
                    )
                )
    return out


def _slip(ratio: float) -> int:
    if not ratio > 0:
        return 0
    lr = math.log10(ratio)
    k = round(lr)
    return k if abs(k) in SLIP_POWERS and abs(lr - k) < SLIP_BAND else 0


def check_unit_slip(df: pd.DataFrame) -> list[Finding]:
    """A value ~10, 10³ or 10⁴ times its reference (same period last year, or the previous
    cumulative) is a unit slip (元/千元/万元/亿元); 10³ and 10⁴ are errors, 10 a warning."""
    out = []
    f = flows(df)
    for span in ("cumulative", "month"):
        series = _series(f, span)
        for (y, s, g, ind, n), r in series.items():
            refs = [(series.get((y - 1, s, g, ind, n)), "the same period last year")]
            if span == "cumulative" and n >= 3:
                refs.append((series.get((y, s, g, ind, n - 1)), f"1-{n - 1}月"))
            for ref, what in refs:
                if ref is None:
                    continue
                k = _slip(r["value_wan"] / ref["value_wan"])
                if k:
                    out.append(
                        Finding(
                            "unit_slip",
                            "error" if abs(k) >= 3 else "warning",
                            *_at(r),
                            f"{_fmt(r['value_wan'])} 万元 is about 10^{k} times {what} "
                            f"({_fmt(ref['value_wan'])} 万元, {ref['file']}): check the unit "
                            f"(file says {r['original_unit']})",
                        )
                    )
                    break
    return out


def check_missing_month(df: pd.DataFrame) -> list[Finding]:
    """A year's cumulative releases with a gap (1-8月 and 1-10月 but no 1-9月): the month of the
    gap cannot be derived, and the next derived month silently covers two months. One warning
    per series and year, at the first release after the gap (1月 alone may be missing: the
    bureau publishes 1-2月)."""
    out = []
    f = flows(df)
    cum = f[(f["span"] == "cumulative") & f["value_wan"].notna()]
    for (y, s, g, ind), grp in cum.groupby(["year", "area", "group", "indicator"], sort=True):
        months = sorted(set(grp["month"]) - {1})
        gaps = [m for m in range(months[0], months[-1] + 1) if m not in months] if months else []
        if not gaps:
            continue
        after = grp[grp["month"] > gaps[0]].sort_values("month").iloc[0]
        out.append(
            Finding(
                "missing_month",
                "warning",
                *_at(after),
                f"{y} {s} {g} {ind}: no release for 1-{'月, 1-'.join(map(str, gaps))}月 "
                f"between 1-{months[0]}月 and 1-{months[-1]}月 (add the missing file)",
            )
        )
    return out


def check_scope_factor(
    df: pd.DataFrame, tolerance: float = SCOPE_FACTOR_TOLERANCE
) -> list[Finding]:
    """Scope factor ``k = B / C_{t−1}`` far from 1: one warning per year and series."""
    out = []
    f = flows(df)
    f = f[(f["span"] == "cumulative") & f["scope_factor"].notna()]
    far = f[(f["scope_factor"] - 1).abs() > tolerance]
    for (y, s, g, ind), grp in far.groupby(["year", "area", "group", "indicator"], sort=True):
        first = grp.sort_values("month").iloc[0]
        months = ",".join(str(m) for m in sorted(grp["month"]))
        out.append(
            Finding(
                "scope_factor",
                "warning",
                *_at(first),
                f"{y} {s} {g} {ind}: scope factor k = {grp['scope_factor'].min():.3f}–"
                f"{grp['scope_factor'].max():.3f} (months {months}); published growth is on "
                "this year's register, not last year's published level: a register change?",
            )
        )
    return out


def check_implied_previous_growth(df: pd.DataFrame) -> list[Finding]:
    """The 1–(N−1)月 growth a release implies vs the one published last month (methods.md §1.5)."""
    out = []
    f = flows(df)
    cum, mon = _series(f, "cumulative"), _series(f, "month")
    for (y, s, g, ind, n), c in cum.items():
        x, p = mon.get((y, s, g, ind, n)), cum.get((y, s, g, ind, n - 1))
        if x is None or p is None or pd.isna(p["growth"]):
            continue
        if pd.isna(c["growth"]) or pd.isna(x["growth"]):
            continue
        lo, hi = conventions.implied_previous_growth_band(
            c["value_wan"],
            c["growth"],
            x["value_wan"],
            x["growth"],
            level_half=max(_tol(c), _tol(x)),
            growth_half=max(_growth_half(c), _growth_half(x)),
        )
        half = _growth_half(p)
        if not lo - half - 1e-12 <= p["growth"] <= hi + half + 1e-12:
            implied = conventions.implied_previous_cumulative(
                c["value_wan"], c["growth"], x["value_wan"], x["growth"]
            ).growth
            out.append(
                Finding(
                    "implied_previous_growth",
                    "warning",
                    *_at(c, "growth"),
                    f"1-{n}月 with {n}月 implies 1-{n - 1}月 growth {implied * 100:.1f}% "
                    f"(rounding band {lo * 100:.1f}…{hi * 100:.1f}%), but {p['file']} published "
                    f"{p['growth'] * 100:.{int(p['growth_decimals'])}f}%",
                )
            )
    return out


def check_revision(df: pd.DataFrame) -> list[Finding]:
    """Later vintages of the same period that changed a figure (kept, reported)."""
    out = []
    key = ["year", "month", "span", "scope", "coverage", "group", "indicator"]
    multi = df[df.duplicated(key, keep=False)]
    for _, grp in multi.groupby(key, sort=True):
        rows = list(grp.itertuples())  # in version order (the table is sorted so)
        for a, b in itertools.pairwise(rows):
            changes = []
            for col in ("value", "growth"):
                va, vb = getattr(a, col), getattr(b, col)
                if not (pd.isna(va) and pd.isna(vb)) and not np.isclose(va, vb, equal_nan=False):
                    changes.append(f"{col} {va:g} → {vb:g}")
            if changes:
                out.append(
                    Finding(
                        "revision",
                        "warning",
                        b.file,
                        int(b.row),
                        b.value_column,
                        f"{b.year}年1-{b.month}月 {b.group} {b.indicator} ({b.span}) revised "
                        f"since {a.release}: " + "; ".join(changes),
                    )
                )
    return out


CHECKS = (
    check_cumulative_below_month,
    check_negative_level,
    check_parts_sum,
    check_coverage_order,
    check_unit_slip,
    check_cumulative_identity,
    check_negative_derived_month,
    check_missing_month,
    check_scope_factor,
    check_implied_previous_growth,
    check_revision,
)


def run_checks(df: pd.DataFrame, notes: list[Finding] | tuple[Finding, ...] = ()) -> pd.DataFrame:
    """Every check, with what reading found (``notes``), errors first, in a deterministic
    order."""
    findings = [*notes, *(f for check in CHECKS for f in check(df))] if len(df) else [*notes]
    out = findings_frame(findings)
    order = out["severity"].map({"error": 0, "warning": 1})
    return (
        out.assign(_o=order)
        .sort_values(["_o", "check", "file", "row"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
