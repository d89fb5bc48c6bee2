"""The provincial county innovation evaluation (县域科技创新能力监测评价) as published.

Rounds are named by their label (监测评价结果(2023) -> round 2023) and carry their data year
apart: round Y normally uses the statistics of year Y-1. The public notices give class counts,
mean scores and (for 2023) the A list in score order, never the scores themselves.

Some numbers were published only as differences ("the mean rose 9.26 points on 2019"). They are
facts with a source, kept here in one table, and the values they imply are marked ``derived`` so
nobody mistakes them for a published level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.ingest.admin.names import name_entries, resolve_name
from analysis.ingest.memo import content_key, frame_key, memoised

SUMMARY_FILE = Path("published") / "hebei_sti_evaluation_summary.csv"
CLASSES_FILE = Path("published") / "hebei_sti_evaluation_classes.csv"
FIRST_ROUND_167 = 2021  # 邢台县 abolished in 2020: 168 units up to the 2020 round, 167 after
ROUNDS = tuple(range(2018, 2025))

SRC_2019 = "http://sjzshi.com/forum.php?goto=lastpost&mod=redirect&tid=20191"
SRC_2021 = "http://www.daibaosuo.com/2022-02/22/c_1211582988.htm"
SRC_2023 = "http://bzlm.jucainet.cn/baizhan/54439.html"
SRC_2024 = "http://he.people.com.cn/BIG5/n2/2024/1225/c192235-41087650.html"


@dataclass(frozen=True)
class PublishedDifference:
    """A published change between two rounds: value(round) - value(base) = delta."""

    quantity: str  # "mean_score", "n_A", "n_B", "n_C"
    round: int
    base: int
    delta: float
    source_url: str
    wording: str


# "Plan start" (跃升计划起点) is the 2018 baseline. Quoted from the sources' wording.
PUBLISHED_DIFFERENCES: tuple[PublishedDifference, ...] = (
    PublishedDifference("mean_score", 2021, 2020, 4.81, SRC_2021, "平均分比2020年提高4.81分"),
    PublishedDifference("mean_score", 2021, 2019, 9.26, SRC_2021, "比2019年提高9.26分"),
    PublishedDifference("mean_score", 2023, 2018, 27.05, SRC_2023, "较跃升计划实施前提高27.05分"),
    PublishedDifference("mean_score", 2024, 2018, 31.06, SRC_2024, "较计划实施前提高31.06分"),
    PublishedDifference("mean_score", 2024, 2023, 4.01, SRC_2024, "较上年提高4.01分"),
    PublishedDifference("n_A", 2021, 2020, 13, SRC_2021, "A类县增加13个"),
    PublishedDifference("n_B", 2021, 2020, 2, SRC_2021, "B类县增加2个"),
    PublishedDifference("n_C", 2021, 2020, -16, SRC_2021, "C类县减少16个"),
)

DATA_YEAR_NOTES = {
    2021: "two sources say 2020 statistics, one says 2021 (see the summary's notes)",
}

ROUND_COLUMNS = [
    "round",
    "data_year",
    "data_year_note",
    "n_units",
    "n_A",
    "n_B",
    "n_C",
    "mean_score",
    "n_units_status",
    "n_A_status",
    "n_B_status",
    "n_C_status",
    "mean_score_status",
    "published",
    "derivation",
    "sources",
]
QUANTITIES = ("n_units", "n_A", "n_B", "n_C", "mean_score")


def units_in_round(round_: int) -> int:
    """Number of county-level units evaluated: 168 before 邢台县 was abolished, 167 after."""
    return 168 if round_ < FIRST_ROUND_167 else 167


def read_summary_rows(raw: Path) -> pd.DataFrame:
    """The published summary as received: one row per (round, source)."""
    path = raw / SUMMARY_FILE
    df = pd.read_csv(path, encoding="utf-8-sig")
    expected = {"year_published", "n_counties", "n_A", "n_B", "n_C", "mean_score", "source_url"}
    missing = expected - set(df.columns)
    if missing:
        raise DataError(f"missing column(s) {sorted(missing)}", file=path, row=1)
    return df.rename(columns={"year_published": "round", "n_counties": "n_units"})


def _coalesce_round(rows: pd.DataFrame, path: Path) -> dict[str, object]:
    """One value per quantity across a round's sources; sources that disagree are an error."""
    out: dict[str, object] = {}
    for q in QUANTITIES:
        values = rows[q].dropna().unique()
        if len(values) > 1:
            bad = int(rows.index[rows[q].notna()][1]) + 2
            raise DataError(
                f"round {rows['round'].iloc[0]}: sources disagree on {q}: {sorted(values)}",
                file=path,
                row=bad,
                column=q,
            )
        out[q] = float(values[0]) if len(values) else np.nan
    return out


