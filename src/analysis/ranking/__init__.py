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

from analysis import schemas
from analysis.errors import DataError
from analysis.evaluation_rules import (
    CLASS_A_MIN,
    CLASS_B_MIN,
    CLASSES,
    MAX_QUANTITATIVE,
    QUALITATIVE_LEVEL1,
    SCORE_STEP,
)
from analysis.ingest import admin
from analysis.ingest import evaluation_report as evalreport

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


def read_inputs(processed: Path) -> dict[str, pd.DataFrame]:
    """Read and re-validate the six tables this analysis stands on (codes stay text)."""
    return {
        name: schemas.read_table(processed, name, schema) for name, schema in INPUT_TABLES.items()
    }


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


# =============================================================================================
# 3. INDICATOR LAYER: what would move the county's score and rank (METHODS §3.3-§3.6)
# =============================================================================================
#
# Two modes, by what a county really holds:
#
# * own_report - its own evaluation report (17 indicators: value, points, maximum) plus the
#   published lists (class counts, mean). The other counties' scores are unknown; their
#   distribution is fitted to the published shares and mean and projected one round forward.
# * full_table - every unit's indicator values and scores (as in the simulated stand-in). The
#   composite is reconstructed (normalisation read from the values, weights by NNLS), and the
#   other units' scores are known and projected forward by the mean's yearly gain.
#
# Rank after improvement (§3.6d): r' = 1 + #{j != i : S^_j > S_i + dS_i/dx * delta}; the others'
# scores S^_j are projected to the next round, the county's own score stands still.

WHATIF_INPUTS = {
    "evaluation_indicators": evalreport.EVALUATION_INDICATORS,
    "evaluation_scores": evalreport.EVALUATION_SCORES,
}
NORMALISATIONS = ("capped_ratio", "min_max", "log_min_max", "z_score")
MC_NORMALISATIONS = ("capped_ratio", "min_max", "z_score")
AGGREGATIONS = ("linear", "geometric")
GEOMETRIC_FLOOR = 0.01  # a zero normalised value would zero a geometric mean
FIT_TOLERANCE = 0.005  # a distribution fit must hit the published shares within 0.5 pp


def read_evaluation_tables(processed: Path) -> dict[str, pd.DataFrame]:
    """The evaluation tables written by 01_ingest, re-validated (codes stay text)."""
    return {
        name: schemas.read_table(processed, name, schema) for name, schema in WHATIF_INPUTS.items()
    }


# --- rank arithmetic (both modes) ---------------------------------------------------------------
def rank_after(score: float, others: np.ndarray) -> np.ndarray:
    """Rank of a unit scoring ``score`` among ``others`` (1 = best): 1 + #{others > score}.

    ``others`` is a vector (one set of the other units' scores) or a matrix (one row per
    Monte-Carlo draw); ties go to the unit (the others must score strictly more to be above).
    """
    others = np.atleast_2d(np.asarray(others, dtype=float))
    return 1 + (others > float(score)).sum(axis=-1)


def score_to_reach(others: np.ndarray, position: int) -> np.ndarray:
    """The score that reaches ``position``: one step above the position-th best of the others.

    With fewer than ``position`` others above, the rank is at most ``position``; so the score
    must exceed the position-th highest other score (by :data:`SCORE_STEP`).
    """
    others = np.atleast_2d(np.asarray(others, dtype=float))
    if not 1 <= position <= others.shape[1]:
        raise ValueError(f"position {position} outside 1..{others.shape[1]}")
    kth = -np.partition(-others, position - 1, axis=1)[:, position - 1]
    return kth + SCORE_STEP


def units_to_target(needed_points: float, slope: float, headroom: float) -> float:
    """Improvement of one indicator alone that gains ``needed_points`` (NaN if not possible).

    0 if nothing is needed; NaN when the indicator's headroom is smaller than what is needed,
    or when it gives no points per unit (at its cap, or slope unknown).
    """
    if needed_points <= 0:
        return 0.0
    if not np.isfinite(slope) or slope <= 0 or needed_points > headroom + 1e-9:
        return float("nan")
    return float(needed_points / slope)


# --- own-report mode: the county's indicators ---------------------------------------------------
def own_report(indicators: pd.DataFrame, scores: pd.DataFrame, county_code: str):
    """The county's latest own rows: (round, indicator rows, score row), or None if it has none.

    In the bundled stand-in the full table holds every unit's rows, so every county has them;
    with a user's folder holding only the county's own report, other counties have none.
    """
    mine = scores[scores["county_code"] == county_code]
    if mine.empty:
        return None
    rnd = int(mine["round"].max())
    rows = indicators[(indicators["county_code"] == county_code) & (indicators["round"] == rnd)]
    return rnd, rows.reset_index(drop=True), mine[mine["round"] == rnd].iloc[0]


