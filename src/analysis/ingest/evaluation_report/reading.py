"""Reading the report files of a folder into indicator rows and one score row per unit and round.

Each file is read as text, its headers mapped onto the input format's names, every cell typed
with the file, row and column named on failure; a unit given in several files (the own report
and the full table, or CSV and xlsx of one report) must agree cell for cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.ingest.evaluation_report.input_format import (
    FOLDER,
    HEADERS,
    OPTIONAL_HEADERS,
    TOTAL_ALIASES,
    TOTAL_ITEMS,
    TOTAL_LEVEL1,
)

INDICATOR_SYSTEM_FILE = Path("published") / "hebei_sti_indicator_system.csv"

# ---------------------------------------------------------------------------------------------
# reading one file


def report_files(folder: Path) -> list[Path]:
    """The report files of a folder: *.csv and *.xlsx, metadata (CAPITALS.csv) and ~$ lock files
    left out, sorted by name so the reading order is the same everywhere."""
    if not folder.is_dir():
        raise DataError("the evaluation folder is missing; see README (input format)", file=folder)
    files = [
        p
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in (".csv", ".xlsx")
        and not p.stem.isupper()
        and not p.name.startswith(("~$", "."))
    ]
    if not files:
        raise DataError("no evaluation report (*.csv or *.xlsx) in the folder", file=folder)
    return files


def _read_cells(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        df = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")
        df = df.fillna("")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [str(c).strip() for c in df.columns]
    return df.apply(lambda s: s.str.strip())


def _canonical_columns(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    rename = {}
    for name, aliases in {**HEADERS, **OPTIONAL_HEADERS}.items():
        hit = [c for c in df.columns if c in aliases]
        if hit:
            rename[hit[0]] = name
        elif name in HEADERS:
            raise DataError(
                f"missing column {aliases[0]} ({aliases[1]})", file=path, row=1, column=aliases[0]
            )
    out = df.rename(columns=rename)[
        [c for c in [*HEADERS, *OPTIONAL_HEADERS] if c in rename.values()]
    ]
    if "note" not in out.columns:
        out["note"] = ""
    return out


def _number(text: str, path: Path, row: int, column: str, *, integer: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{text!r} is not a number", file=path, row=row, column=column) from None
    if integer and value != int(value):
        raise DataError(f"{text!r} is not a whole number", file=path, row=row, column=column)
    return value


def read_report(path: Path) -> pd.DataFrame:
    """One file in the input format -> long rows with canonical columns, typed, plus ``file``
    and ``row`` (the spreadsheet row) for error messages."""
    df = _canonical_columns(_read_cells(path), path)
    records = []
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2
        if not any(r.values()):
            continue  # blank line
        rec = {"file": str(path), "row": row}
        rec["round"] = int(_number(r["round"], path, row, HEADERS["round"][0], integer=True))
        rec["data_year"] = int(
            _number(r["data_year"], path, row, HEADERS["data_year"][0], integer=True)
        )
        code = r["county_code"].removesuffix(".0")
        if not (len(code) == 6 and code.isdigit()):
            raise DataError(
                f"code {code!r} is not a 6-digit 区划代码", file=path, row=row,
                column=HEADERS["county_code"][0],
            )  # fmt: skip
        level1 = TOTAL_ALIASES.get(r["level1"], r["level1"])
        level2 = (
            TOTAL_ALIASES.get(r["level2"], r["level2"]) if level1 == TOTAL_LEVEL1 else r["level2"]
        )
        for column in ("county", "level1", "level2"):
            if not r[column]:
                raise DataError("empty cell", file=path, row=row, column=HEADERS[column][0])
        rec.update(county_code=code, county=r["county"], level1=level1, level2=level2)
        rec.update(unit=r["unit"], note=r["note"], value_text=r["value"])
        if level1 == TOTAL_LEVEL1:
            rec.update(value=np.nan, points=np.nan, max_points=np.nan)
        else:
            rec["value"] = (
                np.nan if r["value"] == "" else _number(r["value"], path, row, HEADERS["value"][0])
            )
            rec["points"] = _number(r["points"], path, row, HEADERS["points"][0])
            rec["max_points"] = _number(r["max_points"], path, row, HEADERS["max_points"][0])
        records.append(rec)
    if not records:
        raise DataError("the file has a header but no rows", file=path, row=2)
    return pd.DataFrame.from_records(records)


# ---------------------------------------------------------------------------------------------
# from rows to one row per unit and round


def _totals(rows: pd.DataFrame) -> pd.DataFrame:
    """The 合计 rows of one file as one row per (round, county_code): score, class, position."""
    tot = rows[rows["level1"] == TOTAL_LEVEL1]
    out = []
    for (rnd, code), grp in rows.groupby(["round", "county_code"], sort=True):
        mine = tot[(tot["round"] == rnd) & (tot["county_code"] == code)]
        first = grp.iloc[0]
        rec = {"round": rnd, "county_code": code, "file": first["file"], "row": int(first["row"])}
        for key, item in TOTAL_ITEMS.items():
            hit = mine[mine["level2"] == item]
            if len(hit) != 1:
                raise DataError(
                    f"round {rnd}, {code}: expected one row 合计/{item}, found {len(hit)}",
                    file=first["file"], row=int(hit["row"].iloc[1]) if len(hit) > 1 else None,
                    column=HEADERS["level2"][0],
                )  # fmt: skip
            text, row = hit["value_text"].iloc[0], int(hit["row"].iloc[0])
            column = HEADERS["value"][0]
            if key == "class":
                if text not in CLASSES:
                    raise DataError(
                        f"class {text!r} is not A, B or C", file=first["file"], row=row,
                        column=column,
                    )  # fmt: skip
                rec["class"], rec["class_row"] = text, row
            elif key == "position":
                rec["position"] = int(_number(text, Path(first["file"]), row, column, integer=True))
                rec["position_row"] = row
            else:
                rec["score"] = _number(text, Path(first["file"]), row, column)
                rec["score_row"] = row
        out.append(rec)
    return pd.DataFrame.from_records(out)


def _show(v: object) -> str:
    return f"{float(v):g}" if isinstance(v, int | float | np.number) else repr(v)


def _merge_files(parts: list[pd.DataFrame], key: list[str], compare: list[str]) -> pd.DataFrame:
    """Union of several files' rows; a unit given twice must agree in every compared column."""
    allrows = pd.concat(parts, ignore_index=True)
    dup = allrows.duplicated(key, keep=False)
    for _, grp in allrows[dup].groupby(key, sort=True):
        first = grp.iloc[0]
        for _, other in grp.iloc[1:].iterrows():
            for column in compare:
                a, b = first[column], other[column]
                if not (a == b or (pd.isna(a) and pd.isna(b))):
                    raise DataError(
                        f"{column} {_show(b)} disagrees with {_show(a)} in "
                        f"{Path(first['file']).name} "
                        f"(row {first['row']}) for the same unit and round",
                        file=other["file"], row=int(other["row"]),
                        column=HEADERS.get(column, (column,))[0],
                    )  # fmt: skip
    return allrows.drop_duplicates(key, keep="first").reset_index(drop=True)


