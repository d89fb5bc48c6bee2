"""What leadership pages may show of the bureau's tables: group totals, never one enterprise.

The figures an individual enterprise reports to the statistics bureau are protected by the
Statistics Law (《中华人民共和国统计法》 第三十九条: statistical data that can identify an
individual respondent must not be disclosed without its consent). The bureau's monthly tables
(shape A) may list enterprises by name; the pipeline keeps them (the checks need them) but
never displays them on a leadership page unless the run parameter ``allow_enterprise_tables``
says the county has that consent.

* :func:`for_display` drops the rows of named enterprises from a table before it is shown;
  totals (合计), the key-enterprise group (重点企业(…)) and other groups stay.
* :func:`redact` replaces enterprise names inside text columns (e.g. the checks' messages).
* :func:`named_enterprises` lists the names from ``industry_monthly``; :mod:`analysis.build.pages`
  refuses to publish a leadership page with a table cell naming one of them
  (:func:`table_cells_naming`).

What counts as a group, not a single enterprise: 合计 and its variants, 重点企业…, labels
starting with 其他/其余/非 (the rest), and labels ending in 企业 (a category: 高新技术企业,
国有企业). Anything else in the ``group`` column is an enterprise's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.io import read_csv
from analysis.vocabulary import KEY_GROUP, TOTAL_GROUP, TOTAL_LABELS

if TYPE_CHECKING:  # pandas loads with a table: the runner's worker checks every page it
    import pandas as pd  # renders, in runs with no industry table too (a toy project)

REST_PREFIXES = ("其他", "其它", "其余", "非")
CATEGORY_SUFFIXES = ("企业", "企业合计", "行业")
PLACEHOLDER = "(企业 · enterprise)"


def is_group(name: str) -> bool:
    """True for a total or a group of enterprises, False for one named enterprise."""
    n = re.sub(r"\s+", "", str(name))
    return (
        n in TOTAL_LABELS
        or n == TOTAL_GROUP
        or n.startswith(KEY_GROUP)
        or n.startswith(REST_PREFIXES)
        or n.endswith(CATEGORY_SUFFIXES)
    )


def named_enterprises(table: pd.DataFrame, column: str = "group") -> list[str]:
    """The names of single enterprises in a table (sorted, each once)."""
    if column not in table.columns or not len(table):
        return []
    return sorted({str(g) for g in table[column].dropna() if str(g) and not is_group(str(g))})


def named_enterprises_in(industry_csv: Path) -> list[str]:
    """Enterprise names in a written ``industry_monthly.csv`` (none if it does not exist).

    Only the ``group`` column is read, not the whole table through its contract: the runner
    calls this for every page it renders, and the table was validated when it was written.
    """
    if not Path(industry_csv).is_file():
        return []
    df = read_csv(industry_csv, usecols=["group"], dtype=str)
    return named_enterprises(df)


def for_display(table: pd.DataFrame, allow: bool, column: str = "group") -> pd.DataFrame:
    """The table without rows of named enterprises, unless ``allow`` (the run parameter)."""
    if allow or column not in table.columns:
        return table
    import pandas as pd

    return table[table[column].map(lambda g: pd.isna(g) or is_group(str(g)))]


def redact(
    table: pd.DataFrame, names: Iterable[str], allow: bool, columns: Iterable[str] = ("message",)
) -> pd.DataFrame:
    """Replace enterprise names inside text columns by a placeholder, unless ``allow``."""
    names = sorted(set(names), key=len, reverse=True)  # longest first: 晨光集团 before 晨光
    if allow or not names:
        return table
    rx = re.compile("|".join(re.escape(n) for n in names))
    out = table.copy()
    for c in columns:
        if c in out.columns:
            out[c] = out[c].map(lambda v: rx.sub(PLACEHOLDER, v) if isinstance(v, str) else v)
    return out


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"td", "th"}:
            self._depth += 1
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._depth:
            self._depth -= 1
            self.cells.append("".join(self._text))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)


def table_cells_naming(page: str, names: Iterable[str]) -> list[str]:
    """Table cells of an HTML page whose text is one of ``names`` (an enterprise's row)."""
    wanted = {re.sub(r"\s+", "", n) for n in names if n}
    if not wanted:
        return []
    parser = _Cells()
    parser.feed(page)
    return [c for c in parser.cells if re.sub(r"\s+", "", c) in wanted]
