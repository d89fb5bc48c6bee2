"""Shared fixtures and the split of the suite. Tests never write into the working tree: outputs
go to ``tmp_path``.

Markers (``make test`` runs everything; ``make test-fast`` leaves out ``notebooks`` and ``slow``):

* ``notebooks`` — starts a kernel: executes notebooks or runs the runner (the one shared build,
  :func:`built`, tiny throwaway projects, a copied project folder);
* ``slow`` — no kernel, but seconds of model fitting, simulation or reading every evaluation
  file (:data:`SLOW`); owners may move these marks into their modules;
* ``bench`` — the benchmark code end to end on a tiny project.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import analysis  # noqa: F401  (before any test module imports nbformat: analysis/__init__.py)

# One BLAS thread per process, as ``python -m analysis`` sets for ``make test``: a plain
# ``python -m pytest`` (two xdist workers on 2 cores) would otherwise run each small state-space
# fit with every core's BLAS threads, and the growth tests took ~20x the CPU (245 s against 13 s).
# Here, before any test module imports numpy.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# before any test module imports openpyxl: write xlsx without lxml (see analysis/__init__.py)
os.environ.setdefault("OPENPYXL_LXML", "False")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def raw(repo: Path) -> Path:
    return repo / "data" / "raw"


def copy_inputs(src: Path, dst: Path) -> Path:
    """A project copy with the inputs only (no outputs): what a fresh clone has."""
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(src / name, dst / name)
    for folder in ("data/raw", "data/internal", "notebooks", "params"):
        if (src / folder).exists():
            shutil.copytree(src / folder, dst / folder)
    (dst / "src" / "analysis").mkdir(parents=True)  # marks the folder as a project root
    return dst


@pytest.fixture
def raw_copy(raw: Path, tmp_path: Path) -> Path:
    """A writable copy of data/raw, for tests that break an input on purpose."""
    dst = tmp_path / "raw"
    shutil.copytree(raw, dst)
    return dst


@pytest.fixture(scope="session")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built once by the runner in a temporary copy, as ``make report`` does.

    Built once per test run, not once per xdist worker, and in the background from the run's
    start (:func:`_build_in_background`): the tests that read it are run last
    (:func:`pytest_collection_modifyitems`), so no worker sits waiting for it while other tests
    are left to run. Tests copy it before changing anything (``copy_of``).
    """
    shared = _start_shared_build(repo, tmp_path_factory)
    ok, failed, log = (shared / f"{SHARED}{s}" for s in (".ok", ".failed", ".log"))
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while not (ok.exists() or failed.exists()):
        if not _owner_alive(shared / f"{SHARED}.pid"):
            if not (ok.exists() or failed.exists()):  # a verdict is written before it ends
                failed.write_text(f"the shared build stopped without a result; see {log}")
        elif time.monotonic() > deadline:
            pytest.fail(f"waited {BUILD_WAIT_SECONDS:.0f} s for the shared build ({log})")
        time.sleep(0.2)
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"))
    return shared / SHARED


