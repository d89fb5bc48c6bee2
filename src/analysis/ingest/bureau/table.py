"""The tidy table of every release (``industry_monthly``) and the table of the checks' findings.

One row per (period, span, scope, group, indicator, release): values in 万元 (money) or as a
fraction (rates), growth as a fraction as published, the derived comparable base and scope
factor, and where each figure came from (file, sheet, row, column). Earlier releases of the same
period are kept as vintages; ``latest`` marks the last one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import conventions, schemas
from analysis.ingest.bureau.grid import Release
from analysis.ingest.bureau.numbers import COUNT_UNITS, KNOWN_UNITS

COLUMNS = [
    "year",
    "month",
    "span",
    "scope",
    "group",
    "label",
    "indicator",
    "unit",
    "value",
    "value_wan",
    "value_decimals",
    "growth",
    "growth_decimals",
    "change_pp",
    "original_unit",
    "file",
    "sheet",
    "row",
    "value_column",
    "growth_column",
    "release",
    "latest",
    "simulated",
    "base_wan",
    "scope_factor",
    "flags",
]
KEY = ["year", "month", "span", "scope", "group", "indicator"]

INDUSTRY_MONTHLY = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "month": pa.Column(int, pa.Check.in_range(1, 12)),
        "span": pa.Column(str, pa.Check.isin(["cumulative", "month"])),
        "scope": pa.Column(str, pa.Check.str_length(min_value=1)),
        "group": pa.Column(str, pa.Check.str_length(min_value=1)),
        "label": pa.Column(str),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.isin(["万元", "fraction", *sorted(COUNT_UNITS)])),
        "value": pa.Column(float, nullable=True),
        "value_wan": pa.Column(float, nullable=True),
        "value_decimals": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "growth": pa.Column(float, pa.Check.gt(-1.0), nullable=True),
        "growth_decimals": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "change_pp": pa.Column(float, nullable=True),
        "original_unit": pa.Column(str, pa.Check.isin(sorted(KNOWN_UNITS))),
        "file": pa.Column(str),
        "sheet": pa.Column(str),
        "row": pa.Column(int, pa.Check.ge(1)),
        "value_column": pa.Column(str),
        "growth_column": pa.Column(str),
        "release": pa.Column(str),
        "latest": pa.Column(bool),
        "simulated": pa.Column(bool),
        "base_wan": pa.Column(float, nullable=True),
        "scope_factor": pa.Column(float, pa.Check.gt(0), nullable=True),
        "flags": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: (d["unit"] == "万元") | d["value_wan"].isna(),
            error="value_wan only for money",
        ),
    ],
    unique=[*KEY, "release"],
    strict=True,
    ordered=True,
)

INDUSTRY_CHECKS = pa.DataFrameSchema(
    {
        "check": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["warning", "error"])),
        "file": pa.Column(str),
        "row": pa.Column("Int64", nullable=True),
        "column": pa.Column(str),
        "message": pa.Column(str),
    },
    strict=True,
    ordered=True,
)

_TEXT_COLUMNS = (
    "span",
    "scope",
    "group",
    "label",
    "indicator",
    "unit",
    "original_unit",
    "file",
    "sheet",
    "value_column",
    "growth_column",
    "release",
    "flags",
)


def _finish_jan_feb(df: pd.DataFrame) -> pd.DataFrame:
    """In a 1–2月 release, 本月 is February alone only if it differs from 1–2月 or says 2月."""
    comb = df["flags"].map(lambda f: "jan_feb_combined" in f) & (df["span"] == "month")
    if not comb.any():
        return df
    cum = df[df["span"] == "cumulative"].set_index(["release", "scope", "group", "indicator"])
    for i in df.index[comb]:
        r = df.loc[i]
        key = (r["release"], r["scope"], r["group"], r["indicator"])
        c = cum["value"].get(key, np.nan)
        same = pd.notna(r["value"]) and pd.notna(c) and abs(r["value"] - c) < 1e-9
        if r["explicit_month"] or (pd.notna(r["value"]) and not same):
            df.at[i, "flags"] = [*r["flags"], "february_alone"]
        else:
            df.at[i, "value"] = np.nan
            df.at[i, "value_wan"] = np.nan
            df.at[i, "value_decimals"] = None
            df.at[i, "growth"] = np.nan
            df.at[i, "growth_decimals"] = None
    return df


def tidy(releases: list[Release], simulated: bool = False) -> pd.DataFrame:
    """All releases as one table: derived base and scope factor, vintages marked."""
    records = [r for rel in releases for r in rel.records]
    if not records:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        return _types(empty)
    df = pd.DataFrame(records)
    df = _finish_jan_feb(df)
    df["simulated"] = df["simulated"] | simulated
    df = df.sort_values([*KEY, "release"], kind="stable").reset_index(drop=True)
    df["latest"] = ~df.duplicated(KEY, keep="last")
    df["base_wan"] = conventions.comparable_base(df["value_wan"], df["growth"])
    prev = df[df["latest"]].assign(year=lambda d: d["year"] + 1)
    prev = prev.set_index(KEY)["value_wan"].rename("prev_wan")
    prev_level = df.join(prev, on=KEY)["prev_wan"]
    df["scope_factor"] = conventions.scope_factor(df["base_wan"], prev_level)
    df.loc[~(df["scope_factor"] > 0), "scope_factor"] = np.nan
    df["flags"] = df["flags"].map(lambda f: ";".join(f))
    return _types(df)


def _types(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reindex(columns=COLUMNS).copy()
    for c in ("year", "month", "row"):
        out[c] = out[c].astype(int)
    for c in ("value_decimals", "growth_decimals"):
        out[c] = pd.array(out[c].tolist(), dtype="Int64")
    for c in ("value", "value_wan", "growth", "change_pp", "base_wan", "scope_factor"):
        out[c] = out[c].astype(float)
    for c in ("latest", "simulated"):
        out[c] = out[c].astype(bool)
    for c in _TEXT_COLUMNS:
        out[c] = out[c].astype(str)
    return out


def write_tables(table: pd.DataFrame, findings: pd.DataFrame, processed: Path) -> list[Path]:
    """Validate both tables, then write both atomically: industry_monthly, industry_checks."""
    return schemas.write_tables(
        {
            "industry_monthly": (table, INDUSTRY_MONTHLY),
            "industry_checks": (findings, INDUSTRY_CHECKS),
        },
        processed,
    )


def release_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per release file: period, shape of data, unit, simulated, rows."""
    if not len(table):
        return pd.DataFrame(columns=["release", "year", "month", "rows", "original_unit"])
    return (
        table.groupby("release", sort=True)
        .agg(
            year=("year", "first"),
            month=("month", "first"),
            rows=("row", "size"),
            original_unit=("original_unit", lambda s: "、".join(sorted(set(s)))),
            simulated=("simulated", "all"),
        )
        .reset_index()
    )
