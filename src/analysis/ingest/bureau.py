"""Readers for the statistics bureau's monthly tables of above-scale industry, as delivered.

The county bureau sends one release a month (not public). Users drop the files into
``<internal_data_dir>/bureau/`` (run parameter ``internal_data_dir``, default
``data/internal/simulated``); :func:`ingest` reads every ``.xlsx``/``.csv`` there (files whose name
starts with ``CALIBRATION``, ``README``, ``.`` or ``~$`` are skipped) into one tidy table in 万元
and runs the checks of :mod:`analysis.ingest.validate`.

What a release file may look like (README, "Bureau monthly tables: input format"; blank templates
in ``data/internal/templates/``):

* ``.xlsx`` (every non-empty sheet is one release; merged header cells are filled from their
  top-left cell) or ``.csv`` in UTF-8, UTF-8 with BOM, GBK or GB18030;
* a title row with the period, e.g. ``2022年1-10月规模以上工业企业主要指标`` (``2022年1-2月`` is the
  combined January–February release, ``2022年1月`` a January-only one); if the title has none, the
  file name is used (``…2022年1-10月…``, ``…2022-10…``, ``…202210…``);
* a unit row ``单位：万元`` or ``单位:个、万元`` (money in 元, 千元, 万元 or 亿元; a column
  ``计量单位`` or a unit in a label's brackets overrides it per row or column);
* header rows (possibly merged) starting with a cell ``企业名称``/``单位名称`` (shape A: rows
  of 合计, enterprise groups and enterprises; the indicator is the header text above the
  period columns, default 工业总产值) or ``指标名称`` (shape B: one row per indicator);
* period columns ``本月``/``当月`` and ``1-本月累计``/``累计``/``1-10月``, each with its growth
  column ``同比增长(%)``/``同比%``/``同比增长(±%)`` (a growth column without its own period
  belongs to the level column on its left);
* rows with a label and no values start a block: ``其中：开发区`` (a part of the county, kept as
  its own ``scope``) or, if the label names enterprises (``其中：重点企业(…)``), a ``group``;
* missing values ``—``, ``--``, ``-``, ``…`` or empty; a change of a rate may be ``+0.5个百分点``.

Money is converted exactly to 万元 (the original unit is kept); growth is stored as a fraction
exactly as published (``growth_decimals`` keeps the published precision for rounding bands).
Earlier releases of the same period are kept as vintages (``release`` is the file name, ordered
by name: name a corrected file so it sorts after the first, e.g. ``…_修订.xlsx``); ``latest`` marks
the last one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import conventions, schemas
from analysis.errors import DataError
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP, TOTAL_LABELS

SUBFOLDER = "bureau"
SUFFIXES = (".xlsx", ".csv")
REFUSED_SUFFIXES = (".xls", ".et", ".wps", ".ods", ".numbers")  # would be skipped unnoticed
SKIP_PREFIXES = ("CALIBRATION", "README", ".", "~$")
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK
SIMULATED_MARK = "模拟数据"
DEFAULT_SCOPE = COUNTY_SCOPE
DEFAULT_INDICATOR = OUTPUT_INDICATOR

MISSING = {"", "—", "——", "--", "-", "－", "…", "...", "/", "nan", "None"}
LABEL_HEADERS = {"企业名称", "单位名称", "企业", "名称", "指标名称", "指标", "项目"}
INDICATOR_HEADERS = {"指标名称", "指标", "项目"}
UNIT_HEADERS = {"计量单位", "单位"}
IGNORED_HEADERS = {"序号", "行次", "代码", "备注", "企业代码", "组织机构代码", "统一社会信用代码"}
FOOTNOTE = re.compile(r"^(注|说明|资料来源|填报|制表|审核|单位负责人|统计负责人|备注)")
FILLER = {"绝对值", "数值", "金额", "本年", "今年"}
COUNT_UNITS = {"个", "家", "户", "人"}
KNOWN_UNITS = set(conventions.TO_WAN) | COUNT_UNITS | {"%"}

PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:(?P<first>\d{1,2})\s*[-－—~～至到]\s*)?(?P<last>\d{1,2})\s*月"
)
PERIOD_NAME = re.compile(r"(?P<year>(?:19|20)\d{2})[-_.]?(?P<last>0[1-9]|1[0-2])(?!\d)")
UNIT_ROW = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*(?P<units>.+)$")
BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）]*)\s*[)）]")
GROWTH_WORDS = re.compile(r"同比|增长|增速|增减|±")
CUM_WORDS = re.compile(r"累计|1\s*[-－—~～至]\s*(?:本|\d{1,2})\s*月")
MONTH_WORDS = re.compile(r"本月|当月|^\d{1,2}\s*月")
PP = re.compile(r"个?百分点")


@dataclass
class Grid:
    """One sheet of a delivered file as text cells, row ``i`` being spreadsheet row ``i + 1``."""

    file: Path
    sheet: str
    rows: list[list[str]]
    encoding: str = ""


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
class Period:
    year: int
    month: int
    combined: bool  # the 1–2月 release
    source: str  # "title" | "file name"


@dataclass
class Release:
    grid: Grid
    period: Period
    shape: str  # "enterprise" | "indicator"
    units: list[str] = field(default_factory=list)
    simulated: bool = False
    records: list[dict] = field(default_factory=list)


# ------------------------------------------------------------------------------------------
# reading cells


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        m = re.search(r"0\.(0+)", cell.number_format or "")
        if m:
            return f"{value:.{len(m.group(1))}f}"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value).strip()


def read_xlsx(path: Path) -> list[Grid]:
    """Every non-empty sheet as text; merged ranges are filled with their top-left value."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a corrupt or mis-named file
        raise DataError(
            f"cannot open as .xlsx: {what_file_is(path)} ({type(exc).__name__}); open it in "
            "Excel/WPS and save it as .xlsx, or export a .csv",
            file=path,
        ) from None
    grids = []
    for ws in wb.worksheets:
        rows = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    rows[r - 1][c - 1] = top
        if any(any(c for c in row) for row in rows):
            grids.append(Grid(path, ws.title, rows, "xlsx"))
    if not grids:
        raise DataError("the workbook has no sheet with data (an empty file?)", file=path)
    return grids


MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/WPS .xls (or .doc) file"),
    (b"PK\x03\x04", "a zip archive that is not an Excel workbook"),
)


def what_file_is(path: Path) -> str:
    """A plain description of a file's real content from its first bytes (for error messages)."""
    head = path.read_bytes()[:512]
    if not head:
        return "the file is empty"
    for magic, what in MAGIC:
        if head.startswith(magic):
            return f"the file is {what}"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return "the file is not a spreadsheet"
    return "the file is text (a CSV renamed to .xlsx?)"


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding of a CSV: UTF-8 (with or without BOM), else GBK/GB18030."""
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig":
            return text, "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, enc
    raise DataError("not UTF-8, GBK or GB18030 text: save the file as CSV (UTF-8)", file=path)


def read_csv_grid(path: Path) -> Grid:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError("the file is empty", file=path)
    text, enc = decode(raw, path)
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    return Grid(path, "", rows, enc)


def read_grids(path: Path) -> list[Grid]:
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return [read_csv_grid(path)]
    raise DataError(f"unsupported file type {path.suffix!r}; use .xlsx or .csv", file=path)


def release_files(folder: Path) -> list[Path]:
    """The release files in ``folder``, sorted by name (the vintage order)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(SKIP_PREFIXES)
    )


# ------------------------------------------------------------------------------------------
# numbers


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


# ------------------------------------------------------------------------------------------
# layout


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


