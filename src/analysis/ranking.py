"""Rank in the provincial county innovation evaluation: what is published, and what goes with it.

Two layers live here, each in its own section:

1. **Published layer.** Class counts by round (the pyramid), the county's published class and
   position by round, and its city peers' published positions. A work report's rank claims
   (e.g. "8th in the province, 1st in the city", written before a round was announced) are
   attributed to the round they most likely refer to and marked ``inferred``.
2. **Structural drivers.** Which census characteristics of a unit go with a high rank? Outcome:
   being in the latest score-ordered list (2023: positions 1-49 of the 66 A units), for all 167
   current units; position within that list as a rank regression. Logit and Probit with HC1
   errors and average marginal effects on standardised covariates; no dummy that perfectly
   separates the outcome. A cross-section of 167 units: association, not cause.

(An indicator layer - the evaluation's own indicators, weights and what-ifs - is a separate
section added later; the functions here are general in the county, the round and the list.)

Every function takes tables and arguments, never globals: the county is a run parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from . import admin, schemas
from .errors import DataError
from .io import read_csv

CLASSES = ("A", "B", "C")

# ---------------------------------------------------------------------------------------------
# inputs: the processed tables written by 01_ingest (files, never another notebook's variables)

INPUT_TABLES = {
    "evaluation_rounds": schemas.EVALUATION_ROUNDS,
    "evaluation_classes": schemas.EVALUATION_CLASSES,
    "county_codes": schemas.COUNTY_CODES,
    "county_covariates": schemas.COUNTY_COVARIATES,
    "work_report_figures": schemas.WORK_REPORT_FIGURES,
    "provenance": schemas.PROVENANCE,
}
_TEXT_COLUMNS = {"county_code", "code", "current_codes", "city_code", "codes_2010"}


def read_inputs(processed: Path) -> dict[str, pd.DataFrame]:
    """Read and re-validate the six tables this analysis stands on (codes stay text)."""
    out = {}
    for name, schema in INPUT_TABLES.items():
        path = processed / f"{name}.csv"
        if not path.is_file():
            raise DataError("not found: run notebooks/01_ingest.ipynb first", file=path)
        df = read_csv(path, dtype=str, keep_default_na=False)
        df = _typed(df, schema)
        out[name] = schemas.validate(df, schema, name)
    return out


def _typed(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Types as the schema declares them (read as text first, so codes keep their leading 0s).

    Columns outside the schema (covariates beyond the contract) become numbers where every
    non-empty value is one, else stay text.
    """
    df = df.copy()
    for column in df.columns:
        text = df[column]
        blank = text.mask(text == "")
        col = schema.columns.get(column)
        dtype = str(col.dtype) if col is not None else ""
        if dtype == "Int64":
            df[column] = pd.to_numeric(blank).astype("Int64")
        elif dtype.startswith("int"):
            df[column] = pd.to_numeric(text).astype(int)
        elif dtype.startswith("float"):
            df[column] = pd.to_numeric(blank).astype(float)
        elif dtype == "bool" or (not dtype and text.isin(["True", "False"]).all()):
            df[column] = text == "True"
        elif not dtype and column not in _TEXT_COLUMNS:
            numbers = pd.to_numeric(blank, errors="coerce")
            if (numbers.notna() == blank.notna()).all():
                df[column] = numbers.astype(float)
    return df


# =============================================================================================
# 1. PUBLISHED LAYER: the province's results and the county's published positions
# =============================================================================================


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


# --- work-report claims ------------------------------------------------------------------------
REPORT_PROVINCE_RANK = "全省县域科技创新能力排名"
REPORT_CITY_RANK = "全市县域科技创新能力排名"
REPORT_YEARS_IN_A = "全省A类县(科技创新能力)"
REPORT_TEXT_PREFIX = "reference/work_report"
_BEFORE = re.compile(r"before (\d{4})-(\d{2})")


def _report_figure(figures: pd.DataFrame, indicator: str) -> pd.Series | None:
    hits = figures[figures["indicator_zh"] == indicator]
    return None if hits.empty else hits.iloc[0]


