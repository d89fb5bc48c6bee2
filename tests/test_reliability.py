"""The real runner on temporary copies of the session's one shared build: a build in which a
notebook fails replaces nothing and the next one commits what succeeded, byte-identical to a
clean build; a bad input fails the run without touching the last good outputs; an interrupted
run leaves nothing half-written and the next run recovers; leadership pages carry no code and
no paths.

Determinism without a second clean build: every test that runs a notebook again in a copy
compares what it wrote with the shared build, byte for byte (01, 02 and 04 in the all-or-nothing
test, 03 and 05 after the interrupted run)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import build as run_build
from analysis.build import index, stage, state
from analysis.paths import ROOT_ENV, Paths
from tests.conftest import at_project

pytestmark = [pytest.mark.notebooks]

BAD = Path(__file__).parent / "data" / "bad"
OUTPUTS = ("data/processed", "figures", "reports")
INPUT_ELEMENT = re.compile(r'class="[^"]*\bjp-InputArea-editor\b')  # code, not markdown
PATH_MARKERS = ("/work/", "/tmp/", "/home/", "/root/", "/Users/", "C:\\", "PosixPath(")


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Paths whose bytes differ, appeared or disappeared; the staged results of a failed build
    (``reports/.pending/``) are not outputs."""
    keys = {k for k in before.keys() | after.keys() if not k.startswith("reports/.pending/")}
    return sorted(k for k in keys if before.get(k) != after.get(k))


def hashes(root: Path, folders: tuple[str, ...] = OUTPUTS) -> dict[str, str]:
    """sha256 of every file (hidden ones too) under the output folders."""
    out = {}
    for folder in folders:
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def copy_of(build: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(build, root)
    return root


# what leadership pages show --------------------------------------------------------------------
def test_leadership_pages_show_no_code_and_no_paths(built: Path) -> None:
    root = built
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
    built: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    where: str,
) -> None:
    root = copy_of(built, tmp_path)
    before = hashes(root)
    bureau = root / "data" / "internal" / "simulated" / "bureau"
    for f in (BAD / case).iterdir():
        shutil.copy2(f, bureau / f.name)
    capsys.readouterr()
    with at_project(root):
        assert run_build() == 1
    err = capsys.readouterr().err
    assert where in err
    if "[FAIL] 01_ingest" in err:  # documented by the runner: the kept notebook, nothing else
        kept = ["reports/failed/01_ingest.ipynb"]
    else:  # a release that cannot be read is found by the check before any notebook finishes
        assert "the run was stopped" in err
        kept = []
    assert changed_files(before, hashes(root)) == kept


# all or nothing ------------------------------------------------------------------------------
def break_after_parameters(notebook: Path, message: str) -> None:
    """Insert a cell that raises right after the notebook's parameters cell."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    tags = [c.get("metadata", {}).get("tags", []) for c in nb["cells"]]
    at = next(i for i, t in enumerate(tags) if "parameters" in t) + 1
    cell = {"cell_type": "code", "execution_count": None, "id": "broken", "metadata": {}}
    nb["cells"].insert(at, {**cell, "outputs": [], "source": [f"raise RuntimeError({message!r})"]})
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def notebook_outputs(root: Path, names: tuple[str, ...]) -> dict[str, str]:
    """sha256 of the tables, figures and both pages the notebooks ``names`` wrote (their
    executed notebooks hold papermill's timings, so they are left out)."""
    entries = state.read_state(Paths(root=root, out=root))["steps"]
    rels = [r for n in names for r in entries[n]["outputs"] if not r.endswith(".ipynb")]
    return {r: hashlib.sha256((root / r).read_bytes()).hexdigest() for r in sorted(rels)}


def test_a_build_in_which_03_fails_replaces_nothing(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_of(built, tmp_path)
    rerun = ("01_ingest", "02_output_growth", "04_sti_indicators")
    for name in rerun:  # an output missing: they run again, with inputs unchanged
        (root / "reports" / f"{name}.ipynb").unlink()
    before = hashes(root)
    nb03 = root / "notebooks" / "03_innovation_ranking.ipynb"
    good_03 = nb03.read_bytes()
    break_after_parameters(nb03, "03 fails in this test")
    capsys.readouterr()
    with at_project(root):
        assert run_build() == 1
    out, err = capsys.readouterr()
    assert all(f"[done] {name}" in out for name in rerun), out
    assert "[FAIL] 03_innovation_ranking" in err and "[skip] 05_annual_review: not run" in err
    # every output of the last good build byte for byte (tables, figures, pages, pack, PDF,
    # index, state): what 01, 02 and 04 made waits, staged, with the failed build
    assert changed_files(before, hashes(root)) == ["reports/failed/03_innovation_ranking.ipynb"]

    nb03.write_bytes(good_03)  # 03 mended: the next build commits the staged results
    with at_project(root):
        assert run_build() == 0
    out, _ = capsys.readouterr()
    assert "[run ]" not in out
    assert all(f"{name} (up to date: staged by an earlier run)" in out for name in rerun), out
    assert not (root / "reports" / "failed").exists()
    assert not (root / "reports" / ".pending").exists()
    # run again, 01, 02 and 04 wrote exactly what the clean build wrote: tables, figures, pages
    assert notebook_outputs(root, rerun) == notebook_outputs(built, rerun)
    assert hashes(root, ("data/processed", "figures")) == hashes(
        built, ("data/processed", "figures")
    )
    # the index says when each report was built (to the minute): that line, and only that
    # line, may differ (it does not when both builds fall in the same minute)
    a, b = ((r / "reports" / "index.html").read_text("utf-8").splitlines() for r in (built, root))
    differing = [x for x, y in zip(a, b, strict=True) if x != y]
    assert len(a) == len(b)
    assert all(x.startswith(index.BUILD_TIME_LINE) for x in differing)


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
    built: Path, tmp_path: Path, signum: int
) -> None:
    root = copy_of(built, tmp_path)
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

    if signum == signal.SIGINT:
        return  # the recovery is the same after either signal: run it once
    with at_project(root):
        assert run_build() == 0
    assert_nothing_half_written(root)
    # 03 ran again (and 05 after it, if 03's outputs changed): the clean build's bytes
    again = ("03_innovation_ranking", "05_annual_review")
    assert notebook_outputs(root, again) == notebook_outputs(built, again)
