"""Which of several releases of the same period is the one to use, by an explicit rule.

Bureaus send corrections; a county keeps both files. The rule, in order:

1. a revision marker anywhere in the name (修订, 更正, 修正, 订正, 勘误, revised, corrected; in
   the file name, the sheet name or a folder name) makes a release later than one without; a
   number after the marker orders revisions (``修订2`` after ``修订``);
2. then a ``vintage`` (a ``vintage``/``版本``/``发布日期`` column or a ``版本：…`` line above the
   table: a date or a number) orders releases of the same revision level;
3. releases still tied must agree figure for figure (the same file sent twice); if they differ
   the ingest stops naming both files, since nothing says which one is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.ingest.bureau.numbers import normalise

REVISION = re.compile(
    r"(修订|更正|修正|订正|勘误|revised|revision|corrected|correction)\s*(?:版|稿|版本)?\s*"
    r"(?:第?\s*(?P<n>\d{1,2})(?!\d)\s*(?:次|版|稿)?)?",
    re.IGNORECASE,
)
VINTAGE_LINE = re.compile(
    r"^\s*(?:vintage|版本|数据版本|发布日期)\s*[:：]\s*(?P<value>\S.*)$", re.IGNORECASE
)
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})")


@dataclass(frozen=True, order=True)
class Version:
    """The order of a release among those of the same period (larger is later)."""

    revision: int  # 0 original, 1 修订, n 修订n
    vintage: tuple = ()  # ("date", "2022-11-15") or ("number", 2.0); () when not given

    def describe(self) -> str:
        parts = [f"revision {self.revision}" if self.revision else "original"]
        if self.vintage:
            parts.append(f"vintage {self.vintage[1]}")
        return ", ".join(parts)


def revision_level(names: list[str]) -> int:
    """The highest revision marker in the names (file, sheet, folders); 0 without one."""
    level = 0
    for name in names:
        for m in REVISION.finditer(normalise(name)):
            level = max(level, int(m.group("n")) if m.group("n") else 1)
    return level


def vintage_key(text: str) -> tuple:
    """A vintage as written -> a sortable key: a date, else a number, else the text."""
    t = normalise(text)
    m = DATE.search(t)
    if m:
        return ("date", f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}")
    try:
        return ("number", float(t))
    except ValueError:
        return ("text", t)


def vintage_in_preamble(rows: list[list[str]]) -> str:
    """A ``版本：2`` / ``vintage: 2022-11-15`` line above the table ("" if none)."""
    for row in rows:
        for cell in row:
            m = VINTAGE_LINE.match(cell)
            if m:
                return m.group("value").strip()
    return ""
