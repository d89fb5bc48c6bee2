from pathlib import Path

import pandas as pd

from analysis.ingest import quality


def test_table_summary_counts_missing_cells() -> None:
    df = pd.DataFrame({"a": [1, None, 3], "b": ["x", "y", None]})
    s = quality.table_summary({"t": df}).iloc[0]
    assert (s["rows"], s["missing_cells"]) == (3, 2)
    assert s["columns_with_gaps"] == "a (1), b (1)"


def test_the_area_contradiction_is_found(raw: Path) -> None:
    found = quality.conflicting_facts(raw)
    assert found["values"].str.contains("667").any() and found["values"].str.contains("676").any()


def test_the_2021_data_year_conflict_is_found(raw: Path) -> None:
    found = quality.data_year_conflicts(raw)
    assert found["topic"].tolist() == ["data year of the 2021 round"]


def test_contradictions_include_the_recorded_caveats(raw: Path) -> None:
    topics = quality.contradictions(raw)["topic"]
    assert len(topics) == 4