def report_written(figures: pd.DataFrame) -> tuple[int, int]:
    """(year, month) the work report was written, from its rank figure's period 'before YYYY-MM'.

    The rank claims carry the period 'latest round before 2022-11': the report does not say
    which round it means, only when it was written.
    """
    row = _report_figure(figures, REPORT_PROVINCE_RANK)
    if row is None:
        raise DataError(f"no figure {REPORT_PROVINCE_RANK!r}", file="work_report_figures.csv")
    match = _BEFORE.search(str(row["period"]))
    if not match:
        line = int(figures.index.get_loc(row.name)) + 2
        raise DataError(
            f"period {row['period']!r} does not say 'before YYYY-MM'",
            file="work_report_figures.csv",
            row=line,
            column="period",
        )
    return int(match.group(1)), int(match.group(2))


def latest_round_known(rounds: pd.DataFrame, year: int, month: int) -> int:
    """The latest published round a text written in ``year``-``month`` can refer to.

    Round Y is announced between December of Y and February of Y+1 (2020 round: 2021-01-13;
    2021: 2022-01/02; 2023: 2023-12-22; 2024: 2024-12-25), so before December of Y the latest
    known round is at most Y-1; rounds never published (2022) are skipped. An inference.
    """
    last = year if month == 12 else year - 1
    known = rounds[(rounds["round"] <= last) & rounds["published"].astype(bool)]
    if known.empty:
        raise ValueError(f"no published round before {year}-{month:02d}")
    return int(known["round"].max())


def work_report_county(provenance: pd.DataFrame, codes: pd.DataFrame) -> str | None:
    """The code of the county whose work report the bundled figures come from, or None.

    The report text does not name its county ('我县'); its provenance row does. A run for
    another county must not inherit this county's claims, so the claims are attached only when
    this code equals the run's county code.
    """
    rows = provenance[provenance["file"].str.startswith(REPORT_TEXT_PREFIX)]
    active = codes[codes["status"] == "active"]
    found = {
        r.code
        for text in rows["publisher"].astype(str)
        for r in active.itertuples(index=False)
        if r.name in text
    }
    return found.pop() if len(found) == 1 else None


def report_claims(
    figures: pd.DataFrame, rounds: pd.DataFrame, county_code: str, codes: pd.DataFrame
) -> pd.DataFrame:
    """A work report's rank claims as rows of :data:`POSITION_COLUMNS`, attribution 'inferred'.

    * province rank and city rank ('位列全省第八、全市第一') go to the latest round known when
      the report was written (:func:`latest_round_known`);
    * 'N consecutive years in class A' gives class A in the N latest published rounds up to it.
    """
    year, month = report_written(figures)
    latest = latest_round_known(rounds, year, month)
    unit = codes.loc[codes["code"] == county_code].iloc[0]
    base = {
        "role": "county",
        "county_code": county_code,
        "county": unit["name"],
        "city": unit["city"],
        "attribution": "inferred",
        "source": f"work report written {year}-{month:02d}",
    }
    rows = []
    province = _report_figure(figures, REPORT_PROVINCE_RANK)
    city = _report_figure(figures, REPORT_CITY_RANK)
    in_a = _report_figure(figures, REPORT_YEARS_IN_A)
    a_rounds: list[int] = []
    if in_a is not None:
        published = rounds.loc[rounds["published"].astype(bool) & (rounds["round"] <= latest)]
        a_rounds = sorted(published["round"].nlargest(int(in_a["value"])).tolist())
    for r in sorted(set(a_rounds) | ({latest} if province is not None else set())):
        why = []
        if r in a_rounds:
            why.append(
                f"{in_a['figure_id']} '{in_a['note']}' -> class A in the last "
                f"{int(in_a['value'])} published rounds"
            )
        position = city_position = pd.NA
        if r == latest and province is not None:
            position = int(province["value"])
            why.append(f"{province['figure_id']} {province['note']}")
        if r == latest and city is not None:
            city_position = int(city["value"])
            why.append(f"{city['figure_id']} {city['note']}")
        where = (
            f"the latest published round before {year}-{month:02d}"
            if r == latest
            else f"one of the {len(a_rounds)} published rounds up to round {latest}"
        )
        n_a = rounds.loc[rounds["round"] == r, "n_A"]
        rows.append(
            {
                **base,
                "round": r,
                "data_year": r - 1,
                "class": "A" if r in a_rounds else "",
                "position": position,
                "n_in_class": n_a.iloc[0] if r in a_rounds and len(n_a) else pd.NA,
                "city_position": city_position,
                "basis": "; ".join(why) + f"; attributed to round {r}, {where} (inference)",
            }
        )
    return _positions_frame(rows)


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


