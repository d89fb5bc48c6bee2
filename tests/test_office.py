"""The office files from small synthetic processed tables (no notebook, no build): headings,
marks, the English draft, the workbook's numbers and formats, byte-stable rebuilds."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from analysis.errors import DataError
from analysis.figures.pack import CAPTION_COLUMNS
from analysis.io import write_csv
from analysis.office import DOCX, XLSX, write_office_files
from analysis.office.numbering import chinese_number, display_decimals, marked, value_text
from analysis.office.sources import read_inputs
from analysis.office.zipfix import fixed_zip

MARK = "【模拟数据】"


def _headlines(lang: str = "zh") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": ["output_cumulative_wan", "growth_cumulative", "patents_per_10k"],
            "lang": lang,
            "label": ["规上工业总产值(累计)", "累计同比增速", "万人发明专利拥有量"],
            "value": [123456.0, 0.0834, 3.5],
            "unit": ["万元", "fraction", "件"],
            "display": ["12.35亿元", "8.3%", "3.50件 (2021)"],
            "source_table": ["industry_monthly", "industry_monthly", "sti_indicators"],
            "source_row": ["12", "12", "4"],
            "simulated": [True, True, False],
            "available": True,
            "note": ["", "", "as published"],
        }
    )


def _sentences(lang: str = "zh") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sentence_id": ["output", "indicators", "marked"],
            "topic": ["output", "indicators", "output"],
            "lang": lang,
            "text": [
                "1-6月，全县规模以上工业总产值完成12.35亿元，同比增长8.3%。",
                "某县万人发明专利拥有量3.50件。",
                f"{MARK}已经带标记的句子。",
            ],
            "source_table": ["industry_monthly", "sti_indicators", "contributions"],
            "source_row": ["12;10", "4", "2"],
            "simulated": [True, False, True],
        }
    )


def _project(root: Path, lang: str = "zh", optional: bool = True) -> Path:
    """A minimal output folder: the two review tables, a one-figure pack, and (``optional``)
    a contributions table."""
    proc = root / "data" / "processed"
    write_csv(_headlines(lang), proc / "review_headlines.csv")
    write_csv(_sentences(lang), proc / "review_sentences.csv")
    if optional:
        contrib = pd.DataFrame(
            {
                "period": ["2021-01..06"] * 2,
                "span": ["cumulative"] * 2,
                "group": ["重点企业", "total"],
                "level_wan": [50000.0, 123456.0],
                "base_wan": [45000.0, 113958.0],
                "growth": [0.1111, 0.0834],
                "pull_pp": [4.39, 8.34],
                "pull_lo_pp": [4.38, 8.335],
                "pull_hi_pp": [4.40, 8.345],
                "contribution_share": [0.5263, 1.0],
                "simulated": [True, True],
            }
        )
        write_csv(contrib, proc / "contributions.csv")
    pack = root / "figures" / "annual_review"
    pack.mkdir(parents=True)
    rows = []
    for n, (fid, nb, sim) in enumerate(
        [("02-monthly", "02_output_growth", True), ("04-indicators", "04_sti_indicators", False)],
        start=1,
    ):
        Image.new("RGB", (300, 200), "white").save(pack / f"{fid}.png", dpi=(300, 300))
        rows.append([n, fid, f"{fid}.png", f"{fid}.svg", f"标题{n}", f"Title {n}", "说明",
                     "Caption", f"来源{n}", sim, nb])  # fmt: skip
    write_csv(pd.DataFrame(rows, columns=CAPTION_COLUMNS), pack / "captions.csv")
    return root


def _write(root: Path, lang: str = "zh") -> None:
    write_office_files(root, "某县", 2021, 6, lang)


def test_chinese_heading_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 35)] == [
        "一", "九", "十", "十一", "二十", "三十五"
    ]  # fmt: skip
    with pytest.raises(ValueError):
        chinese_number(0)


def test_the_mark_is_added_once_and_only_to_simulated_text() -> None:
    assert marked("产值增长。", True, "zh") == f"{MARK}产值增长。"
    assert marked(f"{MARK}产值增长。", True, "zh") == f"{MARK}产值增长。"
    assert marked("产值增长。", False, "zh") == "产值增长。"
    assert marked("Output rose.", True, "en") == "[SIMULATED] Output rose."


def test_value_text_strips_only_a_plain_unit() -> None:
    assert value_text("96.49亿元") == "96.49"
    assert value_text("20.7%") == "20.7"
    assert value_text("99%以上") == "99%以上"
    assert value_text("6.02件 (2022)") == "6.02件 (2022)"
    assert display_decimals("28.96%") == 2
    assert display_decimals("33家") == 0
    assert display_decimals("0.949") == 3
    assert display_decimals("2024: 86.72分") is None


def test_the_draft_has_numbered_headings_sentences_figures_and_marks(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _write(root)
    d = docx.Document(str(root / DOCX))
    paras = d.paragraphs
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    assert [h[:2] for h in h1] == ["一、", "二、", "三、"]
    assert h2 and all(h.startswith(("（一）", "（二）")) for h in h2)
    assert "某县2021年" in paras[0].text
    assert any("数据截至2021年6月" in p.text for p in paras[:4])
    body = [p.text for p in paras if p.style.name == "Normal"]
    for _, s in _sentences().iterrows():
        hits = [b for b in body if s["text"].removeprefix(MARK) in b]
        assert len(hits) == 1, s["text"]
        assert (MARK in hits[0]) == bool(s["simulated"])
        assert hits[0].count(MARK) <= 1
    captions = [p.text for p in paras if p.style.name == "Caption"]
    figs = [c for c in captions if c.startswith("图")]
    assert figs == ["图1 标题1【模拟数据】", "图2 标题2"]
    assert len(d.inline_shapes) == 2
    assert captions[0] == "表1 主要指标【模拟数据】"
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "指标", "数值", "单位", "模拟数据"]
    assert [c.text for c in table.rows[1].cells] == ["1", "规上工业总产值(累计)", "12.35", "亿元",
                                                      "是"]  # fmt: skip
    notice = next(p.text for p in paras[:5] if "模拟数据" in p.text and "不是真实统计" in p.text)
    assert not re.search(r"[a-z]+_[a-z_]+", notice)  # tables named in words, not file names


def test_no_notice_when_nothing_is_simulated(tmp_path: Path) -> None:
    root = _project(tmp_path)
    proc = root / "data" / "processed"
    for name in ("review_headlines", "review_sentences"):
        df = pd.read_csv(proc / f"{name}.csv", encoding="utf-8-sig")
        df["simulated"] = False
        df["text" if "text" in df else "label"] = df["text" if "text" in df else "label"].map(
            lambda s: s.removeprefix(MARK)
        )
        write_csv(df, proc / f"{name}.csv")
    cap = pd.read_csv(root / "figures/annual_review/captions.csv", encoding="utf-8-sig")
    cap["simulated"] = False
    write_csv(cap, root / "figures/annual_review/captions.csv")
    _write(root)
    d = docx.Document(str(root / DOCX))
    assert not any(MARK in p.text or "不是真实统计" in p.text for p in d.paragraphs)


def test_english_draft_uses_the_translation_table(tmp_path: Path) -> None:
    root = _project(tmp_path, lang="en")
    _write(root, lang="en")
    d = docx.Document(str(root / DOCX))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[0] == "1. Headline numbers"
    assert h1[1].startswith("2. ")
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert "Figure 1. Title 1 [SIMULATED]" in captions
    assert [c.text for c in d.tables[0].rows[0].cells][:3] == ["No.", "Item", "Value"]
    assert d.styles["Heading 1"].font.bold and not d.styles["Normal"].font.bold


def test_fonts_and_their_fallback_are_declared(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _write(root)
    d = docx.Document(str(root / DOCX))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style, font in (("Normal", "仿宋_GB2312"), ("Heading 1", "黑体"), ("Title", "黑体")):
        fonts = d.styles[style].element.rPr.find(f"{w}rFonts")
        assert fonts.get(f"{w}eastAsia") == font
        assert fonts.get(f"{w}eastAsiaTheme") is None
    table = zipfile.ZipFile(root / DOCX).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋"><w:altName w:val="Noto Serif CJK SC"/>' in table
    assert '<w:font w:name="黑体"><w:altName w:val="Noto Sans CJK SC"/>' in table


def test_two_builds_are_byte_identical_whatever_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _write(root)
    first = {rel: (root / rel).read_bytes() for rel in (DOCX, XLSX)}
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    _write(root)
    for rel, data in first.items():
        assert (root / rel).read_bytes() == data, rel
    z = zipfile.ZipFile(root / DOCX)
    assert {i.date_time for i in z.infolist()} == {(2021, 6, 30, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert "2021-06-30T00:00:00Z" in core


def test_fixed_zip_changes_only_times() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    import datetime as dt

    out = zipfile.ZipFile(io.BytesIO(fixed_zip(buf.getvalue(), dt.datetime(2020, 1, 31))))
    assert out.read("a.txt") == b"x"
    assert out.infolist()[0].date_time == (2020, 1, 31, 0, 0, 0)


def test_workbook_numbers_equal_the_tables_with_formats(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _write(root)
    heads = pd.read_excel(root / XLSX, sheet_name="主要指标", header=1, engine="openpyxl")
    src = _headlines()
    assert heads["数值"].tolist() == pytest.approx([123456.0 / 1e4, 0.0834, 3.5])
    assert heads["单位"].tolist() == ["亿元", "%", "件"]
    assert heads["模拟数据"].tolist() == ["是", "是", "否"]
    assert heads["表述(按公布位数)"].tolist() == src["display"].tolist()
    contrib = pd.read_excel(root / XLSX, sheet_name="增长拉动", header=1, engine="openpyxl")
    assert contrib["产值(亿元)"].tolist() == pytest.approx([5.0, 12.3456])
    assert contrib["同比增速"].tolist() == pytest.approx([0.1111, 0.0834])
    assert contrib["企业组"].tolist() == ["重点企业", "合计"]
    wb = openpyxl.load_workbook(root / XLSX)
    ws = wb["增长拉动"]
    assert ws["D3"].number_format == "0.00"
    assert ws["F3"].number_format == "0.0%"
    assert "模拟数据" in ws["A1"].value  # the visible note
    assert wb["主要指标"]["B4"].number_format == "0.0%"  # 8.3%: the published decimals
    assert wb["主要指标"]["B5"].number_format == "0.00"  # 3.50件 (2021): the unit's own
    # the tables this run lacks have no sheet, and the sources sheet says so
    assert "全年预测" not in wb.sheetnames
    sources = [c.value for row in wb["来源"].iter_rows() for c in row]
    assert "data/processed/projection.csv" in sources
    assert "data/processed/contributions.csv" in sources


def test_a_bad_flag_names_the_file_row_and_column(tmp_path: Path) -> None:
    root = _project(tmp_path)
    df = _sentences()
    df["simulated"] = df["simulated"].astype(object)
    df.loc[1, "simulated"] = "maybe"
    write_csv(df, root / "data/processed/review_sentences.csv")
    with pytest.raises(DataError, match=r"review_sentences\.csv, row 3, column 'simulated'"):
        read_inputs(root)


def test_missing_review_tables_say_which(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"review_headlines\.csv"):
        read_inputs(tmp_path)
