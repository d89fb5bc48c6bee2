"""The input format of the evaluation reports: its headers, the 合计 rows, and its writers.

Declared once here and used both ways: the reader maps a file's headers onto these names, and the
templates and the simulated stand-in are written from them, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis.io import atomic_path, write_csv

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


def write_xlsx(df: pd.DataFrame, target: Path) -> Path:
    """An xlsx with the table on its first sheet; numbers as numbers, codes as text.

    Byte-for-byte deterministic: fixed document dates and fixed zip entry times.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "evaluation"
    ws.append(list(df.columns))
    numeric = {"轮次", "数据年份", "指标值", "得分", "满分"}
    for row in df.itertuples(index=False):
        cells = []
        for header, v in zip(df.columns, row):
            if header in numeric and v not in ("", None):
                try:
                    f = float(v)
                    v = int(f) if f == int(f) and "." not in str(v) else f
                except ValueError:
                    pass  # class letters stay text
            cells.append(v)
        ws.append(cells)
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    with atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())
    return target


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
        out.append(write_csv(template_table(), Path(folder) / f"{name}.csv"))
        out.append(write_xlsx(template_table(), Path(folder) / f"{name}.xlsx"))
    return out