SHARED = "built-project"
BUILD_WAIT_SECONDS = 1800.0


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder every xdist worker sees (the workers' own are inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _start_shared_build(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Start the shared build in its own process unless this run has started it already
    (the first worker to get here starts it); return the shared folder."""
    shared = _shared_folder(tmp_path_factory)
    pid = shared / f"{SHARED}.pid"
    with _exclusive(shared / f"{SHARED}.lock"):
        if not pid.exists():
            log = open(shared / f"{SHARED}.log", "wb")  # noqa: SIM115 (the child keeps it)
            child = subprocess.Popen(
                [sys.executable, "-c", BUILDER, str(repo), str(shared)],
                cwd=repo,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            pid.write_text(str(child.pid), encoding="utf-8")
            _BUILDERS.append(child)
            # reaped as soon as it ends, so a worker waiting for it sees it gone if it dies
            threading.Thread(target=child.wait, daemon=True).start()
    return shared


# run by the background process: build, then leave the verdict the waiting tests read
BUILDER = """
import sys
from pathlib import Path
from tests.conftest import build_shared_project
sys.exit(build_shared_project(Path(sys.argv[1]), Path(sys.argv[2])))
"""
_BUILDERS: list[subprocess.Popen[bytes]] = []


def build_shared_project(repo: Path, shared: Path) -> int:
    """The background process's work: build the project into ``shared/built-project``, then
    write ``.ok``, or ``.failed`` with the end of the build's output."""
    root = shared / SHARED
    try:
        rc = _build_project(repo, root)
    except BaseException as exc:  # an interrupted run: its tests fail with this message
        rc = 1
        print(f"{type(exc).__name__}: {exc}", flush=True)
    if rc == 0:
        (shared / f"{SHARED}.ok").write_text("built\n", encoding="utf-8")
    else:
        sys.stdout.flush()
        tail = (shared / f"{SHARED}.log").read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(tail.splitlines()[-30:])
        (shared / f"{SHARED}.failed").write_text(
            f"the shared project build failed (exit {rc}); the end of its output "
            f"({shared / SHARED}.log):\n{tail}",
            encoding="utf-8",
        )
    return rc


@pytest.fixture(scope="session", autouse=True)
def _build_in_background(
    request: pytest.FixtureRequest, repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Start the shared build at the run's start when any selected test reads it, so it is
    ready when those tests come (last). At the end, a build still running is waited for (the
    other worker may still need it), or stopped if the run was interrupted."""
    if any(reads_shared_build(item) for item in request.session.items):
        _start_shared_build(repo, tmp_path_factory)
    yield
    for child in _BUILDERS:
        if request.session.shouldstop or request.session.shouldfail:
            child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=BUILD_WAIT_SECONDS)


@contextlib.contextmanager
def at_project(root: Path) -> Iterator[Path]:
    """``ANALYSIS_ROOT`` set to ``root`` for the duration (the runner and ``Paths.for_run``
    then act on that project copy), restored afterwards."""
    from analysis.paths import ROOT_ENV

    old = os.environ.get(ROOT_ENV)
    os.environ[ROOT_ENV] = str(root)
    try:
        yield root
    finally:
        if old is None:
            os.environ.pop(ROOT_ENV)
        else:
            os.environ[ROOT_ENV] = old


def _build_project(repo: Path, root: Path) -> int:
    from analysis.build import build

    root.mkdir(parents=True)
    copy_inputs(repo, root)
    with at_project(root):
        return build()


@contextlib.contextmanager
def _exclusive(lock: Path, wait_seconds: float = 1800.0) -> Iterator[None]:
    """A lock between the test processes of one run: a file created exclusively, holding the
    owner's process id; a lock whose owner died is taken over."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if not _owner_alive(lock):
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() > deadline:
                pytest.fail(f"waited {wait_seconds:.0f} s for {lock}")
            time.sleep(0.5)
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _owner_alive(pid_file: Path) -> bool:
    """Is the process whose id the file holds (a lock's owner, the shared build) running? An
    unreadable or empty file counts as alive: it is being written."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8") or "0")
    except (OSError, ValueError):
        return True  # being written: its owner is alive
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def pytest_configure(config: pytest.Config) -> None:
    # registered here rather than in pyproject.toml, whose hash stamps the environment
    config.addinivalue_line(
        "markers", "bench: the benchmark code end to end on a tiny project (no timing asserted)"
    )
    config.addinivalue_line(
        "markers", "slow: seconds of fitting or simulation without a kernel (not in test-fast)"
    )


# Tests that take seconds without a kernel (``--durations`` on 2 idle cores, >= ~3 s, or a
# module fixture that does): "module.py::test" (every parametrisation), or "module.py" with the
# fixture they share (every test of the module using it).
SLOW: dict[str, tuple[str, ...]] = {
    "test_growth.py": (
        "test_window_choice_prefers_the_true_window",
        "test_projection_intervals_nest_and_cover_the_truth",
        "test_backtest_rows_and_metrics",
        "test_another_year_or_month_works",
        "test_backtest_has_no_look_ahead",  # two backtests (~2 s CPU)
    ),
    # the module's fixture fits the generating and chosen windows and X-13 (~7 s CPU together)
    "test_growth_oracle.py": ("fixture:stand_in",),
    "test_simulate_evaluation.py": (
        "fixture:tables",
        "test_regeneration_is_deterministic",
        "test_another_county_gets_its_own_report",
    ),
    "test_evalreport.py": (
        "fixture:tables",
        "test_class_counts_off_the_published_counts_are_an_error",
        "test_positions_that_contradict_scores_are_an_error",
    ),
    "test_ranking_whatif.py": ("fixture:evaluation_tables",),
}


def is_slow(item: pytest.Item) -> bool:
    names = SLOW.get(Path(str(item.fspath)).name, ())
    fixtures = getattr(item, "fixturenames", ())
    test = getattr(item, "originalname", item.name)
    return test in names or any(f"fixture:{f}" in names for f in fixtures)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the :data:`SLOW` tests; order the run (:func:`_run_order`; a stable sort, so every
    xdist worker sees the same order): the tests that read the shared build come last, so both
    workers run other tests while it is made in the background (:func:`built`)."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_run_order)


def _run_order(item: pytest.Item) -> tuple[bool, bool]:
    """Tests that read the shared build last; within each part, the ones that start a kernel
    (builds, mostly) first, so both workers finish together rather than one waiting while the
    other runs a long build at the end."""
    return reads_shared_build(item), item.get_closest_marker("notebooks") is None


def reads_shared_build(item: pytest.Item) -> bool:
    """Does the test use this module's :func:`built` (not a test module's own fixture of that
    name)?"""
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.get("built", ()) if info is not None else ()
    return bool(defs) and defs[-1].func.__module__ == __name__
