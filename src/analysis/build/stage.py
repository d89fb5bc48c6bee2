"""Staging: each notebook writes into its own copy of the output folder, and only what it was
declared to write is moved into place after it succeeded.

A staging folder (``reports/.staging/<name>``) is pre-filled with a copy of the current processed
tables and figures; the notebook receives it as its output folder. Afterwards the files it
created or rewrote are found by comparing (inode, mtime, size) with the snapshot taken when the
folder was filled.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from analysis.build.plan import Step, glob_regex, report_files
from analysis.build.state import file_sha256
from analysis.paths import Paths

STAGING = ".staging"
STAGED_FOLDERS = ("data/processed", "figures")

Snapshot = dict[str, tuple[int, int, int]]


def _stat_key(p: Path) -> tuple[int, int, int]:
    st = p.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def files_under(folder: Path) -> Iterable[Path]:
    """Every file below ``folder``, hidden files and folders left out."""
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for f in filenames:
                if not f.startswith("."):
                    yield Path(dirpath) / f


def staging_root(paths: Paths) -> Path:
    return paths.reports / STAGING


def stage(paths: Paths, name: str) -> tuple[Path, Snapshot]:
    """A fresh staging output folder holding a copy of the current tables and figures."""
    staging = staging_root(paths) / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    snapshot: Snapshot = {}
    for folder in STAGED_FOLDERS:
        for src in files_under(paths.out / folder):
            rel = src.relative_to(paths.out).as_posix()
            dst = staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            snapshot[rel] = _stat_key(dst)
    return staging, snapshot


def touched_files(staging: Path, snapshot: Snapshot) -> list[str]:
    """Files the notebook created or rewrote in its staging folder (outputs of the runner too)."""
    out = []
    for p in files_under(staging):
        rel = p.relative_to(staging).as_posix()
        if snapshot.get(rel) != _stat_key(p):
            out.append(rel)
    return sorted(out)


def undeclared_writes(step: Step, written: Iterable[str]) -> list[str]:
    if not step.declared:
        return []
    own = set(report_files(step.name))
    rxs = [glob_regex(w) for w in step.writes]
    return [w for w in written if w not in own and not any(rx.match(w) for rx in rxs)]


def commit(staging: Path, out: Path, written: Iterable[str]) -> None:
    """Move each new or changed file into the output folder (atomic per file)."""
    for rel in written:
        src, dst = staging / rel, out / rel
        if dst.is_file() and file_sha256(src) == file_sha256(dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)


def declared_outputs(step: Step, paths: Paths, also: Iterable[str] = ()) -> dict[str, str]:
    """sha256 of every existing output of a notebook (declared globs, reports, extra files)."""
    rxs = [glob_regex(w) for w in step.writes]
    rels = set(report_files(step.name)) | set(also)
    for folder in STAGED_FOLDERS:
        for p in files_under(paths.out / folder):
            rel = p.relative_to(paths.out).as_posix()
            if any(rx.match(rel) for rx in rxs):
                rels.add(rel)
    return {r: file_sha256(paths.out / r) for r in sorted(rels) if (paths.out / r).is_file()}
