"""The checks run before a commit (``make hooks`` installs them; ``.pre-commit-config.yaml``
runs the same ones for users of the pre-commit tool): ruff on the changed code and notebooks,
notebooks stored clean, no large file.

Why these: a notebook committed with outputs carries numbers of one run into the history (and
makes every diff unreadable); kernel metadata that JupyterLab adds (the Python patch version, a
user's own kernel name) makes notebooks differ between machines for nothing; a large file in git
is forever. Standard library only, so the hook starts fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.build.hygiene import has_outputs, load_notebook, parameters_cells
from analysis.env.envsetup import KERNEL_DISPLAY, KERNEL_NAME
from analysis.io import atomic_open

MAX_FILE_KB = 1024
# what a notebook of this project may carry: the project's kernel and the language's name
NOTEBOOK_METADATA = {"kernelspec", "language_info"}
LANGUAGE_INFO = {"name"}
CELL_METADATA = {"tags"}


def notebook_problems(path: Path) -> list[str]:
    """What is wrong with a notebook as stored, one line each (empty when it is clean)."""
    nb = load_notebook(path)
    problems = []
    if has_outputs(nb):
        problems.append("stored with outputs or execution counts")
    if len(parameters_cells(nb)) != 1:
        problems.append(
            f"needs exactly one cell tagged 'parameters', has {len(parameters_cells(nb))}"
        )
    meta = nb.get("metadata", {})
    if extra := sorted(set(meta) - NOTEBOOK_METADATA):
        problems.append(f"notebook metadata {extra} (only kernelspec and language_info are kept)")
    if (name := meta.get("kernelspec", {}).get("name")) != KERNEL_NAME:
        problems.append(f"kernel {name!r}: choose the project's kernel {KERNEL_NAME!r}")
    if extra := sorted(set(meta.get("language_info", {})) - LANGUAGE_INFO):
        problems.append(f"language_info {extra} (machine-specific; only its name is kept)")
    for i, cell in enumerate(nb.get("cells", []), 1):
        if extra := sorted(set(cell.get("metadata", {})) - CELL_METADATA):
            problems.append(f"cell {i}: metadata {extra} (only tags are kept)")
    return [f"{path}: {p}" for p in problems]


def stripped(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook as it is stored: no outputs or execution counts, only the metadata kept
    above (the project's kernel is set, so a notebook saved under another kernel runs under
    the project's)."""
    meta = nb.get("metadata", {})
    language = {k: v for k, v in meta.get("language_info", {}).items() if k in LANGUAGE_INFO}
    kept = {k: v for k, v in meta.items() if k in NOTEBOOK_METADATA}
    kept["kernelspec"] = {
        "display_name": KERNEL_DISPLAY,
        "language": "python",
        "name": KERNEL_NAME,
    }
    kept["language_info"] = language or {"name": "python"}
    cells = []
    for cell in nb.get("cells", []):
        cell = {**cell, "metadata": {k: v for k, v in cell.get("metadata", {}).items()
                                     if k in CELL_METADATA}}  # fmt: skip
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    return {**nb, "metadata": kept, "cells": cells}


def strip_notebook(path: Path) -> bool:
    """Store ``path`` clean (written the way nbformat writes, so a clean notebook is unchanged
    byte for byte); True when it changed."""
    before = path.read_text(encoding="utf-8")
    after = json.dumps(stripped(json.loads(before)), indent=1, sort_keys=True, ensure_ascii=False)
    after += "\n"
    if after == before:
        return False
    with atomic_open(path) as fh:
        fh.write(after)
    return True


def large_files(paths: Iterable[Path], max_kb: int = MAX_FILE_KB) -> list[str]:
    """Files over ``max_kb``: data belongs in data/raw with its source (and under the limit) or
    outside git; a generated file belongs in .gitignore."""
    return [
        f"{p}: {p.stat().st_size // 1024} KB > {max_kb} KB"
        for p in paths
        if p.is_file() and p.stat().st_size > max_kb * 1024
    ]


def staged_files(root: Path) -> list[Path]:
    """Files added, copied or modified in the index (what the commit will hold)."""
    out = subprocess.run(
        ["git", "diff", "--cached", "--name-only", "--diff-filter=ACM", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [root / name for name in out.split("\0") if name]


def ruff_commands(files: list[Path]) -> list[list[str]]:
    code = [str(p) for p in files if p.suffix in {".py", ".ipynb"}]
    if not code:
        return []
    ruff = [sys.executable, "-m", "ruff"]
    return [
        [*ruff, "check", "--force-exclude", *code],
        [*ruff, "format", "--check", "--force-exclude", *code],
    ]


def pre_commit(root: Path, files: list[Path] | None = None) -> int:
    """Every check on ``files`` (default: the staged ones); 0 when all pass."""
    files = staged_files(root) if files is None else files
    problems = large_files(files)
    problems += [line for p in files if p.suffix == ".ipynb" for line in notebook_problems(p)]
    for line in problems:
        print(line, file=sys.stderr)
    rc = 1 if problems else 0
    for cmd in ruff_commands(files):
        rc |= subprocess.run(cmd, cwd=root).returncode
    if rc:
        print(
            "pre-commit: fix the above (notebooks: `python -m analysis hygiene strip <file>`; "
            "code: `ruff format <file>` / `ruff check --fix <file>`), then commit again",
            file=sys.stderr,
        )
    return rc
