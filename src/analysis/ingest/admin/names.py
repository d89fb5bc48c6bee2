"""Names of county-level units as printed in press releases -> codes.

石家庄市鹿泉区, 固安, 肥乡县 (an old name), 桥西区 (two cities): each resolves to one code or
raises a DataError that says why and what to write instead.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.admin.codes import KIND_BY_SUFFIX

_ETHNIC = re.compile(r"(满族蒙古族|满族|回族|蒙古族)?自治县$")
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")


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


def name_entries(table: pd.DataFrame) -> pd.DataFrame:
    """Every name a code had since the table's start, with its years and alias tier."""
    current_names = dict(table.loc[table["status"] == "active", ["code", "name"]].values)
    periods: list[tuple[str, str, str, int, int | None, str]] = []
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
    name: str,
    table: pd.DataFrame,
    city: str | None = None,
    year: int | None = None,
    *,
    entries: pd.DataFrame | None = None,
) -> str:
    """The code of a county-level unit named as in a press release.

    Accepts full names with or without a city prefix (石家庄市鹿泉区, 正定县), short names without
    the suffix (固安, 三河, 安次) and names of the time. ``table`` is :func:`code_table`.

    ``year`` is the year whose (end-of-year) names the text uses. A name that was changed in
    year Y resolves to its code of the time for ``year < Y``; from Y on, or when no year is
    given, it is an old name and raises a DataError that gives the current name. A name shared
    by several cities (桥西区 in 石家庄 and 张家口) needs ``city``. Unknown names raise a
    DataError listing close matches. ``entries`` (:func:`name_entries` of ``table``) saves
    rebuilding the names when many are resolved against one table.
    """
    text = re.sub(r"\s+", "", str(name)).removeprefix("河北省")
    wanted = _normalise_city(city, table)
    prefix, text = _split_city_prefix(text, table)
    if prefix and wanted and prefix != wanted:
        raise DataError(f"{name!r} names the city {prefix}市 but city={city!r} was given")
    wanted = wanted or prefix
    entries = name_entries(table) if entries is None else entries
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
