"""Contracts of the processed tables: one pandera schema each, checked before every write.

A table that breaks its contract is never written; the error names the table, the row and the
column, so the analyst can trace it back to the raw file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError
from analysis.io import read_csv, write_csv

CODE = pa.Check.str_matches(r"^\d{6}$")
FRACTION = pa.Check.in_range(0.0, 1.0)
STATUS = pa.Check.isin(["published", "derived", "not_published"])


def _count(nullable: bool = True) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=nullable)


EVALUATION_ROUNDS = pa.DataFrameSchema(
    {
        "round": pa.Column(int, pa.Check.in_range(2018, 2100), unique=True),
        "data_year": pa.Column(int),
        "data_year_note": pa.Column(str),
        "n_units": _count(),
        "n_A": _count(),
        "n_B": _count(),
        "n_C": _count(),
        "mean_score": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        **{
            f"{q}_status": pa.Column(str, STATUS)
            for q in ("n_units", "n_A", "n_B", "n_C", "mean_score")
        },
        "published": pa.Column(bool),
        "derivation": pa.Column(str),
        "sources": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: (
                (d[["n_A", "n_B", "n_C"]].sum(axis=1, min_count=3).isna())
                | (d[["n_A", "n_B", "n_C"]].sum(axis=1) == d["n_units"])
            ),
            error="A + B + C must equal the number of units",
        ),
    ],
    strict=True,
    ordered=True,
)

EVALUATION_CLASSES = pa.DataFrameSchema(
    {
        "round": pa.Column(int),
        "data_year": pa.Column(int),
        "county_code": pa.Column(str, CODE),
        "county": pa.Column(str),
        "city": pa.Column(str),
        "name_as_published": pa.Column(str),
        "class": pa.Column(str, pa.Check.isin(["A", "B", "C"])),
        "position": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "position_basis": pa.Column(str),
        "inferred": pa.Column(bool),
        "source_url": pa.Column(str),
        "note": pa.Column(str),
    },
    unique=["round", "county_code"],
    strict=True,
    ordered=True,
)

WORK_REPORT_FIGURES = pa.DataFrameSchema(
    {
        "figure_id": pa.Column(str, pa.Check.str_matches(r"^F\d{2,3}$"), unique=True),
        "section": pa.Column(str),
        "indicator_zh": pa.Column(str),
        "indicator_en": pa.Column(str),
        "period": pa.Column(str),
        "value": pa.Column(float),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kind": pa.Column(str),
        "qualifier": pa.Column(str),
        "note": pa.Column(str),
    },
    strict=True,
    ordered=True,
)

COUNTY_COVARIATES = pa.DataFrameSchema(
    {
        "code": pa.Column(str, CODE, unique=True),
        "name": pa.Column(str),
        "city": pa.Column(str),
        "population_2020": pa.Column(float, pa.Check.gt(0)),
        "population_2010": pa.Column(float, pa.Check.gt(0), nullable=True),
        "urban_share_2020": pa.Column(float, FRACTION),
        "tertiary_share_2020": pa.Column(float, FRACTION),
        "industry_share_2020": pa.Column(float, FRACTION),
    },
    strict=False,  # further covariates may be added; these are the contract
)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, name: str) -> pd.DataFrame:
    """Validate ``df``; turn pandera's report into a DataError naming row and column."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        column = first.get("column")
        index = first.get("index")
        row = int(index) + 2 if pd.notna(index) else None  # +2: header line, 1-based
        raise DataError(
            f"table {name} breaks its contract ({len(cases)} problem(s)); first: "
            f"{first.get('check')} failed with {first.get('failure_case')!r}",
            file=f"data/processed/{name}.csv",
            row=row,
            column=None if pd.isna(column) else str(column),
        ) from exc


# Columns that hold codes: read as text wherever they appear, so leading zeros survive.
TEXT_COLUMNS = frozenset({"county_code", "code", "current_codes", "city_code", "codes_2010"})


