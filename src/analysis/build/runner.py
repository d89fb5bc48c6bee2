"""One ``make report``: plan, run the stale notebooks side by side, commit, write the index.

* **Order**: a notebook runs as soon as the notebooks it reads from have finished
  (:mod:`analysis.build.plan`); whether it must run at all is decided then, by content
  (:mod:`analysis.build.state`).
* **Failure-safe**: each notebook runs in its own staging folder (:mod:`analysis.build.stage`);
  only after it succeeded are its declared outputs, executed notebook and pages moved into
  place. A failing notebook leaves every report, table and figure of the last good build as it
  was; the partly executed notebook, with papermill's error banner, is kept as
  ``reports/failed/<name>.ipynb``.
* **Interrupted** (Ctrl-C, SIGTERM): the runner asks each worker to stop (nbclient shuts its
  kernel down), waits for them (then kills what is left), removes the staging folders and exits
  with 130 (SIGINT) or 143 (SIGTERM) and a message. Moving a finished notebook's outputs into
  place, writing the state file and the index are never cut in half: a signal arriving then is
  acted on right after. The next ``make report`` rebuilds what was interrupted.
* **Other runs**: a parameters file other than the default that leaves ``output_dir`` empty
  writes to ``runs/<file stem>/``, so it never overwrites the default run's outputs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.build import index, pdf
from analysis.build.execute import Job, Outcome, describe_failure, execute, worker_started
from analysis.build.hygiene import parameter_defaults
from analysis.build.plan import (
    FAILED,
    PIPELINE_FILE,
    dependencies,
    load_steps,
    notebook_parameters,
    report_files,
    run_params,
)
from analysis.build.stage import (
    Snapshot,
    commit,
    declared_outputs,
    stage,
    staging_root,
    touched_files,
    undeclared_writes,
)
from analysis.build.state import (
    Hasher,
    code_digest,
    read_state,
    stale_reason,
    step_inputs,
    write_state,
)
from analysis.params import RunParams
from analysis.paths import Paths

STOP_WAIT_SECONDS = 30.0  # how long stopping notebooks may take before their workers are killed


def _log(msg: str, err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _relative(p: Path, root: Path) -> str:
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return str(p)


class Interrupted(Exception):
    """SIGINT or SIGTERM during a build."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Workers:
    """The process pool that runs notebooks, started on first use, with the ids of its worker
    processes (each worker reports its own at start), so a stop can reach them."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: cf.ProcessPoolExecutor | None = None
        self._context = multiprocessing.get_context("spawn")
        self._pids: Any = None
        self._known: set[int] = set()

    def submit(self, job: Job) -> cf.Future[Outcome]:
        if self.pool is None:
            self._pids = self._context.SimpleQueue()
            self.pool = cf.ProcessPoolExecutor(
                self.jobs,
                mp_context=self._context,
                initializer=worker_started,
                initargs=(self._pids,),
            )
        return self.pool.submit(execute, job)

    def pids(self) -> set[int]:
        while self._pids is not None and not self._pids.empty():
            self._known.add(self._pids.get())
        return set(self._known)

    def stop(self, running: dict[cf.Future[Outcome], str]) -> None:
        """Stop the running notebooks (their kernels shut down), then the worker processes."""
        if self.pool is None:
            return
        pids = self.pids()
        _signal(pids, signal.SIGTERM)
        if running:
            cf.wait(running, timeout=STOP_WAIT_SECONDS)
        _signal(pids, getattr(signal, "SIGKILL", signal.SIGTERM))
        self.pool.shutdown(wait=True, cancel_futures=True)

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _signal(pids: set[int], signum: int) -> None:
    for pid in sorted(pids):
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.kill(pid, signum)


class Build:
    """One ``make report``: plan, run, commit; the state file after every notebook."""

    def __init__(self, params: RunParams, jobs: int, force: bool) -> None:
        self.params = params
        self.jobs = max(1, jobs)
        self.force = force
        self.paths = Paths.for_run(params.output_dir)
        self.steps = load_steps(self.paths)
        self.deps = dependencies(self.steps)
        self.state = read_state(self.paths)
        self.hasher = Hasher()
        self.code = code_digest()
        self.status: dict[str, str] = {}
        self.pending_parts: dict[str, dict[str, str]] = {}
        self.snapshots: dict[str, tuple[Path, Snapshot]] = {}
        self.ran = 0
        self._critical = False
        self._deferred: int | None = None

    # signals
    def _on_signal(self, signum: int, frame: Any) -> None:
        if self._critical:
            self._deferred = signum  # acted on when the critical section ends
            return
        raise Interrupted(signum)

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        """SIGINT/SIGTERM raise :class:`Interrupted` in the main thread while the build runs."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, h in old.items():
                signal.signal(s, h)

    @contextlib.contextmanager
    def _uninterrupted(self) -> Iterator[None]:
        """Moving outputs into place and writing state/index: never cut in half by a signal."""
        self._critical = True
        try:
            yield
        finally:
            self._critical = False
        if self._deferred is not None:
            signum, self._deferred = self._deferred, None
            raise Interrupted(signum)

    # planning
    def _due(self, name: str) -> tuple[str | None, dict[str, str]]:
        step = self.steps[name]
        if "output_dir" not in parameter_defaults(step.notebook):
            raise ValueError(
                f"{step.notebook.name}: its parameters cell must declare output_dir (the runner "
                "stages every notebook's outputs and moves them into place after success)"
            )
        entry = self.state["steps"].get(name)
        own = entry.get("outputs", {}) if entry else {}
        parts = step_inputs(step, self.paths, self.params, self.code, own, self.hasher)
        reason = "forced" if self.force else stale_reason(entry, parts, self.paths, self.hasher)
        return reason, parts

    def _job(self, name: str) -> Job:
        staging, snapshot = stage(self.paths, name)
        self.snapshots[name] = (staging, snapshot)
        parameters = notebook_parameters(self.steps[name].notebook, self.params)
        parameters["output_dir"] = _relative(staging, self.paths.root)
        return Job(name, str(self.steps[name].notebook), str(staging), parameters,
                   str(self.paths.notebooks),
                   bool(self.params.allow_enterprise_tables))  # fmt: skip

    # results
    def _fail(self, name: str, message: str, staging: Path | None) -> None:
        self.status[name] = "failed"
        _log(f"[FAIL] {name}: {message}", err=True)
        kept = staging / report_files(name)[0] if staging else None
        if kept is not None and kept.is_file():
            failed = self.paths.reports / FAILED / f"{name}.ipynb"
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(kept, failed)
            _log(f"       partly executed notebook: {_relative(failed, self.paths.root)}", err=True)
        _log("       the previous reports, tables and figures are unchanged", err=True)

    def _finish(self, outcome: Outcome) -> None:
        with self._uninterrupted():
            self._finish_one(outcome)

    def _finish_one(self, outcome: Outcome) -> None:
        name = outcome.name
        staging, snapshot = self.snapshots.pop(name)
        try:
            if not outcome.ok:
                self._fail(name, describe_failure(outcome), staging)
                return
            step = self.steps[name]
            written = touched_files(staging, snapshot)
            stray = undeclared_writes(step, written)
            if stray:
                self._fail(
                    name,
                    f"wrote {', '.join(stray)}, not declared for it in {PIPELINE_FILE}; "
                    "nothing was moved into place",
                    staging,
                )
                return
            commit(staging, self.paths.out, written)
            entry = self.state["steps"].get(name) or {}
            extra = written if not step.declared else ()
            if not step.declared:
                extra = [*extra, *(entry.get("outputs") or {})]
            self.state["steps"][name] = {
                "parts": self.pending_parts.pop(name),
                "outputs": declared_outputs(step, self.paths, extra),
                "built_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "seconds": round(outcome.seconds, 1),
                "title": outcome.title,
            }
            write_state(self.paths, self.state)
            (self.paths.reports / FAILED / f"{name}.ipynb").unlink(missing_ok=True)
            self.status[name] = "done"
            self.ran += 1
            _log(f"[done] {name} {outcome.seconds:.1f} s")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def run(self) -> int:
        shutil.rmtree(staging_root(self.paths), ignore_errors=True)  # an interrupted build
        running: dict[cf.Future[Outcome], str] = {}
        workers = Workers(self.jobs)
        with self._signals():
            try:
                self._schedule(running, workers)
            except Interrupted as exc:
                workers.stop(running)
                shutil.rmtree(staging_root(self.paths), ignore_errors=True)
                stopped = sorted(running.values())
                _log(
                    f"[STOP] interrupted ({exc}): "
                    + (f"{', '.join(stopped)} stopped; " if stopped else "")
                    + "nothing half-written was kept, the previous reports, tables and figures "
                    "of unfinished notebooks are unchanged; run `make report` again to finish",
                    err=True,
                )
                return 128 + exc.signum
            finally:
                workers.shutdown()
            with self._uninterrupted():
                return self._wrap_up()

    def _schedule(self, running: dict[cf.Future[Outcome], str], workers: Workers) -> None:
        """Run every due notebook as soon as the notebooks it reads from are finished."""
        pending = sorted(self.steps)
        while pending or running:
            progressed = False
            for name in list(pending):
                deps = self.deps[name]
                if not deps <= set(self.status):
                    continue
                blocked = sorted(d for d in deps if self.status[d] in {"failed", "blocked"})
                if blocked:
                    pending.remove(name)
                    self.status[name] = "blocked"
                    _log(f"[skip] {name}: not run, {', '.join(blocked)} failed", err=True)
                    progressed = True
                    continue
                if len(running) >= self.jobs:
                    continue
                try:
                    reason, parts = self._due(name)
                except Exception as exc:  # a bad parameters cell or declaration
                    pending.remove(name)
                    self._fail(name, f"{type(exc).__name__}: {exc}", None)
                    progressed = True
                    continue
                pending.remove(name)
                progressed = True
                if reason is None:
                    self.status[name] = "skipped"
                    _log(f"[skip] {name} (up to date)")
                    continue
                self.pending_parts[name] = parts
                _log(f"[run ] {name} ({reason})")
                running[workers.submit(self._job(name))] = name
            if running and not progressed:
                done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    name = running.pop(fut)
                    try:
                        outcome = fut.result()
                    except Exception as exc:  # the worker process itself died
                        outcome = Outcome(name, False, 0.0, ename=type(exc).__name__,
                                          evalue=str(exc))  # fmt: skip
                    self._finish(outcome)
            elif not running and not progressed and pending:
                raise RuntimeError(f"cannot schedule {pending}")  # unreachable: acyclic

    def _wrap_up(self) -> int:
        shutil.rmtree(staging_root(self.paths), ignore_errors=True)  # every step is done
        merged = self.paths.figures / "manifest.csv"
        if self.ran or (not merged.exists() and any(self.paths.figures.glob("*/manifest.csv"))):
            from analysis.figures.plotting import merge_manifests  # pandas: only when needed

            merge_manifests(self.paths.figures)
        shared_ok = self._figure_pack() & self._summary_pdf()
        index.write_index(self.paths, self.params, self.steps, self.state)
        failed = sorted(n for n, s in self.status.items() if s in {"failed", "blocked"})
        if not shared_ok:
            failed.append("figures/PDF")
        where = _relative(self.paths.reports, self.paths.root)
        if failed:
            _log(f"report: FAILED ({', '.join(failed)}); reports in {where}/", err=True)
            return 1
        _log(f"report: ok ({self.ran} run, {len(self.steps) - self.ran} up to date); "
             f"open {where}/index.html")  # fmt: skip
        return 0

    def _figure_pack(self) -> bool:
        """``figures/annual_review/``: after the manifests are merged (the runner's own output,
        so no notebook's 'undeclared write'); only when a notebook ran or the pack is missing."""
        from analysis.figures.figpack import CAPTIONS_CSV, build_pack, pack_dir  # pandas

        merged = self.paths.figures / "manifest.csv"
        if not merged.is_file() or (
            self.ran == 0 and (pack_dir(self.paths) / CAPTIONS_CSV).is_file()
        ):
            return True
        try:
            target = build_pack(self.paths)
        except (OSError, ValueError) as exc:
            _log(f"[FAIL] figure pack: {exc}", err=True)
            return False
        _log(f"[done] figure pack: {_relative(target, self.paths.root)}/")
        return True

    def _summary_pdf(self) -> bool:
        """``reports/annual_review.pdf`` from the 05 leadership page (when that page changed)."""
        try:
            what, target = pdf.summary_pdf(self.paths.reports)
        except Exception as exc:  # a browser that failed to start or print
            _log(f"[FAIL] summary PDF: {type(exc).__name__}: {exc}", err=True)
            return False
        if what == "written" and target is not None:
            _log(f"[done] summary PDF: {_relative(target, self.paths.root)}")
        elif what.startswith("skipped"):
            _log(f"[skip] summary PDF: {what.removeprefix('skipped: ')}")
        return True


def build(
    params_file: str | os.PathLike[str] | None = None, jobs: int = 2, force: bool = False
) -> int:
    """Run the stale notebooks of a run; return a process exit code (non-zero on failure)."""
    try:
        b = Build(run_params(params_file), jobs, force)
    except (ValueError, OSError) as exc:
        _log(f"[FAIL] {exc}", err=True)
        return 1
    return b.run()
