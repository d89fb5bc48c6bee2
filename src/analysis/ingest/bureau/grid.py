"""The header of a release: where the labels are, what each column holds, what names mean.

A release is laid out for people: a title with the period, a unit row, one or more (merged)
header rows, then rows of a total, groups and enterprises (shape A, ``企业名称``) or one row per
indicator (shape B, ``指标名称``). This module reads the header into typed columns and maps
printed names onto stored ones (:data:`analysis.vocabulary.PRINTED_NAMES`); :mod:`.body` reads
the rows below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis import conventions
from analysis.errors import DataError
from analysis.ingest.bureau.files import Grid, col_letter
from analysis.ingest.bureau.numbers import KNOWN_UNITS, normalise
from analysis.ingest.bureau.periods import SEP, Period
from analysis.ingest.bureau.places import is_place
from analysis.vocabulary import (
    BY_PRINTED,
    COUNTY_SCOPE,
    KEY_GROUP,
    OUTPUT_INDICATOR,
    PRINTED_NAMES,
    TOTAL_GROUP,
    TOTAL_LABELS,
    WHOLE_PLACE_WORDS,
)

DEFAULT_SCOPE = COUNTY_SCOPE
DEFAULT_INDICATOR = OUTPUT_INDICATOR

LABEL_HEADERS = {"企业名称", "单位名称", "企业", "名称", "指标名称", "指标", "项目"}
INDICATOR_HEADERS = {"指标名称", "指标", "项目"}
UNIT_HEADERS = {"计量单位", "单位"}
VINTAGE_HEADERS = {"vintage", "版本", "发布日期", "数据版本"}
IGNORED_HEADERS = {"序号", "行次", "代码", "备注", "企业代码", "组织机构代码", "统一社会信用代码"}
FILLER = {"绝对值", "数值", "金额", "本年", "今年"}
# a row label that is a part of the row above: 其中：…, 内：…, # 食品制造业
PART_OF = re.compile(r"^\s*(其中|内|#|＃)")
_NUMERALS = "一二三四五六七八九十"
ORDINAL = re.compile(rf"^(?:[{_NUMERALS}]+[、.．]|[（(][{_NUMERALS}\d]+[)）]|\d+[、．])")  # 一、

BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）]*)\s*[)）]")
OPEN_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）]*)\s*$")  # 工业产销率(% (bracket never closed)
GROWTH_WORDS = re.compile(r"同比|增长|增速|增减|±")
CUM_WORDS = re.compile(r"累计|1\s*[-－—–―~～至到]\s*(?:本|\d{1,2})\s*月")
MONTH_WORDS = re.compile(r"本月|当月|^\d{1,2}\s*月")
CURRENT_WORDS = re.compile(r"本期")  # the release's own period, 1–N月
PREVIOUS_WORDS = re.compile(r"上年|去年|上期")  # last year's level beside this year's
YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年?(?P<rest>.+)$")
RANGE = re.compile(rf"^1\s*{SEP}\s*(?P<last>\d{{1,2}})\s*月?份?(?:累计)?$")
THROUGH = re.compile(rf"1\s*{SEP}\s*(?P<last>\d{{1,2}})\s*月")
ONE_MONTH = re.compile(r"^(?P<last>\d{1,2})\s*月份?$")


@dataclass
class Column:
    index: int
    label: str
    kind: str  # "level" | "growth" | "previous" (last year's level) | "unit" | "vintage"
    span: str = ""  # "month" | "cumulative"
    indicator: str = ""
    unit: str = ""
    explicit_month: bool = False
    coverage: str = ""  # stated by the header (规模以上工业总产值)
    place: str = ""  # a place named above the column (北京市 | 西城区 side by side)


@dataclass
class Layout:
    """What the header says about the body: where labels are, which columns hold what."""

    file: Path
    label_col: int
    header_text: str
    shape: str
    cols: list[Column]
    unit_col: Column | None
    vintage_col: Column | None
    pairs: list[tuple[Column, Column | None]]
    money_units: list[str]

    def where(self, col: Column) -> str:
        return f"{col_letter(col.index)} ({col.label})"


# ------------------------------------------------------------------------------------------
# labels


def _clean_label(text: str) -> tuple[str, str]:
    """A row or header label without 其中/#/an ordinal (一、)/spaces and a bracketed unit;
    (label, unit). A bracket left open at the end (``工业产销率(%``) still gives the unit."""
    t = re.sub(r"\s+", "", text.replace("\u3000", ""))
    t = re.sub(r"^(其中|内)[:：]?|^[#＃]+", "", t)
    t = ORDINAL.sub("", t)
    unit = ""
    for m in BRACKET_UNIT.finditer(t):
        if m.group("unit") in KNOWN_UNITS:
            unit = m.group("unit")
    t = BRACKET_UNIT.sub(lambda m: "" if m.group("unit") in KNOWN_UNITS else m.group(0), t)
    m = OPEN_UNIT.search(t)
    if m and m.group("unit") in KNOWN_UNITS:
        unit, t = m.group("unit"), t[: m.start()]
    return t, unit


def clean_label(text: str) -> tuple[str, str]:
    """A label without 其中/spaces and a bracketed unit, and that unit (public name)."""
    return _clean_label(text)


def _printed(clean: str):
    """The vocabulary's entry for a cleaned label (brackets compared in ASCII), or None."""
    return BY_PRINTED.get(clean) or BY_PRINTED.get(normalise(clean))


def group_name(label: str) -> str:
    """合计 for the total, 重点企业 for a key-enterprise group row, else the name as written."""
    clean, _ = _clean_label(label)
    if clean in TOTAL_LABELS or label.replace(" ", "") in TOTAL_LABELS:
        return TOTAL_GROUP
    if clean.startswith(KEY_GROUP):
        return KEY_GROUP
    return clean


def total_coverage(label: str) -> str | None:
    """The coverage a total-row label states (规模以上工业 -> 规模以上), "" for a plain total
    (合计), None if the label is not a total."""
    p = _printed(_clean_label(label)[0])
    return p.coverage if p is not None and p.kind == "total" else None


def indicator_name(clean: str) -> tuple[str, str]:
    """(stored indicator, coverage the name states): 现价工业总产值 -> (工业总产值, "");
    规模以上工业总产值 -> (工业总产值, 规模以上); an unknown name stays as printed."""
    p = _printed(clean)
    if p is not None and p.kind == "indicator":
        return p.stored, p.coverage
    return clean, ""


# indicator names long enough to be recognised at the end of a longer label (六个重点行业工业总产值)
_SUFFIXES = sorted(
    (p for p in PRINTED_NAMES if p.kind == "indicator" and len(p.printed) >= 5),
    key=lambda p: -len(p.printed),
)


def known_indicator(clean: str) -> tuple[str, str, str] | None:
    """(stored indicator, coverage, group) of a label naming a known indicator, else None.

    A label may put words before the name: the whole place (``全市工业总产值``: the total), a
    coverage (``规上工业…``) or a group of enterprises (``六个重点行业工业总产值``: group
    六个重点行业, whose members follow)."""
    p = _printed(clean)
    if p is not None and p.kind == "indicator":
        return p.stored, p.coverage, ""
    for p in _SUFFIXES:
        if clean.endswith(p.printed) and len(clean) > len(p.printed):
            prefix = clean[: -len(p.printed)]
            if prefix in WHOLE_PLACE_WORDS:
                return p.stored, p.coverage, ""
            cov = total_coverage(prefix)
            if cov:
                return p.stored, cov, ""
            return p.stored, p.coverage, prefix
    return None


def indicator_in_text(text: str) -> tuple[str, str] | None:
    """(stored indicator, coverage) of the longest indicator name written in a title or a file
    name (``2017年1-5月各区规模以上工业总产值`` -> (工业总产值, 规模以上)), None if none."""
    t = normalise(text)
    hits = [p for p in PRINTED_NAMES if p.kind == "indicator" and p.printed in t]
    if not hits:
        return None
    best = max(hits, key=lambda p: len(p.printed))
    return best.stored, best.coverage


# ------------------------------------------------------------------------------------------
# header


def _names_a_period(text: str) -> bool:
    t = re.sub(r"\s+", "", normalise(text))
    m = YEAR_FIRST.match(t)
    rest = m.group("rest") if m else t
    return bool(
        CUM_WORDS.search(rest) or MONTH_WORDS.search(rest) or CURRENT_WORDS.search(rest)
        or RANGE.match(rest) or ONE_MONTH.match(rest)
    )  # fmt: skip


def _column_header_word(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return (
        _names_a_period(t) or bool(GROWTH_WORDS.search(t)) or bool(PREVIOUS_WORDS.search(t))
        or t in UNIT_HEADERS
    )  # fmt: skip


def find_header(grid: Grid) -> tuple[int, int]:
    """(row, column) of the label header: a cell 企业名称/指标名称/项目…, else the first cell of
    the first row whose other cells all head period or growth columns (``规模以上工业 | 1-10月
    累计 | 同比增长(±%)``: the label header names the coverage)."""
    for i, row in enumerate(grid.rows):
        for j, cell in enumerate(row):
            if re.sub(r"\s+", "", cell) in LABEL_HEADERS:
                return i, j
    for i, row in enumerate(grid.rows):
        cells = [(j, c) for j, c in enumerate(row) if c.strip()]
        if len(cells) < 2 or _names_a_period(cells[0][1]):
            continue
        rest = [c for _, c in cells[1:]]
        if all(_column_header_word(c) for c in rest) and any(_names_a_period(c) for c in rest):
            return i, cells[0][0]
    raise DataError(
        "no header row: expected a cell 企业名称 (enterprise rows) or 指标名称 (indicator rows)",
        file=grid.file,
        row=None,
        column=None,
    )


def _header_parts(rows: list[list[str]], j: int) -> list[str]:
    """The distinct texts of column ``j`` down the (merged) header rows, top to bottom."""
    parts: list[str] = []
    for r in rows:
        cell = r[j].strip() if j < len(r) else ""
        if cell and (not parts or parts[-1] != cell):
            parts.append(cell)
    return parts


@dataclass(frozen=True)
class _Heading:
    """What the header words above one column say about its period."""

    span: str = ""  # "cumulative" | "month" | ""
    explicit: bool = False  # the month is named (``10月``, ``10``), not 本月
    year: int | None = None
    last: int | None = None  # the through-month the words name


def _heading(part: str, month: int | None) -> _Heading:
    """One header text: ``1-本月累计``, ``1-10月``, ``20221-8``, ``2017年5月``, ``10`` (the
    release's month, printed bare), ``本期`` (the release's 1–N月)."""
    t = normalise(part)
    year = None
    m = YEAR_FIRST.match(t)
    if m and _names_a_period(m.group("rest")):
        year, t = int(m.group("year")), m.group("rest")
    through = THROUGH.search(t) or RANGE.match(t)
    last = int(through.group("last")) if through else None
    if CUM_WORDS.search(t) or RANGE.match(t):
        return _Heading("cumulative", False, year, last)
    one = ONE_MONTH.match(t)
    if one:
        return _Heading("month", True, year, int(one.group("last")))
    if month is not None and re.fullmatch(r"\d{1,2}", t) and int(t) == month:
        return _Heading("month", True, year, month)  # ``10`` over the month's column
    if MONTH_WORDS.search(t):
        return _Heading("month", bool(re.match(r"^\d{1,2}\s*月", t)), year, None)
    if CURRENT_WORDS.search(t):
        return _Heading("cumulative", False, year, None)
    return _Heading()


def _span(parts: list[str], month: int | None) -> _Heading:
    """The period of a column from its header texts, top to bottom (cumulative wins)."""
    found = _Heading()
    for p in parts:
        h = _heading(p, month)
        if h.span == "cumulative" or (h.span == "month" and not found.span):
            found = h
    return found


def _is_period_word(p: str) -> bool:
    return bool(_heading(p, None).span) or bool(re.fullmatch(r"\d{1,2}", normalise(p)))


def _indicator_and_unit(parts: list[str]) -> tuple[str, str]:
    """The lowest header text that names an indicator, and a unit in brackets."""
    unit = indicator = ""
    for p in parts:
        clean, u = _clean_label(p)
        unit = u or unit
        words = GROWTH_WORDS.search(p) or PREVIOUS_WORDS.search(p) or _is_period_word(p)
        if not words and clean not in FILLER and clean and not is_place(clean):
            indicator = clean
    return indicator, unit


def _check_period(grid: Grid, h: _Heading, period: Period | None, row: int, where: str) -> str:
    """ "" for this year's column, "previous" for last year's (``2016 年1-8`` beside 2017);
    other years, or a month that is not the release's, are refused."""
    if period is None:
        return ""
    if h.year is not None and h.year != period.year:
        if h.year == period.year - 1:
            return "previous"
        raise DataError(
            f"the column is headed {h.year}年 but the release is of {period.year}年: check the "
            "title or the header",
            file=grid.file,
            row=row,
            column=where,
        )
    if h.last is not None and h.last != period.month:
        raise DataError(
            f"the column is headed with month {h.last} but the release runs to "
            f"{period.month}月: check the title (or file name) or the header",
            file=grid.file,
            row=row,
            column=where,
        )
    return ""


def _value_column(
    grid: Grid,
    start: int,
    j: int,
    label: str,
    parts: list[str],
    previous: Column | None,
    period: Period | None,
) -> Column:
    """A level, growth or last-year column; a growth column without a period takes its
    level's. A place named above the column (``西 城 区``) is kept in ``place``."""
    where = f"{col_letter(j)} ({label})"
    # header words as typed with stray spaces (本 月, 1-本月 累计) mean the same
    parts = [re.sub(r"\s+", "", p) for p in parts]
    place = next((p for p in parts if is_place(p)), "")
    parts = [p for p in parts if p != place]
    heading = _span(parts, period.month if period else None)
    span, explicit = heading.span, heading.explicit
    indicator, unit = _indicator_and_unit(parts)
    indicator, coverage = indicator_name(indicator) if indicator else ("", "")
    if any(GROWTH_WORDS.search(p) for p in parts):
        if not span:
            if previous is None:
                raise DataError(
                    "growth column without a period and no level column to its left",
                    file=grid.file,
                    row=start + 1,
                    column=where,
                )
            span = previous.span
            indicator = indicator or previous.indicator
            coverage = coverage or previous.coverage
            place = place or previous.place
        return Column(j, label, "growth", span, indicator, unit, explicit, coverage, place)
    last_year = _check_period(grid, heading, period, start + 1, where)
    if last_year or (not span and any(PREVIOUS_WORDS.search(p) for p in parts)):
        return Column(j, label, "previous", span, indicator, unit, explicit, coverage, place)
    if not span:
        raise DataError(
            "column header not understood: expected 本月/当月 or 累计/1-本月累计 "
            "(with 同比 for growth), or 计量单位",
            file=grid.file,
            row=start + 1,
            column=where,
        )
    return Column(j, label, "level", span, indicator, unit, explicit, coverage, place)


def classify_columns(
    grid: Grid, start: int, end: int, label_col: int, period: Period | None = None
) -> list[Column]:
    """Read the (merged) header rows ``start..end-1`` into typed columns."""
    header = grid.rows[start:end]
    width = max(len(r) for r in header)
    cols: list[Column] = []
    previous: Column | None = None
    for j in range(width):
        parts = _header_parts(header, j) if j != label_col else []
        if not parts:
            continue
        label = " | ".join(parts)
        flat = re.sub(r"\s+", "", "".join(parts))
        if flat in UNIT_HEADERS:
            cols.append(Column(j, label, "unit"))
            continue
        if flat.lower() in VINTAGE_HEADERS:
            cols.append(Column(j, label, "vintage"))
            continue
        if flat in IGNORED_HEADERS:
            continue
        col = _value_column(grid, start, j, label, parts, previous, period)
        cols.append(col)
        if col.kind == "level":
            previous = col
    return cols


def _pairs(cols: list[Column]) -> list[tuple[Column, Column | None]]:
    """Each level column with its growth column (same span and indicator), growth-only too."""
    levels = [c for c in cols if c.kind == "level"]
    growths = [c for c in cols if c.kind == "growth"]
    out: list[tuple[Column, Column | None]] = []
    used: set[int] = set()
    for lv in levels:
        match = next(
            (
                g
                for g in growths
                if g.index not in used
                and g.span == lv.span
                and (g.indicator in ("", lv.indicator) or lv.indicator == "")
            ),
            None,
        )
        if match is not None:
            used.add(match.index)
        out.append((lv, match))
    return out


def _header_end(grid: Grid, header: int, label_col: int, header_text: str) -> int:
    """The first row after the header rows (which repeat or leave empty the label cell)."""
    end = header + 1
    while end < len(grid.rows):
        row = grid.rows[end]
        first = row[label_col].strip() if label_col < len(row) else ""
        if (first and first != header_text) or not any(row):
            break
        end += 1
    return end


def layout_of(
    grid: Grid, header: int, label_col: int, units: list[str], period: Period | None = None
) -> tuple[Layout, int]:
    """The header's reading and the first row below it. A label header that is neither
    企业名称 nor 指标名称 (``规模以上工业``) heads indicator rows."""
    header_text = grid.rows[header][label_col].strip()
    flat = re.sub(r"\s+", "", header_text)
    shape = "enterprise" if flat in LABEL_HEADERS - INDICATOR_HEADERS else "indicator"
    end = _header_end(grid, header, label_col, header_text)
    cols = classify_columns(grid, header, end, label_col, period)
    pairs = _pairs(cols)
    if not pairs:
        raise DataError("no value columns (本月/累计)", file=grid.file, row=header + 1, column=None)
    layout = Layout(
        file=grid.file,
        label_col=label_col,
        header_text=header_text,
        shape=shape,
        cols=cols,
        unit_col=next((c for c in cols if c.kind == "unit"), None),
        vintage_col=next((c for c in cols if c.kind == "vintage"), None),
        pairs=pairs,
        money_units=[u for u in units if u in conventions.TO_WAN],
    )
    return layout, end
