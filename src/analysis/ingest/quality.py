"""The data-quality summary shown by the ingest: what each table holds, what is missing, and
where the sources contradict each other (never resolved silently: shown, with both sources).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FACTS_FILE = Path("published") / "quzhou_facts.csv"
SUMMARY_FILE = Path("published") / "hebei_sti_evaluation_summary.csv"


def table_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows, columns and missing cells per table, with the columns that have gaps."""
    out = []
    for name, df in tables.items():
        gaps = df.isna().sum()
        out.append(
            {
                "table": name,
                "rows": len(df),
                "columns": df.shape[1],
                "missing_cells": int(gaps.sum()),
                "columns_with_gaps": ", ".join(f"{c} ({n})" for c, n in gaps.items() if n),
            }
        )
    return pd.DataFrame(out)


def conflicting_facts(raw: Path) -> pd.DataFrame:
    """Facts stated twice with different values (same indicator and period), e.g. the area."""
    df = pd.read_csv(raw / FACTS_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = []
    for (ind, period), grp in df.groupby(["indicator", "period"], sort=True):
        if grp["value"].nunique() > 1 and grp["unit"].nunique() == 1:
            out.append(
                {
                    "topic": f"{ind} ({period or 'no date'})",
                    "values": " vs ".join(f"{v} {u}" for v, u in zip(grp["value"], grp["unit"])),
                    "sources": " ; ".join(grp["source_url"]),
                    "kind": "same fact, two values",
                }
            )
    return pd.DataFrame(out)


def data_year_conflicts(raw: Path) -> pd.DataFrame:
    """Rounds whose sources disagree on the data year (the 2021 round: 2020 vs 2021 data)."""
    df = pd.read_csv(raw / SUMMARY_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = []
    for rnd, grp in df.groupby("year_published", sort=True):
        notes = grp["notes"]
        says_same = notes.str.contains(f"{int(rnd)}年相关统计数据")
        says_prev = notes.str.contains(f"{int(rnd) - 1} data|{int(rnd) - 1}年", regex=True)
        if says_same.any() and says_prev.any():
            out.append(
                {
                    "topic": f"data year of the {rnd} round",
                    "values": f"{int(rnd) - 1} ({says_prev.sum()} source(s)) vs {rnd} "
                    f"({says_same.sum()} source(s))",
                    "sources": " ; ".join(grp.loc[says_same | says_prev, "source_url"]),
                    "kind": "data year",
                }
            )
    return pd.DataFrame(out)


def contradictions(raw: Path) -> pd.DataFrame:
    """Contradictions found in the raw files, then the caveats the sources record."""
    parts = [conflicting_facts(raw), data_year_conflicts(raw), pd.DataFrame(KNOWN_CAVEATS)]
    cols = ["topic", "values", "sources", "kind"]
    return pd.concat([p for p in parts if len(p)], ignore_index=True)[cols]


# Caveats the sources themselves record (data/raw/SOURCES.md, "Known contradictions"): they are
# not contradictions inside one file, so no check finds them; they are shown with the others.
KNOWN_CAVEATS: tuple[dict[str, str], ...] = (
    {
        "topic": "tech-based SMEs (科技型中小企业)",
        "values": "670 (2020) vs 777 (2022 report) vs 158 national registry (2024)",
        "sources": "published/quzhou_facts.csv ; published/work_report_2022_figures.csv F14",
        "kind": "different registries: never chain as one series",
    },
    {
        "topic": "the county's provincial rank",
        "values": "8th in the province (2022 report) vs 13th of 66 A (2023 round)",
        "sources": "published/work_report_2022_figures.csv F10 ; "
        "published/hebei_sti_evaluation_classes.csv (2023)",
        "kind": "different rounds: both are facts",
    },
)
