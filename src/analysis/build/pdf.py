"""The leadership brief as a PDF for sharing in chat apps (WeChat, DingTalk): at most four A4
pages (:mod:`analysis.build.brief`: headline block, key charts two to a page, the drafted
sentences), Chinese fonts embedded, printed by a headless browser the user already has
(Chromium, Google Chrome or Microsoft Edge on Linux, macOS or Windows, ``$CHROMIUM`` first:
:mod:`analysis.build.browser`).

The browser prints the brief's own print page (A4 ``@page`` rules) and embeds the subset of
the fonts it drew with — Noto Sans CJK SC from the system (Debian ``fonts-noto-cjk``, installed
by ``.ci/run``), so the PDF reads the same on a phone without Chinese fonts. Playwright drives
that browser (``executable_path``); nothing is downloaded. Without one the PDF is skipped with a
message saying how to get one, and the rest of the build is unaffected.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import threading
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.build import brief
from analysis.build.browser import find_browser, how_to_get_one, offline_tab
from analysis.io import atomic_path

if TYPE_CHECKING:
    from playwright.sync_api import PdfMargins

SUMMARY_NOTEBOOK = brief.SUMMARY_NOTEBOOK
BRIEF_PAGE = "brief.html"  # written beside the PDF while it is printed, then removed
# what the brief is written with: the review's rules load pandas and the claims (~0.5-1 s),
# imported by the runner while the summary notebook runs
BRIEF_MODULES = ("analysis.review.views",)
PDF_NAME = "annual_review.pdf"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A4_MARGIN: PdfMargins = {"top": "14mm", "bottom": "14mm", "left": "14mm", "right": "14mm"}


# A4 less the brief's margins (14 mm each side), in CSS pixels (96 per inch): the box each sheet
# of the brief must fit
PRINT_WIDTH_PX = round((210 - 28) / 25.4 * 96)
PRINT_HEIGHT_PX = round((297 - 28) / 25.4 * 96)
FIT_SHEETS = """(height) => {
  for (const sheet of document.querySelectorAll('.sheet')) {
    const tall = sheet.scrollHeight;
    if (tall > height) sheet.style.zoom = (0.97 * height / tall).toFixed(3);
  }
}"""


def render_pdf(
    page: Path, target: Path, chromium: Path, fit_sheets: bool = False, printer: Any = None
) -> Path:
    """Print ``page`` (a self-contained HTML file) to an A4 PDF at ``target``, atomically.

    ``fit_sheets``: each ``.sheet`` of the page is one printed page; one that is laid out
    taller than a page (longer words in English, more numbers) is scaled down to fit, so the
    brief keeps its page count whatever the text. Requests to anything but the page itself and
    inline data are refused, so the PDF shows exactly what the offline page shows. ``printer``:
    a browser started ahead (:class:`analysis.build.printer.Printer`); else one is started.
    """
    if printer is not None:
        printer.submit(
            lambda browser: print_page(browser, page, target, fit_sheets, printer.take_ready())
        )
        return target
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            print_page(browser, page, target, fit_sheets)
        finally:
            browser.close()
    return target


def start_ahead() -> Any:
    """While the summary notebook runs: start the browser (:func:`start_printer`; None without
    one, or if it failed: the PDF step then meets the error itself) and import what the brief
    is written with (:data:`BRIEF_MODULES`) in a thread, so the PDF waits for neither."""

    def load() -> None:
        for name in BRIEF_MODULES:
            with contextlib.suppress(Exception):  # a failure is the brief's to report
                importlib.import_module(name)

    threading.Thread(target=load, daemon=True, name="brief-imports").start()
    try:
        return start_printer()
    except Exception:
        return None


def start_printer() -> Any:
    """A browser started now for a PDF printed later, or None without a browser."""
    from analysis.build.printer import Printer

    chromium = find_browser()
    return Printer(chromium, CHROMIUM_ARGS, print_tab) if chromium is not None else None


def print_tab(browser: Any) -> Any:
    """A new offline tab for printing; the printer opens the first one as the browser starts
    (a new context and its renderer: ~0.2-0.4 s the PDF step no longer waits for)."""
    return offline_tab(browser, PRINT_WIDTH_PX, PRINT_HEIGHT_PX)


def print_page(browser: Any, page: Path, target: Path, fit_sheets: bool, tab: Any = None) -> None:
    """One page printed by a running browser (see :func:`render_pdf`), in ``tab`` (from
    :func:`print_tab`, unused) or a new tab."""
    tab = tab if tab is not None else print_tab(browser)
    try:
        tab.goto(page.resolve().as_uri(), wait_until="load")
        tab.emulate_media(media="print")
        if fit_sheets:
            tab.evaluate(FIT_SHEETS, PRINT_HEIGHT_PX)
        with atomic_path(target) as tmp:  # readable as the user's umask allows
            tab.pdf(
                path=str(tmp),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                margin=A4_MARGIN,
            )
    finally:
        tab.context.close()


def summary_pdf(
    page: Path,
    target: Path,
    chromium: Path | None = None,
    find: brief.Find | None = None,
    printer: Any = None,
) -> tuple[str, Path | None]:
    """Print the leadership brief to ``target``. Returns (what happened, the PDF or None).

    ``page`` is the summary notebook's leadership page: the brief is due when it changed (the
    runner's call) and is not made without it. ``find`` gives the build's view of an output
    (staged, else in place); without it, the outputs beside ``target`` (``reports/..``)."""
    if not page.is_file():
        return f"no summary page ({SUMMARY_NOTEBOOK} not built)", None
    chromium = chromium or find_browser()
    if chromium is None and printer is None:
        return f"skipped: {how_to_get_one()}", None
    if find is None:
        out = page.resolve().parents[2]
        find = out.joinpath
    html_page = brief.write_brief(find, target.with_name(BRIEF_PAGE))
    if html_page is None:
        return f"no summary notebook ({SUMMARY_NOTEBOOK} not built)", None
    try:
        render_pdf(html_page, target, chromium or Path(), fit_sheets=True, printer=printer)
    finally:
        html_page.unlink(missing_ok=True)
    return "written", target


# reading a PDF back (for the tests and for anyone checking a file before sending it) ------------
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_FONTNAME = re.compile(rb"/(?:FontName|BaseFont)\s*/([^\s/<>\[\]()]+)")
_STREAM = re.compile(rb"<<(?:(?!>>).)*?/FlateDecode(?:(?!>>).)*?>>\s*stream\r?\n", re.S)


def _pdf_texts(data: bytes) -> list[bytes]:
    """The file itself plus every Flate stream inflated (object streams can hide dictionaries)."""
    out = [data]
    for m in _STREAM.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompressobj().decompress(data[start:end]))
    return out


def pdf_facts(data: bytes) -> dict[str, list]:
    """Page sizes (points) and font names of a PDF: enough to check A4 and embedded CJK fonts
    without a PDF library."""
    sizes: list[tuple[float, float]] = []
    fonts: set[str] = set()
    for chunk in _pdf_texts(data):
        for m in _MEDIABOX.finditer(chunk):
            x0, y0, x1, y1 = (float(v) for v in m.groups())
            sizes.append((x1 - x0, y1 - y0))
        fonts |= {f.decode("latin-1") for f in _FONTNAME.findall(chunk)}
    return {"page_sizes": sizes, "fonts": sorted(fonts)}