def _positions_frame(rows: list[dict]) -> pd.DataFrame:
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
    attribution 'inferred'. ``claims`` (:func:`report_claims`) fill rounds without a published
    row for the county; where both exist the published class wins and the claim stays as a
    second row.
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
    out = _positions_frame(rows)
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


# =============================================================================================
# 2. STRUCTURAL DRIVERS: census characteristics that go with a high rank
# =============================================================================================

#: covariates available for every current unit (standardised before fitting)
CONTINUOUS = (
    "urban_share_2020",
    "tertiary_share_2020",
    "log_population_2020",
    "age_0_14_share_2020",
    "age_65_plus_share_2020",
    "industry_share_2020",
)
#: population change 2010-2020: missing where the 2010 territory is not comparable
POP_CHANGE = "pop_change"
BINARY = ("is_district",)
REGION_BASE = "central"  # the largest group: 97 of 167 units
#: grouped positions for the ordered model (an ordered model with one unit per position is
#: not identified): top 10, 11-25, 26-n
POSITION_GROUPS = ((1, 10), (11, 25), (26, None))
MIN_DUMMY_COUNT = 5


def latest_ordered_round(classes: pd.DataFrame) -> int:
    """The latest round with a score-ordered list (positions published)."""
    ordered = classes.loc[classes["position"].notna(), "round"]
    if ordered.empty:
        raise DataError("no round has a score-ordered list", file="evaluation_classes.csv")
    return int(ordered.max())


def top_list(classes: pd.DataFrame, codes: pd.DataFrame, round_: int) -> pd.DataFrame:
    """The score-ordered list of ``round_`` on current codes: code, position (1..n, no gaps).

    Codes of the time are mapped to current codes; a unit later split cannot carry a position
    to any one successor, so it is an error rather than a guess.
    """
    rows = classes[(classes["round"] == round_) & classes["position"].notna()]
    if rows.empty:
        raise DataError(f"round {round_} has no score-ordered list", file="evaluation_classes.csv")
    out = []
    for i, r in rows.iterrows():
        current = admin.map_to_current(r["county_code"], codes)
        if len(current) != 1:
            raise DataError(
                f"{r['county']} ({r['county_code']}) was split into {', '.join(current)}; "
                "its position belongs to no single current unit",
                file="evaluation_classes.csv",
                row=int(i) + 2,
                column="county_code",
            )
        out.append({"code": current[0], "position": int(r["position"])})
    df = pd.DataFrame(out).sort_values("position").reset_index(drop=True)
    if df["code"].duplicated().any():
        dup = df.loc[df["code"].duplicated(), "code"].iloc[0]
        raise DataError(
            f"round {round_}: unit {dup} listed twice",
            file="evaluation_classes.csv",
            column="county_code",
        )
    if df["position"].tolist() != list(range(1, len(df) + 1)):
        raise DataError(
            f"round {round_}: positions are not 1..{len(df)} without gaps",
            file="evaluation_classes.csv",
            column="position",
        )
    return df


def model_frame(covariates: pd.DataFrame, top: pd.DataFrame) -> pd.DataFrame:
    """One row per current unit: outcome (``in_top`` 0/1, ``position``) and raw covariates.

    Adds ``log_population_2020`` (population spans 0.1-1.1 million: effects are proportional)
    and ``is_district`` as 0/1. ``pop_change`` stays NaN where 2010 is not comparable.
    """
    unknown = sorted(set(top["code"]) - set(covariates["code"]))
    if unknown:
        raise DataError(
            f"listed units without covariates: {unknown}",
            file="county_covariates.csv",
            column="code",
        )
    keep = ["code", "name", "city", "kind", "region", "is_district", "population_2020"]
    keep += [c for c in (*CONTINUOUS, POP_CHANGE) if c in covariates.columns]
    df = covariates[keep].copy()
    df["log_population_2020"] = np.log(df["population_2020"].astype(float))
    df["is_district"] = df["is_district"].astype(bool).astype(int)
    df = df.merge(top, on="code", how="left")
    df["in_top"] = df["position"].notna().astype(int)
    df["position"] = df["position"].astype("Int64")
    return df.reset_index(drop=True)