def classify_columns(grid: Grid, start: int, end: int, label_col: int) -> list[Column]:
    """Read the (merged) header rows ``start..end-1`` into typed columns."""
    width = max(len(r) for r in grid.rows[start:end])
    cols: list[Column] = []
    previous_level: Column | None = None
    for j in range(width):
        if j == label_col:
            continue
        parts: list[str] = []
        for r in grid.rows[start:end]:
            cell = r[j].strip() if j < len(r) else ""
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        label = " | ".join(parts)
        if not parts:
            continue
        flat = re.sub(r"\s+", "", "".join(parts))
        if flat in UNIT_HEADERS:
            cols.append(Column(j, label, "unit"))
            continue
        if flat in IGNORED_HEADERS:
            continue
        where = f"{_col_letter(j)} ({label})"
        # header words as typed with stray spaces (本 月, 1-本月 累计) mean the same
        parts = [re.sub(r"\s+", "", p) for p in parts]
        is_growth = any(GROWTH_WORDS.search(p) for p in parts)
        span = ""
        explicit = False
        for p in parts:
            if CUM_WORDS.search(p):
                span = "cumulative"
            elif MONTH_WORDS.search(p) and not span:
                span = "month"
                explicit = bool(re.match(r"^\d{1,2}\s*月", p))
        unit = ""
        indicator = ""
        for p in parts:
            clean, u = _clean_label(p)
            unit = u or unit
            if (
                not GROWTH_WORDS.search(p)
                and not CUM_WORDS.search(p)
                and not MONTH_WORDS.search(p)
                and clean not in FILLER
                and clean
            ):
                indicator = clean
        if is_growth:
            if not span:
                if previous_level is None:
                    raise DataError(
                        "growth column without a period and no level column to its left",
                        file=grid.file,
                        row=start + 1,
                        column=where,
                    )
                span = previous_level.span
                indicator = indicator or previous_level.indicator
            cols.append(Column(j, label, "growth", span, indicator, unit, explicit))
            continue
        if not span:
            raise DataError(
                "column header not understood: expected 本月/当月 or 累计/1-本月累计 "
                "(with 同比 for growth), or 计量单位",
                file=grid.file,
                row=start + 1,
                column=where,
            )
        col = Column(j, label, "level", span, indicator, unit, explicit)
        cols.append(col)
        previous_level = col
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


def parse_grid(grid: Grid) -> Release:
    """One sheet -> a release with one record per (scope, group, indicator, span)."""
    h, label_col = find_header(grid)
    file = grid.file
    period = None
    units: list[str] = []
    simulated = False
    for i, row in enumerate(grid.rows[:h]):
        text = "".join(row)
        simulated = simulated or SIMULATED_MARK in text
        if period is None:
            period = parse_period(text)
        for cell in row:
            units = units or parse_units(cell, file=file, row=i + 1)
    period = period or period_from_name(file.stem)
    if period is None:
        raise DataError(
            "no period: the title row should read like 2022年1-10月… (or name the file so)",
            file=file,
            row=1,
            column="A",
        )
    simulated = simulated or SIMULATED_MARK in file.name
    header_text = grid.rows[h][label_col].strip()
    shape = "indicator" if re.sub(r"\s+", "", header_text) in INDICATOR_HEADERS else "enterprise"
    end = h + 1
    while end < len(grid.rows):
        first = grid.rows[end][label_col].strip() if label_col < len(grid.rows[end]) else ""
        if first and first != header_text:
            break
        if not any(grid.rows[end]):
            break
        end += 1
    cols = classify_columns(grid, h, end, label_col)
    unit_col = next((c for c in cols if c.kind == "unit"), None)
    pairs = _pairs(cols)
    if not pairs:
        raise DataError("no value columns (本月/累计)", file=file, row=h + 1, column=None)
    money_units = [u for u in units if u in conventions.TO_WAN]
    rel = Release(grid, period, shape, units, simulated)
    seen: dict[tuple[str, str, str, str], int] = {}
    scope, block_group = DEFAULT_SCOPE, TOTAL_GROUP
    for i in range(end, len(grid.rows)):
        row = grid.rows[i] + [""] * 64
        label = row[label_col].strip()
        if not label:
            continue
        if FOOTNOTE.match(label):
            break
        excel_row = i + 1
        values = {c.index: row[c.index] for c in cols if c.kind != "unit"}
        if all(not v.strip() for v in values.values()) and not (
            unit_col and row[unit_col.index].strip()
        ):
            name, _ = _clean_label(label)
            if "企业" in name:
                block_group = group_name(name)
            else:
                scope = name
            continue
        clean, label_unit = _clean_label(label)
        row_unit = row[unit_col.index].strip() if unit_col else ""
        for lv, gr in pairs:
            if shape == "indicator":
                indicator, group = clean, block_group
            else:
                indicator, group = (lv.indicator or DEFAULT_INDICATOR), group_name(label)
            unit = lv.unit or row_unit or label_unit
            if not unit:
                if "率" in indicator:
                    unit = "%"
                elif indicator.endswith("数"):
                    unit = "个"
                elif money_units:
                    unit = money_units[0]
                else:
                    raise DataError(
                        "no unit for this value: add a unit row 单位：万元 or a 计量单位 column",
                        file=file,
                        row=excel_row,
                        column=f"{_col_letter(lv.index)} ({lv.label})",
                    )
            if unit not in KNOWN_UNITS:
                raise DataError(
                    f"unknown unit {unit!r}; known: {sorted(KNOWN_UNITS)}",
                    file=file,
                    row=excel_row,
                    column=(
                        f"{_col_letter(unit_col.index)} ({unit_col.label})"
                        if unit_col and row_unit
                        else f"{_col_letter(lv.index)} ({lv.label})"
                    ),
                )
            vcol = f"{_col_letter(lv.index)} ({lv.label})"
            gcol = f"{_col_letter(gr.index)} ({gr.label})" if gr else ""
            num = parse_number(row[lv.index], file=file, row=excel_row, column=vcol)
            gnum = (
                parse_number(row[gr.index], file=file, row=excel_row, column=gcol) if gr else None
            )
            if num is not None and num.pp:
                raise DataError("a level given in 个百分点", file=file, row=excel_row, column=vcol)
            if num is not None and unit in conventions.TO_WAN and "%" in row[lv.index]:
                raise DataError(
                    f"{row[lv.index]!r}: a money value with a % sign (a growth rate in the "
                    "level column?)",
                    file=file,
                    row=excel_row,
                    column=vcol,
                )
            key = (scope, group, indicator, lv.span)
            if key in seen:
                raise DataError(
                    f"{label!r} appears twice in this table (first in row {seen[key]}): "
                    "delete one of the rows",
                    file=file,
                    row=excel_row,
                    column=f"{_col_letter(label_col)} ({header_text})",
                )
            seen[key] = excel_row
            rel.records.append(
                _record(rel, lv, gr, scope, group, label, indicator, unit, num, gnum, excel_row)
            )
    if not rel.records:
        raise DataError("no data rows under the header", file=file, row=end + 1, column=None)
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
        "value_column": f"{_col_letter(lv.index)} ({lv.label})",
        "growth_column": f"{_col_letter(gr.index)} ({gr.label})" if gr else "",
        "explicit_month": lv.explicit_month,
        "release": rel.grid.file.name + (f"#{rel.grid.sheet}" if rel.grid.sheet else ""),
        "flags": flags,
        "simulated": rel.simulated,
    }


