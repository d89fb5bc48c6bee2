"""The checks of methods.md §4.6 on an evaluation report: each raises a DataError naming the file,
row and column, or returns a short detail of what it checked (shown in the ingest notebook).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

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
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.ingest.evaluation_report.input_format import HEADERS

SCORE_TOLERANCE = 0.1  # 17 printed points, each rounded to 0.01, against the printed total
MEAN_TOLERANCE = 0.005  # a mean printed to 0.01

# ---------------------------------------------------------------------------------------------
# checks (methods.md §4.6): each raises a DataError naming file, row, column


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    run: Callable[[pd.DataFrame, pd.DataFrame, dict], str]  # returns a short detail


def _err(msg: str, rec: pd.Series, column: str, row_key: str = "row") -> DataError:
    return DataError(
        msg, file=rec["file"], row=int(rec[row_key]), column=HEADERS.get(column, (column,))[0]
    )


def _unit_of_the_time(rec, ctx: dict) -> None:
    """One unit-round against the units of its data year (its code, then its name)."""
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


def check_units_of_the_time(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """Every code is a county-level unit of the round (units_as_of(round - 1)); names match.

    Matched as one join; only the unit-rounds whose code or name does not match directly are
    looked at one by one (a name of the time may still resolve to the code)."""
    known = pd.concat(
        [u[["code", "name"]].assign(round=r) for r, u in ctx["units"].items()], ignore_index=True
    )
    joined = sc[["round", "county_code", "county"]].merge(
        known, how="left", left_on=["round", "county_code"], right_on=["round", "code"]
    )
    suspect = (joined["code"].isna() | (joined["name"] != joined["county"])).to_numpy()
    for rec in sc[suspect].itertuples():
        _unit_of_the_time(rec, ctx)
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


def _structure_of_unit(rnd: int, code: str, grp: pd.DataFrame) -> None:
    """One unit-round: each indicator once, 14 + 3 indicators worth 85 + 15 points."""
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


def check_structure(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """17 level-2 indicators per unit: 14 quantitative worth 85 points, 3 qualitative (创新管理)
    worth 15; each named once; the same indicator has the same maximum for every unit.

    Counted for all units at once; the first unit that fails is then explained."""
    keys = ["round", "county_code"]
    qual = ind["level1"] == QUALITATIVE_LEVEL1
    parts = ind.assign(
        q=qual,
        max_q=ind["max_points"].where(qual, 0.0),
        max_n=ind["max_points"].where(~qual, 0.0),
        dup=ind.duplicated([*keys, "level2"]),
    )
    per = parts.groupby(keys, sort=True).agg(
        n=("q", "size"), n_q=("q", "sum"), max_q=("max_q", "sum"), max_n=("max_n", "sum"),
        dup=("dup", "any"),
    )  # fmt: skip
    bad = (
        per["dup"]
        | (per["n"] - per["n_q"] != N_QUANTITATIVE)
        | (per["n_q"] != N_QUALITATIVE)
        | ((per["max_n"] - MAX_QUANTITATIVE).abs() > 1e-6)
        | ((per["max_q"] - MAX_QUALITATIVE).abs() > 1e-6)
    )
    for rnd, code in per.index[bad]:
        _structure_of_unit(rnd, code, ind[(ind["round"] == rnd) & (ind["county_code"] == code)])
    mode = ind.groupby(["round", "level2"])["max_points"].agg(lambda s: s.mode().iloc[0])
    usual = ind.join(mode.rename("usual"), on=["round", "level2"])["usual"]
    odd = ind[ind["max_points"] != usual]
    if len(odd):
        first = odd.sort_values(["round", "level2"], kind="stable").iloc[0]
        raise _err(
            f"{first['level2']}: maximum {first['max_points']:g} differs from "
            f"{usual[first.name]:g} of the other units", first, "max_points",
        )  # fmt: skip
    return f"{sc.shape[0]} unit-rounds x 17 indicators (14 + 3; 85 + 15 points)"


def check_score_is_sum(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """The total score equals the sum of the 17 points (within rounding) and lies in 0..100."""
    sums = ind.groupby(["round", "county_code"])["points"].sum().rename("sum")
    s = sc.join(sums, on=["round", "county_code"])["sum"]
    bad = ~sc["score"].between(0, 100) | ~((s - sc["score"]).abs() <= SCORE_TOLERANCE)
    if bad.any():
        rec = sc[bad].iloc[0]
        raise _err(
            f"score {rec['score']:g} is not the sum of the points ({s[bad].iloc[0]:.2f}) in "
            "0..100", rec, "value", "score_row",
        )  # fmt: skip
    return f"tolerance {SCORE_TOLERANCE} points"


def check_class_agrees_with_score(ind: pd.DataFrame, sc: pd.DataFrame, ctx: dict) -> str:
    """The class printed agrees with the class of the printed score (evaluation_rules)."""
    want = sc["score"].map(class_of_score)
    bad = sc["class"] != want
    if bad.any():
        rec = sc[bad].iloc[0]
        raise _err(
            f"class {rec['class']} but score {rec['score']:g} is class {want[bad].iloc[0]}",
            rec, "value", "class_row",
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
