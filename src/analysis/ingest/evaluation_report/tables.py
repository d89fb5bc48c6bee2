"""The evaluation report's tidy tables: every check run, then indicators and scores with the
unit's city, whether an indicator's name was published, and the points by part; their schemas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.evaluation_rules import (
    CLASSES,
    MAX_QUALITATIVE,
    MAX_QUANTITATIVE,
    QUALITATIVE_LEVEL1,
)
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.ingest.evaluation_report.checks import CHECKS
from analysis.ingest.evaluation_report.input_format import FOLDER
from analysis.ingest.evaluation_report.reading import (
    published_indicator_names,
    read_folder_with_owners,
    report_files_present,
)

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
# a row of evaluation_checks that is not a check: what the folder holds for the run's county
NOTE_CHECK = "county_reports"
NOTE_DESCRIPTION = "reports available for the run's county (optional input)"


def empty_tables(note: str) -> dict[str, pd.DataFrame]:
    """Schema-valid empty tables, the note saying why (no reports for this run)."""
    row = {"check": NOTE_CHECK, "description": NOTE_DESCRIPTION, "result": "note", "detail": note}
    return {
        "evaluation_indicators": _typed_empty(EVALUATION_INDICATORS),
        "evaluation_scores": _typed_empty(EVALUATION_SCORES),
        "evaluation_checks": pd.DataFrame([row], columns=CHECK_COLUMNS),
    }


def _typed_empty(schema: pa.DataFrameSchema) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in
                         schema.columns.items()})  # fmt: skip


def county_note(sc: pd.DataFrame, own_report: set[tuple[int, str]], county_code: str) -> str:
    """What the reports hold for the run's county ("" when it has its own report every
    round that is read): the full tables may hold it (then those scores count)."""
    rounds = sorted(set(sc["round"]))
    own = sorted(r for r in rounds if (r, county_code) in own_report)
    held = sorted(set(sc.loc[sc["county_code"] == county_code, "round"]))
    if own == rounds:
        return ""
    if not held:
        return (
            f"no evaluation report for {county_code} and no full table that holds it "
            f"(rounds read: {', '.join(map(str, rounds))}): its evaluation sections are empty"
        )
    from_full = [r for r in held if r not in own]
    return (
        f"no own evaluation report for {county_code} in round(s) "
        f"{', '.join(map(str, [r for r in rounds if r not in own]))}; its scores for "
        f"{', '.join(map(str, from_full))} come from the full table(s)"
        + (f", round(s) {', '.join(str(r) for r in rounds if r not in held)} hold no row for it"
           if len(held) < len(rounds) else "")
    )  # fmt: skip


def ingest(
    internal_dir: Path, raw: Path, simulated: bool, county_code: str | None = None
) -> dict[str, pd.DataFrame]:
    """Read ``<internal_dir>/evaluation/``, run every check, return the tidy tables.

    Returns ``evaluation_indicators``, ``evaluation_scores`` and ``evaluation_checks`` (one row
    per check, all passed: a failing check raises before anything is returned). The tables hold
    every unit read (a full table holds them all). Optional input: with no report file the
    tables are empty and ``evaluation_checks`` holds one row ``result`` = ``note`` saying so;
    with ``county_code`` (the run's county) a county without its own report gets such a note
    too (its scores still count when a full table holds it).
    """
    folder = Path(internal_dir) / FOLDER
    if not report_files_present(folder):
        return empty_tables(
            f"no evaluation reports in {FOLDER}/ of the internal data folder: the evaluation "
            "sections say what is missing"
        )
    ind, sc, full_rounds, own_report = read_folder_with_owners(folder)
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
    note = county_note(sc, own_report, county_code) if county_code else ""
    if note:
        results.append({"check": NOTE_CHECK, "description": NOTE_DESCRIPTION, "result": "note",
                        "detail": note})  # fmt: skip
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
    checks=[
        pa.Check(
            lambda d: d["result"].isin(["passed", "note"]),
            error="every check passed (a note says what the folder lacks)",
        )
    ],
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
