"""One notebook, in a worker process: papermill into its staging folder, then its two pages.

:func:`execute` never raises: a failing cell or a kernel that died come back as an
:class:`Outcome`, and :func:`describe_failure` names the cell (as the kept notebook shows it)
and the line that raised.

**Pages in the background.** :func:`execute` returns as soon as the notebook has run; its two
pages are rendered by the worker's page thread (:mod:`analysis.build.page_thread`) while the
runner starts the notebooks that read its outputs.

Stopping: the runner sends SIGTERM to the worker processes (their ids come from
:func:`worker_started`). While a notebook runs, nbclient's own handlers shut its kernel down and
the notebook ends as failed; an idle worker just exits.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import dataclasses
import multiprocessing
import multiprocessing.util
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.build import engine, forking, kernels, page_thread
from analysis.build.page_thread import Pages, collect_pages
from analysis.build.plan import report_files
from analysis.env.envsetup import KERNEL_NAME
from analysis.paths import STAGING_ENV

STOP_WAIT_SECONDS = 30.0  # how long stopping notebooks may take before their workers are killed


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    notebook: str
    staging: str
    parameters: dict[str, Any]
    cwd: str
    allow_enterprise_tables: bool = False
    warm_next: bool = False  # more notebooks will come: start this worker's next spare kernel
    pages: str = ""  # the folder its pages are rendered into, in the background (see module)


@dataclasses.dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    seconds: float
    cell_index: int | None = None
    exec_count: int | None = None
    ename: str = ""
    evalue: str = ""
    line: str = ""


# the worker process ---------------------------------------------------------------------------
_WORKER_BUSY = False
_SPARE: kernels.SpareKernel | None = None  # this worker's next kernel (see analysis.build.kernels)
_WARM_MODULES: list[str] = []
_KERNEL_LOG: Path | None = None  # where spare kernels write their start-up chatter
_FORK_SERVER: str | None = None  # the build's fork server (analysis.build.forking), if any
_KILLED: list[Any] = []  # kernels of finished notebooks, killed, their clean-up due


def _worker_signal(signum: int, frame: Any) -> None:
    """In a worker: while a notebook runs, stop it like Ctrl-C; when idle, just exit (quietly:
    no traceback of a worker waiting for work), killing the spare kernel first."""
    if _SPARE is not None:
        kernels.kill(_SPARE.km)
    if _WORKER_BUSY:
        raise KeyboardInterrupt
    os._exit(128 + signum)


def _drop_spare() -> None:
    global _SPARE
    if _SPARE is not None:
        _SPARE.shut_down()
        _SPARE = None
    _clean_up_killed()


def _end_kernel(km: Any) -> None:
    """Kill a notebook's kernel as its notebook ends, leaving the clean-up (waiting for the
    process, removing its connection file) to :func:`_clean_up_killed`: the runner waits for
    the notebook's outcome, and an orderly shutdown took 0.1-0.3 s of it."""
    kernels.kill(km)
    _KILLED.append(km)


def _clean_up_killed() -> None:
    """Shut down the kernels killed by :func:`_end_kernel`, at the next notebook's end and at
    the worker's exit. Not at the next notebook's start: a forked kernel counts as exited only
    once the fork server has reaped it (it looks every 0.2 s), and that wait would be on the
    critical path."""
    while _KILLED:
        kernels.shut_down(_KILLED.pop())


def _start_spare(cwd: str) -> None:
    """Start this worker's spare kernel; a failure only means the next notebook starts its own."""
    global _SPARE
    try:
        _SPARE = kernels.SpareKernel(cwd, _WARM_MODULES, _KERNEL_LOG, _FORK_SERVER)
    except Exception:
        _SPARE = None


