"""The two editions of a notebook's page, chosen by cell tags (analysis.build.pages): leaders see
only ``leadership`` cells, never code, in the run's language; analysts see every cell with the
run's language of the narrative. Then what a leader reads in a built project (the shared build):
no English sentence on a Chinese page (nor Chinese prose on an English one), no raw column
name, no NaN, dtype, <NA>, True/False, no file path."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from analysis.build import pages

LEAD, ZH, EN = "leadership", "lang-zh", "lang-en"


def cell(kind: str, source: str, *tags: str, outputs: list | None = None):
    meta = {"tags": list(tags)}
    if kind == "md":
        return nbformat.v4.new_markdown_cell(source, metadata=meta)
    return nbformat.v4.new_code_cell(
        source, metadata=meta, outputs=[nbformat.from_dict(o) for o in outputs or []]
    )


def html_out(markup: str) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": markup}}


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


MESSAGES = '<div class="leader-messages"><ul><li>产值96.49亿元</li></ul></div>'


def notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell("md", "# 规上工业产值增长", LEAD, ZH),
        cell("md", "# Above-scale output growth", LEAD, EN),
        cell("code", 'output_dir = ""', "parameters", LEAD),
        cell("code", "show_growth_messages()", LEAD, "key-messages",
             outputs=[html_out(MESSAGES), stream("a warning for analysts\n", "stderr")]),
        cell("md", "产值由县统计局月报得出。", LEAD, ZH),
        cell("md", "Output comes from the bureau's monthly releases.", LEAD, EN),
        cell("code", "frame", outputs=[stream("level_wan dtype: float64\n")]),
        cell("md", "分析人员说明：模型诊断。", ZH),
        cell("md", "Analysts: the model's diagnostics.", EN),
        cell("md", "公式 $a$ · formula", LEAD),  # language-neutral: in both languages
    ]  # fmt: skip
    nbformat.write(nb, path)
    return path


def render(tmp_path: Path, code: bool, lang: str) -> tuple[str, str]:
    target = tmp_path / f"{code}-{lang}.html"
    title = pages.render_notebook(notebook(tmp_path / "nb.ipynb"), target, code=code, lang=lang)
    return title, target.read_text(encoding="utf-8")


def test_the_leadership_edition_shows_only_tagged_cells_of_the_language(tmp_path: Path) -> None:
    title, page = render(tmp_path, code=False, lang="zh")
    assert title == "规上工业产值增长" and "<title>规上工业产值增长</title>" in page
    assert MESSAGES in page
    assert "产值由县统计局月报得出。" in page and "公式" in page
    for hidden in ("Above-scale", "bureau's", "level_wan", "分析人员说明", "Analysts:",
                   "a warning", "show_growth_messages", "output_dir"):  # fmt: skip
        assert hidden not in page, hidden
    assert "jp-CodeMirrorEditor" not in page and "--jp-layout-color0" not in page  # nor lab theme
    title, page = render(tmp_path, code=False, lang="en")
    assert title == "Above-scale output growth" and '<html lang="en">' in page
    assert "bureau&#x27;s monthly releases" in page or "bureau's monthly releases" in page
    assert "产值由县统计局月报得出" not in page and "公式" in page


def test_the_analysts_edition_shows_every_cell_in_the_run_language(tmp_path: Path) -> None:
    title, page = render(tmp_path, code=True, lang="zh")
    assert title == "规上工业产值增长"
    assert "level_wan" in page and "分析人员说明" in page and "jp-InputArea-editor" in page
    assert "Analysts: the model" not in page and "Above-scale output growth" not in page
    _, page = render(tmp_path, code=True, lang="en")
    assert "Analysts: the model" in page and "分析人员说明" not in page


def test_a_title_is_the_first_heading_of_the_language() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("md", "# 甲", ZH), cell("md", "# A", EN), cell("md", "# 中性")]
    assert pages.notebook_title(nb, "x", "zh") == "甲"
    assert pages.notebook_title(nb, "x", "en") == "A"
    assert pages.notebook_title(nb, "x") == "甲"


# what a leader reads ---------------------------------------------------------------------------
class _Text(HTMLParser):
    """Visible text of a page, without styles, scripts, link addresses and the elements marked
    as another language (names: ``<span lang="zh-CN">`` on an English page)."""

    SKIP = frozenset({"style", "script", "title"})
    VOID = frozenset({"br", "img", "meta", "link", "hr", "input", "source", "wbr"})

    def __init__(self, foreign: str) -> None:
        super().__init__(convert_charrefs=True)
        self.foreign = foreign
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or ""
        hidden = tag in self.SKIP or lang.startswith(self.foreign)
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(page: str, lang: str) -> str:
    parser = _Text("zh" if lang == "en" else "en")
    parser.feed(page)
    return re.sub(r"https?://\S+", " ", " ".join(parser.parts))


QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){3,}")
SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")
RAW = re.compile(r"\bNaN\b|dtype:|<NA>|\bTrue\b|\bFalse\b|data/|\.csv\b|/work/")
CJK_RUN = re.compile(r"[\u3400-\u9fff][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*")
PLACE = re.compile(r"^[\u3400-\u9fff]{1,8}[省市县区]$")


def leader_problems(page: str, lang: str, names: set[str] = frozenset()) -> list[str]:
    """What a leader should not read on a page of a ``lang`` run."""
    text = QUOTED.sub(" ", visible_text(page, lang))
    found = [f"raw: {m}" for m in RAW.findall(text)]
    found += [f"snake_case: {m}" for m in SNAKE.findall(text)]
    if lang == "zh":
        found += [f"English: {m}" for m in ENGLISH_SENTENCE.findall(text)]
    else:
        found += [
            f"Chinese: {m}" for m in CJK_RUN.findall(text) if m not in names and not PLACE.match(m)
        ]
    return found


def test_the_checker_finds_what_a_leader_should_not_read() -> None:
    bad = (
        "<p>Logic: the review writes its tables here</p><p>level_wan</p><p>NaN</p>"
        "<pre>dtype: float64</pre><p>True</p><p>见 data/processed/x.csv</p>"
    )
    found = leader_problems(f"<html><body>{bad}</body></html>", "zh")
    assert any(f.startswith("English:") for f in found)
    assert {"snake_case: level_wan", "raw: NaN", "raw: dtype:", "raw: True", "raw: data/"} <= set(
        found
    )
    good = (
        "<html><body><style>.a_b {}</style><p>产值96.49亿元，增长20.7%。采用SARIMAX模型。</p>"
        '<a href="https://x.org/a_b.csv">河北日报</a><p>《Science and Technology Review》</p>'
        "</body></html>"
    )
    assert leader_problems(good, "zh") == []
    en = '<p>Output of <span lang="zh-CN">河北省人民政府办公厅</span> in 曲周县: 上升很快</p>'
    assert leader_problems(f"<html><body>{en}</body></html>", "en") == ["Chinese: 上升很快"]


def leadership_pages(root: Path) -> list[Path]:
    return [root / "reports" / "index.html", *sorted((root / "reports" / "html").glob("*.html"))]


@pytest.mark.notebooks
def test_a_chinese_build_shows_leaders_chinese_only(built: Path) -> None:
    problems = {}
    for page in leadership_pages(built):
        found = leader_problems(page.read_text(encoding="utf-8"), "zh")
        if found:
            problems[page.name] = found[:8]
    assert problems == {}


@pytest.mark.notebooks
def test_every_leadership_page_starts_with_its_messages(built: Path) -> None:
    for page in sorted((built / "reports" / "html").glob("*.html")):
        body = page.read_text(encoding="utf-8").split("<main>", 1)[1]
        assert "<h1" in body, f"{page.name}: no title"
        assert 'class="leader-messages"' in body, f"{page.name}: no key messages"
        assert body.index("<h1") < body.index('class="leader-messages"'), page.name
        assert "<img" not in body.split('class="leader-messages"')[0], page.name


@pytest.mark.notebooks
def test_the_english_narrative_has_no_chinese_prose(built: Path, tmp_path: Path) -> None:
    """The pages step alone, in English, over the Chinese build's executed notebooks: their
    outputs were computed in Chinese, so the narrative (markdown cells) is what is checked."""
    names = {"曲周县", "邯郸市", "河北省"}
    problems = {}
    for executed in sorted((built / "reports").glob("[0-9][0-9]_*.ipynb")):
        target = tmp_path / f"{executed.stem}.html"
        pages.render_notebook(executed, target, code=False, lang="en")
        page = target.read_text(encoding="utf-8")
        narrative = "".join(re.findall(r"jp-MarkdownCell.*?</div>\s*</div>\s*</div>", page, re.S))
        found = leader_problems(f"<html><body>{narrative}</body></html>", "en", names)
        if found:
            problems[executed.stem] = found[:8]
    assert problems == {}


def test_printed_text_gives_the_same_page_however_the_kernel_flushed_it(tmp_path: Path) -> None:
    """A loaded machine splits one print into several stream outputs; the page is the same."""

    def executed(name: str, chunks: list[str]) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell("# 标题", id="title", metadata={"tags": ["leadership"]}),
            nbformat.v4.new_code_cell(
                "print(table)",
                id="printed",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text=c) for c in chunks],
            ),
        ]
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        return path

    one = executed("one", ["第一行\n第二行\n"])
    two = executed("two", ["第一行\n", "第二行\n"])
    pages.render_notebook(one, tmp_path / "one.html", code=True)
    pages.render_notebook(two, tmp_path / "two.html", code=True)
    assert (tmp_path / "one.html").read_bytes() == (tmp_path / "two.html").read_bytes()


def test_compiled_templates_are_kept_for_the_next_worker(tmp_path: Path) -> None:
    """A worker keeps the pages' compiled templates in the project's cache; the next worker (a
    fresh exporter) loads them instead of compiling, and the page is the same either way."""
    source = notebook(tmp_path / "nb.ipynb")
    cache = tmp_path / ".cache" / "jinja"

    def page(name: str, template_cache: Path | None) -> bytes:
        pages.html_exporter.cache_clear()  # a new worker process
        target = tmp_path / f"{name}.html"
        pages.render_notebook(source, target, code=False, template_cache=template_cache)
        return target.read_bytes()

    uncached = page("uncached", None)
    assert not cache.exists()
    first = page("first", cache)
    kept = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(kept) >= 5  # the edition's template and the ones it includes
    loaded: list[str] = []
    real_load = type(pages.bytecode_cache(cache)).load_bytecode

    def spying_load(self, bucket):  # type: ignore[no-untyped-def]
        real_load(self, bucket)
        if bucket.code is not None:
            loaded.append(bucket.key)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(type(pages.bytecode_cache(cache)), "load_bytecode", spying_load)
        second = page("second", cache)
    pages.html_exporter.cache_clear()
    assert uncached == first == second
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == kept  # nothing rewritten
    assert len(loaded) == len(kept)  # every template came from the cache


def test_a_warmed_up_worker_renders_the_same_pages(tmp_path: Path) -> None:
    """A worker renders a throwaway page before its first notebook's (pages.warm_up); the
    exporters keep nothing from it, so every page is what a fresh worker would write."""
    source = notebook(tmp_path / "nb.ipynb")

    def pages_of(warm: bool) -> list[bytes]:
        pages.html_exporter.cache_clear()  # a new worker process
        if warm:
            pages.warm_up("zh")
        out = []
        for code in (False, True):
            target = tmp_path / f"{warm}-{code}.html"
            pages.render_notebook(source, target, code=code)
            out.append(target.read_bytes())
        return out

    assert pages_of(warm=True) == pages_of(warm=False)
    pages.html_exporter.cache_clear()