def own_marginals(rows: pd.DataFrame) -> pd.DataFrame:
    """Headroom and points per unit of each indicator, from the county's own report alone.

    Quantitative indicators are read as capped benchmark ratios (METHODS §3.2/§3.6d): below the
    cap ``points = W·x/x*``, so the county's own value and points give the slope
    ``W/x* = points/value``. This is an **assumption** about an unpublished formula (marked in
    ``basis``). At the cap the slope is 0. Qualitative indicators are expert scores (value =
    points): one point per point, up to the maximum.
    """
    out = rows[["level1", "level2", "unit", "value", "points", "max_points"]].copy()
    out["headroom_points"] = (out["max_points"] - out["points"]).clip(lower=0).round(4)
    slopes, bases = [], []
    for r in out.itertuples(index=False):
        if r.level1 == QUALITATIVE_LEVEL1:
            slopes.append(1.0)
            bases.append("expert score (value = points): one point per point")
        elif r.points >= r.max_points - 1e-9:
            slopes.append(0.0)
            bases.append("at the maximum: no further points (assumed capped ratio)")
        elif pd.notna(r.value) and r.value > 0 and r.points > 0:
            slopes.append(r.points / r.value)
            bases.append("ASSUMED capped ratio: slope = points/value (W/x*), up to the cap")
        else:
            slopes.append(float("nan"))
            bases.append("slope unknown: value or points is 0")
    out["points_per_unit"] = slopes
    out["basis"] = bases
    return out.rename(columns={"level2": "indicator", "value": "current_value"})


# --- own-report mode: the others' scores from the published shares and mean --------------------
@dataclass(frozen=True)
class ScoreDistribution:
    """Scores as a reflected gamma: S = upper - X, X ~ Gamma(shape, scale), truncated at 100.

    Why this family: the published rounds are left-skewed with a bounded top (2023: 40 % in A,
    17 % in C, mean 72.92); a normal or skew-normal cannot match the shares and the mean
    together, the reflected gamma matches them exactly with three parameters.
    """

    round: int
    shape_round: int
    shape: float
    scale: float
    upper: float
    share_a: float
    share_ab: float
    mean: float
    max_error: float

    def frozen(self):
        from scipy import stats

        return stats.gamma(self.shape, scale=self.scale)

    def shares(self) -> tuple[float, float, float]:
        """(P(S >= 80), P(S >= 60), E S) of the fitted distribution (before truncation)."""
        d = self.frozen()
        return (
            float(d.cdf(self.upper - CLASS_A_MIN)),
            float(d.cdf(self.upper - CLASS_B_MIN)),
            float(self.upper - d.mean()),
        )

    def sample(self, size: tuple[int, int], rng) -> np.ndarray:
        """Draws of S truncated to [0, 100] (inverse CDF above the point where S = 100)."""
        d = self.frozen()
        low = d.cdf(max(self.upper - 100.0, 0.0))
        u = low + (1 - low) * rng.uniform(size=size)
        return np.clip(self.upper - d.ppf(u), 0.0, 100.0)


PROJECTIONS = ("gap_share", "shift")


def project_scores(
    scores: np.ndarray, gain: np.ndarray | float, mean: float, how: str = "gap_share"
):
    """Scores one or more years on, when the province's mean rises by ``gain`` points.

    * ``gap_share`` (default): every unit closes the same share of its distance to 100 as the
      mean does, ``S + gain·(100 - S)/(100 - mean)``: the mean rises by exactly ``gain`` and no
      score passes 100 (units near the top gain less, as they must);
    * ``shift``: every unit gains ``gain`` (METHODS §3.6d as written), capped at 100 - near the
      top this piles units up at 100.
    ``gain`` may be one value per row of a matrix of scores.
    """
    scores = np.asarray(scores, dtype=float)
    gain = np.asarray(gain, dtype=float)
    if scores.ndim == 2 and gain.ndim == 1:
        gain = gain.reshape(-1, 1)
    if how == "gap_share":
        return scores + gain * (100.0 - scores) / (100.0 - mean)
    if how == "shift":
        return np.minimum(100.0, scores + gain)
    raise ValueError(f"unknown projection {how!r}: use one of {PROJECTIONS}")


def _round_targets(rounds: pd.DataFrame) -> pd.DataFrame:
    df = rounds[rounds["n_A"].notna() & rounds["mean_score"].notna() & rounds["n_units"].notna()]
    df = df.assign(
        share_a=df["n_A"] / df["n_units"],
        share_ab=(df["n_A"] + df["n_B"]) / df["n_units"],
    )
    return df.sort_values("round").reset_index(drop=True)


