"""The input format of the evaluation reports: its headers, the 合计 rows, and its writers.

Declared once here and used both ways: the reader maps a file's headers onto these names, and the
templates and the simulated stand-in are written from them, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis import io

FOLDER = "evaluation"
TOTAL_LEVEL1 = "合计"
TOTAL_ITEMS = {"score": "总得分", "class": "等级", "position": "全省位次"}
TOTAL_ALIASES = {"total": TOTAL_LEVEL1, "score": "总得分", "class": "等级", "position": "全省位次"}

# canonical column -> (Chinese header as in the template, English header)
HEADERS = {
    "round": ("轮次", "round"),
    "data_year": ("数据年份", "data_year"),
    "county_code": ("区划代码", "county_code"),
    "county": ("县(市、区)", "county"),
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "value": ("指标值", "value"),
    "unit": ("单位", "unit"),
    "points": ("得分", "points"),
    "max_points": ("满分", "max_points"),
}
OPTIONAL_HEADERS = {"note": ("备注", "note")}
TEMPLATE_HEADERS = [zh for zh, _ in (*HEADERS.values(), *OPTIONAL_HEADERS.values())]


# ---------------------------------------------------------------------------------------------
# writing the format (templates and the stand-in)


def to_input_format(long: pd.DataFrame) -> pd.DataFrame:
    """A long table with canonical English columns -> the input format with Chinese headers."""
    cols = {**HEADERS, **OPTIONAL_HEADERS}
    return long[[c for c in cols if c in long.columns]].rename(
        columns={c: zh for c, (zh, _) in cols.items()}
    )


NUMERIC_HEADERS = {"轮次", "数据年份", "指标值", "得分", "满分"}


def _cell(header: str, value: str | float | None) -> str | float | None:
    """Numbers in the numeric columns as numbers (whole ones as int); everything else as text,
    so codes keep their digits and class letters stay letters.

    A missing number (NaN) is an empty cell, as in the CSV; ``nan``/``inf`` written as text stay
    text (they are not numbers a spreadsheet can hold)."""
    if header not in NUMERIC_HEADERS or value is None or value == "":
        return value
    try:
        f = float(value)
    except ValueError:
        return value
    if not math.isfinite(f):
        return "" if isinstance(value, float) and math.isnan(value) else str(value)
    return int(f) if f == int(f) and "." not in str(value) else f


def write_xlsx(df: pd.DataFrame, target: Path) -> Path:
    """An xlsx with the table on its first sheet (``evaluation``); numbers as numbers, codes as
    text; byte-for-byte deterministic (:func:`analysis.io.write_xlsx`)."""
    rows: list[list[object]] = [list(df.columns)]
    rows += [[_cell(h, v) for h, v in zip(df.columns, row)] for row in df.itertuples(index=False)]
    return io.write_xlsx(target, rows, sheet="evaluation")


TEMPLATES = ("evaluation_report", "evaluation_full_table")


def template_table() -> pd.DataFrame:
    """A blank input table: the headers and the three 合计 rows that carry the total."""
    rows = [
        {h: "" for h in TEMPLATE_HEADERS}
        | {HEADERS["level1"][0]: TOTAL_LEVEL1, HEADERS["level2"][0]: item}
        for item in TOTAL_ITEMS.values()
    ]
    return pd.DataFrame(rows, columns=TEMPLATE_HEADERS)


def write_templates(folder: Path) -> list[Path]:
    """``evaluation_report`` and ``evaluation_full_table`` templates, CSV (UTF-8 BOM) and xlsx.

    Both have the same shape: the own report holds one unit, the full table every unit."""
    out = []
    for name in TEMPLATES:
        out.append(io.write_csv(template_table(), Path(folder) / f"{name}.csv"))
        out.append(write_xlsx(template_table(), Path(folder) / f"{name}.xlsx"))
    return out
