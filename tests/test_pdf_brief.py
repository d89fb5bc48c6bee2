"""The PDF is a leadership brief (analysis.build.brief): the headline block, the key charts two
to a page, the drafted sentences of the run's language — at most four A4 pages; not the
notebooks printed one after another."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.build import brief

# a 2 x 2 red PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAPzQEC"
    "tX1VbwAAAABJRU5ErkJggg=="
)


def figures(tmp_path: Path, ids: list[str]) -> list[dict[str, str]]:
    rows = []
    for i in ids:
        png = tmp_path / "figures" / "nb" / f"{i}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(PNG)
        rows.append(
            {"figure_id": i, "png": f"nb/{i}.png", "title_zh": f"图{i}", "title_en": f"Chart {i}",
             "caption_zh": "说明", "caption_en": "caption", "simulated": "False"}
        )  # fmt: skip
    return rows


def test_key_charts_first_then_the_manifest_order() -> None:
    rows = [{"figure_id": i} for i in ("01-a", "02-projection", "02-b", "02-monthly", "03-c")]
    chosen = [f["figure_id"] for f in brief.key_figures(rows)]
    assert chosen == ["02-monthly", "02-projection", "01-a", "02-b"]


def test_the_brief_has_a_page_per_part_and_charts_two_to_a_page(tmp_path: Path) -> None:
    figs = figures(tmp_path, ["02-monthly", "02-projection", "03-city-peers", "03-rank-gain", "x"])
    headlines = [
        {"key": "output_cumulative_wan", "lang": "zh", "label": "规上工业总产值",
         "display": "96.49亿元", "simulated": "True", "available": "True"},
        {"key": "output_cumulative_wan", "lang": "en", "label": "Output", "display": "9.649 bn",
         "simulated": "True", "available": "True"},
    ]  # fmt: skip
    sentences = [
        {
            "lang": "zh",
            "text": "【模拟数据】1-10月，全县规上工业总产值96.49亿元。",
            "simulated": "True",
        },
        {"lang": "en", "text": "[SIMULATED] Output was 9.649 bn yuan.", "simulated": "True"},
        {"lang": "zh", "sentence_id": "evaluation_claim", "text": "工作汇报称位列全省第8位。"},
        {
            "lang": "zh",
            "sentence_id": "evaluation_score",
            "text": "【模拟数据】位列全省第34位。",
            "simulated": "True",
        },
    ]
    page = brief.brief_html(
        {"county": "曲周县", "year": 2022, "lang": "zh"},
        headlines,
        sentences,
        figs,
        [],
        {"bureau_period": "2022年1-10月"},
        tmp_path.joinpath,
    )
    sheets = re.findall(r'<section class="sheet">(.*?)</section>', page, re.S)
    assert len(sheets) == 4  # headline, charts, charts, sentences
    assert "曲周县2022年科技工作汇报要点" in sheets[0] and "96.49亿元" in sheets[0]
    assert [s.count("<figure>") for s in sheets] == [0, 2, 2, 0]
    assert "图02-monthly" in sheets[1] and "图x" not in page  # four charts at most
    assert (
        "【模拟数据】1-10月，全县规上工业总产值" in sheets[3]
        and "SIMULATED" not in page
        and "9.649" not in page
    )
    assert "第8位" not in sheets[3] and "第34位" not in sheets[3]  # notes, not sentences
    assert page.count("data:image/png;base64,") == 4 and "@page { size: A4" in page


def test_no_brief_before_the_summary_notebook_ran(tmp_path: Path) -> None:
    assert brief.write_brief(tmp_path.joinpath, tmp_path / "b.html") is None


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))  # type: ignore[union-attr]


@pytest.mark.notebooks
def test_the_built_pdf_is_at_most_four_a4_pages(built: Path) -> None:
    pdf = built / "reports" / "annual_review.pdf"
    if shutil.which("pdfinfo") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdfinfo (poppler-utils) is missing in CI; .ci/run installs it")
        pytest.skip("pdfinfo not found: install poppler-utils to count the PDF's pages")
    assert pdf.is_file()
    assert 2 <= pdf_pages(pdf) <= 4
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "4", str(pdf)], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    pages = [line for line in sizes.splitlines() if line.startswith("Page") and "size:" in line]
    assert pages and all(line.endswith("(A4)") for line in pages), pages


@pytest.mark.slow  # two browser starts, ~15 s
def test_a_sheet_too_long_for_a_page_is_scaled_to_fit(tmp_path: Path) -> None:
    """Long English labels or many sentences: each part still prints on one A4 page."""
    from analysis.build.browser import find_browser, how_to_get_one
    from analysis.build.pdf import render_pdf

    chromium = find_browser()
    if chromium is None or shutil.which("pdfinfo") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI has chromium and poppler-utils (.ci/run)")
        pytest.skip(how_to_get_one() if chromium is None else "no pdfinfo (poppler-utils)")
    rows = [
        {"key": f"k{i}", "lang": "en", "label": f"A long label for number {i} " * 3,
         "display": f"{i}.0 hundred million yuan", "simulated": "True", "available": "True"}
        for i in range(40)
    ]  # fmt: skip
    text = "A sentence for the written review that goes on for a while. " * 6
    sentences = [{"lang": "en", "text": text, "simulated": "True"} for _ in range(25)]
    page = brief.brief_html(
        {"county": "曲周县", "year": 2022, "lang": "en"},
        rows,
        sentences,
        figures(tmp_path, ["a", "b", "c", "d"]),
        [],
        {},
        tmp_path.joinpath,
    )
    html_page = tmp_path / "brief.html"
    html_page.write_text(page, encoding="utf-8")
    render_pdf(html_page, tmp_path / "brief.pdf", chromium, fit_sheets=True)
    assert pdf_pages(tmp_path / "brief.pdf") == 4
    render_pdf(html_page, tmp_path / "unfitted.pdf", chromium)
    assert pdf_pages(tmp_path / "unfitted.pdf") > 4  # what the fitting prevents
