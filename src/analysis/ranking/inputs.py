"""The processed tables notebook 03 stands on, read as files written by 01_ingest.

Never another notebook's variables: each table is read and re-validated by its schema, codes
stay text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import schemas
from analysis.ingest import evaluation_report as evalreport

INPUT_TABLES = {
    "evaluation_rounds": schemas.EVALUATION_ROUNDS,
    "evaluation_classes": schemas.EVALUATION_CLASSES,
    "county_codes": schemas.COUNTY_CODES,
    "county_covariates": schemas.COUNTY_COVARIATES,
    "work_report_figures": schemas.WORK_REPORT_FIGURES,
    "provenance": schemas.PROVENANCE,
}


def read_inputs(processed: Path) -> dict[str, pd.DataFrame]:
    """Read and re-validate the six tables this analysis stands on (codes stay text)."""
    return {
        name: schemas.read_table(processed, name, schema) for name, schema in INPUT_TABLES.items()
    }


WHATIF_INPUTS = {
    "evaluation_indicators": evalreport.EVALUATION_INDICATORS,
    "evaluation_scores": evalreport.EVALUATION_SCORES,
}


def read_evaluation_tables(processed: Path) -> dict[str, pd.DataFrame]:
    """The evaluation tables written by 01_ingest, re-validated (codes stay text)."""
    return {
        name: schemas.read_table(processed, name, schema) for name, schema in WHATIF_INPUTS.items()
    }
