"""Relations between published figures: a figure implied by others (:data:`RELATIONS`).

E.g. patents per 10 000 residents from the patent count and the census population; a relation
finds its figures by ``indicator_zh`` and period, so next year's figures file is checked by the
same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.claims.evidence import Context, Evidence
from analysis.claims.intervals import Interval


@dataclass(frozen=True)
class Relation:
    """A published figure implied by others: ``target = formula(inputs)``.

    ``target`` is a regular expression on ``indicator_zh``. Each input is ``figure:<regex>`` (a
    figure of the same period; ``@-1`` for the year before) or ``census:<column>`` (the county's
    row of ``county_covariates``). ``solve`` optionally gives, for one input, the interval of
    values that would make the stated target hold (to say which population fits, for instance).
    """

    name: str
    target: str
    inputs: Mapping[str, str]
    formula: Callable[[Mapping[str, Interval]], Interval]
    text: str
    solve: tuple[str, Callable[[Interval, Mapping[str, Interval]], Interval]] | None = None


RELATIONS: tuple[Relation, ...] = (
    Relation(
        name="patents_per_10k_residents",
        target=r"万人发明专利拥有量",
        inputs={"patents": "figure:发明专利授权", "population": "census:population_2020"},
        formula=lambda v: v["patents"] / v["population"] * 10_000,
        text="发明专利授权 / 常住人口(2020年普查) × 10 000",
        solve=("population", lambda stated, v: v["patents"] * 10_000 / stated),
    ),
    Relation(
        name="fiscal_sti_growth",
        target=r"地方财政科技支出同比增长",
        inputs={"level": "figure:地方财政科技支出", "previous": "figure:地方财政科技支出@-1"},
        formula=lambda v: (v["level"] / v["previous"] - 1) * 100,
        text="(地方财政科技支出 / 上年地方财政科技支出 − 1) × 100",
    ),
    Relation(
        name="trademark_net_increase",
        target=r"有效注册商标较\d{4}年净增",
        inputs={"stock": "figure:有效注册商标", "previous": "figure:有效注册商标@-1"},
        formula=lambda v: v["stock"] - v["previous"],
        text="有效注册商标 − 上年有效注册商标",
    ),
)


def _resolve(key: str, figure: pd.Series, ctx: Context) -> tuple[Interval, str, str] | None:
    """An input of a relation: (interval, label for the text, source), or None if not found."""
    kind, _, spec = key.partition(":")
    if kind == "census":
        if spec not in ctx.census or pd.isna(ctx.census[spec]):
            return None
        value = float(ctx.census[spec])
        return Interval.exact(value), f"{spec} {value:,.0f}", ctx.census_source
    pattern, _, offset = spec.partition("@")
    period = figure["period"]
    if offset:
        if figure["year"] is None or pd.isna(figure["year"]):
            return None
        period = str(int(figure["year"]) + int(offset))
    figs = ctx.figures
    hit = figs[figs["indicator_zh"].str.fullmatch(pattern) & (figs["period"] == period)]
    if hit.empty:
        return None
    row = hit.iloc[0]
    label = f"{row['figure_id']} {row['indicator_zh']} {row['value_text']}{row['unit']}"
    return row["interval"], label, ctx.figures_source


def _describe_input(key: str, figure: pd.Series) -> str:
    """'figure:X@-1' of a 2021 figure -> 'X (2020)': what is missing, in words."""
    kind, _, spec = key.partition(":")
    if kind != "figure":
        return f"{kind} {spec}"
    pattern, _, offset = spec.partition("@")
    year = figure["year"]
    period = str(int(year) + int(offset)) if offset and pd.notna(year) else figure["period"]
    return f"{pattern} ({period})"


def relation_evidence(relation: Relation, figure: pd.Series, ctx: Context) -> Evidence:
    """Check one figure against one relation; a missing input gives a note saying which."""
    resolved = {name: _resolve(key, figure, ctx) for name, key in relation.inputs.items()}
    found = {n: r for n, r in resolved.items() if r is not None}
    missing = [_describe_input(relation.inputs[n], figure) for n in resolved if n not in found]
    fid = figure["figure_id"]
    if missing:
        return Evidence(
            fid,
            "note",
            None,
            None,
            f"{relation.text}: needs {', '.join(missing)}, which no published file gives",
        )
    values = {n: r[0] for n, r in found.items()}
    got = relation.formula(values)
    stated = figure["interval"]
    agrees = got.meets(stated)
    inputs = "; ".join(r[1] for r in found.values())
    text = (
        f"{relation.text} = {got} ({inputs}); stated {figure['value_text']} stands for "
        f"{stated}: {'within' if agrees else 'OUTSIDE'} the rounding"
    )
    if relation.solve is not None:
        symbol, solve = relation.solve
        band = solve(stated, values)
        text += f"; {symbol} values giving the stated figure: {band}"
    sources = " ; ".join(dict.fromkeys(r[2] for r in found.values() if r[2]))
    return Evidence(fid, "published", agrees, got.mid, text, sources)
