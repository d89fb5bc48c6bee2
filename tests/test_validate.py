"""Every check of the bureau tables with a bad input (tests/data/bad/cases.csv) and a clean one."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import bureau
from analysis.ingest.bureau import checks

BAD = Path(__file__).parent / "data" / "bad"


def read_cases() -> list[dict]:
    with open(BAD / "cases.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CASES = [r for r in read_cases() if r["outcome"] == "finding" and r["reader"] == "bureau"]
CHECK_FUNCTIONS = {f.__name__.removeprefix("check_"): f for f in checks.CHECKS}


def table_of(case: str) -> pd.DataFrame:
    return bureau.tidy(bureau.read_folder(BAD / case))


def test_every_check_has_a_bad_case() -> None:
    assert set(CHECK_FUNCTIONS) == {c["check"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["case"])
def test_each_check_finds_its_bad_case(case: dict) -> None:
    found = CHECK_FUNCTIONS[case["check"]](table_of(case["case"]))
    assert [(f.check, f.severity, f.file, f.row, f.column) for f in found][:1] == [
        (case["check"], case["severity"], case["file"], int(case["row"]), case["column"])
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["case"])
def test_ingest_stops_on_errors_and_returns_warnings(case: dict, tmp_path: Path) -> None:
    shutil.copytree(BAD / case["case"], tmp_path / "bureau")
    if case["severity"] == "error":
        with pytest.raises(bureau.DataError) as err:
            bureau.ingest(tmp_path)
        assert (Path(err.value.file).name, err.value.row) == (case["file"], int(case["row"]))
    else:
        _, findings = bureau.ingest(tmp_path)
        assert case["check"] in set(findings["check"])


def test_consistent_releases_give_no_findings(tmp_path: Path) -> None:
    # 1–9月 826200 +19.4% and 1–10月 964900 +20.7% with 10月 138700 +28.96% agree (methods.md §1.5)
    head = "企业名称,本月,1-本月累计,本月同比增长(%),累计同比增长(%)"
    (tmp_path / "a.csv").write_text(
        f"2022年1-9月\n单位：万元\n{head}\n合计,110000,826200,20.0,19.4\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(
        f"2022年1-10月\n单位：亿元\n{head}\n合计,13.87,96.49,28.96,20.7\n", encoding="utf-8"
    )
    assert len(checks.run_checks(bureau.tidy(bureau.read_folder(tmp_path)))) == 0


def test_implied_growth_inside_the_rounding_band_is_not_flagged(tmp_path: Path) -> None:
    head = "指标名称,1-本月累计,同比增长(±%)"
    (tmp_path / "a.csv").write_text(
        f"2022年1-9月\n单位：万元\n{head}\n工业总产值,826200,19.5\n", encoding="utf-8"
    )
    ent = "企业名称,本月,1-本月累计,本月同比增长(%),累计同比增长(%)"
    (tmp_path / "b.csv").write_text(
        f"2022年1-10月\n单位：万元\n{ent}\n合计,138700,964900,28.96,20.7\n", encoding="utf-8"
    )
    df = bureau.tidy(bureau.read_folder(tmp_path))
    # 19.42% implied; 19.5 published is within 0.05 + the band's upper edge
    assert checks.check_implied_previous_growth(df) == []
    df.loc[(df["month"] == 9), "growth"] = 0.197
    assert [f.check for f in checks.check_implied_previous_growth(df)] == [
        "implied_previous_growth"
    ]


def test_unit_slip_of_ten_is_a_warning_not_an_error() -> None:
    df = table_of("unit_slip")
    df.loc[df["year"] == 2022, ["value", "value_wan"]] /= 1000  # now 10× last year
    found = checks.check_unit_slip(df)
    assert {(f.severity, f.column) for f in found} == {
        ("warning", "C (1-本月累计)"),
        ("warning", "B (本月)"),
    }


def test_profits_may_fall() -> None:
    df = table_of("negative_derived_month")
    df["indicator"] = "利润总额"
    assert checks.check_negative_derived_month(df) == []


def test_findings_frame_has_the_contract_columns() -> None:
    df = checks.run_checks(table_of("cumulative_below_month"))
    assert list(df.columns) == ["check", "severity", "file", "row", "column", "message"]
    bureau.INDUSTRY_CHECKS.validate(df)


def test_a_part_of_the_county_above_the_county_total_is_an_error() -> None:
    df = table_of("coverage_blocks")
    zone = (df["scope"] == "开发区") & (df["span"] == "cumulative")
    df.loc[zone, "value_wan"] = 1000000.0  # above the county's 964900 (same coverage)
    found = checks.check_parts_sum(df)
    assert [(f.row, f.column) for f in found] == [(9, "C (1-本月累计)")]
    assert "开发区 工业总产值 (cumulative) 1,000,000 万元 exceeds the county total 964,900" in (
        found[0].message
    )
