"""Create the project environment from nothing: ``.venv`` from the pinned lock, the package
installed editable, and the named Jupyter kernel registered.

Standard library only: this runs under the system Python before any dependency exists
(``make setup`` calls ``PYTHONPATH=src python3.11 -m analysis setup``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

KERNEL_NAME = "county-sti"
KERNEL_DISPLAY = "County S&T analysis (Python 3.11)"
LOCK_FILE = "requirements.lock"
STAMP_NAME = ".analysis-env.sha256"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def venv_dir(root: Path | None = None) -> Path:
    return (root or repo_root()) / ".venv"


def venv_python(root: Path | None = None) -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return venv_dir(root) / sub


def lock_digest(root: Path | None = None) -> str:
    """Hash of what defines the environment: the lock file and the package metadata."""
    root = root or repo_root()
    h = hashlib.sha256()
    for name in (LOCK_FILE, "pyproject.toml"):
        h.update((root / name).read_bytes())
    return h.hexdigest()


def stamp_path(root: Path | None = None) -> Path:
    return venv_dir(root) / STAMP_NAME


def environment_is_current(root: Path | None = None) -> bool:
    stamp = stamp_path(root)
    return stamp.is_file() and stamp.read_text().strip() == lock_digest(root)


def _run(cmd: list[str]) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True)


def _pip(py: Path, *args: object) -> None:
    _run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args])


def setup(root: Path | None = None, force: bool = False) -> Path:
    """Create or update ``.venv`` so it matches the lock file; return its python."""
    root = root or repo_root()
    if sys.version_info[:2] != (3, 11):
        print(
            f"warning: the lock is pinned for Python 3.11, this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
    py = venv_python(root)
    if not force and environment_is_current(root) and py.exists():
        print(f"environment up to date ({venv_dir(root)})")
        return py
    if not py.exists():
        _run([sys.executable, "-m", "venv", venv_dir(root)])
    _pip(py, "-r", root / LOCK_FILE)
    _pip(py, "--no-deps", "-e", root)
    _run(
        [
            py,
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            KERNEL_NAME,
            "--display-name",
            KERNEL_DISPLAY,
        ]
    )
    stamp_path(root).write_text(lock_digest(root) + "\n")
    print(f"environment ready: {venv_dir(root)}")
    return py
