"""From a grid of text cells to a release: header, column kinds, blocks, one record per figure.

A release is laid out for people: a title with the period, a unit row, one or more (merged)
header rows, then rows of a total, groups and enterprises (shape A, ``企业名称``) or one row per
indicator (shape B, ``指标名称``), with label-only rows opening a block (``其中：开发区``). Each
step below reads one of these parts, so an error says which part was not understood, where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np

from analysis import conventions
from analysis.errors import DataError
from analysis.ingest.bureau.files import Grid, col_letter
from analysis.ingest.bureau.numbers import (
    KNOWN_UNITS,
    Number,
    Period,
    parse_number,
    parse_period,
    parse_units,
    period_from_name,
)
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP, TOTAL_LABELS

SIMULATED_MARK = "模拟数据"
DEFAULT_SCOPE = COUNTY_SCOPE
DEFAULT_INDICATOR = OUTPUT_INDICATOR

LABEL_HEADERS = {"企业名称", "单位名称", "企业", "名称", "指标名称", "指标", "项目"}
INDICATOR_HEADERS = {"指标名称", "指标", "项目"}
UNIT_HEADERS = {"计量单位", "单位"}
IGNORED_HEADERS = {"序号", "行次", "代码", "备注", "企业代码", "组织机构代码", "统一社会信用代码"}
FOOTNOTE = re.compile(r"^(注|说明|资料来源|填报|制表|审核|单位负责人|统计负责人|备注)")
FILLER = {"绝对值", "数值", "金额", "本年", "今年"}

BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）]*)\s*[)）]")
GROWTH_WORDS = re.compile(r"同比|增长|增速|增减|±")
CUM_WORDS = re.compile(r"累计|1\s*[-－—~～至]\s*(?:本|\d{1,2})\s*月")
MONTH_WORDS = re.compile(r"本月|当月|^\d{1,2}\s*月")


@dataclass
class Column:
    index: int
    label: str
    kind: str  # "level" | "growth" | "unit"
    span: str = ""  # "month" | "cumulative"
    indicator: str = ""
    unit: str = ""
    explicit_month: bool = False


@dataclass
class Release:
    grid: Grid
    period: Period
    shape: str  # "enterprise" | "indicator"
    units: list[str] = field(default_factory=list)
    simulated: bool = False
    records: list[dict] = field(default_factory=list)


@dataclass
class Layout:
    """What the header says about the body: where labels are, which columns hold what."""

    file: Path
    label_col: int
    header_text: str
    shape: str
    cols: list[Column]
    unit_col: Column | None
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


def group_name(label: str) -> str:
    """合计 for the total, 重点企业 for a key-enterprise group row, else the name as written."""
    clean, _ = _clean_label(label)
    if clean in TOTAL_LABELS or label.replace(" ", "") in TOTAL_LABELS:
        return TOTAL_GROUP
    if clean.startswith(KEY_GROUP):
        return KEY_GROUP
    return clean


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
        return Column(j, label, "growth", span, indicator, unit, explicit)
    if not span:
        raise DataError(
            "column header not understood: expected 本月/当月 or 累计/1-本月累计 "
            "(with 同比 for growth), or 计量单位",
            file=grid.file,
            row=start + 1,
            column=where,
        )
    return Column(j, label, "level", span, indicator, unit, explicit)


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


def _preamble(grid: Grid, header: int) -> tuple[Period, list[str], bool]:
    """Period, units and the simulated mark from the rows above the header (or the name)."""
    period = None
    units: list[str] = []
    simulated = False
    for i, row in enumerate(grid.rows[:header]):
        text = "".join(row)
        simulated = simulated or SIMULATED_MARK in text
        if period is None:
            period = parse_period(text)
        for cell in row:
            units = units or parse_units(cell, file=grid.file, row=i + 1)
    period = period or period_from_name(grid.file.stem)
    if period is None:
        raise DataError(
            "no period: the title row should read like 2022年1-10月… (or name the file so)",
            file=grid.file,
            row=1,
            column="A",
        )
    return period, units, simulated or SIMULATED_MARK in grid.file.name


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


def _layout(grid: Grid, header: int, label_col: int, units: list[str]) -> tuple[Layout, int]:
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
        pairs=pairs,
        money_units=[u for u in units if u in conventions.TO_WAN],
    )
    return layout, end


# ------------------------------------------------------------------------------------------
# body


def _unit_for(
    layout: Layout, lv: Column, indicator: str, row_unit: str, label_unit: str, excel_row: int
) -> str:
    """The unit of one value: the column's, else the row's, else guessed from the indicator's
    name (率 a percentage, …数 a count), else the unit row's money unit."""
    unit = lv.unit or row_unit or label_unit
    if not unit:
        if "率" in indicator:
            unit = "%"
        elif indicator.endswith("数"):
            unit = "个"
        elif layout.money_units:
            unit = layout.money_units[0]
        else:
            raise DataError(
                "no unit for this value: add a unit row 单位：万元 or a 计量单位 column",
                file=layout.file,
                row=excel_row,
                column=layout.where(lv),
            )
    if unit not in KNOWN_UNITS:
        uc = layout.unit_col
        raise DataError(
            f"unknown unit {unit!r}; known: {sorted(KNOWN_UNITS)}",
            file=layout.file,
            row=excel_row,
            column=layout.where(uc) if uc and row_unit else layout.where(lv),
        )
    return unit


