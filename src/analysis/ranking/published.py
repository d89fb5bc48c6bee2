"""Published layer: the province's results by round and the county's published positions.

Class counts by round (the pyramid), the mean score's yearly gain, and the county's and its
city peers' published class and position by round, with the city position derived where the
list is score-ordered.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import schemas
from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.ingest import admin


def class_counts_long(rounds: pd.DataFrame) -> pd.DataFrame:
    """Class counts by round in long form (round, class, count, status) for the pyramid.

    Where A is published but B and C are not (2024), the remainder ``n_units - n_A`` is shown as
    one ``B+C`` segment marked ``derived``: arithmetic on two published numbers, not a split.
    A round with nothing published (2022) has no rows.
    """
    out = []
    for row in rounds.itertuples(index=False):
        counts = {c: getattr(row, f"n_{c}") for c in CLASSES}
        status = {c: getattr(row, f"n_{c}_status") for c in CLASSES}
        if all(pd.isna(v) for v in counts.values()):
            continue
        if pd.notna(counts["A"]) and pd.isna(counts["B"]) and pd.isna(counts["C"]):
            out.append((row.round, "A", int(counts["A"]), status["A"]))
            if pd.notna(row.n_units):
                out.append((row.round, "B+C", int(row.n_units) - int(counts["A"]), "derived"))
            continue
        for c in CLASSES:
            if pd.notna(counts[c]):
                out.append((row.round, c, int(counts[c]), status[c]))
    return pd.DataFrame(out, columns=["round", "class", "count", "status"])


def publication_gaps(rounds: pd.DataFrame) -> tuple[list[int], list[int]]:
    """(rounds with no class count published, rounds with the A count only), for the captions
    and prose that explain the pyramid's blanks and derived B+C segments."""
    none = rounds[rounds[[f"n_{c}" for c in CLASSES]].isna().all(axis=1)]["round"]
    a_only = rounds[rounds["n_A"].notna() & rounds["n_B"].isna() & rounds["n_C"].isna()]["round"]
    return [int(r) for r in none], [int(r) for r in a_only]


def mean_score_gains(rounds: pd.DataFrame) -> pd.DataFrame:
    """Mean score by round and its change per year since the previous round with a mean.

    Why: a county's rank is relative to a distribution whose mean rises every round, so the
    yearly gain of the mean is the pace a county must match merely to hold its place.
    """
    df = rounds.loc[rounds["mean_score"].notna(), ["round", "mean_score", "mean_score_status"]]
    df = df.sort_values("round").reset_index(drop=True)
    years = df["round"].diff()
    df["gain_per_year"] = (df["mean_score"].diff() / years).round(2)
    df["years_since_previous"] = years.astype("Int64")
    return df


# --- published positions ------------------------------------------------------------------------
POSITION_COLUMNS = [
    "role",
    "round",
    "data_year",
    "county_code",
    "county",
    "city",
    "class",
    "position",
    "n_in_class",
    "city_position",
    "attribution",
    "basis",
    "source",
]


def positions_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    for c in ("position", "n_in_class", "city_position"):
        df[c] = df[c].astype("Int64")
    return df.astype({"round": int, "data_year": int})


def _current_code(code: str, codes: pd.DataFrame) -> str | None:
    """The one current code of a unit of any year since 2010; None for a split unit."""
    current = admin.map_to_current(code, codes)
    return current[0] if len(current) == 1 else None


def city_units(codes: pd.DataFrame, city: str) -> pd.DataFrame:
    """The current county-level units of ``city`` (code, name), in code order."""
    units = codes[(codes["status"] == "active") & (codes["city"] == city)]
    if units.empty:
        raise DataError(f"no current county-level unit in city {city!r}", file="county_codes.csv")
    return units[["code", "name"]].sort_values("code").reset_index(drop=True)


