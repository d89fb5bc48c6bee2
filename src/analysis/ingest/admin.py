"""County-level administrative units of Hebei: current codes, their history, and names in print.

Statistics arrive on the codes of their time (the 2010 census on 2010 codes, an evaluation round
on the units of its data year), and press releases name counties in many ways (石家庄市鹿泉区,
固安, 肥乡县). Everything that joins such data to the current 167 units goes through this module,
so a boundary change is handled once, from the published code history, and never guessed.

Conventions
-----------
* Years are *end-of-year* states. A change with year Y (启用 Y, 弃用/变更 Y) is in force at the
  end of Y: :func:`units_as_of` (Y) lists the units after that year's changes. The Hebei
  evaluation counted 168 units in its 2019 and 2020 rounds and 167 from 2021; with round R using
  the statistics of R-1, that is ``units_as_of(R - 1)``: 168 for data years 2018 and 2019
  (邢台县 still there), 167 for 2020 on (the 2020 邢台 reform is in force at the end of 2020).
  ``at="start"`` gives the units in force on 1 January instead (the end of the year before).
* Development zones (codes whose 5th digit is 7, e.g. 130171) are statistical areas, not
  county-level units; they are excluded everywhere here.
* 新代码 in the history lists successor codes; a code with a bracketed year, ``130402[2016]``,
  means that part of the unit's territory went to that code in that year (a partial transfer),
  while the unit itself carried on (or, on an abolished row, ended later).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.errors import DataError, refuse_repeats

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
_ETHNIC = re.compile(r"(满族蒙古族|满族|回族|蒙古族)?自治县$")
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")


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


def _county_history(raw: Path) -> pd.DataFrame:
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

    Columns: code, name (the code's last name), city_code, city, status (active|abolished|
    renamed), valid_from, valid_to (Int64, NA while active), current_codes (";"-joined),
    relation (current|renamed|merged|split), former_names (";"-joined ``name[from-to]`` of
    earlier names of the same code since ``since``, e.g. 130502 ``桥东区[1983-2020]``).

    ``relation`` concerns whole units: renamed = one successor that received only this unit;
    merged = one successor that also received other whole units (or already existed and absorbed
    it); split = several successors. Chains are followed to codes that are current. Partial
    transfers between units that carried on are not relations; see :func:`boundary_changes`.
    """
    path = raw / HISTORY_FILE
    hist = _county_history(raw)
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


# ---------------------------------------------------------------------------------------------
# units of a year and boundary changes since a base year


def units_as_of(year: int, raw: Path, at: Literal["end", "start"] = "end") -> pd.DataFrame:
    """The county-level units of ``year`` with the codes and names of the time.

    ``at="end"`` (default): after the changes dated ``year``: 168 units for 2019, 167 for 2020
    on. ``at="start"``: on 1 January of ``year`` (the end of ``year - 1``): 168 for 2020 too.
    For an evaluation round R that uses the statistics of R-1, ``units_as_of(R - 1)`` gives the
    published 168 units for rounds 2019 and 2020 and 167 from round 2021.
    Columns: code, name, city_code, city, status, start_year, end_year.
    """
    if at not in ("end", "start"):
        raise ValueError(f"at must be 'end' or 'start', not {at!r}")
    y = year if at == "end" else year - 1
    hist = _county_history(raw)
    alive = hist[(hist["start_year"] <= y) & (hist["end_year"].isna() | (hist["end_year"] > y))]
    dup = alive["code"].duplicated(keep=False)
    if dup.any():
        raise DataError(
            f"codes with two names at the end of {y}: {sorted(set(alive.loc[dup, 'code']))}",
            file=raw / HISTORY_FILE, column="代码",
        )  # fmt: skip
    cities = dict(read_cities(raw)[["code", "name"]].itertuples(index=False))
    out = alive.assign(
        city_code=alive["code"].str[:4],
        city=[
            cities.get(c[:4], name) for c, name in zip(alive["code"], alive["city"], strict=True)
        ],
    )
    columns = ["code", "name", "city_code", "city", "status", "start_year", "end_year"]
    return out[columns].sort_values("code").reset_index(drop=True)


