"""Codes of Hebei's county-level units: the current list, the code history since 1980, and the
code table (every county-level code since 2010 and the current codes it maps to).

Conventions (see :mod:`analysis.ingest.admin`): years are end-of-year states; development zones
(5th digit 7) are not county-level units; 新代码 lists successors, ``code[year]`` a partial
transfer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, refuse_repeats
from analysis.ingest.memo import content_key, memoised

COUNTIES_FILE = Path("admin") / "hebei_counties.csv"
CITIES_FILE = Path("admin") / "hebei_cities.csv"
HISTORY_FILE = Path("admin") / "hebei_code_history.csv"

STATUS = {"启用": "active", "弃用": "abolished", "变更": "renamed"}
LEVEL = {"省级": "province", "地级": "prefecture", "县级": "county"}
KIND_BY_SUFFIX = {"区": "district", "县": "county", "市": "city"}
RELATIONS = ("current", "renamed", "merged", "split")
BOUNDARIES = ("same", "renamed", "merged", "split", "changed")

_HISTORY_COLUMNS = {
    "代码": "code",
    "二级行政区": "city",
    "名称": "name",
    "级别": "level",
    "状态": "status",
    "启用时间": "start_year",
    "变更（弃用）时间": "end_year",
    "新代码": "new_codes",
}
_SUCCESSOR = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


# ---------------------------------------------------------------------------------------------
# reading the three admin files


def _read_text_csv(path: Path, required: Iterable[str]) -> pd.DataFrame:
    """Read a CSV as text (codes keep their digits) and check its header."""
    if not path.is_file():
        raise DataError("file not found; it belongs in data/raw (see SOURCES.csv)", file=path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df.apply(lambda s: s.str.strip())
    for column in required:
        if column not in df.columns:
            raise DataError(f"missing column {column!r}", file=path, row=1, column=column)
    return df


def _check_codes(codes: pd.Series, digits: int, path: Path, column: str) -> None:
    """Codes are digit strings of a fixed length; anything else is a typo at source."""
    bad = ~codes.str.fullmatch(rf"\d{{{digits}}}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"code {codes.iloc[i]!r} is not {digits} digits", file=path, row=i + 2, column=column
        )


def is_zone(code: str) -> bool:
    """Development zones have a 7 in the 5th digit (130171, 130473); they are not counties."""
    return len(code) == 6 and code[4] == "7"


def kind_of(name: str) -> str:
    """'district', 'county' or 'city' (县级市) from the last character of a unit's name."""
    kind = KIND_BY_SUFFIX.get(name[-1:]) if name else None
    if kind is None:
        raise DataError(f"cannot tell the kind of unit from the name {name!r} (区/县/市)")
    return kind


def read_cities(raw: Path) -> pd.DataFrame:
    """The prefecture-level cities: code (4 digits) and name."""
    path = raw / CITIES_FILE
    df = _read_text_csv(path, ["code", "name"])
    _check_codes(df["code"], 4, path, "code")
    return df[["code", "name"]].reset_index(drop=True)


def read_counties(raw: Path) -> pd.DataFrame:
    """The current county-level units (zones dropped): code, name, city_code, city, kind, ...

    ``kind`` comes from the name's suffix (区 district, 县 county, 市 county-level city), which is
    how the evaluation and the census distinguish urban districts from counties.
    """
    path = raw / COUNTIES_FILE
    df = _read_text_csv(path, ["code", "name", "cityCode"])
    _check_codes(df["code"], 6, path, "code")
    _check_codes(df["cityCode"], 4, path, "cityCode")
    refuse_repeats(df["code"], "code {} listed twice", file=path)
    cities = dict(read_cities(raw)[["code", "name"]].itertuples(index=False))
    records = []
    for i, row in enumerate(df.itertuples(index=False)):
        if is_zone(row.code):
            continue
        if row.cityCode != row.code[:4] or row.cityCode not in cities:
            raise DataError(
                f"city code {row.cityCode} of {row.code} {row.name} does not match a city",
                file=path, row=i + 2, column="cityCode",
            )  # fmt: skip
        try:
            kind = kind_of(row.name)
        except DataError as exc:
            raise DataError(exc.detail, file=path, row=i + 2, column="name") from exc
        records.append(
            {"code": row.code, "name": row.name, "city_code": row.cityCode,
             "city": cities[row.cityCode], "kind": kind, "is_district": kind == "district"}
        )  # fmt: skip
    return pd.DataFrame.from_records(records)


