"""Execute every notebook on the bundled data, in a temporary copy of the project, exactly as
``make report`` does; then check what they wrote. Nothing is written to the working tree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.io import read_csv

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("build")]


def test_every_notebook_ran(built: Path, repo: Path) -> None:
    ran = sorted(p.name for p in (built / "reports").glob("*.ipynb"))
    assert ran == sorted(p.name for p in (repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_ingest_wrote_the_public_tables(built: Path) -> None:
    processed = built / "data" / "processed"
    for name in (
        "provenance",
        "county_codes",
        "evaluation_rounds",
        "evaluation_classes",
        "county_covariates",
        "work_report_figures",
    ):
        assert (processed / f"{name}.csv").is_file(), name
    rounds = read_csv(processed / "evaluation_rounds.csv")
    assert rounds["round"].tolist() == list(range(2018, 2025))


def test_the_county_is_13th_of_the_2023_a_list(built: Path) -> None:
    classes = read_csv(
        built / "data" / "processed" / "evaluation_classes.csv", dtype={"county_code": str}
    )
    row = classes[(classes["round"] == 2023) & (classes["county_code"] == "130435")]
    assert row[["class", "position"]].values.tolist() == [["A", 13]]


def test_figures_are_in_the_merged_manifest(built: Path) -> None:
    manifest = read_csv(built / "figures" / "manifest.csv")
    assert "01-evaluation-classes" in set(manifest["figure_id"])
    for rel in pd.concat([manifest["png"], manifest["svg"]]):
        assert (built / "figures" / rel).is_file(), rel


def test_ranking_wrote_its_tables_and_figures(built: Path) -> None:
    processed = built / "data" / "processed"
    fitted = read_csv(processed / "ranking_fitted.csv", dtype={"code": str})
    assert len(fitted) == 167 and fitted["in_top"].sum() == 49
    assert fitted.loc[fitted["is_county"], "code"].tolist() == ["130435"]
    positions = read_csv(processed / "ranking_published_positions.csv", dtype={"county_code": str})
    claim = positions[(positions["round"] == 2021) & (positions["county_code"] == "130435")]
    assert claim[["position", "attribution"]].values.tolist() == [[8, "inferred"]]
    manifest = read_csv(built / "figures" / "manifest.csv")
    ids = {"03-pyramid", "03-city-peers", "03-driver-effects", "03-fitted-probability"}
    assert ids <= set(manifest["figure_id"])
    assert not manifest.loc[manifest["figure_id"].isin(ids), "simulated"].any()


def test_ingest_wrote_the_bureau_tables(built: Path) -> None:
    processed = built / "data" / "processed"
    table = read_csv(processed / "industry_monthly.csv")
    checks = read_csv(processed / "industry_checks.csv")
    assert table["simulated"].all()
    oct22 = table[(table["year"] == 2022) & (table["month"] == 10) & (table["group"] == "合计")]
    assert sorted(oct22["value_wan"]) == [138700.0, 964900.0]
    assert set(checks["severity"]) <= {"warning"}


def test_ingest_wrote_the_evaluation_tables_marked_simulated(built: Path) -> None:
    processed = built / "data" / "processed"
    scores = read_csv(processed / "evaluation_scores.csv", dtype={"county_code": str})
    assert scores.groupby("round").size().to_dict()[2020] == 168
    assert scores["simulated"].all()
    checks = read_csv(processed / "evaluation_checks.csv")
    assert (checks["result"] == "passed").all() and len(checks) == 9
    assert (processed / "evaluation_indicators.csv").is_file()
