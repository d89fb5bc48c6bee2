"""Section 5 of the summary: every figure of the run, captioned in the run's language."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.figures.manifest import MANIFEST_NAME, read_manifest

FIGURE_COLUMNS = ["figure_id", "title", "caption", "sources", "simulated", "png"]


def figure_set(figures_dir: Path, lang: str, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Every figure of the run's notebooks (their own manifests), captioned in ``lang``.

    Read from ``figures/<notebook>/manifest.csv`` rather than the merged manifest, which the
    runner writes only after all notebooks finished.
    """
    parts = [
        read_manifest(p)
        for p in sorted(Path(figures_dir).glob(f"*/{MANIFEST_NAME}"))
        if p.parent.name not in set(exclude)
    ]
    if not parts:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    m = pd.concat(parts, ignore_index=True).sort_values("figure_id").reset_index(drop=True)
    return pd.DataFrame(
        {
            "figure_id": m["figure_id"],
            "title": m[f"title_{lang}"],
            "caption": m[f"caption_{lang}"],
            "sources": m["sources"],
            "simulated": m["simulated"].astype(bool),
            "png": m["png"],
        }
    )


def figure_records(figures_dir: Path, exclude: Iterable[str] = ()) -> dict[str, pd.Series]:
    """Every figure of the run's notebooks by id, as its manifest row (both languages), for
    :func:`analysis.review.display.figure_block` on the summary page."""
    rows: dict[str, pd.Series] = {}
    for p in sorted(Path(figures_dir).glob(f"*/{MANIFEST_NAME}")):
        if p.parent.name in set(exclude):
            continue
        for _, row in read_manifest(p).iterrows():
            rows[str(row["figure_id"])] = row
    return rows
