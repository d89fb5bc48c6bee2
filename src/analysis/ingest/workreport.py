"""The figures a work report states (科技兴县改革工作汇报), one row each.

The review reuses them and the pipeline must reproduce or explain each one (the claims
register). Next year's report comes as a file in the same format.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, refuse_repeats

FIGURES_FILE = Path("published") / "work_report_2022_figures.csv"
COLUMNS = [
    "figure_id",
    "section",
    "indicator_zh",
    "indicator_en",
    "period",
    "value",
    "unit",
    "kind",
    "qualifier",
    "note",
]
KINDS = {"level", "growth", "count", "rank", "ratio", "money", "share"}
ID_PATTERN = re.compile(r"^F\d{2,3}$")


def read_work_report_figures(path: Path) -> pd.DataFrame:
    """Read and check a figures file: unique ids, numeric values, a unit and a known kind."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", file=path, row=1)
    for i, row in df.iterrows():
        excel_row = int(i) + 2
        if not ID_PATTERN.match(row["figure_id"]):
            raise DataError(
                f"figure_id {row['figure_id']!r} is not like F01",
                file=path,
                row=excel_row,
                column="figure_id",
            )
        if row["kind"] not in KINDS:
            raise DataError(
                f"kind {row['kind']!r} not in {sorted(KINDS)}",
                file=path,
                row=excel_row,
                column="kind",
            )
        try:
            float(row["value"])
        except ValueError:
            raise DataError(
                f"value {row['value']!r} is not a number", file=path, row=excel_row, column="value"
            ) from None
        if not row["unit"]:
            raise DataError("unit is empty", file=path, row=excel_row, column="unit")
    refuse_repeats(df["figure_id"], "figure_id {} repeated", file=path, column="figure_id")
    out = df[COLUMNS].copy()
    out["value"] = out["value"].astype(float)
    return out
