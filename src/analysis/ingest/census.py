"""County covariates from the 2010 and 2020 censuses, on current (2020) boundaries.

The 2020 census is published on current codes; the 2010 census on the codes of 2010, 23 of
which no longer exist. 2010 values reach a current unit only where the territory is comparable
(see :func:`analysis.ingest.admin.boundary_changes`): carried over for the same unit or a rename,
summed over whole units for a merge (shares recomputed from the summed counts), and left NaN
for a unit that received part of a split unit or gave or received territory in a partial
transfer. A unit split between several current units gets no 2010 value rather than a guess.

Definitions (all shares are fractions, not percent)
---------------------------------------------------
* urban share: 城镇人口 / total population.
* tertiary share: 大学专科 + 本科及以上 (both sexes) over the sum of all education-attainment
  counts of the same table. That sum is the population aged 6 and over: it falls short of the
  total by about the population aged 0-5 in both censuses (2020 adds a 学前教育 category for
  people of 6+ whose highest level is pre-school; 2010 counted them under 未上过学).
* industry share: 采矿业 + 制造业 + 电力(热力)燃气及水 over 各种行业人口总计 (the long-form sample
  of the employed), i.e. industry without construction. 'NA' in an industry column means no
  respondent: the industry columns with NA skipped add up exactly to the total in every 2020
  row and every 2010 county row except 海兴县 (see below), so NA counts as 0 in the numerator.
* age shares: the published 人口比重 percentages / 100.
* region: a coarse grouping of cities, see :data:`REGION_BY_CITY`.

Known defects of the raw files (kept as received; joins go by code)
--------------------------------------------------------------------
* 2010: the names of 130207 and 130208 are swapped (the file says 丰润区 for 130207, the code of
  丰南区). The values follow the codes: 130208 has 916,092 people, consistent with 丰润区's
  800,740 in 2020; read by name, 丰南区 would have lost 40% of its people.
* 2010: 内邱县 (内丘县) and 泊头巿 (with U+5DFF) are spelling variants.
* 2010: 海兴县's 居民服务和其他服务业 is 0.94 where 94 is meant; the province row's industry
  columns are garbled. Neither enters a covariate.
* 2020 reports the 23 development zones separately, and their residents are not in their host
  counties' figures; in 2010 they were. Population change of a unit hosting a zone is therefore
  understated (the zones hold 2,978,929 people in 2020); which unit hosts which zone is not
  in these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError, refuse_repeats
from analysis.ingest import admin

CENSUS_2020_FILE = Path("census") / "hebei_census2020_county.csv"
CENSUS_2010_FILE = Path("census") / "hebei_census2010_county.csv"
CODE_COLUMN = "区划代码"
MISSING = ("", "NA")

# 冀北 (Bashang plateau and Yanshan mountains), 冀中 (the Beijing-Tianjin plain and the coast),
# 冀南 (the southern plain). Coarse on purpose: 11 cities, three groups of comparable size in
# county counts, for colouring and fixed effects, not for policy statements.
REGION_BY_CITY = {
    "张家口市": "north", "承德市": "north", "秦皇岛市": "north",
    "石家庄市": "central", "保定市": "central", "廊坊市": "central", "唐山市": "central",
    "沧州市": "central", "衡水市": "central",
    "邯郸市": "south", "邢台市": "south",
}  # fmt: skip


@dataclass(frozen=True)
class CensusColumns:
    """Where the quantities of the covariates sit in one census table."""

    population: str
    urban: str
    education: tuple[str, ...]
    tertiary: tuple[str, ...]
    industry_total: str
    industry: tuple[str, ...]
    text: tuple[str, ...]


def _by_sex(levels: tuple[str, ...], sep: str) -> tuple[str, ...]:
    return tuple(f"{level}{sep}{sex}" for level in levels for sex in ("男", "女"))


COLUMNS_2020 = CensusColumns(
    population="人口数_合计",
    urban="城镇人口",
    education=_by_sex(
        ("未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "本科及以上"), "_"
    ),
    tertiary=_by_sex(("大学专科", "本科及以上"), "_"),
    industry_total="各种行业人口总计",
    industry=("采矿业", "制造业", "电力热力燃气及水生产和供应业"),
    text=("省", "市", "区县"),
)
COLUMNS_2010 = CensusColumns(
    population="合计",
    urban="城镇人口",
    education=_by_sex(("未上过学", "小学", "初中", "高中", "大学专科", "大学本科及以上"), "-"),
    tertiary=_by_sex(("大学专科", "大学本科及以上"), "-"),
    industry_total="各种行业人口总计",
    industry=("采矿业", "制造业", "电力、燃气及水的生产和供应业"),
    text=("地区",),
)
AGE_0_14_2020 = "人口比重_0-14岁"
AGE_65_PLUS_2020 = "人口比重_65岁及以上"

COVARIATE_COLUMNS = [
    "code", "name", "city", "kind", "is_district", "region",
    "population_2020", "population_2010", "pop_change",
    "urban_share_2020", "urban_share_2010", "tertiary_share_2020", "tertiary_share_2010",
    "age_0_14_share_2020", "age_65_plus_share_2020", "industry_share_2020", "industry_share_2010",
    "boundary_2010", "codes_2010",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# readers


def _read_census(path: Path, spec: CensusColumns, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a census table: code as text, every other non-text column numeric, 'NA' -> NaN."""
    if not path.is_file():
        raise DataError("file not found; it belongs in data/raw (see SOURCES.csv)", file=path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    needed = (CODE_COLUMN, spec.population, spec.urban, *spec.education, spec.industry_total,
              *spec.industry, *spec.text, *extra)  # fmt: skip
    for column in needed:
        if column not in df.columns:
            raise DataError(f"missing column {column!r}", file=path, row=1, column=column)
    codes = df[CODE_COLUMN].str.strip()
    bad = ~codes.str.fullmatch(r"\d{6}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"code {codes.iloc[i]!r} is not 6 digits", file=path, row=i + 2,
                        column=CODE_COLUMN)  # fmt: skip
    refuse_repeats(codes, "code {} listed twice", file=path, column=CODE_COLUMN)
    columns = {"code": codes}
    for column in df.columns:
        if column == CODE_COLUMN:
            continue
        text = df[column].str.strip()
        if column in spec.text:
            columns[column] = text
        else:
            columns[column] = _numeric(text, path, column)
    return pd.DataFrame(columns)


def _numeric(text: pd.Series, path: Path, column: str) -> pd.Series:
    values = text.mask(text.isin(MISSING))
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"{values.iloc[i]!r} is not a number", file=path, row=i + 2,
                        column=column)  # fmt: skip
    return numbers.astype(float)


