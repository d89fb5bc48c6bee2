"""Stale or not, by content: what a notebook's result depends on, hashed, and the record of the
last good build (``reports/.build-state.json`` in the run's output folder).

A notebook's digest covers the sha256 of the notebook file, its declaration, the run's values of
the parameters its ``parameters`` cell declares, every file it reads, and the code of
``src/analysis``. The digest is taken when the notebook is due (after the notebooks it depends on
finished), so an upstream rebuild that writes the same bytes does not ripple downstream. A
notebook whose recorded outputs are missing or were changed by hand is rebuilt too.

Standard library only, so a build with nothing to do finishes before pandas could be imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.build.plan import (
    OUTPUT_PREFIXES,
    Step,
    glob_regex,
    has_wildcard,
    literal_prefix,
    notebook_parameters,
)
from analysis.io import atomic_open
from analysis.params import RunParams
from analysis.paths import Paths

STATE_FILE = ".build-state.json"
STATE_VERSION = 1
STAGED = "staged"  # a result kept from an earlier build that failed as a whole


# content digests ------------------------------------------------------------------------------
def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def code_digest(package: Path | None = None) -> str:
    """One digest of the installed ``analysis`` package (what the kernel runs): its modules,
    templates and style files; compiled caches excluded."""
    package = package or Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(package.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix == ".pyc":
            continue
        h.update(p.relative_to(package).as_posix().encode() + b"\0" + file_sha256(p).encode())
    return h.hexdigest()


class Hasher:
    """sha256 of files, cached by (size, mtime, inode) within one build."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
        if key not in self._cache:
            self._cache[key] = file_sha256(path)
        return self._cache[key]


