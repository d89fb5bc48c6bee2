"""Figure manifests: one row per figure (id, both titles, both captions, sources, files).

Each notebook writes its own ``figures/<notebook>/manifest.csv`` (one writer per file, so
notebooks run in parallel); the runner merges them into ``figures/manifest.csv`` afterwards.
Rows are sorted by figure id, so the files are byte-identical run to run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from analysis.io import read_csv, write_csv

MANIFEST_NAME = "manifest.csv"


@dataclasses.dataclass(frozen=True)
class FigureRecord:
    """One row of a figure manifest; ``png``/``svg`` are relative to the figures folder."""

    figure_id: str
    notebook: str
    title_zh: str
    title_en: str
    caption_zh: str
    caption_en: str
    sources: str
    simulated: bool
    png: str
    svg: str


MANIFEST_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(FigureRecord))


def read_manifest(path: Path) -> pd.DataFrame:
    """A manifest as written by this module (text columns, ``simulated`` as bool)."""
    df = read_csv(path, dtype=str, keep_default_na=False)
    missing = set(MANIFEST_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{path}: manifest lacks columns {sorted(missing)}.")
    df = df[list(MANIFEST_COLUMNS)]
    return df.assign(simulated=df["simulated"].str.lower() == "true")


def upsert_manifest(path: Path, record: FigureRecord) -> None:
    """Replace the record's row (re-running a cell must not duplicate it); sort for stable bytes."""
    row = pd.DataFrame([dataclasses.asdict(record)], columns=list(MANIFEST_COLUMNS))
    if path.is_file():
        old = read_manifest(path)
        row = pd.concat([old[old["figure_id"] != record.figure_id], row], ignore_index=True)
    write_csv(row.sort_values("figure_id", kind="stable").reset_index(drop=True), path)


def merge_manifests(figures_dir: Path) -> pd.DataFrame:
    """Merge ``figures/*/manifest.csv`` into ``figures/manifest.csv``; ids must be unique.

    Run by the runner after the notebooks, so no two processes ever write the same file.
    """
    figures_dir = Path(figures_dir)
    parts = [read_manifest(p) for p in sorted(figures_dir.glob(f"*/{MANIFEST_NAME}"))]
    merged = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(MANIFEST_COLUMNS))
    )
    dupes = merged[merged["figure_id"].duplicated(keep=False)]
    if not dupes.empty:
        clashes = [
            f"{fid!r} in {' and '.join(sorted(group['notebook']))}"
            for fid, group in dupes.groupby("figure_id", sort=True)
        ]
        raise ValueError(
            f"Figure ids must be unique across notebooks: {'; '.join(clashes)}. Rename one of them."
        )
    merged = merged.sort_values("figure_id", kind="stable").reset_index(drop=True)
    write_csv(merged, figures_dir / MANIFEST_NAME)
    return merged
