"""The review's reusable result tables as one workbook (``reports/annual_review_tables.xlsx``).

One sheet per table a reader would reuse (headline numbers, contributions, projection,
evaluation positions, claims register) and a sources sheet. Each data sheet has a visible note
in row 1 (red when a row rests on a simulated stand-in), headers with units in row 2 (in the
run's language, from the one translation table), data from row 3, and a 模拟数据 column (是/否;
a table read only from published sources has no simulated rows, so all 否).

Numbers are numbers, with display formats, and are the processed tables' values, unrounded:
amounts in 万元 are stored in 亿元 (value ÷ 10 000, format ``0.00``); growth rates, shares and
probabilities are stored as fractions with the percent format ``0.0%`` (Excel shows 20.7%, the
cell holds 0.207, as in the CSV, so a formula on it needs no ÷100); percentage points ``0.0``.
The headline sheet mixes units, so it has a unit column and a format per row, with the
decimals of the display text where that is a plain number (28.96% → ``0.00%``).

openpyxl is used directly (the project's :func:`analysis.io.write_xlsx` writes one sheet); the
file is made byte-stable the same way (:mod:`analysis.office.zipfix`, times from the vintage).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.figures.labels import t
from analysis.office.numbering import display_decimals
from analysis.office.sources import OfficeInputs, Run
from analysis.office.zipfix import save_fixed

YI = 1e4  # 万元 per 亿元
FORMATS = {"yi": "0.00", "pct": "0.0%", "pp": "0.0", "pp2": "0.00", "int": "0", "num": "General"}
# headline unit -> (how the value is stored, label of the unit shown)
HEADLINE_UNITS = {
    "万元": ("yi", "unit_yi_yuan"),
    "fraction": ("pct", "unit_percent"),
    "probability": ("pct", "unit_percent"),
    "pp": ("pp", "unit_pp"),
    "position": ("int", "office_unit_place"),
    "points": ("pp2", "office_unit_points"),
    "件": ("pp2", "unit_items"),
    "家": ("int", "unit_enterprises"),
    "ratio": ("num", "office_unit_ratio"),
}
RED = "C00000"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass(frozen=True)
class Col:
    """One column of a sheet: the processed table's column, its header label, how to store it
    (a key of FORMATS, ``text``, ``bool``, or ``label`` with a translation function)."""

    source: str
    header: str
    kind: str = "text"
    translate: Callable[[str, str], str] | None = None


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def cell_value(v: Any, kind: str, lang: str, translate=None) -> object:
    """The value a cell holds for ``kind`` (None for a missing value)."""
    if kind == "bool":
        return t("office_yes" if bool(v) else "office_no", lang)
    if _missing(v):
        return None
    if kind == "yi":
        return float(v) / YI
    if kind == "int":
        return int(v)
    if kind in FORMATS:
        return float(v)
    if translate is not None:
        return translate(str(v), lang)
    return str(v)


def _label(prefix: str) -> Callable[[str, str], str]:
    """Translate a code through the labels ``prefix + code``, keeping unknown codes as they are."""

    def tr(code: str, lang: str) -> str:
        try:
            return t(prefix + code, lang)
        except KeyError:
            return code

    return tr


def _group(code: str, lang: str) -> str:
    return t("office_total", lang) if code == "total" else code


def _role(code: str, lang: str) -> str:
    return t("county" if code == "county" else "office_role_city_peer", lang)


SHEETS: dict[str, tuple[str, list[Col]]] = {
    "contributions": (
        "office_sheet_contributions",
        [
            Col("period", "period"),
            Col("span", "office_col_span", "label", _label("office_span_")),
            Col("group", "office_col_group", "label", _group),
            Col("level_wan", "office_col_level_yi", "yi"),
            Col("base_wan", "office_col_base_yi", "yi"),
            Col("growth", "office_col_growth", "pct"),
            Col("pull_pp", "pull_pp", "pp"),
            Col("pull_lo_pp", "office_col_pull_lo", "pp2"),
            Col("pull_hi_pp", "office_col_pull_hi", "pp2"),
            Col("contribution_share", "contribution_rate", "pct"),
        ],
    ),
    "projection": (
        "office_sheet_projection",
        [
            Col("year", "year", "int"),
            Col("through_month", "office_col_through", "int"),
            Col("method", "office_col_method", "label", _label("method_")),
            Col("point_wan", "office_col_point_yi", "yi"),
            Col("lo80_wan", "office_col_lo80_yi", "yi"),
            Col("hi80_wan", "office_col_hi80_yi", "yi"),
            Col("lo95_wan", "office_col_lo95_yi", "yi"),
            Col("hi95_wan", "office_col_hi95_yi", "yi"),
            Col("base_fy_wan", "office_col_base_fy_yi", "yi"),
            Col("growth_point", "office_col_growth_point", "pct"),
            Col("growth_lo80", "office_col_growth_lo80", "pct"),
            Col("growth_hi80", "office_col_growth_hi80", "pct"),
            Col("growth_lo95", "office_col_growth_lo95", "pct"),
            Col("growth_hi95", "office_col_growth_hi95", "pct"),
            Col("target_growth", "office_col_target", "pct"),
            Col("p_reach_target", "headline_p_target", "pct"),
            Col("headline", "office_col_chosen", "bool"),
        ],
    ),
    "ranking_published_positions": (
        "office_sheet_positions",
        [
            Col("role", "office_col_role", "label", _role),
            Col("round", "round", "int"),
            Col("data_year", "data_year", "int"),
            Col("county_code", "office_col_code"),
            Col("county", "office_col_unit_name"),
            Col("city", "office_col_city"),
            Col("class", "class"),
            Col("position", "office_col_position", "int"),
            Col("n_in_class", "office_col_n_in_class", "int"),
            Col("city_position", "office_col_city_position", "int"),
            Col("attribution", "office_col_attribution", "label", _label("")),
            Col("basis", "office_col_basis"),
            Col("source", "source"),
        ],
    ),
    "claims": (
        "office_sheet_claims",
        [
            Col("figure_id", "office_col_claim_id"),
            Col("indicator_zh", "office_col_claim_item"),
            Col("stated_value", "office_col_stated", "num"),
            Col("unit", "office_col_unit"),
            Col("status", "office_col_status", "label", _label("status_")),
            Col("recomputed_value", "office_col_recomputed", "num"),
            Col("computation", "office_col_computation"),
            Col("sources", "source"),
        ],
    ),
}
WIDE = {"basis", "source", "sources", "computation", "display", "note", "label", "indicator_zh"}


def _note(ws: Worksheet, simulated: bool, ncols: int, lang: str) -> None:
    key = "office_sheet_note_simulated" if simulated else "office_sheet_note_real"
    ws.cell(row=1, column=1, value=t(key, lang)).font = Font(bold=True, color=RED if simulated
                                                             else "000000")  # fmt: skip
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncols, 1))
    ws.row_dimensions[1].height = 30
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="center")


def _header(ws: Worksheet, headers: list[str], wide: list[bool]) -> None:
    for j, text in enumerate(headers, start=1):
        c = ws.cell(row=2, column=j, value=text)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.freeze_panes = "A3"


def _text_width(value: object) -> int:
    """Columns a text needs: a CJK character takes two, other characters one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def _fit(ws: Worksheet, wide: list[bool]) -> None:
    """Column widths from the header and the cells (long texts are cut at 40 and not wrapped:
    neither Excel nor LibreOffice grows a row for wrapped text it did not write), and a print
    set-up that puts every column on one landscape page width."""
    for j, is_wide in enumerate(wide, start=1):
        cells = next(ws.iter_cols(min_col=j, max_col=j, min_row=2, values_only=True))
        need = max((_text_width(f"{v:.2f}%" if isinstance(v, float) else v)
                    for v in cells if v is not None), default=8)  # fmt: skip
        ws.column_dimensions[get_column_letter(j)].width = min(
            max(need, 8) + 3, 40 if is_wide else 30
        )
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _put(ws: Worksheet, r: int, c: int, value: object, kind: str, decimals: int | None = None):
    """A cell with the format of its kind; ``decimals`` (the published ones) override it."""
    cell = ws.cell(row=r, column=c, value=value)
    if kind in FORMATS and value is not None:
        cell.number_format = FORMATS[kind]
        if decimals is not None and kind in {"yi", "pct", "pp", "pp2", "num"}:
            fmt = "0" + ("." + "0" * decimals if decimals else "")
            cell.number_format = fmt + ("%" if kind == "pct" else "")


