"""Part ``env`` of the bench: what the environment costs a fresh machine.

``python -m venv`` and ``pip install -r requirements.lock`` into a temporary folder (pip's cache
allowed, as a user who has installed before would have it), timed apart, then the size of the
result: disk usage (what ``du`` shows), apparent bytes, files, and the largest packages, so a
reader sees what the ~GB is made of.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import core


def _run(cmd: list[str], cwd: Path) -> dict[str, Any]:
    import resource

    def cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    c0, t0 = cpu(), time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    out: dict[str, Any] = {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": cpu() - c0,
        "rc": p.returncode,
    }
    if p.returncode:
        lines = [ln for ln in p.stderr.splitlines() if not ln.startswith("WARNING: Location")]
        out["error"] = "\n".join(lines)[-400:]
    return out


def largest_packages(site: Path, top: int = 8) -> list[dict[str, Any]]:
    """The biggest top-level entries of site-packages (disk usage), largest first."""
    sizes = []
    for entry in site.iterdir():
        if entry.name.endswith((".dist-info", ".pth")) or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            size = core.tree_bytes(entry)["disk_bytes"]
        else:
            size = entry.stat().st_blocks * 512
        sizes.append({"name": entry.name, "disk_bytes": size})
    return sorted(sizes, key=lambda s: (-s["disk_bytes"], s["name"]))[:top]


def lock_count(lock: Path) -> int:
    return sum(
        1
        for ln in lock.read_text(encoding="utf-8").splitlines()
        if "==" in ln and not ln.lstrip().startswith("#")
    )


def measure_environment(source: Path, tmp: Path) -> dict[str, Any]:
    """A fresh ``.venv`` from the lock in ``tmp``: creation and install timed, then its size."""
    venv = tmp / "fresh-venv"
    lock = source / "requirements.lock"
    steps = {"venv": _run([sys.executable, "-m", "venv", str(venv)], tmp)}
    if steps["venv"]["rc"] == 0:
        steps["install"] = _run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(lock)],
            tmp,
        )
    site = next(iter((venv / "lib").glob("python*/site-packages")), None)
    return {
        "steps": steps,
        "total_s": sum(s["seconds"] for s in steps.values()),
        "pinned": lock_count(lock),
        "size": core.tree_bytes(venv) if venv.is_dir() else {},
        "largest": largest_packages(site) if site else [],
    }
