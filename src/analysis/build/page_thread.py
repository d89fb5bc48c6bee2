"""A worker's page thread: the two pages of each notebook the worker ran, rendered while the
runner has already started the notebooks that read its outputs.

A notebook's outputs are all that the notebooks after it read, so
:func:`analysis.build.execute.execute` returns as soon as the notebook has run, and the runner
stages them and starts those notebooks at once. The notebook's two pages (~0.6-1.2 s of CPU,
nbconvert's) are made meanwhile here, from copies of what they are made of in the job's
``pages`` folder (the runner moves the staged files away as soon as the outcome arrives), while
the worker's next notebook runs in its kernel. One thread per worker renders them in order
(nbconvert's exporters are kept per process). :func:`collect_pages`, a later task on the same
worker, waits for a notebook's pages and says how it went (:class:`Pages`); a page that could
not be rendered fails its notebook then, before anything is committed
(:meth:`analysis.build.runner.Build._stage_pages`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import shutil
import threading
from pathlib import Path

from analysis.build import pages
from analysis.build.plan import report_files

INDUSTRY_TABLE = "data/processed/industry_monthly.csv"  # names the enterprises (disclosure)


@dataclasses.dataclass(frozen=True)
class Pages:
    """How a notebook's two pages went (:func:`collect_pages`): its title, or the error."""

    name: str
    ok: bool
    title: str = ""
    error: str = ""


@dataclasses.dataclass(frozen=True)
class _PageJob:
    name: str
    executed: Path  # a copy of the executed notebook, in ``folder``
    folder: Path  # the pages go to <folder>/reports/html(-code)/<name>.html
    lang: str
    industry: Path | None  # a copy of the staged industry table: its enterprises are protected


_JOBS: queue.Queue[_PageJob] = queue.Queue()  # for the page thread, in order
_DONE: dict[str, Pages] = {}
_CHANGED = threading.Condition()
_THREAD: threading.Thread | None = None
_TEMPLATE_CACHE: Path | None = None  # compiled page templates, shared by workers and builds


def start(lang: str | None = None, template_cache: Path | None = None) -> None:
    """Start this worker's page thread (once). With ``lang``, it first compiles the templates
    (:func:`analysis.build.pages.warm_up`), while the worker's first notebook runs.
    ``template_cache``: see :func:`analysis.build.pages.bytecode_cache`."""
    global _THREAD, _TEMPLATE_CACHE
    if _THREAD is not None:
        return
    _TEMPLATE_CACHE = template_cache
    _THREAD = threading.Thread(target=_render_forever, args=(lang,), daemon=True, name="pages")
    _THREAD.start()


def queue_pages(
    name: str, executed: Path, staging: Path, folder: Path, lang: str, allow_enterprise_tables: bool
) -> None:
    """Have the pages of ``name`` rendered into ``folder``, from copies of the executed notebook
    and (unless the run allows enterprise tables) of the staged industry table that names the
    enterprises a leaders' page may not show."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / executed.name
    shutil.copyfile(executed, copy)
    industry, industry_copy = staging / INDUSTRY_TABLE, None
    if not allow_enterprise_tables and industry.is_file():
        industry_copy = folder / industry.name
        shutil.copyfile(industry, industry_copy)
    start()
    _JOBS.put(_PageJob(name, copy, folder, lang, industry_copy))


def collect_pages(name: str) -> Pages:
    """A worker task: wait for the pages of ``name`` (rendered by this worker's page thread)."""
    with _CHANGED:
        while name not in _DONE:
            if _THREAD is None or not _THREAD.is_alive():
                return Pages(name, False, error="no page thread in this worker")
            _CHANGED.wait(timeout=1.0)
        return _DONE.pop(name)


def _render_forever(lang: str | None) -> None:
    if lang is not None:
        cache = str(_TEMPLATE_CACHE) if _TEMPLATE_CACHE else None
        with contextlib.suppress(Exception):  # only a head start: rendering compiles them anyway
            pages.warm_up(lang, cache)
    while True:
        job = _JOBS.get()
        result = _render(job)
        with _CHANGED:
            _DONE[job.name] = result
            _CHANGED.notify_all()


def _render(job: _PageJob) -> Pages:
    """Both editions of a notebook's page; never raises (an error is the result)."""
    _, html, html_code = report_files(job.name)
    try:
        protected = _protected(job.industry)
        title = pages.render_notebook(
            job.executed, job.folder / html, code=False, lang=job.lang, protected=protected,
            template_cache=_TEMPLATE_CACHE,
        )  # fmt: skip
        pages.render_notebook(job.executed, job.folder / html_code, code=True, lang=job.lang,
                              template_cache=_TEMPLATE_CACHE)  # fmt: skip
    except Exception as exc:
        return Pages(job.name, False, error=f"{type(exc).__name__}: {exc}")
    finally:
        for copy in (job.executed, job.industry):
            if copy is not None:
                copy.unlink(missing_ok=True)
    return Pages(job.name, True, title=title)


def _protected(industry: Path | None) -> list[str]:
    from analysis.disclosure import named_enterprises_in  # pandas: here, not on the way out

    return [] if industry is None else named_enterprises_in(industry)
