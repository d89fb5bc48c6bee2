"""All or nothing: the outputs of the notebooks that succeeded stay staged until the whole build
has succeeded, and then move into place together.

``reports/.pending/`` of the run's output folder holds them:

* ``files/<path>`` — each new or changed output (tables, figures, executed notebooks, pages), at
  its path relative to the output folder; files whose bytes equal the current ones are not kept.
* ``steps.json`` — for each notebook in there, the state entry it will have once committed (its
  digest parts and outputs) and the files it staged.

What a later notebook reads is the *view*: a staged file where there is one, else the file in
place. A failed build leaves the output folder as it was and keeps ``.pending``; the next build
reuses a staged notebook whose digest still matches instead of running it again, and drops one
whose inputs changed. Committing writes a journal first (``commit.json``: every move and the new
state), then moves the files and writes the state file; a commit cut short (power loss) is
finished by the next build before anything else, so the output folder is never left half old,
half new.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.build.state import file_sha256, write_state
from analysis.io import atomic_open
from analysis.paths import Paths

PENDING = ".pending"
STEPS_FILE = "steps.json"
JOURNAL = "commit.json"
PAGES_DUE = "pages_due"  # in a notebook's entry: staged, its pages not yet


class Pending:
    """The staged outputs of notebooks that succeeded, not yet in place."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.dir = paths.reports / PENDING
        self.files = self.dir / "files"
        self.steps: dict[str, dict[str, Any]] = _read_json(self.dir / STEPS_FILE).get("steps", {})

    def staged(self) -> set[str]:
        """Paths (relative to the output folder) of every staged file."""
        return {rel for e in self.steps.values() for rel in e.get("staged", ())}

    # notebooks ------------------------------------------------------------------------------
    def add(self, name: str, staging: Path, written: Iterable[str], entry: dict[str, Any]) -> None:
        """Stage a notebook's new or changed files (moved from its staging folder)."""
        self.drop(name, save=False)
        self.steps[name] = {**entry, "staged": self._keep(staging, written)}
        self.save()

    def add_pages(
        self, name: str, folder: Path, written: Iterable[str], entry: dict[str, Any]
    ) -> None:
        """Stage a notebook's pages, rendered after its other outputs were staged
        (:mod:`analysis.build.page_thread`), and update its entry; until then it has
        :data:`PAGES_DUE` and is not :meth:`intact`."""
        staged = [*self.steps[name]["staged"], *self._keep(folder, written)]
        self.steps[name] = {**self.steps[name], **entry, "staged": sorted(staged)}
        self.steps[name].pop(PAGES_DUE, None)
        self.save()

    def _keep(self, folder: Path, written: Iterable[str]) -> list[str]:
        kept = []
        for rel in written:
            src, current = folder / rel, self.paths.out / rel
            if current.is_file() and file_sha256(src) == file_sha256(current):
                continue
            dst = self.files / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            kept.append(rel)
        return sorted(kept)

    def drop(self, name: str, save: bool = True) -> None:
        """Forget a notebook's staged result (its inputs changed, or it runs again)."""
        entry = self.steps.pop(name, None)
        if entry is None:
            return
        for rel in entry.get("staged", ()):
            (self.files / rel).unlink(missing_ok=True)
        if save:
            self.save()

    def entry(self, name: str) -> dict[str, Any] | None:
        return self.steps.get(name)

    def intact(self, name: str) -> bool:
        """Are the notebook's staged files still there, as staged (its pages too)?"""
        entry = self.steps.get(name) or {}
        if entry.get(PAGES_DUE):  # a build stopped before its pages were rendered
            return False
        outputs = entry.get("outputs", {})
        for rel in entry.get("staged", ()):
            p = self.files / rel
            if not p.is_file() or file_sha256(p) != outputs.get(rel):
                return False
        return True

    def save(self) -> None:
        if not self.steps:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.dir / STEPS_FILE, {"steps": self.steps})

    # committing -----------------------------------------------------------------------------
    def commit(
        self,
        state: dict[str, Any],
        extra: dict[str, Path] | None = None,
        removed: Iterable[str] = (),
    ) -> list[str]:
        """Move every staged file (and ``extra``: path -> file, the runner's own outputs) into
        place and write ``state``; return the paths that changed. Journaled: see the module."""
        out = self.paths.out
        moves = {rel: _relative(self.files / rel, out) for rel in sorted(self.staged())}
        moves.update({rel: _relative(p, out) for rel, p in (extra or {}).items()})
        journal = {"moves": moves, "removed": sorted(removed), "state": state}
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.dir / JOURNAL, journal)
        changed = apply_journal(self.paths, journal)
        self.steps = {}
        shutil.rmtree(self.dir, ignore_errors=True)
        return changed


def apply_journal(paths: Paths, journal: dict[str, Any]) -> list[str]:
    """Carry out a commit: move, remove, write the state. Safe to repeat (a move whose source
    is gone was done already)."""
    changed = []
    for rel, src in journal["moves"].items():
        source, target = paths.out / src, paths.out / rel
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            changed.append(rel)
    for rel in journal["removed"]:
        target = paths.out / rel
        if target.is_file():
            target.unlink()
            changed.append(rel)
    write_state(paths, journal["state"])
    return sorted(changed)


def finish_interrupted_commit(paths: Paths) -> bool:
    """A commit cut short is completed (before a new build starts); True if there was one."""
    journal = _read_json(paths.reports / PENDING / JOURNAL)
    if not journal:
        return False
    apply_journal(paths, journal)
    shutil.rmtree(paths.reports / PENDING, ignore_errors=True)
    return True


def _relative(p: Path, out: Path) -> str:
    """A journal names files relative to the output folder (which may be moved meanwhile)."""
    return Path(os.path.relpath(p, out)).as_posix()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
