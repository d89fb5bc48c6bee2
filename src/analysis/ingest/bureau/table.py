"""The tidy table of every release (``industry_monthly``) and the table of the checks' findings.

One row per (period, span, scope, coverage, group, indicator, release): values in 万元 (money)
or as a fraction (rates), growth as a fraction as published, the derived comparable base and
scope factor, and where each figure came from (file, sheet, row, column). Earlier releases of the
same period are kept as vintages; ``latest`` marks the one to use, by the rule of
:mod:`.versions` (a tie that disagrees is an error naming both files: :func:`version_ties`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import conventions, schemas
from analysis.ingest.bureau.body import Release
from analysis.ingest.bureau.checks import Finding
from analysis.ingest.bureau.numbers import COUNT_UNITS, KNOWN_UNITS

COLUMNS = [
    "year",
    "month",
    "span",
    "scope",
    "coverage",
    "group",
    "part_of",
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
KEY = ["year", "month", "span", "scope", "coverage", "group", "indicator"]

INDUSTRY_MONTHLY = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "month": pa.Column(int, pa.Check.in_range(1, 12)),
        "span": pa.Column(str, pa.Check.isin(["cumulative", "month"])),
        "scope": pa.Column(str, pa.Check.str_length(min_value=1)),
        "coverage": pa.Column(str, pa.Check.str_length(min_value=1)),
        "group": pa.Column(str, pa.Check.str_length(min_value=1)),
        "part_of": pa.Column(str),
        "label": pa.Column(str),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.isin(["万元", "fraction", *sorted(COUNT_UNITS)])),
        "value": pa.Column(float, nullable=True),
        "value_wan": pa.Column(float, nullable=True),
        # negative for a figure printed as 9.65E+09 (precise to 10^7)
        "value_decimals": pa.Column("Int64", pa.Check.ge(-30), nullable=True),
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
    "coverage",
    "group",
    "part_of",
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
    where = ["release", "scope", "coverage", "group", "indicator"]
    cum = df[df["span"] == "cumulative"].set_index(where)
    for i in df.index[comb]:
        r = df.loc[i]
        key = tuple(r[c] for c in where)
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


def _ranks(releases: list[Release]) -> dict[str, int]:
    """Each release's place in the version order (equal versions share a rank)."""
    order = sorted({rel.version for rel in releases})
    return {rel.name: order.index(rel.version) for rel in releases}


def version_ties(table: pd.DataFrame, releases: list[Release]) -> list[Finding]:
    """Releases of one period that no rule orders (no marker, no vintage) must agree figure for
    figure; each figure on which they differ is an error naming both files."""
    ranks = _ranks(releases)
    versions = {rel.name: rel.version.describe() for rel in releases}
    df = table.assign(_rank=table["release"].map(ranks))
    dup = df[df.duplicated([*KEY, "_rank"], keep=False)]
    out = []
    for _, grp in dup.groupby([*KEY, "_rank"], sort=True):
        rows = grp.sort_values("release")
        a = rows.iloc[0]
        for _, b in rows.iloc[1:].iterrows():
            if all((pd.isna(a[c]) and pd.isna(b[c])) or a[c] == b[c] for c in ("value", "growth")):
                continue
            out.append(
                Finding(
                    "version_tie",
                    "error",
                    b["file"],
                    int(b["row"]),
                    b["value_column"],
                    f"two releases of {b['year']}年1-{b['month']}月 disagree and nothing says "
                    f"which is later: {a['release']} and {b['release']} ({b['group']} "
                    f"{b['indicator']}, {b['span']}: {a['value']:g} vs {b['value']:g}; both "
                    f"{versions[b['release']]}). Mark the correction in its name (…修订.xlsx) "
                    "or give each a vintage (a line 版本：… above the table)",
                )
            )
    return out


def tidy(releases: list[Release], simulated: bool = False) -> pd.DataFrame:
    """All releases as one table: derived base and scope factor, vintages marked."""
    records = [r for rel in releases for r in rel.records]
    if not records:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        return _types(empty)
    df = pd.DataFrame(records)
    df = _finish_jan_feb(df)
    df["simulated"] = df["simulated"] | simulated
    df["_rank"] = df["release"].map(_ranks(releases))
    df = df.sort_values([*KEY, "_rank", "release"], kind="stable").reset_index(drop=True)
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
    """One row per release: period, coverages (``规模以上 (assumed)`` when the release states
    none), units, whether it is the one used for all its figures, simulated, rows."""
    cols = ["release", "year", "month", "coverage", "original_unit", "used", "simulated", "rows"]
    if not len(table):
        return pd.DataFrame(columns=cols)
    assumed = table["flags"].str.contains("coverage_assumed", regex=False)
    t = table.assign(coverage=table["coverage"].where(~assumed, table["coverage"] + " (assumed)"))
    return (
        t.groupby("release", sort=True)
        .agg(
            year=("year", "first"),
            month=("month", "first"),
            coverage=("coverage", lambda s: "、".join(sorted(set(s)))),
            original_unit=("original_unit", lambda s: "、".join(sorted(set(s)))),
            used=("latest", "all"),
            simulated=("simulated", "all"),
            rows=("row", "size"),
        )
        .reset_index()[cols]
    )