def _parse_new_codes(text: str, path: Path, row: int) -> tuple[tuple[str, ...], tuple]:
    """Split 新代码 into whole successors and (code, year) partial transfers."""
    successors: list[str] = []
    partial: list[tuple[str, int]] = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        match = _SUCCESSOR.match(item)
        if match is None:
            raise DataError(
                f"successor {item!r} is not a 6-digit code, optionally with [year]",
                file=path, row=row, column="新代码",
            )  # fmt: skip
        code, year = match.groups()
        if year is None:
            successors.append(code)
        else:
            partial.append((code, int(year)))
    return tuple(successors), tuple(partial)


def _year(text: str, path: Path, row: int, column: str) -> int | None:
    if text == "":
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise DataError(f"year {text!r} is not a 4-digit year", file=path, row=row, column=column)
    return int(text)


def read_code_history(raw: Path) -> pd.DataFrame:
    """The code history since 1980, tidy: one row per (code, name) period.

    Columns: code, name, level (province|prefecture|county), city (the prefecture as written),
    status (active|abolished|renamed), start_year, end_year (Int64, NA while active),
    successors (tuple of codes), partial_transfers (tuple of (code, year)).
    """
    path = raw / HISTORY_FILE
    df = _read_text_csv(path, _HISTORY_COLUMNS).rename(columns=_HISTORY_COLUMNS)
    _check_codes(df["code"], 6, path, "代码")
    records = []
    for i, row in enumerate(df.itertuples(index=False)):
        line = i + 2
        if row.status not in STATUS:
            raise DataError(
                f"status {row.status!r} is not one of {sorted(STATUS)}",
                file=path, row=line, column="状态",
            )  # fmt: skip
        if row.level not in LEVEL:
            raise DataError(
                f"level {row.level!r} is not one of {sorted(LEVEL)}",
                file=path, row=line, column="级别",
            )  # fmt: skip
        status = STATUS[row.status]
        start = _year(row.start_year, path, line, "启用时间")
        end = _year(row.end_year, path, line, "变更（弃用）时间")
        if start is None:
            raise DataError("start year missing", file=path, row=line, column="启用时间")
        if status != "active" and end is None:
            raise DataError(
                f"a {row.status} row needs the year of the change",
                file=path, row=line, column="变更（弃用）时间",
            )  # fmt: skip
        if end is not None and end < start:
            raise DataError(
                f"ends ({end}) before it starts ({start})",
                file=path, row=line, column="变更（弃用）时间",
            )  # fmt: skip
        successors, partial = _parse_new_codes(row.new_codes, path, line)
        records.append(
            {"code": row.code, "name": row.name, "level": LEVEL[row.level], "city": row.city,
             "status": status, "start_year": start, "end_year": end, "successors": successors,
             "partial_transfers": partial}
        )  # fmt: skip
    out = pd.DataFrame.from_records(records)
    for column in ("start_year", "end_year"):
        out[column] = out[column].astype("Int64")
    return out


# ---------------------------------------------------------------------------------------------
# the code table: every county-level code since 2010 and the current codes it maps to


def county_history(raw: Path) -> pd.DataFrame:
    hist = read_code_history(raw)
    return hist[hist["level"] == "county"].reset_index(drop=True)


def _latest_rows(hist: pd.DataFrame) -> dict[str, pd.Series]:
    """The last period of each code (active if there is one): where its successors are."""
    order = hist.assign(_end=hist["end_year"].fillna(9999)).sort_values(["code", "_end"])
    return {code: grp.iloc[-1] for code, grp in order.groupby("code", sort=False)}


