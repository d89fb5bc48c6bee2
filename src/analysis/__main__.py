"""Command line: ``python -m analysis <command>``. The Makefile targets are thin wrappers over
these, so an analyst on Windows without make runs exactly the same thing.

Heavy modules are imported inside each command, so ``--help`` and ``setup`` stay instant and
``setup`` works with the standard library alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from analysis.env import envsetup
from analysis.paths import project_root

# One BLAS thread per process: the runner already runs notebooks side by side on the 2 cores,
# and statsmodels' small state-space fits slow down >10x when BLAS threads oversubscribe them.
# Set before numpy is imported anywhere; kernels and pytest workers inherit it.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _root() -> Path:
    """The project folder you run in (or ``$ANALYSIS_ROOT``), never where the package lives."""
    return project_root()


def check_venv() -> int:
    """Refuse to run from a ``.venv`` copied from another folder: it would run that folder's
    code and kernel. ``make`` repairs it by itself; this says how without make."""
    root = _root()
    if Path(sys.prefix).resolve() != envsetup.venv_dir(root).resolve():
        return 0
    old = envsetup.foreign_venv(root)
    if old is None:
        return 0
    print(
        f"{envsetup.venv_dir(root)} was copied from {old} and still runs that folder's code. "
        "Run `make setup` (or `python -m analysis setup`) once to make it this folder's own.",
        file=sys.stderr,
    )
    return 2


def cmd_setup(args: argparse.Namespace) -> int:
    envsetup.setup(root=_root(), force=args.force)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.build import build

    return build(params_file=args.params, jobs=args.jobs, force=args.force)


def cmd_status(args: argparse.Namespace) -> int:
    """What `make report` would run and why (nothing is run or written); --graph: the
    notebooks' dependencies as a Mermaid flowchart, for documents."""
    from analysis.build import status

    if args.graph:
        print(status.mermaid_of(args.params), end="")
        return 0
    print(status.render(status.status(args.params)))
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """Collect the run's figures and captions into figures/annual_review/ (the figure pack)."""
    from analysis.build.plan import run_params
    from analysis.figures.pack import build_pack
    from analysis.paths import Paths

    params = run_params(args.params)
    paths = Paths.for_run(params.output_dir)
    if not any(paths.figures.glob("*/manifest.csv")):
        print(f"no figures in {paths.figures}: run `make report` first", file=sys.stderr)
        return 1
    target = build_pack(paths)
    print(f"figure pack: {target}")
    return 0


def cmd_shots(args: argparse.Namespace) -> int:
    """Screenshots of the landing page, the leadership pages (375 and 1280 px) and the PDF's
    pages into reports/shots/, to review a build by eye (not outputs; not in git)."""
    from analysis.build.plan import run_params
    from analysis.build.shots import take_shots
    from analysis.paths import Paths

    params = run_params(args.params)
    return take_shots(Paths.for_run(params.output_dir).reports)


def cmd_lint(args: argparse.Namespace) -> int:
    """ruff, then mypy on the package ([tool.mypy] in pyproject.toml; cache in .cache/mypy),
    then the notebooks stored clean (the checks of `make hooks`)."""
    from analysis.build.precommit import notebook_problems

    root = _root()
    rc = 0
    for cmd in (
        [sys.executable, "-m", "ruff", "check", "src", "tests", "notebooks", "bench"],
        [sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "notebooks", "bench"],
        [sys.executable, "-m", "mypy"],
    ):
        print("+", " ".join(cmd[2:]), flush=True)
        rc |= subprocess.run(cmd, cwd=root).returncode
    problems = [line for nb in sorted((root / "notebooks").glob("*.ipynb"))
                for line in notebook_problems(nb)]  # fmt: skip
    for line in problems:
        print(f"{line}; run `python -m analysis hygiene strip`", file=sys.stderr)
    if problems:
        rc |= 1
    print("lint:", "ok" if rc == 0 else "FAILED", flush=True)
    return rc


def check_environment() -> int:
    """Stop with a clear message when .venv no longer matches requirements.lock."""
    from analysis.env.envfiles import installed_drift

    drift = installed_drift(_root())
    if drift:
        print("The environment no longer matches requirements.lock:", file=sys.stderr)
        for line in drift[:20]:
            print(f"  {line}", file=sys.stderr)
        print(
            "Run `make setup` (or `python -m analysis setup --force`) to re-sync it, or "
            "`make lock` if the new versions are meant to be pinned.",
            file=sys.stderr,
        )
        return 2
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    rc = check_environment() or cmd_lint(args)
    if rc:
        return rc
    cmd = [sys.executable, "-m", "pytest"]
    if args.fast:  # no kernel, no build, no seconds-long fits (markers: tests/conftest.py)
        cmd += ["-m", "not notebooks and not slow"]
    if args.jobs and args.jobs > 1:
        # worksteal: a worker that runs out of tests takes queued ones from the other, so a
        # long build queued late on one worker does not leave the other idle at the end
        cmd += ["-n", str(args.jobs), "--dist", "worksteal"]
    if not any("nbval" in a for a in args.pytest_args):  # unless asked for (--nbval ...)
        cmd += ["-p", "no:nbval"]  # test_nbval.py runs nbval in its own process; loading the
        # plugin here would cost each test process ~1 s (it imports nbformat before `analysis`)
    cmd += args.pytest_args
    print("+", " ".join(cmd[2:]), flush=True)
    return subprocess.run(cmd, cwd=_root()).returncode


