"""Create the project environment from nothing: ``.venv`` from the pinned lock, the package
installed editable, and the named Jupyter kernel registered.

A ``.venv`` knows which project folder it was made for (``.venv/.analysis-root``). One copied
along with its folder (``cp -a project project-2023``, or hard-linked with ``cp -al``) still
points at the old folder: its scripts' ``#!`` lines, ``bin/activate``, the kernel the notebooks
run in, and the editable install (which would import the *old* folder's code). ``setup`` notices
and repairs it in place of reinstalling everything. A repaired file is always a new file moved
over the old name, never rewritten in place: in a hard-linked copy the old file is shared with
the original folder, which must stay exactly as it was.

Standard library only: this runs under the system Python before any dependency exists
(``make setup`` calls ``PYTHONPATH=src python3.11 -m analysis setup``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.paths import project_root

KERNEL_NAME = "county-sti"
KERNEL_DISPLAY = "County S&T analysis (Python 3.11)"
LOCK_FILE = "requirements.lock"
STAMP_NAME = ".analysis-env.sha256"
ROOT_MARKER = ".analysis-root"  # in .venv: the project folder it was made for
PACKAGE = "analysis"


def repo_root() -> Path:
    """The project folder (the working directory's, or ``$ANALYSIS_ROOT``)."""
    return project_root()


def venv_dir(root: Path | None = None) -> Path:
    return (root or repo_root()) / ".venv"


def venv_python(root: Path | None = None) -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return venv_dir(root) / sub


def _scripts(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


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
    """The lock was installed into this folder's ``.venv``, and the ``.venv`` is this folder's."""
    root = root or repo_root()
    stamp = stamp_path(root)
    return (
        stamp.is_file()
        and stamp.read_text().strip() == lock_digest(root)
        and made_for(venv_dir(root)) == root.resolve()
    )


# which folder a .venv belongs to ---------------------------------------------------------------
def made_for(venv: Path) -> Path | None:
    """The project folder ``venv`` was made for: its marker, else the ``VIRTUAL_ENV`` line of
    its activate script (a ``.venv`` from before the marker existed); None if unknown."""
    marker = venv / ROOT_MARKER
    if marker.is_file():
        text = marker.read_text(encoding="utf-8").strip()
        return Path(text) if text else None
    activate = _scripts(venv) / "activate"
    if activate.is_file():
        for line in activate.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line.startswith("VIRTUAL_ENV="):
                value = line.split("=", 1)[1].strip().strip("'\"")
                return Path(value).parent if value else None
    return None


def foreign_venv(root: Path) -> Path | None:
    """The other folder this ``.venv`` was copied from, or None when it is this folder's own."""
    venv = venv_dir(root)
    if not venv.is_dir():
        return None
    home = made_for(venv)
    if home is None or home == root.resolve():
        return None
    return home


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file moved over ``path`` (keeping its permissions): a file shared
    by hard links with another folder is left unchanged there."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


BINARY_SUFFIXES = (".exe", ".dll", ".pyd", ".so")  # never patched: lengths are baked in


def relocate(root: Path, old_root: Path) -> list[Path]:
    """Make a ``.venv`` copied from ``old_root`` this folder's own; return the files rewritten.

    Scripts, ``pyvenv.cfg``, the activate scripts and the kernel spec name the old ``.venv``;
    the editable install (``__editable__*.pth``, ``direct_url.json``) names the old folder. Each
    is rewritten (as a new file), and the package's ``RECORD`` gets their new hashes, as pip
    would have written them. No network and no pip: a copy repairs itself offline.
    """
    root, venv = root.resolve(), venv_dir(root).resolve()
    old_venv = old_root / ".venv"
    texts = [
        *sorted(_scripts(venv).iterdir()),
        venv / "pyvenv.cfg",
        *sorted((venv / "share" / "jupyter" / "kernels").rglob("*.json")),
    ]
    rewritten = _rewrite(texts, str(old_venv).encode(), str(venv).encode())
    for site in _site_packages(venv):
        editable = [*site.glob(f"__editable__*{PACKAGE}*"), *site.glob(f"{PACKAGE}*.egg-link")]
        rewritten += _rewrite(editable, str(old_root).encode(), str(root).encode())
        for dist in site.glob(f"{PACKAGE}-*.dist-info"):
            url = _rewrite([dist / "direct_url.json"], old_root.as_uri().encode(),
                           root.as_uri().encode())  # fmt: skip
            rewritten += url
            _update_record(dist / "RECORD", site, [p for p in rewritten if p.exists()])
    return rewritten


def _rewrite(files: list[Path], old: bytes, new: bytes) -> list[Path]:
    done = []
    for p in files:
        if not p.is_file() or p.is_symlink() or p.suffix.lower() in BINARY_SUFFIXES:
            continue
        data = p.read_bytes()
        if old in data:
            replace_file(p, data.replace(old, new))
            done.append(p)
    return done


def _update_record(record: Path, site: Path, changed: list[Path]) -> None:
    """Give the rewritten files of an installed package their new sha256 and size in RECORD."""
    if not record.is_file():
        return
    fresh = {}
    for p in changed:
        digest = base64.urlsafe_b64encode(hashlib.sha256(p.read_bytes()).digest()).rstrip(b"=")
        fresh[Path(os.path.relpath(p, site)).as_posix()] = (digest.decode(), p.stat().st_size)
    lines = []
    for line in record.read_text(encoding="utf-8").splitlines():
        name = line.rsplit(",", 2)[0]
        if name in fresh:
            digest, size = fresh[name]
            line = f"{name},sha256={digest},{size}"
        lines.append(line)
    replace_file(record, ("\n".join(lines) + "\n").encode("utf-8"))


def _site_packages(venv: Path) -> list[Path]:
    if os.name == "nt":
        return [venv / "Lib" / "site-packages"]
    return sorted((venv / "lib").glob("python*/site-packages"))


def _write_text(path: Path, text: str) -> None:
    replace_file(path, text.encode("utf-8"))


# set-up ------------------------------------------------------------------------------------------
def _run(cmd: list[object]) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True)


def _pip(py: Path, *args: object) -> None:
    _run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args])


