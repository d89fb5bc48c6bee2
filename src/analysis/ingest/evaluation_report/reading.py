"""Reading the report files of a folder into indicator rows and one score row per unit and round.

Each file is read as text, its headers mapped onto the input format's names, every cell typed
with the file, row and column named on failure; a unit given in several files (the own report
and the full table, or CSV and xlsx of one report) must agree cell for cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
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
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"

# ---------------------------------------------------------------------------------------------
# reading one file


def report_files_present(folder: Path) -> bool:
    """Whether ``folder`` holds any report file (the evaluation is an optional input)."""
    try:
        report_files(folder)
    except DataError:
        return False
    return True


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
    """Every cell as text. xlsx through calamine (fast; the format needs no cell formats)."""
    if path.suffix.lower() == ".xlsx":
        try:
            df = pd.read_excel(path, sheet_name=0, dtype=str, engine="calamine")
        except Exception as exc:  # a corrupt or mis-named file
            raise DataError(
                f"cannot open as .xlsx ({type(exc).__name__}): open it in Excel/WPS and save "
                "it as .xlsx, or export a .csv",
                file=path,
            ) from None
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


_NUMBER = re.compile(NUMBER)


def _number_text(v: object) -> str | None:
    """A cell's text as pandas should parse it, or None where it is not a number: full-width
    digits as ASCII (NFKC, only for the rare non-ASCII cell), a trailing 分 of points dropped."""
    if not isinstance(v, str):
        return None
    if not v.isascii():
        v = unicodedata.normalize("NFKC", v)
    v = v.removesuffix("分")
    return v if _NUMBER.fullmatch(v) else None


def _numbers(text: pd.Series) -> pd.Series:
    """Text as numbers (full-width digits as ASCII, a trailing 分 of points dropped); NaN where
    the text is not a number. One pass over the cells in Python, then pandas' own parser: five
    vectorised string methods on the text columns cost three times as much."""
    kept = [_number_text(v) for v in text.to_numpy(dtype=object)]
    kept_text = pd.Series(kept, index=text.index, dtype=text.dtype, name=text.name)
    return pd.to_numeric(kept_text, errors="coerce")


@dataclass(frozen=True)
class _Problem:
    """A bad cell: the rows where it occurs and what to say about the first of them."""

    column: str  # canonical column
    bad: pd.Series  # boolean, aligned with the rows
    message: Callable[[str], str]  # from the cell's text


def _first_problem(df: pd.DataFrame, problems: list[_Problem], path: Path) -> None:
    """Raise for the first bad cell in row order (and the order of ``problems`` within a row)."""
    first = [(int(p.bad.to_numpy().argmax()), k) for k, p in enumerate(problems) if p.bad.any()]
    if not first:
        return
    i, k = min(first)
    p = problems[k]
    raise DataError(
        p.message(df[p.column].iloc[i]),
        file=path,
        row=int(df["row"].iloc[i]),
        column=HEADERS[p.column][0],
    )


def _typed(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Canonical text columns -> typed rows; DataError at the first bad cell."""
    level1 = df["level1"].replace(TOTAL_ALIASES)
    total = level1 == TOTAL_LEVEL1
    level2 = df["level2"].where(~total, df["level2"].replace(TOTAL_ALIASES))
    code = df["county_code"].str.removesuffix(".0")
    nums = {c: _numbers(df[c]) for c in ("round", "data_year", "value", "points", "max_points")}

    def not_number(t: str) -> str:
        return f"{t!r} is not a number"

    def whole(c: str) -> pd.Series:
        return nums[c].notna() & (nums[c] != nums[c].round())

    problems = [
        _Problem("round", nums["round"].isna(), not_number),
        _Problem("round", whole("round"), lambda t: f"{t!r} is not a whole number"),
        _Problem("data_year", nums["data_year"].isna(), not_number),
        _Problem("data_year", whole("data_year"), lambda t: f"{t!r} is not a whole number"),
        _Problem(
            "county_code",
            ~code.str.fullmatch(r"\d{6}"),
            lambda t: f"code {t.removesuffix('.0')!r} is not a 6-digit 区划代码",
        ),
        *[_Problem(c, df[c] == "", lambda t: "empty cell") for c in ("county", "level1", "level2")],
        _Problem("value", ~total & (df["value"] != "") & nums["value"].isna(), not_number),
        _Problem("points", ~total & nums["points"].isna(), not_number),
        _Problem("max_points", ~total & nums["max_points"].isna(), not_number),
    ]
    _first_problem(df, problems, path)
    out = pd.DataFrame(
        {
            "file": str(path),
            "row": df["row"],
            "round": nums["round"].astype(int),
            "data_year": nums["data_year"].astype(int),
            "county_code": code,
            "county": df["county"],
            "level1": level1,
            "level2": level2,
            "unit": df["unit"],
            "note": df["note"],
            "value_text": df["value"],
        }
    )
    for c in ("value", "points", "max_points"):
        out[c] = nums[c].where(~total).astype(float)
    return out.reset_index(drop=True)


