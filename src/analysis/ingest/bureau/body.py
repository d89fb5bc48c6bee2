"""A release: one sheet read into one record per figure, with its period, place and version.

The title (rows above the header) gives the period (:mod:`.periods`), the unit row, the
coverage a title states and the place the release names (:mod:`.places`); :mod:`.grid` reads
the header, :mod:`.rows` says what each row below it is. Coverage of each figure, first found:
its row label, its column header, its block, the title (or the label header, or the file name);
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
    PART_OF,
    Column,
    Layout,
    clean_label,
    find_header,
    indicator_in_text,
    layout_of,
    total_coverage,
)
from analysis.ingest.bureau.numbers import KNOWN_UNITS, Number, normalise, parse_number, parse_units
from analysis.ingest.bureau.periods import Period, find_period, serial_dates
from analysis.ingest.bureau.places import named_place
from analysis.ingest.bureau.rows import (
    Block,
    Meaning,
    enterprise_row,
    indent_of,
    indicator_row,
    is_place_table,
    join_breakdown,
    open_block,
    opens_block,
    place_row,
    widen,
)
from analysis.ingest.bureau.versions import (
    Version,
    revision_level,
    vintage_in_preamble,
    vintage_key,
)
from analysis.vocabulary import ABOVE_SCALE, TITLE_COVERAGE

# marks of made-up data: the stand-in (模拟数据) and the test fixtures (测试样例)
SIMULATED_MARKS = ("模拟数据", "测试样例")
FOOTNOTE = re.compile(r"^(注|说明|资料来源|填报|制表|审核|单位负责人|统计负责人|备注)")


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
    place: str = ""  # the place the release names ("" = none: the run's county)
    place_source: str = ""  # where it is named: title, sheet name, file name, folder
    indicator: str = ""  # named by the title (a table of places names it nowhere else)

    @property
    def name(self) -> str:
        """The file's path below the bureau folder, ``#sheet`` for a workbook's sheet."""
        return self.grid_path + (f"#{self.grid.sheet}" if self.grid.sheet else "")

    @property
    def grid_path(self) -> str:
        return "/".join((*self.grid.folders, self.grid.file.name))


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
        lines += ["".join(c.strip() for c in row), serial_dates(row)]
        for cell in row:
            units = units or parse_units(cell, file=grid.file, row=i + 1)
    title = "\n".join(line for line in lines if line)
    marked = any(m in title or m in grid.file.name for m in SIMULATED_MARKS)
    return title, units, marked


def _place(grid: Grid, header: int) -> tuple[str, str, str]:
    """(place named, where, a note if the title and the file name name different places)."""
    title_cells = list(dict.fromkeys(c.strip() for row in grid.rows[:header] for c in row))
    place, where, named = named_place(
        [
            ("title", title_cells),
            ("sheet name", [grid.sheet]),
            ("file name", [grid.file.stem]),
            *[("folder", [f]) for f in reversed(grid.folders)],
        ]
    )
    by = dict(named)
    note = ""
    if where == "title" and by.get("file name", place) != place:
        note = (
            f"the title names {place} but the file name names {by['file name']}: the title is "
            "used (rename the file, or correct the title)"
        )
    return place, where, note


def _reading_notes(grid: Grid, rel_file: str, period_note: str, place_note: str) -> list[Finding]:
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
    if place_note:
        notes.append(Finding("place_title_vs_name", "warning", rel_file, 1, "A", place_note))
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


def _coverage(row_cov: str, lv: Column, block: Block, rel: Release) -> tuple[str, str]:
    """(coverage, where it was stated) for one figure."""
    for cov, source in ((row_cov, "label"), (lv.coverage, "column"), (block.coverage, "block"),
                        (rel.coverage, "title")):  # fmt: skip
        if cov:
            return cov, source
    return ABOVE_SCALE, "assumed"


# ------------------------------------------------------------------------------------------
# one row


def _meaning(rel: Release, layout: Layout, label: str, block: Block, excel_row: int) -> Meaning:
    if rel.shape == "place":
        return place_row(label, rel.indicator)
    if layout.shape == "indicator":
        return indicator_row(label, block, layout, excel_row)
    return enterprise_row(label, block)


def _row_records(
    rel: Release, layout: Layout, row: list[str], excel_row: int, block: Block
) -> list[dict]:
    """One record per (level, growth) column pair of one data row."""
    label = row[layout.label_col].rstrip()
    _, label_unit = clean_label(label)
    meaning = _meaning(rel, layout, label, block, excel_row)
    label_unit = label_unit or meaning.unit
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
        scope = meaning.scope or block.scope
        rec = _record(rel, lv, gr, scope, meaning.group, label, indicator, unit, num, gnum,
                      excel_row)  # fmt: skip
        rec.update(coverage=coverage, _coverage_source=source, part_of=meaning.part_of)
        if source == "assumed":
            rec["flags"].append("coverage_assumed")
        out.append(rec)
    if meaning.sub_row:
        widen(block.previous, meaning.coverage)
    elif meaning.head:
        block.previous = out
    if meaning.member and not meaning.part_of:  # a breakdown named after its first member
        join_breakdown(block, out, bool(PART_OF.match(label)))
    elif meaning.member:
        block.members = out
    elif meaning.head:
        block.head, block.head_indent = out, indent_of(label)
        block.head_unit, block.members = label_unit or row_unit, []
        if layout.shape == "indicator":  # 六个重点行业工业总产值: its members follow
            block.parent = meaning.group if meaning.group != block.group else ""
    return out


# ------------------------------------------------------------------------------------------
# the body


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


def _body_rows(grid: Grid, layout: Layout, start: int):
    """(excel row, padded cells) of the rows below the header, up to a footnote."""
    for i in range(start, len(grid.rows)):
        row = grid.rows[i] + [""] * 64
        label = row[layout.label_col].strip()
        if not label:
            continue
        if FOOTNOTE.match(label):
            break
        yield i + 1, row


def _read_body(rel: Release, layout: Layout, start: int) -> None:
    block = Block()
    places = rel.shape == "place"
    for excel_row, row in _body_rows(rel.grid, layout, start):
        if opens_block(layout, row):
            open_block(block, row[layout.label_col], places)
            continue
        rel.records.extend(_row_records(rel, layout, row, excel_row, block))
    for r in rel.records:
        del r["_coverage_source"]


def _place_table(rel: Release, layout: Layout, start: int, title: str) -> None:
    """A table whose rows are places (全 市, 东城区, …) is read with each row as its scope; its
    indicator must be named in the title, the sheet name or the file name."""
    if layout.shape != "indicator":
        return
    labels = [row[layout.label_col] for _, row in _body_rows(rel.grid, layout, start)
              if not opens_block(layout, row)]  # fmt: skip
    if not is_place_table(labels):
        return
    rel.shape = "place"
    for text in (title, rel.grid.sheet, rel.grid.file.stem):
        found = indicator_in_text(text)
        if found:
            rel.indicator = found[0]
            rel.coverage = rel.coverage or found[1]
            return
    shown = "、".join(clean_label(x)[0] for x in labels[:3])
    raise DataError(
        f"the rows are places ({shown}, …) but nothing says what the figures are: write the "
        "indicator in the title (e.g. 2017年1-5月规模以上工业总产值) or in the file name",
        file=rel.grid.file,
        row=1,
        column="A",
    )


def _vintage(grid: Grid, layout: Layout, header: int, end: int) -> str:
    text = vintage_in_preamble(grid.rows[:header])
    if text or layout.vintage_col is None:
        return text
    j = layout.vintage_col.index
    return next((r[j].strip() for r in grid.rows[end:] if j < len(r) and r[j].strip()), "")


def _release_coverage(title: str, layout: Layout, grid: Grid) -> str:
    """The coverage the release states: its title, else a label header that names one
    (``规模以上工业 | 1-10月累计 | …``), else its file name."""
    return (
        _title_coverage(title)
        or total_coverage(layout.header_text)
        or _title_coverage(grid.file.stem)
    )


def _keep_place(layout: Layout, rel: Release, county: str) -> None:
    """Columns headed by places (北京市 | 西城区 side by side): only the release's place's
    (the place it names, else the run's county) are read; the others are reported."""
    places = list(dict.fromkeys(c.place for c in layout.cols if c.place))
    if not places:
        return
    own = rel.place or county
    if own not in places:
        raise DataError(
            f"the columns are headed by places ({'、'.join(places)}) and "
            + (f"none is {own}" if own else "the release does not say whose table it is")
            + ": name the county in the title or the file name",
            file=rel.grid.file,
            row=None,
            column=None,
        )
    others = [c for c in layout.cols if c.place and c.place != own]
    layout.cols = [c for c in layout.cols if c not in others]
    layout.pairs = [(lv, g) for lv, g in layout.pairs if lv not in others]
    where = ", ".join(col_letter(c.index) for c in others)
    rel.notes.append(
        Finding("other_place_columns", "warning", rel.grid_path, None, where,
                f"columns {where} are {'、'.join(p for p in places if p != own)}'s, not "
                f"{own}'s: not read")
    )  # fmt: skip


def parse_grid(grid: Grid, county: str = "") -> Release:
    """One sheet -> a release with one record per (scope, coverage, group, indicator, span).

    ``county``: the run's county, used only to choose between columns headed by places when
    the release itself names none."""
    h, label_col = find_header(grid)
    title, units, simulated = _preamble(grid, h)
    period, note = find_period(title, grid.sheet, grid.file, grid.folders)
    layout, end = layout_of(grid, h, label_col, units, period)
    coverage = _release_coverage(title, layout, grid)
    rel = Release(grid, period, layout.shape, units, simulated, coverage=coverage)
    rel.place, rel.place_source, place_note = _place(grid, h)
    names = [grid.file.name, grid.sheet, *grid.folders]
    vintage = _vintage(grid, layout, h, end)
    rel.version = Version(revision_level(names), vintage_key(vintage) if vintage else ())
    rel.notes = _reading_notes(grid, rel.grid_path, note, place_note)
    _keep_place(layout, rel, county)
    _place_table(rel, layout, end, title)
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