def read_table(folder: Path, name: str, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """The one reader of a processed table: ``folder/<name>.csv`` typed and re-validated by its
    schema, so every notebook sees the contract the writer checked (codes stay text)."""
    path = Path(folder) / f"{name}.csv"
    if not path.is_file():
        raise DataError("not found: run the notebook that writes it first", file=path)
    df = read_csv(path, dtype=str, keep_default_na=False)
    return validate(typed(df, schema), schema, name)


def typed(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Types as the schema declares them, from a table read as text.

    Columns outside the schema (covariates beyond the contract) become numbers where every
    non-empty value is one, else stay text.
    """
    df = df.copy()
    for column in df.columns:
        text = df[column]
        blank = text.mask(text == "")
        col = schema.columns.get(column)
        dtype = str(col.dtype) if col is not None else ""
        if dtype == "Int64":
            df[column] = pd.to_numeric(blank).astype("Int64")
        elif dtype.startswith("int"):
            df[column] = pd.to_numeric(text).astype(int)
        elif dtype.startswith("float"):
            df[column] = pd.to_numeric(blank).astype(float)
        elif dtype == "bool" or (not dtype and text.isin(["True", "False"]).all()):
            df[column] = text == "True"
        elif not dtype and column not in TEXT_COLUMNS:
            numbers = pd.to_numeric(blank, errors="coerce")
            if (numbers.notna() == blank.notna()).all():
                df[column] = numbers.astype(float)
    return df


def dtypes(schema: pa.DataFrameSchema) -> dict[str, str]:
    """Each column's dtype as the schema declares it (for tables built from Python values)."""
    return {name: str(col.dtype) for name, col in schema.columns.items()}


def empty_table(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A table with the schema's columns and no rows (a part that does not apply to this run:
    no release for the county, too short a history, no evaluation report)."""
    return pd.DataFrame({name: pd.Series(dtype=d) for name, d in dtypes(schema).items()})


def write_table(df: pd.DataFrame, schema: pa.DataFrameSchema, folder: Path, name: str) -> Path:
    """Validate, then write ``folder/<name>.csv`` atomically (never a half-written table)."""
    checked = validate(df, schema, name)
    return write_csv(checked, folder / f"{name}.csv")


def write_tables(
    tables: dict[str, tuple[pd.DataFrame, pa.DataFrameSchema]], folder: Path
) -> list[Path]:
    """Validate every table first, then write them all: a failure leaves the folder as it was."""
    checked = {name: validate(df, schema, name) for name, (df, schema) in tables.items()}
    return [write_csv(df, folder / f"{name}.csv") for name, df in checked.items()]


PROVENANCE = pa.DataFrameSchema(
    {
        "file": pa.Column(str, unique=True),
        "source_url": pa.Column(str),
        "publisher": pa.Column(str, pa.Check.str_length(min_value=1)),
        "licence": pa.Column(str),
        "collected": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "notes": pa.Column(str),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{16}$")),
    },
    strict=True,
    ordered=True,
)


COUNTY_CODES = pa.DataFrameSchema(
    {
        "code": pa.Column(str, CODE, unique=True),
        "name": pa.Column(str),
        "city_code": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "city": pa.Column(str),
        "status": pa.Column(str, pa.Check.isin(["active", "abolished", "renamed"])),
        "valid_from": pa.Column(int),
        "valid_to": pa.Column("Int64", nullable=True),
        "current_codes": pa.Column(str, pa.Check.str_matches(r"^\d{6}(;\d{6})*$")),
        "relation": pa.Column(str, pa.Check.isin(["current", "renamed", "merged", "split"])),
        "former_names": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


STI_INDICATORS = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "indicator_en": pa.Column(str),
        "registry_or_definition": pa.Column(str, pa.Check.str_length(min_value=1)),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(\.\.\d{4})?$")),
        "value": pa.Column(float),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kind": pa.Column(str, pa.Check.isin(["stated", "derived"])),
        "computation": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_url": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    unique=["indicator", "registry_or_definition", "period", "kind"],
    strict=True,
    ordered=True,
)

CLAIMS = pa.DataFrameSchema(
    {
        "figure_id": pa.Column(str, pa.Check.str_matches(r"^F\d{2,3}$"), unique=True),
        "indicator_zh": pa.Column(str),
        "stated_value": pa.Column(float),
        "unit": pa.Column(str),
        "status": pa.Column(
            str,
            pa.Check.isin(
                ["reproduced", "consistent", "contradicted", "calibrated", "stated_only"]
            ),
        ),
        "recomputed_value": pa.Column(float, nullable=True),
        "computation": pa.Column(str, pa.Check.str_length(min_value=1)),
        "sources": pa.Column(str, pa.Check.str_length(min_value=1)),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (
                d["status"].isin(["stated_only"])
                | d["recomputed_value"].notna()
                | d["status"].eq("calibrated")
            ),
            error="a checked figure carries its recomputed value",
        ),
        pa.Check(
            lambda d: d["simulated"] == d["status"].eq("calibrated"),
            error="simulated exactly where the status is calibrated",
        ),
    ],
    strict=True,
    ordered=True,
)


# 02_output_growth ------------------------------------------------------------------------------
CONTRIBUTIONS = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "span": pa.Column(str, pa.Check.isin(["cumulative", "month"])),
        "group": pa.Column(str),
        "level_wan": pa.Column(float, pa.Check.ge(0)),
        "base_wan": pa.Column(float, pa.Check.gt(0)),
        "growth": pa.Column(float),
        "pull_pp": pa.Column(float),
        "pull_lo_pp": pa.Column(float, nullable=True),  # the band published rounding allows
        "pull_hi_pp": pa.Column(float, nullable=True),
        "contribution_share": pa.Column(float),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: d["pull_lo_pp"].isna() | (d["pull_lo_pp"] <= d["pull_pp"] + 1e-9),
            error="pull_lo_pp must not exceed pull_pp",
        ),
        pa.Check(
            lambda d: d["pull_hi_pp"].isna() | (d["pull_hi_pp"] >= d["pull_pp"] - 1e-9),
            error="pull_hi_pp must not be below pull_pp",
        ),
    ],
    strict=True,
    ordered=True,
)

PROJECTION = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "through_month": pa.Column(int, pa.Check.in_range(1, 12)),
        "method": pa.Column(str),
        **{
            c: pa.Column(float, nullable=True)
            for c in (
                "point_wan",
                "lo80_wan",
                "hi80_wan",
                "lo95_wan",
                "hi95_wan",
                "base_fy_wan",
                "growth_point",
                "growth_lo80",
                "growth_hi80",
                "growth_lo95",
                "growth_hi95",
            )
        },
        "target_growth": pa.Column(float),
        "p_reach_target": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "headline": pa.Column(bool),  # the row the leadership page reports ...
        "rule": pa.Column(str),  # ... and the stated rule that picked it
        "simulated": pa.Column(bool),
    },
    checks=[pa.Check(lambda d: d["headline"].sum() == 1, error="exactly one headline row")],
    strict=True,
    ordered=True,
)

BACKTEST = pa.DataFrameSchema(
    {
        "origin_year": pa.Column(int),
        "method": pa.Column(str),
        "window_before": pa.Column(int, pa.Check.ge(0)),  # chosen at that origin
        "window_after": pa.Column(int, pa.Check.ge(0)),
        "actual_wan": pa.Column(float, pa.Check.gt(0)),
        "forecast_wan": pa.Column(float, pa.Check.gt(0)),
        "ape": pa.Column(float, pa.Check.ge(0)),
        "mase": pa.Column(float, pa.Check.ge(0), nullable=True),
        "actual_growth": pa.Column(float),
        "forecast_growth": pa.Column(float),
        "growth_error_pp": pa.Column(float),
        "in80": pa.Column(bool),
        "in95": pa.Column(bool),
        "pit": pa.Column(float, pa.Check.in_range(0, 1)),
        "simulated": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)

SEASONAL_MODEL = pa.DataFrameSchema(
    {
        "term": pa.Column(str, unique=True),
        "estimate": pa.Column(float),
        "ci_low": pa.Column(float),
        "ci_high": pa.Column(float),
        "window_before": pa.Column(int, pa.Check.ge(0)),
        "window_after": pa.Column(int, pa.Check.ge(0)),
        "model": pa.Column(str),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(  # empty: no model (too short a history, growth.readiness)
            lambda d: d.empty or (d["term"] == "festival").sum() == 1,
            error="one festival row (or no row at all)",
        ),
        pa.Check(
            lambda d: (d["ci_low"] <= d["estimate"]) & (d["estimate"] <= d["ci_high"]),
            error="each estimate lies inside its interval",
        ),
    ],
    strict=True,
    ordered=True,
)

REAL_GROWTH = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "span": pa.Column(str, pa.Check.isin(["cumulative", "month"])),
        "nominal_growth": pa.Column(float),
        "ppi_change": pa.Column(float),
        "ppi_region": pa.Column(str),
        "ppi_basis": pa.Column(str),
        "real_growth_estimate": pa.Column(float),
        "label": pa.Column(str, pa.Check.eq("估算")),
        "ppi_source_url": pa.Column(str, pa.Check.str_startswith("http")),
        "simulated": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)