def published_indicator_names(raw: Path) -> set[str]:
    """The level-2 names the province published (five; the rest of the 17 were not named)."""
    df = pd.read_csv(raw / INDICATOR_SYSTEM_FILE, dtype=str, keep_default_na=False,
                     encoding="utf-8-sig")  # fmt: skip
    names = df["level2"].str.strip()
    return {n for n in names if n and not n.startswith("(")}


def is_simulated(internal_dir: Path) -> bool:
    """The bundled stand-in carries its CALIBRATION.csv; a user's own folder does not."""
    return (Path(internal_dir) / FOLDER / "CALIBRATION.csv").is_file()


def read_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, set[int]]:
    """All report files of ``folder``: (indicator rows, score rows, rounds with a full table)."""
    parts, totals, full_rounds = [], [], set()
    for path in report_files(folder):
        rows = read_report(path)
        per_round = rows.groupby("round")["county_code"].nunique()
        full_rounds |= {int(r) for r, k in per_round.items() if k > 1}
        parts.append(rows[rows["level1"] != TOTAL_LEVEL1])
        tot = _totals(rows)
        names = rows.drop_duplicates(["round", "county_code"])[
            ["round", "county_code", "county", "data_year"]
        ]
        totals.append(tot.merge(names, on=["round", "county_code"]))
    ind = _merge_files(
        parts,
        ["round", "county_code", "level2"],
        ["data_year", "county", "level1", "value", "unit", "points", "max_points"],
    )
    sc = _merge_files(
        totals, ["round", "county_code"], ["data_year", "county", "score", "class", "position"]
    )
    return ind, sc, full_rounds
