"""The period of a release: which year, through which month, and where that was written.

A release covers 1–N月 of a year (``2022年1-10月``; ``2022年10月`` and ``2022-10`` mean the same
release; ``2022年1-2月`` is the combined January–February one). Bureaus write it in the title, in
the file name, in the sheet name, as a date or an Excel date serial, with any dash
(``-–—~至``), and sometimes with the year apart from the months (``2022年曲周县1-10月…``) or
only in a folder name (``bureau/2022/1-10月.xlsx``). The months come from the first of title,
sheet name and file name that has them; the year from the same place or, failing that, the next
one that has it. A title and a file name that name different periods are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DataError
from analysis.ingest.bureau.numbers import normalise

SEP = r"[-–—―‐‑~至到]"
YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年")
BARE_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)")
MONTHS = re.compile(rf"(?<![\d.])(?:(?P<first>\d{{1,2}})\s*{SEP}\s*)?(?P<last>\d{{1,2}})\s*月")
FULL = re.compile(YEAR.pattern + r"\s*" + MONTHS.pattern.removeprefix(r"(?<![\d.])"))
DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?:\s*[-_./]\s*|(?=[01]\d(?!\d)))(?P<last>0?[1-9]|1[0-2])(?!\d)"
)
SERIAL_LABEL = re.compile(
    r"^(报告期|统计期|统计时间|数据时间|时间|日期|期别|月份)\s*[:：]?\s*(?P<rest>.*)$"
)
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Period:
    year: int
    month: int
    combined: bool  # the 1–2月 release
    source: str  # where the months were written: "title" | "sheet name" | "file name"
    year_source: str = ""  # where the year was written, if elsewhere


@dataclass(frozen=True)
class _Found:
    year: int | None
    month: int | None
    combined: bool


def _months(text: str) -> tuple[int | None, bool]:
    """Through-month and whether it is the 1–2月 release; (None, False) if none or not 1–N."""
    for m in MONTHS.finditer(text):
        first = int(m.group("first")) if m.group("first") else None
        last = int(m.group("last"))
        if 1 <= last <= 12 and first in (None, 1):
            return last, first == 1 and last == 2
    return None, False


def _find(text: str, *, bare_year: bool) -> _Found:
    """Year and months written in one place (a title, a sheet or file name, a folder)."""
    t = normalise(text)
    full = FULL.search(t)
    if full:
        last = int(full.group("last"))
        first = int(full.group("first")) if full.group("first") else None
        if 1 <= last <= 12 and first in (None, 1):
            return _Found(int(full.group("year")), last, first == 1 and last == 2)
    month, combined = _months(t)
    year_m = YEAR.search(t) or (BARE_YEAR.search(t) if bare_year or month else None)
    year = int(year_m.group("year")) if year_m else None
    if month is None:
        date = DATE.search(t)
        if date:
            return _Found(int(date.group("year")), int(date.group("last")), False)
    return _Found(year, month, combined)


def serial_dates(row: list[str]) -> str:
    """``报告期 | 44865`` (an Excel date serial in a cell Excel did not format as a date) as
    ``2022年10月``; empty if the row has none."""
    cells = [c.strip() for c in row if c.strip()]
    for i, cell in enumerate(cells):
        m = SERIAL_LABEL.match(cell)
        if not m:
            continue
        value = m.group("rest") or (cells[i + 1] if i + 1 < len(cells) else "")
        if re.fullmatch(r"\d{5}(\.0+)?", value) and 20000 <= float(value) <= 80000:
            day = EXCEL_EPOCH + dt.timedelta(days=int(float(value)))
            return f"{day.year}年{day.month}月"
    return ""


def _label(f: _Found) -> str:
    span = f"{f.month}月" if f.month == 1 else f"1-{f.month}月"
    return f"{f.year}年{span}"


def find_period(title: str, sheet: str, file: Path, folders: tuple[str, ...]) -> tuple[Period, str]:
    """The release's period and a note when the title and the file name disagree ("" if not).

    Raises a DataError (row 1, column A) saying where to write what is missing.
    """
    places = [
        ("title", _find(title, bare_year=False)),
        ("sheet name", _find(sheet, bare_year=True)),
        ("file name", _find(file.stem, bare_year=True)),
        *[("folder", _find(name, bare_year=True)) for name in reversed(folders)],
    ]
    with_months = [(where, f) for where, f in places if f.month is not None and where != "folder"]
    if not with_months:
        raise DataError(
            "no period: the title row should read like 2022年1-10月… (or name the file so)",
            file=file,
            row=1,
            column="A",
        )
    where, found = with_months[0]
    month = found.month
    assert month is not None  # with_months holds only places that give a month
    year, year_where = found.year, ""
    if year is None:
        later = [(w, f.year) for w, f in places if f.year is not None]
        if not later:
            raise DataError(
                f"no year for the release of {found.month}月: write it in the title "
                f"(2022年1-{found.month}月…), the file name, the sheet name or a folder name "
                "(bureau/2022/…)",
                file=file,
                row=1,
                column="A",
            )
        year_where, year = later[0]
    period = Period(year, month, found.combined, where, year_where)
    name = dict(places)["file name"]
    note = ""
    differs = name.month is not None and (name.year, name.month) != (period.year, period.month)
    if where == "title" and name.year is not None and differs:
        note = (
            f"the title says {_label(_Found(period.year, period.month, False))} but the "
            f"file name says {_label(name)}: the title is used (rename the file, or correct "
            "the title)"
        )
    return period, note
