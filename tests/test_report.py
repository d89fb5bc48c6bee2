"""The report runner on a tiny throwaway project (three small notebooks, no pandas): what it
rebuilds and why, what a failure leaves behind, where other runs go, what the pages contain."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from analysis.build import build as run_build
from analysis.build import data_page, graph, pages, pending, plan, state, status
from analysis.params import load_params
from analysis.paths import ROOT_ENV, Paths

from .conftest import copy_inputs

# a 2 x 2 red PNG: an image output without matplotlib
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAPzQEC"
    "tX1VbwAAAABJRU5ErkJggg=="
)

PIPELINE = """\
01_a:
  reads: [data/raw/x.txt]
  writes: [data/processed/a.csv]
02_b:
  reads: [data/processed/a.csv]
  writes: [data/processed/b.csv]
03_c:
  reads: [data/raw/y.txt]
  writes: [data/processed/c.csv, figures/03_c/**]
"""

LEAD = ["leadership"]  # shown in the leadership edition (docs/outputs.md)
SETUP = "from analysis.paths import Paths\npaths = Paths.for_run(output_dir)\n"


def write_nb(path: Path, title: str, params: str, *code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "county-sti", "display_name": "x", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\nNarrative.", metadata={"tags": LEAD}),
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        *[nbformat.v4.new_code_cell(c, metadata={"tags": LEAD}) for c in code],
    ]
    nbformat.write(nb, path)


def nb_a(root: Path, text: str = "(paths.raw / 'x.txt').read_text().upper()") -> None:
    write_nb(
        root / "notebooks" / "01_a.ipynb",
        "甲 测试报告",
        'output_dir = ""',
        SETUP,
        "paths.processed.mkdir(parents=True, exist_ok=True)\n"
        f"(paths.processed / 'a.csv').write_text({text})",
    )


def nb_b(root: Path, extra: str = "") -> None:
    write_nb(
        root / "notebooks" / "02_b.ipynb",
        "乙 测试报告",
        'county = "曲周县"\noutput_dir = ""',
        SETUP,
        extra + "a = (paths.processed / 'a.csv').read_text()\n"
        "(paths.processed / 'b.csv').write_text(a + county)\nprint('b written:', county)",
    )


def nb_c(root: Path, extra: str = "") -> None:
    write_nb(
        root / "notebooks" / "03_c.ipynb",
        "丙 测试报告",
        'output_dir = ""',
        SETUP + "import base64\nfrom IPython.display import Image, display\n"
        f"png = base64.b64decode({PNG_B64!r})",
        extra + "paths.processed.mkdir(parents=True, exist_ok=True)\n"
        "(paths.processed / 'c.csv').write_text((paths.raw / 'y.txt').read_text())\n"
        "(paths.figures / '03_c').mkdir(parents=True, exist_ok=True)\n"
        "(paths.figures / '03_c' / '03-dot.png').write_bytes(png)\n"
        "display(Image(data=png))",
    )


@pytest.fixture
def tiny(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with three notebooks: 02_b reads what 01_a writes; 03_c is independent."""
    root = tmp_path / "tiny"
    (root / "src" / "analysis").mkdir(parents=True)
    shutil.copy2(repo / "pyproject.toml", root)
    shutil.copytree(repo / "params", root / "params")
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "x.txt").write_text("abc")
    (raw / "y.txt").write_text("why")
    (raw / "SOURCES.csv").write_text(
        "file,source_url,publisher,licence,collected,notes\n"
        "x.txt,https://example.org/x,某某统计局,CC-BY,2026-01-01,\n",
        encoding="utf-8",
    )
    (root / "notebooks").mkdir()
    (root / "notebooks" / "pipeline.yaml").write_text(PIPELINE)
    nb_a(root)
    nb_b(root)
    nb_c(root)
    monkeypatch.setenv(ROOT_ENV, str(root))
    return root


def ran(out: str) -> list[str]:
    return sorted(re.findall(r"^\[run \] (\S+)", out, re.M))


def build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = run_build(*args, jobs=2)
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def snapshot(root: Path) -> dict[str, bytes]:
    """Every output file of the default run (the state file too), but what a failed build is
    meant to leave: the kept notebooks in reports/failed/ and the staged results."""
    files = {}
    for folder in ("data/processed", "figures", "reports"):
        for p in sorted((root / folder).rglob("*")):
            rel = p.relative_to(root).as_posix()
            hidden = any(part.startswith(".") for part in rel.split("/")[:-1])
            if p.is_file() and not hidden and "/failed/" not in rel:
                files[rel] = p.read_bytes()
    return files


# declarations and dependencies (no kernel) --------------------------------------------------
def test_dependencies_follow_what_each_notebook_reads_and_writes(tiny: Path) -> None:
    steps = plan.load_steps(Paths.for_run())
    assert plan.dependencies(steps) == {"01_a": set(), "02_b": {"01_a"}, "03_c": set()}


def test_an_undeclared_notebook_runs_in_number_order(tiny: Path) -> None:
    write_nb(tiny / "notebooks" / "04_new.ipynb", "新", 'output_dir = ""', "1")
    deps = plan.dependencies(plan.load_steps(Paths.for_run()))
    assert deps["04_new"] == {"01_a", "02_b", "03_c"}
    assert deps["02_b"] == {"01_a"}


def test_a_second_worker_only_when_two_notebooks_can_run_at_once(repo: Path) -> None:
    chain = {"01_a": set(), "02_b": {"01_a"}, "03_c": {"02_b"}}
    assert not plan.side_by_side(chain, ["01_a", "02_b", "03_c"])  # each waits for the last
    assert plan.ancestors(chain, "03_c") == {"01_a", "02_b"}
    project = plan.dependencies(plan.load_steps(Paths(root=repo, out=repo)))
    assert plan.side_by_side(project, sorted(project))  # 02, 03, 04 each wait only for 01
    assert not plan.side_by_side(project, ["03_innovation_ranking", "05_annual_review"])


def test_notebooks_reading_each_other_are_a_cycle(tiny: Path) -> None:
    (tiny / "notebooks" / "pipeline.yaml").write_text(
        PIPELINE.replace("reads: [data/raw/x.txt]", "reads: [data/processed/b.csv]")
    )
    with pytest.raises(ValueError, match="01_a -> 02_b -> 01_a"):
        plan.dependencies(plan.load_steps(Paths.for_run()))


def test_a_declared_notebook_that_does_not_exist_is_an_error(tiny: Path) -> None:
    (tiny / "notebooks" / "pipeline.yaml").write_text(PIPELINE + "09_gone:\n  reads: []\n")
    with pytest.raises(ValueError, match=r"\['09_gone'\]"):
        plan.load_steps(Paths.for_run())


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("data/raw/**", "data/raw/a/b.csv", True),
        ("data/processed/*.csv", "data/processed/a.csv", True),
        ("data/processed/*.csv", "data/processed/sub/a.csv", False),
        ("figures/**/*.png", "figures/02_x/02-a.png", True),
        ("figures/**/*.png", "figures/02_x/02-a.svg", False),
    ],
)
def test_glob_regex(pattern: str, path: str, matches: bool) -> None:
    assert bool(plan.glob_regex(pattern).match(path)) is matches


