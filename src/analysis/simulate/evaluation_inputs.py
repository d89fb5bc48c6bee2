"""What the evaluation stand-in is built from: rounds, units of each round, targets, anchors.

Also the names of the files it writes and the link keys that follow a unit across rounds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation

ROUNDS = tuple(range(2019, 2025))
# the plan-start baseline (跃升计划起点): only its class counts are published, and the 2019
# round's "26 counties jumped class" is measured against it, so its classes are simulated too
BASELINE_ROUND = 2018
ALL_ROUNDS = (BASELINE_ROUND, *ROUNDS)
BASELINE_FILE = f"BASELINE_{BASELINE_ROUND}.csv"


ANCHORS_FILE = "ANCHORS.csv"
CALIBRATION_FILE = "CALIBRATION.csv"


def read_anchors(folder: Path) -> pd.DataFrame:
    """The documented anchors table (one row per published or assumed target, with source)."""
    path = folder / ANCHORS_FILE
    if not path.is_file():
        raise DataError("the stand-in's anchors table is missing", file=path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    need = ["anchor_id", "round", "kind", "subject", "value", "status", "source", "note"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", file=path, row=1)
    df["round"] = df["round"].astype(int)
    return df


def round_units(raw: Path) -> dict[int, pd.DataFrame]:
    """Units of each round (codes of the time, ``units_as_of(round - 1)``) with a link key.

    The key follows a unit across rounds through renames (任县 -> 任泽区); 邢台县, split in 2020,
    keeps its own key and simply ends.
    """
    key = link_keys(admin.code_table(raw))
    out = {}
    for r in ALL_ROUNDS:
        units = admin.units_as_of(r - 1, raw)[["code", "name", "city"]].copy()
        units["key"] = units["code"].map(key)
        out[r] = units.reset_index(drop=True)
    return out


def round_targets(raw: Path, anchors: pd.DataFrame) -> pd.DataFrame:
    """Class counts and mean per round: published or derived (evaluation_rounds), else the
    assumed values of the anchors table (the unpublished 2022 round, 2024 B and C)."""
    rounds = evaluation.evaluation_rounds(raw).set_index("round")
    rows = []
    for r in ALL_ROUNDS:
        row: dict[str, Any] = {"round": r, "published": bool(rounds.at[r, "published"])}
        for q in ("n_A", "n_B", "n_C", "mean_score"):
            v = rounds.at[r, q]
            row[q] = float(v) if pd.notna(v) else np.nan
            row[f"{q}_source"] = f"summary:{r}:{q}" if pd.notna(v) else ""
        for a in anchors[(anchors["round"] == r)].itertuples():
            column = {"class_count": f"n_{a.subject}", "mean": "mean_score"}.get(a.kind)
            if column and np.isnan(row[column]):
                row[column] = float(a.value)
                row[f"{column}_source"] = f"anchor:{a.anchor_id}"
        rows.append(row)
    out = pd.DataFrame(rows).set_index("round")
    n_units = {r: evaluation.units_in_round(r) for r in ALL_ROUNDS}
    bad = out[out[["n_A", "n_B", "n_C"]].sum(axis=1) != pd.Series(n_units)]
    if len(bad):
        raise DataError(f"class counts do not add up to the units in rounds {list(bad.index)}")
    return out


def full_file(round_: int, ext: str = "csv") -> str:
    return f"full_{round_}.{ext}"


def report_file(round_: int, code: str, ext: str = "csv") -> str:
    return f"report_{round_}_{code}.{ext}"


def link_keys(codes: pd.DataFrame) -> dict[str, str]:
    """Code of the time -> link key: a unit keeps its key through renames (任县 -> 任泽区); a
    split unit (邢台县) keeps its own code and simply ends. ``codes`` is admin.code_table."""
    return {
        r.code: (r.current_codes if r.relation in ("current", "renamed") else r.code)
        for r in codes.itertuples()
    }