def standardise(frame: pd.DataFrame, columns: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """z-scores over all units with a value (ddof=1), and the (mean, sd) used.

    Standardised once on the province's units, so 'one standard deviation' means the same in
    every model, whatever its sample.
    """
    stats = pd.DataFrame({"mean": frame[list(columns)].mean(), "sd": frame[list(columns)].std()})
    if (stats["sd"] == 0).any():
        raise ValueError(f"constant covariate(s): {list(stats.index[stats['sd'] == 0])}")
    z = frame.copy()
    for c in columns:
        z[c] = (frame[c] - stats.at[c, "mean"]) / stats.at[c, "sd"]
    return z, stats


def design_matrix(
    frame: pd.DataFrame,
    continuous: tuple[str, ...],
    binary: tuple[str, ...] = BINARY,
    region_base: str | None = REGION_BASE,
    constant: bool = True,
) -> pd.DataFrame:
    """Regressors: the (already standardised) continuous columns, 0/1 dummies, region dummies.

    Rows with a missing value raise: choose the sample explicitly (:func:`complete_rows`).
    """
    X = frame[list(continuous)].astype(float).copy()
    for b in binary:
        X[b] = frame[b].astype(int)
    if region_base is not None:
        for region in sorted(set(frame["region"]) - {region_base}):
            X[f"region_{region}"] = (frame["region"] == region).astype(int)
    missing = X.isna().any(axis=1)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} row(s) with missing covariates; subset first")
    if constant:
        X.insert(0, "const", 1.0)
    X.index = frame.index
    return X


