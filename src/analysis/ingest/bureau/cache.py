"""Parsed releases cached by content, so an unchanged file is never parsed twice.

Key: the file's bytes, its name and folders below the bureau folder (the period and the
revision marker may be written there), the run's county (it picks a county's columns in a table
of places side by side), and the source of the reader's own modules (a change to the reader
makes every entry stale). Entries live in ``<project>/.cache/bureau/`` (outside
every build output; git-ignored) and are written to a temporary file and moved into place, so
two processes filling the cache at once never leave a half-written entry; an unreadable entry
is ignored and the file parsed again. Files that fail to parse are never cached.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import shutil
import tempfile
from pathlib import Path

from analysis.ingest.bureau.body import Release

SUBFOLDER = "bureau"
_READER = ("files", "numbers", "periods", "places", "versions", "grid", "rows", "body", "cache")


@functools.cache
def code_digest() -> str:
    """sha256 of the reader's source (this package's reading modules and the vocabulary)."""
    import analysis.conventions
    import analysis.errors
    import analysis.vocabulary

    here = Path(__file__).parent
    sources = [here / f"{name}.py" for name in _READER] + [
        Path(inspect.getfile(m))
        for m in (analysis.conventions, analysis.errors, analysis.vocabulary)
    ]
    h = hashlib.sha256()
    for path in sources:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def project_cache(root: Path) -> Path:
    """The project's cache folder (``<root>/.cache``), for ``cache=`` of the readers."""
    return Path(root) / ".cache"


def clear_cache(root: Path) -> list[Path]:
    """Delete the parsed releases cached under ``<root>/.cache/bureau`` and return the folders
    removed. Only the cache goes: inputs and build outputs are never touched, and the next run
    parses every file again (same results, slower once). The cache never needs clearing for
    correctness (a changed file or reader misses it); this frees the space."""
    folder = project_cache(root) / SUBFOLDER
    if not folder.is_dir():
        return []
    shutil.rmtree(folder)
    return [folder]


class ReleaseCache:
    """Parsed releases of files, by content; ``folder=None`` caches nothing; ``write=False``
    only reads what is there."""

    def __init__(self, folder: Path | None, write: bool = True) -> None:
        self.folder = Path(folder) / SUBFOLDER if folder is not None else None
        self.write = write

    def _entry(self, path: Path, folders: tuple[str, ...], county: str) -> Path | None:
        if self.folder is None:
            return None
        h = hashlib.sha256(code_digest().encode())
        h.update("/".join((*folders, path.name)).encode() + b"\0")
        h.update(county.encode() + b"\0")
        h.update(path.read_bytes())
        key = h.hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, path: Path, folders: tuple[str, ...], county: str = "") -> list[Release] | None:
        entry = self._entry(path, folders, county)
        if entry is None or not entry.is_file():
            return None
        try:
            releases = pickle.loads(entry.read_bytes())
        except Exception:  # a stale or damaged entry: parse again
            return None
        for rel in releases:
            rel.grid.file = path  # the same bytes may sit elsewhere now
        return releases

    def put(
        self, path: Path, folders: tuple[str, ...], releases: list[Release], county: str = ""
    ) -> None:
        entry = self._entry(path, folders, county) if self.write else None
        if entry is None:
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{entry.name}.", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(releases, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
