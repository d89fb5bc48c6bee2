"""The provincial evaluation as a county receives it: its own report, and sometimes the full table.

Input format (README, "Evaluation reports: input format"; blank templates in
``data/internal/templates/evaluation_*``): one long table per file, CSV (UTF-8, BOM or not) or
xlsx (first sheet), header in row 1, one row per indicator of one unit in one round::

    轮次 | 数据年份 | 区划代码 | 县(市、区) | 一级指标 | 二级指标 | 指标值 | 单位 | 得分 | 满分
    | 备注 (optional)

(English headers round, data_year, county_code, county, level1, level2, value, unit, points,
max_points, note are accepted too.) Three rows per unit under 一级指标 ``合计`` carry the total:
二级指标 ``总得分`` (value = points = the score, 满分 100), ``等级`` (value A/B/C) and ``全省位次``
(value = the position in the province). A county's own report holds one unit; the full table
holds every unit of the round in the same shape. Every ``*.csv``/``*.xlsx`` in
``<internal_data_dir>/evaluation/`` is read, except metadata files whose name is in capitals
(``ANCHORS.csv``, ``CALIBRATION.csv``); a unit reported in several files (the own report and the
full table, or CSV and xlsx of the same report) must agree cell for cell.

Level-2 names are taken as printed: names that are not among the five the province published
are accepted and flagged (``indicator_named_in_sources`` False). Every check below raises a
:class:`~analysis.errors.DataError` naming the file, row and column; nothing is written unless
all pass (METHODS §4.6).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError
from analysis.evaluation_rules import (
    CLASS_RULE_TEXT,
    CLASSES,
    MAX_QUALITATIVE,
    MAX_QUANTITATIVE,
    N_QUALITATIVE,
    N_QUANTITATIVE,
    QUALITATIVE_LEVEL1,
    class_of_score,
)
from analysis.ingest import admin, evaluation
from analysis.io import atomic_path, write_csv

FOLDER = "evaluation"
INDICATOR_SYSTEM_FILE = Path("published") / "hebei_sti_indicator_system.csv"
TOTAL_LEVEL1 = "合计"
TOTAL_ITEMS = {"score": "总得分", "class": "等级", "position": "全省位次"}
TOTAL_ALIASES = {"total": TOTAL_LEVEL1, "score": "总得分", "class": "等级", "position": "全省位次"}
SCORE_TOLERANCE = 0.1  # 17 printed points, each rounded to 0.01, against the printed total
MEAN_TOLERANCE = 0.005  # a mean printed to 0.01

# canonical column -> (Chinese header as in the template, English header)
HEADERS = {
    "round": ("轮次", "round"),
    "data_year": ("数据年份", "data_year"),
    "county_code": ("区划代码", "county_code"),
    "county": ("县(市、区)", "county"),
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "value": ("指标值", "value"),
    "unit": ("单位", "unit"),
    "points": ("得分", "points"),
    "max_points": ("满分", "max_points"),
}
OPTIONAL_HEADERS = {"note": ("备注", "note")}
TEMPLATE_HEADERS = [zh for zh, _ in (*HEADERS.values(), *OPTIONAL_HEADERS.values())]


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


# ---------------------------------------------------------------------------------------------
# checks (METHODS §4.6): each raises a DataError naming file, row, column


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    run: Callable[[pd.DataFrame, pd.DataFrame, dict], str]  # returns a short detail


def _err(msg: str, rec: pd.Series, column: str, row_key: str = "row") -> DataError:
    return DataError(
        msg, file=rec["file"], row=int(rec[row_key]), column=HEADERS.get(column, (column,))[0]
    )


def check_units_of_the_time(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """Every code is a county-level unit of the round (units_as_of(round - 1)); names match."""
    for rec in sc.itertuples():
        units = ctx["units"][rec.round]
        hit = units[units["code"] == rec.county_code]
        row = pd.Series(rec._asdict())
        if hit.empty:
            raise _err(
                f"{rec.county_code} is not a county-level unit of the {rec.round} round "
                f"({len(units)} units, codes of {rec.round - 1})", row, "county_code"
            )  # fmt: skip
        if hit["name"].iloc[0] != rec.county:
            try:
                code = admin.resolve_name(rec.county, ctx["codes"], year=rec.round - 1)
            except DataError:
                code = None
            if code != rec.county_code:
                raise _err(
                    f"{rec.county!r} does not name {rec.county_code} ({hit['name'].iloc[0]})",
                    row, "county",
                )  # fmt: skip
    return f"{len(sc)} unit-rounds"


def check_points_within_maxima(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """0 <= points <= max_points on every indicator row."""
    bad = ind[(ind["points"] < 0) | (ind["points"] > ind["max_points"] + 1e-9)]
    if len(bad):
        rec = bad.iloc[0]
        raise _err(
            f"points {rec['points']:g} outside 0..{rec['max_points']:g} ({rec['level2']})",
            rec, "points",
        )  # fmt: skip
    return f"{len(ind)} indicator rows"


def check_structure(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """17 level-2 indicators per unit: 14 quantitative worth 85 points, 3 qualitative (创新管理)
    worth 15; each named once; the same indicator has the same maximum for every unit."""
    for (rnd, code), grp in ind.groupby(["round", "county_code"], sort=True):
        first = grp.iloc[0]
        dup = grp["level2"].duplicated()
        if dup.any():
            raise _err(f"indicator {grp.loc[dup, 'level2'].iloc[0]!r} given twice",
                       grp[dup].iloc[0], "level2")  # fmt: skip
        qual = grp["level1"] == QUALITATIVE_LEVEL1
        for part, n, mx, label in (
            (grp[~qual], N_QUANTITATIVE, MAX_QUANTITATIVE, "quantitative"),
            (grp[qual], N_QUALITATIVE, MAX_QUALITATIVE, f"qualitative ({QUALITATIVE_LEVEL1})"),
        ):
            if len(part) != n or abs(part["max_points"].sum() - mx) > 1e-6:
                raise _err(
                    f"round {rnd}, {code}: {len(part)} {label} indicators worth "
                    f"{part['max_points'].sum():g} points; the evaluation has {n} worth {mx:g}",
                    part.iloc[-1] if len(part) else first, "max_points",
                )  # fmt: skip
    for (_, _), grp in ind.groupby(["round", "level2"], sort=True):
        odd = grp[grp["max_points"] != grp["max_points"].mode().iloc[0]]
        if len(odd):
            raise _err(
                f"{odd.iloc[0]['level2']}: maximum {odd.iloc[0]['max_points']:g} differs from "
                f"{grp['max_points'].mode().iloc[0]:g} of the other units", odd.iloc[0],
                "max_points",
            )  # fmt: skip
    return f"{sc.shape[0]} unit-rounds x 17 indicators (14 + 3; 85 + 15 points)"


def check_score_is_sum(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """The total score equals the sum of the 17 points (within rounding) and lies in 0..100."""
    sums = ind.groupby(["round", "county_code"])["points"].sum()
    for rec in sc.to_dict("records"):
        s = sums[(rec["round"], rec["county_code"])]
        if not 0 <= rec["score"] <= 100 or abs(s - rec["score"]) > SCORE_TOLERANCE:
            raise _err(
                f"score {rec['score']:g} is not the sum of the points ({s:.2f}) in 0..100",
                pd.Series(rec), "value", "score_row",
            )  # fmt: skip
    return f"tolerance {SCORE_TOLERANCE} points"


def check_class_agrees_with_score(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """The class printed agrees with the class of the printed score (evaluation_rules)."""
    for rec in sc.to_dict("records"):
        want = class_of_score(rec["score"])
        if rec["class"] != want:
            raise _err(
                f"class {rec['class']} but score {rec['score']:g} is class {want}",
                pd.Series(rec), "value", "class_row",
            )  # fmt: skip
    return CLASS_RULE_TEXT


def check_positions(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """Positions are 1..n, unique, and a higher score never has a worse position; a full
    table's positions are exactly 1..n; a position lies in its class's range of the counts."""
    out = []
    for rnd, grp in sc.groupby("round", sort=True):
        n = evaluation.units_in_round(rnd)
        g = grp.sort_values(["position", "score"], ascending=[True, False])
        for rec in g.to_dict("records"):
            if not 1 <= rec["position"] <= n:
                raise _err(f"position {rec['position']} outside 1..{n}", pd.Series(rec),
                           "value", "position_row")  # fmt: skip
        dup = g[g["position"].duplicated()]
        if len(dup):
            raise _err(f"position {dup.iloc[0]['position']} given to two units",
                       dup.iloc[0], "value", "position_row")  # fmt: skip
        worse = g["score"].to_numpy()[1:] > g["score"].to_numpy()[:-1] + 1e-9
        if worse.any():
            rec = g.iloc[int(np.argmax(worse)) + 1]
            raise _err(
                f"position {rec['position']} with score {rec['score']:g}, above the score of "
                f"position {g.iloc[int(np.argmax(worse))]['position']}", rec, "value",
                "position_row",
            )  # fmt: skip
        if rnd in ctx["full_rounds"] and g["position"].tolist() != list(range(1, n + 1)):
            rec = g.iloc[0]
            raise _err(f"round {rnd}: positions are not 1..{n}", rec, "value", "position_row")
        counts = ctx["rounds"].set_index("round")
        if rnd in counts.index and counts.loc[rnd, ["n_A", "n_B"]].notna().all():
            n_a, n_b = int(counts.at[rnd, "n_A"]), int(counts.at[rnd, "n_B"])
            for rec in g.to_dict("records"):
                p = rec["position"]
                want = "A" if p <= n_a else "B" if p <= n_a + n_b else "C"
                if rec["class"] != want:
                    raise _err(
                        f"position {p} lies in class {want} of the published counts "
                        f"(A {n_a}, B {n_b}) but the class is {rec['class']}", pd.Series(rec),
                        "value", "position_row",
                    )  # fmt: skip
        out.append(str(rnd))
    return "rounds " + ", ".join(out)


def check_unit_count(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """A full table holds exactly the units of its round: 168 in 2019 and 2020, 167 after."""
    done = []
    for rnd in sorted(ctx["full_rounds"]):
        grp = sc[sc["round"] == rnd]
        units = ctx["units"][rnd]
        missing = sorted(set(units["code"]) - set(grp["county_code"]))
        if len(grp) != len(units) or missing:
            rec = grp.iloc[-1]
            raise _err(
                f"round {rnd}: {len(grp)} units, the round has {len(units)}"
                + (f"; missing {missing[:5]}" if missing else ""), rec, "county_code",
            )  # fmt: skip
        done.append(f"{rnd}: {len(grp)}")
    return "; ".join(done) if done else "no full table"


def check_published_counts(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """A full table's class counts and mean agree with the published (or derived) ones."""
    rounds = ctx["rounds"].set_index("round")
    done = []
    for rnd in sorted(ctx["full_rounds"]):
        if rnd not in rounds.index:
            continue
        grp = sc[sc["round"] == rnd]
        rec = grp.iloc[0]
        for c in CLASSES:
            want = rounds.at[rnd, f"n_{c}"]
            got = int((grp["class"] == c).sum())
            if pd.notna(want) and got != int(want):
                raise _err(
                    f"round {rnd}: {got} units in class {c}, published {int(want)} "
                    f"({rounds.at[rnd, f'n_{c}_status']})", rec, "value", "class_row",
                )  # fmt: skip
        want = rounds.at[rnd, "mean_score"]
        got = grp["score"].mean()
        if pd.notna(want) and abs(got - want) > MEAN_TOLERANCE + 1e-9:
            raise _err(
                f"round {rnd}: mean score {got:.3f}, published {want:.2f} "
                f"({rounds.at[rnd, 'mean_score_status']})", rec, "value", "score_row",
            )  # fmt: skip
        done.append(str(rnd))
    return "rounds " + ", ".join(done) if done else "no full table of a published round"


