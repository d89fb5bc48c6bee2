"""Published growth of other regions, shown beside the county's for context (methods.md §1.3)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def context_rates(raw_path: Path, year: int) -> pd.DataFrame:
    """Published growth of above-scale industrial VALUE ADDED elsewhere in the same year.

    A different measure from the county's gross output (real, at comparable prices, vs
    nominal): shown for context, never on the same axis or in one ratio (methods.md §1.3).
    """
    df = pd.read_csv(raw_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df[df["period"].str.startswith(f"{year}-") & df["indicator"].str.contains("增加值")]
    out = df[["region", "indicator", "period", "yoy_growth_pct", "cumulative", "source_url"]]
    out = out.assign(
        growth=pd.to_numeric(out["yoy_growth_pct"]) / 100,
        measure="value added, real (comparable prices)",
    )
    return out.drop(columns="yoy_growth_pct").reset_index(drop=True)
