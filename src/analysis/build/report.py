"""Run the notebooks (papermill): only the stale ones, side by side, never harming the last build.

* **What a notebook depends on** is declared in ``notebooks/pipeline.yaml`` (reads and writes,
  as globs). A notebook that reads what another writes runs after it.
* **Stale or not** is decided by content, with the standard library only, before papermill or
  pandas is imported: a sha256 of the notebook file, its declaration, the run's values of the
  parameters its ``parameters`` cell declares, every file it reads, and the code of
  ``src/analysis``. The digest is taken when the notebook is due (after the notebooks it depends
  on finished), so an upstream rebuild that writes the same bytes does not ripple downstream.
  A notebook whose recorded outputs are missing or were changed by hand is rebuilt too. The
  state lives in ``reports/.build-state.json`` of the run's output folder.
* **Failure-safe**: each notebook runs in its own staging folder (``reports/.staging/<name>``,
  pre-filled with a copy of the current processed tables and figures; the notebook receives it
  as ``output_dir``). Only after it succeeded are its declared outputs, executed notebook and
  HTML pages moved into place (``os.replace``). A failing notebook leaves every report, table
  and figure of the last good build as it was; the partly executed notebook, with papermill's
  error banner, is kept as ``reports/failed/<name>.ipynb``.
* **Other runs**: a parameters file other than the default that leaves ``output_dir`` empty
  writes to ``runs/<file stem>/``, so it never overwrites the default run's outputs.
* **Interrupted** (Ctrl-C, SIGTERM): the runner asks each running notebook's worker to stop
  (nbclient shuts its kernel down), waits for them (then kills what is left), removes the
  staging folders and exits with 130 (SIGINT) or 143 (SIGTERM) and a message. Moving a finished
  notebook's outputs into place, writing the state file and the index are never cut in half:
  a signal arriving then is acted on right after. Nothing half-written is left; the next
  ``make report`` rebuilds what was interrupted.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from analysis.build.hygiene import parameter_defaults
from analysis.env.envsetup import KERNEL_NAME
from analysis.params import DEFAULT_PARAMS, RunParams, load_params, read_yaml
from analysis.paths import Paths

PIPELINE_FILE = Path("notebooks") / "pipeline.yaml"
STATE_FILE = ".build-state.json"
STATE_VERSION = 1
STAGING = ".staging"
FAILED = "failed"
HTML_DIR = "html"
HTML_CODE_DIR = "html-code"
OUTPUT_PREFIXES = ("data/processed/", "figures/", "reports/")
STAGED_FOLDERS = ("data/processed", "figures")
RUNS_DIR = "runs"
STOP_WAIT_SECONDS = 30.0  # how long stopping notebooks may take before their workers are killed
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
_WILDCARD = re.compile(r"[*?\[]")


# declarations -----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Step:
    """One notebook and what it reads and writes (globs; see ``notebooks/pipeline.yaml``)."""

    name: str
    notebook: Path
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    declared: bool = True


def notebook_paths(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob(NOTEBOOK_GLOB))


def load_steps(paths: Paths) -> dict[str, Step]:
    """Every ``NN_name.ipynb`` with its declaration; an undeclared one reads all and writes all."""
    file = paths.root / PIPELINE_FILE
    spec: dict[str, Any] = read_yaml(file) if file.is_file() else {}
    steps: dict[str, Step] = {}
    for nb in notebook_paths(paths):
        entry = spec.get(nb.stem)
        if entry is None:
            steps[nb.stem] = Step(
                nb.stem,
                nb,
                reads=("data/raw/**", "{internal_data_dir}/**", "data/processed/**", "figures/**"),
                writes=(),
                declared=False,
            )
            continue
        unknown = set(entry) - {"reads", "writes"}
        if unknown:
            raise ValueError(f"{PIPELINE_FILE}: {nb.stem}: unknown keys {sorted(unknown)}")
        reads = tuple(str(x) for x in entry.get("reads") or ())
        writes = tuple(str(x) for x in entry.get("writes") or ())
        bad = [w for w in writes if not w.startswith(OUTPUT_PREFIXES)]
        if bad:
            raise ValueError(
                f"{PIPELINE_FILE}: {nb.stem} writes {bad}: outputs must be under "
                f"{', '.join(OUTPUT_PREFIXES)}"
            )
        steps[nb.stem] = Step(nb.stem, nb, reads, writes)
    stray = sorted(set(spec) - set(steps))
    if stray:
        raise ValueError(f"{PIPELINE_FILE} declares {stray}, but there is no such notebook")
    return steps


def glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` and ``?`` within one folder, ``**`` across folders (``a/**`` = everything in a)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _literal_prefix(pattern: str) -> str:
    m = _WILDCARD.search(pattern)
    return pattern if m is None else pattern[: m.start()]


def patterns_overlap(a: str, b: str) -> bool:
    """Could a file match both globs? Exact for literal paths, conservative for two globs."""
    a_lit, b_lit = _WILDCARD.search(a) is None, _WILDCARD.search(b) is None
    if a_lit and b_lit:
        return a == b
    if a_lit:
        return bool(glob_regex(b).match(a))
    if b_lit:
        return bool(glob_regex(a).match(b))
    pa, pb = _literal_prefix(a), _literal_prefix(b)
    return pa.startswith(pb) or pb.startswith(pa)


def dependencies(steps: dict[str, Step]) -> dict[str, set[str]]:
    """name -> the notebooks it must wait for; raises on a cycle."""
    names = sorted(steps)
    deps: dict[str, set[str]] = {n: set() for n in names}
    for reader in names:
        for writer in names:
            if reader == writer:
                continue
            r, w = steps[reader], steps[writer]
            if not (r.declared and w.declared):
                if writer < reader:  # undeclared: keep the number order
                    deps[reader].add(writer)
            elif any(patterns_overlap(x, y) for x in r.reads for y in w.writes):
                deps[reader].add(writer)
    _check_acyclic(deps)
    return deps


def _check_acyclic(deps: dict[str, set[str]]) -> None:
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        if node in trail:
            cycle = " -> ".join((*trail[trail.index(node) :], node))
            raise ValueError(f"{PIPELINE_FILE}: notebooks read each other's outputs: {cycle}")
        if node in done:
            return
        for d in sorted(deps[node]):
            visit(d, (*trail, node))
        done.add(node)

    for n in sorted(deps):
        visit(n, ())


# content digests (standard library only) ---------------------------------------------------
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


def _resolve(pattern: str, paths: Paths, params: RunParams) -> tuple[Path, str, str]:
    """(base folder, glob relative to it, key prefix) for a read pattern."""
    pattern = pattern.format(internal_data_dir=params.internal_data_dir.rstrip("/"))
    if Path(pattern).is_absolute():
        base, rel, key = Path("/"), pattern.lstrip("/"), "/"
    elif pattern.startswith(OUTPUT_PREFIXES):
        base, rel, key = paths.out, pattern, "out:"
    else:
        base, rel, key = paths.root, pattern, ""
    lit = _literal_prefix(rel)
    folder = lit.rsplit("/", 1)[0] if "/" in lit else ""
    sub = base / folder if folder else base
    return sub, rel[len(folder) + 1 :] if folder else rel, key + (folder + "/" if folder else "")


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def expand(pattern: str, paths: Paths, params: RunParams) -> dict[str, Path]:
    """Files matching a read pattern, keyed by a stable name (``out:`` for the output folder).

    A literal path that does not exist yields a key with no file, so its appearance later
    changes the digest. Hidden files (temporary files of atomic writes, staging) are skipped.
    """
    base, rel, key = _resolve(pattern, paths, params)
    if _WILDCARD.search(rel) is None:
        p = base / rel
        if p.is_dir():
            rel, pattern = rel.rstrip("/") + "/**", pattern.rstrip("/") + "/**"
        else:
            return {key + rel: p}
    rx = glob_regex(rel)
    found: dict[str, Path] = {}
    if not base.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            full = Path(dirpath) / f
            r = full.relative_to(base).as_posix()
            if not _hidden(r) and rx.match(r):
                found[key + r] = full
    return found


def notebook_parameters(notebook: Path, params: RunParams) -> dict[str, Any]:
    """The run's values for the names this notebook's parameters cell declares."""
    run = params.as_dict()
    return {k: run[k] for k in parameter_defaults(notebook) if k in run}


def step_inputs(
    step: Step,
    paths: Paths,
    params: RunParams,
    code: str,
    own_outputs: Iterable[str] = (),
    hasher: _Hasher | None = None,
) -> dict[str, str]:
    """The components of a notebook's digest: name -> sha256 (stdlib only)."""
    hasher = hasher or _Hasher()
    own = set(own_outputs)
    write_rx = [glob_regex(w) for w in step.writes]
    parts = {
        "notebook": hasher(step.notebook),
        "declaration": _sha_json({"reads": step.reads, "writes": step.writes}),
        "parameters": _sha_json(notebook_parameters(step.notebook, params)),
        "code": code,
    }
    reads: dict[str, str] = {}
    for pattern in step.reads:
        for key, file in expand(pattern, paths, params).items():
            rel = key.removeprefix("out:")
            if key.startswith("out:") and (rel in own or any(rx.match(rel) for rx in write_rx)):
                continue  # its own outputs are not its inputs
            reads[key] = hasher(file) if file.is_file() else "missing"
    parts["reads"] = _sha_json(reads)
    return parts


