import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import atomic_open, read_csv, write_csv


def test_csv_is_utf8_with_bom_and_byte_identical_on_rewrite(tmp_path: Path) -> None:
    df = pd.DataFrame({"县": ["曲周县"], "value": [1.5]})
    target = write_csv(df, tmp_path / "t.csv")
    first = target.read_bytes()
    assert first.startswith(b"\xef\xbb\xbf") and b"\r\n" not in first
    write_csv(df, target)
    assert target.read_bytes() == first
    assert read_csv(target).equals(df)


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("good")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "good"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_written_files_follow_the_umask_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_xlsx_keeps_codes_as_text_numbers_with_their_decimals_and_fixed_bytes(
    tmp_path: Path,
) -> None:
    import time
    from decimal import Decimal

    import openpyxl

    from analysis.io import numbers_as_numbers, write_xlsx

    rows = [["区划代码", "值", "文字"], ["130435", Decimal("96.4900"), "—"], ["", 17, 0.5]]
    first = write_xlsx(tmp_path / "a.xlsx", rows, sheet="t").read_bytes()
    time.sleep(1.1)  # openpyxl stamps the current second; the writer must not
    assert write_xlsx(tmp_path / "a.xlsx", rows, sheet="t").read_bytes() == first
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["t"]
    assert [c.value for c in ws[2]] == ["130435", 96.49, "—"]
    assert (ws["A2"].data_type, ws["B2"].number_format) == ("s", "0.0000")
    assert [ws["A3"].value, ws["B3"].value, ws["C3"].value] == [None, 17, 0.5]
    assert numbers_as_numbers([["1.50", "x", ""]]) == [[Decimal("1.50"), "x", ""]]


def test_committed_templates_are_what_the_writers_write(repo: Path, tmp_path: Path) -> None:
    from analysis.ingest import bureau, evaluation_report

    written = bureau.write_templates(tmp_path) + evaluation_report.write_templates(tmp_path)
    committed = repo / "data" / "internal" / "templates"
    assert sorted(p.name for p in written) == sorted(p.name for p in committed.iterdir())
    assert [p.name for p in written if p.read_bytes() != (committed / p.name).read_bytes()] == []
