"""The provincial evaluation as a county receives it: its own report, and sometimes the full table.

Input format (README, "Evaluation reports: input format"; blank templates in
``data/internal/templates/evaluation_*``): one long table per file, CSV (UTF-8, BOM or not) or
xlsx (first sheet), header in row 1, one row per indicator of one unit in one round::

    轮次 | 数据年份 | 区划代码 | 县(市、区) | 一级指标 | 二级指标 | 指标值 | 单位 | 得分 | 满分
    | 备注 (optional)

(English headers round, data_year, county_code, county, level1, level2, value, unit, points,
max_points, note are accepted too.) Three rows per unit under 一级指标 ``合计`` carry the total:
二级指标 ``总得分`` (value = points = the score, 满分 100), ``等级`` (value A/B/C) and ``全省位次``
(value = the position in the province). A county's own report holds one unit; the full table
holds every unit of the round in the same shape. Every ``*.csv``/``*.xlsx`` in
``<internal_data_dir>/evaluation/`` is read, except metadata files whose name is in capitals
(``ANCHORS.csv``, ``CALIBRATION.csv``); a unit reported in several files (the own report and the
full table, or CSV and xlsx of the same report) must agree cell for cell.

Level-2 names are taken as printed: names that are not among the five the province published
are accepted and flagged (``indicator_named_in_sources`` False). Every check below raises a
:class:`~analysis.errors.DataError` naming the file, row and column; nothing is written unless

Modules: :mod:`.input_format` (headers, templates, the xlsx writer), :mod:`.reading` (files ->
rows), :mod:`.checks` (methods.md §4.6), :mod:`.tables` (the tidy tables and their schemas).
"""

from __future__ import annotations

from analysis.ingest.evaluation_report.checks import CHECKS, Check, check_published_counts
from analysis.ingest.evaluation_report.input_format import (
    FOLDER,
    HEADERS,
    OPTIONAL_HEADERS,
    TEMPLATE_HEADERS,
    TEMPLATES,
    TOTAL_ITEMS,
    TOTAL_LEVEL1,
    template_table,
    to_input_format,
    write_templates,
    write_xlsx,
)
from analysis.ingest.evaluation_report.reading import (
    is_simulated,
    published_indicator_names,
    read_folder,
    read_report,
    report_files,
)
from analysis.ingest.evaluation_report.tables import (
    CHECK_COLUMNS,
    EVALUATION_CHECKS,
    EVALUATION_INDICATORS,
    EVALUATION_SCORES,
    INDICATOR_COLUMNS,
    SCHEMAS,
    SCORE_COLUMNS,
    ingest,
    tables_with_schemas,
)

__all__ = [
    "CHECKS",
    "CHECK_COLUMNS",
    "EVALUATION_CHECKS",
    "EVALUATION_INDICATORS",
    "EVALUATION_SCORES",
    "FOLDER",
    "HEADERS",
    "INDICATOR_COLUMNS",
    "OPTIONAL_HEADERS",
    "SCHEMAS",
    "SCORE_COLUMNS",
    "TEMPLATES",
    "TEMPLATE_HEADERS",
    "TOTAL_ITEMS",
    "TOTAL_LEVEL1",
    "Check",
    "check_published_counts",
    "ingest",
    "is_simulated",
    "published_indicator_names",
    "read_folder",
    "read_report",
    "report_files",
    "tables_with_schemas",
    "template_table",
    "to_input_format",
    "write_templates",
    "write_xlsx",
]