# ------------------------------------------------------------------------------------------
# the tidy table

COLUMNS = [
    "year",
    "month",
    "span",
    "scope",
    "group",
    "label",
    "indicator",
    "unit",
    "value",
    "value_wan",
    "value_decimals",
    "growth",
    "growth_decimals",
    "change_pp",
    "original_unit",
    "file",
    "sheet",
    "row",
    "value_column",
    "growth_column",
    "release",
    "latest",
    "simulated",
    "base_wan",
    "scope_factor",
    "flags",
]
KEY = ["year", "month", "span", "scope", "group", "indicator"]

INDUSTRY_MONTHLY = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "month": pa.Column(int, pa.Check.in_range(1, 12)),
        "span": pa.Column(str, pa.Check.isin(["cumulative", "month"])),
        "scope": pa.Column(str, pa.Check.str_length(min_value=1)),
        "group": pa.Column(str, pa.Check.str_length(min_value=1)),
        "label": pa.Column(str),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.isin(["万元", "fraction", *sorted(COUNT_UNITS)])),
        "value": pa.Column(float, nullable=True),
        "value_wan": pa.Column(float, nullable=True),
        "value_decimals": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "growth": pa.Column(float, pa.Check.gt(-1.0), nullable=True),
        "growth_decimals": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "change_pp": pa.Column(float, nullable=True),
        "original_unit": pa.Column(str, pa.Check.isin(sorted(KNOWN_UNITS))),
        "file": pa.Column(str),
        "sheet": pa.Column(str),
        "row": pa.Column(int, pa.Check.ge(1)),
        "value_column": pa.Column(str),
        "growth_column": pa.Column(str),
        "release": pa.Column(str),
        "latest": pa.Column(bool),
        "simulated": pa.Column(bool),
        "base_wan": pa.Column(float, nullable=True),
        "scope_factor": pa.Column(float, pa.Check.gt(0), nullable=True),
        "flags": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: (d["unit"] == "万元") | d["value_wan"].isna(),
            error="value_wan only for money",
        ),
    ],
    unique=[*KEY, "release"],
    strict=True,
    ordered=True,
)