def complete_rows(
    frame: pd.DataFrame, columns: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units with every column present, units dropped) - the dropped ones are shown, not hidden."""
    ok = frame[list(columns)].notna().all(axis=1)
    return frame[ok], frame[~ok]


def separation_table(frame: pd.DataFrame, outcome: str, by: str) -> pd.DataFrame:
    """For each category of ``by``: units, positives, and whether a dummy for it would separate.

    A category whose units all have outcome 0 (or all 1) makes its dummy's ML coefficient
    infinite (perfect separation); cities without a listed unit are the case in point.
    """
    g = frame.groupby(by)[outcome].agg(n="size", n_positive="sum").reset_index()
    g["n_positive"] = g["n_positive"].astype(int)
    g["separates"] = (g["n_positive"] == 0) | (g["n_positive"] == g["n"])
    return g.rename(columns={by: "category"}).assign(variable=by)[
        ["variable", "category", "n", "n_positive", "separates"]
    ]


class SeparationError(ValueError):
    """A dummy regressor separates the outcome: its coefficient is not identified."""


def check_separation(X: pd.DataFrame, y: pd.Series) -> None:
    """Raise :class:`SeparationError` if a 0/1 column of ``X`` separates ``y``.

    Separation: within the units with dummy = 1 (or = 0) the outcome sits entirely at its lowest
    or entirely at its highest value. For a 0/1 outcome that means all 0 or all 1; for ordered
    groups, all in the top group or all in the bottom one.
    """
    y = pd.Series(np.asarray(y, dtype=float), index=X.index)
    lo, hi = y.min(), y.max()
    for column in X.columns:
        values = set(X[column].unique())
        if column == "const" or not values <= {0, 1} or len(values) < 2:
            continue
        for level in (1, 0):
            sub = y[X[column] == level]
            if (sub == lo).all() or (sub == hi).all():
                which = "lowest" if (sub == lo).all() else "highest"
                raise SeparationError(
                    f"dummy {column!r} separates the outcome: all {len(sub)} units with "
                    f"{column} = {level} have the {which} outcome ({sub.iloc[0]:g})"
                )


def drop_sparse_dummies(
    X: pd.DataFrame, min_count: int = MIN_DUMMY_COUNT
) -> tuple[pd.DataFrame, list[str]]:
    """Drop 0/1 columns with fewer than ``min_count`` ones or zeros in this sample.

    Why: a dummy for one or two units fits them exactly and its robust variance is degenerate
    (leverage 1); the notebook reports the dropped columns.
    """
    dropped = []
    for column in X.columns:
        values = X[column]
        if column != "const" and set(values.unique()) <= {0, 1}:
            ones = int(values.sum())
            if min(ones, len(values) - ones) < min_count:
                dropped.append(column)
    return X.drop(columns=dropped), dropped


@dataclass(frozen=True)
class FittedModel:
    """A fitted model with what the tables need to describe it."""

    name: str
    kind: str  # logit | probit | ols | ordered_logit
    outcome: str
    sample: str
    result: object
    dropped: tuple[str, ...] = ()

    @property
    def n_obs(self) -> int:
        return int(self.result.nobs)


def fit_binary(y: pd.Series, X: pd.DataFrame, link: str = "logit") -> object:
    """Logit or Probit with HC1 (robust) errors, after the separation check.

    statsmodels: ``Logit(y, X).fit(cov_type='HC1')``; marginal effects via ``get_margeff``
    use the same robust covariance (delta method).
    """
    check_separation(X, y)
    model_class = {"logit": sm.Logit, "probit": sm.Probit}[link]
    res = model_class(y.astype(float), X).fit(cov_type="HC1", disp=False, maxiter=200)
    if not res.mle_retvals.get("converged", False):
        raise RuntimeError(f"{link} did not converge")
    return res


def fit_position_ols(frame: pd.DataFrame, continuous: tuple[str, ...]) -> tuple[object, list[str]]:
    """OLS of log(position) on the covariates, within the list, HC1 errors.

    log: the gap between 1st and 5th matters more than between 45th and 49th. A positive
    coefficient means further down the list.
    """
    listed = frame[frame["in_top"] == 1]
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous))
    y = np.log(listed["position"].astype(float))
    return sm.OLS(y, X).fit(cov_type="HC1"), dropped


def position_group(position: pd.Series, groups: tuple = POSITION_GROUPS) -> pd.Series:
    """Ordered categories '1-10' < '11-25' < '26-49' (upper bound of the last = the list's end)."""
    end = int(position.max())
    labels, bins = [], [0]
    for lo, hi in groups:
        hi = end if hi is None else hi
        labels.append(f"{lo}-{hi}")
        bins.append(hi)
    cat = pd.cut(position.astype(float), bins=bins, labels=labels)
    return pd.Series(pd.Categorical(cat, categories=labels, ordered=True), index=position.index)


def fit_position_ordered(
    frame: pd.DataFrame, continuous: tuple[str, ...]
) -> tuple[object, list[str]]:
    """Ordered logit of the grouped position (no constant: absorbed in the thresholds).

    Higher category = further down the list, so a positive coefficient means a worse position,
    as in :func:`fit_position_ols`.
    """
    listed = frame[frame["in_top"] == 1]
    y = position_group(listed["position"])
    X, dropped = drop_sparse_dummies(design_matrix(listed, continuous, constant=False))
    check_separation(X, y.cat.codes)
    res = OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
    return res, dropped


def fit_structural_models(frame: pd.DataFrame) -> list[FittedModel]:
    """The model set: in-list Logit/Probit without and with population change, rank models.

    ``frame`` from :func:`model_frame`, standardised with :func:`standardise`.
    """
    models = []
    with_change = (*CONTINUOUS, POP_CHANGE)
    sub, _ = complete_rows(frame, with_change)
    samples = {
        "all": (frame, CONTINUOUS),
        "pop_change": (sub, with_change),
    }
    for sample, (data, cols) in samples.items():
        X = design_matrix(data, cols)
        for link in ("logit", "probit"):
            suffix = "" if sample == "all" else "_pop_change"
            models.append(
                FittedModel(
                    f"in_top_{link}{suffix}",
                    link,
                    "in_top",
                    f"{sample}: {len(data)} units",
                    fit_binary(data["in_top"], X, link),
                )
            )
    n_listed = int(frame["in_top"].sum())
    res, dropped = fit_position_ols(frame, CONTINUOUS)
    models.append(
        FittedModel(
            "position_ols_log",
            "ols",
            "log(position)",
            f"listed: {n_listed} units",
            res,
            tuple(dropped),
        )
    )
    res, dropped = fit_position_ordered(frame, CONTINUOUS)
    models.append(
        FittedModel(
            "position_ordered_grouped",
            "ordered_logit",
            "position group",
            f"listed: {n_listed} units",
            res,
            tuple(dropped),
        )
    )
    return models


def _tidy(model: FittedModel, quantity: str, est, se, low, high, p, terms) -> pd.DataFrame:
    res = model.result
    fit_stat = getattr(res, "prsquared", None)
    if fit_stat is None:
        fit_stat = getattr(res, "rsquared", np.nan)
    return pd.DataFrame(
        {
            "model": model.name,
            "kind": model.kind,
            "outcome": model.outcome,
            "sample": model.sample,
            "n_obs": model.n_obs,
            "quantity": quantity,
            "term": list(terms),
            "estimate": np.asarray(est, dtype=float),
            "std_err": np.asarray(se, dtype=float),
            "ci_low": np.asarray(low, dtype=float),
            "ci_high": np.asarray(high, dtype=float),
            "p_value": np.asarray(p, dtype=float),
            "cov_type": getattr(res, "cov_type", "nonrobust"),
            "fit_r2": float(fit_stat) if fit_stat is not None else np.nan,
            "dropped_terms": ";".join(model.dropped),
        }
    )


def coefficient_table(model: FittedModel) -> pd.DataFrame:
    """Coefficients with robust s.e. and 95% intervals (ordered model: thresholds excluded)."""
    res = model.result
    ci = res.conf_int()
    terms = [t for t in res.params.index if "/" not in str(t)]  # OrderedModel thresholds: '0/1'
    return _tidy(
        model,
        "coefficient",
        res.params[terms],
        res.bse[terms],
        ci.loc[terms, 0],
        ci.loc[terms, 1],
        res.pvalues[terms],
        terms,
    )


def marginal_effects(model: FittedModel) -> pd.DataFrame:
    """Average marginal effects on P(in list); 0/1 regressors as discrete changes (0 -> 1).

    Units: change in probability per one standard deviation of a continuous covariate.
    """
    m = model.result.get_margeff(at="overall", method="dydx", dummy=True)
    f = m.summary_frame()
    return _tidy(
        model,
        "marginal_effect",
        f["dy/dx"],
        f["Std. Err."],
        f["Conf. Int. Low"],
        f["Cont. Int. Hi."],
        f["Pr(>|z|)"],
        f.index,
    )


def structural_table(models: list[FittedModel]) -> pd.DataFrame:
    """Every model's coefficients, and the binary models' average marginal effects, tidy."""
    parts = []
    for m in models:
        parts.append(coefficient_table(m))
        if m.kind in ("logit", "probit"):
            parts.append(marginal_effects(m))
    out = pd.concat(parts, ignore_index=True)
    out["simulated"] = False
    return out


STRUCTURAL = pa.DataFrameSchema(
    {
        "model": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["logit", "probit", "ols", "ordered_logit"])),
        "outcome": pa.Column(str),
        "sample": pa.Column(str),
        "n_obs": pa.Column(int, pa.Check.gt(0)),
        "quantity": pa.Column(str, pa.Check.isin(["coefficient", "marginal_effect"])),
        "term": pa.Column(str),
        "estimate": pa.Column(float),
        "std_err": pa.Column(float, pa.Check.ge(0)),
        "ci_low": pa.Column(float),
        "ci_high": pa.Column(float),
        "p_value": pa.Column(float, pa.Check.in_range(0, 1)),
        "cov_type": pa.Column(str),
        "fit_r2": pa.Column(float, nullable=True),
        "dropped_terms": pa.Column(str, nullable=True),
        "simulated": pa.Column(bool, pa.Check.isin([False])),
    },
    checks=[
        pa.Check(
            lambda d: (d["ci_low"] <= d["estimate"]) & (d["estimate"] <= d["ci_high"]),
            error="estimate outside its interval",
        )
    ],
    unique=["model", "quantity", "term"],
    strict=True,
    ordered=True,
)