def worker_started(
    pids: Any,
    cwd: str | None = None,
    warm_modules: list[str] | None = None,
    kernel_log: str | None = None,
    lang: str = "zh",
    warm: bool = False,
    template_cache: str | None = None,
    fork_server: str | None = None,
) -> None:
    """Worker initializer: tell the runner this worker's process id (``pids``: a queue the
    runner reads when it must stop the workers), and stop on SIGINT/SIGTERM. While a kernel
    runs, nbclient's own SIGINT/SIGTERM handlers take over and shut the kernel down first.
    With ``cwd`` (the notebooks' folder), start a spare kernel warmed with ``warm_modules``
    and load the tools every notebook needs (papermill, nbconvert) while the runner checks
    the run's parameters. ``template_cache``: where the pages' compiled templates are kept
    (:func:`analysis.build.pages.bytecode_cache`). ``fork_server``: the address kernels are
    forked from (:mod:`analysis.build.forking`); without it they start from scratch."""
    global _WARM_MODULES, _KERNEL_LOG, _FORK_SERVER
    atexit.register(exit_without_teardown)  # handlers registered after it run before it
    signal.signal(signal.SIGTERM, _worker_signal)
    signal.signal(signal.SIGINT, _worker_signal)
    if pids is not None:
        pids.put(os.getpid())
    cache = Path(template_cache) if template_cache else None
    _FORK_SERVER = fork_server
    if cwd is not None:
        _WARM_MODULES = list(warm_modules or [])
        _KERNEL_LOG = Path(kernel_log) if kernel_log else None
        if warm:
            _start_spare(cwd)  # for the first notebook; the others' start beside a notebook
        multiprocessing.util.Finalize(None, _drop_spare, exitpriority=10)
        import papermill  # noqa: F401  (the first job needs it at once)
    # the page templates compile in the background, while the first notebook runs (its kernel
    # does the work; this process mostly waits for messages)
    page_thread.start(lang if cwd is not None else None, cache)


def exit_without_teardown(code: int = 0) -> None:
    """End the process now that its work is done and its files are closed: flush the standard
    streams and skip the interpreter's teardown. A process that loaded pandas, matplotlib and
    nbconvert spends ~0.3 s of CPU unloading them on exit, and the runner waits for its workers,
    so that teardown was on every build's wall time. Exit handlers registered after this one
    (by what the jobs imported) have run when it is called; logging's, registered earlier, is
    called here."""
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


@contextlib.contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Send the kernel's start-up chatter (inherited file descriptor 2) to a log file, so the
    terminal shows one line per notebook; errors still come back through papermill."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