def _fit_reflected_gamma(share_a, share_ab, mean, shape=None) -> tuple[float, float, float, float]:
    """(shape, scale, upper, max error): 3 conditions with the shape free, 2 with it given."""
    from scipy import optimize, stats

    def conditions(k, th, up):
        d = stats.gamma(k, scale=th)
        res = [d.cdf(up - CLASS_A_MIN) - share_a, (up - d.mean() - mean) / 100]
        if shape is None:
            res.append(d.cdf(up - CLASS_B_MIN) - share_ab)
        return res

    if shape is None:
        r = optimize.least_squares(
            lambda p: conditions(np.exp(p[0]), np.exp(p[1]), p[2]), [np.log(2), np.log(8), 95.0]
        )
        k, th, up = np.exp(r.x[0]), np.exp(r.x[1]), r.x[2]
    else:
        r = optimize.least_squares(
            lambda p: conditions(shape, np.exp(p[0]), p[1]), [np.log(8), 95.0]
        )
        k, th, up = shape, np.exp(r.x[0]), r.x[1]
    return float(k), float(th), float(up), float(np.abs(r.fun).max())


def fit_score_distributions(rounds: pd.DataFrame, basis_round: int | None = None):
    """Distributions of the latest published round's scores, one per usable shape.

    The latest round with a published A count and mean is the basis. Where B (hence the share
    >= 60) is published for it, all three parameters are fitted to it; where not (2024), the
    shape is taken from each earlier round whose three conditions fit within
    :data:`FIT_TOLERANCE`, and scale and upper end are fitted to the basis round's A share and
    mean. The spread between shapes is model uncertainty, carried into the intervals.
    """
    targets = _round_targets(rounds)
    if targets.empty:
        raise DataError("no round with a published A count and mean", file="evaluation_rounds.csv")
    if basis_round is None:
        basis_round = int(targets["round"].max())
    basis = targets.set_index("round").loc[basis_round]
    shapes = []
    for t_ in targets[targets["n_B"].notna() & (targets["round"] <= basis_round)].itertuples():
        k, th, up, err = _fit_reflected_gamma(t_.share_a, t_.share_ab, t_.mean_score)
        if err <= FIT_TOLERANCE:
            shapes.append((int(t_.round), k, th, up, err))
    own = [s for s in shapes if s[0] == basis_round]
    fits = []
    for rnd, k, th, up, err in own or shapes:
        if rnd != basis_round:
            k, th, up, err = _fit_reflected_gamma(basis.share_a, np.nan, basis.mean_score, shape=k)
        fits.append(
            ScoreDistribution(
                basis_round, rnd, k, th, up, float(basis.share_a),
                float(basis.share_ab) if pd.notna(basis.share_ab) else float("nan"),
                float(basis.mean_score), err,
            )
        )  # fmt: skip
    if not fits:
        raise DataError("no round's shares and mean could be fitted", file="evaluation_rounds.csv")
    return fits


def distribution_table(fits: list[ScoreDistribution]) -> pd.DataFrame:
    """The fitted distributions with the published targets and what each reproduces."""
    rows = []
    for f in fits:
        a, ab, m = f.shares()
        rows.append(
            {
                "round": f.round,
                "shape_from_round": f.shape_round,
                "shape": round(f.shape, 4),
                "scale": round(f.scale, 4),
                "upper_end": round(f.upper, 2),
                "share_A_published": round(f.share_a, 4),
                "share_A_fitted": round(a, 4),
                "share_AB_published": round(f.share_ab, 4),
                "share_AB_fitted": round(ab, 4),
                "mean_published": f.mean,
                "mean_fitted": round(m, 2),
            }
        )
    return pd.DataFrame(rows)


def observed_yearly_gains(rounds: pd.DataFrame) -> np.ndarray:
    """The mean score's observed gains per year (one per pair of rounds with a mean)."""
    gains = mean_score_gains(rounds)["gain_per_year"].dropna().to_numpy(dtype=float)
    if gains.size == 0:
        raise DataError("fewer than two rounds with a mean score", file="evaluation_rounds.csv")
    return gains


def project_others(
    fits: list[ScoreDistribution],
    n_others: int,
    gains: np.ndarray,
    years: int,
    n_draws: int = 2000,
    seed: int = 0,
    how: str = "gap_share",
) -> np.ndarray:
    """Monte-Carlo sets of the other units' scores in the target round (draws x n_others).

    Each draw takes one fitted shape (model uncertainty), ``n_others`` scores from it
    (sampling) and one observed yearly gain of the mean times ``years`` (pace uncertainty),
    applied by :func:`project_scores`.
    """
    rng = np.random.default_rng(seed)
    which = rng.integers(len(fits), size=n_draws)
    gain = rng.choice(np.asarray(gains, dtype=float), size=n_draws) * years
    out = np.empty((n_draws, n_others))
    for i, f in enumerate(fits):
        rows = which == i
        if rows.any():
            drawn = f.sample((int(rows.sum()), n_others), rng)
            out[rows] = project_scores(drawn, gain[rows], f.mean, how)
    return out


def interval(x: np.ndarray, level: float = 0.90) -> tuple[float, float, float]:
    """(median, low, high) of draws: the central ``level`` interval."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    q = np.quantile(np.asarray(x, dtype=float), [0.5, lo, hi])
    return float(q[0]), float(q[1]), float(q[2])


# --- full-table mode: reconstruct the composite -------------------------------------------------
def full_table_round(scores: pd.DataFrame) -> int | None:
    """The latest round with every unit's scores (more than one unit), or None."""
    n = scores.groupby("round")["county_code"].nunique()
    full = n[n > 1]
    return int(full.index.max()) if len(full) else None