# --- where the county sits --------------------------------------------------------------------
def fitted_table(frame: pd.DataFrame, logit: FittedModel, probit: FittedModel) -> pd.DataFrame:
    """Each unit's fitted P(in list) under Logit and Probit, its outcome, and its percentile.

    ``fitted_percentile``: the fraction of units whose Logit probability is at most this unit's.
    """
    X = design_matrix(frame, CONTINUOUS)
    p_logit = pd.Series(np.asarray(logit.result.predict(X)), index=frame.index)
    p_probit = pd.Series(np.asarray(probit.result.predict(X)), index=frame.index)
    ranks = p_logit.rank(method="max") / len(p_logit)
    out = frame[["code", "name", "city", "region", "kind", "in_top", "position"]].copy()
    out["p_logit"] = p_logit
    out["p_probit"] = p_probit
    out["fitted_percentile"] = ranks
    out["residual"] = out["in_top"] - out["p_logit"]
    return out.reset_index(drop=True)


def county_standing(fitted: pd.DataFrame, county_code: str) -> pd.Series:
    """The county's row of :func:`fitted_table` (raises if the code is not a current unit)."""
    hit = fitted[fitted["code"] == county_code]
    if hit.empty:
        raise DataError(
            f"county_code {county_code} is not among the current units",
            file="county_covariates.csv",
            column="code",
        )
    return hit.iloc[0]