def read_census_2020(raw: Path) -> pd.DataFrame:
    """The 2020 county table as published, with ``code`` (text) first and numbers numeric.

    Rows: the province (130000), 11 cities (xx00), 167 units and 23 development zones.
    """
    return _read_census(raw / CENSUS_2020_FILE, COLUMNS_2020, (AGE_0_14_2020, AGE_65_PLUS_2020))


def read_census_2010(raw: Path) -> pd.DataFrame:
    """The 2010 county table as published (2010 codes), ``code`` (text) first, numbers numeric."""
    return _read_census(raw / CENSUS_2010_FILE, COLUMNS_2010)


# ---------------------------------------------------------------------------------------------
# covariates


def census_counts(census: pd.DataFrame, spec: CensusColumns) -> pd.DataFrame:
    """The additive quantities behind the shares, indexed by code, so units can be summed.

    Columns: population, urban, educated (population aged 6+), tertiary, employed, industry.
    """
    industry = census[list(spec.industry)].sum(axis=1, min_count=1)
    out = pd.DataFrame(
        {
            "population": census[spec.population],
            "urban": census[spec.urban],
            "educated": census[list(spec.education)].sum(axis=1, min_count=len(spec.education)),
            "tertiary": census[list(spec.tertiary)].sum(axis=1, min_count=len(spec.tertiary)),
            "employed": census[spec.industry_total],
            "industry": industry,
        }
    )
    out.index = census["code"].to_numpy()
    return out


