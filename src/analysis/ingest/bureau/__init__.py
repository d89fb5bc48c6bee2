"""Readers for the statistics bureau's monthly tables of above-scale industry, as delivered.

The county bureau sends one release a month (not public). Users drop the files into
``<internal_data_dir>/bureau/`` (run parameter ``internal_data_dir``, default
``data/internal/simulated``); :func:`ingest` reads every ``.xlsx``/``.csv`` there (files whose name
starts with ``CALIBRATION``, ``README``, ``.`` or ``~$`` are skipped) into one tidy table in 万元
and runs the checks of :mod:`analysis.ingest.bureau.checks`.

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

Modules: :mod:`.files` (finding and reading files into text grids), :mod:`.numbers` (numbers,
periods, units), :mod:`.grid` (header, columns and body of one sheet), :mod:`.table` (the tidy
table and its schema), :mod:`.checks` (the analyst's checks), :mod:`.templates` (blank templates).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import schemas
from analysis.errors import DataError
from analysis.ingest.bureau import checks
from analysis.ingest.bureau.files import (
    SUBFOLDER,
    Grid,
    bureau_folder,
    decode,
    read_grids,
    refused_files,
    release_files,
)
from analysis.ingest.bureau.grid import Release, parse_grid
from analysis.ingest.bureau.numbers import parse_number
from analysis.ingest.bureau.table import (
    INDUSTRY_CHECKS,
    INDUSTRY_MONTHLY,
    KEY,
    release_summary,
    tidy,
    write_tables,
)
from analysis.ingest.bureau.templates import write_templates

__all__ = [
    "INDUSTRY_CHECKS",
    "INDUSTRY_MONTHLY",
    "KEY",
    "Grid",
    "Release",
    "bureau_folder",
    "decode",
    "ingest",
    "parse_grid",
    "parse_number",
    "read_folder",
    "read_grids",
    "release_files",
    "release_summary",
    "tidy",
    "write_tables",
    "write_templates",
]


def read_folder(folder: Path) -> list[Release]:
    """Parse every release file in ``folder`` (DataError on the first unreadable one)."""
    for path in refused_files(folder):
        raise DataError(
            f"{path.suffix} files are not read: open it in Excel/WPS and save it as .xlsx",
            file=path,
        )
    return [parse_grid(g) for path in release_files(folder) for g in read_grids(path)]


def ingest(
    internal_dir: Path, simulated: bool = False, *, raise_on_error: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``<internal_dir>/bureau/`` into (tidy table, findings of the checks).

    Files marked 模拟数据 (title or name) are flagged simulated whatever ``simulated`` says.
    With ``raise_on_error`` a finding of severity *error* raises :class:`DataError` naming the
    file, row and column, so nothing is written; warnings are returned for the quality report.
    """
    folder = bureau_folder(internal_dir)
    table = tidy(read_folder(folder), simulated)
    findings = checks.run_checks(table)
    if not len(table):
        findings = checks.findings_frame(
            [checks.Finding("no_files", "warning", f"{SUBFOLDER}/", None, "", "no release files")]
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