def evaluation_rounds(raw: Path) -> pd.DataFrame:
    """One row per round 2018-2024: counts and mean, each marked published/derived/missing.

    Derived values come from :data:`PUBLISHED_DIFFERENCES` applied to a published level, or
    from the unit count minus the other classes; the 2022 round was not published at all.
    """
    rows = read_summary_rows(raw)
    path = raw / SUMMARY_FILE
    records = []
    for r in ROUNDS:
        sub = rows[rows["round"] == r]
        values = _coalesce_round(sub, path) if len(sub) else dict.fromkeys(QUANTITIES, np.nan)
        status = {q: ("published" if pd.notna(values[q]) else "not_published") for q in QUANTITIES}
        records.append(
            {
                "round": r,
                **values,
                **{f"{q}_status": s for q, s in status.items()},
                "published": bool(len(sub)) and any(pd.notna(values[q]) for q in QUANTITIES),
                "derivation": "",
                "sources": " ; ".join(sorted(set(sub["source_url"].dropna()))),
            }
        )
    table = pd.DataFrame.from_records(records).set_index("round")
    _apply_differences(table)
    _fill_units_and_remainders(table)
    table = table.reset_index()
    table["data_year"] = table["round"] - 1
    table["data_year_note"] = table["round"].map(DATA_YEAR_NOTES).fillna("")
    for q in ("n_units", "n_A", "n_B", "n_C"):
        table[q] = table[q].astype("Int64")
    return table[ROUND_COLUMNS]


def _apply_differences(table: pd.DataFrame) -> None:
    """Fill a missing level from a published level and a published difference (in place)."""
    changed = True
    while changed:  # a derived value can enable another derivation
        changed = False
        for d in PUBLISHED_DIFFERENCES:
            here, base = table.at[d.round, d.quantity], table.at[d.base, d.quantity]
            if pd.isna(base) and pd.notna(here):
                value = round(float(here) - d.delta, 2)
                _derive(table, d.base, d.quantity, value, f"{here:g} - {d.delta:g} [{d.wording}]")
                changed = True
            elif pd.isna(here) and pd.notna(base):
                value = round(float(base) + d.delta, 2)
                _derive(table, d.round, d.quantity, value, f"{base:g} + {d.delta:g} [{d.wording}]")
                changed = True


def _derive(table: pd.DataFrame, round_: int, quantity: str, value: float, how: str) -> None:
    table.at[round_, quantity] = value
    table.at[round_, f"{quantity}_status"] = "derived"
    note = f"{quantity} = {how}"
    old = table.at[round_, "derivation"]
    table.at[round_, "derivation"] = f"{old}; {note}" if old else note


def _fill_units_and_remainders(table: pd.DataFrame) -> None:
    for r in table.index:
        if not table.at[r, "published"] and table.loc[r, list(QUANTITIES)].isna().all():
            continue  # a round with nothing published stays empty (2022)
        if pd.isna(table.at[r, "n_units"]):
            _derive(table, r, "n_units", units_in_round(r), "units evaluated that round")
        counts = table.loc[r, ["n_A", "n_B", "n_C"]]
        if counts.isna().sum() == 1:
            missing = counts.index[counts.isna()][0]
            n = table.at[r, "n_units"]
            _derive(table, r, missing, n - counts.sum(), f"{n:g} units - the other classes")


def difference_checks(rounds: pd.DataFrame) -> pd.DataFrame:
    """Every published difference against the levels: does the arithmetic hold?

    A difference used to derive a level holds by construction and is reported as such; one
    between two published levels is a genuine check of the sources against each other.
    """
    by_round = rounds.set_index("round")
    out = []
    for d in PUBLISHED_DIFFERENCES:
        here, base = by_round.at[d.round, d.quantity], by_round.at[d.base, d.quantity]
        st_here = by_round.at[d.round, f"{d.quantity}_status"]
        st_base = by_round.at[d.base, f"{d.quantity}_status"]
        diff = float(here) - float(base) if pd.notna(here) and pd.notna(base) else np.nan
        independent = st_here == "published" and st_base == "published"
        used = d.wording in " ".join(by_round.loc[[d.round, d.base], "derivation"])
        out.append(
            {
                "quantity": d.quantity,
                "round": d.round,
                "base_round": d.base,
                "published_difference": d.delta,
                "difference_of_levels": round(diff, 2),
                "agrees": bool(pd.notna(diff) and abs(diff - d.delta) < 0.006),
                "kind": "used to derive"
                if used
                else "check of two published levels"
                if independent
                else "check against a derived level",
                "wording": d.wording,
                "source_url": d.source_url,
            }
        )
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------
# class lists
CLASS_COLUMNS = [
    "round",
    "data_year",
    "county_code",
    "county",
    "city",
    "name_as_published",
    "class",
    "position",
    "position_basis",
    "inferred",
    "source_url",
    "note",
]


