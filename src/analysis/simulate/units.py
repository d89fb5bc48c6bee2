"""Rows of one round's unit table (columns code, name, city; row index 0..n-1) that an anchor
of the evaluation stand-in names: a unit by its code, a city, or every unit (``*``).

Shared by the class, order and score programmes, so an anchor naming a unit or city that the
round does not have is refused with the same message wherever it is used.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError


def city_rows(units: pd.DataFrame, city: str) -> list[int]:
    idx = units.index[units["city"] == city].tolist()
    if not idx:
        raise DataError(f"anchor names the city {city!r}, which has no units")
    return idx


def scope_rows(units: pd.DataFrame, scope: str) -> list[int]:
    """``*``: every unit of the round; otherwise the units of the city ``scope``."""
    return list(range(len(units))) if scope == "*" else city_rows(units, scope)


def unit_row(units: pd.DataFrame, code: str) -> int:
    hit = units.index[units["code"] == code]
    if hit.empty:
        raise DataError(f"anchor names the unit {code}, which is not a unit of the round")
    return int(hit[0])
