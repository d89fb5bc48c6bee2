"""The processed tables the summary reads, each through the one reader and its writer's schema.

Nothing is computed afresh in the summary: it reads what 01–04 wrote. Every table may be absent
(another county, a table not yet produced, e.g. the evaluation stand-in or ``ranking_whatif``):
a missing one is left out and its section says *not available*. Rows are referred to by their
CSV line (1-based as Excel/WPS shows them, header = line 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.schemas import read_table

# the tables the summary reads, in the order of its sections
INPUT_TABLES: tuple[str, ...] = (
    "industry_monthly",
    "contributions",
    "projection",
    "real_growth",
    "ranking_published_positions",
    "evaluation_scores",
    "evaluation_indicators",
    "ranking_whatif",
    "sti_indicators",
    "claims",
)


def input_schemas() -> dict[str, pa.DataFrameSchema]:
    """Each input table's contract, declared by the code that writes it.

    Imported when the tables are read, not with this module: the ranking package is heavy and
    the summary's formatting is used without it.
    """
    from analysis import ranking, schemas
    from analysis.ingest import bureau, evaluation_report
    from analysis.ranking.whatif.table import RANKING_WHATIF

    return {
        "industry_monthly": bureau.INDUSTRY_MONTHLY,
        "contributions": schemas.CONTRIBUTIONS,
        "projection": schemas.PROJECTION,
        "real_growth": schemas.REAL_GROWTH,
        "ranking_published_positions": ranking.PUBLISHED_POSITIONS,
        "evaluation_scores": evaluation_report.EVALUATION_SCORES,
        "evaluation_indicators": evaluation_report.EVALUATION_INDICATORS,
        "ranking_whatif": RANKING_WHATIF,
        "sti_indicators": schemas.STI_INDICATORS,
        "claims": schemas.CLAIMS,
    }


def load_inputs(processed: Path) -> dict[str, pd.DataFrame]:
    """Every table of :data:`INPUT_TABLES` that exists in ``processed`` (absent ones are left
    out), typed and re-validated by its writer's schema (:func:`analysis.schemas.read_table`)."""
    present = [name for name in INPUT_TABLES if (Path(processed) / f"{name}.csv").is_file()]
    if not present:
        return {}
    contracts = input_schemas()
    return {name: read_table(processed, name, contracts[name]) for name in present}


def csv_line(index: int) -> int:
    """The 1-based line of a row in its CSV (header = line 1), from its position when read."""
    return int(index) + 2


def rows_ref(indices: Iterable[int]) -> str:
    """'12;14': the CSV lines of the rows a number comes from."""
    return ";".join(str(csv_line(i)) for i in indices)


def table_simulated(df: pd.DataFrame | None, rows: Iterable[int] | None = None) -> bool:
    """Whether the (given rows of a) table come from a simulated stand-in."""
    if df is None or "simulated" not in df.columns or df.empty:
        return False
    col = df["simulated"] if rows is None else df.loc[list(rows), "simulated"]
    return bool(col.astype(str).str.lower().eq("true").any())
