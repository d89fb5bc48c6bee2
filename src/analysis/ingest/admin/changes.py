"""The units of a year and how each current unit relates to those of a base year.

Statistics arrive on the codes of their time; these functions say which units existed at the end
(or start) of a year and whether a current unit has a comparable base-year value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.admin.codes import (
    HISTORY_FILE,
    code_table,
    county_history,
    map_to_current,
    read_cities,
    read_counties,
)

# ---------------------------------------------------------------------------------------------
# units of a year and boundary changes since a base year


def units_as_of(year: int, raw: Path, at: Literal["end", "start"] = "end") -> pd.DataFrame:
    """The county-level units of ``year`` with the codes and names of the time.

    ``at="end"`` (default): after the changes dated ``year``: 168 units for 2019, 167 for 2020
    on. ``at="start"``: on 1 January of ``year`` (the end of ``year - 1``): 168 for 2020 too.
    For an evaluation round R that uses the statistics of R-1, ``units_as_of(R - 1)`` gives the
    published 168 units for rounds 2019 and 2020 and 167 from round 2021.
    Columns: code, name, city_code, city, status, start_year, end_year.
    """
    if at not in ("end", "start"):
        raise ValueError(f"at must be 'end' or 'start', not {at!r}")
    y = year if at == "end" else year - 1
    hist = county_history(raw)
    alive = hist[(hist["start_year"] <= y) & (hist["end_year"].isna() | (hist["end_year"] > y))]
    dup = alive["code"].duplicated(keep=False)
    if dup.any():
        raise DataError(
            f"codes with two names at the end of {y}: {sorted(set(alive.loc[dup, 'code']))}",
            file=raw / HISTORY_FILE, column="代码",
        )  # fmt: skip
    cities = dict(read_cities(raw)[["code", "name"]].itertuples(index=False))
    out = alive.assign(
        city_code=alive["code"].str[:4],
        city=[
            cities.get(c[:4], name) for c, name in zip(alive["code"], alive["city"], strict=True)
        ],
    )
    columns = ["code", "name", "city_code", "city", "status", "start_year", "end_year"]
    return out[columns].sort_values("code").reset_index(drop=True)


def boundary_changes(raw: Path, base_year: int = 2010) -> pd.DataFrame:
    """How each current unit relates to the units at the end of ``base_year``.

    Columns: code (current), base_codes (tuple of the base-year units that went into it whole
    or through a split; partners of partial transfers are not listed), boundary:

    * same: the unit of the base year, same code and name, untouched since;
    * renamed: exactly one base unit, whole, under a new code or name (肥乡县 -> 肥乡区);
    * merged: several whole base units and nothing else (北市区 + 南市区 -> 莲池区);
    * split: it holds part of a base unit that was divided between several current units
      (邯山区 received parts of 邯郸县);
    * changed: it gave or received territory in a partial transfer after the base year
      (磁县 gave parts to 邯山区 and 复兴区 in 2016), or has no base unit at all.

    Only same, renamed and merged units have comparable base-year values: a unit split between
    several current units gets no base-year value rather than a guess.
    """
    table = code_table(raw, since=base_year)
    hist = county_history(raw)
    units = read_counties(raw)
    base = units_as_of(base_year, raw)
    base_names = dict(base[["code", "name"]].itertuples(index=False))
    mapping = {c: map_to_current(c, table) for c in base["code"]}
    touched = _partial_transfer_units(hist, table, base_year)
    records = []
    for row in units.itertuples(index=False):
        donors = tuple(c for c, targets in mapping.items() if row.code in targets)
        split = any(len(mapping[d]) > 1 for d in donors)
        if split:
            boundary = "split"
        elif row.code in touched or not donors:
            boundary = "changed"
        elif len(donors) > 1:
            boundary = "merged"
        elif donors == (row.code,) and base_names[row.code] == row.name:
            boundary = "same"
        else:
            boundary = "renamed"
        records.append({"code": row.code, "base_codes": donors, "boundary": boundary})
    return pd.DataFrame.from_records(records)


def _partial_transfer_units(hist: pd.DataFrame, table: pd.DataFrame, base_year: int) -> set[str]:
    """Current codes that gave or received territory in a partial transfer after the base year."""
    touched: set[str] = set()
    for row in hist.itertuples(index=False):
        for code, year in row.partial_transfers:
            if year <= base_year:
                continue
            for unit in (row.code, code):
                touched.update(map_to_current(unit, table))
    return touched
