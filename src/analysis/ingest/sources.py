"""Provenance: every file in ``data/raw`` is listed in ``data/raw/SOURCES.csv`` with where it
came from, who published it, its licence and when it was collected.

The table doubles as the data log (govcookiecutter's habit): the ingest refuses to run on a raw
file nobody has accounted for, and on a listed file that has gone missing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, refuse_repeats

SOURCES_COLUMNS = ["file", "source_url", "publisher", "licence", "collected", "notes"]
NOT_DATA = {"SOURCES.csv"}


def read_sources(raw: Path) -> pd.DataFrame:
    """The provenance table, checked for its columns and for one row per file."""
    path = raw / "SOURCES.csv"
    if not path.is_file():
        raise DataError("the provenance table is missing", file=path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in SOURCES_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", file=path, row=1)
    refuse_repeats(table["file"], "file {!r} is listed twice", file=path, column="file", keep=False)
    return table[SOURCES_COLUMNS]


def raw_files(raw: Path) -> list[str]:
    """Files under ``data/raw`` as forward-slash paths relative to it (provenance keys)."""
    return sorted(
        p.relative_to(raw).as_posix()
        for p in raw.rglob("*")
        if p.is_file() and p.name not in NOT_DATA and not p.name.startswith(".")
    )


def check_provenance(raw: Path) -> pd.DataFrame:
    """Every raw file listed and every listed file present; returns the table with checksums.

    The sha256 column lets a reader confirm that the processed tables were built from exactly
    these files.
    """
    table = read_sources(raw)
    on_disk = set(raw_files(raw))
    listed = set(table["file"])
    unlisted = sorted(on_disk - listed)
    if unlisted:
        raise DataError(
            f"raw file(s) without provenance: {unlisted}; add a row for each to SOURCES.csv",
            file=raw / "SOURCES.csv",
        )
    gone = sorted(listed - on_disk)
    if gone:
        row = int(table.index[table["file"] == gone[0]][0]) + 2
        raise DataError(
            f"listed file(s) not found in data/raw: {gone}",
            file=raw / "SOURCES.csv",
            row=row,
            column="file",
        )
    table = table.copy()
    table["sha256"] = [
        hashlib.sha256((raw / f).read_bytes()).hexdigest()[:16] for f in table["file"]
    ]
    return table