def _check_level(num: Number | None, text: str, unit: str, file: Path, row: int, col: str) -> None:
    """A level is never in 个百分点, and a money level never carries a % sign."""
    if num is not None and num.pp:
        raise DataError("a level given in 个百分点", file=file, row=row, column=col)
    if num is not None and unit in conventions.TO_WAN and "%" in text:
        raise DataError(
            f"{text!r}: a money value with a % sign (a growth rate in the level column?)",
            file=file,
            row=row,
            column=col,
        )


@dataclass
class _Block:
    """Where the body is: the scope and group that label-only rows opened, and keys seen."""

    scope: str = DEFAULT_SCOPE
    group: str = TOTAL_GROUP
    seen: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


def _row_records(
    rel: Release, layout: Layout, row: list[str], excel_row: int, block: _Block
) -> list[dict]:
    """One record per (level, growth) column pair of one data row."""
    label = row[layout.label_col].strip()
    clean, label_unit = _clean_label(label)
    row_unit = row[layout.unit_col.index].strip() if layout.unit_col else ""
    out = []
    for lv, gr in layout.pairs:
        if layout.shape == "indicator":
            indicator, group = clean, block.group
        else:
            indicator, group = (lv.indicator or DEFAULT_INDICATOR), group_name(label)
        unit = _unit_for(layout, lv, indicator, row_unit, label_unit, excel_row)
        vcol = layout.where(lv)
        num = parse_number(row[lv.index], file=layout.file, row=excel_row, column=vcol)
        gnum = (
            parse_number(row[gr.index], file=layout.file, row=excel_row, column=layout.where(gr))
            if gr
            else None
        )
        _check_level(num, row[lv.index], unit, layout.file, excel_row, vcol)
        key = (block.scope, group, indicator, lv.span)
        if key in block.seen:
            raise DataError(
                f"{label!r} appears twice in this table (first in row {block.seen[key]}): "
                "delete one of the rows",
                file=layout.file,
                row=excel_row,
                column=f"{col_letter(layout.label_col)} ({layout.header_text})",
            )
        block.seen[key] = excel_row
        out.append(
            _record(rel, lv, gr, block.scope, group, label, indicator, unit, num, gnum, excel_row)
        )
    return out


def _opens_block(layout: Layout, row: list[str]) -> bool:
    """A row with a label and no values (``其中：开发区``) opens a block."""
    values = [row[c.index] for c in layout.cols if c.kind != "unit"]
    unit = layout.unit_col and row[layout.unit_col.index].strip()
    return all(not v.strip() for v in values) and not unit


def _read_body(rel: Release, layout: Layout, start: int) -> None:
    block = _Block()
    for i in range(start, len(rel.grid.rows)):
        row = rel.grid.rows[i] + [""] * 64
        label = row[layout.label_col].strip()
        if not label:
            continue
        if FOOTNOTE.match(label):
            break
        if _opens_block(layout, row):
            name, _ = _clean_label(label)
            if "企业" in name:
                block.group = group_name(name)
            else:
                block.scope = name
            continue
        rel.records.extend(_row_records(rel, layout, row, i + 1, block))


def parse_grid(grid: Grid) -> Release:
    """One sheet -> a release with one record per (scope, group, indicator, span)."""
    h, label_col = find_header(grid)
    period, units, simulated = _preamble(grid, h)
    layout, end = _layout(grid, h, label_col, units)
    rel = Release(grid, period, layout.shape, units, simulated)
    _read_body(rel, layout, end)
    if not rel.records:
        raise DataError("no data rows under the header", file=grid.file, row=end + 1, column=None)
    return rel


def _record(rel, lv, gr, scope, group, label, indicator, unit, num, gnum, excel_row) -> dict:
    value = np.nan
    value_wan = np.nan
    out_unit = "万元" if unit in conventions.TO_WAN else "fraction" if unit == "%" else unit
    if num is not None:
        if unit in conventions.TO_WAN:
            value = conventions.to_wan(num.text, unit)
            value_wan = value
        elif unit == "%":
            value = float(Decimal(num.text) / 100)
        else:
            value = num.value
    growth = change_pp = np.nan
    gdec = None
    if gnum is not None:
        gdec = gnum.decimals
        if gnum.pp or unit == "%":
            change_pp = gnum.value
        else:
            growth = float(Decimal(gnum.text) / 100)
    flags = []
    if rel.period.month == 1:
        flags.append("january_separate")
    if rel.period.combined:
        flags.append("jan_feb_combined")
    return {
        "year": rel.period.year,
        "month": rel.period.month,
        "span": lv.span,
        "scope": scope,
        "group": group,
        "label": re.sub(r"\s+", "", label.replace("\u3000", "")),
        "indicator": indicator,
        "unit": out_unit,
        "value": value,
        "value_wan": value_wan,
        "value_decimals": num.decimals if num is not None else None,
        "growth": growth,
        "growth_decimals": gdec,
        "change_pp": change_pp,
        "original_unit": unit,
        "file": rel.grid.file.name,
        "sheet": rel.grid.sheet,
        "row": excel_row,
        "value_column": f"{col_letter(lv.index)} ({lv.label})",
        "growth_column": f"{col_letter(gr.index)} ({gr.label})" if gr else "",
        "explicit_month": lv.explicit_month,
        "release": rel.grid.file.name + (f"#{rel.grid.sheet}" if rel.grid.sheet else ""),
        "flags": flags,
        "simulated": rel.simulated,
    }
