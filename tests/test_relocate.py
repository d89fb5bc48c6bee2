"""A project folder copied with its ``.venv`` builds itself, never the folder it came from.

``cp -a project project-2023 && cd project-2023 && make report`` used to rebuild the *old*
folder (the project root came from where the editable install pointed). Here the project is
copied with its ``.venv`` hard-linked (as ``cp -al`` would, so it costs no disk), one notebook
of the copy is broken, and ``make report`` in the copy must repair the ``.venv``, run the
copy's broken notebook in the copy's kernel, fail, and leave the original folder untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.env import envsetup
from analysis.paths import ROOT_ENV, project_root

OUTPUTS = ("data/processed", "figures", "reports", "runs")


def venv_files(venv: Path) -> dict[str, str]:
    """sha256 of the files a relocation may touch, in the original .venv."""
    files = [
        *sorted((venv / "bin").iterdir()),
        venv / "pyvenv.cfg",
        *sorted((venv / "share" / "jupyter" / "kernels").rglob("*")),
        *sorted((venv / "lib").glob("python*/site-packages/__editable__*")),
        *sorted((venv / "lib").glob("python*/site-packages/analysis-*.dist-info/*")),
    ]
    return {
        str(p.relative_to(venv)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.is_file() and not p.is_symlink()
    }


def copy_project(src: Path, dst: Path) -> Path:
    """The project's files (no outputs, no git), and its .venv hard-linked file by file."""
    never = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info")

    def skip(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(src).as_posix()
        outputs = {n for n in names if f"{rel}/{n}".removeprefix("./") in OUTPUTS}
        return set(never(folder, names)) | outputs

    shutil.copytree(src, dst, ignore=skip, symlinks=True)
    shutil.copytree(src / ".venv", dst / ".venv", symlinks=True, copy_function=os.link)
    return dst


def break_notebook(path: Path, code: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    at = next(
        i
        for i, c in enumerate(nb["cells"])
        if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    cell = {"cell_type": "code", "execution_count": None, "id": "broken", "metadata": {}}
    nb["cells"].insert(at + 1, {**cell, "outputs": [], "source": [code]})
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.notebooks
def test_a_copied_folder_builds_itself(repo: Path, tmp_path: Path) -> None:
    if not (repo / ".venv" / "bin" / "python").exists() or shutil.which("make") is None:
        pytest.skip("needs the project's .venv (make setup) and make")
    before = venv_files(repo / ".venv")
    outputs_before = {
        p: p.stat().st_mtime_ns for f in OUTPUTS for p in (repo / f).rglob("*") if p.is_file()
    }
    copy = copy_project(repo, tmp_path / "project-2023")
    assert envsetup.foreign_venv(copy) == repo.resolve()
    break_notebook(
        copy / "notebooks" / "01_ingest.ipynb",
        "import sys, analysis\nraise RuntimeError(f'ran in {sys.prefix} with {analysis.__file__}')",
    )
    env = {k: v for k, v in os.environ.items() if k not in {"ANALYSIS_ROOT", "VIRTUAL_ENV"}}
    run = subprocess.run(
        ["make", "report"], cwd=copy, env=env, capture_output=True, text=True, timeout=600
    )

    log = run.stdout + run.stderr
    assert run.returncode != 0, log
    assert f"was copied from {repo.resolve()}" in log  # make repaired the .venv first
    # the copy's notebook ran, in the copy's kernel, importing the copy's code
    copy_venv, copy_src = copy.resolve() / ".venv", copy.resolve() / "src" / "analysis"
    assert f"RuntimeError: ran in {copy_venv} with {copy_src}/__init__.py" in log
    assert "[FAIL] 01_ingest" in log
    assert (copy / "reports" / "failed" / "01_ingest.ipynb").is_file()
    assert envsetup.foreign_venv(copy) is None
    assert envsetup.environment_is_current(copy)

    # the original folder and its .venv are exactly as they were (shared files were replaced
    # in the copy, never rewritten in place)
    assert venv_files(repo / ".venv") == before
    assert envsetup.foreign_venv(repo) is None
    outputs_after = {
        p: p.stat().st_mtime_ns for f in OUTPUTS for p in (repo / f).rglob("*") if p.is_file()
    }
    assert outputs_after == outputs_before
    kernel = copy / ".venv" / "share" / "jupyter" / "kernels" / envsetup.KERNEL_NAME
    assert json.loads((kernel / "kernel.json").read_text())["argv"][0] == str(
        copy_venv / "bin" / "python"
    )


# the pieces, without a kernel ------------------------------------------------------------------
def test_the_root_is_the_nearest_folder_with_this_projects_pyproject(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    project = tmp_path / "project-2023"
    inner = project / "reports" / "html"
    inner.mkdir(parents=True)
    shutil.copy2(repo / "pyproject.toml", project / "pyproject.toml")
    (project / "reports" / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert project_root(inner) == project.resolve()  # another project's pyproject is skipped
    monkeypatch.chdir(inner)
    assert project_root() == project.resolve()
    monkeypatch.setenv(ROOT_ENV, str(repo))
    assert project_root() == repo.resolve()  # ANALYSIS_ROOT wins
    monkeypatch.delenv(ROOT_ENV)
    with pytest.raises(FileNotFoundError, match="Cannot find the project folder"):
        project_root(tmp_path)


def fake_venv(root: Path) -> Path:
    """The files of a .venv that name their folder, as venv, pip and ipykernel write them."""
    venv = root / ".venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    dist = site / "analysis-0.1.0.dist-info"
    kernel = venv / "share" / "jupyter" / "kernels" / envsetup.KERNEL_NAME
    for folder in (venv / "bin", dist, kernel):
        folder.mkdir(parents=True)
    (venv / "bin" / "jupyter").write_text(f"#!{venv}/bin/python\nimport sys\n")
    (venv / "bin" / "activate").write_text(f'VIRTUAL_ENV="{venv}"\nexport VIRTUAL_ENV\n')
    (venv / "pyvenv.cfg").write_text(f"home = /usr/bin\ncommand = python -m venv {venv}\n")
    (kernel / "kernel.json").write_text(json.dumps({"argv": [f"{venv}/bin/python", "-m", "x"]}))
    (site / "__editable__.analysis-0.1.0.pth").write_text(f"{root}/src\n")
    (dist / "direct_url.json").write_text(json.dumps({"url": root.as_uri()}))
    (dist / "RECORD").write_text(
        "__editable__.analysis-0.1.0.pth,sha256=old,19\nanalysis-0.1.0.dist-info/RECORD,,\n"
    )
    return venv


def test_relocating_a_hard_linked_venv_leaves_the_original_alone(tmp_path: Path) -> None:
    old, new = tmp_path / "project", tmp_path / "project-2023"
    venv = fake_venv(old)
    originals = {p: p.read_bytes() for p in venv.rglob("*") if p.is_file()}
    shutil.copytree(venv, new / ".venv", copy_function=os.link)
    assert envsetup.made_for(new / ".venv") == old  # from bin/activate: no marker yet
    assert envsetup.foreign_venv(new) == old

    rewritten = envsetup.relocate(new, old)

    assert {p.name for p in rewritten} == {
        "jupyter", "activate", "pyvenv.cfg", "kernel.json", "__editable__.analysis-0.1.0.pth",
        "direct_url.json",
    }  # fmt: skip
    copy = new.resolve() / ".venv"
    assert (copy / "bin" / "jupyter").read_text().startswith(f"#!{copy}/bin/python\n")
    site = copy / "lib" / "python3.11" / "site-packages"
    pth = site / "__editable__.analysis-0.1.0.pth"
    assert pth.read_text() == f"{new.resolve()}/src\n"
    record = (site / "analysis-0.1.0.dist-info" / "RECORD").read_text()
    assert record.startswith("__editable__.analysis-0.1.0.pth,sha256=") and ",26\n" not in record
    assert f",{pth.stat().st_size}\n" in record
    assert {p: p.read_bytes() for p in originals} == originals  # nothing shared was rewritten
    assert all(p.stat().st_nlink == 1 for p in rewritten)
