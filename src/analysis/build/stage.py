"""Staging: each notebook writes into its own copy of the output folder, and only what it was
declared to write is kept (:mod:`analysis.build.pending`) after it succeeded.

A staging folder (``reports/.staging/<name>``) is pre-filled with a copy of the processed tables
and figures as the notebook must see them: the files in place, or the staged outputs of the
notebooks that ran before it in this build. The notebook receives it as its output folder.
Afterwards the files it created or rewrote (or removed) are found by comparing (inode, mtime,
size) with the snapshot taken when the folder was filled.
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


def view(paths: Paths, folder: str, staged: Path | None = None) -> dict[str, Path]:
    """Path (relative to the output folder) -> file, for every file under ``folder`` as the
    build sees it: in place, or staged (``staged`` replaces its namesakes)."""
    seen: dict[str, Path] = {}
    for base in (paths.out, *([staged] if staged else [])):
        for p in files_under(base / folder):
            seen[p.relative_to(base).as_posix()] = p
    return dict(sorted(seen.items()))


def stage(paths: Paths, name: str, staged: Path | None = None) -> tuple[Path, Snapshot]:
    """A fresh staging output folder holding a copy of the tables and figures of the view."""
    staging = staging_root(paths) / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    snapshot: Snapshot = {}
    for folder in STAGED_FOLDERS:
        for rel, src in view(paths, folder, staged).items():
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


def removed_files(staging: Path, snapshot: Snapshot) -> list[str]:
    """Files of the snapshot that are gone from the staging folder."""
    return sorted(rel for rel in snapshot if not (staging / rel).is_file())


def undeclared_writes(step: Step, written: Iterable[str]) -> list[str]:
    if not step.declared:
        return []
    own = set(report_files(step.name))
    rxs = [glob_regex(w) for w in step.writes]
    return [w for w in written if w not in own and not any(rx.match(w) for rx in rxs)]


def declared_outputs(
    step: Step, paths: Paths, also: Iterable[str] = (), staged: Path | None = None
) -> dict[str, str]:
    """sha256 of every existing output of a notebook (declared globs, reports, extra files),
    as the build sees them (``staged`` first, then in place)."""
    rxs = [glob_regex(w) for w in step.writes]
    rels = set(report_files(step.name)) | set(also)
    for folder in STAGED_FOLDERS:
        rels |= {rel for rel in view(paths, folder, staged) if any(rx.match(rel) for rx in rxs)}
    where = {r: _located(paths, r, staged) for r in sorted(rels)}
    return {r: file_sha256(p) for r, p in where.items() if p.is_file()}


def _located(paths: Paths, rel: str, staged: Path | None) -> Path:
    if staged is not None and (staged / rel).is_file():
        return staged / rel
    return paths.out / rel
