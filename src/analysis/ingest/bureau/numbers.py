"""Numbers, periods and units as a release prints them.

Why decimal text: a published figure carries its precision (``964900`` vs ``96.4900``亿元), and
the checks' tolerances are half a unit of that last digit; money is converted to 万元 exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from analysis import conventions
from analysis.errors import DataError

MISSING = {"", "—", "——", "--", "-", "－", "…", "...", "/", "nan", "None"}
COUNT_UNITS = {"个", "家", "户", "人"}
KNOWN_UNITS = set(conventions.TO_WAN) | COUNT_UNITS | {"%"}

PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:(?P<first>\d{1,2})\s*[-－—~～至到]\s*)?(?P<last>\d{1,2})\s*月"
)
PERIOD_NAME = re.compile(r"(?P<year>(?:19|20)\d{2})[-_.]?(?P<last>0[1-9]|1[0-2])(?!\d)")
UNIT_ROW = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*(?P<units>.+)$")
PP = re.compile(r"个?百分点")


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int
    text: str
    pp: bool = False


def parse_number(text: str, *, file: Path, row: int, column: str) -> Number | None:
    """A published figure: ``1,234.5``, ``+20.7``, ``20.7%``, ``-0.5个百分点``; missing → None."""
    t = text.strip().replace(",", "").replace("，", "").replace("％", "%").replace(" ", "")
    if t in MISSING:
        return None
    pp = bool(PP.search(t))
    t = PP.sub("", t).rstrip("%").lstrip("+")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise DataError(
            f"{text!r} is not a number (write missing values as — or leave the cell empty)",
            file=file,
            row=row,
            column=column,
        ) from None
    decimals = max(0, -d.as_tuple().exponent) if d.is_finite() else 0
    return Number(float(d), int(decimals), t, pp)


@dataclass
class Period:
    year: int
    month: int
    combined: bool  # the 1–2月 release
    source: str  # "title" | "file name"


def parse_period(text: str) -> Period | None:
    m = PERIOD.search(text)
    if not m:
        return None
    first = int(m.group("first")) if m.group("first") else None
    last = int(m.group("last"))
    if not 1 <= last <= 12 or (first is not None and first != 1):
        return None
    return Period(int(m.group("year")), last, first == 1 and last == 2, "title")


def period_from_name(name: str) -> Period | None:
    p = parse_period(name)
    if p is None:
        m = PERIOD_NAME.search(name)
        if not m:
            return None
        p = Period(int(m.group("year")), int(m.group("last")), False, "")
        p.combined = bool(re.search(r"1\s*[-－—~]\s*0?2(?!\d)", name)) and p.month == 2
    p.source = "file name"
    return p


def parse_units(text: str, *, file: Path, row: int) -> list[str]:
    m = UNIT_ROW.match(text)
    if not m:
        return []
    units = [u.strip() for u in re.split(r"[、,，/;；\s]+", m.group("units")) if u.strip()]
    for u in units:
        if u not in KNOWN_UNITS:
            raise DataError(
                f"unknown unit {u!r} in {text!r}; known: {sorted(KNOWN_UNITS)}",
                file=file,
                row=row,
                column="A",
            )
    return units