def cmd_lab(args: argparse.Namespace) -> int:
    return subprocess.run(
        [sys.executable, "-m", "jupyter", "lab", "--notebook-dir", str(_root())], cwd=_root()
    ).returncode


def cmd_clean(args: argparse.Namespace) -> int:
    """Remove build outputs (processed tables, figures, reports, other runs); never inputs."""
    root = _root()
    for folder in (root / "data" / "processed", root / "figures"):
        for child in folder.glob("*"):
            if child.name == "README.md":
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.rmtree(root / "reports", ignore_errors=True)
    shutil.rmtree(root / "runs", ignore_errors=True)  # other parameter files' outputs
    print("cleaned data/processed, figures, reports, runs")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    from analysis.env.envfiles import write_lock_and_environment

    write_lock_and_environment(_root())
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Benchmarks (bench/run.py, outside the package so editing them never stales a build)."""
    script = _root() / "bench" / "run.py"
    return subprocess.run([sys.executable, str(script), *args.bench_args], cwd=_root()).returncode


def cmd_hygiene(args: argparse.Namespace) -> int:
    """The checks a commit must pass (``make hooks`` runs ``pre-commit`` on each commit)."""
    from analysis.build import precommit

    root = _root()
    files = [Path(f).resolve() for f in args.files]
    if args.check == "pre-commit":
        return precommit.pre_commit(root, files or None)
    if args.check == "strip":
        for nb in files or sorted((root / "notebooks").glob("*.ipynb")):
            if precommit.strip_notebook(nb):
                print(f"stripped {nb}")
        return 0
    if args.check == "large-files":
        found = precommit.large_files(files or precommit.staged_files(root), args.max_kb)
    else:
        found = [
            line
            for nb in files or sorted((root / "notebooks").glob("*.ipynb"))
            if nb.suffix == ".ipynb"
            for line in precommit.notebook_problems(nb)
        ]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("setup", help="create .venv from requirements.lock and register the kernel")
    s.add_argument("--force", action="store_true", help="reinstall even if up to date")
    s.set_defaults(func=cmd_setup)

    s = sub.add_parser("report", help="run the notebooks and render the reports")
    s.add_argument("--params", default=None, help="parameters file (default params/default.yaml)")
    s.add_argument("--jobs", type=int, default=2, help="notebooks run side by side")
    s.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("status", help="what `report` would run and why, without running it")
    s.add_argument("--params", default=None, help="parameters file (default params/default.yaml)")
    s.add_argument("--graph", action="store_true", help="print the dependency graph (Mermaid)")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("figures", help="collect the figures and captions for the written review")
    s.add_argument("--params", default=None, help="parameters file (default params/default.yaml)")
    s.set_defaults(func=cmd_figures)

    s = sub.add_parser("shots", help="screenshots of the leadership pages and PDF for review")
    s.add_argument("--params", default=None, help="parameters file (default params/default.yaml)")
    s.set_defaults(func=cmd_shots)

    s = sub.add_parser("test", help="lint, unit tests and notebook tests")
    s.add_argument(
        "--fast", action="store_true", help="no notebooks, no builds, no slow fits (test-fast)"
    )
    s.add_argument("--jobs", type=int, default=2, help="pytest workers")
    s.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    s.set_defaults(func=cmd_test)

    s = sub.add_parser("lint", help="ruff (code and notebooks), mypy, notebooks stored clean")
    s.set_defaults(func=cmd_lint)

    s = sub.add_parser("lab", help="start JupyterLab in the project")
    s.set_defaults(func=cmd_lab)

    s = sub.add_parser("clean", help="remove build outputs")
    s.set_defaults(func=cmd_clean)

    s = sub.add_parser("lock", help="re-pin requirements.lock and environment.yml from .venv")
    s.set_defaults(func=cmd_lock)

    s = sub.add_parser("hygiene", help="the checks a commit must pass (see `make hooks`)")
    s.add_argument("check", choices=["pre-commit", "notebooks", "large-files", "strip"])
    s.add_argument("files", nargs="*", help="files to check (default: staged / all notebooks)")
    s.add_argument("--max-kb", type=int, default=1024, help="large-files: the limit in KB")
    s.set_defaults(func=cmd_hygiene)

    s = sub.add_parser(
        "bench",
        help="benchmarks: cold/no-op/edited builds, per-notebook cost, scale, fresh set-up",
        add_help=False,
    )
    s.add_argument("bench_args", nargs=argparse.REMAINDER, help="options of bench/run.py")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # every option belongs to bench/run.py (argparse would eat them)
        return cmd_bench(argparse.Namespace(bench_args=argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        rc = 0 if args.command == "setup" else check_venv()
        return rc or int(args.func(args) or 0)
    except FileNotFoundError as exc:
        if "project folder" not in str(exc):
            raise
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    code = main()
    if "analysis.build.execute" in sys.modules:  # a build ran: its files are all closed
        # out as its workers go: without ~0.3-0.5 s of unloading pandas, nbconvert, … at the end
        sys.modules["analysis.build.execute"].exit_without_teardown(code)
    sys.exit(code)
