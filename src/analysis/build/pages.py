"""HTML for people: one self-contained page per executed notebook, in two editions.

* Leadership pages (``reports/html/``) show narrative, tables and figures, no code, no
  parameters cell; analyst pages (``reports/html-code/``) keep the code.
* Pages open offline and make **no network request**: the template drops nbconvert's CDN
  scripts (require.js, MathJax, mermaid, widgets), figures are inline base64 PNGs at the
  resolution the notebook displayed them, and :func:`external_references` refuses a page that
  still points anywhere but at itself (plain ``<a>`` links to sources excepted).
* Chinese reads on any device: a CJK font stack (Noto Sans CJK SC first, the font CI installs;
  then PingFang SC, Microsoft YaHei for phones and Windows), and a layout that fits a 375-px
  phone: wide tables scroll inside their own box, images shrink to the column.

nbconvert is imported inside :func:`render_notebook` only (it runs in the runner's worker
processes); the offline check and the shared styles need the standard library alone, so the
index (:mod:`analysis.build.index`) and a no-op build stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from analysis.io import atomic_open

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_FILE = "offline.html.j2"
REMOVED_TAGS_LEADERSHIP = frozenset({"parameters", "injected-parameters"})

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", '
    "sans-serif"
)

PAGE_CSS = f"""
:root {{
  --jp-content-font-family: {FONT_STACK};
  --jp-ui-font-family: {FONT_STACK};
}}
html, body {{ margin: 0; max-width: 100%; }}
body {{ font-family: {FONT_STACK}; line-height: 1.6; color: #222; background: #fff; }}
body.jp-Notebook, main {{ box-sizing: border-box; max-width: 960px; margin: 0 auto; }}
body.jp-Notebook {{ padding: 8px 12px 48px; }}
.jp-Cell, .jp-OutputArea-child, .jp-OutputArea-output, .jp-Cell-outputWrapper,
.jp-Cell-inputWrapper, .jp-InputArea, .jp-InputArea-editor {{ min-width: 0; max-width: 100%; }}
.jp-Cell {{ padding: 4px 0; }}
.jp-OutputArea-output {{ overflow-x: auto; }}
.jp-RenderedHTMLCommon {{ padding-right: 0; overflow-wrap: anywhere; }}
.jp-RenderedHTMLCommon table {{ display: block; max-width: 100%; overflow-x: auto; }}
.jp-RenderedHTMLCommon th,
.jp-RenderedHTMLCommon td {{ white-space: nowrap; overflow-wrap: normal; }}
.jp-InputArea-editor, .jp-OutputArea-output pre {{ overflow-x: auto; }}
img {{ max-width: 100%; height: auto; }}
.page-nav {{ padding: 6px 0; font-size: 0.9em; }}
@media (max-width: 600px) {{
  body {{ font-size: 15px; }}
  .jp-InputPrompt, .jp-OutputPrompt {{ display: none; }}
  .jp-RenderedHTMLCommon h1 {{ font-size: 1.5em; }}
}}
"""

# Print layout (A4): what chromium uses for reports/annual_review.pdf (analysis.build.pdf) and
# what a reader gets from the browser's Print. Tables wrap instead of scrolling; figures stay whole.
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  body.jp-Notebook, main { padding: 0; max-width: none; }
  .page-nav { display: none; }
  img, figure, .jp-OutputArea-output img { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .jp-RenderedHTMLCommon table, table { display: table; overflow: visible; font-size: 8.5pt; }
  .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { white-space: normal; }
  .jp-OutputArea-output, .scroll { overflow: visible; }
  pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  a { color: inherit; text-decoration: none; }
}
"""
PAGE_CSS += PRINT_CSS

LEADERSHIP_EXTRA_CSS = """
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
"""


# notebooks -> pages ---------------------------------------------------------------------------
def _source(cell: Any) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def notebook_title(nb: Any, default: str = "") -> str:
    """The text of the first markdown heading: the page title and the index entry."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in _source(cell).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return default


def drop_repeated_images(nb: Any) -> Any:
    """Keep one of identical images in a cell: a figure that is both the cell's value and
    displayed by the inline backend at the end of the cell would otherwise show twice."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        seen: set[str] = set()
        kept = []
        for o in cell.get("outputs", []):
            png = o.get("data", {}).get("image/png")
            key = "".join(png) if isinstance(png, list) else png
            if key and key in seen:
                continue
            if key:
                seen.add(key)
            kept.append(o)
        cell["outputs"] = kept
    return nb


def stable_cell_ids(nb: Any) -> Any:
    """Papermill gives its injected-parameters cell a random id, which nbconvert writes into the
    page; name it after its tag so two builds of the same inputs give the same bytes."""
    for cell in nb["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


def for_leadership(nb: Any) -> Any:
    """Drop the parameters cells (default and papermill's injected) and warnings on stderr."""
    cells = []
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVED_TAGS_LEADERSHIP:
            continue
        if cell["cell_type"] == "code":
            cell["outputs"] = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cells.append(cell)
    nb["cells"] = cells
    return nb


def render_notebook(
    executed: Path, target: Path, code: bool, lang: str = "zh", protected: Iterable[str] = ()
) -> str:
    """Render an executed notebook to one offline HTML page; return its title.

    ``code=False`` is the leadership page: inputs, prompts and parameters cells removed, and
    refused (ValueError, nothing written) if a table cell names one of the ``protected``
    enterprises (:mod:`analysis.disclosure`; the runner passes the names in
    ``industry_monthly`` unless the run allows enterprise tables).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(executed, as_version=4)
    title = notebook_title(nb, executed.stem)
    nb = drop_repeated_images(nb)
    nb = stable_cell_ids(nb)
    if not code:
        nb = for_leadership(nb)
    nb.metadata["title"] = title
    config = Config()
    config.HTMLExporter.exclude_input = not code
    config.HTMLExporter.exclude_input_prompt = not code
    config.HTMLExporter.exclude_output_prompt = not code
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.language_code = "en" if lang == "en" else "zh"  # ISO 639-1 only
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file=TEMPLATE_FILE,
        extra_template_paths=[str(TEMPLATES)],
    )
    css = PAGE_CSS + ("" if code else LEADERSHIP_EXTRA_CSS)
    body, _ = exporter.from_notebook_node(
        nb, resources={"page_css": css, "back_link": "../index.html"}
    )
    check_offline(body, str(target.name))
    if not code:
        check_disclosure(body, str(target.name), protected)
    write_page(target, body)
    return title


def check_disclosure(page: str, name: str, protected: Iterable[str]) -> None:
    """Refuse a leadership page showing a named enterprise's own figures (Statistics Law)."""
    from analysis.disclosure import table_cells_naming

    found = table_cells_naming(page, protected)
    if found:
        raise ValueError(
            f"{name} shows a table of a named enterprise ({', '.join(sorted(set(found))[:3])}): "
            "individual respondents' figures are protected by the Statistics Law. Show group "
            "totals (analysis.disclosure.for_display), or set allow_enterprise_tables: true "
            "in the run parameters only with the enterprises' consent"
        )


# offline check ----------------------------------------------------------------------------
_URL_IN_CSS = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_URL_IN_JS = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+)""", re.I)
_RESOURCE_ATTRS = frozenset({"src", "href", "srcset", "poster", "data", "action", "background"})


def _is_external(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("http:", "https:", "//", "ws:", "wss:", "ftp:"))


class _ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.found += _URL_IN_CSS.findall(value)
            elif name in _RESOURCE_ATTRS and tag != "a":
                urls = (
                    [v.split()[0] for v in value.split(",") if v.split()]
                    if name == "srcset"
                    else [value]
                )
                self.found += [f"<{tag} {name}={u}>" for u in urls if _is_external(u)]
        if tag in {"style", "script"}:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found += _URL_IN_CSS.findall(data)
        elif self._in == "script":
            self.found += [u for u in _URL_IN_JS.findall(data) if _is_external(u)]


def external_references(page: str) -> list[str]:
    """Everything in a page a browser would fetch from the network (``<a>`` links excepted)."""
    finder = _ResourceFinder()
    finder.feed(page)
    return finder.found


def check_offline(page: str, name: str) -> None:
    found = external_references(page)
    if found:
        raise ValueError(f"{name} would load from the network: {found[:5]}")


def write_page(target: Path, text: str) -> None:
    """Write a page atomically (a reader never sees half a page)."""
    with atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write(text)
