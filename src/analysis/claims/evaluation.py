"""Statements about the provincial evaluation, checked against the published class lists.

A work report does not name the round it means; the round is inferred (the latest published by
the report's year) and every text says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.claims.evidence import Context, Evidence
from analysis.errors import DataError


def ordinal(n: int) -> str:
    """1 -> '1st', 13 -> '13th' (for the texts of the register)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def referenced_round(rounds: pd.DataFrame, report_year: int) -> int | None:
    """The latest round published by the report's year: what 'our rank' in a report refers to.

    An inference (the report does not name its round): rounds are published around the turn
    of the year, so a report written in November of ``report_year`` speaks of the latest round
    with published results up to that year.
    """
    done = rounds[rounds["published"].astype(bool) & (rounds["round"] <= report_year)]
    return int(done["round"].max()) if not done.empty else None


def _county_rows(ctx: Context) -> pd.DataFrame:
    classes = ctx.classes
    if classes is None:
        return pd.DataFrame(columns=["round", "class", "position"])
    return classes[classes["county_code"].astype(str) == ctx.county_code]


def _published_elsewhere(ctx: Context, rounds: Sequence[int]) -> str:
    """What the lists say about the county in other rounds (context, not a check)."""
    rows = _county_rows(ctx)
    rows = rows[~rows["round"].isin(rounds)]
    parts = []
    for _, row in rows.sort_values("round").iterrows():
        position = row["position"]
        pos = (
            f", {ordinal(int(position))} in the score-ordered A list" if pd.notna(position) else ""
        )
        city_rank = city_position(ctx, int(row["round"]))
        city = f", {ordinal(city_rank)} among {ctx.city} units" if city_rank is not None else ""
        parts.append(f"round {row['round']}: class {row['class']}{pos}{city}")
    return "; ".join(parts) if parts else "none"


def _report_round(figure: pd.Series, ctx: Context) -> tuple[int | None, str]:
    if ctx.rounds is None:
        return None, "no evaluation rounds table"
    year = _report_year(figure)
    r = referenced_round(ctx.rounds, year)
    return r, f"round referred to: {r} (inferred: latest round published by {year})"


def _report_year(figure: pd.Series) -> int:
    found = re.findall(r"\d{4}", str(figure["period"]))
    if not found:
        raise DataError(f"{figure['figure_id']}: period {figure['period']!r} names no year",
                        column="period")  # fmt: skip
    return int(found[-1])


def class_streak_evidence(figure: pd.Series, ctx: Context) -> Evidence:
    """'N consecutive years in class A': the published class of each of the N rounds."""
    fid = figure["figure_id"]
    last, inferred = _report_round(figure, ctx)
    if last is None:
        return Evidence(fid, "note", None, None, inferred)
    n = int(figure["value"])
    wanted = list(range(last - n + 1, last + 1))
    rows = _county_rows(ctx).set_index("round")
    found = {r: rows.at[r, "class"] for r in wanted if r in rows.index}
    elsewhere = _published_elsewhere(ctx, wanted)
    sources = _class_sources(ctx, wanted)
    if any(c != "A" for c in found.values()):
        bad = ", ".join(f"round {r}: {c}" for r, c in found.items() if c != "A")
        return Evidence(fid, "real", False, None, f"{inferred}; published classes: {bad}", sources)
    if len(found) == n:
        return Evidence(
            fid, "real", True, float(n), f"{inferred}; class A in rounds {wanted}", sources
        )
    missing = [r for r in wanted if r not in found]
    return Evidence(
        fid,
        "note",
        None,
        None,
        f"{inferred}; rounds {wanted} needed, no published class for the county in {missing}; "
        f"published for the county elsewhere: {elsewhere}",
    )


def _class_sources(ctx: Context, rounds: Sequence[int]) -> str:
    rows = _county_rows(ctx)
    rows = rows[rows["round"].isin(rounds)]
    urls = rows.get("source_url", pd.Series(dtype=str)).dropna()
    return " ; ".join(sorted({u for u in urls if u}))


def city_position(ctx: Context, round_: int) -> int | None:
    """The county's place among its city's units in a round's score-ordered list, if knowable.

    Knowable when the county has a position and every position above it is published (then
    every unit with a higher score is visible): 1 + the number of the city's units above it.
    """
    if ctx.classes is None:
        return None
    lst = ctx.classes[(ctx.classes["round"] == round_) & ctx.classes["position"].notna()]
    own = lst[lst["county_code"].astype(str) == ctx.county_code]
    if own.empty:
        return None
    pos = int(own["position"].iloc[0])
    if set(range(1, pos)) - set(lst["position"].astype(int)):
        return None
    above = lst[(lst["position"].astype(int) < pos) & (lst["city"] == ctx.city)]
    return 1 + len(above)


def _position_evidence(figure: pd.Series, ctx: Context, scope: str) -> Evidence:
    fid = figure["figure_id"]
    r, inferred = _report_round(figure, ctx)
    if r is None:
        return Evidence(fid, "note", None, None, inferred)
    if scope == "province":
        rows = _county_rows(ctx)
        rows = rows[(rows["round"] == r) & rows["position"].notna()]
        got = float(rows["position"].iloc[0]) if not rows.empty else None
    else:
        pos = city_position(ctx, r)
        got = float(pos) if pos is not None else None
    if got is None:
        return Evidence(
            fid,
            "note",
            None,
            None,
            f"{inferred}; no published {scope} position of the county for round {r}; "
            f"published for the county in other rounds (not the round referred to): "
            f"{_published_elsewhere(ctx, [r])}",
        )
    agrees = got == float(figure["value"])
    return Evidence(
        fid,
        "real",
        agrees,
        got,
        f"{inferred}; published {scope} position in round {r}: {got:g}",
        _class_sources(ctx, [r]),
    )


EVALUATION_CHECKS: Mapping[str, Callable[[pd.Series, Context], Evidence]] = {
    r"全省A类县.*": class_streak_evidence,
    r"全省县域科技创新能力排名": lambda f, c: _position_evidence(f, c, "province"),
    r"全市县域科技创新能力排名": lambda f, c: _position_evidence(f, c, "city"),
}
