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
from analysis.vocabulary import (
    BY_PRINTED,
    COUNTY_SCOPE,
    KEY_GROUP,
    OUTPUT_INDICATOR,
    TOTAL_GROUP,
    TOTAL_LABELS,
)

DEFAULT_SCOPE = COUNTY_SCOPE
DEFAULT_INDICATOR = OUTPUT_INDICATOR

LABEL_HEADERS = {"企业名称", "单位名称", "企业", "名称", "指标名称", "指标", "项目"}
INDICATOR_HEADERS = {"指标名称", "指标", "项目"}
UNIT_HEADERS = {"计量单位", "单位"}
VINTAGE_HEADERS = {"vintage", "版本", "发布日期", "数据版本"}
IGNORED_HEADERS = {"序号", "行次", "代码", "备注", "企业代码", "组织机构代码", "统一社会信用代码"}
FILLER = {"绝对值", "数值", "金额", "本年", "今年"}
PART_OF = re.compile(r"^\s*(其中|内)")

BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）]*)\s*[)）]")
GROWTH_WORDS = re.compile(r"同比|增长|增速|增减|±")
CUM_WORDS = re.compile(r"累计|1\s*[-－—–―~～至到]\s*(?:本|\d{1,2})\s*月")
MONTH_WORDS = re.compile(r"本月|当月|^\d{1,2}\s*月")


@dataclass
class Column:
    index: int
    label: str
    kind: str  # "level" | "growth" | "unit" | "vintage"
    span: str = ""  # "month" | "cumulative"
    indicator: str = ""
    unit: str = ""
    explicit_month: bool = False
    coverage: str = ""  # stated by the header (规模以上工业总产值)


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
    """A row or header label without 其中/spaces and a trailing bracketed unit; (label, unit)."""
    t = re.sub(r"\s+", "", text.replace("\u3000", ""))
    t = re.sub(r"^(其中|内)[:：]?", "", t)
    unit = ""
    for m in BRACKET_UNIT.finditer(t):
        if m.group("unit") in KNOWN_UNITS:
            unit = m.group("unit")
    t = BRACKET_UNIT.sub(lambda m: "" if m.group("unit") in KNOWN_UNITS else m.group(0), t)
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


# ------------------------------------------------------------------------------------------
# header


def find_header(grid: Grid) -> tuple[int, int]:
    for i, row in enumerate(grid.rows):
        for j, cell in enumerate(row):
            if re.sub(r"\s+", "", cell) in LABEL_HEADERS:
                return i, j
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


def _span(parts: list[str]) -> tuple[str, bool]:
    """("cumulative" | "month" | "", whether the month is named as ``10月``)."""
    span, explicit = "", False
    for p in parts:
        if CUM_WORDS.search(p):
            span = "cumulative"
        elif MONTH_WORDS.search(p) and not span:
            span = "month"
            explicit = bool(re.match(r"^\d{1,2}\s*月", p))
    return span, explicit


def _indicator_and_unit(parts: list[str]) -> tuple[str, str]:
    """The lowest header text that names an indicator, and a unit in brackets."""
    unit = indicator = ""
    for p in parts:
        clean, u = _clean_label(p)
        unit = u or unit
        words = GROWTH_WORDS.search(p) or CUM_WORDS.search(p) or MONTH_WORDS.search(p)
        if not words and clean not in FILLER and clean:
            indicator = clean
    return indicator, unit


def _value_column(
    grid: Grid, start: int, j: int, label: str, parts: list[str], previous: Column | None
) -> Column:
    """A level or growth column; a growth column without a period takes its level's."""
    where = f"{col_letter(j)} ({label})"
    # header words as typed with stray spaces (本 月, 1-本月 累计) mean the same
    parts = [re.sub(r"\s+", "", p) for p in parts]
    span, explicit = _span(parts)
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
        return Column(j, label, "growth", span, indicator, unit, explicit, coverage)
    if not span:
        raise DataError(
            "column header not understood: expected 本月/当月 or 累计/1-本月累计 "
            "(with 同比 for growth), or 计量单位",
            file=grid.file,
            row=start + 1,
            column=where,
        )
    return Column(j, label, "level", span, indicator, unit, explicit, coverage)


def classify_columns(grid: Grid, start: int, end: int, label_col: int) -> list[Column]:
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
        col = _value_column(grid, start, j, label, parts, previous)
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


def layout_of(grid: Grid, header: int, label_col: int, units: list[str]) -> tuple[Layout, int]:
    """The header's reading and the first row below it."""
    header_text = grid.rows[header][label_col].strip()
    shape = "indicator" if re.sub(r"\s+", "", header_text) in INDICATOR_HEADERS else "enterprise"
    end = _header_end(grid, header, label_col, header_text)
    cols = classify_columns(grid, header, end, label_col)
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
