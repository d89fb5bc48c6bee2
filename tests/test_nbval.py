"""An executed notebook, opened from its page, runs again from its own folder and gives the same
outputs, checked cell by cell with nbval (what an analyst relies on when re-running a result)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.env.envsetup import KERNEL_NAME
from analysis.paths import ROOT_ENV

pytestmark = [pytest.mark.notebooks]

NOTEBOOK = "05_annual_review.ipynb"  # the summary: every leader-facing number passes through it


def nbval(notebook: Path, root: Path) -> subprocess.CompletedProcess[str]:
    """pytest --nbval on ``notebook`` from its own folder, the project being ``root``."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", notebook.name, "-q", "-p", "no:cacheprovider",
         "--nbval-kernel-name", KERNEL_NAME],
        cwd=notebook.parent,
        env={**os.environ, ROOT_ENV: str(root)},
        capture_output=True,
        text=True,
    )  # fmt: skip


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root)  # re-running writes the same files: not into the shared build
    return root


def test_the_executed_summary_reproduces_its_outputs(project: Path) -> None:
    done = nbval(project / "reports" / NOTEBOOK, project)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout


def test_a_changed_output_is_found(project: Path) -> None:
    """The check compares outputs: a stored number edited by hand makes it fail."""
    path = project / "reports" / NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    edited = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain") or out.get("text")
            if not edited and text and "96.49" in "".join(text):
                joined = "".join(text).replace("96.49", "69.49")
                if "data" in out:
                    out["data"]["text/plain"] = joined
                else:
                    out["text"] = joined
                edited = True
    assert edited, "no stored output of the summary shows the headline level"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    done = nbval(path, project)
    assert done.returncode != 0 and "failed" in done.stdout
