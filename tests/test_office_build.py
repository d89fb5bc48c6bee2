"""The office files of the shared project build, read as a reader would: the Word draft with
python-docx, the workbook with pandas against the processed tables; and the runner's rule for
re-making them."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest

from analysis.build.shared import make_shared
from analysis.figures.labels import t
from analysis.io import read_csv
from analysis.office import DOCX, XLSX
from analysis.params import load_params
from analysis.paths import Paths

pytestmark = [pytest.mark.notebooks]
MARK = "【模拟数据】"


def _bool(s: pd.Series) -> pd.Series:
    return s.astype(str).str.lower().eq("true")


@pytest.fixture(scope="module")
def draft(built: Path) -> docx.document.Document:
    return docx.Document(str(built / DOCX))


def test_the_build_wrote_both_files(built: Path) -> None:
    assert (built / DOCX).stat().st_size > 10_000
    assert (built / XLSX).stat().st_size > 5_000


def test_headings_follow_the_work_report_numbering(draft) -> None:
    h1 = [p.text for p in draft.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in draft.paragraphs if p.style.name == "Heading 2"]
    numerals = "一二三四五六七八九"
    assert [h[:2] for h in h1] == [f"{numerals[i]}、" for i in range(len(h1))]
    assert len(h1) >= 4
    assert h2 and all(h[0] == "（" and h[2] == "）" for h in h2)
    params = load_params()
    assert f"{params.county}{params.year}年" in draft.paragraphs[0].text


def test_every_sentence_of_the_review_is_a_paragraph_with_its_mark(built: Path, draft) -> None:
    sentences = read_csv(built / "data/processed/review_sentences.csv")
    body = [p.text for p in draft.paragraphs if p.style.name == "Normal"]
    assert len(sentences) >= 5
    for _, s in sentences.iterrows():
        hits = [b for b in body if str(s["text"]).removeprefix(MARK) in b]
        assert len(hits) == 1, s["sentence_id"]
        simulated = str(s["simulated"]).lower() == "true"
        assert (MARK in hits[0]) == simulated, s["sentence_id"]
        assert hits[0].count(MARK) <= 1


def test_every_figure_of_the_pack_with_a_numbered_caption(built: Path, draft) -> None:
    captions = read_csv(built / "figures/annual_review/captions.csv")
    assert len(draft.inline_shapes) >= len(captions) > 0
    figs = [p.text for p in draft.paragraphs if p.style.name == "Caption" and p.text[0] == "图"]
    assert [c.split(" ")[0] for c in figs] == [f"图{i}" for i in range(1, len(captions) + 1)]
    for _, c in captions.iterrows():
        mine = [f for f in figs if str(c["title_zh"]) in f]
        assert len(mine) == 1, c["figure_id"]
        assert mine[0].endswith(MARK) == (str(c["simulated"]).lower() == "true")


def test_table_1_holds_the_headline_numbers(built: Path, draft) -> None:
    heads = read_csv(built / "data/processed/review_headlines.csv")
    caption = next(p.text for p in draft.paragraphs if p.text.startswith("表1"))
    assert caption.endswith(MARK) == bool(_bool(heads["simulated"]).any())
    table = draft.tables[0]
    assert [c.text for c in table.rows[0].cells][3] == "单位"
    assert len(table.rows) == len(heads) + 1
    labels = [r.cells[1].text for r in table.rows[1:]]
    assert labels == heads["label"].astype(str).tolist()
    row = heads.index[heads["key"] == "output_cumulative_wan"][0]
    assert table.rows[row + 1].cells[2].text + "亿元" == heads.loc[row, "display"]
    assert table.rows[row + 1].cells[3].text == "亿元"


def _sheet(built: Path, name: str) -> pd.DataFrame:
    return pd.read_excel(built / XLSX, sheet_name=name, header=1, engine="openpyxl")


def test_the_workbook_numbers_equal_the_processed_tables(built: Path) -> None:
    proc = built / "data/processed"
    heads = read_csv(proc / "review_headlines.csv")
    sheet = _sheet(built, "主要指标")
    expected = [v / 1e4 if u == "万元" else v for v, u in zip(heads["value"], heads["unit"])]
    assert sheet["数值"].tolist() == pytest.approx(expected)
    assert sheet["模拟数据"].eq("是").tolist() == _bool(heads["simulated"]).tolist()
    contrib = read_csv(proc / "contributions.csv")
    sheet = _sheet(built, "增长拉动")
    assert sheet["产值(亿元)"].tolist() == pytest.approx((contrib["level_wan"] / 1e4).tolist())
    assert sheet["同比增速"].tolist() == pytest.approx(contrib["growth"].tolist())
    assert sheet[t("pull_pp", "zh")].tolist() == pytest.approx(contrib["pull_pp"].tolist())
    proj = read_csv(proc / "projection.csv")
    sheet = _sheet(built, "全年预测")
    assert sheet["全年产值预测(亿元)"].tolist() == pytest.approx((proj["point_wan"] / 1e4).tolist())
    assert sheet["全年增速预测"].tolist() == pytest.approx(proj["growth_point"].tolist())
    assert sheet["采用的方法"].eq("是").tolist() == _bool(proj["headline"]).tolist()
    pos = read_csv(proc / "ranking_published_positions.csv", dtype={"county_code": str})
    sheet = _sheet(built, "评价位次")
    assert sheet["区划代码"].astype(str).tolist() == pos["county_code"].tolist()
    assert sheet["全省位次"].tolist() == pytest.approx(pos["position"].tolist(), nan_ok=True)
    claims = read_csv(proc / "claims.csv")
    sheet = _sheet(built, "汇报数据核对")
    assert sheet["编号"].tolist() == claims["figure_id"].tolist()
    assert sheet["汇报数值"].tolist() == pytest.approx(claims["stated_value"].tolist(), nan_ok=True)


def test_office_files_are_remade_only_when_due(built: Path, tmp_path: Path) -> None:
    """A copy of the built outputs: nothing changed → nothing to move; the draft deleted →
    only the draft moves in (the workbook's bytes are the same), identical to the build's."""
    out = tmp_path / "out"
    for folder in ("data/processed", "figures"):
        shutil.copytree(built / folder, out / folder)
    (out / "reports").mkdir()
    for rel in (DOCX, XLSX):
        shutil.copy2(built / rel, out / rel)
    paths = Paths(root=built, out=out)
    staged = tmp_path / "staged"
    staged.mkdir()
    params = load_params()
    logs: list[str] = []
    quiet = make_shared(paths, staged, False, lambda m, e: logs.append(m), params)
    assert quiet.ok and quiet.moves == {} and logs == []
    (out / DOCX).unlink()
    again = make_shared(paths, staged, False, lambda m, e: logs.append(m), params)
    assert again.ok and set(again.moves) == {DOCX}
    assert again.moves[DOCX].read_bytes() == (built / DOCX).read_bytes()
