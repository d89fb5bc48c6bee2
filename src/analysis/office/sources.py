"""What the office files are made from: processed tables and the figure pack, nothing else.

The Word draft and the Excel tables are a re-presentation of results that the notebooks already
wrote, so they read only ``data/processed/*.csv`` and ``figures/annual_review/`` (PNG files and
``captions.csv``) and never recompute a number. The review's two tables (headlines, sentences)
and the figure pack's captions are required; the result tables behind the workbook's other
sheets are optional (a run for another county may lack the evaluation), and a missing one is
left out and said so on the sources sheet.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.io import read_csv

REQUIRED = ("review_headlines", "review_sentences")
OPTIONAL = ("contributions", "projection", "ranking_published_positions", "claims", "provenance")
PACK_DIR = "figures/annual_review"  # analysis.figures.pack.PACK_DIR under figures/
CAPTIONS = f"{PACK_DIR}/captions.csv"


@dataclass(frozen=True)
class Run:
    """The run's parameters that the office files show (from the run parameters)."""

    county: str
    year: int
    through_month: int
    lang: str

    @property
    def vintage_date(self) -> dt.datetime:
        """The data vintage as a time: the last day of the last month of data (UTC midnight).

        The document's created/modified times and its zip entries take this time, not the
        clock, so a rebuild on the same data gives the same bytes and the file's date says
        which data it holds."""
        last = calendar.monthrange(int(self.year), int(self.through_month))[1]
        return dt.datetime(int(self.year), int(self.through_month), last)


@dataclass(frozen=True)
class OfficeInputs:
    """The processed tables and the figure pack of one build."""

    tables: dict[str, pd.DataFrame]
    captions: pd.DataFrame
    pack: Path
    files: dict[str, str] = field(default_factory=dict)  # table -> file relative to the output

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    @property
    def headlines(self) -> pd.DataFrame:
        return self.tables["review_headlines"]

    @property
    def sentences(self) -> pd.DataFrame:
        return self.tables["review_sentences"]


def _bool(series: pd.Series, file: str) -> pd.Series:
    """A True/False column as written by pandas (bools, or their text after a CSV round trip)."""
    if series.dtype == bool:
        return series
    text = series.astype(str).str.strip().str.lower()
    bad = ~text.isin({"true", "false"})
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 2  # the header is row 1
        raise DataError(
            f"must be True or False, got {series[bad].iloc[0]!r}",
            file=file,
            row=row,
            column=str(series.name),
        )
    return text.eq("true")


def read_inputs(out: Path) -> OfficeInputs:
    """Read the tables and captions under the output folder ``out`` (a build's view)."""
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for name in (*REQUIRED, *OPTIONAL):
        rel = f"data/processed/{name}.csv"
        path = out / rel
        if not path.is_file():
            if name in REQUIRED:
                raise DataError("missing: run 05_annual_review first", file=str(path))
            continue
        df = read_csv(path, dtype={"county_code": str, "source_row": str})
        if "simulated" in df.columns:
            df["simulated"] = _bool(df["simulated"], str(path))
        tables[name] = df
        files[name] = rel
    cap_path = out / CAPTIONS
    if not cap_path.is_file():
        raise DataError("missing: the figure pack is made after the notebooks", file=str(cap_path))
    captions = read_csv(cap_path)
    if len(captions):
        captions["simulated"] = _bool(captions["simulated"], str(cap_path))
    files["captions"] = CAPTIONS
    return OfficeInputs(tables=tables, captions=captions, pack=out / PACK_DIR, files=files)