def test_patterns_overlap() -> None:
    assert plan.patterns_overlap("data/processed/*.csv", "data/processed/a.csv")
    assert not plan.patterns_overlap("data/processed/b.csv", "data/processed/a.csv")
    assert plan.patterns_overlap("figures/**", "figures/01_ingest/**")
    assert not plan.patterns_overlap("figures/02_x/**", "figures/01_ingest/**")


def test_a_non_default_params_file_gets_its_own_output_folder(tiny: Path) -> None:
    (tiny / "params" / "en.yaml").write_text("lang: en\n")
    (tiny / "params" / "own.yaml").write_text("lang: en\noutput_dir: elsewhere\n")
    assert plan.run_params("params/en.yaml").output_dir == "runs/en"
    assert plan.run_params("params/own.yaml").output_dir == "elsewhere"
    assert plan.run_params("params/default.yaml").output_dir == ""
    assert plan.run_params(None).output_dir == ""


# building -----------------------------------------------------------------------------------
@pytest.mark.notebooks
def test_only_what_changed_is_rebuilt(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["01_a", "02_b", "03_c"]
    assert (tiny / "data/processed/b.csv").read_text() == "ABC曲周县"
    state_file = tiny / "reports" / state.STATE_FILE
    before = state_file.read_bytes()

    rc, out, _ = build(capsys)  # nothing changed: nothing runs, nothing is rewritten
    assert rc == 0 and ran(out) == [] and out.count("(up to date)") == 3
    assert state_file.read_bytes() == before
    assert {x.name: x.state for x in status.status()} == dict.fromkeys(
        ["01_a", "02_b", "03_c"], "up to date"
    )

    nb_c(tiny, extra="# an edit\n")  # only 03_c changed
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["03_c"]

    nb_a(tiny, text="(paths.raw / 'x.txt').read_text().lower()")  # 01_a writes other bytes
    files = snapshot(tiny)
    lines = {x.name: x for x in status.status()}  # what would run, and why; nothing runs
    assert (lines["01_a"].state, lines["01_a"].why) == ("will run", "changed: notebook")
    assert (lines["02_b"].state, lines["02_b"].why) == ("may run", "if the outputs of 01_a change")
    assert lines["03_c"].state == "up to date" and snapshot(tiny) == files
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["01_a", "02_b"]
    assert (tiny / "data/processed/b.csv").read_text() == "abc曲周县"

    nb_a(tiny, text="(paths.raw / 'x.txt').read_text().lower() + ''")
    rc, out, _ = build(capsys)  # 01_a re-runs, writes the same bytes: 02_b stays
    assert rc == 0 and ran(out) == ["01_a"]

    (tiny / "data/raw/x.txt").write_text("xyz")  # a file 01_a reads
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["01_a", "02_b"]
    assert "[run ] 01_a (changed: reads (data/raw/x.txt))" in out
    assert "[run ] 02_b (changed: reads (data/processed/a.csv))" in out

    defaults = tiny / "params" / "default.yaml"  # a parameter only 02_b declares
    defaults.write_text(defaults.read_text(encoding="utf-8").replace("曲周县", "馆陶县"))
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["02_b"] and "changed: parameters (county)" in out
    assert (tiny / "data/processed/b.csv").read_text() == "xyz馆陶县"

    (tiny / "data/processed/c.csv").unlink()  # an output removed by hand
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["03_c"] and "output missing: data/processed/c.csv" in out


@pytest.mark.notebooks
def test_a_failure_names_the_cell_and_replaces_nothing(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(capsys)[0] == 0
    good = snapshot(tiny)
    assert "reports/index.html" in good and "reports/.build-state.json" in good
    # 02_b writes a wrong b.csv, then fails; 03_c writes a table it does not declare
    nb_b(tiny, extra="(paths.processed / 'b.csv').write_text('half')\nraise ValueError('boom')\n")
    nb_c(tiny, extra="(paths.processed / 'stray.csv').write_text('x')\n")
    nb_a(tiny, text="'changed'")  # 01_a succeeds; 02_b depends on it, so 02_b runs too
    rc, out, err = build(capsys)

    assert rc == 1
    # cell 4 of the kept notebook: papermill's injected-parameters cell comes after cell 1
    assert (
        "[FAIL] 02_b: cell 4 (In [4]): ValueError: boom\n       > line 2: raise ValueError" in err
    )
    assert "[FAIL] 03_c: wrote data/processed/stray.csv, not declared" in err
    assert "no output was replaced" in err and "kept staged for the next run: 01_a" in err
    failed = tiny / "reports" / "failed" / "02_b.ipynb"
    assert "An Exception was encountered" in failed.read_text(encoding="utf-8")
    assert (tiny / "reports" / "failed" / "03_c.ipynb").is_file()
    # all or nothing: 01_a succeeded, yet its table, pages and state entry wait with the rest;
    # the index, the state file and every output are those of the last good build
    assert snapshot(tiny) == good

    nb_b(tiny)
    nb_c(tiny)
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == ["02_b", "03_c"]  # 01_a's staged result is taken as it is
    assert "[skip] 01_a (up to date: staged by an earlier run)" in out
    assert (tiny / "data/processed/a.csv").read_text() == "changed"
    assert (tiny / "data/processed/b.csv").read_text() == "changed曲周县"
    assert not (tiny / "reports" / "failed").exists()  # failure markers cleared
    assert not (tiny / "reports" / pending.PENDING).exists()
    assert "上次运行失败" not in (tiny / "reports" / "index.html").read_text(encoding="utf-8")


@pytest.mark.notebooks
def test_a_staged_result_whose_inputs_changed_back_is_dropped(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(capsys)[0] == 0
    good = snapshot(tiny)
    notebooks = {p: p.read_bytes() for p in (tiny / "notebooks").glob("*.ipynb")}
    nb_a(tiny, text="'changed'")
    nb_b(tiny, extra="raise ValueError('boom')\n")
    assert build(capsys)[0] == 1
    for p, data in notebooks.items():  # both edits undone: the last good build is up to date
        p.write_bytes(data)
    rc, out, _ = build(capsys)
    assert rc == 0 and ran(out) == [] and out.count("(up to date)") == 3
    now = snapshot(tiny)
    assert {k: v for k, v in now.items() if k != "reports/index.html"} == {
        k: v for k, v in good.items() if k != "reports/index.html"
    }  # the staged 'changed' a.csv was never committed
    assert not (tiny / "reports" / "failed").exists()
    assert not (tiny / "reports" / pending.PENDING).exists()


@pytest.mark.notebooks
def test_an_executed_notebook_runs_again_from_its_own_folder(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    from analysis.env.envsetup import KERNEL_NAME
    from analysis.paths import STAGING_ENV

    assert build(capsys)[0] == 0
    executed = tiny / "reports" / "02_b.ipynb"
    nb = nbformat.read(executed, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'county = "曲周县"' in injected.source  # Chinese as Chinese, not \\u escapes
    assert 'output_dir = ""' in injected.source and ".staging" not in executed.read_text("utf-8")

    (tiny / "data/processed/b.csv").unlink()
    monkeypatch.delenv(ROOT_ENV)  # as from JupyterLab: the kernel finds the project by its folder
    monkeypatch.delenv(STAGING_ENV, raising=False)
    papermill.execute_notebook(
        str(executed), str(tiny.parent / "again.ipynb"), kernel_name=KERNEL_NAME,
        cwd=str(executed.parent), progress_bar=False,
    )  # fmt: skip
    assert (tiny / "data/processed/b.csv").read_text() == "ABC曲周县"


@pytest.mark.notebooks
def test_other_parameters_never_touch_the_default_run(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(capsys)[0] == 0
    good = snapshot(tiny)
    (tiny / "params" / "guantao.yaml").write_text("county: 馆陶县\n", encoding="utf-8")
    rc, out, _ = build(capsys, "params/guantao.yaml")
    assert rc == 0 and ran(out) == ["01_a", "02_b", "03_c"]
    assert snapshot(tiny) == good
    other = tiny / "runs" / "guantao"
    assert (other / "data/processed/b.csv").read_text() == "ABC馆陶县"
    assert (other / "reports/html/02_b.html").is_file()
    index = (other / "reports/index.html").read_text(encoding="utf-8")
    data = (other / "reports/html-code/data.html").read_text(encoding="utf-8")
    assert "runs/guantao" in data and str(tiny) not in index + data


@pytest.mark.notebooks
def test_pages_have_no_code_no_parameters_and_no_network(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(capsys)[0] == 0
    lead = (tiny / "reports/html/02_b.html").read_text(encoding="utf-8")
    code = (tiny / "reports/html-code/02_b.html").read_text(encoding="utf-8")
    assert "<title>乙 测试报告</title>" in lead
    assert "b written: 曲周县" in lead  # the output is there
    assert "write_text" not in lead and "write_text" in code  # the code is not
    assert "曲周县" not in lead.replace("b written: 曲周县", "")  # no parameters cell either
    assert 'class="highlight' not in lead and 'class="highlight' in code
    assert code.count('<span class="n">county</span>') == 4  # parameters, injected, 2 uses
    assert '<html lang="zh">' in lead
    for page in (tiny / "reports").rglob("*.html"):
        assert pages.external_references(page.read_text(encoding="utf-8")) == [], page
        assert "Noto Sans CJK SC" in page.read_text(encoding="utf-8")
    figure = (tiny / "reports/html/03_c.html").read_text(encoding="utf-8")
    assert figure.count(f'src="data:image/png;base64,{PNG_B64}') == 1
    index = (tiny / "reports/index.html").read_text(encoding="utf-8")
    assert '<a href="html/01_a.html">甲 测试报告</a>' in index
    assert '<a href="html-code/index.html">' in index
    analysts = (tiny / "reports/html-code/index.html").read_text(encoding="utf-8")
    assert analysts.count("<rect ") == 3 and analysts.count("marker-end=") == 1  # 01_a -> 02_b
    assert "n01_a --&gt; n02_b" in analysts  # the Mermaid text, to paste into documents
    assert '<a href="02_b.html">乙 测试报告</a> · <a href="../02_b.ipynb">notebook</a>' in analysts
    assert "example.org" not in index  # addresses and files are on the analysts' data page
    data = (tiny / "reports/html-code/data.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/x">' in data and "某某统计局" in data
    assert str(tiny) not in index and str(tiny) not in data


# pages (no kernel) ----------------------------------------------------------------------------
def test_external_references_finds_what_a_browser_would_fetch() -> None:
    page = (
        '<html><head><script src="https://cdn.example/require.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/x.css">'
        "<style>@font-face { src: url('https://fonts.example/a.woff'); }"
        " /* https://a-comment.example */</style>"
        '<script type="module">await import("https://cdn.example/mermaid.mjs")</script>'
        '</head><body><a href="https://source.example">source</a>'
        '<img src="data:image/png;base64,AAAA"><img src="local.png"></body></html>'
    )
    assert pages.external_references(page) == [
        "<script src=https://cdn.example/require.js>",
        "<link href=//fonts.example/x.css>",
        "https://fonts.example/a.woff",
        "https://cdn.example/mermaid.mjs",
    ]


def test_displayed_parameters_carry_no_file_system_path(tiny: Path) -> None:
    params = load_params(internal_data_dir=str(tiny / "secret" / "bureau"), output_dir="")
    shown = data_page.display_params(params.as_dict())
    assert shown["internal_data_dir"] == "bureau"
    assert shown["output_dir"] == "默认 · default"
    assert shown["target_growth"] == "15.0%"
    assert str(tiny) not in "".join(shown.values())


def test_notebook_title_is_the_first_heading() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("Intro\n\n## 02 产值增长 · Growth\n# later"),
    ]
    assert pages.notebook_title(nb) == "02 产值增长 · Growth"


def test_the_code_digest_covers_modules_and_templates(tmp_path: Path) -> None:
    pkg = tmp_path / "analysis"
    (pkg / "templates").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "templates" / "page.j2").write_text("<p>")
    first = state.code_digest(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert state.code_digest(pkg) == first
    (pkg / "templates" / "page.j2").write_text("<p class='x'>")
    assert state.code_digest(pkg) != first


@pytest.mark.notebooks
def test_pages_are_made_after_the_dependents_start_and_a_page_that_fails_fails_its_notebook(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notebook's pages are rendered in the background while the notebooks reading its
    outputs run: 01_a's leadership page refers to the network (refused), yet 02_b, which
    reads 01_a's table, has run by then. The build fails without replacing anything, 01_a is
    not kept staged (it runs again), and 02_b's staged result is taken as it is."""
    assert build(capsys)[0] == 0
    good = snapshot(tiny)
    remote = "from IPython.display import HTML, display\n" + (
        "display(HTML('<img src=\"https://example.org/x.png\">'))"
    )
    write_nb(
        tiny / "notebooks" / "01_a.ipynb", "甲 测试报告", 'output_dir = ""', SETUP,
        "paths.processed.mkdir(parents=True, exist_ok=True)\n"
        "(paths.processed / 'a.csv').write_text('new')", remote,
    )  # fmt: skip
    rc, out, err = build(capsys)
    assert rc == 1 and ran(out) == ["01_a", "02_b"]
    assert "[FAIL] 01_a: its page could not be made: ValueError: 01_a.html would load" in err
    assert "no output was replaced" in err and "kept staged for the next run: 02_b" in err
    assert snapshot(tiny) == good
    assert not (tiny / "reports" / pending.PENDING / "files/reports/html/01_a.html").exists()

    nb_a(tiny, text="'new'")
    rc, out, err = build(capsys)
    assert rc == 0 and ran(out) == ["01_a"], out + err
    assert "[skip] 02_b (up to date: staged by an earlier run)" in out
    assert (tiny / "data/processed/b.csv").read_text(encoding="utf-8") == "new曲周县"
    assert "甲 测试报告" in (tiny / "reports/html/01_a.html").read_text(encoding="utf-8")
    entry = state.read_state(Paths(root=tiny, out=tiny))["steps"]["01_a"]
    assert entry["title"] == "甲 测试报告" and pending.PAGES_DUE not in entry
    page = tiny / "reports/html-code/01_a.html"
    assert entry["outputs"]["reports/html-code/01_a.html"] == state.file_sha256(page)


@pytest.mark.notebooks
def test_a_worker_that_dies_loses_the_pages_it_held_and_the_build_says_so(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forced build on one worker; 03_c, last, kills that worker (its kernel's parent). The
    pages of 01_a and 02_b were that worker's to render: their notebooks fail with the reason,
    the build reports the failure (no traceback from the runner) and replaces nothing."""
    assert build(capsys)[0] == 0
    good = snapshot(tiny)
    nb_c(
        tiny,
        extra="import os, signal\nos.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)\n",
    )
    rc = run_build(jobs=1, force=True)
    out, err = capsys.readouterr()
    assert rc == 1, out + err
    assert "[FAIL] 03_c: BrokenProcessPool" in err
    for name in ("01_a", "02_b"):
        assert f"[FAIL] {name}: its page could not be made: BrokenProcessPool" in err, err
    assert "Traceback" not in err and "no output was replaced" in err
    assert snapshot(tiny) == good


# committing (no kernel) -----------------------------------------------------------------------
def test_a_commit_cut_short_is_finished_by_the_next_build(tmp_path: Path) -> None:
    paths = Paths(root=tmp_path, out=tmp_path)
    staged = pending.Pending(paths)
    for rel, text in (("data/processed/a.csv", "new a"), ("figures/01_a/01-x.png", "new png")):
        (staged.files / rel).parent.mkdir(parents=True, exist_ok=True)
        (staged.files / rel).write_text(text)
    staged.steps = {"01_a": {"parts": {}, "staged": ["data/processed/a.csv"]},
                    "02_b": {"parts": {}, "staged": ["figures/01_a/01-x.png"]}}  # fmt: skip
    (tmp_path / "data/processed").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data/processed/a.csv").write_text("old a")
    (tmp_path / "data/processed/gone.csv").write_text("removed by the commit")
    new_state = {"version": state.STATE_VERSION, "steps": {"01_a": {"parts": {"x": "1"}}}}
    journal = {
        "moves": {rel: f"reports/{pending.PENDING}/files/{rel}" for rel in staged.staged()},
        "removed": ["data/processed/gone.csv"],
        "state": new_state,
    }
    staged.dir.mkdir(parents=True, exist_ok=True)
    (staged.dir / pending.JOURNAL).write_text(json.dumps(journal))
    # the power went off after the first move
    (staged.files / "data/processed/a.csv").replace(tmp_path / "data/processed/a.csv")

    assert pending.finish_interrupted_commit(paths)
    assert (tmp_path / "data/processed/a.csv").read_text() == "new a"
    assert (tmp_path / "figures/01_a/01-x.png").read_text() == "new png"
    assert not (tmp_path / "data/processed/gone.csv").exists()
    assert state.read_state(paths) == new_state
    assert not staged.dir.exists()
    assert not pending.finish_interrupted_commit(paths)  # nothing left to finish


def test_a_notebook_staged_without_its_pages_is_not_taken_as_it_is(tmp_path: Path) -> None:
    """A build stopped between staging a notebook's outputs and its pages leaves an entry the
    next build does not trust; staging the pages completes it."""
    paths = Paths(root=tmp_path, out=tmp_path)
    staging, pages_folder = tmp_path / "staging", tmp_path / "pages"
    (staging / "data/processed").mkdir(parents=True)
    (staging / "data/processed/a.csv").write_text("a")
    staged = pending.Pending(paths)
    staged.add("01_a", staging, ["data/processed/a.csv"], {"parts": {}, pending.PAGES_DUE: True})
    staged.steps["01_a"]["outputs"] = {"data/processed/a.csv": state.file_sha256(
        staged.files / "data/processed/a.csv")}  # fmt: skip
    assert not pending.Pending(paths).intact("01_a")  # as the next build reads it

    html = "reports/html/01_a.html"
    (pages_folder / html).parent.mkdir(parents=True)
    (pages_folder / html).write_text("<p>page</p>")
    staged.add_pages("01_a", pages_folder, [html], {"title": "甲"})
    staged.steps["01_a"]["outputs"][html] = state.file_sha256(staged.files / html)  # the runner's
    staged.save()
    again = pending.Pending(paths)
    assert again.intact("01_a")
    assert again.steps["01_a"]["staged"] == ["data/processed/a.csv", html]
    assert again.steps["01_a"]["title"] == "甲" and pending.PAGES_DUE not in again.steps["01_a"]
    assert (again.files / html).read_text() == "<p>page</p>" and not (pages_folder / html).exists()


# the dependency graph (no kernel) ---------------------------------------------------------------
def test_the_graph_follows_the_declarations(tiny: Path) -> None:
    steps = plan.load_steps(Paths.for_run())
    deps = plan.dependencies(steps)
    text = graph.mermaid(steps, deps, {"01_a": "甲"})
    assert text.splitlines() == [
        "flowchart LR",
        '  n01_a["01_a<br/>甲"]',
        '  n02_b["02_b"]',
        '  n03_c["03_c"]',
        "  n01_a --> n02_b",
    ]
    diamond = {"01": set(), "02": {"01"}, "03": {"01"}, "05": {"01", "02", "03"}}
    assert graph.levels(diamond) == {"01": 0, "02": 1, "03": 1, "05": 2}
    drawn = graph.svg(diamond, {"03": "failed"}, {})
    assert drawn.count("<rect ") == 4 and drawn.count("marker-end=") == 5
    assert drawn.count(" C") == 1  # 01 -> 05 arcs over the column between
    assert f'fill="{graph.STATUS_COLOURS["failed"][0]}"' in drawn
    assert pages.external_references(drawn) == []


def test_a_run_that_does_not_fit_the_data_runs_nothing(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Year 2035 and a code that is not 曲周县's: refused with every problem before 01 finishes
    (01 starts beside the check)."""
    root = copy_inputs(repo, tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(root))
    (root / "params" / "bad.yaml").write_text(
        "county: 曲周县\ncounty_code: '130404'\nyear: 2035\n", encoding="utf-8"
    )
    rc, out, err = build(capsys, "params/bad.yaml")
    assert rc == 1 and ran(out) == []
    assert "do not fit the data" in err and "2035" in err and "130404" in err
    assert "the run was stopped" in err
    outputs = root / "runs" / "bad"
    assert not any(p.is_file() for p in outputs.rglob("*") if "/." not in p.as_posix())


@pytest.mark.notebooks
@pytest.mark.parametrize("fork", ["1", "0"])
def test_a_builds_kernels_are_forked_from_its_fork_server_unless_turned_off(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fork: str
) -> None:
    """A forked kernel's parent is the fork server, not the worker that launched it (whose
    process id jupyter_client puts in JPY_PARENT_PID); ANALYSIS_FORK_KERNELS=0 starts them as
    before. The outputs do not depend on it."""
    monkeypatch.setenv("ANALYSIS_FORK_KERNELS", fork)
    probe = "import os\nprint('forked:', os.getppid() != int(os.environ['JPY_PARENT_PID']))\n"
    nb_b(tiny, extra=probe)
    nb_c(tiny, extra=probe)
    rc, out, err = build(capsys)
    assert rc == 0, out + err
    for name in ("02_b", "03_c"):
        executed = nbformat.read(tiny / "reports" / f"{name}.ipynb", as_version=4)
        printed = "".join(
            o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs
        )
        assert f"forked: {fork == '1'}" in printed, (name, printed)
    assert (tiny / "data/processed/b.csv").read_text(encoding="utf-8") == "ABC曲周县"
