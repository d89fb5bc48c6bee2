from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.ingest.workreport import FIGURES_FILE, read_work_report_figures


def test_all_59_figures_are_read_with_numeric_values(raw: Path) -> None:
    figs = read_work_report_figures(raw / FIGURES_FILE).set_index("figure_id")
    assert len(figs) == 59
    assert figs.loc["F01", "value"] == pytest.approx(96.49)
    assert figs.loc["F01", "unit"] == "亿元"


def test_a_non_numeric_value_names_row_and_column(raw_copy: Path) -> None:
    path = raw_copy / FIGURES_FILE
    text = path.read_text(encoding="utf-8").replace(",96.49,", ",96.49亿,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_work_report_figures(path)
    assert (err.value.row, err.value.column) == (2, "value")