def digest_of(parts: dict[str, str]) -> str:
    return _sha_json(parts)


def _sha_json(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Hasher:
    """sha256 of files, cached by (size, mtime, inode) within one build."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
        if key not in self._cache:
            self._cache[key] = file_sha256(path)
        return self._cache[key]


# state ---------------------------------------------------------------------------------------
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


def write_text_atomic(target: Path, text: str) -> None:
    """Temporary file beside ``target``, then ``os.replace``: never a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; pages are meant to be shared
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_state(paths: Paths, state: dict[str, Any]) -> None:
    write_text_atomic(state_path(paths), json.dumps(state, indent=1, sort_keys=True) + "\n")


def report_files(name: str) -> tuple[str, str, str]:
    """The runner's own outputs for a notebook, relative to the output folder."""
    return (
        f"reports/{name}.ipynb",
        f"reports/{HTML_DIR}/{name}.html",
        f"reports/{HTML_CODE_DIR}/{name}.html",
    )


def stale_reason(
    entry: dict[str, Any] | None, parts: dict[str, str], paths: Paths, hasher: _Hasher
) -> str | None:
    """Why the notebook must run, or None when it is up to date."""
    if not entry:
        return "never built"
    changed = [k for k, v in parts.items() if entry.get("parts", {}).get(k) != v]
    if changed:
        return "changed: " + ", ".join(changed)
    for rel, sha in sorted(entry.get("outputs", {}).items()):
        p = paths.out / rel
        if not p.is_file():
            return f"output missing: {rel}"
        if hasher(p) != sha:
            return f"output changed by hand: {rel}"
    return None


# staging and commit --------------------------------------------------------------------------
Snapshot = dict[str, tuple[int, int, int]]


def _stat_key(p: Path) -> tuple[int, int, int]:
    st = p.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for f in filenames:
                if not f.startswith("."):
                    yield Path(dirpath) / f


def stage(paths: Paths, name: str) -> tuple[Path, Snapshot]:
    """A fresh staging output folder holding a copy of the current tables and figures."""
    staging = paths.reports / STAGING / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    snapshot: Snapshot = {}
    for folder in STAGED_FOLDERS:
        for src in _files(paths.out / folder):
            rel = src.relative_to(paths.out).as_posix()
            dst = staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            snapshot[rel] = _stat_key(dst)
    return staging, snapshot


def touched_files(staging: Path, snapshot: Snapshot) -> list[str]:
    """Files the notebook created or rewrote in its staging folder (outputs of the runner too)."""
    out = []
    for p in _files(staging):
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
        for p in _files(paths.out / folder):
            rel = p.relative_to(paths.out).as_posix()
            if any(rx.match(rel) for rx in rxs):
                rels.add(rel)
    return {r: file_sha256(paths.out / r) for r in sorted(rels) if (paths.out / r).is_file()}


# execution (in a worker process) -------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    notebook: str
    staging: str
    parameters: dict[str, Any]
    cwd: str
    allow_enterprise_tables: bool = False


@dataclasses.dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    seconds: float
    title: str = ""
    cell_index: int | None = None
    exec_count: int | None = None
    ename: str = ""
    evalue: str = ""
    line: str = ""


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


def execute(job: Job) -> Outcome:
    """Run one notebook into its staging folder and render its pages; never raises."""
    global _WORKER_BUSY
    _WORKER_BUSY = True
    try:
        return _execute(job)
    finally:
        _WORKER_BUSY = False


def _execute(job: Job) -> Outcome:
    start = time.perf_counter()
    target = Path(job.staging) / report_files(job.name)[0]
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from analysis.build import pages

        try:
            with _stderr_to(Path(job.staging) / ".kernel-stderr.log"):
                papermill.execute_notebook(
                    job.notebook,
                    str(target),
                    parameters=job.parameters,
                    kernel_name=KERNEL_NAME,
                    cwd=job.cwd,
                    progress_bar=False,
                )
        except PapermillExecutionError as exc:
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
        from analysis.disclosure import named_enterprises_in

        _, html, html_code = report_files(job.name)
        lang = str(job.parameters.get("lang", "zh"))
        protected = (
            []
            if job.allow_enterprise_tables
            else named_enterprises_in(Path(job.staging) / "data/processed/industry_monthly.csv")
        )
        title = pages.render_notebook(
            target, Path(job.staging) / html, code=False, lang=lang, protected=protected
        )
        pages.render_notebook(target, Path(job.staging) / html_code, code=True, lang=lang)
    except Exception as exc:  # a kernel that died, a rendering error: reported, not raised
        return Outcome(
            job.name, False, time.perf_counter() - start, ename=type(exc).__name__, evalue=str(exc)
        )
    return Outcome(job.name, True, time.perf_counter() - start, title=title)


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


# the build -----------------------------------------------------------------------------------
def run_params(params_file: str | os.PathLike[str] | None) -> RunParams:
    """The run's parameters; a non-default file without ``output_dir`` gets ``runs/<stem>``."""
    params = load_params(params_file)
    if (
        params_file is not None
        and Path(params_file).resolve() != (Paths.for_run().root / DEFAULT_PARAMS).resolve()
        and Path(params_file) != DEFAULT_PARAMS
        and not params.output_dir
    ):
        params = dataclasses.replace(params, output_dir=f"{RUNS_DIR}/{Path(params_file).stem}")
    return params


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


_WORKER_BUSY = False


def _worker_signal(signum: int, frame: Any) -> None:
    """In a worker: while a notebook runs, stop it like Ctrl-C; when idle, just exit (quietly:
    no traceback of a worker waiting for work)."""
    if _WORKER_BUSY:
        raise KeyboardInterrupt
    os._exit(128 + signum)


def _stop_on_signal_in_worker() -> None:
    """Worker initializer. While a kernel runs, nbclient's own SIGINT/SIGTERM handlers take
    over and shut the kernel down first; the notebook then ends as failed."""
    signal.signal(signal.SIGTERM, _worker_signal)
    signal.signal(signal.SIGINT, _worker_signal)


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
        self.hasher = _Hasher()
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

    def _stop(
        self, pool: cf.ProcessPoolExecutor | None, running: dict[cf.Future[Outcome], str]
    ) -> None:
        """Stop the running notebooks (their kernels shut down), then the worker processes."""
        procs = list((getattr(pool, "_processes", None) or {}).values()) if pool else []
        for proc in procs:
            if proc.is_alive() and proc.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
        if running:
            cf.wait(running, timeout=STOP_WAIT_SECONDS)
        for proc in procs:
            if proc.is_alive():
                proc.kill()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

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
        shutil.rmtree(self.paths.reports / STAGING, ignore_errors=True)  # an interrupted build
        running: dict[cf.Future[Outcome], str] = {}
        pool: list[cf.ProcessPoolExecutor] = []
        with self._signals():
            try:
                self._schedule(running, pool)
            except Interrupted as exc:
                self._stop(pool[0] if pool else None, running)
                shutil.rmtree(self.paths.reports / STAGING, ignore_errors=True)
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
                if pool:
                    pool[0].shutdown(cancel_futures=True)
            with self._uninterrupted():
                return self._wrap_up()

    def _schedule(
        self, running: dict[cf.Future[Outcome], str], pools: list[cf.ProcessPoolExecutor]
    ) -> None:
        """Run every due notebook as soon as the notebooks it reads from are finished."""
        pending = sorted(self.steps)
        pool: cf.ProcessPoolExecutor | None = None
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
                if pool is None:
                    pool = cf.ProcessPoolExecutor(
                        self.jobs,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=_stop_on_signal_in_worker,
                    )
                    pools.append(pool)
                self.pending_parts[name] = parts
                _log(f"[run ] {name} ({reason})")
                running[pool.submit(execute, self._job(name))] = name
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
        shutil.rmtree(self.paths.reports / STAGING, ignore_errors=True)  # every step is done
        merged = self.paths.figures / "manifest.csv"
        if self.ran or (not merged.exists() and any(self.paths.figures.glob("*/manifest.csv"))):
            from analysis.figures.manifest import merge_manifests

            merge_manifests(self.paths.figures)
        shared_ok = self._figure_pack() & self._summary_pdf()
        from analysis.build import pages

        pages.write_index(self.paths, self.params, self.steps, self.state)
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
        from analysis.figures.pack import CAPTIONS_CSV, pack_dir

        merged = self.paths.figures / "manifest.csv"
        if not merged.is_file() or (
            self.ran == 0 and (pack_dir(self.paths) / CAPTIONS_CSV).is_file()
        ):
            return True
        from analysis.figures.pack import build_pack

        try:
            target = build_pack(self.paths)
        except (OSError, ValueError) as exc:
            _log(f"[FAIL] figure pack: {exc}", err=True)
            return False
        _log(f"[done] figure pack: {_relative(target, self.paths.root)}/")
        return True

    def _summary_pdf(self) -> bool:
        """``reports/annual_review.pdf`` from the 05 leadership page (when that page changed)."""
        from analysis.build.share import summary_pdf

        try:
            what, pdf = summary_pdf(self.paths.reports)
        except Exception as exc:  # a browser that failed to start or print
            _log(f"[FAIL] summary PDF: {type(exc).__name__}: {exc}", err=True)
            return False
        if what == "written" and pdf is not None:
            _log(f"[done] summary PDF: {_relative(pdf, self.paths.root)}")
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