def published_positions(
    classes: pd.DataFrame,
    rounds: pd.DataFrame,
    codes: pd.DataFrame,
    county_code: str,
    city: str,
    claims: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The county's and its city peers' published classes and positions, by round.

    Units are put on current codes. ``position`` is the place in a score-ordered list;
    ``city_position`` the place among the city's units, derived where the list is score-ordered
    (units of the city missing from a top-n list rank below n, so the order of those in it is
    their order in the city). Class rows the source infers from a later statement keep
    attribution 'inferred'. ``claims`` (:func:`.work_report.report_claims`) fill rounds
    without a published row for the county; where both exist the published class wins and the
    claim stays as a second row.
    """
    if county_code not in set(codes.loc[codes["status"] == "active", "code"]):
        raise DataError(f"county_code {county_code} is not a current unit", file="county_codes.csv")
    units = city_units(codes, city)
    if county_code not in set(units["code"]):
        raise DataError(f"county_code {county_code} is not in {city}", file="county_codes.csv")
    names = dict(zip(units["code"], units["name"], strict=True))
    n_class = rounds.set_index("round")[[f"n_{c}" for c in CLASSES]]
    df = classes.copy()
    df["current"] = [_current_code(c, codes) for c in df["county_code"]]
    df = df[df["current"].isin(names)]
    rows = []
    for r in df.to_dict("records"):
        cls = r["class"]
        n = n_class.at[r["round"], f"n_{cls}"] if r["round"] in n_class.index else pd.NA
        rows.append(
            {
                "role": "county" if r["current"] == county_code else "city_peer",
                "round": r["round"],
                "data_year": r["data_year"],
                "county_code": r["current"],
                "county": names[r["current"]],
                "city": city,
                "class": cls,
                "position": r["position"],
                "n_in_class": n,
                "city_position": pd.NA,
                "attribution": "inferred" if r["inferred"] else "published",
                "basis": "; ".join(x for x in (r["position_basis"], r["note"]) if x),
                "source": r["source_url"],
            }
        )
    out = positions_frame(rows)
    out = _derive_city_positions(out)
    if claims is not None and len(claims):
        out = pd.concat([out, claims.astype(out.dtypes.to_dict())], ignore_index=True)
    order = out["role"].map({"county": 0, "city_peer": 1})
    out = out.assign(_o=order).sort_values(
        ["round", "_o", "attribution", "position", "county_code"], na_position="last"
    )
    return out.reset_index(drop=True)[POSITION_COLUMNS]


def _derive_city_positions(df: pd.DataFrame) -> pd.DataFrame:
    """city_position = order of the city's units within a score-ordered list of that round."""
    df = df.copy()
    ordered = df["position"].notna() & (df["attribution"] == "published")
    for _, grp in df[ordered].groupby("round"):
        ranks = grp["position"].rank(method="min").astype(int)
        df.loc[grp.index, "city_position"] = ranks.astype("Int64")
        df.loc[grp.index, "basis"] = (
            df.loc[grp.index, "basis"]
            + "; city_position derived: order among the city's units in the score-ordered list"
        )
    return df


PUBLISHED_POSITIONS = pa.DataFrameSchema(
    {
        "role": pa.Column(str, pa.Check.isin(["county", "city_peer"])),
        "round": pa.Column(int, pa.Check.in_range(2018, 2100)),
        "data_year": pa.Column(int),
        "county_code": pa.Column(str, schemas.CODE),
        "county": pa.Column(str),
        "city": pa.Column(str),
        "class": pa.Column(str, pa.Check.isin(["A", "B", "C", ""]), nullable=True),
        "position": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "n_in_class": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "city_position": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "attribution": pa.Column(str, pa.Check.isin(["published", "inferred"])),
        "basis": pa.Column(str, nullable=True),
        "source": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: (
                d["position"].isna()
                | d["n_in_class"].isna()
                | d["class"].ne("A")
                | (d["position"] <= d["n_in_class"])
            ),
            error="a position in class A cannot exceed the number of A units",
        ),
    ],
    strict=True,
    ordered=True,
)
