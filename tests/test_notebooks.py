"""Execute every notebook on the bundled data, in a temporary copy of the project, exactly as
``make report`` does; then check what they wrote. Nothing is written to the working tree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.io import read_csv

pytestmark = [pytest.mark.notebooks]


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


def test_ranking_whatif_has_both_modes_and_marks_the_stand_in(built: Path) -> None:
    whatif = read_csv(built / "data" / "processed" / "ranking_whatif.csv")
    assert set(whatif["mode"]) == {"own_report", "full_table"}
    assert whatif["simulated"].all()
    assert (whatif["headroom_points"] >= 0).all()
    manifest = read_csv(built / "figures" / "manifest.csv").set_index("figure_id")
    assert manifest.loc[["03-gap-waterfall", "03-rank-gain"], "simulated"].all()


def test_the_review_drafts_traceable_sentences(built: Path) -> None:
    processed = built / "data" / "processed"
    s = read_csv(processed / "review_sentences.csv").set_index("sentence_id")
    assert s.at["output", "text"] == (
        "【模拟数据】1-10月，全县规模以上工业总产值完成96.49亿元，同比增长20.70%，"
        "其中10月份完成产值13.87亿元，同比增长28.96%。"
    )
    assert s.at["key_enterprises", "text"] == (
        "【模拟数据】重点企业累计完成产值23.09亿元，增长16.00%，拉动全县增长4.0个百分点。"
    )
    assert bool(s.at["output", "simulated"])
    # source_row points at the bureau rows the numbers came from (CSV lines, header = 1)
    industry = read_csv(processed / "industry_monthly.csv")
    lines = [int(x) for x in s.at["output", "source_row"].split(";")]
    rows = industry.loc[[n - 2 for n in lines]]
    assert sorted(rows["value_wan"]) == [138700.0, 964900.0]
    assert set(rows["group"]) == {"合计"} and set(rows["year"]) == {2022}
    h = read_csv(processed / "review_headlines.csv").set_index("key")
    assert h.at["evaluation_latest", "display"] == "2023年度A类，全省第13位"
    assert "推断" in h.at["evaluation_claim", "note"]


def test_the_figure_pack_holds_every_figure(built: Path) -> None:
    manifest = read_csv(built / "figures" / "manifest.csv")
    pack = built / "figures" / "annual_review"
    captions = read_csv(pack / "captions.csv")
    assert captions["figure_id"].tolist() == sorted(manifest["figure_id"])
    assert "05-level-ratio" in set(captions["figure_id"])
    for fid in manifest["figure_id"]:
        assert (pack / f"{fid}.png").is_file() and (pack / f"{fid}.svg").is_file(), fid
    assert (pack / "captions.md").read_text(encoding="utf-8").startswith("# 图表及说明")