PEER_FEATURES = (*CONTINUOUS, "is_district")


def nearest_peers(
    frame: pd.DataFrame, county_code: str, k: int = 5, features: tuple[str, ...] = PEER_FEATURES
) -> pd.DataFrame:
    """The ``k`` units most alike the county: Euclidean distance on standardised features.

    Features are re-standardised here (is_district included), so each counts equally; region is
    left out on purpose - peers are alike in structure, wherever they are.
    """
    z, _ = standardise(frame, features)
    if county_code not in set(frame["code"]):
        raise DataError(
            f"county_code {county_code} is not among the current units",
            file="county_covariates.csv",
            column="code",
        )
    me = z.loc[z["code"] == county_code, list(features)].iloc[0]
    dist = np.sqrt(((z[list(features)] - me) ** 2).sum(axis=1))
    out = frame[["code", "name", "city", "kind", "in_top", "position"]].assign(distance=dist)
    out = out[out["code"] != county_code].sort_values(["distance", "code"]).head(k)
    return out.assign(peer_rank=range(1, len(out) + 1)).reset_index(drop=True)


def with_peers(fitted: pd.DataFrame, peers: pd.DataFrame, county_code: str) -> pd.DataFrame:
    """Fitted table plus ``is_county``, ``peer_rank`` and ``peer_distance`` for the peers."""
    out = fitted.merge(peers[["code", "peer_rank", "distance"]], on="code", how="left")
    out = out.rename(columns={"distance": "peer_distance"})
    out["peer_rank"] = out["peer_rank"].astype("Int64")
    out.insert(3, "is_county", out["code"] == county_code)
    out["simulated"] = False
    return out


FITTED = pa.DataFrameSchema(
    {
        "code": pa.Column(str, schemas.CODE, unique=True),
        "name": pa.Column(str),
        "city": pa.Column(str),
        "is_county": pa.Column(bool),
        "region": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["district", "county", "city"])),
        "in_top": pa.Column(int, pa.Check.isin([0, 1])),
        "position": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "p_logit": pa.Column(float, schemas.FRACTION),
        "p_probit": pa.Column(float, schemas.FRACTION),
        "fitted_percentile": pa.Column(float, pa.Check.in_range(0, 1, include_min=False)),
        "residual": pa.Column(float, pa.Check.in_range(-1, 1)),
        "peer_rank": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "peer_distance": pa.Column(float, pa.Check.ge(0), nullable=True),
        "simulated": pa.Column(bool, pa.Check.isin([False])),
    },
    checks=[
        pa.Check(lambda d: d["is_county"].sum() == 1, error="exactly one row is the county"),
        pa.Check(
            lambda d: (d["position"].notna() == (d["in_top"] == 1)).all(),
            error="a position exactly for the listed units",
        ),
    ],
    strict=True,
    ordered=True,
)
