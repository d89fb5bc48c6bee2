"""The PDF's browser started ahead (analysis.build.printer): it prints what a browser started
for the print does, more than once, and a browser that cannot start fails the print with its
own error instead of hanging the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.build import pdf
from analysis.build.printer import Printer

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page { size: A4; } body { font-family: 'Noto Sans CJK SC', sans-serif; }
</style></head><body><h1>曲周县 规上工业</h1><p>1–10月 96.49亿元</p></body></html>"""


def _browser() -> Path:
    from analysis.build.browser import find_browser, how_to_get_one

    chromium = find_browser()
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI has chromium (.ci/run)")
        pytest.skip(how_to_get_one())
    return chromium


@pytest.mark.slow  # two browser starts
def test_a_browser_started_ahead_prints_as_one_started_for_the_print(tmp_path: Path) -> None:
    chromium = _browser()
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    fresh = pdf.render_pdf(page, tmp_path / "fresh.pdf", chromium)
    printer = Printer(chromium, pdf.CHROMIUM_ARGS, pdf.print_tab)  # the first tab opened ahead
    try:
        assert printer.submit(lambda browser: len(browser.contexts)) == 1  # the tab opened ahead
        first = pdf.render_pdf(page, tmp_path / "first.pdf", chromium, printer=printer)
        assert printer.submit(lambda browser: len(browser.contexts)) == 0  # it printed, closed
        second = pdf.render_pdf(page, tmp_path / "second.pdf", chromium, printer=printer)
    finally:
        printer.close()
    facts = [pdf.pdf_facts(p.read_bytes()) for p in (fresh, first, second)]
    assert facts[0] == facts[1] == facts[2]
    assert len(facts[0]["page_sizes"]) >= 1 and any("CJK" in f for f in facts[0]["fonts"])
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_browser_that_cannot_start_fails_the_print(tmp_path: Path) -> None:
    printer = Printer(tmp_path / "no-such-browser", pdf.CHROMIUM_ARGS)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(Exception, match=r"no-such-browser|[Ee]xecutable"):
        pdf.render_pdf(page, tmp_path / "out.pdf", tmp_path, printer=printer)
    printer.close()
    assert not (tmp_path / "out.pdf").exists()