def evaluation_classes(raw: Path, codes: pd.DataFrame) -> pd.DataFrame:
    """Published class memberships and positions, one row per (round, unit), on codes of the time.

    ``position`` is the place in the score-ordered A list where the notice says the list is in
    score order (2023); listing orders that are not score orders get no position. Rows whose
    note says ``inferred`` come from statements like 由C类晋级B类 about the next round.
    Built once per process, file content and code table (:mod:`analysis.ingest.memo`).
    """
    files = content_key(raw / CLASSES_FILE)
    key = files and ("evaluation_classes", files, frame_key(codes))
    return memoised(key, lambda: _evaluation_classes(raw, codes))


def _evaluation_classes(raw: Path, codes: pd.DataFrame) -> pd.DataFrame:
    path = raw / CLASSES_FILE
    df = pd.read_csv(path, dtype={"order_in_class": "Int64"}, encoding="utf-8-sig")
    entries = name_entries(codes)
    records = []
    for i, row in df.iterrows():
        excel_row = int(i) + 2
        if row["class"] not in CLASSES:
            raise DataError(
                f"class {row['class']!r} is not A, B or C", file=path, row=excel_row, column="class"
            )
        round_ = int(row["year_published"])
        try:
            # units as at the end of the data year (邢台县 counts in the 2019 and 2020 rounds)
            code = resolve_name(
                str(row["county"]), codes, city=row["city"], year=round_ - 1, entries=entries
            )
        except DataError as exc:
            raise DataError(exc.detail, file=path, row=excel_row, column="county") from exc
        note = "" if pd.isna(row["note"]) else str(row["note"])
        score_order = pd.notna(row["order_in_class"]) and "以分数从高到低为序" in note
        records.append(
            {
                "round": round_,
                "data_year": int(row["data_year"]) if pd.notna(row["data_year"]) else round_ - 1,
                "county_code": code,
                "county": codes.loc[codes["code"] == code, "name"].iloc[0],
                "city": row["city"],
                "name_as_published": row["county"],
                "class": row["class"],
                "position": row["order_in_class"] if score_order else pd.NA,
                "position_basis": "score order within class A" if score_order else "",
                "inferred": note.startswith("inferred"),
                "source_url": row["source_url"],
                "note": note,
            }
        )
    table = pd.DataFrame.from_records(records)
    table["position"] = table["position"].astype("Int64")
    return _one_row_per_unit(table, path)


def _one_row_per_unit(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Merge repeated (round, unit) rows from several sources; conflicting classes are errors."""
    out = []
    for _, grp in table.groupby(["round", "county_code"], sort=True):
        classes = grp["class"].unique()
        if len(classes) > 1:
            raise DataError(
                f"round {grp['round'].iloc[0]}: {grp['county'].iloc[0]} listed in classes "
                f"{sorted(classes)}",
                file=path,
                row=int(grp.index[1]) + 2,
                column="class",
            )
        first = grp.sort_values("inferred").iloc[0].copy()  # prefer a direct statement
        first["inferred"] = bool(grp["inferred"].all())
        first["source_url"] = " ; ".join(sorted(set(grp["source_url"])))
        out.append(first)
    merged = pd.DataFrame(out)[CLASS_COLUMNS].reset_index(drop=True)
    return merged.astype({"position": "Int64", "inferred": bool, "round": int, "data_year": int})


def class_list_checks(classes: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Class lists against the round counts: never more named units than the class holds,
    positions 1..n without gaps or repeats."""
    counts = rounds.set_index("round")
    out = []
    for (r, cls), grp in classes.groupby(["round", "class"]):
        n_class = counts.at[r, f"n_{cls}"] if r in counts.index else pd.NA
        named = len(grp)
        pos = grp["position"].dropna().astype(int).sort_values().tolist()
        ok_positions = pos == list(range(1, len(pos) + 1))
        out.append(
            {
                "round": r,
                "class": cls,
                "named_units": named,
                "published_count": n_class,
                "within_count": bool(pd.isna(n_class) or named <= int(n_class)),
                "positions": f"1-{len(pos)}" if pos else "",
                "positions_consecutive": ok_positions,
            }
        )
    return pd.DataFrame(out)
