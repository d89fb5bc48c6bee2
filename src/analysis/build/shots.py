"""Screenshots of what a leader sees, for reviewing a build by eye (``python -m analysis shots``,
``make shots``): the landing page and every leadership page at a phone's 375 px and a desk's
1280 px (full page), and each page of the brief PDF, as PNGs in ``reports/shots/``.

They are build artefacts for people, not outputs: not in git (``reports/`` is ignored), not
compared between builds, made only on request. The browser is the one that prints the PDF
(:mod:`analysis.build.browser`); the PDF's pages come from ``pdftoppm`` (poppler-utils). Without
either, that part is skipped with a message saying how to get it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from analysis.build.browser import find_browser, how_to_get_one, offline_tab
from analysis.build.pdf import CHROMIUM_ARGS, PDF_NAME
from analysis.build.plan import HTML_DIR

SHOTS_DIR = "shots"
WIDTHS = (375, 1280)
PDF_DPI = 60
NO_PDFTOPPM = (
    "no pdftoppm found: install poppler-utils (Debian/Ubuntu: sudo apt-get install "
    "poppler-utils; macOS: brew install poppler; Windows: the poppler builds of conda-forge)"
)

Log = Callable[[str], None]


def leadership_pages(reports: Path) -> list[Path]:
    """The landing page first, then every leadership page in name order."""
    index = reports / "index.html"
    pages = sorted((reports / HTML_DIR).glob("*.html"))
    return ([index] if index.is_file() else []) + pages


def shot_name(page: Path, width: int) -> str:
    return f"{page.stem}-{width}.png"


def page_shots(pages: list[Path], folder: Path, chromium: Path) -> list[Path]:
    """Full-page screenshots of ``pages`` at every width; nothing is fetched from the network."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                tab = offline_tab(browser, width, 900)
                for page in pages:
                    tab.goto(page.resolve().as_uri(), wait_until="load")
                    target = folder / shot_name(page, width)
                    tab.screenshot(path=str(target), full_page=True)
                    written.append(target)
                tab.context.close()
        finally:
            browser.close()
    return written


def pdf_shots(pdf: Path, folder: Path, pdftoppm: str) -> list[Path]:
    """Each page of the PDF as ``pdf-<n>.png`` at :data:`PDF_DPI` dpi."""
    subprocess.run(
        [pdftoppm, "-r", str(PDF_DPI), "-png", str(pdf), str(folder / "pdf")],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("pdf-*.png"))


def take_shots(reports: Path, log: Log = print) -> int:
    """Write the screenshots of one run's ``reports/`` folder into ``reports/shots/`` (cleared
    first). Returns a process exit code: 1 only when there is nothing built to look at."""
    pages = leadership_pages(reports)
    if not pages:
        log(f"no pages in {reports}: run `make report` first")
        return 1
    folder = reports / SHOTS_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    chromium = find_browser()
    if chromium is None:
        log(f"[skip] page screenshots: {how_to_get_one()}")
    else:
        written = page_shots(pages, folder, chromium)
        log(f"[done] {len(written)} page screenshots ({', '.join(map(str, WIDTHS))} px)")
    pdf = reports / PDF_NAME
    pdftoppm = shutil.which("pdftoppm")
    if not pdf.is_file():
        log(f"[skip] PDF pages: no {PDF_NAME} (it needs a browser at build time)")
    elif pdftoppm is None:
        log(f"[skip] PDF pages: {NO_PDFTOPPM}")
    else:
        log(f"[done] {len(pdf_shots(pdf, folder, pdftoppm))} PDF pages")
    log(f"screenshots: {folder}")
    return 0