def shares(counts: pd.DataFrame) -> pd.DataFrame:
    """urban, tertiary and industry shares (fractions) from :func:`census_counts` rows."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "urban_share": counts["urban"] / counts["population"],
                "tertiary_share": counts["tertiary"] / counts["educated"],
                "industry_share": counts["industry"] / counts["employed"],
            },
            index=counts.index,
        )


def counts_on_current_units(
    counts: pd.DataFrame, boundaries: pd.DataFrame, path: Path
) -> pd.DataFrame:
    """Base-year counts on current units: carried for same/renamed, summed for merged, else NaN.

    A sum is NaN if any of its parts is (skipna=False): half a merged unit is not the unit.
    """
    comparable = boundaries["boundary"].isin(["same", "renamed", "merged"])
    needed = {c for codes in boundaries.loc[comparable, "base_codes"] for c in codes}
    missing = sorted(needed - set(counts.index))
    if missing:
        raise DataError(f"no row for the base-year units {missing}", file=path, column=CODE_COLUMN)
    rows = {}
    for row in boundaries.itertuples(index=False):
        if row.boundary in ("same", "renamed", "merged"):
            rows[row.code] = counts.loc[list(row.base_codes)].sum(skipna=False)
        else:
            rows[row.code] = pd.Series(np.nan, index=counts.columns)
    return pd.DataFrame.from_dict(rows, orient="index")


def covariates(raw: Path) -> pd.DataFrame:
    """One row per current county-level unit (167) with census covariates for 2020 and 2010.

    Columns: see :data:`COVARIATE_COLUMNS`. ``boundary_2010`` says how the 2010 values were
    obtained (same|renamed|merged|split|changed) and ``codes_2010`` which 2010 codes were used
    (";"-joined, empty where the 2010 values are NaN).
    """
    units = admin.read_counties(raw)
    unknown = sorted(set(units["city"]) - set(REGION_BY_CITY))
    if unknown:
        raise DataError(f"no region defined for the cities {unknown}", file=raw / admin.CITIES_FILE)
    c20 = read_census_2020(raw)
    c10 = read_census_2010(raw)
    boundaries = admin.boundary_changes(raw, base_year=2010).set_index("code").loc[units["code"]]
    boundaries = boundaries.reset_index()

    missing = sorted(set(units["code"]) - set(c20["code"]))
    if missing:
        raise DataError(f"no 2020 row for the units {missing}", file=raw / CENSUS_2020_FILE,
                        column=CODE_COLUMN)  # fmt: skip
    c20 = c20.set_index("code", drop=False).loc[units["code"]]
    now = census_counts(c20, COLUMNS_2020)
    then = counts_on_current_units(census_counts(c10, COLUMNS_2010), boundaries,
                                   raw / CENSUS_2010_FILE)  # fmt: skip
    s20, s10 = shares(now), shares(then)
    carried = boundaries["boundary"].isin(["same", "renamed", "merged"]).to_numpy()
    out = pd.DataFrame(
        {
            "code": units["code"].to_numpy(),
            "name": units["name"].to_numpy(),
            "city": units["city"].to_numpy(),
            "kind": units["kind"].to_numpy(),
            "is_district": units["is_district"].to_numpy(),
            "region": units["city"].map(REGION_BY_CITY).to_numpy(),
            "population_2020": now["population"].to_numpy(dtype=float),
            "population_2010": then["population"].to_numpy(dtype=float),
            "urban_share_2020": s20["urban_share"].to_numpy(),
            "urban_share_2010": s10["urban_share"].to_numpy(),
            "tertiary_share_2020": s20["tertiary_share"].to_numpy(),
            "tertiary_share_2010": s10["tertiary_share"].to_numpy(),
            "age_0_14_share_2020": (c20[AGE_0_14_2020] / 100).to_numpy(),
            "age_65_plus_share_2020": (c20[AGE_65_PLUS_2020] / 100).to_numpy(),
            "industry_share_2020": s20["industry_share"].to_numpy(),
            "industry_share_2010": s10["industry_share"].to_numpy(),
            "boundary_2010": boundaries["boundary"].to_numpy(),
            "codes_2010": [
                ";".join(codes) if keep else ""
                for codes, keep in zip(boundaries["base_codes"], carried, strict=True)
            ],
        }
    )
    out["pop_change"] = out["population_2020"] / out["population_2010"] - 1
    return out[COVARIATE_COLUMNS]