INDUSTRY_CHECKS = pa.DataFrameSchema(
    {
        "check": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["warning", "error"])),
        "file": pa.Column(str),
        "row": pa.Column("Int64", nullable=True),
        "column": pa.Column(str),
        "message": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def _finish_jan_feb(df: pd.DataFrame) -> pd.DataFrame:
    """In a 1–2月 release, 本月 is February alone only if it differs from 1–2月 or says 2月."""
    comb = df["flags"].map(lambda f: "jan_feb_combined" in f) & (df["span"] == "month")
    if not comb.any():
        return df
    cum = df[df["span"] == "cumulative"].set_index(["release", "scope", "group", "indicator"])
    for i in df.index[comb]:
        r = df.loc[i]
        key = (r["release"], r["scope"], r["group"], r["indicator"])
        c = cum["value"].get(key, np.nan)
        same = pd.notna(r["value"]) and pd.notna(c) and abs(r["value"] - c) < 1e-9
        if r["explicit_month"] or (pd.notna(r["value"]) and not same):
            df.at[i, "flags"] = [*r["flags"], "february_alone"]
        else:
            df.at[i, "value"] = np.nan
            df.at[i, "value_wan"] = np.nan
            df.at[i, "value_decimals"] = None
            df.at[i, "growth"] = np.nan
            df.at[i, "growth_decimals"] = None
    return df


def tidy(releases: list[Release], simulated: bool = False) -> pd.DataFrame:
    """All releases as one table: derived base and scope factor, vintages marked."""
    records = [r for rel in releases for r in rel.records]
    if not records:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        return _types(empty)
    df = pd.DataFrame(records)
    df = _finish_jan_feb(df)
    df["simulated"] = df["simulated"] | simulated
    df = df.sort_values([*KEY, "release"], kind="stable").reset_index(drop=True)
    df["latest"] = ~df.duplicated(KEY, keep="last")
    df["base_wan"] = conventions.comparable_base(df["value_wan"], df["growth"])
    prev = df[df["latest"]].assign(year=lambda d: d["year"] + 1)
    prev = prev.set_index(KEY)["value_wan"].rename("prev_wan")
    prev_level = df.join(prev, on=KEY)["prev_wan"]
    df["scope_factor"] = conventions.scope_factor(df["base_wan"], prev_level)
    df.loc[~(df["scope_factor"] > 0), "scope_factor"] = np.nan
    df["flags"] = df["flags"].map(lambda f: ";".join(f))
    return _types(df)


