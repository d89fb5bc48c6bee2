"""A work report's rank claims, attributed to the round they most likely refer to.

A report says "8th in the province, 1st in the city" without naming the round; it was written
before some date, so the latest round announced by then is the one it can mean (an inference,
marked ``inferred``). Claims are rows of :data:`.published.POSITION_COLUMNS`.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.ranking.published import positions_frame

REPORT_PROVINCE_RANK = "全省县域科技创新能力排名"
REPORT_CITY_RANK = "全市县域科技创新能力排名"
REPORT_YEARS_IN_A = "全省A类县(科技创新能力)"
REPORT_TEXT_PREFIX = "reference/work_report"
_BEFORE = re.compile(r"before (\d{4})-(\d{2})")


def _report_figure(figures: pd.DataFrame, indicator: str) -> pd.Series | None:
    hits = figures[figures["indicator_zh"] == indicator]
    return None if hits.empty else hits.iloc[0]


def report_written(figures: pd.DataFrame) -> tuple[int, int]:
    """(year, month) the work report was written, from its rank figure's period 'before YYYY-MM'.

    The rank claims carry the period 'latest round before 2022-11': the report does not say
    which round it means, only when it was written.
    """
    row = _report_figure(figures, REPORT_PROVINCE_RANK)
    if row is None:
        raise DataError(f"no figure {REPORT_PROVINCE_RANK!r}", file="work_report_figures.csv")
    match = _BEFORE.search(str(row["period"]))
    if not match:
        line = int(figures.index.get_loc(row.name)) + 2
        raise DataError(
            f"period {row['period']!r} does not say 'before YYYY-MM'",
            file="work_report_figures.csv",
            row=line,
            column="period",
        )
    return int(match.group(1)), int(match.group(2))


def latest_round_known(rounds: pd.DataFrame, year: int, month: int) -> int:
    """The latest published round a text written in ``year``-``month`` can refer to.

    Round Y is announced between December of Y and February of Y+1 (2020 round: 2021-01-13;
    2021: 2022-01/02; 2023: 2023-12-22; 2024: 2024-12-25), so before December of Y the latest
    known round is at most Y-1; rounds never published (2022) are skipped. An inference.
    """
    last = year if month == 12 else year - 1
    known = rounds[(rounds["round"] <= last) & rounds["published"].astype(bool)]
    if known.empty:
        raise ValueError(f"no published round before {year}-{month:02d}")
    return int(known["round"].max())


def work_report_county(provenance: pd.DataFrame, codes: pd.DataFrame) -> str | None:
    """The code of the county whose work report the bundled figures come from, or None.

    The report text does not name its county ('我县'); its provenance row does. A run for
    another county must not inherit this county's claims, so the claims are attached only when
    this code equals the run's county code.
    """
    rows = provenance[provenance["file"].str.startswith(REPORT_TEXT_PREFIX)]
    active = codes[codes["status"] == "active"]
    found = {
        r.code
        for text in rows["publisher"].astype(str)
        for r in active.itertuples(index=False)
        if r.name in text
    }
    return found.pop() if len(found) == 1 else None


def report_claims(
    figures: pd.DataFrame, rounds: pd.DataFrame, county_code: str, codes: pd.DataFrame
) -> pd.DataFrame:
    """A work report's rank claims as rows of ``POSITION_COLUMNS``, attribution 'inferred'.

    * province rank and city rank ('位列全省第八、全市第一') go to the latest round known when
      the report was written (:func:`latest_round_known`);
    * 'N consecutive years in class A' gives class A in the N latest published rounds up to it.
    """
    year, month = report_written(figures)
    latest = latest_round_known(rounds, year, month)
    unit = codes.loc[codes["code"] == county_code].iloc[0]
    base = {
        "role": "county",
        "county_code": county_code,
        "county": unit["name"],
        "city": unit["city"],
        "attribution": "inferred",
        "source": f"work report written {year}-{month:02d}",
    }
    rows = []
    province = _report_figure(figures, REPORT_PROVINCE_RANK)
    city = _report_figure(figures, REPORT_CITY_RANK)
    in_a = _report_figure(figures, REPORT_YEARS_IN_A)
    a_rounds: list[int] = []
    if in_a is not None:
        published = rounds.loc[rounds["published"].astype(bool) & (rounds["round"] <= latest)]
        a_rounds = sorted(published["round"].nlargest(int(in_a["value"])).tolist())
    for r in sorted(set(a_rounds) | ({latest} if province is not None else set())):
        why = []
        if in_a is not None and r in a_rounds:
            why.append(
                f"{in_a['figure_id']} '{in_a['note']}' -> class A in the last "
                f"{int(in_a['value'])} published rounds"
            )
        position = city_position = pd.NA
        if r == latest and province is not None:
            position = int(province["value"])
            why.append(f"{province['figure_id']} {province['note']}")
        if r == latest and city is not None:
            city_position = int(city["value"])
            why.append(f"{city['figure_id']} {city['note']}")
        where = (
            f"the latest published round before {year}-{month:02d}"
            if r == latest
            else f"one of the {len(a_rounds)} published rounds up to round {latest}"
        )
        n_a = rounds.loc[rounds["round"] == r, "n_A"]
        rows.append(
            {
                **base,
                "round": r,
                "data_year": r - 1,
                "class": "A" if r in a_rounds else "",
                "position": position,
                "n_in_class": n_a.iloc[0] if r in a_rounds and len(n_a) else pd.NA,
                "city_position": city_position,
                "basis": "; ".join(why) + f"; attributed to round {r}, {where} (inference)",
            }
        )
    return positions_frame(rows)
