"""The leadership pages and the index in a real browser (the one the PDF uses: headless Debian
chromium in CI, driven by Playwright with ``executable_path``; no downloaded browser), at a
phone's 375 px and a desk's
1280 px: nothing fetched from the network, no code, every image loaded, no sideways scrolling,
and the Chinese title drawn in a CJK font rather than as boxes.

The pages are built from a temporary copy of the project, exactly as ``make report`` builds them.
CI installs chromium and fonts-noto-cjk (``.ci/run``); elsewhere the test is skipped when no
browser is found, never under ``CI=true``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.build.browser import find_browser, how_to_get_one
from analysis.build.pdf import CHROMIUM_ARGS

pytestmark = [pytest.mark.notebooks]

CHROMIUM = find_browser()
ARGS = CHROMIUM_ARGS  # the same flags the PDF renderer uses
WIDTHS = (375, 1280)
CJK = re.compile(r"[\u3400-\u9fff]")

if CHROMIUM is None and os.environ.get("CI", "").lower() != "true":
    pytest.skip(how_to_get_one(), allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def leadership_pages(root: Path) -> list[Path]:
    return [*sorted((root / "reports" / "html").glob("*.html")), root / "reports" / "index.html"]


def test_there_is_a_leadership_page_per_notebook(built: Path, repo: Path) -> None:
    pages = sorted(p.stem for p in (built / "reports" / "html").glob("*.html"))
    assert pages == sorted(p.stem for p in (repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))


PAGE_FACTS = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  images: [...document.images].map(i => ({complete: i.complete, width: i.naturalWidth})),
  code: document.querySelectorAll(
    '.jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .jp-InputPrompt, pre.highlight'
  ).length,
  title: (document.querySelector('h1') || {}).textContent || '',
  smallText: [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 30)])
    .filter(([size]) => size < 14),
})"""


def title_fonts(context: object, page: object) -> list[dict]:
    """The platform fonts chromium used to draw the first <h1> (DevTools CSS domain)."""
    cdp = context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    assert h1, "the page has no <h1> title"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_in_a_browser(built: Path, browser: object, width: int) -> None:
    pages = leadership_pages(built)
    assert len(pages) >= 2
    for path in pages:
        context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        requests: list[str] = []
        failed: list[str] = []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        page.on("requestfailed", lambda r, seen=failed: seen.append(f"{r.url}: {r.failure}"))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_load_state("networkidle")
        facts = page.evaluate(PAGE_FACTS)
        fonts = title_fonts(context, page)
        context.close()

        name = f"{path.relative_to(built)} at {width} px"
        assert failed == [], f"{name}: failed requests {failed}"
        remote = [u for u in requests if not u.startswith(("file://", "data:"))]
        assert remote == [], f"{name}: requests to the network {remote}"
        assert facts["code"] == 0, f"{name}: shows code"
        assert all(i["complete"] and i["width"] > 0 for i in facts["images"]), name
        assert facts["scrollWidth"] <= facts["innerWidth"], f"{name}: scrolls sideways {facts}"
        assert facts["smallText"] == [], f"{name}: text under 14 px {facts['smallText'][:5]}"
        assert CJK.search(facts["title"]), f"{name}: title {facts['title']!r} is not Chinese"
        cjk_glyphs = sum(
            f["glyphCount"] for f in fonts if "CJK" in f["familyName"] or "SC" in f["familyName"]
        )
        han = len(CJK.findall(facts["title"]))
        assert cjk_glyphs >= han, f"{name}: title drawn with {fonts}, not a CJK font"


def test_report_pages_embed_their_figures(built: Path) -> None:
    """01 displays its figure inline: it is in the page as a PNG, once."""
    page = (built / "reports" / "html" / "01_ingest.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1


INDEX_FACTS = """() => {
  const n = document.querySelector('.leader-note');
  const r = n ? n.getBoundingClientRect() : null;
  const h = document.querySelector('#headline');
  return {
    cards: document.querySelectorAll('#headline .hl').length,
    headlineTop: h ? h.getBoundingClientRect().top : null,
    notice: r ? {right: r.right, height: r.height} : null,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    text: document.body.innerText,
    pdf: !!document.querySelector('a[href="annual_review.pdf"]'),
  };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_landing_page_leads_with_the_headline_numbers(
    built: Path, browser: object, width: int
) -> None:
    from analysis.io import read_csv

    rows = read_csv(built / "data" / "processed" / "review_headlines.csv", dtype=str)
    shown = dict(zip(rows["key"], rows["display"], strict=True))
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((built / "reports" / "index.html").as_uri(), wait_until="load")
    facts = page.evaluate(INDEX_FACTS)
    context.close()
    assert facts["cards"] == 3  # output, growth, published position
    assert facts["headlineTop"] is not None and facts["headlineTop"] < facts["innerHeight"] / 2
    for key in ("output_cumulative_wan", "growth_cumulative", "evaluation_latest"):
        assert shown[key] in facts["text"], (key, shown[key])
    assert "96.49亿元" in facts["text"] and "截至2022年1-10月" in facts["text"]
    # the bundled bureau tables are a stand-in: one line says so, whole, inside the screen
    assert facts["notice"] is not None and facts["notice"]["height"] > 0
    assert facts["notice"]["right"] <= facts["innerWidth"]
    assert "模拟数据" in facts["text"]
    assert facts["pdf"], "no link to the summary PDF"


def test_the_summary_pdf_is_a4_with_chinese_fonts_embedded(built: Path) -> None:
    from analysis.build.pdf import pdf_facts

    pdf = built / "reports" / "annual_review.pdf"
    assert pdf.is_file()
    facts = pdf_facts(pdf.read_bytes())
    assert len(facts["page_sizes"]) >= 2
    for w, h in facts["page_sizes"]:
        assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5, (w, h)  # A4 in points
    assert any("CJK" in f or "Noto" in f for f in facts["fonts"]), facts["fonts"]
    assert b"/FontFile" in pdf.read_bytes() or b"/Type3" in pdf.read_bytes()