def _install_package(py: Path, root: Path) -> None:
    """The package, editable: the kernel imports this folder's ``src/analysis``."""
    _pip(py, "--no-deps", "-e", root)


def _register_kernel(py: Path) -> None:
    _run([py, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
          "--display-name", KERNEL_DISPLAY])  # fmt: skip


def setup(root: Path | None = None, force: bool = False) -> Path:
    """Create or update ``.venv`` so it matches the lock file and this folder; return its
    python."""
    root = (root or repo_root()).resolve()
    if sys.version_info[:2] != (3, 11):
        print(
            f"warning: the lock is pinned for Python 3.11, this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
    py = venv_python(root)
    old = foreign_venv(root)
    if old is not None and py.exists():
        print(f"{venv_dir(root)} was copied from {old}: making it this folder's own", flush=True)
        rewritten = relocate(root, old)
        print(f"  {len(rewritten)} files now name {root} (scripts, kernel, editable install)")
        _write_text(venv_dir(root) / ROOT_MARKER, f"{root}\n")
    if not force and environment_is_current(root) and py.exists():
        marker = venv_dir(root) / ROOT_MARKER
        if not marker.is_file():  # a .venv from before the marker: say whose it is
            _write_text(marker, f"{root}\n")
        print(f"environment up to date ({venv_dir(root)})")
        return py
    if not py.exists():
        _run([sys.executable, "-m", "venv", venv_dir(root)])
    _pip(py, "-r", root / LOCK_FILE)
    _install_package(py, root)
    _register_kernel(py)
    _write_text(venv_dir(root) / ROOT_MARKER, f"{root}\n")
    _write_text(stamp_path(root), lock_digest(root) + "\n")
    print(f"environment ready: {venv_dir(root)}")
    return py
