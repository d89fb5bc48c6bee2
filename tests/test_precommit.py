"""The checks a commit must pass: notebooks stored clean, no large file, ruff on what changed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis.build import precommit
from analysis.env.envsetup import KERNEL_NAME

REPO = Path(__file__).resolve().parents[1]


def saved_by_jupyterlab(path: Path) -> Path:
    """A notebook as a user's JupyterLab saves it after a run under their own kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {
        "name": "python",
        "version": "3.11.9",
        "mimetype": "text/x-python",
    }
    nb.metadata["widgets"] = {"state": {}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 标题"),
        nbformat.v4.new_code_cell("year = 2022", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "print(year)",
            execution_count=3,
            outputs=[nbformat.v4.new_output("stream", text="2022\n")],
            metadata={"execution": {"iopub.status.idle": "2026-11-29T08:00:00Z"}, "scrolled": True},
        ),
    ]
    nbformat.write(nb, path)
    return path


def test_a_notebook_saved_after_a_run_is_refused_with_every_reason(tmp_path: Path) -> None:
    problems = "\n".join(precommit.notebook_problems(saved_by_jupyterlab(tmp_path / "a.ipynb")))
    assert "outputs" in problems
    assert "'python3'" in problems and KERNEL_NAME in problems
    assert "widgets" in problems and "version" in problems
    assert "cell 3: metadata ['execution', 'scrolled']" in problems


def test_stripping_makes_it_clean_and_keeps_the_code(tmp_path: Path) -> None:
    path = saved_by_jupyterlab(tmp_path / "a.ipynb")
    assert precommit.strip_notebook(path)
    assert precommit.notebook_problems(path) == []
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert ["".join(c["source"]) for c in nb["cells"]] == ["# 标题", "year = 2022", "print(year)"]
    assert nb["cells"][1]["metadata"] == {"tags": ["parameters"]}
    assert not precommit.strip_notebook(path)  # a clean notebook is left byte for byte


def test_the_projects_notebooks_are_stored_clean(tmp_path: Path) -> None:
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        assert precommit.notebook_problems(nb) == []
        copy = shutil.copy2(nb, tmp_path / nb.name)
        assert not precommit.strip_notebook(Path(copy)), nb.name


def test_a_notebook_without_its_parameters_cell_is_refused(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "x", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("year = 2022")]
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert (
        "exactly one cell tagged 'parameters', has 0"
        in precommit.notebook_problems(tmp_path / "b.ipynb")[0]
    )


def test_large_files_are_named_with_their_size(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_bytes(b"x" * (1024 * 1024 + 1))
    (tmp_path / "small.csv").write_bytes(b"x" * 1000)
    found = precommit.large_files([tmp_path / "big.csv", tmp_path / "small.csv"], max_kb=1024)
    assert found == [f"{tmp_path / 'big.csv'}: 1024 KB > 1024 KB"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_hook_checks_what_is_staged(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy2(REPO / "pyproject.toml", tmp_path)  # ruff's settings
    (tmp_path / "ok.py").write_text("x = 1\n")
    subprocess.run(["git", "add", "ok.py"], cwd=tmp_path, check=True)
    assert precommit.pre_commit(tmp_path) == 0
    saved_by_jupyterlab(tmp_path / "run.ipynb")
    (tmp_path / "bad.py").write_text("import os\n")  # unused import: ruff F401
    subprocess.run(["git", "add", "run.ipynb", "bad.py"], cwd=tmp_path, check=True)
    assert precommit.pre_commit(tmp_path) == 1
    assert [p.name for p in precommit.staged_files(tmp_path)] == ["bad.py", "ok.py", "run.ipynb"]
