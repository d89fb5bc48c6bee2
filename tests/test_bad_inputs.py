"""The bad-input corpus (tests/data/bad/cases.csv): every case read, warned about or refused as
written down, errors naming file, row and column."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.ingest import admin, bureau, evaluation_published, evaluation_report

BAD = Path(__file__).parent / "data" / "bad"
STANDIN = Path(__file__).resolve().parents[1] / "data" / "internal" / "simulated"


def read_cases() -> list[dict]:
    with open(BAD / "cases.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CASES = read_cases()


def by(**want: str) -> list[dict]:
    return [c for c in CASES if all(c[k] == v for k, v in want.items())]


def test_the_corpus_has_at_least_30_documented_cases() -> None:
    assert len(CASES) >= 30
    assert len({c["case"] for c in CASES}) == len(CASES)
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    assert [c["case"] for c in CASES if f"| {c['case']} |" not in readme] == []
    folders = sorted(p.name for p in BAD.iterdir() if p.is_dir() and p.name != "evaluation")
    assert folders == sorted(c["case"] for c in by(reader="bureau"))


def test_expected_outcome_agrees_with_how_it_shows() -> None:
    for c in CASES:
        want = {"read": "read", "DataError": "error", "finding": c["severity"]}[c["outcome"]]
        assert c["expected"] == want, c["case"]
        if c["expected"] == "error" and c["reader"] != "bureau":
            assert c["row"] and c["column"], c["case"]  # file, row and column named


@pytest.mark.parametrize("case", by(outcome="read", reader="bureau"), ids=lambda c: c["case"])
def test_unusual_but_valid_files_are_read_correctly(case: dict, tmp_path: Path) -> None:
    shutil.copytree(BAD / case["case"], tmp_path / "bureau")
    table, findings = bureau.ingest(tmp_path)
    assert findings.values.tolist() == []
    total = table[(table["span"] == "cumulative") & (table["group"] == "合计") & table["latest"]]
    last = total.sort_values(["year", "month"]).iloc[-1]
    assert last["value_wan"] == float(case["value_wan"])
    assert last["unit"] == "万元"


def test_details_of_the_read_cases(tmp_path: Path) -> None:
    read = {c: bureau.tidy(bureau.read_folder(BAD / c)) for c in (
        "dash_and_ellipsis", "jan_and_jan_feb", "units_change", "thousands_separators",
        "no_title_row", "header_spaces")}  # fmt: skip
    d = read["dash_and_ellipsis"]
    month = d[d["span"] == "month"].set_index("group")
    assert month["value_wan"].isna().all() and month["growth"].isna().all()
    j = read["jan_and_jan_feb"].set_index(["month", "span"])
    assert j.loc[(1, "month"), "flags"] == "january_separate"
    assert j.loc[(2, "month"), ["value_wan", "flags"]].tolist() == [
        62715.0,
        "jan_feb_combined;february_alone",
    ]
    u = read["units_change"].set_index(["year", "span"])
    assert u.loc[(2021, "cumulative"), ["value_wan", "original_unit"]].tolist() == [799400.0, "元"]
    t = read["thousands_separators"].set_index("span")
    assert t.loc["month", ["value_wan", "growth"]].tolist() == [138700.0, 0.2896]
    assert read["no_title_row"]["year"].tolist() == [2022, 2022]  # from the file name
    h = read["header_spaces"].set_index("span")
    assert h.loc["cumulative", "value_column"] == "C (1-本月 累计)"  # as written
    assert h.loc["cumulative", "growth"] == 0.207


def test_what_a_mis_named_file_really_is(tmp_path: Path) -> None:
    for case, what in (
        ("png_as_xlsx", "a PNG image"),
        ("text_as_xlsx", "text (a CSV renamed"),
        ("old_xls", ".xls files are not read"),
        ("empty_file", "the file is empty"),
        ("duplicate_row", "appears twice"),
        ("percent_in_level", "with a % sign"),
    ):
        with pytest.raises(DataError, match=re.escape(what)):
            bureau.read_folder(BAD / case)


def _edit_csv(path: Path, edit: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if edit.startswith("drop "):
        column, value = edit.removeprefix("drop ").split("=", 1)
        df = df[df[column] != value]
    else:
        where, value = edit.split("=", 1)
        column, row = where.split("@")
        df.loc[int(row) - 2, column] = value  # Excel row: header is row 1
    df.to_csv(path, index=False, encoding="utf-8-sig")


@pytest.mark.parametrize("case", by(reader="classes"), ids=lambda c: c["case"])
def test_names_in_the_class_list_that_the_code_table_does_not_accept(
    case: dict, raw_copy: Path
) -> None:
    _edit_csv(raw_copy / "published" / case["file"], case["edit"])
    codes = admin.code_table(raw_copy)
    with pytest.raises(DataError) as err:
        evaluation_published.evaluation_classes(raw_copy, codes)
    assert (Path(err.value.file).name, err.value.row, err.value.column) == (
        case["file"],
        int(case["row"]),
        case["column"],
    )
    value = case["edit"].split("=", 1)[1]
    assert value in err.value.detail


def test_an_old_name_is_told_its_current_name(raw_copy: Path) -> None:
    _edit_csv(raw_copy / "published" / "hebei_sti_evaluation_classes.csv", "county@33=肥乡县")
    with pytest.raises(DataError, match=r"old name .* now 肥乡区 \(130407\)"):
        evaluation_published.evaluation_classes(raw_copy, admin.code_table(raw_copy))


@pytest.mark.parametrize("case", by(reader="evalreport"), ids=lambda c: c["case"])
def test_evaluation_reports_wrong_unit_count_and_class_against_score(
    case: dict, tmp_path: Path, raw: Path
) -> None:
    folder = tmp_path / "evaluation"
    folder.mkdir()
    if case["edit"]:
        shutil.copy2(STANDIN / "evaluation" / case["file"], folder / case["file"])
        _edit_csv(folder / case["file"], case["edit"])
    else:
        shutil.copy2(BAD / "evaluation" / case["file"], folder / case["file"])
    with pytest.raises(DataError) as err:
        evaluation_report.ingest(tmp_path, raw, simulated=bool(case["edit"]))
    assert (Path(err.value.file).name, err.value.row, err.value.column) == (
        case["file"],
        int(case["row"]),
        case["column"],
    )