def table_sheet(wb: Workbook, df: pd.DataFrame, title: str, cols: list[Col], lang: str) -> None:
    """A sheet of ``df``'s columns ``cols`` plus the simulated flag."""
    ws = wb.create_sheet(title)
    sim = df["simulated"] if "simulated" in df.columns else pd.Series(False, index=df.index)
    headers = [t(c.header, lang) for c in cols] + [t("office_col_simulated", lang)]
    _note(ws, bool(sim.any()), len(headers), lang)
    _header(ws, headers, [c.source in WIDE for c in cols] + [False])
    for i, (idx, row) in enumerate(df.iterrows(), start=3):
        for j, c in enumerate(cols, start=1):
            _put(ws, i, j, cell_value(row[c.source], c.kind, lang, c.translate), c.kind)
        ws.cell(row=i, column=len(cols) + 1, value=cell_value(sim[idx], "bool", lang))
    _fit(ws, [c.source in WIDE for c in cols] + [False])


def headline_sheet(wb: Workbook, df: pd.DataFrame, lang: str) -> None:
    """The headline numbers: value in the unit shown, with a format per row."""
    ws = wb.active
    ws.title = t("office_section_headlines", lang)
    keys = ["office_col_item", "office_col_value", "office_col_unit", "office_col_display",
            "office_col_source", "office_col_source_row", "office_col_simulated",
            "office_col_note"]  # fmt: skip
    _note(ws, bool(df["simulated"].any()), len(keys), lang)
    wide = [k in {"office_col_display", "office_col_note"} for k in keys]
    _header(ws, [t(k, lang) for k in keys], wide)
    for i, (_, h) in enumerate(df.iterrows(), start=3):
        kind, unit_key = HEADLINE_UNITS.get(str(h["unit"]), ("num", ""))
        unit = t(unit_key, lang) if unit_key else str(h["unit"])
        ws.cell(row=i, column=1, value=str(h["label"]))
        decimals = display_decimals(h["display"])  # as published: 28.96% → 0.00%
        _put(ws, i, 2, cell_value(h["value"], kind, lang), kind, decimals)
        for j, v in enumerate((unit, h["display"], h["source_table"], h["source_row"]), start=3):
            ws.cell(row=i, column=j, value=None if _missing(v) else str(v))
        ws.cell(row=i, column=7, value=cell_value(h["simulated"], "bool", lang))
        ws.cell(row=i, column=8, value=None if _missing(h["note"]) else str(h["note"]))
    _fit(ws, wide)


