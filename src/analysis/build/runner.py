"""One ``make report``: plan, run the stale notebooks side by side, then replace every output it
rebuilt — or none.

* **Order**: a notebook runs as soon as the notebooks it reads from have finished
  (:mod:`analysis.build.plan`); whether it must run at all is decided then, by content
  (:mod:`analysis.build.state`), against what those notebooks produced in this build.
* **All or nothing**: each notebook runs in its own staging folder
  (:mod:`analysis.build.stage`); what it wrote stays staged (:mod:`analysis.build.pending`)
  until every notebook, the figure pack and the PDF (:mod:`analysis.build.shared`) succeeded.
  Then everything moves into place together and the state file is written. On any failure the
  tables, figures, pages, pack, PDF and index of the last good build stay byte for byte; the
  partly executed notebook is kept as ``reports/failed/<name>.ipynb`` (a later successful build
  clears these), and the notebooks that succeeded stay staged: the next build takes them as
  they are if their inputs did not change.
* **Interrupted** (Ctrl-C, SIGTERM): the runner asks each worker to stop (nbclient shuts its
  kernel down), waits for them (then kills what is left), removes the staging folders and exits
  with 130 (SIGINT) or 143 (SIGTERM) and a message. Staging a finished notebook's outputs and
  the final commit are never cut in half: a signal arriving then is acted on right after.
* **Other runs**: a parameters file other than the default that leaves ``output_dir`` empty
  writes to ``runs/<file stem>/``, so it never overwrites the default run's outputs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from analysis.build import analysts, clock, index, pdf
from analysis.build.execute import Job, Outcome, Pages, Workers, describe_failure
from analysis.build.hygiene import parameter_defaults
from analysis.build.pending import PAGES_DUE, Pending, finish_interrupted_commit
from analysis.build.plan import (
    FAILED,
    PIPELINE_FILE,
    dependencies,
    load_steps,
    notebook_parameters,
    report_files,
    run_params,
    side_by_side,
)
from analysis.build.shared import make_shared
from analysis.build.stage import (
    Snapshot,
    declared_outputs,
    stage,
    staging_root,
    touched_files,
    undeclared_writes,
)
from analysis.build.state import STAGED, Hasher, code_digest, inputs_of, read_state, verdict
from analysis.params import RunParams
from analysis.paths import Paths

START_WAIT_SECONDS = 60.0  # the longest the second worker waits for the first kernel
PAGES_FOLDER = ".pages"  # in the staging root: the pages rendered after their notebook


def _log(msg: str, err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _relative(p: Path, root: Path) -> str:
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return str(p)


class RunRefused(Exception):
    """The run's parameters do not fit the data (county, code, year, month): said before any
    notebook runs, so a wrong year never surfaces as an IndexError three notebooks later."""


class Interrupted(Exception):
    """SIGINT or SIGTERM during a build."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Build:
    """One ``make report``: plan, run, stage; commit everything or nothing."""

    def __init__(self, params: RunParams, jobs: int, force: bool) -> None:
        self.params = params
        self.jobs = max(1, jobs)
        self.force = force
        self.paths = Paths.for_run(params.output_dir)
        self.steps = load_steps(self.paths)
        self.deps = dependencies(self.steps)
        self.state = read_state(self.paths)
        self.pending = Pending(self.paths)
        self.hasher = Hasher()
        self.code = code_digest()
        self.status: dict[str, str] = {}
        self.due: dict[str, tuple[str, dict[str, str], dict[str, Any]]] = {}
        self.snapshots: dict[str, tuple[Path, Snapshot]] = {}
        self.ran = 0
        self.committed = False
        self.params_checked = False
        self.printer: Any = None  # the PDF's browser, started beside the summary notebook
        self._critical = False
        self.pages_due: list[str] = []  # notebooks whose pages are being rendered
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
        """Staging a notebook's outputs and committing: never cut in half by a signal."""
        self._critical = True
        try:
            yield
        finally:
            self._critical = False
        if self._deferred is not None:
            signum, self._deferred = self._deferred, None
            raise Interrupted(signum)

    # planning
    def _decide(self, name: str) -> str | None:
        """Why the notebook must run, :data:`STAGED` when its staged result still holds, or
        None when it is up to date."""
        step = self.steps[name]
        if "output_dir" not in parameter_defaults(step.notebook):
            raise ValueError(
                f"{step.notebook.name}: its parameters cell must declare output_dir (the runner "
                "stages every notebook's outputs and moves them into place after success)"
            )
        entry = self.state["steps"].get(name)
        staged = self.pending.entry(name)
        own = {*(entry or {}).get("outputs", {}), *(staged or {}).get("outputs", {})}
        parts, inputs = inputs_of(
            step, self.paths, self.params, self.code, own, self.hasher, self.pending.files
        )
        intact = bool(staged) and self.pending.intact(name)
        reason = verdict(entry, staged, parts, inputs, intact, self.paths, self.hasher, self.force)
        if reason == STAGED:
            return STAGED
        if staged:
            self.pending.drop(name)  # its inputs changed since: that result is no use
        if reason is not None:
            self.due[name] = (reason, parts, inputs)
        return reason

    def _job(self, name: str) -> Job:
        staging, snapshot = stage(self.paths, name, self.pending.files)
        self.snapshots[name] = (staging, snapshot)
        parameters = notebook_parameters(self.steps[name].notebook, self.params)
        return Job(name, str(self.steps[name].notebook), str(staging), parameters,
                   str(self.paths.notebooks),
                   bool(self.params.allow_enterprise_tables),
                   pages=str(self._pages_folder(name)))  # fmt: skip

    def _pages_folder(self, name: str) -> Path:
        return staging_root(self.paths) / PAGES_FOLDER / name

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

    def _finish(self, outcome: Outcome) -> None:
        with self._uninterrupted():
            self._finish_one(outcome)

    def _finish_one(self, outcome: Outcome) -> None:
        name = outcome.name
        staging, snapshot = self.snapshots.pop(name)
        reason, parts, inputs = self.due.pop(name)
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
                    "nothing of it was kept",
                    staging,
                )
                return
            had = (self.state["steps"].get(name) or {}).get("outputs") or {}
            self.pending.add(name, staging, written, {
                "parts": parts,
                "inputs": inputs,
                "reason": reason,
                "built_at": clock.now(),
                "seconds": round(outcome.seconds, 1),
                PAGES_DUE: True,
            })  # fmt: skip
            self._record_outputs(name, [*written, *had])
            self.pages_due.append(name)
            self.status[name] = "done"
            self.ran += 1
            _log(f"[done] {name} {outcome.seconds:.1f} s")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def run(self) -> int:
        if finish_interrupted_commit(self.paths):
            _log("[done] finished moving the outputs of an interrupted build into place")
            self.state, self.pending = read_state(self.paths), Pending(self.paths)
        shutil.rmtree(staging_root(self.paths), ignore_errors=True)  # an interrupted build
        running: dict[cf.Future[Outcome], str] = {}
        workers = Workers(
            self.jobs,
            str(self.paths.notebooks),
            [s.notebook for s in self.steps.values()],
            staging_root(self.paths) / ".kernels.log",
            str(self.params.lang),
            self.paths.root / ".cache" / "jinja",
        )
        with self._signals():
            try:
                self._schedule(running, workers)
                with self._uninterrupted():
                    return self._wrap_up(workers)
            except RunRefused as exc:
                workers.stop(running)  # the first notebook, started beside the check
                shutil.rmtree(staging_root(self.paths), ignore_errors=True)
                _log(
                    f"[FAIL] {exc}\nthe run was stopped; the last good build is as it was", err=True
                )
                return 1
            except Interrupted as exc:
                workers.stop(running)
                shutil.rmtree(staging_root(self.paths), ignore_errors=True)
                stopped = sorted(running.values())
                done = "the new outputs are in place" if self.committed else (
                    "no output was replaced (the last good build is as it was); "
                    "run `make report` again to finish"
                )  # fmt: skip
                _log(
                    f"[STOP] interrupted ({exc}): "
                    + (f"{', '.join(stopped)} stopped; " if stopped else "")
                    + done,
                    err=True,
                )
                return 128 + exc.signum
            finally:
                workers.shutdown()
                if self.printer is not None:
                    self.printer.close()

    def _until_running(self, name: str, future: cf.Future[Outcome]) -> None:
        """Wait until the first notebook's cells run (papermill has saved its notebook in the
        staging folder: its kernel is up), or it ended. Until then the fork server imports
        that notebook's modules, its worker starts and the parameters are checked; a second
        worker started then (~1 s of CPU with its spare kernel) would take a core from them,
        while the first notebook, alone, leaves one core mostly idle."""
        staging, _ = self.snapshots[name]
        executed = staging / report_files(name)[0]
        deadline = time.monotonic() + START_WAIT_SECONDS
        while not executed.exists() and not future.done() and time.monotonic() < deadline:
            time.sleep(0.02)

    def _check_params_once(self) -> None:
        """:func:`analysis.params.check_run` once the first notebook has started (not on a no-op
        build, which stays fast: nothing would read the parameters). The check reads every
        bureau release (~1.5 s); run beside the first notebook's kernel start instead of before
        it, it leaves the critical path. A refused run stops that notebook: nothing it staged
        is kept and nothing in place is replaced."""
        if self.params_checked or not (self.paths.raw / "admin").is_dir():
            # a project without the code tables (a runner test, a benchmark's toy project) has
            # nothing to check a county against; this project's 01 needs them and says so
            return
        from analysis.errors import DataError
        from analysis.params import check_run

        try:
            check_run(self.params, self.paths)
        except DataError as exc:
            raise RunRefused(str(exc)) from exc
        self.params_checked = True

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
                    reason = self._decide(name)
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
                if reason == STAGED:
                    self.status[name] = STAGED
                    _log(f"[skip] {name} (up to date: staged by an earlier run)")
                    continue
                first = not workers.pools
                if first:  # the first notebook's worker alone, so its kernel starts sooner
                    workers.start(1)
                future = workers.submit(self._job(name), waiting=len(pending))
                running[future] = name
                if name == pdf.SUMMARY_NOTEBOOK and self.printer is None:
                    self.printer = pdf.start_ahead()  # the browser starts while it runs
                if first:
                    # checked beside the first notebook's start, off the critical path (its
                    # parsed releases are the notebook's, from the cache): a refused run stops
                    # it, and nothing of it is kept (its outputs are only staged)
                    self._check_params_once()
                    # a second worker only if two notebooks can run at once, and once the
                    # first one's cells run (see _until_running)
                    if self.jobs > 1 and side_by_side(self.deps, [name, *pending]):
                        self._until_running(name, future)
                        workers.start(self.jobs)
                _log(f"[run ] {name} ({reason})")
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

    def _wrap_up(self, workers: Workers) -> int:
        """Commit everything, or report the failure and replace nothing. The last notebooks'
        pages are still being rendered: the figure pack and the office files are made
        meanwhile, and the pages are staged before the PDF (which prints only when the
        summary page changed)."""
        collecting = {n: workers.collect_pages(n) for n in self.pages_due}
        self.pages_due = []
        shared_ok = True
        if not self._failed():

            def pages_ready() -> bool:
                self._stage_pages(collecting)
                return not self._failed()

            shared = make_shared(self.paths, self.pending.files, bool(self.pending.steps), _log,
                                 self.params, self.printer, pages_ready)  # fmt: skip
            self._stage_pages(collecting)  # when the pack failed before the pages were asked for
            if shared.ok and not self._failed():
                self._commit(shared.moves, shared.removed)
                return self._report_ok()
            shared_ok = shared.ok
        self._stage_pages(collecting)  # kept staged with their notebooks for the next build
        return self._report_failure(self._failed() + ([] if shared_ok else ["figures/PDF"]))

    def _failed(self) -> list[str]:
        return sorted(n for n, s in self.status.items() if s in {"failed", "blocked"})

    def _stage_pages(self, collecting: dict[str, cf.Future[Pages]]) -> None:
        """Wait for the pages being rendered and stage them with their notebooks (each
        notebook's entry then names its title and every output's digest); a notebook whose
        page could not be rendered fails now and nothing of it is kept."""
        for name in list(collecting):
            try:
                pages = collecting.pop(name).result()
            except Exception as exc:  # the worker process died
                pages = Pages(name, False, error=f"{type(exc).__name__}: {exc}")
            if not pages.ok:
                self.pending.drop(name)
                self.status[name] = "failed"
                self.ran -= 1
                _log(f"[FAIL] {name}: its page could not be made: {pages.error}", err=True)
                continue
            folder = self._pages_folder(name)
            written = [rel for rel in report_files(name)[1:] if (folder / rel).is_file()]
            self.pending.add_pages(name, folder, written, {"title": pages.title})
            self._record_outputs(name, self.pending.steps[name]["outputs"])

    def _record_outputs(self, name: str, undeclared: Iterable[str]) -> None:
        """Put the digest of every output of ``name``, as this build sees them (staged, else in
        place), in its pending entry; a notebook without a declaration owns ``undeclared``
        too (what it wrote and what it had)."""
        step = self.steps[name]
        extra = [] if step.declared else list(undeclared)
        self.pending.steps[name]["outputs"] = declared_outputs(
            step, self.paths, extra, self.pending.files
        )
        self.pending.save()

    def _commit(self, moves: dict[str, Path], removed: list[str]) -> None:
        if self.pending.steps or moves or removed:
            state = dict(self.state)
            state["steps"] = dict(state.get("steps", {}))
            for name, entry in self.pending.steps.items():
                state["steps"][name] = {k: v for k, v in entry.items() if k != "staged"}
            self.pending.commit(state, moves, removed)
            self.state = state
        self.committed = True
        shutil.rmtree(self.paths.reports / FAILED, ignore_errors=True)
        shutil.rmtree(staging_root(self.paths), ignore_errors=True)
        self._write_indexes()

    def _write_indexes(self) -> None:
        """The landing page and the analysts' index (each only if its content changed)."""
        index.write_index(self.paths, self.params, self.steps, self.state)
        titles = {
            n: (self.state["steps"].get(n) or {}).get("title") or index.title_of(s.notebook)
            for n, s in self.steps.items()
        }
        heading = index.heading_of(self.params.as_dict())
        analysts.write_analysts_index(self.paths, heading, self.steps, self.deps, self.state,
                                      titles)  # fmt: skip

    def _report_ok(self) -> int:
        where = _relative(self.paths.reports, self.paths.root)
        kept = sum(s == STAGED for s in self.status.values())
        counts = f"{self.ran} run, " + (f"{kept} staged earlier, " if kept else "")
        up_to_date = len(self.steps) - self.ran - kept
        _log(f"report: ok ({counts}{up_to_date} up to date); open {where}/index.html")
        return 0

    def _report_failure(self, failed: list[str]) -> int:
        shutil.rmtree(staging_root(self.paths), ignore_errors=True)
        for stale in (self.paths.reports / FAILED).glob("*.ipynb"):
            if stale.stem not in failed:  # a failure of an earlier build
                stale.unlink()
        if not (self.paths.reports / "index.html").is_file():  # a first build: say what failed
            self._write_indexes()
        staged = sorted(self.pending.steps)
        where = _relative(self.paths.reports, self.paths.root)
        _log(
            f"report: FAILED ({', '.join(failed)}); no output was replaced: the reports, tables "
            f"and figures in {where}/ are those of the last good build"
            + (f"; kept staged for the next run: {', '.join(staged)}" if staged else ""),
            err=True,
        )
        return 1


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
