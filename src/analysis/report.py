"""Run the notebooks with the run parameters (papermill) and collect their outputs.

Each notebook receives only the parameters its ``parameters`` cell declares, with the values of
the run's parameters file. Executed notebooks go to ``reports/``; the per-notebook figure
manifests are merged into ``figures/manifest.csv``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from .envsetup import KERNEL_NAME
from .hygiene import parameter_defaults
from .params import RunParams, load_params
from .paths import Paths


def notebook_paths(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))


def notebook_parameters(notebook: Path, params: RunParams) -> dict[str, Any]:
    """The run's values for the names this notebook's parameters cell declares."""
    run = params.as_dict()
    return {k: run[k] for k in parameter_defaults(notebook) if k in run}


def run_notebook(notebook: Path, params: RunParams, paths: Paths) -> Path:
    import papermill

    target = paths.reports / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook),
        str(target),
        parameters=notebook_parameters(notebook, params),
        kernel_name=KERNEL_NAME,
        cwd=str(paths.notebooks),
        progress_bar=False,
    )
    return target


def build(params_file: str | None = None, jobs: int = 1, force: bool = False) -> int:
    """Run every notebook in order; return a process exit code."""
    from .plotting import merge_manifests

    params = load_params(params_file)
    paths = Paths.for_run(params.output_dir)
    for nb in notebook_paths(paths):
        start = time.perf_counter()
        print(f"[run ] {nb.name}", flush=True)
        try:
            run_notebook(nb, params, paths)
        except Exception as exc:  # papermill names the failing cell in its message
            print(f"[FAIL] {nb.name}: {exc}", file=sys.stderr, flush=True)
            return 1
        print(f"[done] {nb.name} ({time.perf_counter() - start:.1f} s)", flush=True)
    merge_manifests(paths.figures)
    print(f"reports in {paths.reports}", flush=True)
    return 0