@dataclass(frozen=True)
class Table:
    """One round's full table in matrix form (units in score order)."""

    round: int
    codes: list[str]
    names: list[str]
    indicators: list[str]
    units: list[str]
    X: np.ndarray  # values, units x quantitative indicators
    P: np.ndarray  # printed points
    W: np.ndarray  # printed maxima
    Q: np.ndarray  # qualitative points
    S: np.ndarray  # scores
    position: np.ndarray
    cls: list[str]


def full_table(indicators: pd.DataFrame, scores: pd.DataFrame, rnd: int) -> Table:
    """The round's quantitative indicators as matrices; a missing value is an error."""
    ind = indicators[(indicators["round"] == rnd) & (indicators["level1"] != QUALITATIVE_LEVEL1)]
    sc = scores[scores["round"] == rnd].sort_values("position").reset_index(drop=True)
    val = ind.pivot(index="county_code", columns="level2", values="value")
    val = val.reindex(sc["county_code"])
    if val.isna().any().any():
        code = val.index[val.isna().any(axis=1)][0]
        raise DataError(
            f"round {rnd}: unit {code} lacks an indicator value",
            file="evaluation_indicators.csv",
            column="value",
        )
    pts = ind.pivot(index="county_code", columns="level2", values="points")
    pts = pts.reindex(sc["county_code"])
    first = ind.drop_duplicates("level2").set_index("level2")
    cols = list(val.columns)
    return Table(
        rnd, list(sc["county_code"]), list(sc["county"]), cols,
        [first.at[c, "unit"] for c in cols], val.to_numpy(float), pts[cols].to_numpy(float),
        first.loc[cols, "max_points"].to_numpy(float), sc["qualitative_points"].to_numpy(float),
        sc["score"].to_numpy(float), sc["position"].to_numpy(int), list(sc["class"]),
    )  # fmt: skip


def estimate_benchmarks(tab: Table) -> np.ndarray:
    """x*_k under the capped-ratio reading: W_k / median(points/value) over uncapped units.

    Uses the printed maxima (in every report) and each indicator's points column; where every
    unit is at the cap the smallest value is taken (x* is at most that).
    """
    out = np.empty(len(tab.indicators))
    for k in range(len(tab.indicators)):
        x, p, w = tab.X[:, k], tab.P[:, k], tab.W[k]
        ok = (x > 0) & (p > 0) & (p < w - 1e-9)
        out[k] = w / np.median(p[ok] / x[ok]) if ok.any() else x[x > 0].min()
    return out


def normalise(X: np.ndarray, method: str, benchmarks: np.ndarray | None = None) -> np.ndarray:
    """Normalised indicators in [0, 1] (METHODS §3.3); all indicators are benefit indicators.

    ``z_score`` is rescaled to [0, 1] as 0.5 + z/6 (±3 sd), clipped, to stay on the points
    scale; ``log_min_max`` uses ln(1 + x).
    """
    X = np.asarray(X, dtype=float)
    if method == "capped_ratio":
        return np.minimum(1.0, X / benchmarks)
    if method in ("min_max", "log_min_max"):
        Y = np.log1p(X) if method == "log_min_max" else X
        lo, hi = Y.min(axis=0), Y.max(axis=0)
        return (Y - lo) / np.where(hi > lo, hi - lo, 1.0)
    if method == "z_score":
        sd = X.std(axis=0, ddof=1)
        return np.clip(0.5 + (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0) / 6, 0.0, 1.0)
    raise ValueError(f"unknown normalisation {method!r}: use one of {NORMALISATIONS}")


@dataclass(frozen=True)
class WeightFit:
    """NNLS weights of the quantitative points on normalised indicators, and the fit."""

    normalisation: str
    weights: np.ndarray
    intercept: float
    r2: float
    max_abs_residual: float
    residuals: np.ndarray


def recover_weights(Z: np.ndarray, y: np.ndarray, normalisation: str = "") -> WeightFit:
    """Non-negative least squares of ``y`` on ``[1, Z]`` (METHODS §3.6a: negative weights are
    implausible). If the composite is a weighted sum of ``Z``, R² = 1 and the weights are W."""
    from scipy.optimize import nnls

    A = np.column_stack([np.ones(len(Z)), Z])
    coef, _ = nnls(A, np.asarray(y, dtype=float))
    fitted = A @ coef
    resid = y - fitted
    r2 = 1 - (resid**2).sum() / ((y - y.mean()) ** 2).sum()
    return WeightFit(normalisation, coef[1:], float(coef[0]), float(r2),
                     float(np.abs(resid).max()), resid)  # fmt: skip