def check_published_classes(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """Units named in the published class lists have that class (and position, where the list
    is in score order)."""
    pub = ctx["classes"].set_index(["round", "county_code"])
    n = 0
    for rec in sc.to_dict("records"):
        key = (rec["round"], rec["county_code"])
        if key not in pub.index:
            continue
        n += 1
        p = pub.loc[key]
        if p["class"] != rec["class"]:
            raise _err(
                f"class {rec['class']} but the published list has {p['class']} "
                f"({p['source_url']})", pd.Series(rec), "value", "class_row",
            )  # fmt: skip
        if pd.notna(p["position"]) and int(p["position"]) != rec["position"]:
            raise _err(
                f"position {rec['position']} but the published A list has {int(p['position'])}",
                pd.Series(rec), "value", "position_row",
            )  # fmt: skip
    return f"{n} units named in the published lists"


CHECKS: tuple[Check, ...] = (
    Check("units", "units and codes of the time", check_units_of_the_time),
    Check("points", "points within their maxima", check_points_within_maxima),
    Check("structure", "17 indicators: 14 quantitative (85) + 3 qualitative (15)", check_structure),
    Check("score", "score = sum of the points, in 0..100", check_score_is_sum),
    Check("class", "class agrees with the score (A >= 80, B 60-80, C < 60)",
          check_class_agrees_with_score),
    Check("unit_count", "a full table has the round's units (168 / 167)", check_unit_count),
    Check("positions", "positions agree with the scores (and the class counts)", check_positions),
    Check("published_counts", "class counts and mean agree with the published ones",
          check_published_counts),
    Check("published_classes", "classes and positions agree with the published lists",
          check_published_classes),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# ingest


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


INDICATOR_COLUMNS = [
    "round", "data_year", "county_code", "county", "city", "level1", "level2",
    "indicator_named_in_sources", "assumed_name", "value", "unit", "points", "max_points",
    "simulated",
]  # fmt: skip
SCORE_COLUMNS = [
    "round", "data_year", "county_code", "county", "city", "score", "class", "position",
    "quantitative_points", "qualitative_points", "simulated", "round_published",
]  # fmt: skip
CHECK_COLUMNS = ["check", "description", "result", "detail"]


def ingest(internal_dir: Path, raw: Path, simulated: bool) -> dict[str, pd.DataFrame]:
    """Read ``<internal_dir>/evaluation/``, run every check, return the tidy tables.

    Returns ``evaluation_indicators``, ``evaluation_scores`` and ``evaluation_checks`` (one row
    per check, all passed: a failing check raises before anything is returned).
    """
    folder = Path(internal_dir) / FOLDER
    ind, sc, full_rounds = read_folder(folder)
    codes = admin.code_table(raw)
    rounds = evaluation.evaluation_rounds(raw)
    ctx = {
        "units": {r: admin.units_as_of(r - 1, raw) for r in sorted(set(sc["round"]))},
        "codes": codes,
        "rounds": rounds,
        "classes": evaluation.evaluation_classes(raw, codes),
        "full_rounds": full_rounds,
    }
    results = [
        {"check": c.name, "description": c.description, "result": "passed",
         "detail": c.run(ind, sc, ctx)}
        for c in CHECKS
    ]  # fmt: skip
    named = published_indicator_names(raw)
    city = {
        (r, code): c
        for r, units in ctx["units"].items()
        for code, c in zip(units["code"], units["city"])
    }
    ind = ind.assign(
        city=[city[(r, c)] for r, c in zip(ind["round"], ind["county_code"])],
        indicator_named_in_sources=ind["level2"].isin(named),
        simulated=bool(simulated),
    )
    ind["assumed_name"] = bool(simulated) & ~ind["indicator_named_in_sources"]
    qual = ind["level1"] == QUALITATIVE_LEVEL1
    sums = {
        "quantitative_points": ind[~qual].groupby(["round", "county_code"])["points"].sum(),
        "qualitative_points": ind[qual].groupby(["round", "county_code"])["points"].sum(),
    }
    published = dict(zip(rounds["round"], rounds["published"]))
    sc = sc.assign(
        city=[city[(r, c)] for r, c in zip(sc["round"], sc["county_code"])],
        simulated=bool(simulated),
        round_published=[bool(published.get(r, False)) for r in sc["round"]],
        **{k: [round(float(v[(r, c)]), 2) for r, c in zip(sc["round"], sc["county_code"])]
           for k, v in sums.items()},
    )  # fmt: skip
    ind = ind.sort_values(["round", "county_code", "level1", "level2"], kind="stable")
    sc = sc.sort_values(["round", "position"], kind="stable")
    return {
        "evaluation_indicators": ind[INDICATOR_COLUMNS].reset_index(drop=True),
        "evaluation_scores": sc[SCORE_COLUMNS].reset_index(drop=True),
        "evaluation_checks": pd.DataFrame(results, columns=CHECK_COLUMNS),
    }


# ---------------------------------------------------------------------------------------------
# schemas

_CODE = pa.Check.str_matches(r"^\d{6}$")

EVALUATION_INDICATORS = pa.DataFrameSchema(
    {
        "round": pa.Column(int, pa.Check.in_range(2018, 2100)),
        "data_year": pa.Column(int),
        "county_code": pa.Column(str, _CODE),
        "county": pa.Column(str),
        "city": pa.Column(str),
        "level1": pa.Column(str),
        "level2": pa.Column(str),
        "indicator_named_in_sources": pa.Column(bool),
        "assumed_name": pa.Column(bool),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "simulated": pa.Column(bool),
    },
    checks=[pa.Check(lambda d: d["points"] <= d["max_points"] + 1e-9, error="points <= max")],
    unique=["round", "county_code", "level2"],
    strict=True,
    ordered=True,
)

EVALUATION_SCORES = pa.DataFrameSchema(
    {
        "round": pa.Column(int, pa.Check.in_range(2018, 2100)),
        "data_year": pa.Column(int),
        "county_code": pa.Column(str, _CODE),
        "county": pa.Column(str),
        "city": pa.Column(str),
        "score": pa.Column(float, pa.Check.in_range(0, 100)),
        "class": pa.Column(str, pa.Check.isin(list(CLASSES))),
        "position": pa.Column(int, pa.Check.ge(1)),
        "quantitative_points": pa.Column(float, pa.Check.in_range(0, MAX_QUANTITATIVE)),
        "qualitative_points": pa.Column(float, pa.Check.in_range(0, MAX_QUALITATIVE)),
        "simulated": pa.Column(bool),
        "round_published": pa.Column(bool),
    },
    unique=["round", "county_code"],
    strict=True,
    ordered=True,
)

EVALUATION_CHECKS = pa.DataFrameSchema(
    {c: pa.Column(str) for c in CHECK_COLUMNS},
    checks=[pa.Check(lambda d: d["result"] == "passed", error="every check passed")],
    strict=True,
    ordered=True,
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "evaluation_indicators": EVALUATION_INDICATORS,
    "evaluation_scores": EVALUATION_SCORES,
    "evaluation_checks": EVALUATION_CHECKS,
}


def tables_with_schemas(tables: dict[str, pd.DataFrame]) -> dict[str, tuple]:
    """``{name: (table, schema)}`` for :func:`analysis.schemas.write_tables`."""
    return {name: (df, SCHEMAS[name]) for name, df in tables.items()}


# ---------------------------------------------------------------------------------------------
# writing the format (templates and the stand-in)


def to_input_format(long: pd.DataFrame) -> pd.DataFrame:
    """A long table with canonical English columns -> the input format with Chinese headers."""
    cols = {**HEADERS, **OPTIONAL_HEADERS}
    return long[[c for c in cols if c in long.columns]].rename(
        columns={c: zh for c, (zh, _) in cols.items()}
    )


def write_xlsx(df: pd.DataFrame, target: Path) -> Path:
    """An xlsx with the table on its first sheet; numbers as numbers, codes as text.

    Byte-for-byte deterministic: fixed document dates and fixed zip entry times.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "evaluation"
    ws.append(list(df.columns))
    numeric = {"轮次", "数据年份", "指标值", "得分", "满分"}
    for row in df.itertuples(index=False):
        cells = []
        for header, v in zip(df.columns, row):
            if header in numeric and v not in ("", None):
                try:
                    f = float(v)
                    v = int(f) if f == int(f) and "." not in str(v) else f
                except ValueError:
                    pass  # class letters stay text
            cells.append(v)
        ws.append(cells)
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    with atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())
    return target


TEMPLATES = ("evaluation_report", "evaluation_full_table")


def template_table() -> pd.DataFrame:
    """A blank input table: the headers and the three 合计 rows that carry the total."""
    rows = [
        {h: "" for h in TEMPLATE_HEADERS}
        | {HEADERS["level1"][0]: TOTAL_LEVEL1, HEADERS["level2"][0]: item}
        for item in TOTAL_ITEMS.values()
    ]
    return pd.DataFrame(rows, columns=TEMPLATE_HEADERS)


def write_templates(folder: Path) -> list[Path]:
    """``evaluation_report`` and ``evaluation_full_table`` templates, CSV (UTF-8 BOM) and xlsx.

    Both have the same shape: the own report holds one unit, the full table every unit."""
    out = []
    for name in TEMPLATES:
        out.append(write_csv(template_table(), Path(folder) / f"{name}.csv"))
        out.append(write_xlsx(template_table(), Path(folder) / f"{name}.xlsx"))
    return out
