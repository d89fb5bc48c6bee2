"""The runner's own outputs, made from every notebook's: the merged figure manifest
(``figures/manifest.csv``), the figure pack (``figures/annual_review/``), the summary PDF
(``reports/annual_review.pdf``) and the office files (``reports/annual_review.docx`` and
``reports/annual_review_tables.xlsx``, :mod:`analysis.office`).

They are made in a staging folder of their own, from the build's view (outputs in place, with
the staged outputs of this build over them), and committed together with the notebooks'
outputs, so a failure here replaces nothing either. pandas (manifest, pack, office files) and
the browser (PDF) are reached only when something is due, so a build with nothing to do stays
fast. The office files are due as the pack is: when a notebook's outputs changed, when the pack
was rebuilt, or when one of them is missing (they read only processed tables and the pack, and
the run parameters that changed re-run the notebooks); a rebuild that gives the same bytes
replaces nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.build import pdf
from analysis.build.plan import HTML_DIR
from analysis.build.stage import removed_files, stage, staging_root, touched_files, view
from analysis.build.state import file_sha256
from analysis.office import DOCX, XLSX
from analysis.params import RunParams
from analysis.paths import Paths

MANIFEST = "figures/manifest.csv"
PACK_DIR = "figures/annual_review/"
PACK_CAPTIONS = f"{PACK_DIR}captions.csv"
SUMMARY_PAGE = f"reports/{HTML_DIR}/{pdf.SUMMARY_NOTEBOOK}.html"
SUMMARY_PDF = f"reports/{pdf.PDF_NAME}"
WRAP_UP = "_shared"  # its staging folder, beside the notebooks' (no notebook starts with _)


Log = Callable[[str, bool], None]  # (message, is it an error)


@dataclasses.dataclass
class Shared:
    """What the shared outputs' step made: files to move into place, files to remove."""

    moves: dict[str, Path] = dataclasses.field(default_factory=dict)
    removed: list[str] = dataclasses.field(default_factory=list)
    ok: bool = True


def _staged_file(staged: Path, out: Path, rel: str) -> Path:
    return staged / rel if (staged / rel).is_file() else out / rel


def make_shared(
    paths: Paths,
    staged: Path,
    changed: bool,
    log: Log,
    params: RunParams | None = None,
    printer: Any = None,
    pages_ready: Callable[[], bool] | None = None,
) -> Shared:
    """Merge the manifests and build the pack when a notebook's outputs changed (``changed``)
    or they are missing; write the office files (given the run's ``params``) when due (see the
    module); print the PDF when the summary page changed or the PDF is missing or older than
    the page (with ``printer``, a browser the runner started ahead). ``pages_ready``: called
    before the summary page is looked at, it stages the pages still being rendered and says
    whether they all were (if not, the build has failed and no PDF is printed). Nothing is
    written in place."""
    result = Shared()
    manifests = [r for r in view(paths, "figures", staged) if r.count("/") == 2]
    manifests = [r for r in manifests if r.endswith("/manifest.csv")]
    merged_missing = not (paths.out / MANIFEST).is_file()
    pack_missing = not (paths.out / PACK_CAPTIONS).is_file()
    folder = None
    if manifests and (changed or merged_missing or pack_missing):
        folder = _figures(paths, staged, result, log)
    if result.ok and params is not None and _office_due(paths, staged, changed, result):
        _office(paths, staged, folder, params, result, log)
    if pages_ready is not None and not pages_ready():
        return result
    page = _staged_file(staged, paths.out, SUMMARY_PAGE)
    current = paths.out / SUMMARY_PDF
    page_new = (staged / SUMMARY_PAGE).is_file()
    stale = current.is_file() and page.is_file() and current.stat().st_mtime_ns < _mtime(page)
    if result.ok and page.is_file() and (page_new or not current.is_file() or stale):

        def find(rel: str) -> Path:  # this build's view: wrap-up, staged, else in place
            return result.moves.get(rel) or _staged_file(staged, paths.out, rel)

        _summary_pdf(paths, page, result, log, find, printer)
    return result


def _mtime(p: Path) -> int:
    return p.stat().st_mtime_ns


def _figures(paths: Paths, staged: Path, result: Shared, log: Log) -> Path | None:
    from analysis.figures.pack import build_pack  # pandas: only when something is due

    folder, snapshot = stage(paths, WRAP_UP, staged)
    try:
        build_pack(Paths(root=paths.root, out=folder))  # merges the manifests first
    except (OSError, ValueError) as exc:
        log(f"[FAIL] figure pack: {exc}", True)
        result.ok = False
        return None
    for rel in touched_files(folder, snapshot):
        current = _staged_file(staged, paths.out, rel)
        if not current.is_file() or file_sha256(current) != file_sha256(folder / rel):
            result.moves[rel] = folder / rel
    result.removed = removed_files(folder, snapshot)
    log("[done] figure pack: figures/annual_review/", False)
    return folder


def _office_due(paths: Paths, staged: Path, changed: bool, result: Shared) -> bool:
    """The office files follow the processed tables and the pack (see the module)."""
    if not (paths.out / PACK_CAPTIONS).is_file() and PACK_CAPTIONS not in result.moves:
        return False  # no pack (a build without figures): nothing to put in the draft
    pack_moved = any(rel.startswith(PACK_DIR) for rel in [*result.moves, *result.removed])
    missing = any(not _staged_file(staged, paths.out, rel).is_file() for rel in (DOCX, XLSX))
    return changed or pack_moved or missing


def _office(
    paths: Paths, staged: Path, folder: Path | None, params: RunParams, result: Shared, log: Log
) -> None:
    """Write the Word draft and the Excel tables from the build's view (the pack's staging
    folder when the pack was just rebuilt) and move in those whose bytes changed."""
    from analysis.office import write_office_files  # pandas, python-docx: only when due

    if folder is None:
        folder, _ = stage(paths, WRAP_UP, staged)
    try:
        written = write_office_files(
            folder, params.county, params.year, params.through_month, params.lang
        )
    except (OSError, ValueError, KeyError) as exc:
        log(f"[FAIL] office files: {type(exc).__name__}: {exc}", True)
        result.ok = False
        return
    for rel in written:
        current = _staged_file(staged, paths.out, rel)
        if not current.is_file() or file_sha256(current) != file_sha256(folder / rel):
            result.moves[rel] = folder / rel
    log(f"[done] office files: {', '.join(written)}", False)


def _summary_pdf(
    paths: Paths,
    page: Path,
    result: Shared,
    log: Log,
    find: Callable[[str], Path],
    printer: Any = None,
) -> None:
    target = staging_root(paths) / WRAP_UP / SUMMARY_PDF
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        what, written = pdf.summary_pdf(page, target, find=find, printer=printer)
    except Exception as exc:  # a browser that failed to start or print
        log(f"[FAIL] summary PDF: {type(exc).__name__}: {exc}", True)
        result.ok = False
        return
    if what == "written" and written is not None:
        result.moves[SUMMARY_PDF] = written
        log(f"[done] summary PDF: {SUMMARY_PDF}", False)
    elif what.startswith("skipped"):
        log(f"[skip] summary PDF: {what.removeprefix('skipped: ')}", False)
