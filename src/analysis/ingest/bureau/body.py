"""The rows of a release below its header: blocks, coverage, parts, one record per figure.

Rows with a label and no values open a block: a coverage (``全部工业``, ``规模以上工业``), a
group of enterprises (``其中：重点企业(…)``) or a part of the county (``其中：开发区``). A valued
``其中：规模以上`` row under an indicator (or under 合计) is that figure for above-scale
industry; the row above it is then the wider coverage (全部工业), never the same figure twice.
In the enterprise shape, enterprises listed under a group row (the template's ``重点企业(…等)``
followed by its firms) are that group's members (``part_of``), not further parts of the total.

Coverage of each figure, first found: its row label, its column header, its block, the title;
a release that states none is taken as above-scale industry (the bureau's monthly tables) and
its rows carry the flag ``coverage_assumed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from analysis import conventions
from analysis.errors import DataError
from analysis.ingest.bureau.checks import Finding
from analysis.ingest.bureau.files import Grid, col_letter
from analysis.ingest.bureau.grid import (
    DEFAULT_INDICATOR,
    DEFAULT_SCOPE,
    PART_OF,
    Column,
    Layout,
    clean_label,
    find_header,
    group_name,
    indicator_name,
    layout_of,
    total_coverage,
)
from analysis.ingest.bureau.numbers import KNOWN_UNITS, Number, normalise, parse_number, parse_units
from analysis.ingest.bureau.periods import Period, find_period, serial_dates
from analysis.ingest.bureau.versions import (
    Version,
    revision_level,
    vintage_in_preamble,
    vintage_key,
)
from analysis.vocabulary import ABOVE_SCALE, ALL_INDUSTRY, KEY_GROUP, TITLE_COVERAGE, TOTAL_GROUP

SIMULATED_MARK = "模拟数据"
FOOTNOTE = re.compile(r"^(注|说明|资料来源|填报|制表|审核|单位负责人|统计负责人|备注)")
REST_PREFIXES = ("其他", "其它", "其余")
LOOSE_COVERAGE = ("title", "assumed")  # a 其中 sub-row below may widen these to 全部工业


@dataclass
class Release:
    grid: Grid
    period: Period
    shape: str  # "enterprise" | "indicator"
    units: list[str] = field(default_factory=list)
    simulated: bool = False
    records: list[dict] = field(default_factory=list)
    coverage: str = ""  # stated by the title ("" if not)
    version: Version = field(default_factory=lambda: Version(0))
    notes: list[Finding] = field(default_factory=list)  # what reading found (warnings)

    @property
    def name(self) -> str:
        """The file's path below the bureau folder, ``#sheet`` for a workbook's sheet."""
        return self.grid_path + (f"#{self.grid.sheet}" if self.grid.sheet else "")

    @property
    def grid_path(self) -> str:
        return "/".join((*self.grid.folders, self.grid.file.name))


@dataclass
class _Block:
    """Where the body is: what label-only rows opened, and the row a 其中 row belongs to."""

    scope: str = DEFAULT_SCOPE
    group: str = TOTAL_GROUP
    coverage: str = ""
    parent: str = ""  # enterprise shape: the group whose members follow
    previous: list[dict] = field(default_factory=list)  # records of the last valued row


# ------------------------------------------------------------------------------------------
# above the header


def _title_coverage(text: str) -> str:
    """The coverage a title states; "" when it states none or several (rows decide)."""
    found = {cov for word, cov in TITLE_COVERAGE if word in text}
    return found.pop() if len(found) == 1 else ""


def _preamble(grid: Grid, header: int) -> tuple[str, list[str], bool]:
    """Title text (with Excel date serials as dates), units and the simulated mark."""
    units: list[str] = []
    lines = []
    for i, row in enumerate(grid.rows[:header]):
        lines += ["".join(row), serial_dates(row)]
        for cell in row:
            units = units or parse_units(cell, file=grid.file, row=i + 1)
    title = "\n".join(line for line in lines if line)
    return title, units, SIMULATED_MARK in title or SIMULATED_MARK in grid.file.name


def _reading_notes(grid: Grid, rel_file: str, period_note: str) -> list[Finding]:
    notes = []
    sheet = f" (sheet {grid.sheet})" if grid.sheet else ""
    if grid.hidden_sheet:
        notes.append(
            Finding(
                "hidden",
                "warning",
                rel_file,
                None,
                "",
                f"sheet {grid.sheet} is hidden in Excel; it was read as a release",
            )
        )
    if grid.hidden_rows or grid.hidden_columns:
        what = ", ".join(
            ([f"rows {', '.join(map(str, grid.hidden_rows))}"] if grid.hidden_rows else [])
            + ([f"columns {', '.join(grid.hidden_columns)}"] if grid.hidden_columns else [])
        )
        first = grid.hidden_rows[0] if grid.hidden_rows else None
        notes.append(
            Finding(
                "hidden",
                "warning",
                rel_file,
                first,
                "",
                f"{what} are hidden in Excel{sheet}; they were read like the "
                "others: unhide them to check they belong to this release",
            )
        )
    if period_note:
        notes.append(Finding("period_title_vs_name", "warning", rel_file, 1, "A", period_note))
    return notes  # fmt: skip


# ------------------------------------------------------------------------------------------
# one value


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


def _check_level(num: Number | None, text: str, unit: str, layout: Layout, row: int, col: str):
    """A level is never in 个百分点, never worded (增长…), and a money level has no % sign."""
    if num is None:
        return
    if num.pp:
        raise DataError("a level given in 个百分点", file=layout.file, row=row, column=col)
    if unit in conventions.TO_WAN and "%" in normalise(text):
        raise DataError(
            f"{text!r}: a money value with a % sign (a growth rate in the level column?)",
            file=layout.file,
            row=row,
            column=col,
        )


def _coverage(row_cov: str, lv: Column, block: _Block, rel: Release) -> tuple[str, str]:
    """(coverage, where it was stated) for one figure."""
    for cov, source in ((row_cov, "label"), (lv.coverage, "column"), (block.coverage, "block"),
                        (rel.coverage, "title")):  # fmt: skip
        if cov:
            return cov, source
    return ABOVE_SCALE, "assumed"


# ------------------------------------------------------------------------------------------
# one row


@dataclass(frozen=True)
class _RowMeaning:
    group: str
    indicator: str  # "" in the enterprise shape (the column says)
    coverage: str  # stated by the label
    part_of: str
    sub_row: bool  # a 其中 row of a narrower coverage under the row above


def _indicator_row(label: str, block: _Block, layout: Layout, excel_row: int) -> _RowMeaning:
    clean, _ = clean_label(label)
    cov = total_coverage(label)
    if cov:  # 其中：规模以上 under an indicator row
        if not block.previous:
            raise DataError(
                f"{label!r} names a coverage but there is no indicator row above it",
                file=layout.file,
                row=excel_row,
                column=f"{col_letter(layout.label_col)} ({layout.header_text})",
            )
        return _RowMeaning(block.group, block.previous[0]["indicator"], cov, "", True)
    indicator, cov = indicator_name(clean)
    above = block.previous[0]["indicator"] if block.previous else None
    sub = bool(PART_OF.match(label) and cov and above == indicator)
    return _RowMeaning(block.group, indicator, cov, "", sub)


def _enterprise_row(label: str, block: _Block) -> _RowMeaning:
    group = group_name(label)
    cov = total_coverage(label) or ""
    above = block.previous[0]["group"] if block.previous else None
    sub = bool(cov and group == TOTAL_GROUP and above == TOTAL_GROUP and PART_OF.match(label))
    part_of = ""
    if group in (TOTAL_GROUP, KEY_GROUP) or group.startswith(REST_PREFIXES):
        block.parent = KEY_GROUP if group == KEY_GROUP else ""
    else:
        part_of = block.parent
    return _RowMeaning(group, "", cov, part_of, sub)


def _widen(previous: list[dict], narrower: str) -> None:
    """The row above a 其中 row of a narrower coverage is the wider one: 全部工业."""
    for r in previous:
        if r["_coverage_source"] in LOOSE_COVERAGE and r["coverage"] == narrower:
            r["coverage"], r["_coverage_source"] = ALL_INDUSTRY, "sub-row"
            r["flags"] = [f for f in r["flags"] if f != "coverage_assumed"]


def _row_records(
    rel: Release, layout: Layout, row: list[str], excel_row: int, block: _Block
) -> list[dict]:
    """One record per (level, growth) column pair of one data row."""
    label = row[layout.label_col].strip()
    _, label_unit = clean_label(label)
    meaning = (
        _indicator_row(label, block, layout, excel_row)
        if layout.shape == "indicator"
        else _enterprise_row(label, block)
    )
    row_unit = row[layout.unit_col.index].strip() if layout.unit_col else ""
    out = []
    for lv, gr in layout.pairs:
        indicator = meaning.indicator or lv.indicator or DEFAULT_INDICATOR
        unit = _unit_for(layout, lv, indicator, row_unit, label_unit, excel_row)
        vcol = layout.where(lv)
        num = parse_number(row[lv.index], file=layout.file, row=excel_row, column=vcol)
        gnum = (
            parse_number(
                row[gr.index], file=layout.file, row=excel_row, column=layout.where(gr), words=True
            )
            if gr
            else None
        )
        _check_level(num, row[lv.index], unit, layout, excel_row, vcol)
        coverage, source = _coverage(meaning.coverage, lv, block, rel)
        rec = _record(rel, lv, gr, block.scope, meaning.group, label, indicator, unit, num, gnum,
                      excel_row)  # fmt: skip
        rec.update(coverage=coverage, _coverage_source=source, part_of=meaning.part_of)
        if source == "assumed":
            rec["flags"].append("coverage_assumed")
        out.append(rec)
    if meaning.sub_row:
        _widen(block.previous, meaning.coverage)
    else:
        block.previous = out
    return out


# ------------------------------------------------------------------------------------------
# the body


def _opens_block(layout: Layout, row: list[str]) -> bool:
    """A row with a label and no values (``其中：开发区``) opens a block."""
    values = [row[c.index] for c in layout.cols if c.kind not in ("unit", "vintage")]
    unit = layout.unit_col and row[layout.unit_col.index].strip()
    return all(not v.strip() for v in values) and not unit


def _open_block(block: _Block, label: str) -> None:
    name, _ = clean_label(label)
    cov = total_coverage(label)
    if cov:
        block.coverage = cov
    elif "企业" in name:
        block.group = group_name(name)
    else:
        block.scope = name
    block.previous = []


def _refuse_repeats(rel: Release, layout: Layout) -> None:
    """Each figure once per release; a repeat gets advice that keeps real data."""
    seen: dict[tuple, int] = {}
    for r in rel.records:
        key = (r["scope"], r["coverage"], r["group"], r["indicator"], r["span"])
        if key in seen:
            raise DataError(
                f"{r['label']!r} appears twice in this table for the same scope ({r['scope']}), "
                f"coverage ({r['coverage']}) and indicator ({r['indicator']}) (first in row "
                f"{seen[key]}): if the rows count different enterprises, say which above them "
                "(a row 全部工业 / 规模以上工业, 其中：开发区) or in the label (其中：规模以上); "
                "if one is a copy, ask the bureau which figure is right",
                file=layout.file,
                row=r["row"],
                column=f"{col_letter(layout.label_col)} ({layout.header_text})",
            )
        seen.setdefault(key, r["row"])


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
            _open_block(block, label)
            continue
        rel.records.extend(_row_records(rel, layout, row, i + 1, block))
    for r in rel.records:
        del r["_coverage_source"]


def _vintage(grid: Grid, layout: Layout, header: int, end: int) -> str:
    text = vintage_in_preamble(grid.rows[:header])
    if text or layout.vintage_col is None:
        return text
    j = layout.vintage_col.index
    return next((r[j].strip() for r in grid.rows[end:] if j < len(r) and r[j].strip()), "")


def parse_grid(grid: Grid) -> Release:
    """One sheet -> a release with one record per (scope, coverage, group, indicator, span)."""
    h, label_col = find_header(grid)
    title, units, simulated = _preamble(grid, h)
    period, note = find_period(title, grid.sheet, grid.file, grid.folders)
    layout, end = layout_of(grid, h, label_col, units)
    rel = Release(grid, period, layout.shape, units, simulated, coverage=_title_coverage(title))
    names = [grid.file.name, grid.sheet, *grid.folders]
    vintage = _vintage(grid, layout, h, end)
    rel.version = Version(revision_level(names), vintage_key(vintage) if vintage else ())
    rel.notes = _reading_notes(grid, rel.grid_path, note)
    _read_body(rel, layout, end)
    if not rel.records:
        raise DataError("no data rows under the header", file=grid.file, row=end + 1, column=None)
    _refuse_repeats(rel, layout)
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
        "file": rel.grid_path,
        "sheet": rel.grid.sheet,
        "row": excel_row,
        "value_column": f"{col_letter(lv.index)} ({lv.label})",
        "growth_column": f"{col_letter(gr.index)} ({gr.label})" if gr else "",
        "explicit_month": lv.explicit_month,
        "release": rel.name,
        "flags": flags,
        "simulated": rel.simulated,
    }
