"""The per-process memo of reference tables (analysis.ingest.memo): same content, same table;
changed content, a new table; callers get copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from analysis.ingest import admin, memo
from analysis.ingest.admin.codes import COUNTIES_FILE, HISTORY_FILE, _code_table


def test_memoised_builds_once_per_key_and_hands_out_copies() -> None:
    calls = []

    def build() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"a": [1, 2]})

    first = memo.memoised(("t", "k"), build)
    first.loc[0, "a"] = 99
    second = memo.memoised(("t", "k"), build)
    assert len(calls) == 1
    assert second["a"].tolist() == [1, 2]
    memo.memoised(None, build)  # no key: no memo
    assert len(calls) == 2


def test_content_key_is_none_for_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n")
    assert memo.content_key(tmp_path / "a.csv") is not None
    assert memo.content_key(tmp_path / "a.csv", tmp_path / "missing.csv") is None


def test_code_table_follows_an_edited_input(raw: Path, tmp_path: Path) -> None:
    copy = tmp_path / "raw"
    shutil.copytree(raw / "admin", copy / "admin")
    before = admin.code_table(copy)
    assert before.equals(_code_table(copy, 2010))
    hist = copy / HISTORY_FILE
    text = hist.read_text(encoding="utf-8-sig")
    counties = (copy / COUNTIES_FILE).read_text(encoding="utf-8-sig")
    name = before.loc[before["status"] == "active", "name"].iloc[0]
    renamed = name[:-1] + "测" + name[-1]
    hist.write_text(text.replace(name, renamed), encoding="utf-8-sig")
    (copy / COUNTIES_FILE).write_text(counties.replace(name, renamed), encoding="utf-8-sig")
    after = admin.code_table(copy)
    assert renamed in set(after["name"]) and name not in set(after["name"])
    assert after.equals(_code_table(copy, 2010))
