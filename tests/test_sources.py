from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.ingest.sources import check_provenance, raw_files


def test_every_raw_file_has_provenance(raw: Path) -> None:
    table = check_provenance(raw)
    assert set(table["file"]) == set(raw_files(raw))
    assert table["sha256"].str.len().eq(16).all()


def test_an_unlisted_raw_file_stops_the_ingest(raw_copy: Path) -> None:
    (raw_copy / "published" / "new_release.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"new_release\.csv"):
        check_provenance(raw_copy)


def test_a_listed_file_that_is_gone_names_its_row(raw_copy: Path) -> None:
    (raw_copy / "calendar" / "spring_festival_dates.csv").unlink()
    with pytest.raises(DataError) as err:
        check_provenance(raw_copy)
    assert err.value.column == "file"
    lines = (raw_copy / "SOURCES.csv").read_text(encoding="utf-8").splitlines()
    assert lines[err.value.row - 1].startswith("calendar/spring_festival_dates.csv")
