from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.evaluation_rules import class_of_score
from analysis.ingest import evaluation_published


@pytest.fixture(scope="module")
def rounds(raw: Path) -> pd.DataFrame:
    return evaluation_published.evaluation_rounds(raw).set_index("round")


def test_one_row_per_round_2018_to_2024_with_data_year_apart(rounds: pd.DataFrame) -> None:
    assert list(rounds.index) == list(range(2018, 2025))
    assert rounds.loc[2023, "data_year"] == 2022
    assert "2020" in rounds.loc[2021, "data_year_note"]


def test_published_counts_are_kept_as_published(rounds: pd.DataFrame) -> None:
    assert rounds.loc[2023, ["n_A", "n_B", "n_C"]].tolist() == [66, 73, 28]
    assert rounds.loc[2023, "mean_score"] == pytest.approx(72.92)
    assert rounds.loc[2023, "n_A_status"] == "published"


def test_2019_mean_is_derived_from_the_published_difference(rounds: pd.DataFrame) -> None:
    assert rounds.loc[2019, "mean_score"] == pytest.approx(61.07 - 9.26)
    assert rounds.loc[2019, "mean_score_status"] == "derived"
    assert "9.26" in rounds.loc[2019, "derivation"]


def test_2020_counts_come_from_the_2021_changes(rounds: pd.DataFrame) -> None:
    assert rounds.loc[2020, ["n_A", "n_B", "n_C"]].tolist() == [19, 64, 85]
    assert rounds.loc[2020, "n_A_status"] == "derived"
    assert rounds.loc[2020, "mean_score"] == pytest.approx(56.26)  # published


def test_2018_baseline_mean_and_unit_count(rounds: pd.DataFrame) -> None:
    assert rounds.loc[2018, "mean_score"] == pytest.approx(45.87)
    assert rounds.loc[2018, "n_units"] == 168
    assert rounds.loc[2021, "n_units"] == 167


def test_unpublished_2022_round_stays_empty(rounds: pd.DataFrame) -> None:
    row = rounds.loc[2022]
    assert row[["n_units", "n_A", "n_B", "n_C", "mean_score"]].isna().all()
    assert row["mean_score_status"] == "not_published"


def test_2024_b_and_c_are_not_invented(rounds: pd.DataFrame) -> None:
    assert rounds.loc[2024, "n_A"] == 82
    assert pd.isna(rounds.loc[2024, "n_B"]) and pd.isna(rounds.loc[2024, "n_C"])


def test_published_differences_agree_with_levels(rounds: pd.DataFrame) -> None:
    checks = evaluation_published.difference_checks(rounds.reset_index())
    assert checks["agrees"].all(), checks[~checks["agrees"]]
    independent = checks[checks["kind"] == "check of two published levels"]
    # 2021 vs 2020 (61.07 - 56.26) and 2024 vs 2023 (76.93 - 72.92) test the sources
    assert set(zip(independent["round"], independent["base_round"])) == {(2021, 2020), (2024, 2023)}


def test_sources_that_disagree_are_an_error_naming_the_row(raw_copy: Path) -> None:
    path = raw_copy / evaluation_published.SUMMARY_FILE
    text = path.read_text(encoding="utf-8").splitlines()
    # the second 2021 row (line 8) gets a different A count
    parts = text[7].split(",")
    assert parts[0] == "2021"
    parts[2] = "33"
    text[7] = ",".join(parts)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        evaluation_published.evaluation_rounds(raw_copy)
    assert err.value.column == "n_A" and err.value.row == 8
    assert "hebei_sti_evaluation_summary.csv" in str(err.value)


@pytest.mark.parametrize(("score", "cls"), [(80, "A"), (79.99, "B"), (60, "B"), (59.9, "C")])
def test_class_thresholds(score: float, cls: str) -> None:
    assert class_of_score(score) == cls


def test_units_in_round() -> None:
    assert evaluation_published.units_in_round(2020) == 168
    assert evaluation_published.units_in_round(2021) == 167


def test_class_lists_resolve_names_to_codes_of_the_time(raw: Path) -> None:
    from analysis.ingest.admin import code_table

    classes = evaluation_published.evaluation_classes(raw, code_table(raw))
    assert not classes.duplicated(["round", "county_code"]).any()
    a2023 = classes[(classes["round"] == 2023) & (classes["class"] == "A")]
    assert sorted(a2023["position"].tolist()) == list(range(1, 50))
    qz = a2023[a2023["county_code"] == "130435"]
    assert qz["position"].tolist() == [13]
    short = classes[(classes["round"] == 2020) & (classes["name_as_published"] == "固安")]
    assert short["county"].tolist() == ["固安县"]
    assert classes.loc[classes["round"] == 2019, "position"].isna().all()  # listing order


def test_a_class_that_is_not_abc_names_row_and_column(raw_copy: Path) -> None:
    from analysis.ingest.admin import code_table

    path = raw_copy / evaluation_published.CLASSES_FILE
    text = path.read_text(encoding="utf-8").replace(",石家庄市,A,1,", ",石家庄市,D,1,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        evaluation_published.evaluation_classes(raw_copy, code_table(raw_copy))
    assert (err.value.row, err.value.column) == (2, "class")