def _resolve(
    code: str,
    latest: dict[str, pd.Series],
    current: set[str],
    path: Path,
    seen: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Follow successor chains until every branch ends on a current code."""
    if code in current:
        return (code,)
    if code in seen:
        raise DataError(f"successor chain of {code} loops", file=path, column="新代码")
    row = latest.get(code)
    if row is None or not row["successors"]:
        raise DataError(
            f"code {code} is neither current nor abolished with successors", file=path,
            column="新代码",
        )  # fmt: skip
    out: list[str] = []
    for succ in row["successors"]:
        for target in _resolve(succ, latest, current, path, seen | {code}):
            if target not in out:
                out.append(target)
    return tuple(sorted(out))


def _check_current(hist: pd.DataFrame, units: pd.DataFrame, path: Path) -> None:
    """The history's active county codes and the current list must be the same set."""
    active = set(hist.loc[hist["status"] == "active", "code"])
    listed = set(units["code"])
    missing, extra = sorted(listed - active), sorted(active - listed)
    if missing or extra:
        raise DataError(
            f"history and current list disagree: not active in the history {missing}, "
            f"active in the history but not listed {extra}", file=path, column="状态",
        )  # fmt: skip


def code_table(raw: Path, since: int = 2010) -> pd.DataFrame:
    """One row per county-level code that existed at any time from ``since`` on.

    Built once per process and content of the three admin files (:mod:`analysis.ingest.memo`).

    Columns: code, name (the code's last name), city_code, city, status (active|abolished|
    renamed), valid_from, valid_to (Int64, NA while active), current_codes (";"-joined),
    relation (current|renamed|merged|split), former_names (";"-joined ``name[from-to]`` of
    earlier names of the same code since ``since``, e.g. 130502 ``桥东区[1983-2020]``).

    ``relation`` concerns whole units: renamed = one successor that received only this unit;
    merged = one successor that also received other whole units (or already existed and absorbed
    it); split = several successors. Chains are followed to codes that are current. Partial
    transfers between units that carried on are not relations; see :func:`boundary_changes`.
    """
    files = (raw / COUNTIES_FILE, raw / CITIES_FILE, raw / HISTORY_FILE)
    key = content_key(*files)
    return memoised(key and ("code_table", since, key), lambda: _code_table(raw, since))


def _code_table(raw: Path, since: int) -> pd.DataFrame:
    path = raw / HISTORY_FILE
    hist = county_history(raw)
    units = read_counties(raw)
    _check_current(hist, units, path)
    current = set(units["code"])
    cities = dict(read_cities(raw)[["code", "name"]].itertuples(index=False))
    latest = _latest_rows(hist)
    window = hist[hist["end_year"].isna() | (hist["end_year"] >= since)]
    records = []
    for code, grp in window.groupby("code", sort=True):
        main = latest[code]
        earlier = grp[(grp["start_year"] < main["start_year"])].sort_values("start_year")
        if (earlier["status"] == "abolished").any():
            raise DataError(
                f"code {code} was abolished and reused since {since}; the table cannot hold both",
                file=path, column="代码",
            )  # fmt: skip
        records.append(
            {"code": code, "name": main["name"], "city_code": code[:4],
             "city": cities.get(code[:4], main["city"]), "status": main["status"],
             "valid_from": int(grp["start_year"].min()), "valid_to": main["end_year"],
             "current_codes": _resolve(code, latest, current, path),
             "former_names": ";".join(
                 f"{r.name}[{r.start_year}-{r.end_year}]" for r in earlier.itertuples()
             )}
        )  # fmt: skip
    table = pd.DataFrame.from_records(records)
    code_start = hist.groupby("code")["start_year"].min().to_dict()
    table["relation"] = [_relation(r, table, latest, code_start) for r in table.itertuples()]
    table["current_codes"] = table["current_codes"].map(";".join)
    table["valid_to"] = table["valid_to"].astype("Int64")
    columns = ["code", "name", "city_code", "city", "status", "valid_from", "valid_to",
               "current_codes", "relation", "former_names"]  # fmt: skip
    return table[columns]


def _relation(
    row, table: pd.DataFrame, latest: dict[str, pd.Series], code_start: dict[str, int]
) -> str:
    """current / renamed / merged / split for one row of the code table (codes still tuples)."""
    if row.status == "active":
        return "current"
    if len(row.current_codes) > 1:
        return "split"
    target = row.current_codes[0]
    donors = table.loc[
        (table["status"] != "active") & table["current_codes"].map(lambda c: c == (target,)),
        "code",
    ]
    # a chain A -> B -> C gives C two donors that never coexisted: count only the first links
    relayed = {s for d in donors for s in latest[d]["successors"]}
    roots = [d for d in donors if d not in relayed]
    absorbed = target != row.code and code_start[target] < row.valid_to
    return "merged" if len(roots) > 1 or absorbed else "renamed"


def map_to_current(code: str, table: pd.DataFrame) -> tuple[str, ...]:
    """The current code(s) whose territory now holds the unit ``code`` (of any year since 2010)."""
    hit = table.loc[table["code"] == str(code), "current_codes"]
    if hit.empty:
        raise DataError(f"code {code} is not a county-level code of the table (since 2010)")
    return tuple(hit.iloc[0].split(";"))
