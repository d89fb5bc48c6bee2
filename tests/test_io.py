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
