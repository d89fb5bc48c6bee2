"""The register: every rule run on every figure it applies to, one status per figure."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.claims.calibration import (
    calibration_evidence,
    read_calibrations,
    simulated_files,
)
from analysis.claims.evaluation import EVALUATION_CHECKS
from analysis.claims.evidence import STATUSES, Context, Evidence, decide_status
from analysis.claims.relations import RELATIONS, Relation, relation_evidence
from analysis.claims.stated import read_figures
from analysis.claims.table_checks import TABLE_CHECKS, TableCheck, industry_view, table_evidence
from analysis.errors import DataError
from analysis.schemas import (
    COUNTY_COVARIATES,
    EVALUATION_CLASSES,
    EVALUATION_ROUNDS,
    read_table,
)

REGISTER_COLUMNS = [
    "figure_id",
    "indicator_zh",
    "stated_value",
    "unit",
    "status",
    "recomputed_value",
    "computation",
    "sources",
    "simulated",
]


def _matches(pattern: str, name: str) -> bool:
    return re.fullmatch(pattern, name) is not None


def collect_evidence(
    ctx: Context,
    calibrations: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame] | None = None,
    relations: Sequence[Relation] = RELATIONS,
    evaluation_checks: Mapping[str, Callable[[pd.Series, Context], Evidence]] = EVALUATION_CHECKS,
    table_checks: Sequence[TableCheck] = TABLE_CHECKS,
) -> list[Evidence]:
    """Run every rule on every figure it applies to."""
    tables = tables or {}
    stand_ins = simulated_files(calibrations)
    out: list[Evidence] = []
    for _, figure in ctx.figures.iterrows():
        name = figure["indicator_zh"]
        out += [relation_evidence(r, figure, ctx) for r in relations if _matches(r.target, name)]
        out += [chk(figure, ctx) for pat, chk in evaluation_checks.items() if _matches(pat, name)]
        for check in table_checks:
            if _matches(check.indicator_zh, name) and check.table in tables:
                out.append(table_evidence(check, figure, tables[check.table], stand_ins))
        out += calibration_evidence(figure, calibrations)
    return out


def claims_register(
    figures: pd.DataFrame, evidence: Sequence[Evidence], figures_source: str
) -> pd.DataFrame:
    """One row per figure: its status, the recomputed value behind it and how it was obtained.

    ``recomputed_value`` comes from the evidence that set the status; ``computation`` lists
    every piece of evidence, the deciding one first; ``simulated`` says a stand-in was used.
    """
    rows = []
    for _, figure in figures.iterrows():
        mine = [e for e in evidence if e.figure_id == figure["figure_id"]]
        status = decide_status(mine)
        deciding = [e for e in mine if e.status == status]
        ordered = deciding + [e for e in mine if e not in deciding]
        computation = " | ".join(e.computation for e in ordered)
        if status == "stated_only":
            computation = "no data to check it against" + (f" | {computation}" if mine else "")
        recomputed = next((e.recomputed for e in deciding if e.recomputed is not None), np.nan)
        sources = [figures_source, *(e.sources for e in ordered if e.sources)]
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "indicator_zh": figure["indicator_zh"],
                "stated_value": float(figure["value"]),
                "unit": figure["unit"],
                "status": status,
                "recomputed_value": recomputed,
                "computation": computation,
                "sources": " ; ".join(dict.fromkeys(sources)),
                "simulated": status == "calibrated",
            }
        )
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def status_counts(register: pd.DataFrame) -> pd.DataFrame:
    """Figures per status, every status listed (zeros included), in :data:`STATUSES` order."""
    counts = register["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return counts.rename_axis("status").reset_index(name="figures")


def not_reproduced(register: pd.DataFrame) -> pd.DataFrame:
    """Every figure not reproduced from real data, with the reason (its computation)."""
    rest = register[register["status"] != "reproduced"]
    return rest[["figure_id", "indicator_zh", "stated_value", "unit", "status", "computation"]]


def empty_register() -> pd.DataFrame:
    """A register with no rows and typed columns (a county no report is about)."""
    numeric = {"stated_value": float, "recomputed_value": float, "simulated": bool}
    return pd.DataFrame({c: pd.Series(dtype=numeric.get(c, "string")) for c in REGISTER_COLUMNS})


def build_claims(
    figures_path: Path,
    processed: Path,
    internal_dir: Path,
    county_code: str,
    city: str,
    about_county: bool,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, list[Evidence]]:
    """The register of one figures file for the county it is about (empty for any other).

    Reads the figures as printed (``figures_path``: the published digits set the tolerance),
    the census covariates and evaluation tables from ``processed`` (written by 01_ingest) and
    every CALIBRATION.csv under ``internal_dir`` (none: no stand-ins).
    """
    if not about_county:
        return empty_register(), []
    figures = read_figures(figures_path)
    covariates = read_table(processed, "county_covariates", COUNTY_COVARIATES)
    row = covariates[covariates["code"] == county_code]
    if row.empty:
        raise DataError(f"no row for county code {county_code}",
                        file=processed / "county_covariates.csv", column="code")  # fmt: skip
    ctx = Context(
        figures=figures,
        county_code=county_code,
        city=city,
        census=row.iloc[0].to_dict(),
        classes=read_table(processed, "evaluation_classes", EVALUATION_CLASSES),
        rounds=read_table(processed, "evaluation_rounds", EVALUATION_ROUNDS),
        figures_source=figures_path.name,
    )
    if tables is None:
        industry = industry_view(processed)
        tables = {} if industry is None else {"industry": industry}
    evidence = collect_evidence(ctx, read_calibrations(internal_dir), tables)
    return claims_register(figures, evidence, figures_path.name), evidence