def reconstruct(tab: Table) -> tuple[dict[str, WeightFit], np.ndarray, str]:
    """Weights under every normalisation; (fits, benchmarks, the best-fitting normalisation)."""
    bench = estimate_benchmarks(tab)
    y = tab.S - tab.Q
    fits = {m: recover_weights(normalise(tab.X, m, bench), y, m) for m in NORMALISATIONS}
    best = max(fits, key=lambda m: fits[m].r2)
    return fits, bench, best


def weights_table(tab: Table, fits: dict[str, WeightFit], bench: np.ndarray) -> pd.DataFrame:
    """One row per (normalisation, indicator): recovered weight beside the printed maximum."""
    rows = []
    for m, f in fits.items():
        for k, name in enumerate(tab.indicators):
            rows.append(
                {
                    "model": f"nnls_{m}",
                    "term": name,
                    "estimate": float(f.weights[k]),
                    "std_err": np.nan,
                    "p_value": np.nan,
                    "printed_max": float(tab.W[k]),
                    "benchmark": float(bench[k]) if m == "capped_ratio" else np.nan,
                    "vif": np.nan,
                    "fit_r2": f.r2,
                    "max_abs_residual": f.max_abs_residual,
                    "converged": True,
                }
            )
        rows.append(rows[-1] | {"term": "intercept", "estimate": f.intercept,
                                "printed_max": np.nan, "benchmark": np.nan})  # fmt: skip
    return pd.DataFrame(rows)


