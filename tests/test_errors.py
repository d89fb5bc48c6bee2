"""Errors name the file, row and column; a value given twice is refused at the row a user sees."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import DataError, refuse_repeats


def test_the_message_names_file_row_and_column() -> None:
    err = DataError("unit is empty", file="data/raw/x.csv", row=4, column="unit")
    assert str(err) == "file x.csv, row 4, column 'unit': unit is empty"


def test_a_repeat_is_refused_at_the_repeated_row() -> None:
    codes = pd.Series(["130101", "130102", "130103", "130102"])
    with pytest.raises(DataError) as caught:
        refuse_repeats(codes, "code {} listed twice", file="c.csv", column="code")
    assert (caught.value.row, caught.value.column) == (5, "code")  # 4th data row, header row 1
    assert caught.value.detail == "code 130102 listed twice"


def test_keep_false_names_the_first_of_the_rows_involved() -> None:
    files = pd.Series(["a.csv", "b.csv", "a.csv"])
    with pytest.raises(DataError, match=r"row 2.*'a.csv' is listed twice"):
        refuse_repeats(files, "file {!r} is listed twice", file="SOURCES.csv", keep=False)


def test_no_repeat_passes() -> None:
    refuse_repeats(pd.Series(["a", "b"]), "{} twice", file="x.csv")
