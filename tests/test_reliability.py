"""The real runner on temporary copies of the project: two clean builds are byte-identical, a bad
input fails the run without touching the last good outputs, an interrupted run leaves nothing
half-written and the next run recovers, leadership pages carry no code and no paths.

One pair of clean builds (module fixture) serves every test; the other runs start from a copy
of the first build, so only the notebooks concerned run again."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import build as run_build
from analysis.build import index, stage, state
from analysis.paths import ROOT_ENV

from .conftest import copy_inputs

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("build")]

BAD = Path(__file__).parent / "data" / "bad"
OUTPUTS = ("data/processed", "figures", "reports")
INPUT_ELEMENT = re.compile(r'class="[^"]*\bjp-InputArea-editor\b')  # code, not markdown
PATH_MARKERS = ("/work/", "/tmp/", "/home/", "/root/", "/Users/", "C:\\", "PosixPath(")


@contextlib.contextmanager
def project(root: Path) -> Iterator[Path]:
    old = os.environ.get(ROOT_ENV)
    os.environ[ROOT_ENV] = str(root)
    try:
        yield root
    finally:
        if old is None:
            os.environ.pop(ROOT_ENV)
        else:
            os.environ[ROOT_ENV] = old


def hashes(root: Path, folders: tuple[str, ...] = OUTPUTS) -> dict[str, str]:
    """sha256 of every file (hidden ones too) under the output folders."""
    out = {}
    for folder in folders:
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def builds(repo: Path, built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two clean builds of two copies (the first is the session's shared build)."""
    root = copy_inputs(repo, tmp_path_factory.mktemp("build_b"))
    with project(root):
        assert run_build() == 0, "a notebook failed; see the output above"
    return built, root


def copy_of(build: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(build, root)
    return root


# determinism ---------------------------------------------------------------------------------
def test_two_clean_builds_give_identical_tables_and_figures(builds: tuple[Path, Path]) -> None:
    a, b = (hashes(r, ("data/processed", "figures")) for r in builds)
    assert sorted(a) == sorted(b)
    assert any(k.endswith(".png") for k in a) and any(k.endswith(".svg") for k in a)
    assert [k for k in a if a[k] != b[k]] == []


def test_two_clean_builds_give_identical_pages(builds: tuple[Path, Path]) -> None:
    a, b = (hashes(r, ("reports/html", "reports/html-code")) for r in builds)
    assert len(a) == 2 * len(list((builds[0] / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_the_index_differs_only_in_its_build_time_line(builds: tuple[Path, Path]) -> None:
    a, b = ((r / "reports" / "index.html").read_text(encoding="utf-8").splitlines() for r in builds)
    assert len(a) == len(b)
    differing = [x for x, y in zip(a, b, strict=True) if x != y]
    assert all(x.startswith(index.BUILD_TIME_LINE) for x in differing)


# what leadership pages show --------------------------------------------------------------------
def test_leadership_pages_show_no_code_and_no_paths(builds: tuple[Path, Path]) -> None:
    root = builds[0]
    leadership = sorted((root / "reports" / "html").glob("*.html"))
    assert leadership
    for page in [*leadership, root / "reports" / "index.html"]:
        # a source address such as http://…/index.php/home/… is a link, not a file-system path
        text = re.sub(r"https?://[^\s\"'<>]+", "", page.read_text(encoding="utf-8"))
        found = [m for m in (*PATH_MARKERS, str(root), str(root.parent)) if m in text]
        assert found == [], page.name
        # a code editor element (the stylesheet names the class too, so look for markup)
        assert not INPUT_ELEMENT.search(text) and "def " not in text, page.name
    code_page = (root / "reports" / "html-code" / "01_ingest.html").read_text(encoding="utf-8")
    assert INPUT_ELEMENT.search(code_page)  # the analysts' page keeps the code


# a bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("parts_sum", "file 2022年1-10月.csv, row 5, column 'C (1-本月累计)'"),
        ("png_as_xlsx", "file 2022年1-10月.xlsx: cannot open as .xlsx: the file is a PNG image"),
    ],
)
def test_a_bad_input_fails_the_run_and_changes_no_output(
    builds: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    where: str,
) -> None:
    root = copy_of(builds[0], tmp_path)
    before = hashes(root)
    bureau = root / "data" / "internal" / "simulated" / "bureau"
    for f in (BAD / case).iterdir():
        shutil.copy2(f, bureau / f.name)
    capsys.readouterr()
    with project(root):
        assert run_build() == 1
    err = capsys.readouterr().err
    assert "[FAIL] 01_ingest" in err and where in err
    after = hashes(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    # documented by the runner: the kept notebook, and the index's "last run failed" marker
    assert changed == ["reports/failed/01_ingest.ipynb", "reports/index.html"]
    assert "上次运行失败" in (root / "reports" / "index.html").read_text(encoding="utf-8")


# an interrupted run --------------------------------------------------------------------------
def assert_nothing_half_written(root: Path) -> None:
    files = [p for f in OUTPUTS for p in (root / f).rglob("*") if p.is_file()]
    assert [p.name for p in files if p.name.endswith(".tmp")] == []
    assert not (root / "reports" / stage.STAGING).exists()
    for p in files:
        if p.suffix == ".csv":
            pd.read_csv(p, encoding="utf-8-sig")
        elif p.suffix == ".png":
            assert p.read_bytes()[-8:] == b"IEND\xaeB`\x82", p
        elif p.suffix == ".svg":
            assert p.read_text(encoding="utf-8").rstrip().endswith("</svg>"), p
        elif p.suffix in {".ipynb", ".json"}:
            json.loads(p.read_text(encoding="utf-8"))
        elif p.suffix == ".html":
            assert p.read_text(encoding="utf-8").rstrip().endswith("</html>"), p
    json.loads((root / "reports" / state.STATE_FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_report_leaves_nothing_half_written_and_recovers(
    builds: tuple[Path, Path], tmp_path: Path, signum: int
) -> None:
    root = copy_of(builds[0], tmp_path)
    (root / "data" / "processed" / "ranking_fitted.csv").unlink()  # 03 must run again
    before = hashes(root)
    env = {**os.environ, ROOT_ENV: str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "report"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = root / "reports" / stage.STAGING / "03_innovation_ranking" / "reports"
    deadline = time.monotonic() + 300
    while not (running / "03_innovation_ranking.ipynb").is_file():  # papermill started it
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the notebook never started"
        time.sleep(0.2)
    time.sleep(2.0)  # a cell is executing in the kernel
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 128 + signum, err
    assert "[STOP] interrupted" in err and "03_innovation_ranking stopped" in err
    assert_nothing_half_written(root)
    assert hashes(root) == before  # nothing of the interrupted notebook was moved into place

    with project(root):
        assert run_build() == 0
    rebuilt = root / "data" / "processed" / "ranking_fitted.csv"
    assert rebuilt.read_bytes() == (builds[0] / "data" / "processed" / rebuilt.name).read_bytes()
    assert_nothing_half_written(root)