def driver_models(tab: Table, Z: np.ndarray) -> pd.DataFrame:
    """OLS of the score on the normalised indicators (HC3) and an ordered logit on the class.

    The ordered logit has no constant (absorbed in the thresholds) and takes the class as a
    Series with an ordered categorical dtype (C < B < A), fitted with BFGS (METHODS §3.6b). The
    class is a cut of the score, so near-separation is likely: ``converged`` says whether BFGS
    converged, and the estimates are for reading signs, not sizes.
    """
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    Zdf = pd.DataFrame(Z, columns=tab.indicators)
    X = sm.add_constant(Zdf)
    ols = sm.OLS(tab.S, X).fit(cov_type="HC3")
    vif = {c: float(variance_inflation_factor(X.to_numpy(), i)) for i, c in enumerate(X.columns)}
    y = pd.Series(pd.Categorical(tab.cls, categories=["C", "B", "A"], ordered=True))
    rows = []
    for term in X.columns:
        rows.append(
            {"model": "ols_hc3", "term": term, "estimate": float(ols.params[term]),
             "std_err": float(ols.bse[term]), "p_value": float(ols.pvalues[term]),
             "vif": vif[term] if term != "const" else np.nan, "fit_r2": float(ols.rsquared),
             "converged": True}
        )  # fmt: skip
    present = [c for c in ("C", "B", "A") if c in set(tab.cls)]
    if len(present) >= 2:
        y = pd.Series(pd.Categorical(tab.cls, categories=present, ordered=True))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = OrderedModel(y, Zdf, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
        ok = bool(res.mle_retvals.get("converged", False))
        for term in res.params.index:
            rows.append(
                {"model": "ordered_logit", "term": str(term),
                 "estimate": float(res.params[term]), "std_err": float(res.bse[term]),
                 "p_value": float(res.pvalues[term]), "vif": np.nan,
                 "fit_r2": float(res.prsquared), "converged": ok}
            )  # fmt: skip
    out = pd.DataFrame(rows)
    for c in ("printed_max", "benchmark", "max_abs_residual"):
        out[c] = np.nan
    return out


def marginal_points(
    method: str, x: np.ndarray, X: np.ndarray, weights: np.ndarray, bench: np.ndarray
) -> np.ndarray:
    """∂S/∂x for each indicator at the unit's values ``x`` (METHODS §3.6d)."""
    if method == "capped_ratio":
        return np.where(x < bench, weights / bench, 0.0)
    if method == "min_max":
        return weights / np.where(X.max(0) > X.min(0), X.max(0) - X.min(0), np.inf)
    if method == "log_min_max":
        span = np.log1p(X.max(0)) - np.log1p(X.min(0))
        return weights / ((1 + x) * np.where(span > 0, span, np.inf))
    if method == "z_score":
        return weights / (6 * X.std(axis=0, ddof=1))
    raise ValueError(method)


def unit_index(tab: Table, county_code: str) -> int:
    if county_code not in tab.codes:
        raise DataError(
            f"county_code {county_code} is not in the round {tab.round} full table",
            file="evaluation_scores.csv",
            column="county_code",
        )
    return tab.codes.index(county_code)


def gap_decomposition(
    tab: Table, Z: np.ndarray, weights: np.ndarray, county_code: str, target_position: int
) -> pd.DataFrame:
    """G = S_j - S_i = (Q_j - Q_i) + Σ W_k (z_jk - z_ik) + residual (METHODS §3.6c).

    ``j`` is the unit at ``target_position``; the residual is what the reconstruction misses.
    Rows: the county's score, the components in order of size, the residual, the target's score.
    """
    i = unit_index(tab, county_code)
    j = int(np.flatnonzero(tab.position == target_position)[0])
    parts = weights * (Z[j] - Z[i])
    gap = tab.S[j] - tab.S[i]
    comp = pd.DataFrame({"component": tab.indicators, "kind": "indicator", "points": parts})
    comp = pd.concat(
        [comp, pd.DataFrame([{"component": QUALITATIVE_LEVEL1, "kind": "qualitative",
                              "points": tab.Q[j] - tab.Q[i]}])], ignore_index=True,
    )  # fmt: skip
    comp = comp.reindex(comp["points"].abs().sort_values(ascending=False).index)
    resid = gap - comp["points"].sum()
    head = {"component": tab.names[i], "kind": "start", "points": tab.S[i]}
    tail = {"component": tab.names[j], "kind": "end", "points": tab.S[j]}
    out = pd.concat(
        [pd.DataFrame([head]), comp,
         pd.DataFrame([{"component": "residual", "kind": "residual", "points": resid}, tail])],
        ignore_index=True,
    )  # fmt: skip
    out["share_of_gap"] = np.where(
        out["kind"].isin(["indicator", "qualitative", "residual"]) & (gap != 0),
        out["points"] / gap if gap != 0 else np.nan,
        np.nan,
    )
    out.insert(0, "round", tab.round)
    out.insert(1, "county_code", county_code)
    out.insert(2, "target_code", tab.codes[j])
    out["points"] = out["points"].round(4)
    out["share_of_gap"] = out["share_of_gap"].round(4)
    return out.reset_index(drop=True)


def monte_carlo_ranks(
    tab: Table,
    weights: np.ndarray,
    bench: np.ndarray,
    n_draws: int = 1000,
    concentration: float = 100.0,
    seed: int = 0,
) -> np.ndarray:
    """Ranks of every unit (draws x units) over weighting, normalisation and aggregation.

    Weights: 85·Dirichlet(concentration·w/Σw) around the recovered ones; normalisation:
    capped ratio, min–max or rescaled z-score; aggregation linear or geometric (normalised
    values floored at :data:`GEOMETRIC_FLOOR`). Scores stay on 0-100: the qualitative points as
    they are plus 85 quantitative (METHODS §3.5, §3.6e).
    """
    rng = np.random.default_rng(seed)
    alpha = concentration * np.maximum(weights, 1e-3) / np.maximum(weights, 1e-3).sum()
    W = MAX_QUANTITATIVE * rng.dirichlet(alpha, size=n_draws)
    norm = rng.integers(len(MC_NORMALISATIONS), size=n_draws)
    agg = rng.integers(len(AGGREGATIONS), size=n_draws)
    scores = np.empty((n_draws, len(tab.codes)))
    for a, m in enumerate(MC_NORMALISATIONS):
        Z = normalise(tab.X, m, bench)
        logZ = np.log(np.maximum(Z, GEOMETRIC_FLOOR))
        for g, how in enumerate(AGGREGATIONS):
            rows = (norm == a) & (agg == g)
            if not rows.any():
                continue
            if how == "linear":
                quant = W[rows] @ Z.T
            else:
                quant = MAX_QUANTITATIVE * np.exp((W[rows] / MAX_QUANTITATIVE) @ logZ.T)
            scores[rows] = tab.Q + quant
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


def robustness_table(tab: Table, ranks: np.ndarray, county_code: str, simulated: bool):
    """Each unit's published position and its Monte-Carlo rank interval (5th-95th percentile)."""
    q = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame(
        {
            "round": tab.round,
            "county_code": tab.codes,
            "county": tab.names,
            "is_county": [c == county_code for c in tab.codes],
            "position": tab.position,
            "score": tab.S,
            "rank_p05": q[0].round().astype(int),
            "rank_median": q[1].round().astype(int),
            "rank_p95": q[2].round().astype(int),
            "n_draws": ranks.shape[0],
            "simulated": bool(simulated),
        }
    )


# --- the what-if table --------------------------------------------------------------------------
WHATIF_COLUMNS = [
    "mode", "round", "county_code", "indicator", "level1", "unit", "current_value", "points",
    "max_points", "headroom_points", "points_per_unit", "units_to_target",
    "rank_standing_still", "rank_at_full_headroom", "target_position", "score_now",
    "score_needed", "score_needed_low", "score_needed_high", "basis", "simulated",
]  # fmt: skip


@dataclass(frozen=True)
class WhatIf:
    """A mode's result: its rows, the score needed (median, interval) and the ranks."""

    table: pd.DataFrame
    score_needed: tuple[float, float, float]
    rank_now: tuple[float, float, float]


def _whatif_rows(
    marg: pd.DataFrame,
    *,
    mode: str,
    rnd: int,
    county_code: str,
    score: float,
    others: np.ndarray,
    target_position: int,
    note: str,
    simulated: bool,
) -> WhatIf:
    needed = score_to_reach(others, target_position)
    need = interval(needed)
    standing = interval(rank_after(score, others))
    rows = []
    for r in marg.to_dict("records"):
        full = np.median(rank_after(score + r["headroom_points"], others))
        rows.append(
            r | {
                "units_to_target": units_to_target(
                    need[0] - score, r["points_per_unit"], r["headroom_points"]
                ),
                "rank_standing_still": round(standing[0]),
                "rank_at_full_headroom": round(full),
                "basis": f"{r['basis']}; {note}",
            }
        )  # fmt: skip
    out = pd.DataFrame(rows).assign(
        mode=mode, round=rnd, county_code=county_code, target_position=target_position,
        score_now=score, score_needed=round(need[0], 2), score_needed_low=round(need[1], 2),
        score_needed_high=round(need[2], 2), simulated=bool(simulated),
    )  # fmt: skip
    for c in ("points_per_unit", "units_to_target", "headroom_points"):
        out[c] = out[c].astype(float).round(6)
    return WhatIf(out[WHATIF_COLUMNS], need, standing)


def own_report_whatif(
    rows: pd.DataFrame,
    score_row: pd.Series,
    rounds: pd.DataFrame,
    target_position: int,
    n_draws: int = 2000,
    seed: int = 0,
    how: str = "gap_share",
) -> tuple[WhatIf, list[ScoreDistribution], np.ndarray]:
    """Own-report mode: the county's indicators against a fitted, projected distribution.

    The target round is the round after the later of the county's report and the basis round
    of the published lists; the others are projected by the observed yearly gains of the mean.
    """
    fits = fit_score_distributions(rounds)
    rnd = int(score_row["round"])
    basis = fits[0].round
    years = max(rnd, basis) + 1 - basis
    n_units = int(rounds.set_index("round").at[basis, "n_units"])
    gains = observed_yearly_gains(rounds)
    others = project_others(fits, n_units - 1, gains, years, n_draws, seed, how)
    marg = own_marginals(rows)
    note = (
        f"others: reflected-gamma fit to the published round-{basis} shares and mean, "
        f"projected {years} year(s) at the observed yearly gains of the mean ({how}; "
        f"{n_draws} draws)"
    )
    simulated = bool(rows["simulated"].any() or score_row["simulated"])
    out = _whatif_rows(
        marg, mode="own_report", rnd=rnd, county_code=str(score_row["county_code"]),
        score=float(score_row["score"]), others=others, target_position=target_position,
        note=note, simulated=simulated,
    )  # fmt: skip
    return out, fits, others


def full_table_whatif(
    tab: Table,
    indicators: pd.DataFrame,
    county_code: str,
    weights: np.ndarray,
    bench: np.ndarray,
    method: str,
    gain: float,
    target_position: int,
    simulated: bool,
    how: str = "gap_share",
) -> WhatIf:
    """Full-table mode: marginal points from the reconstructed composite, the others' known
    scores projected one year by the mean's latest yearly gain (:func:`project_scores`)."""
    i = unit_index(tab, county_code)
    Z = normalise(tab.X, method, bench)
    slope = marginal_points(method, tab.X[i], tab.X, weights, bench)
    quant = pd.DataFrame(
        {
            "level1": "", "indicator": tab.indicators, "unit": tab.units,
            "current_value": tab.X[i], "points": tab.P[i], "max_points": tab.W,
            "headroom_points": weights * (1 - Z[i]), "points_per_unit": slope,
            "basis": f"reconstructed: {method} normalisation, NNLS weights",
        }
    )  # fmt: skip
    here = (indicators["round"] == tab.round) & (indicators["county_code"] == county_code)
    mine = indicators[here]
    level1 = dict(zip(mine["level2"], mine["level1"]))
    quant["level1"] = quant["indicator"].map(level1)
    qual = mine[mine["level1"] == QUALITATIVE_LEVEL1]
    qual = pd.DataFrame(
        {
            "level1": qual["level1"], "indicator": qual["level2"], "unit": qual["unit"],
            "current_value": qual["value"], "points": qual["points"],
            "max_points": qual["max_points"],
            "headroom_points": (qual["max_points"] - qual["points"]).clip(lower=0),
            "points_per_unit": 1.0, "basis": "expert score (value = points): one point per point",
        }
    )  # fmt: skip
    others = project_scores(np.delete(tab.S, i), gain, float(tab.S.mean()), how)
    note = (
        f"others: round-{tab.round} scores projected one year at the mean's latest yearly "
        f"gain {gain:.2f} ({how})"
    )
    return _whatif_rows(
        pd.concat([quant, qual], ignore_index=True), mode="full_table", rnd=tab.round,
        county_code=county_code, score=float(tab.S[i]), others=others,
        target_position=target_position, note=note, simulated=simulated,
    )  # fmt: skip


RANKING_WHATIF = pa.DataFrameSchema(
    {
        "mode": pa.Column(str, pa.Check.isin(["own_report", "full_table"])),
        "round": pa.Column(int, pa.Check.in_range(2018, 2100)),
        "county_code": pa.Column(str, schemas.CODE),
        "indicator": pa.Column(str),
        "level1": pa.Column(str),
        "unit": pa.Column(str),
        "current_value": pa.Column(float, nullable=True),
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "headroom_points": pa.Column(float, pa.Check.ge(0)),
        "points_per_unit": pa.Column(float, pa.Check.ge(0), nullable=True),
        "units_to_target": pa.Column(float, pa.Check.ge(0), nullable=True),
        "rank_standing_still": pa.Column(int, pa.Check.ge(1)),
        "rank_at_full_headroom": pa.Column(int, pa.Check.ge(1)),
        "target_position": pa.Column(int, pa.Check.ge(1)),
        "score_now": pa.Column(float, pa.Check.in_range(0, 100)),
        "score_needed": pa.Column(float),
        "score_needed_low": pa.Column(float),
        "score_needed_high": pa.Column(float),
        "basis": pa.Column(str, pa.Check.str_length(min_value=1)),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: d["rank_at_full_headroom"] <= d["rank_standing_still"],
            error="more points cannot worsen the rank",
        ),
        pa.Check(
            lambda d: (
                (d["score_needed_low"] <= d["score_needed"])
                & (d["score_needed"] <= d["score_needed_high"])
            ),
            error="score needed outside its interval",
        ),
    ],
    unique=["mode", "indicator"],
    strict=True,
    ordered=True,
)

