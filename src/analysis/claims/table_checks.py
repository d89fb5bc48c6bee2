"""A figure recomputed from a processed table, real or simulated (:data:`TABLE_CHECKS`).

The same check on a user's real file gives reproduced or contradicted; on a stand-in's rows
only calibrated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.claims.evidence import Evidence
from analysis.claims.intervals import Interval
from analysis.errors import DataError
from analysis.ingest.bureau import INDUSTRY_MONTHLY
from analysis.schemas import read_table
from analysis.vocabulary import COUNTY_SCOPE, KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP


@dataclass(frozen=True)
class TableCheck:
    """Recompute a figure from a processed table (real or simulated).

    ``where`` filters rows (``{period}`` is replaced by the figure's period); exactly one row
    must remain. ``scale`` converts the table's unit to the figure's (万元 -> 亿元: 1e-4; a
    fraction -> %: 100). The row is simulated if the table says so (``simulated`` column) or
    its ``file_column`` names a file listed in a CALIBRATION.csv; then the figure is only
    ``calibrated``. The same check on a user's real file gives reproduced or contradicted.
    """

    indicator_zh: str
    table: str
    where: Mapping[str, str]
    value_column: str
    scale: float = 1.0
    file_column: str = "file"
    text: str = ""


# Wired to processed tables as they appear; see the README section "The claims register".
# "industry" is the bureau's monthly table (industry_monthly.csv, latest vintage, whole county)
# with a period label in the figures file's convention (see industry_view).
_TOTAL = {
    "scope": COUNTY_SCOPE,
    "group": TOTAL_GROUP,
    "indicator": OUTPUT_INDICATOR,
    "period": "{period}",
}
_KEY = {**_TOTAL, "group": KEY_GROUP}


def _level_and_growth(
    level_name: str, growth_name: str, where: Mapping[str, str], what: str
) -> tuple[TableCheck, TableCheck]:
    """A published level (万元 -> 亿元) and its growth (fraction -> %) from the same row."""
    return (
        TableCheck(
            level_name, "industry", where, "value_wan", 1e-4, text=f"{what} output (万元 -> 亿元)"
        ),
        TableCheck(growth_name, "industry", where, "growth", 100.0, text=f"{what} growth"),
    )


TABLE_CHECKS: tuple[TableCheck, ...] = (
    *_level_and_growth(
        re.escape("规模以上工业总产值"),
        re.escape("规模以上工业总产值同比增长"),
        {**_TOTAL, "span": "cumulative"},
        "cumulative",
    ),
    *_level_and_growth(
        re.escape("规模以上工业总产值(当月)"),
        re.escape("规模以上工业总产值(当月)同比增长"),
        {**_TOTAL, "span": "month"},
        "current-month",
    ),
    *_level_and_growth(
        r".+等企业累计产值",
        r".+等企业产值增速",
        {**_KEY, "span": "cumulative"},
        "key-enterprise group",
    ),
)


def industry_view(processed: Path) -> pd.DataFrame | None:
    """The bureau table's latest vintage with a ``period`` label as the figures file writes it
    (``2022-01..10`` for 1-10月, ``2022-10`` for the month); None if the table is absent."""
    if not (processed / "industry_monthly.csv").is_file():
        return None
    table = read_table(processed, "industry_monthly", INDUSTRY_MONTHLY)
    table = table[table["latest"].astype(bool)].copy()
    cumulative = table["span"] == "cumulative"
    year, month = table["year"].astype(int).astype(str), table["month"].astype(int)
    table["period"] = year + "-" + month.map("{:02d}".format)
    table.loc[cumulative, "period"] = (
        year[cumulative] + "-01.." + month[cumulative].map("{:02d}".format)
    )
    return table


def table_evidence(
    check: TableCheck, figure: pd.Series, table: pd.DataFrame, stand_ins: frozenset[str]
) -> Evidence:
    """One figure recomputed from one table row; the row's provenance sets the basis."""
    fid = figure["figure_id"]
    mask = pd.Series(True, index=table.index)
    for column, wanted in check.where.items():
        if column not in table.columns:
            raise DataError(f"table {check.table} has no column {column!r}", column=column)
        mask &= table[column].astype(str) == wanted.format(period=figure["period"])
    rows = table[mask]
    if len(rows) != 1:
        return Evidence(
            fid,
            "note",
            None,
            None,
            f"{check.table}: {len(rows)} rows match {dict(check.where)} for {figure['period']}",
        )
    row = rows.iloc[0]
    got = float(row[check.value_column]) * check.scale
    file = str(row.get(check.file_column, ""))
    simulated = bool(row.get("simulated", False)) or Path(file).name in stand_ins
    agrees = figure["interval"].meets(Interval.exact(round(got, 12)))
    text = (
        f"{check.text or check.value_column} from {check.table} ({file}) = {got:.6g}; stated "
        f"{figure['value_text']} stands for {figure['interval']}"
    )
    if simulated:
        text += "; the row is simulated: a stand-in proves nothing"
    return Evidence(fid, "simulated" if simulated else "real", agrees, got, text, file)
