"""Numbers and units as a release prints them.

Why decimal text: a published figure carries its precision (``964900`` vs ``96.4900``亿元,
``9.65E+09``元 to three digits), and the checks' tolerances are half a unit of that last digit;
money is converted to 万元 exactly. What people and Excel print around a number is read, not
guessed: full-width digits and punctuation, a Unicode minus, ``20.7%``, ``+0.5个百分点``, and in a
growth column the words 增长/增/上升/提高 (+) and 下降/降/减少/回落 (−).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from analysis import conventions
from analysis.errors import DataError

MISSING = {"", "—", "——", "--", "-", "－", "…", "...", "/", "nan", "None"}
COUNT_UNITS = {"个", "家", "户", "人"}
KNOWN_UNITS = set(conventions.TO_WAN) | COUNT_UNITS | {"%"}

UNIT_ROW = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*(?P<units>.+)$")
PP = re.compile(r"个?百分点")
# minus signs that NFKC leaves alone: Unicode minus, figure dash, en dash (before a digit)
MINUS = re.compile(r"[\u2212\u2012\u2013](?=\d)")
COMPARED = re.compile(r"^(?:同比|比上年同期|比上年同月|比上年|比去年同期|比去年|较上年同期|较上年)")
UP_WORDS = ("同比增长", "增长", "上升", "提高", "增加", "增")
DOWN_WORDS = ("同比下降", "下降", "减少", "回落", "降低", "下滑", "降", "减")


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int  # of the last published digit; negative for 9.65E+09 (precision 10^7)
    text: str  # plain decimal text, sign included, for exact conversion
    pp: bool = False
    worded: bool = False  # the sign came from a word (增长/下降)


def normalise(text: str) -> str:
    """Full-width digits and punctuation as ASCII, Unicode minus as ``-``, no spaces."""
    t = unicodedata.normalize("NFKC", text)
    return MINUS.sub("-", t).replace(" ", "").strip()


def _sign_word(t: str) -> tuple[str, int]:
    """``增长20.7`` -> (``20.7``, +1); ``同比下降3.2`` -> (``3.2``, -1); ``同比增加1.17个百分点``
    -> (``1.17个百分点``, +1); otherwise (t, 0)."""
    bare = COMPARED.sub("", t)
    for words, sign in ((UP_WORDS, 1), (DOWN_WORDS, -1)):
        for w in words:
            if bare.startswith(w):
                return bare[len(w) :], sign
    return t, 0


def parse_number(
    text: str, *, file: Path, row: int, column: str, words: bool = False
) -> Number | None:
    """A published figure: ``1,234.5``, ``+20.7``, ``20.7%``, ``-0.5个百分点``, ``9.65E+09``,
    and with ``words`` (growth columns) ``增长20.7%``/``下降3.2``; missing → None."""
    t = normalise(text).replace(",", "")
    if t in MISSING or text.strip() in MISSING:
        return None
    t, sign = _sign_word(t) if words else (t, 0)
    pp = bool(PP.search(t))
    t = PP.sub("", t).rstrip("%").lstrip("+")
    try:
        d = Decimal(t)
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite() or (sign and d < 0):
        hint = "; a growth may read 20.7, -3.2, 增长20.7% or 下降3.2%" if words else ""
        raise DataError(
            f"{text!r} is not a number (write missing values as — or leave the cell empty{hint})",
            file=file,
            row=row,
            column=column,
        )
    if sign < 0:
        d = -d
    exponent = int(d.as_tuple().exponent)
    decimals = -exponent if ("E" in t.upper() or exponent < 0) else 0
    plain = format(d, "f")
    return Number(float(d), decimals, plain, pp, bool(sign))


def parse_units(text: str, *, file: Path, row: int) -> list[str]:
    m = UNIT_ROW.match(normalise(text))
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
