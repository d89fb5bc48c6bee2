"""HTML for people: one self-contained page per executed notebook, in two editions chosen by cell
tags (the conventions of issue #17, ``docs/outputs.md``):

* **Analysts' edition** (``reports/html-code/``): every cell, code included, JupyterLab's look.
* **Leadership edition** (``reports/html/``): only cells tagged ``leadership``; of a code cell
  only its outputs (never its input, never warnings on stderr); no parameters cells. Its own
  stylesheet (:data:`analysis.build.page_style.LEADER_CSS`), no editor styles.
* **Language**: a cell tagged ``lang-zh`` or ``lang-en`` is shown only in a run of that
  language (``lang`` parameter), in both editions; a cell without a ``lang-*`` tag is shown in
  every language.

The selection is done here, on the notebook, before nbconvert renders it (:func:`select_cells`):
"keep only what is tagged" is the inverse of nbconvert's ``TagRemovePreprocessor``, and one
small function says it more plainly than a list of every tag to remove.

Pages open offline and make **no network request**: the templates drop nbconvert's CDN scripts
(require.js, MathJax, mermaid, widgets), figures are inline base64 PNGs, and
:func:`external_references` refuses a page that still points anywhere but at itself (plain
``<a>`` links excepted). nbconvert is imported inside :func:`render_notebook` only (it runs in
the runner's worker processes); the rest needs the standard library alone, so the index
(:mod:`analysis.build.index`) and a no-op build stay fast.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from analysis.build.hygiene import cell_source
from analysis.build.page_style import ANALYST_CSS, LEADER_CSS, PRINT_CSS
from analysis.build.page_text import w
from analysis.io import atomic_open

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_FILE = {True: "offline.html.j2", False: "leadership.html.j2"}
LEADERSHIP = "leadership"
LANG_TAG = "lang-"
PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})


# notebooks -> pages ---------------------------------------------------------------------------
def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def cell_languages(cell: Any) -> set[str]:
    """The languages a cell is written in (``lang-zh`` -> zh); empty: language-neutral."""
    return {t.removeprefix(LANG_TAG) for t in _tags(cell) if t.startswith(LANG_TAG)}


def in_language(cell: Any, lang: str) -> bool:
    langs = cell_languages(cell)
    return not langs or lang in langs


def select_cells(nb: Any, lang: str, leadership: bool) -> Any:
    """Keep the cells an edition shows, in place and returned.

    Analysts' edition: every cell but markdown written in another language. Leadership
    edition: only ``leadership`` cells of the run's language (or language-neutral), never a
    parameters cell, and no stderr output (warnings are for analysts).
    """
    kept = []
    for cell in nb["cells"]:
        tags = _tags(cell)
        if leadership:
            if LEADERSHIP not in tags or tags & PARAMETER_TAGS or not in_language(cell, lang):
                continue
            if cell["cell_type"] == "code":
                cell["outputs"] = [
                    o
                    for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
        elif cell["cell_type"] == "markdown" and not in_language(cell, lang):
            continue
        kept.append(cell)
    nb["cells"] = kept
    return nb


def notebook_title(nb: Any, default: str = "", lang: str | None = None) -> str:
    """The text of the first markdown heading (of ``lang``, when given): the page title and the
    index entry."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or (lang and not in_language(cell, lang)):
            continue
        for line in cell_source(cell).splitlines():
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


@functools.cache
def html_exporter(code: bool, lang: str, template_cache: str | None = None) -> Any:
    """One exporter per edition and language, per process: building one compiles its Jinja
    templates (~0.5 s); a worker renders several pages, and an exporter renders any number of
    notebooks the same way (it keeps no state between them). ``template_cache``: a folder where
    the compiled templates are kept for the next process (see :func:`bytecode_cache`)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = not code
    config.HTMLExporter.exclude_input_prompt = not code
    config.HTMLExporter.exclude_output_prompt = not code
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.language_code = lang  # ISO 639-1 only
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file=TEMPLATE_FILE[code],
        extra_template_paths=[str(TEMPLATES)],
    )
    if template_cache is not None:
        exporter.environment.bytecode_cache = bytecode_cache(Path(template_cache))
    exporter.template  # noqa: B018 (compiles the templates now, e.g. while a worker waits)
    return exporter


def warm_up(lang: str, template_cache: str | None = None) -> None:
    """Render a two-cell notebook with both editions' exporters and throw the pages away: the
    first page a process renders also compiles what rendering needs beyond the main template
    (the templates it includes, the CSS selectors and code lexers nbconvert's clean-up uses),
    ~0.4 s. A worker does this while its first notebook runs, not after it, when the next
    notebooks are waiting for its pages. Exporters keep nothing from one notebook to the next,
    so later pages are the same."""
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 标题\n\n说明", id="warm-up-text"),
            nbformat.v4.new_code_cell(
                "x = 1\nprint(x)",
                id="warm-up-code",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
            ),
        ]
    )
    for code in (False, True):
        html_exporter(code, lang, template_cache).from_notebook_node(nb, resources={})


def bytecode_cache(folder: Path) -> Any:
    """Jinja's own cache of compiled templates in ``folder`` (the runner's workers use
    ``<project>/.cache/jinja``): each worker of each build would otherwise compile the same
    dozen templates again, ~0.4 s of CPU. Jinja keys an entry by the template's file and checks
    it against the template's source, and writes it atomically, so workers can share it."""
    from jinja2 import FileSystemBytecodeCache

    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def render_notebook(
    executed: Path,
    target: Path,
    code: bool,
    lang: str = "zh",
    protected: Iterable[str] = (),
    template_cache: Path | None = None,
) -> str:
    """Render an executed notebook to one offline HTML page; return its title.

    ``code=True``: the analysts' page. ``code=False``: the leadership page (:func:`select_cells`),
    refused (ValueError, nothing written) if a table cell names one of the ``protected``
    enterprises (:mod:`analysis.disclosure`; the runner passes the names in
    ``industry_monthly`` unless the run allows enterprise tables). ``template_cache``: see
    :func:`html_exporter`.
    """
    import nbformat
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    lang = "en" if lang == "en" else "zh"
    nb = nbformat.read(executed, as_version=4)
    title = notebook_title(nb, executed.stem, lang)  # the leaders' page may have no heading
    nb = select_cells(drop_repeated_images(stable_cell_ids(nb)), lang, leadership=not code)
    # printed text arrives in as many stream outputs as the kernel happened to flush (timing,
    # load): one output per stream and cell, so the same run gives the same page bytes
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nb.metadata["title"] = title
    exporter = html_exporter(code, lang, str(template_cache) if template_cache else None)
    resources = {
        "page_css": ANALYST_CSS + PRINT_CSS if code else LEADER_CSS,
        "back_link": "../index.html",
        "back_text": w("back_to_index", lang),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
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