def read_report(path: Path) -> pd.DataFrame:
    """One file in the input format -> long rows with canonical columns, typed, plus ``file``
    and ``row`` (the spreadsheet row) for error messages."""
    df = _canonical_columns(_read_cells(path), path)
    df = df.assign(row=range(2, len(df) + 2))
    df = df[(df.drop(columns="row") != "").any(axis=1)]  # blank lines
    if df.empty:
        raise DataError("the file has a header but no rows", file=path, row=2)
    return _typed(df, path)


# ---------------------------------------------------------------------------------------------
# from rows to one row per unit and round


def _total_items(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Each unit's 合计 rows by item (score, class, position): first row, its text, how many,
    and the second row when there are several; units in order, items in TOTAL_ITEMS order.

    The 合计 rows are few (three per unit), so they are looked up in a dict; a cross join and
    three joins per file cost twice as much. Where a unit lacks an item its columns hold NaN
    (and the counts are floats), as a left join would leave them.
    """
    tot = rows[rows["level1"] == TOTAL_LEVEL1]
    found: dict[tuple, list] = {}
    keys = zip(tot["round"], tot["county_code"], tot["level2"])
    for key, row, text in zip(keys, tot["row"], tot["value_text"]):
        found.setdefault(key, []).append((row, text))
    grid = [
        (rnd, code, file, item, level2)
        for rnd, code, file in zip(units["round"], units["county_code"], units["file"])
        for item, level2 in TOTAL_ITEMS.items()
    ]
    hits = [found.get((rnd, code, level2), []) for rnd, code, _, _, level2 in grid]
    first = [h[0] if h else (None, None) for h in hits]
    second = [h[1][0] if len(h) > 1 else None for h in hits]
    missing = any(not h for h in hits)
    row_dtype = rows["row"].dtype
    return pd.DataFrame(
        {
            "round": pd.Series([g[0] for g in grid], dtype=units["round"].dtype),
            "county_code": pd.Series([g[1] for g in grid], dtype=units["county_code"].dtype),
            "file": pd.Series([g[2] for g in grid], dtype=units["file"].dtype),
            "item": pd.Series([g[3] for g in grid], dtype=str),
            "level2": pd.Series([g[4] for g in grid], dtype=str),
            "row": pd.Series([f[0] for f in first], dtype=float if missing else row_dtype),
            "text": pd.Series([f[1] for f in first], dtype=rows["value_text"].dtype),
            "n": pd.Series([len(h) for h in hits], dtype=float if missing else int),
            "second": pd.Series(second, dtype=float if None in second else row_dtype),
        }
    )


def _totals(rows: pd.DataFrame) -> pd.DataFrame:
    """The 合计 rows of one file as one row per (round, county_code): score, class, position."""
    keys = ["round", "county_code"]
    units = rows.sort_values([*keys, "row"], kind="stable").drop_duplicates(keys)
    items = _total_items(rows, units)
    column, path = HEADERS["value"][0], Path(rows["file"].iloc[0])
    number = _numbers(items["text"].fillna(""))
    is_ = {k: items["item"] == k for k in TOTAL_ITEMS}
    bad = (
        (items["n"] != 1)
        | (is_["class"] & ~items["text"].isin(CLASSES))
        | (is_["position"] & (number.isna() | (number != number.round())))
        | (is_["score"] & number.isna())
    )
    if bad.any():
        _raise_total(items[bad].iloc[0], column, path)
    out = units[[*keys, "file", "row"]].reset_index(drop=True)
    for item in TOTAL_ITEMS:
        part = items[is_[item]].reset_index(drop=True)  # units in the same order
        value = number[is_[item]].reset_index(drop=True)
        out[item] = part["text"] if item == "class" else value
        out[f"{item}_row"] = part["row"].astype(int)
    out["position"] = out["position"].astype(int)
    return out[
        [*keys, "file", "row", "score", "score_row", "class", "class_row", "position",
         "position_row"]
    ]  # fmt: skip


def _raise_total(r: pd.Series, column: str, path: Path) -> None:
    item = TOTAL_ITEMS[r["item"]]
    if r["n"] != 1:
        raise DataError(
            f"round {r['round']}, {r['county_code']}: expected one row 合计/{item}, "
            f"found {int(r['n'])}",
            file=r["file"], row=int(r["second"]) if r["n"] > 1 else None,
            column=HEADERS["level2"][0],
        )  # fmt: skip
    text, row = r["text"], int(r["row"])
    if r["item"] == "class":
        raise DataError(f"class {text!r} is not A, B or C", file=path, row=row, column=column)
    if r["item"] == "position" and pd.notna(_numbers(pd.Series([text])).iloc[0]):
        raise DataError(f"{text!r} is not a whole number", file=path, row=row, column=column)
    raise DataError(f"{text!r} is not a number", file=path, row=row, column=column)


def _show(v: object) -> str:
    return f"{float(v):g}" if isinstance(v, int | float | np.number) else repr(v)


def _merge_files(parts: list[pd.DataFrame], key: list[str], compare: list[str]) -> pd.DataFrame:
    """Union of several files' rows; a unit given twice must agree in every compared column."""
    allrows = pd.concat(parts, ignore_index=True)
    dup = allrows[allrows.duplicated(key, keep=False)]
    if dup.empty:
        return allrows.reset_index(drop=True)
    first = dup.drop_duplicates(key, keep="first").set_index(key)
    others = dup[dup.duplicated(key, keep="first")]
    pairs = others.join(first[[*compare, "file", "row"]].add_suffix("_first"), on=key)
    for column in compare:
        a, b = pairs[f"{column}_first"], pairs[column]
        pairs[f"_ne_{column}"] = ~((a == b) | (a.isna() & b.isna()))
    flags = pairs[[f"_ne_{c}" for c in compare]]
    if flags.to_numpy().any():
        bad = pairs[flags.any(axis=1)].sort_values(key, kind="stable").iloc[0]
        column = next(c for c in compare if bad[f"_ne_{c}"])
        raise DataError(
            f"{column} {_show(bad[column])} disagrees with {_show(bad[f'{column}_first'])} in "
            f"{Path(bad['file_first']).name} (row {bad['row_first']}) for the same unit and round",
            file=bad["file"], row=int(bad["row"]), column=HEADERS.get(column, (column,))[0],
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
    ind, sc, full_rounds, _ = read_folder_with_owners(folder)
    return ind, sc, full_rounds


def read_folder_with_owners(
    folder: Path,
) -> tuple[pd.DataFrame, pd.DataFrame, set[int], set[tuple[int, str]]]:
    """:func:`read_folder`, and the (round, county code) of every file that reports one unit
    of a round (a county's own report)."""
    parts, totals, full_rounds, own = [], [], set(), set()
    for path in report_files(folder):
        rows = read_report(path)
        units = rows.groupby("round")["county_code"].unique()
        full_rounds |= {int(r) for r, codes in units.items() if len(codes) > 1}
        own |= {(int(r), str(codes[0])) for r, codes in units.items() if len(codes) == 1}
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
    return ind, sc, full_rounds, own