def boundary_changes(raw: Path, base_year: int = 2010) -> pd.DataFrame:
    """How each current unit relates to the units at the end of ``base_year``.

    Columns: code (current), base_codes (tuple of the base-year units that went into it whole
    or through a split; partners of partial transfers are not listed), boundary:

    * same: the unit of the base year, same code and name, untouched since;
    * renamed: exactly one base unit, whole, under a new code or name (肥乡县 -> 肥乡区);
    * merged: several whole base units and nothing else (北市区 + 南市区 -> 莲池区);
    * split: it holds part of a base unit that was divided between several current units
      (邯山区 received parts of 邯郸县);
    * changed: it gave or received territory in a partial transfer after the base year
      (磁县 gave parts to 邯山区 and 复兴区 in 2016), or has no base unit at all.

    Only same, renamed and merged units have comparable base-year values: a unit split between
    several current units gets no base-year value rather than a guess.
    """
    table = code_table(raw, since=base_year)
    hist = _county_history(raw)
    units = read_counties(raw)
    base = units_as_of(base_year, raw)
    base_names = dict(base[["code", "name"]].itertuples(index=False))
    mapping = {c: map_to_current(c, table) for c in base["code"]}
    touched = _partial_transfer_units(hist, table, base_year)
    records = []
    for row in units.itertuples(index=False):
        donors = tuple(c for c, targets in mapping.items() if row.code in targets)
        split = any(len(mapping[d]) > 1 for d in donors)
        if split:
            boundary = "split"
        elif row.code in touched or not donors:
            boundary = "changed"
        elif len(donors) > 1:
            boundary = "merged"
        elif donors == (row.code,) and base_names[row.code] == row.name:
            boundary = "same"
        else:
            boundary = "renamed"
        records.append({"code": row.code, "base_codes": donors, "boundary": boundary})
    return pd.DataFrame.from_records(records)


def _partial_transfer_units(hist: pd.DataFrame, table: pd.DataFrame, base_year: int) -> set[str]:
    """Current codes that gave or received territory in a partial transfer after the base year."""
    touched: set[str] = set()
    for row in hist.itertuples(index=False):
        for code, year in row.partial_transfers:
            if year <= base_year:
                continue
            for unit in (row.code, code):
                touched.update(map_to_current(unit, table))
    return touched


# ---------------------------------------------------------------------------------------------
# names as printed in press releases


def _short_names(name: str) -> tuple[list[str], list[str]]:
    """Aliases of a full name: (usual short forms, last-resort forms).

    固安县 -> 固安; 青龙满族自治县 -> 青龙, 青龙县; 峰峰矿区 -> 峰峰 (last resort, since 井陉 must
    mean 井陉县, not 井陉矿区). One-character stems (赵县 -> 赵) are never used in print.
    """
    usual: list[str] = []
    last: list[str] = []
    ethnic = _ETHNIC.search(name)
    if ethnic and ethnic.group(1):
        stem = name[: ethnic.start()]
        usual += [stem, stem + "县"]
    elif len(name) >= 3 and name[-1] in KIND_BY_SUFFIX:
        usual.append(name[:-1])
    if name.endswith("矿区") and len(name) >= 4:
        last.append(name[:-2])
    return usual, last


def _name_entries(table: pd.DataFrame) -> pd.DataFrame:
    """Every name a code had since the table's start, with its years and alias tier."""
    current_names = dict(table.loc[table["status"] == "active", ["code", "name"]].values)
    periods = []
    for row in table.itertuples(index=False):
        now = ", ".join(f"{current_names.get(c, c)} ({c})" for c in row.current_codes.split(";"))
        start = row.valid_from
        for item in filter(None, row.former_names.split(";")):
            match = re.fullmatch(r"(.+)\[(\d{4})-(\d{4})\]", item)
            if match is None:
                raise DataError(f"former name {item!r} of {row.code} is not name[from-to]")
            periods.append((row.code, match[1], row.city, int(match[2]), int(match[3]), now))
            start = int(match[3])
        end = None if pd.isna(row.valid_to) else int(row.valid_to)
        periods.append((row.code, row.name, row.city, start, end, now))
    records = []
    for code, name, city, start, end, now in periods:
        usual, last = _short_names(name)
        aliases = [(name, 0)] + [(a, 1) for a in usual] + [(a, 2) for a in last]
        for alias, tier in aliases:
            records.append(
                {"alias": alias, "tier": tier, "code": code, "name": name, "city": city,
                 "start": start, "end": end, "now": now}
            )  # fmt: skip
    out = pd.DataFrame.from_records(records)
    out["end"] = out["end"].astype("Int64")
    return out


def _city_stem(city: str) -> str:
    return _PARENTHESES.sub("", city).strip().removesuffix("市")