def sources_sheet(wb: Workbook, inp: OfficeInputs, sheets: dict[str, str], lang: str) -> None:
    """Which processed table each sheet shows, then the provenance of the raw files."""
    ws = wb.create_sheet(t("office_sheet_sources", lang))
    keys = ["office_col_sheet", "office_col_table"]
    ws.append([t(k, lang) for k in keys])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
    for name, title in sheets.items():
        ws.append([title, inp.files.get(name, f"data/processed/{name}.csv")])
    for name in SHEETS:
        if name not in inp.tables:
            ws.append([t("office_sources_missing", lang), f"data/processed/{name}.csv"])
    ws.append([t("office_sub_figures", lang), inp.files["captions"]])
    prov = inp.table("provenance")
    if prov is not None:
        ws.append([])
        cols = ["file", "source_url", "publisher", "licence", "collected", "notes"]
        heads = ["office_col_file", "office_col_url", "office_col_publisher",
                 "office_col_licence", "office_col_collected", "office_col_note"]  # fmt: skip
        ws.append([t(k, lang) for k in heads])
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
            c.fill = HEADER_FILL
        for _, r in prov.iterrows():
            ws.append([None if _missing(r[c]) else str(r[c]) for c in cols])
    for letter, width in zip("ABCDEF", (34, 40, 40, 24, 12, 60)):
        ws.column_dimensions[letter].width = width


def build_workbook(inp: OfficeInputs, run: Run) -> Workbook:
    lang = run.lang
    wb = Workbook()
    headline_sheet(wb, inp.headlines, lang)
    shown = {"review_headlines": wb.active.title}
    for name, (title_key, cols) in SHEETS.items():
        df = inp.table(name)
        if df is not None:
            table_sheet(wb, df, t(title_key, lang), cols, lang)
            shown[name] = t(title_key, lang)
    sources_sheet(wb, inp, shown, lang)
    wb.properties.creator = wb.properties.lastModifiedBy = "analysis"
    wb.properties.title = t("office_title", lang).format(county=run.county, year=run.year)
    wb.properties.created = wb.properties.modified = run.vintage_date
    return wb


def write_xlsx_tables(inp: OfficeInputs, run: Run, target: Path) -> Path:
    """Write the workbook to ``target`` atomically, byte-stable."""
    return save_fixed(build_workbook(inp, run).save, target, run.vintage_date)