RANKING_WHATIF_MODEL = pa.DataFrameSchema(
    {
        "model": pa.Column(str),
        "term": pa.Column(str),
        "estimate": pa.Column(float),
        "std_err": pa.Column(float, nullable=True),
        "p_value": pa.Column(float, nullable=True),
        "printed_max": pa.Column(float, nullable=True),
        "benchmark": pa.Column(float, nullable=True),
        "vif": pa.Column(float, nullable=True),
        "fit_r2": pa.Column(float, nullable=True),
        "max_abs_residual": pa.Column(float, nullable=True),
        "converged": pa.Column(bool),
        "round": pa.Column(int),
        "simulated": pa.Column(bool),
    },
    unique=["model", "term"],
    strict=True,
    ordered=True,
)

RANKING_WHATIF_GAP = pa.DataFrameSchema(
    {
        "round": pa.Column(int),
        "county_code": pa.Column(str, schemas.CODE),
        "target_code": pa.Column(str, schemas.CODE),
        "component": pa.Column(str),
        "kind": pa.Column(
            str, pa.Check.isin(["start", "indicator", "qualitative", "residual", "end"])
        ),
        "points": pa.Column(float),
        "share_of_gap": pa.Column(float, nullable=True),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (
                abs(
                    d.loc[d["kind"] == "start", "points"].sum()
                    + d.loc[~d["kind"].isin(["start", "end"]), "points"].sum()
                    - d.loc[d["kind"] == "end", "points"].sum()
                )
                < 1e-3
            ),
            error="start + components = end",
        )
    ],
    strict=True,
    ordered=True,
)

