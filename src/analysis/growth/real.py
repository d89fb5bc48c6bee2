"""An estimated real growth of the county's output (估算), so that a leader does not set 20.7%
nominal gross output against 5% real value added (methods.md §1.3).

The county's 规上工业总产值 growth is nominal (current prices); the province and the nation
publish real growth of value added. Deflating by the published industrial producer price index
(工业生产者出厂价格指数, PPI) gives ``1 + g_real ≈ (1 + g_nominal) / (1 + π)`` — an approximation,
not an NBS formula: the national PPI stands in for the county's own product mix, and gross output
is not value added. Every row is therefore labelled 估算 (estimate).

The cumulative 1–N月 growth is deflated by the PPI's 1–N月 average change, the month's growth by
the month's. A month whose PPI was not found is left out, never filled in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.growth.series import cumulative_figures

ESTIMATE_LABEL = "估算"
REAL_GROWTH_COLUMNS = [
    "period",
    "span",
    "nominal_growth",
    "ppi_change",
    "ppi_region",
    "ppi_basis",
    "real_growth_estimate",
    "label",
    "ppi_source_url",
    "simulated",
]


def read_ppi(path: Path) -> pd.DataFrame:
    """The transcribed PPI releases: one row per month, changes as fractions (NaN if absent)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in ("yoy_pct", "ytd_avg_pct"):
        df[col] = pd.to_numeric(df[col].replace("", np.nan)) / 100
    return df


def deflate(nominal_growth: float, price_change: float) -> float:
    """``(1 + g) / (1 + π) − 1``: nominal growth less the price change (both fractions)."""
    return (1 + nominal_growth) / (1 + price_change) - 1


def real_growth(industry: pd.DataFrame, ppi: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """The county total's cumulative and current-month growth, nominal and deflated (估算).

    Rows only where the PPI of that period was found; an empty table says none was.
    """
    figures = cumulative_figures(industry, year, month)
    simulated = bool(industry.loc[industry["year"] == year, "simulated"].any())
    row = ppi[ppi["period"] == f"{year}-{month:02d}"]
    rows = []
    if not row.empty:
        r = row.iloc[0]
        cumulative_price = r["yoy_pct"] if month == 1 else r["ytd_avg_pct"]
        cum_basis = "同比(1月)" if month == 1 else r["ytd_label"]
        for span, period, nominal, price, basis in (
            ("cumulative", f"{year}-01..{month:02d}", figures["cum_growth"], cumulative_price,
             cum_basis),
            ("month", f"{year}-{month:02d}", figures["month_growth"], r["yoy_pct"], "当月同比"),
        ):  # fmt: skip
            if pd.isna(nominal) or pd.isna(price):
                continue
            rows.append(
                {
                    "period": period,
                    "span": span,
                    "nominal_growth": float(nominal),
                    "ppi_change": float(price),
                    "ppi_region": r["region"],
                    "ppi_basis": basis,
                    "real_growth_estimate": deflate(float(nominal), float(price)),
                    "label": ESTIMATE_LABEL,
                    "ppi_source_url": r["source_url"],
                    "simulated": simulated,
                }
            )
    return pd.DataFrame(rows, columns=REAL_GROWTH_COLUMNS)
