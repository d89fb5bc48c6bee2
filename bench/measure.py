"""Measuring a command of the benchmark: wall and CPU seconds (the children's too), the
project's environment for a run, and the report command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


# measuring a command ---------------------------------------------------------------------
@dataclasses.dataclass
class Timed:
    seconds: float
    cpu_seconds: float
    rc: int
    output: str


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> Timed:
    """Wall and CPU seconds (user+sys of the whole process tree, kernels included: they are
    waited for by their parents) of one command."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(list(cmd), env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    return Timed(seconds, children_cpu() - cpu0, proc.returncode, proc.stdout + proc.stderr)


def project_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ANALYSIS_ROOT"] = str(root)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet debugger warning in kernels
    return env


def report_cmd(jobs: int) -> list[str]:
    return [sys.executable, "-m", "analysis", "report", "--jobs", str(jobs)]


def say(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def last_error(text: str) -> str:
    """The last line of a failed command's output that names an error (for the log)."""
    lines = [ln for ln in ANSI.sub("", text).strip().splitlines() if ln.strip()]
    hits = [ln for ln in lines if "Error" in ln or "error" in ln]
    return (hits[-1] if hits else lines[-1] if lines else "")[:300]