def sha_json(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def digest_of(parts: dict[str, str]) -> str:
    return sha_json(parts)


# what a notebook reads --------------------------------------------------------------------------
def _resolve(
    pattern: str, paths: Paths, params: RunParams, staged: Path | None
) -> tuple[list[Path], str, str]:
    """(folders to look in, glob relative to them, key prefix) for a read pattern. A pattern in
    the output folder is looked up in the staged files too (they replace their namesakes)."""
    pattern = pattern.format(internal_data_dir=params.internal_data_dir.rstrip("/"))
    if Path(pattern).is_absolute():
        bases, rel, key = [Path("/")], pattern.lstrip("/"), "/"
    elif pattern.startswith(OUTPUT_PREFIXES):
        bases, rel, key = [paths.out, *([staged] if staged else [])], pattern, "out:"
    else:
        bases, rel, key = [paths.root], pattern, ""
    lit = literal_prefix(rel)
    folder = lit.rsplit("/", 1)[0] if "/" in lit else ""
    subs = [b / folder if folder else b for b in bases]
    return subs, rel[len(folder) + 1 :] if folder else rel, key + (folder + "/" if folder else "")


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def expand(
    pattern: str, paths: Paths, params: RunParams, staged: Path | None = None
) -> dict[str, Path]:
    """Files matching a read pattern, keyed by a stable name (``out:`` for the output folder).

    A literal path that does not exist yields a key with no file, so its appearance later
    changes the digest. Hidden files (temporary files of atomic writes, staging) are skipped.
    ``staged``: a folder of outputs not yet in place, which replace their namesakes.
    """
    bases, rel, key = _resolve(pattern, paths, params, staged)
    if not has_wildcard(rel):
        found_at = next((b / rel for b in reversed(bases) if (b / rel).exists()), bases[0] / rel)
        if not found_at.is_dir():
            return {key + rel: found_at}
        rel = rel.rstrip("/") + "/**"
    rx = glob_regex(rel)
    found: dict[str, Path] = {}
    for base in bases:
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in filenames:
                full = Path(dirpath) / f
                r = full.relative_to(base).as_posix()
                if not _hidden(r) and rx.match(r):
                    found[key + r] = full
    return dict(sorted(found.items()))


def inputs_of(
    step: Step,
    paths: Paths,
    params: RunParams,
    code: str,
    own_outputs: Iterable[str] = (),
    hasher: Hasher | None = None,
    staged: Path | None = None,
) -> tuple[dict[str, str], dict[str, Any]]:
    """The components of a notebook's digest (name -> sha256), and what they were made of
    (each file read with its sha256, the parameters' values), so a change can be named."""
    hasher = hasher or Hasher()
    own = set(own_outputs)
    write_rx = [glob_regex(w) for w in step.writes]
    values = notebook_parameters(step.notebook, params)
    parts = {
        "notebook": hasher(step.notebook),
        "declaration": sha_json({"reads": step.reads, "writes": step.writes}),
        "parameters": sha_json(values),
        "code": code,
    }
    reads: dict[str, str] = {}
    for pattern in step.reads:
        for key, file in expand(pattern, paths, params, staged).items():
            rel = key.removeprefix("out:")
            if key.startswith("out:") and (rel in own or any(rx.match(rel) for rx in write_rx)):
                continue  # its own outputs are not its inputs
            reads[key] = hasher(file) if file.is_file() else "missing"
    parts["reads"] = sha_json(reads)
    return parts, {"reads": reads, "parameters": values}


# the record of the last good build -------------------------------------------------------------
def state_path(paths: Paths) -> Path:
    return paths.reports / STATE_FILE


def read_state(paths: Paths) -> dict[str, Any]:
    try:
        with open(state_path(paths), encoding="utf-8") as fh:
            state = json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        return {"version": STATE_VERSION, "steps": {}}
    if state.get("version") != STATE_VERSION:
        return {"version": STATE_VERSION, "steps": {}}
    return state


def write_state(paths: Paths, state: dict[str, Any]) -> None:
    with atomic_open(state_path(paths), "w", encoding="utf-8") as fh:
        fh.write(json.dumps(state, indent=1, sort_keys=True) + "\n")


def stale_reason(
    entry: dict[str, Any] | None,
    parts: dict[str, str],
    paths: Paths,
    hasher: Hasher,
    inputs: dict[str, Any] | None = None,
) -> str | None:
    """Why the notebook must run, or None when it is up to date. ``inputs`` (from
    :func:`inputs_of`) names the files and parameters that changed."""
    if not entry:
        return "never built"
    changed = [k for k, v in parts.items() if entry.get("parts", {}).get(k) != v]
    if changed:
        return "changed: " + ", ".join(_what_changed(k, entry, inputs) for k in changed)
    for rel, sha in sorted(entry.get("outputs", {}).items()):
        p = paths.out / rel
        if not p.is_file():
            return f"output missing: {rel}"
        if hasher(p) != sha:
            return f"output changed by hand: {rel}"
    return None


def _what_changed(part: str, entry: dict[str, Any], inputs: dict[str, Any] | None) -> str:
    """``reads (data/raw/x.csv)``, ``parameters (county)``: the part, and what in it changed
    when both the last build and this one recorded it."""
    before = (entry.get("inputs") or {}).get(part)
    now = (inputs or {}).get(part)
    if not isinstance(before, dict) or not isinstance(now, dict):
        return part
    keys = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    if not keys:
        return part
    names = [k.removeprefix("out:") for k in keys]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{part} ({shown})"


def verdict(
    entry: dict[str, Any] | None,
    staged: dict[str, Any] | None,
    parts: dict[str, str],
    inputs: dict[str, Any],
    staged_intact: bool,
    paths: Paths,
    hasher: Hasher,
    force: bool = False,
) -> str | None:
    """The runner's decision for one notebook: :data:`STAGED` when its result staged by a build
    that failed still holds (same digest, files intact), else why it must run, else None (up to
    date against the last good build)."""
    if not force and staged and staged.get("parts") == parts and staged_intact:
        return STAGED
    return "forced" if force else stale_reason(entry, parts, paths, hasher, inputs)
