"""The claims register: every figure a work report states, and how far our data back it.

Each figure gets one status:

* ``reproduced`` — recomputed from real data (a published list, a user's own file) and equal to
  the stated value within the published rounding;
* ``consistent`` — implied by *other published figures* (e.g. patents per 10 000 residents from
  the patent count and the census population) within the propagated rounding;
* ``contradicted`` — real data or other published figures give a value outside the rounding; the
  computation names the conflicting figure and its source;
* ``calibrated`` — the only data behind it is a simulated stand-in built to hit it (listed in a
  ``CALIBRATION.csv``): it proves nothing and never counts as reproduced;
* ``stated_only`` — nothing to check it against.

The rules are data, not a chain of ifs per figure id: :data:`RELATIONS` (published figures
implying others), :data:`EVALUATION_CHECKS` (statements about the provincial evaluation, checked
against the published class lists) and :data:`TABLE_CHECKS` (a figure recomputed from a processed
table, real or simulated). They find their figures by ``indicator_zh`` and period, so next year's
figures file in the same format is checked by the same rules. When several pieces of evidence
bear on one figure, :data:`PRECEDENCE` decides: a contradiction is always shown, real data beats
published consistency, and both beat a stand-in.

Tolerance: a stated value stands for an interval of half a unit of its last published digit
(``6.02`` -> [6.015, 6.025]); counts of things (家, 件, 人 ...) are exact; the intervals are
propagated through the arithmetic (:class:`Interval`), and a check passes when the recomputed
interval meets the stated one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest.workreport import read_work_report_figures
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP

STATUSES = ("reproduced", "consistent", "contradicted", "calibrated", "stated_only")
# strongest first: a conflict must never be hidden by agreeing evidence
PRECEDENCE = ("contradicted", "reproduced", "consistent", "calibrated")
BASES = ("real", "published", "simulated", "note")
COUNT_UNITS = frozenset({"家", "件", "个", "名", "人", "项", "次", "位"})
CALIBRATION_NAME = "CALIBRATION.csv"
CALIBRATION_COLUMNS = ["file", "target_figure_id", "target_value", "achieved_value"]
REGISTER_COLUMNS = [
    "figure_id",
    "indicator_zh",
    "stated_value",
    "unit",
    "status",
    "recomputed_value",
    "computation",
    "sources",
    "simulated",
]


# ---------------------------------------------------------------------------------------------
# rounding intervals


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] with the arithmetic of intervals (for positive quantities).

    Used to carry the published rounding through a computation: the result holds every value
    the true inputs could give.
    """

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def exact(cls, x: float) -> Interval:
        return cls(float(x), float(x))

    @staticmethod
    def _of(x: Interval | float) -> Interval:
        return x if isinstance(x, Interval) else Interval.exact(x)

    def __add__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __sub__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __rsub__(self, other: float) -> Interval:
        return self._of(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        ends = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError(f"division by an interval containing 0: {o}")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def __rtruediv__(self, other: float) -> Interval:
        return self._of(other) / self

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def meets(self, other: Interval) -> bool:
        """True if the two intervals share a point (a check within rounding passes)."""
        return self.lo <= other.hi and other.lo <= self.hi

    def __str__(self) -> str:
        if self.lo == self.hi:
            return f"{self.lo:g}"
        return f"[{self.lo:.6g}, {self.hi:.6g}]"


def half_unit(text: str) -> float:
    """Half a unit of the last published digit: '6.02' -> 0.005, '5488' -> 0.5, '20.7' -> 0.05."""
    try:
        exponent = Decimal(text.strip()).as_tuple().exponent
    except ArithmeticError:
        raise ValueError(f"{text!r} is not a number") from None
    return 0.5 * 10.0 ** min(int(exponent), 0)


def published_interval(text: str, qualifier: str = "", exact: bool = False) -> Interval:
    """The values a stated figure stands for.

    ``exact`` (a count of things) -> the value itself; qualifier ``more than`` (…多, …以上,
    …余) -> [value, +inf); ``about`` (近…, 约…) -> ± one unit of the last significant digit of the
    integer part (近50 -> [40, 60]); otherwise ± half a unit of the last published digit.
    """
    value = float(text)
    if qualifier == "more than":
        return Interval(value, float("inf"))
    if qualifier == "about":
        digits = str(int(abs(value))).rstrip("0")
        unit = 10.0 ** (len(str(int(abs(value)))) - len(digits)) if digits else 1.0
        return Interval(value - unit, value + unit)
    if qualifier:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if exact:
        return Interval.exact(value)
    # in decimal, so that '6.02' gives exactly the doubles nearest 6.015 and 6.025
    d = Decimal(text.strip())
    h = Decimal("0.5").scaleb(min(int(d.as_tuple().exponent), 0))
    return Interval(float(d - h), float(d + h))


# ---------------------------------------------------------------------------------------------
# the figures


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


# ---------------------------------------------------------------------------------------------
# evidence and status


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about one figure.

    ``basis``: ``real`` (recomputed from real data), ``published`` (implied by other published
    figures), ``simulated`` (a stand-in), ``note`` (context only: no status). ``agrees`` is
    None for a note.
    """

    figure_id: str
    basis: str
    agrees: bool | None
    recomputed: float | None
    computation: str
    sources: str = ""

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis {self.basis!r} not in {BASES}")
        if (self.agrees is None) != (self.basis == "note"):
            raise ValueError("a note carries no verdict; every other basis does")

    @property
    def status(self) -> str | None:
        """The status this evidence alone would give (None for a note)."""
        if self.basis == "note":
            return None
        if self.basis == "simulated":
            return "calibrated"  # agreeing or not, a stand-in proves nothing
        if not self.agrees:
            return "contradicted"
        return "reproduced" if self.basis == "real" else "consistent"


def decide_status(evidence: Sequence[Evidence]) -> str:
    """The strongest status among the evidence (:data:`PRECEDENCE`), else ``stated_only``."""
    found = {e.status for e in evidence}
    return next((s for s in PRECEDENCE if s in found), "stated_only")


# ---------------------------------------------------------------------------------------------
# 1. relations between published figures


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


@dataclass(frozen=True)
class Context:
    """What the checks may read: the figures, the county's census row, the evaluation tables."""

    figures: pd.DataFrame
    county_code: str
    city: str
    census: Mapping[str, float] = field(default_factory=dict)
    classes: pd.DataFrame | None = None
    rounds: pd.DataFrame | None = None
    figures_source: str = ""
    census_source: str = "census 2020 (data/raw/census/hebei_census2020_county.csv)"


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


def ordinal(n: int) -> str:
    """1 -> '1st', 13 -> '13th' (for the texts of the register)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def relation_evidence(relation: Relation, figure: pd.Series, ctx: Context) -> Evidence:
    """Check one figure against one relation; a missing input gives a note saying which."""
    resolved = {name: _resolve(key, figure, ctx) for name, key in relation.inputs.items()}
    missing = [_describe_input(relation.inputs[n], figure) for n, r in resolved.items() if not r]
    fid = figure["figure_id"]
    if missing:
        return Evidence(
            fid,
            "note",
            None,
            None,
            f"{relation.text}: needs {', '.join(missing)}, which no published file gives",
        )
    values = {n: r[0] for n, r in resolved.items()}
    got = relation.formula(values)
    stated = figure["interval"]
    agrees = got.meets(stated)
    inputs = "; ".join(r[1] for r in resolved.values())
    text = (
        f"{relation.text} = {got} ({inputs}); stated {figure['value_text']} stands for "
        f"{stated}: {'within' if agrees else 'OUTSIDE'} the rounding"
    )
    if relation.solve is not None:
        symbol, solve = relation.solve
        band = solve(stated, values)
        text += f"; {symbol} values giving the stated figure: {band}"
    sources = " ; ".join(dict.fromkeys(r[2] for r in resolved.values() if r[2]))
    return Evidence(fid, "published", agrees, got.mid, text, sources)


# ---------------------------------------------------------------------------------------------
# 2. statements about the provincial evaluation, against the published class lists


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
    return " ; ".join(sorted(set(rows.get("source_url", pd.Series(dtype=str)).dropna())))


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


# ---------------------------------------------------------------------------------------------
# 3. stand-ins and recomputation from processed tables


def read_calibrations(internal_dir: Path) -> pd.DataFrame:
    """Every ``**/CALIBRATION.csv`` under the internal-data folder, one row per target.

    ``file`` is resolved against the folder of its CALIBRATION.csv (``path``); none found gives
    an empty table (a user's own folder has no stand-ins).
    """
    columns = [*CALIBRATION_COLUMNS, "path", "calibration_file"]
    frames = []
    for cal in sorted(Path(internal_dir).rglob(CALIBRATION_NAME)):
        df = pd.read_csv(cal, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [c for c in CALIBRATION_COLUMNS if c not in df.columns]
        if missing:
            raise DataError(f"missing column(s) {missing}", file=cal, row=1)
        # a target that is not a number (the evaluation stand-in's class letters, lists of
        # cities, ranges like 60..70) is not a work-report figure: kept, as NaN; a number
        # target with a non-number achieved value is an error
        categorical = pd.to_numeric(df["target_value"], errors="coerce").isna() & (
            df["target_value"].str.strip() != ""
        )
        for column in ("target_value", "achieved_value"):
            numbers = pd.to_numeric(df[column], errors="coerce")
            bad = numbers.isna() & ~categorical
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    f"{df[column].iloc[i]!r} is not a number", file=cal, row=i + 2, column=column
                )
            df[column] = numbers.astype(float)
        df["path"] = [str((cal.parent / f).resolve()) for f in df["file"]]
        # named from the internal-data folder on (simulated/bureau/CALIBRATION.csv), never by
        # an absolute path: the register is the same on every machine and shows no paths
        df["calibration_file"] = (
            Path(Path(internal_dir).name) / cal.relative_to(internal_dir)
        ).as_posix()
        frames.append(df[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def simulated_files(calibrations: pd.DataFrame) -> frozenset[str]:
    """Names of the files that are stand-ins (compared by file name, as tables store them)."""
    return frozenset(Path(p).name for p in calibrations["path"])


def calibration_evidence(figure: pd.Series, calibrations: pd.DataFrame) -> list[Evidence]:
    """A stand-in built to hit this figure: ``calibrated``, whatever it achieved.

    A row counts only if its target is this figure's stated value (within rounding): next
    year's F01 is another figure than the F01 a stand-in was calibrated to.
    """
    out = []
    rows = calibrations[calibrations["target_figure_id"] == figure["figure_id"]]
    for row in rows.itertuples():
        if not figure["interval"].meets(Interval.exact(row.target_value)):
            continue
        hit = figure["interval"].meets(Interval.exact(row.achieved_value))
        miss = "" if hit else " (MISSES its target: the stand-in needs fixing)"
        out.append(
            Evidence(
                figure["figure_id"],
                "simulated",
                hit,
                float(row.achieved_value),
                f"stand-in {row.file} was built to match {row.target_value:g}; it gives "
                f"{row.achieved_value:g}{miss}. A calibrated stand-in proves nothing",
                row.calibration_file,
            )
        )
    return out


@dataclass(frozen=True)
class TableCheck:
    """Recompute a figure from a processed table (real or simulated).

    ``where`` filters rows (``{period}`` is replaced by the figure's period); exactly one row
    must remain. ``scale`` converts the table's unit to the figure's (万元 -> 亿元: 1e-4; a
    fraction -> %: 100). The row is simulated if the table says so (``simulated`` column) or
    its ``file_column`` names a file listed in a CALIBRATION.csv; then the figure is only
    ``calibrated``. The same check on a user's real file gives reproduced or contradicted.
    """

    indicator_zh: str
    table: str
    where: Mapping[str, str]
    value_column: str
    scale: float = 1.0
    file_column: str = "file"
    text: str = ""


# Wired to processed tables as they appear; see the README section "The claims register".
# "industry" is the bureau's monthly table (industry_monthly.csv, latest vintage, whole county)
# with a period label in the figures file's convention (see industry_view).
_TOTAL = {
    "scope": COUNTY_SCOPE,
    "group": TOTAL_GROUP,
    "indicator": OUTPUT_INDICATOR,
    "period": "{period}",
}
_KEY = {**_TOTAL, "group": KEY_GROUP}


def _level_and_growth(
    level_name: str, growth_name: str, where: Mapping[str, str], what: str
) -> tuple[TableCheck, TableCheck]:
    """A published level (万元 -> 亿元) and its growth (fraction -> %) from the same row."""
    return (
        TableCheck(
            level_name, "industry", where, "value_wan", 1e-4, text=f"{what} output (万元 -> 亿元)"
        ),
        TableCheck(growth_name, "industry", where, "growth", 100.0, text=f"{what} growth"),
    )


TABLE_CHECKS: tuple[TableCheck, ...] = (
    *_level_and_growth(
        re.escape("规模以上工业总产值"),
        re.escape("规模以上工业总产值同比增长"),
        {**_TOTAL, "span": "cumulative"},
        "cumulative",
    ),
    *_level_and_growth(
        re.escape("规模以上工业总产值(当月)"),
        re.escape("规模以上工业总产值(当月)同比增长"),
        {**_TOTAL, "span": "month"},
        "current-month",
    ),
    *_level_and_growth(
        r".+等企业累计产值",
        r".+等企业产值增速",
        {**_KEY, "span": "cumulative"},
        "key-enterprise group",
    ),
)


def industry_view(processed: Path) -> pd.DataFrame | None:
    """The bureau table's latest vintage with a ``period`` label as the figures file writes it
    (``2022-01..10`` for 1-10月, ``2022-10`` for the month); None if the table is absent."""
    from analysis.io import read_csv

    path = processed / "industry_monthly.csv"
    if not path.is_file():
        return None
    table = read_csv(path)
    table = table[table["latest"].astype(bool)].copy()
    cumulative = table["span"] == "cumulative"
    year, month = table["year"].astype(int).astype(str), table["month"].astype(int)
    table["period"] = year + "-" + month.map("{:02d}".format)
    table.loc[cumulative, "period"] = (
        year[cumulative] + "-01.." + month[cumulative].map("{:02d}".format)
    )
    return table


def table_evidence(
    check: TableCheck, figure: pd.Series, table: pd.DataFrame, stand_ins: frozenset[str]
) -> Evidence:
    """One figure recomputed from one table row; the row's provenance sets the basis."""
    fid = figure["figure_id"]
    mask = pd.Series(True, index=table.index)
    for column, wanted in check.where.items():
        if column not in table.columns:
            raise DataError(f"table {check.table} has no column {column!r}", column=column)
        mask &= table[column].astype(str) == wanted.format(period=figure["period"])
    rows = table[mask]
    if len(rows) != 1:
        return Evidence(
            fid,
            "note",
            None,
            None,
            f"{check.table}: {len(rows)} rows match {dict(check.where)} for {figure['period']}",
        )
    row = rows.iloc[0]
    got = float(row[check.value_column]) * check.scale
    file = str(row.get(check.file_column, ""))
    simulated = bool(row.get("simulated", False)) or Path(file).name in stand_ins
    agrees = figure["interval"].meets(Interval.exact(round(got, 12)))
    text = (
        f"{check.text or check.value_column} from {check.table} ({file}) = {got:.6g}; stated "
        f"{figure['value_text']} stands for {figure['interval']}"
    )
    if simulated:
        text += "; the row is simulated: a stand-in proves nothing"
    return Evidence(fid, "simulated" if simulated else "real", agrees, got, text, file)


# ---------------------------------------------------------------------------------------------
# the register


def _matches(pattern: str, name: str) -> bool:
    return re.fullmatch(pattern, name) is not None


def collect_evidence(
    ctx: Context,
    calibrations: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame] | None = None,
    relations: Sequence[Relation] = RELATIONS,
    evaluation_checks: Mapping[str, Callable[[pd.Series, Context], Evidence]] = EVALUATION_CHECKS,
    table_checks: Sequence[TableCheck] = TABLE_CHECKS,
) -> list[Evidence]:
    """Run every rule on every figure it applies to."""
    tables = tables or {}
    stand_ins = simulated_files(calibrations)
    out: list[Evidence] = []
    for _, figure in ctx.figures.iterrows():
        name = figure["indicator_zh"]
        out += [relation_evidence(r, figure, ctx) for r in relations if _matches(r.target, name)]
        out += [chk(figure, ctx) for pat, chk in evaluation_checks.items() if _matches(pat, name)]
        for check in table_checks:
            if _matches(check.indicator_zh, name) and check.table in tables:
                out.append(table_evidence(check, figure, tables[check.table], stand_ins))
        out += calibration_evidence(figure, calibrations)
    return out


def claims_register(
    figures: pd.DataFrame, evidence: Sequence[Evidence], figures_source: str
) -> pd.DataFrame:
    """One row per figure: its status, the recomputed value behind it and how it was obtained.

    ``recomputed_value`` comes from the evidence that set the status; ``computation`` lists
    every piece of evidence, the deciding one first; ``simulated`` says a stand-in was used.
    """
    rows = []
    for _, figure in figures.iterrows():
        mine = [e for e in evidence if e.figure_id == figure["figure_id"]]
        status = decide_status(mine)
        deciding = [e for e in mine if e.status == status]
        ordered = deciding + [e for e in mine if e not in deciding]
        computation = " | ".join(e.computation for e in ordered)
        if status == "stated_only":
            computation = "no data to check it against" + (f" | {computation}" if mine else "")
        recomputed = next((e.recomputed for e in deciding if e.recomputed is not None), np.nan)
        sources = [figures_source, *(e.sources for e in ordered if e.sources)]
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "indicator_zh": figure["indicator_zh"],
                "stated_value": float(figure["value"]),
                "unit": figure["unit"],
                "status": status,
                "recomputed_value": recomputed,
                "computation": computation,
                "sources": " ; ".join(dict.fromkeys(sources)),
                "simulated": status == "calibrated",
            }
        )
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def status_counts(register: pd.DataFrame) -> pd.DataFrame:
    """Figures per status, every status listed (zeros included), in :data:`STATUSES` order."""
    counts = register["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return counts.rename_axis("status").reset_index(name="figures")


def not_reproduced(register: pd.DataFrame) -> pd.DataFrame:
    """Every figure not reproduced from real data, with the reason (its computation)."""
    rest = register[register["status"] != "reproduced"]
    return rest[["figure_id", "indicator_zh", "stated_value", "unit", "status", "computation"]]


def empty_register() -> pd.DataFrame:
    """A register with no rows and typed columns (a county no report is about)."""
    numeric = {"stated_value": float, "recomputed_value": float, "simulated": bool}
    return pd.DataFrame({c: pd.Series(dtype=numeric.get(c, "string")) for c in REGISTER_COLUMNS})


def build_claims(
    figures_path: Path,
    processed: Path,
    internal_dir: Path,
    county_code: str,
    city: str,
    about_county: bool,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, list[Evidence]]:
    """The register of one figures file for the county it is about (empty for any other).

    Reads the figures as printed (``figures_path``: the published digits set the tolerance),
    the census covariates and evaluation tables from ``processed`` (written by 01_ingest) and
    every CALIBRATION.csv under ``internal_dir`` (none: no stand-ins).
    """
    if not about_county:
        return empty_register(), []
    from analysis.io import read_csv

    figures = read_figures(figures_path)
    covariates = read_csv(processed / "county_covariates.csv", dtype={"code": str})
    row = covariates[covariates["code"] == county_code]
    if row.empty:
        raise DataError(f"no row for county code {county_code}",
                        file=processed / "county_covariates.csv", column="code")  # fmt: skip
    ctx = Context(
        figures=figures,
        county_code=county_code,
        city=city,
        census=row.iloc[0].to_dict(),
        classes=read_csv(processed / "evaluation_classes.csv", dtype={"county_code": str}),
        rounds=read_csv(processed / "evaluation_rounds.csv"),
        figures_source=figures_path.name,
    )
    if tables is None:
        industry = industry_view(processed)
        tables = {} if industry is None else {"industry": industry}
    evidence = collect_evidence(ctx, read_calibrations(internal_dir), tables)
    return claims_register(figures, evidence, figures_path.name), evidence
