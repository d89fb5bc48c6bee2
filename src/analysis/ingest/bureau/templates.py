"""Blank release templates of both shapes (``data/internal/templates/bureau_*``).

They are the documented input format in a file an analyst can fill in: the header words, unit
row and blocks the reader understands (a test reads them back).
"""

from __future__ import annotations

from pathlib import Path

from analysis.io import write_csv_rows, write_xlsx_rows

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
    out = []
    for shape, rows in (("enterprise", TEMPLATE_ENTERPRISE), ("indicator", TEMPLATE_INDICATOR)):
        name = f"bureau_{shape}_template"
        out.append(write_xlsx_rows(folder / f"{name}.xlsx", rows, TEMPLATE_MERGES[shape]))
        out.append(write_csv_rows(folder / f"{name}.csv", rows, "utf-8-sig"))
    return out