# the pool, in the runner's process --------------------------------------------------------
class Workers:
    """The worker processes that run notebooks, started on first use, with their process ids
    (each worker reports its own at start), so a stop can reach them.

    One single-process pool per worker, so the runner knows which worker holds a warm spare
    kernel and gives it the next notebook it submits (the runner submits in pipeline order, so
    the critical path gets it): at start the first worker warms one (the first notebook's), and
    the others too when kernels are forked (a forked spare costs ~0.3 s of CPU, a started one
    ~1.3 s beside the first notebook); a worker whose job said more notebooks will come
    (``Job.warm_next``) has one afterwards.
    """

    def __init__(
        self,
        jobs: int,
        cwd: str | None = None,
        notebooks: list[Path] | None = None,
        kernel_log: Path | None = None,
        lang: str = "zh",
        template_cache: Path | None = None,
    ) -> None:
        self.jobs = jobs
        self.cwd = cwd  # with it, workers keep a spare kernel (analysis.build.kernels)
        self.notebooks = notebooks or []  # the spares import what all of these import
        self.kernel_log = kernel_log
        self.lang = lang  # the pages' language (their templates are compiled ahead)
        self.template_cache = str(template_cache) if template_cache else None
        self.pools: list[cf.ProcessPoolExecutor] = []
        self._jobs: list[cf.Future[Outcome] | None] = []
        self._warm: list[bool] = []
        self._ran_on: dict[str, int] = {}  # notebook -> the worker that ran it (has its pages)
        self._context = multiprocessing.get_context("spawn")
        self._pids: Any = None
        self._modules: list[str] = []
        self._known: set[int] = set()
        self.fork_server: forking.ForkServer | None = None

    def start(self, workers: int | None = None) -> None:
        """Start worker processes now (``workers`` of them, at most ``jobs``; all by default),
        e.g. before a check that precedes the first notebook, so they start while it runs. The
        first one warms the first notebook's spare kernel. :meth:`submit` starts another when
        every started worker is busy."""
        wanted = self.jobs if workers is None else max(1, min(workers, self.jobs))
        if len(self.pools) >= wanted:
            return
        if self._pids is None:
            if self.kernel_log is not None:
                self.kernel_log.parent.mkdir(parents=True, exist_ok=True)
            self._pids = self._context.SimpleQueue()
            self._modules = kernels.common_modules(self.notebooks) if self.cwd else []
            if self.cwd is not None:
                self.fork_server = forking.ForkServer.start(
                    KERNEL_NAME, self.cwd, kernels.modules_in_order(self.notebooks),
                    self.kernel_log,
                )  # fmt: skip
        log = str(self.kernel_log) if self.kernel_log else None
        address = self.fork_server.address if self.fork_server else None
        for i in range(len(self.pools), wanted):
            warm = self.cwd is not None and (i == 0 or self.fork_server is not None)
            pool = cf.ProcessPoolExecutor(
                1,
                mp_context=self._context,
                initializer=worker_started,
                initargs=(
                    self._pids,
                    self.cwd,
                    self._modules,
                    log,
                    self.lang,
                    warm,
                    self.template_cache,
                    address,
                ),
            )
            pool.submit(os.getpid)  # a pool starts its process on its first task
            self.pools.append(pool)
            self._jobs.append(None)
            self._warm.append(warm)

    def _idle(self) -> list[int]:
        """Workers with no notebook running."""
        return [i for i, f in enumerate(self._jobs) if f is None or f.done()]

    def submit(self, job: Job, waiting: int = 0) -> cf.Future[Outcome]:
        """Run ``job`` on an idle worker, one with a spare kernel if there is one. ``waiting``:
        notebooks still to be submitted after it; the worker warms its next spare beside the
        job only if the other workers' spares are fewer."""
        if not self.pools:
            self.start()
        idle = self._idle()
        if not idle and len(self.pools) < self.jobs:
            self.start(len(self.pools) + 1)
            idle = self._idle()
        if not idle:
            raise RuntimeError("no idle worker: the runner submits at most `jobs` notebooks")
        i = next((i for i in idle if self._warm[i]), idle[0])
        others = sum(w for k, w in enumerate(self._warm) if k != i)
        job = dataclasses.replace(job, warm_next=self.cwd is not None and waiting > others)
        future = self.pools[i].submit(execute, job)
        self._jobs[i], self._warm[i] = future, job.warm_next
        self._ran_on[job.name] = i
        return future

    def collect_pages(self, name: str) -> cf.Future[Pages]:
        """The pages of a notebook that ran, from the worker that rendered them (a task queued
        after that worker's current notebook, if any)."""
        try:
            return self.pools[self._ran_on[name]].submit(collect_pages, name)
        except Exception as exc:  # that worker died (a broken pool refuses new tasks)
            lost: cf.Future[Pages] = cf.Future()
            lost.set_exception(exc)
            return lost

    def pids(self) -> set[int]:
        while self._pids is not None and not self._pids.empty():
            self._known.add(self._pids.get())
        return set(self._known)

    def stop(self, running: dict[cf.Future[Outcome], str]) -> None:
        """Stop the running notebooks (their kernels shut down), then the worker processes."""
        if not self.pools:
            return
        pids = self.pids()
        _signal(pids, signal.SIGTERM)
        if running:
            cf.wait(running, timeout=STOP_WAIT_SECONDS)
        _signal(pids, getattr(signal, "SIGKILL", signal.SIGTERM))
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)
        self._stop_fork_server()

    def shutdown(self) -> None:
        """Stop every worker and wait for them, all at once: a worker takes ~0.3 s to exit (its
        interpreter unloads nbconvert, pandas, …), and one after the other that is on the
        command's wall time."""
        stoppers = [
            threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True})
            for pool in self.pools
        ]
        if self.fork_server is not None:
            stoppers.append(threading.Thread(target=self._stop_fork_server))
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join()

    def _stop_fork_server(self) -> None:
        server, self.fork_server = self.fork_server, None
        if server is not None:
            server.stop()


def _signal(pids: set[int], signum: int) -> None:
    for pid in sorted(pids):
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.kill(pid, signum)


# one notebook ---------------------------------------------------------------------------------
def execute(job: Job) -> Outcome:
    """Run one notebook into its staging folder and render its pages; never raises. The
    worker's spare kernel runs it when there is one; the next spare starts right away when
    more notebooks are to come (``job.warm_next``)."""
    global _WORKER_BUSY, _SPARE
    _WORKER_BUSY = True
    spare, _SPARE = (
        (_SPARE, None) if _SPARE is not None and _SPARE.cwd == job.cwd else (None, _SPARE)
    )
    km = spare.handed_over(job.staging) if spare is not None else None
    if km is None and _FORK_SERVER:  # started by nbclient, forked all the same
        km = kernels.kernel_manager(_FORK_SERVER)
    if job.warm_next and _SPARE is None:
        _start_spare(job.cwd)
    try:
        return _execute(job, km)
    finally:
        _clean_up_killed()  # the previous notebook's kernel, reaped long since: at once
        if km is not None:
            _end_kernel(km)
        _WORKER_BUSY = False