def _types(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reindex(columns=COLUMNS).copy()
    for c in ("year", "month", "row"):
        out[c] = out[c].astype(int)
    for c in ("value_decimals", "growth_decimals"):
        out[c] = pd.array(out[c].tolist(), dtype="Int64")
    for c in ("value", "value_wan", "growth", "change_pp", "base_wan", "scope_factor"):
        out[c] = out[c].astype(float)
    for c in ("latest", "simulated"):
        out[c] = out[c].astype(bool)
    for c in (
        "span",
        "scope",
        "group",
        "label",
        "indicator",
        "unit",
        "original_unit",
        "file",
        "sheet",
        "value_column",
        "growth_column",
        "release",
        "flags",
    ):
        out[c] = out[c].astype(str)
    return out


def refused_files(folder: Path) -> list[Path]:
    """Spreadsheets in a format the reader does not open (``.xls``, WPS ``.et``): an error, so
    a release saved in the old format is not silently left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in REFUSED_SUFFIXES
        and not p.name.startswith(SKIP_PREFIXES)
    )


def read_folder(folder: Path) -> list[Release]:
    """Parse every release file in ``folder`` (DataError on the first unreadable one)."""
    for path in refused_files(folder):
        raise DataError(
            f"{path.suffix} files are not read: open it in Excel/WPS and save it as .xlsx",
            file=path,
        )
    return [parse_grid(g) for path in release_files(folder) for g in read_grids(path)]


def bureau_folder(internal_dir: Path) -> Path:
    """Where the bureau's files live: ``<internal_data_dir>/bureau/``."""
    return Path(internal_dir) / SUBFOLDER


def ingest(
    internal_dir: Path, simulated: bool = False, *, raise_on_error: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``<internal_dir>/bureau/`` into (tidy table, findings of the checks).

    Files marked 模拟数据 (title or name) are flagged simulated whatever ``simulated`` says.
    With ``raise_on_error`` a finding of severity *error* raises :class:`DataError` naming the
    file, row and column, so nothing is written; warnings are returned for the quality report.
    """
    from analysis.ingest import validate

    folder = bureau_folder(internal_dir)
    table = tidy(read_folder(folder), simulated)
    findings = validate.run_checks(table)
    if not len(table):
        findings = validate.findings_frame(
            [validate.Finding("no_files", "warning", f"{SUBFOLDER}/", None, "", "no release files")]
        )
    schemas.validate(table, INDUSTRY_MONTHLY, "industry_monthly")
    if raise_on_error:
        errors = findings[findings["severity"] == "error"]
        if len(errors):
            first = errors.iloc[0]
            raise DataError(
                f"[{first['check']}] {first['message']} ({len(errors)} error(s) in all)",
                file=folder / first["file"],
                row=None if pd.isna(first["row"]) else int(first["row"]),
                column=first["column"] or None,
            )
    return table, findings


def write_tables(table: pd.DataFrame, findings: pd.DataFrame, processed: Path) -> list[Path]:
    """Validate both tables, then write both atomically: industry_monthly, industry_checks."""
    return schemas.write_tables(
        {
            "industry_monthly": (table, INDUSTRY_MONTHLY),
            "industry_checks": (findings, INDUSTRY_CHECKS),
        },
        processed,
    )


def release_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per release file: period, shape of data, unit, simulated, rows."""
    if not len(table):
        return pd.DataFrame(columns=["release", "year", "month", "rows", "original_unit"])
    return (
        table.groupby("release", sort=True)
        .agg(
            year=("year", "first"),
            month=("month", "first"),
            rows=("row", "size"),
            original_unit=("original_unit", lambda s: "、".join(sorted(set(s)))),
            simulated=("simulated", "all"),
        )
        .reset_index()
    )


# ------------------------------------------------------------------------------------------
# templates

TEMPLATE_ENTERPRISE = [
    ["____年1-__月规模以上工业企业主要指标"],
    ["单位：万元"],
    ["企业名称", "工业总产值", "", "", ""],
    ["", "本月", "1-本月累计", "本月同比增长(%)", "累计同比增长(%)"],
    ["合计", "", "", "", ""],
    ["重点企业(…等)", "", "", "", ""],
    ["(企业名称)", "", "", "", ""],
]
TEMPLATE_INDICATOR = [
    ["____年1-__月规模以上工业主要指标"],
    ["单位:个、万元"],
    ["指标名称", "计量单位", "本月", "", "1-本月累计", ""],
    ["", "", "绝对值", "同比%", "绝对值", "同比%"],
    ["企业单位数", "个", "", "", "", ""],
    ["工业总产值", "万元", "", "", "", ""],
    ["销售产值", "万元", "", "", "", ""],
    ["出口交货值", "万元", "", "", "", ""],
    ["产品销售率", "%", "", "", "", ""],
    ["其中：开发区", "", "", "", "", ""],
    ["企业单位数", "个", "", "", "", ""],
    ["工业总产值", "万元", "", "", "", ""],
]
TEMPLATE_MERGES = {
    "enterprise": ["A1:E1", "A3:A4", "B3:E3"],
    "indicator": ["A1:F1", "A3:A4", "B3:B4", "C3:D3", "E3:F3"],
}


def write_templates(folder: Path) -> list[Path]:
    """Blank templates of both shapes, as .xlsx (merged header) and .csv (UTF-8 with BOM)."""
    from analysis.simulate.output import write_csv_rows, write_xlsx_rows

    out = []
    for shape, rows in (("enterprise", TEMPLATE_ENTERPRISE), ("indicator", TEMPLATE_INDICATOR)):
        name = f"bureau_{shape}_template"
        out.append(write_xlsx_rows(folder / f"{name}.xlsx", rows, TEMPLATE_MERGES[shape]))
        out.append(write_csv_rows(folder / f"{name}.csv", rows, "utf-8-sig"))
    return out
