"""The peers of ``make report`` in the bench: ploomber's serial and parallel executors.

Ploomber is what an analyst might pick instead of the runner, so the bench measures it on the
same notebooks in the same run. It lives in its own temporary virtual environment (never in the
project's lock): ``pip install ploomber`` into ``<tmp>/ploomber-venv``, with pip's cache as a
user would have it. Its kernels are the project's own (``county-sti``, found through
``JUPYTER_PATH``), with BLAS threads pinned as for the runner, and it renders each notebook to
HTML without input, like the nbconvert baseline. The notebooks declare no ``upstream``, so the
dependencies of ``notebooks/pipeline.yaml`` are written into ploomber's spec
(``extract_upstream: false``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

EXECUTORS = ("serial", "parallel")
PEER_DIR = "peer-ploomber"  # products and specs inside the project copy


def ploomber_spec(
    names: Sequence[str], deps: Mapping[str, set[str]], executor: str, jobs: int
) -> str:
    """A ``pipeline.yaml`` for ploomber: one notebook task per notebook, its product the HTML
    page without input (ploomber executes with papermill, then converts), upstream from the
    project's declared dependencies. Paths are relative to the spec, inside ``PEER_DIR``."""
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, not {executor!r}")
    lines = ["meta:", "  extract_upstream: false", "  extract_product: false"]
    if executor == "parallel":
        lines += [
            "executor:",
            "  dotted_path: ploomber.executors.Parallel",
            f"  processes: {jobs}",
        ]
    else:
        lines += ["executor: serial"]
    lines += ["tasks:"]
    for name in names:
        up = sorted(deps.get(name, ()))
        lines += [
            f"  - source: ../notebooks/{name}.ipynb",
            f"    name: {name}",
            f"    product: {executor}/{name}.html",
            "    static_analysis: disable",
            "    nbconvert_export_kwargs:",
            "      exclude_input: true",
        ]
        if up:
            lines.append(f"    upstream: [{', '.join(up)}]")
    return "\n".join(lines) + "\n"


def install(venv: Path, timeout: float = 900) -> dict[str, Any]:
    """A virtual environment with ploomber (pip's cache allowed). Returns its python, or the
    reason it could not be made (e.g. the registry cannot give ploomber)."""
    py = venv / "bin" / "python"
    if not py.is_file():
        made = subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True
        )
        if made.returncode:
            return {"ok": False, "error": made.stderr.strip()[-300:]}
    try:
        pip = subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", "ploomber"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"pip install ploomber took over {timeout:.0f} s"}
    if pip.returncode:
        lines = [ln for ln in pip.stderr.splitlines() if not ln.startswith("WARNING: Location")]
        return {"ok": False, "error": "\n".join(lines)[-400:]}
    version = subprocess.run(
        [str(py), "-c", "import ploomber; print(ploomber.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {"ok": True, "python": str(py), "version": version}


def write_specs(
    root: Path, names: Sequence[str], deps: Mapping[str, set[str]], jobs: int
) -> dict[str, Path]:
    folder = root / PEER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    specs = {}
    for ex in EXECUTORS:
        spec = folder / f"pipeline.{ex}.yaml"
        spec.write_text(ploomber_spec(names, deps, ex, jobs), encoding="utf-8")
        specs[ex] = spec
    return specs


def peer_env(env: Mapping[str, str], project_venv: Path) -> dict[str, str]:
    """The bench's environment (BLAS threads already pinned by ``python -m analysis``) with the
    project's kernel visible to ploomber's papermill."""
    out = dict(env)
    share = str(project_venv / "share" / "jupyter")
    out["JUPYTER_PATH"] = share + (":" + out["JUPYTER_PATH"] if out.get("JUPYTER_PATH") else "")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        out[var] = "1"
    out.setdefault("PLOOMBER_STATS_ENABLED", "false")  # no telemetry calls inside the timing
    return out


def build_cmd(python: str, spec: Path) -> list[str]:
    ploomber = str(Path(python).parent / "ploomber")
    return [ploomber, "build", "--entry-point", str(spec)]


def clear(root: Path, executor: str) -> None:
    """Remove one executor's products and their metadata (a cold build for ploomber)."""
    import shutil

    shutil.rmtree(root / PEER_DIR / executor, ignore_errors=True)