@contextlib.contextmanager
def _output_root(staging: str) -> Iterator[None]:
    """The kernel started inside writes to ``staging`` (``$ANALYSIS_STAGING``, read by
    :meth:`analysis.paths.Paths.for_run`), while its ``output_dir`` parameter stays the run's."""
    old = os.environ.get(STAGING_ENV)
    os.environ[STAGING_ENV] = staging
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(STAGING_ENV, None)
        else:
            os.environ[STAGING_ENV] = old


def readable_parameters() -> None:
    """papermill writes string parameters with ``\\u`` escapes (``county = "\\u66f2..."``);
    write them as JSON string literals, which are Python string literals too, keeping Chinese
    as Chinese in the executed notebook."""
    import json

    from papermill.translators import PythonTranslator, papermill_translators

    class Readable(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val: Any) -> str:
            if isinstance(str_val, str):
                return json.dumps(str_val, ensure_ascii=False)
            return super().translate_escaped_str(str_val)

    papermill_translators.register("python", Readable)


def portable_metadata(target: Path, job: Job) -> None:
    """papermill records where it read and wrote the notebook as absolute paths, the output one
    in the staging folder; record them as a reader finds them: the notebook relative to the
    project folder, the executed notebook relative to the output folder."""
    import nbformat

    if not target.is_file():
        return
    nb = nbformat.read(target, as_version=4)
    meta = nb.metadata.get("papermill")
    if meta is None:
        return
    meta["input_path"] = Path(os.path.relpath(job.notebook, Path(job.cwd).parent)).as_posix()
    meta["output_path"] = report_files(job.name)[0]
    nbformat.write(nb, target)


def _execute(job: Job, km: Any = None) -> Outcome:
    start = time.perf_counter()
    target = Path(job.staging) / report_files(job.name)[0]
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        readable_parameters()
        try:
            with _stderr_to(Path(job.staging) / ".kernel-stderr.log"), _output_root(job.staging):
                papermill.execute_notebook(
                    job.notebook,
                    str(target),
                    parameters=job.parameters,
                    kernel_name=KERNEL_NAME,
                    cwd=job.cwd,
                    progress_bar=False,
                    engine_name=engine.register(),  # saves at start, on failure, at the end
                    **({"km": km} if km is not None else {}),
                )
            portable_metadata(target, job)
        except PapermillExecutionError as exc:
            portable_metadata(target, job)
            return Outcome(
                job.name,
                False,
                time.perf_counter() - start,
                cell_index=exc.cell_index,
                exec_count=exc.exec_count,
                ename=exc.ename,
                evalue=exc.evalue,
                line=failing_line(exc.traceback or [], exc.source or ""),
            )
        page_thread.queue_pages(job.name, target, Path(job.staging), Path(job.pages),
                                str(job.parameters.get("lang", "zh")),
                                job.allow_enterprise_tables)  # fmt: skip
    except Exception as exc:  # a kernel that died: reported, not raised
        return Outcome(
            job.name, False, time.perf_counter() - start, ename=type(exc).__name__, evalue=str(exc)
        )
    return Outcome(job.name, True, time.perf_counter() - start)


# describing a failure -------------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ARROW = re.compile(r"^-+>\s*(\d+)\s?(.*)$")


def failing_line(traceback: list[str], source: str) -> str:
    """The line of the cell that raised, from IPython's traceback (``----> 2 raise ...``)."""
    for block in traceback:
        for line in _ANSI.sub("", block).splitlines():
            m = _ARROW.match(line.strip())
            if m:
                return f"line {m.group(1)}: {m.group(2).strip()}"
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return f"cell begins: {first}" if first else ""


def describe_failure(o: Outcome) -> str:
    """Name the failing cell as the kept notebook shows it (In [n]) and the line that raised."""
    where = ""
    if o.cell_index is not None:
        where = f"cell {o.cell_index}" + (f" (In [{o.exec_count}])" if o.exec_count else "") + ": "
    text = f"{where}{o.ename}: {o.evalue}".strip()
    return text + (f"\n       > {o.line[:120]}" if o.line else "")
