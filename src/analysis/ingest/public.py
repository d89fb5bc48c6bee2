"""The public half of the ingest: real, published files in ``data/raw`` -> validated tidy tables
in ``data/processed``. (The bureau's monthly tables and the county's own evaluation report are
read by their own readers; see the README.)

All tables are built and validated before any is written, so a bad input stops the ingest with
the file, row and column named and leaves ``data/processed`` exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.ingest import admin, census, evaluation_published, sources, workreport


def build_public_tables(raw: Path) -> dict[str, tuple[pd.DataFrame, pa.DataFrameSchema]]:
    """Every processed table that stands on public data, each with its schema."""
    provenance = sources.check_provenance(raw)
    codes = admin.code_table(raw)
    rounds = evaluation_published.evaluation_rounds(raw)
    classes = evaluation_published.evaluation_classes(raw, codes)
    covariates = census.covariates(raw)
    figures = workreport.read_work_report_figures(raw / workreport.FIGURES_FILE)
    return {
        "provenance": (provenance, schemas.PROVENANCE),
        "county_codes": (codes, schemas.COUNTY_CODES),
        "evaluation_rounds": (rounds, schemas.EVALUATION_ROUNDS),
        "evaluation_classes": (classes, schemas.EVALUATION_CLASSES),
        "county_covariates": (covariates, schemas.COUNTY_COVARIATES),
        "work_report_figures": (figures, schemas.WORK_REPORT_FIGURES),
    }


def write_public_tables(raw: Path, processed: Path) -> dict[str, pd.DataFrame]:
    """Build, validate and write the public tables; return them for display."""
    tables = build_public_tables(raw)
    schemas.write_tables(tables, processed)
    return {name: df for name, (df, _) in tables.items()}
