"""Stand-ins: files built to hit a figure (``CALIBRATION.csv``) prove nothing about it.

A figure whose only support is a calibrated stand-in is ``calibrated``, never reproduced,
whatever the stand-in achieved.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.claims.evidence import Evidence
from analysis.claims.intervals import Interval
from analysis.errors import DataError

CALIBRATION_NAME = "CALIBRATION.csv"
CALIBRATION_COLUMNS = ["file", "target_figure_id", "target_value", "achieved_value"]


def read_calibrations(internal_dir: Path) -> pd.DataFrame:
    """Every ``**/CALIBRATION.csv`` under the internal-data folder, one row per target.

    ``file`` is resolved against the folder of its CALIBRATION.csv (``path``); none found gives
    an empty table (a user's own folder has no stand-ins).
    """
    columns = [*CALIBRATION_COLUMNS, "path", "calibration_file"]
    frames = []
    for cal in sorted(Path(internal_dir).rglob(CALIBRATION_NAME)):
        df = pd.read_csv(cal, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [c for c in CALIBRATION_COLUMNS if c not in df.columns]
        if missing:
            raise DataError(f"missing column(s) {missing}", file=cal, row=1)
        # a target that is not a number (the evaluation stand-in's class letters, lists of
        # cities, ranges like 60..70) is not a work-report figure: kept, as NaN; a number
        # target with a non-number achieved value is an error
        categorical = pd.to_numeric(df["target_value"], errors="coerce").isna() & (
            df["target_value"].str.strip() != ""
        )
        for column in ("target_value", "achieved_value"):
            numbers = pd.to_numeric(df[column], errors="coerce")
            bad = numbers.isna() & ~categorical
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    f"{df[column].iloc[i]!r} is not a number", file=cal, row=i + 2, column=column
                )
            df[column] = numbers.astype(float)
        df["path"] = [str((cal.parent / f).resolve()) for f in df["file"]]
        # named from the internal-data folder on (simulated/bureau/CALIBRATION.csv), never by
        # an absolute path: the register is the same on every machine and shows no paths
        df["calibration_file"] = (
            Path(Path(internal_dir).name) / cal.relative_to(internal_dir)
        ).as_posix()
        frames.append(df[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def simulated_files(calibrations: pd.DataFrame) -> frozenset[str]:
    """Names of the files that are stand-ins (compared by file name, as tables store them)."""
    return frozenset(Path(p).name for p in calibrations["path"])


def calibration_evidence(figure: pd.Series, calibrations: pd.DataFrame) -> list[Evidence]:
    """A stand-in built to hit this figure: ``calibrated``, whatever it achieved.

    A row counts only if its target is this figure's stated value (within rounding): next
    year's F01 is another figure than the F01 a stand-in was calibrated to.
    """
    out = []
    rows = calibrations[calibrations["target_figure_id"] == figure["figure_id"]]
    for row in rows.itertuples():
        if not figure["interval"].meets(Interval.exact(row.target_value)):
            continue
        hit = figure["interval"].meets(Interval.exact(row.achieved_value))
        miss = "" if hit else " (MISSES its target: the stand-in needs fixing)"
        out.append(
            Evidence(
                figure["figure_id"],
                "simulated",
                hit,
                float(row.achieved_value),
                f"stand-in {row.file} was built to match {row.target_value:g}; it gives "
                f"{row.achieved_value:g}{miss}. A calibrated stand-in proves nothing",
                row.calibration_file,
            )
        )
    return out