def _normalise_city(city: object, table: pd.DataFrame) -> str | None:
    """A prefecture's stem (石家庄) from 石家庄 / 石家庄市, or None.

    A provincially administered county-level city given as its own "city" (定州市(省直管)) puts
    no restriction on the search: the unit's name identifies it.
    """
    if city is None or (not isinstance(city, str) and pd.isna(city)):
        return None
    stem = _city_stem(str(city))
    prefectures = {_city_stem(c) for c in table["city"]}
    if stem in prefectures:
        return stem
    if f"{stem}市" in set(table["name"]):
        return None
    raise DataError(f"unknown city {city!r}; the cities are {sorted(prefectures)}")


def _split_city_prefix(text: str, table: pd.DataFrame) -> tuple[str | None, str]:
    """石家庄市鹿泉区 -> (石家庄, 鹿泉区). Only the full city name (with 市) counts as a prefix,
    because 邢台县 and 承德县 begin with a city's stem."""
    for city in sorted(set(table["city"]), key=len, reverse=True):
        if text.startswith(city) and len(text) > len(city):
            return _city_stem(city), text[len(city) :]
    return None, text


def _describe(hits: pd.DataFrame) -> str:
    rows = hits.drop_duplicates(["code", "name"])
    return "; ".join(
        f"{r.code} {r.name} ({r.city}" + (f", until {r.end}" if pd.notna(r.end) else "") + ")"
        for r in rows.itertuples()
    )


def resolve_name(
    name: str, table: pd.DataFrame, city: str | None = None, year: int | None = None
) -> str:
    """The code of a county-level unit named as in a press release.

    Accepts full names with or without a city prefix (石家庄市鹿泉区, 正定县), short names without
    the suffix (固安, 三河, 安次) and names of the time. ``table`` is :func:`code_table`.

    ``year`` is the year whose (end-of-year) names the text uses. A name that was changed in
    year Y resolves to its code of the time for ``year < Y``; from Y on, or when no year is
    given, it is an old name and raises a DataError that gives the current name. A name shared
    by several cities (桥西区 in 石家庄 and 张家口) needs ``city``. Unknown names raise a
    DataError listing close matches.
    """
    text = re.sub(r"\s+", "", str(name)).removeprefix("河北省")
    wanted = _normalise_city(city, table)
    prefix, text = _split_city_prefix(text, table)
    if prefix and wanted and prefix != wanted:
        raise DataError(f"{name!r} names the city {prefix}市 but city={city!r} was given")
    wanted = wanted or prefix
    entries = _name_entries(table)
    hits = _match(text, entries)
    if hits.empty:
        close = difflib.get_close_matches(text, sorted(set(entries["alias"])), n=5, cutoff=0.5)
        near = entries[entries["alias"].isin(close)].drop_duplicates(["code", "name"])
        listed = ", ".join(f"{r.name} ({r.city})" for r in near.itertuples())
        hint = f"; close matches: {listed}" if listed else ""
        raise DataError(f"unknown county-level unit {name!r}{hint}")
    if wanted:
        in_city = hits[hits["city"].map(_city_stem) == wanted]
        if in_city.empty:
            raise DataError(f"{name!r} is not in {wanted}市; it is {_describe(hits)}")
        hits = in_city
    return _pick_by_year(name, hits, year)


def _match(text: str, entries: pd.DataFrame) -> pd.DataFrame:
    """Exact names first, then short forms, then last-resort forms, then a trailing full name
    (渤海新区黄骅市 -> 黄骅市: a printed qualifier before the unit's name)."""
    for tier in (0, 1, 2):
        hits = entries[(entries["alias"] == text) & (entries["tier"] == tier)]
        if not hits.empty:
            return hits
    full = entries[entries["tier"] == 0]
    tails = full[[text.endswith(n) and len(text) > len(n) for n in full["alias"]]]
    if tails.empty:
        return tails
    return tails[tails["alias"].str.len() == tails["alias"].str.len().max()]


def _pick_by_year(name: str, hits: pd.DataFrame, year: int | None) -> str:
    if year is None:
        valid = hits[hits["end"].isna()]
    else:
        valid = hits[hits["end"].isna() | (hits["end"] > year)]
        of_the_time = valid[valid["start"] <= year]
        if of_the_time["code"].nunique() >= 1 and valid["code"].nunique() > 1:
            valid = of_the_time
    if valid.empty:
        old = hits.iloc[0]
        when = "without a year" if year is None else f"for {year}"
        raise DataError(
            f"{name!r} is an old name ({old['name']} until {old['end']}); now {old['now']}. "
            f"Use the current name, or pass the year of the text if it predates {old['end']} "
            f"(asked {when})"
        )
    codes = valid["code"].unique()
    if len(codes) > 1:
        raise DataError(f"{name!r} is ambiguous: {_describe(valid)}; pass city=")
    return str(codes[0])