RANKING_WHATIF_ROBUSTNESS = pa.DataFrameSchema(
    {
        "round": pa.Column(int),
        "county_code": pa.Column(str, schemas.CODE, unique=True),
        "county": pa.Column(str),
        "is_county": pa.Column(bool),
        "position": pa.Column(int, pa.Check.ge(1)),
        "score": pa.Column(float, pa.Check.in_range(0, 100)),
        "rank_p05": pa.Column(int, pa.Check.ge(1)),
        "rank_median": pa.Column(int, pa.Check.ge(1)),
        "rank_p95": pa.Column(int, pa.Check.ge(1)),
        "n_draws": pa.Column(int, pa.Check.gt(0)),
        "simulated": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda d: (d["rank_p05"] <= d["rank_median"]) & (d["rank_median"] <= d["rank_p95"]),
            error="median outside the rank interval",
        ),
        pa.Check(lambda d: d["is_county"].sum() == 1, error="exactly one row is the county"),
    ],
    strict=True,
    ordered=True,
)


def empty_table(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A table with the schema's columns and no rows (a part that does not apply to this run)."""
    return pd.DataFrame(
        {name: pd.Series(dtype=str(col.dtype)) for name, col in schema.columns.items()}
    )


def model_table(
    tab: Table, fits: dict[str, WeightFit], bench: np.ndarray, Z: np.ndarray, simulated: bool
) -> pd.DataFrame:
    """Recovered weights under every normalisation, then the OLS (HC3) and ordered-logit rows."""
    out = pd.concat([weights_table(tab, fits, bench), driver_models(tab, Z)], ignore_index=True)
    out = out[[c for c in RANKING_WHATIF_MODEL.columns if c not in ("round", "simulated")]]
    return out.assign(
        round=tab.round, simulated=bool(simulated), converged=out["converged"].astype(bool)
    )
