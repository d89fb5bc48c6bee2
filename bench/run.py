"""``make bench``: time the report build against plain nbconvert, in one run, on temporary copies.

    .venv/bin/python -m analysis bench [--repetitions 3] [--scale 1,2,city] [--skip setup] ...

Everything runs in a temporary copy of the project (``ANALYSIS_ROOT``), never in the working
tree. Results: ``bench/results.json`` (every measurement) and ``bench/results.md`` (tables).
Parts (``--only``/``--skip``): cold, peers, noop, edit, notebooks, scale, env, setup. See
docs/performance.md
"Performance" for what each measures and the knobs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the sibling module importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import core, environment, peers
from bench.measure import last_error, project_env, report_cmd, say, timed
from bench.notebooks import measure_notebooks
from bench.scale import measure_scale

REPO = Path(__file__).resolve().parents[1]
PARTS = ("cold", "peers", "noop", "edit", "notebooks", "scale", "env", "setup")
GOAL_RATIO = 0.25
GOAL_NOOP_S = 0.5


# the project's notebooks and dependencies -------------------------------------------------
def load_pipeline(root: Path) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The notebooks (discovered from the folder, as the runner does) and their dependencies."""
    from analysis.build import plan
    from analysis.paths import Paths

    paths = Paths(root=root, out=root)
    steps = plan.load_steps(paths)
    return steps, plan.dependencies(steps)


# 1. cold report against the baseline ------------------------------------------------------------
def baseline(root: Path, names: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    """The same notebooks one after another with plain nbconvert (their default parameters
    cells, which equal params/default.yaml), then each to HTML without input."""
    out = root / "baseline"
    out.mkdir(parents=True, exist_ok=True)
    per: dict[str, dict[str, Any]] = {}
    total = cpu = 0.0
    ok = True
    for name in names:
        nb = root / "notebooks" / f"{name}.ipynb"
        ex = timed(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.kernel_name=county-sti",
                "--output-dir",
                str(out),
                str(nb),
            ],
            env,
            root,
        )
        entry: dict[str, Any] = {
            "execute_s": ex.seconds,
            "execute_cpu_s": ex.cpu_seconds,
            "ok": ex.rc == 0,
        }
        total, cpu = total + ex.seconds, cpu + ex.cpu_seconds
        if ex.rc == 0:
            ht = timed(
                [
                    sys.executable,
                    "-m",
                    "jupyter",
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    "--output-dir",
                    str(out),
                    str(out / nb.name),
                ],
                env,
                root,
            )
            entry.update(html_s=ht.seconds, html_cpu_s=ht.cpu_seconds)
            total, cpu = total + ht.seconds, cpu + ht.cpu_seconds
            entry["ok"] = ht.rc == 0
        if not entry["ok"]:
            ok = False
            entry["error"] = last_error(ex.output)
            say(f"baseline: {name} failed: {entry['error']}")
        per[name] = entry
    return {"seconds": total, "cpu_seconds": cpu, "ok": ok, "notebooks": per}


def cold_report(root: Path, jobs: int, env: dict[str, str]) -> dict[str, Any]:
    t = timed(report_cmd(jobs), env, root)
    log = core.parse_report_log(t.output)
    failed = sorted(n for n, e in log.items() if e["status"] in {"failed", "blocked"})
    if t.rc:
        say(f"report failed (rc {t.rc}): {', '.join(failed)}")
    return {
        "seconds": t.seconds,
        "cpu_seconds": t.cpu_seconds,
        "rc": t.rc,
        "failed": failed,
        "notebooks": log,
    }


def ploomber_run(root: Path, peer: dict[str, Any], executor: str) -> dict[str, Any]:
    """One cold ``ploomber build`` with an executor, then the same build again with nothing
    changed (ploomber's no-op)."""
    cmd = peers.build_cmd(peer["python"], peer["specs"][executor])
    cold = timed(cmd, peer["env"], root / peers.PEER_DIR)
    out: dict[str, Any] = {
        "seconds": cold.seconds,
        "cpu_seconds": cold.cpu_seconds,
        "rc": cold.rc,
    }
    if cold.rc:
        out["error"] = last_error(cold.output)
        say(f"ploomber {executor} failed: {out['error']}")
        return out
    noop = timed(cmd, peer["env"], root / peers.PEER_DIR)
    out.update(noop_s=noop.seconds, noop_cpu_s=noop.cpu_seconds, noop_rc=noop.rc)
    return out


def measure_cold(
    root: Path,
    names: list[str],
    deps: dict[str, set[str]],
    reps: int,
    jobs: int,
    cores: int,
    env: dict[str, str],
    peer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Baseline, the peers (ploomber serial and parallel, when installed) and the report
    alternate (B P P R B P P R …) so drift in the machine's load hits all; the report runs
    last, leaving its outputs for the later parts."""
    base_runs, report_runs = [], []
    peer_runs: dict[str, list[dict[str, Any]]] = {ex: [] for ex in peers.EXECUTORS}
    for r in range(reps):
        core.clear_outputs(root)
        say(f"cold {r + 1}/{reps}: baseline (nbconvert, one after another)")
        base_runs.append(baseline(root, names, env))
        say(f"cold {r + 1}/{reps}: baseline {base_runs[-1]['seconds']:.1f} s")
        for ex in peer_runs if peer and peer.get("ok") else ():
            core.clear_outputs(root)
            peers.clear(root, ex)
            say(f"cold {r + 1}/{reps}: ploomber {ex}")
            peer_runs[ex].append(ploomber_run(root, peer, ex))
            say(f"cold {r + 1}/{reps}: ploomber {ex} {peer_runs[ex][-1]['seconds']:.1f} s")
        core.clear_outputs(root)
        say(f"cold {r + 1}/{reps}: report --jobs {jobs}")
        report_runs.append(cold_report(root, jobs, env))
        say(f"cold {r + 1}/{reps}: report {report_runs[-1]['seconds']:.1f} s")
    b = core.summarise([x["seconds"] for x in base_runs])
    rep = core.summarise([x["seconds"] for x in report_runs])
    cost = {}
    for n in names:
        vals = [
            x["notebooks"][n].get("execute_s", 0) + x["notebooks"][n].get("html_s", 0)
            for x in base_runs
        ]
        cost[n] = core.summarise(vals)["median"]
    bound = core.parallel_bound({n: deps.get(n, set()) for n in names}, cost, cores)
    ratio = rep["median"] / b["median"] if b.get("median") else None
    base_cpu = core.summarise([x["cpu_seconds"] for x in base_runs])
    contenders = {"report": report_runs} | {f"ploomber {ex}": v for ex, v in peer_runs.items()}
    table = {
        label: core.versus_baseline(runs, base_runs) for label, runs in contenders.items() if runs
    }
    return {
        "peers": peer_runs if peer and peer.get("ok") else {},
        "versus_baseline": table,
        "baseline": b,
        "report": rep,
        "baseline_cpu": base_cpu,
        "report_cpu": core.summarise([x["cpu_seconds"] for x in report_runs]),
        "ratio": ratio,
        "ratio_per_repetition": [
            r["seconds"] / s["seconds"] for r, s in zip(report_runs, base_runs)
        ],
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio is not None and ratio <= GOAL_RATIO,
        "all_ok": all(x["ok"] for x in base_runs) and all(x["rc"] == 0 for x in report_runs),
        "baseline_notebook_cost_s": cost,
        "bound": bound,
        "dependencies": {n: sorted(deps.get(n, ())) for n in names},
        "baseline_runs": base_runs,
        "report_runs": report_runs,
    }


# 2. no-op and one notebook edited ----------------------------------------------------------
def measure_noop(root: Path, reps: int, jobs: int, env: dict[str, str]) -> dict[str, Any]:
    runs = []
    for _ in range(reps):
        t = timed(report_cmd(jobs), env, root)
        log = core.parse_report_log(t.output)
        runs.append(
            {
                "seconds": t.seconds,
                "cpu_seconds": t.cpu_seconds,
                "rc": t.rc,
                "ran": sorted(n for n, e in log.items() if e["status"] == "ran"),
                "failed": sorted(n for n, e in log.items() if e["status"] == "failed"),
            }
        )
    s = core.summarise([r["seconds"] for r in runs])
    return {
        "wall": s,
        "cpu": core.summarise([r["cpu_seconds"] for r in runs]),
        "goal_s": GOAL_NOOP_S,
        "goal_met": s["median"] <= GOAL_NOOP_S,
        "runs": runs,
    }


def measure_edit(
    root: Path, notebook: str, deps: dict[str, set[str]], reps: int, jobs: int, env: dict[str, str]
) -> dict[str, Any]:
    """Append a comment to a markdown cell of one notebook, rebuild: what ran, how long."""
    expected = core.dependents(deps, notebook)
    runs = []
    for r in range(reps):
        cell = core.edit_markdown(root / "notebooks" / f"{notebook}.ipynb", f"bench edit {r + 1}")
        t = timed(report_cmd(jobs), env, root)
        log = core.parse_report_log(t.output)
        runs.append(
            {
                "seconds": t.seconds,
                "rc": t.rc,
                "ran": sorted(n for n, e in log.items() if e["status"] == "ran"),
                "reasons": {n: e.get("reason", "") for n, e in log.items() if e["status"] == "ran"},
                "notebook_seconds": {
                    n: e.get("seconds") for n, e in log.items() if e["status"] == "ran"
                },
                "cell": cell,
            }
        )
    ran = sorted({n for r in runs for n in r["ran"]})
    return {
        "notebook": notebook,
        "wall": core.summarise([r["seconds"] for r in runs]),
        "declared_dependents": expected,
        "rebuilt": ran,
        "only_dependents": set(ran) <= set(expected),
        "runs": runs,
    }


# 5. fresh set-up ----------------------------------------------------------------------------------
def measure_setup(source: Path, tmp: Path, jobs: int) -> dict[str, Any]:
    """git clone, then ``make setup`` (.venv from the lock; pip's cache is used) and
    ``make report`` in the clone; size of the environment."""
    clone = tmp / "clone"
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYSIS_ROOT", "VIRTUAL_ENV")}
    steps = {}
    for label, cmd, cwd in (
        ("clone", ["git", "clone", "--quiet", str(source), str(clone)], tmp),
        ("setup", ["make", "setup"], clone),
        ("report", ["make", "report", f"JOBS={jobs}"], clone),
    ):
        say(f"setup: {label}")
        t = timed(cmd, env, cwd)
        steps[label] = {"seconds": t.seconds, "cpu_seconds": t.cpu_seconds, "rc": t.rc}
        if t.rc:
            steps[label]["error"] = last_error(t.output)
            say(f"setup: {label} failed: {steps[label]['error']}")
            if label != "report":
                break
    commit = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    size = core.tree_bytes(clone / ".venv") if (clone / ".venv").is_dir() else {}
    total = sum(s["seconds"] for s in steps.values())
    return {"steps": steps, "total_s": total, "commit": commit, "venv": size}


# results ----------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    return {
        "host": platform.node(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "loadavg": list(os.getloadavg()),
    }


def git_commit(root: Path) -> str:
    r = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True
    ).stdout.strip()
    return (r.stdout.strip() or "unknown") + ("+dirty" if dirty else "")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m analysis bench", description=__doc__.split("\n")[0])
    p.add_argument("--repetitions", type=int, default=3, help="repetitions of each measurement")
    p.add_argument(
        "--cold-repetitions",
        type=int,
        default=1,
        help="repetitions of the cold report and baseline (default 1: ~10 min a pair, 02 "
        "dominates; 3 for a quotable spread)",
    )
    p.add_argument(
        "--scale-repetitions",
        type=int,
        default=1,
        help="repetitions of each scale batch (default 1: each is already N runs)",
    )
    p.add_argument("--jobs", type=int, default=2, help="notebooks side by side (report, scale)")
    p.add_argument("--cores", type=int, default=None, help="cores for the bound (default: all)")
    p.add_argument("--edit", default="03", help="notebook (number or stem) edited in part 2")
    p.add_argument("--scale-notebook", default="03", help="notebook run per county in part 4")
    p.add_argument(
        "--scale",
        default="1,2,4,city",
        help="county counts: numbers, 'city' (the run's city), 'all' (every unit)",
    )
    p.add_argument("--only", default="", help=f"comma list of parts ({','.join(PARTS)})")
    p.add_argument("--skip", default="", help="comma list of parts to leave out")
    p.add_argument("--project", default=str(REPO), help="project to copy (default: this one)")
    p.add_argument("--out", default=str(REPO / "bench"), help="folder for results.json/.md")
    p.add_argument(
        "--provisional",
        default="",
        help="mark the results provisional, with this reason (e.g. a busy machine)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary project copy")
    p.add_argument(
        "--ploomber-venv",
        default="",
        help="a folder for ploomber's venv, reused if it exists (default: a fresh temporary one)",
    )
    return p.parse_args(argv)


def save(results: dict[str, Any], out: Path, started: float) -> None:
    """Write results.json and results.md (after every part, so an interrupted bench keeps
    what it measured)."""
    from bench.report_md import render_markdown

    results["meta"]["loadavg_end"] = list(os.getloadavg())
    results["meta"]["bench_seconds"] = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False) + "\n"
    (out / "results.json").write_text(text, encoding="utf-8")
    (out / "results.md").write_text(render_markdown(results), encoding="utf-8")


def _stem(names: Sequence[str], key: str) -> str | None:
    return next((n for n in names if n == key or n.startswith(f"{key}_")), None)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    parts = [p for p in (args.only.split(",") if args.only else PARTS) if p]
    parts = [p for p in parts if p not in args.skip.split(",")]
    unknown = set(parts) - set(PARTS)
    if unknown:
        print(f"unknown parts {sorted(unknown)}; known: {', '.join(PARTS)}", file=sys.stderr)
        return 2
    reps = max(1, args.repetitions)
    cold_reps = max(1, args.cold_repetitions)
    cores = args.cores or os.cpu_count() or 1
    source = Path(args.project).resolve()
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": git_commit(source),
            "machine": machine(),
            "parts": parts,
            "repetitions": reps,
            "cold_repetitions": cold_reps,
            "scale_repetitions": args.scale_repetitions,
            "jobs": args.jobs,
            "cores_for_bound": cores,
            "provisional": args.provisional,
            "argv": core.portable_argv(argv if argv is not None else sys.argv[1:], source),
        }
    }
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    root = core.copy_project(source, tmp / "project")
    env = project_env(root)
    say(f"project copy: {root}")
    try:
        steps, deps = load_pipeline(root)
        names = sorted(steps)
        results["meta"]["notebooks"] = names
        cold = None
        need_build = any(p in parts for p in ("noop", "edit", "notebooks", "scale"))
        peer = None
        if "cold" in parts and "peers" in parts:
            say("peers: pip install ploomber into a temporary venv")
            peer = peers.install(Path(args.ploomber_venv) if args.ploomber_venv else tmp / "pv")
            if peer["ok"]:
                peer["specs"] = peers.write_specs(root, names, deps, args.jobs)
                peer["env"] = peers.peer_env(env, source / ".venv")
            else:
                say(f"peers: ploomber not available: {peer['error']}")
        if "cold" in parts:
            cold = results["cold"] = measure_cold(
                root, names, deps, cold_reps, args.jobs, cores, env, peer
            )
            if peer:  # paths and environment are not results
                cold["peer_install"] = {
                    k: v for k, v in peer.items() if k in ("ok", "version", "error")
                }
            save(results, Path(args.out), started)
        elif need_build:
            say("building once (cold part skipped)")
            core.clear_outputs(root)
            cold_report(root, args.jobs, env)
        if "noop" in parts:
            say("no-op report")
            results["noop"] = measure_noop(root, reps, args.jobs, env)
            save(results, Path(args.out), started)
        if "notebooks" in parts:  # before the edit, which rebuilds one notebook
            results["notebooks"] = measure_notebooks(root, names, reps, env, cold)
            save(results, Path(args.out), started)
        if "edit" in parts:
            target = _stem(names, args.edit)
            if target is None:
                results["edit"] = {"skipped": f"no notebook {args.edit!r}"}
            else:
                say(f"edit: a markdown cell of {target}")
                results["edit"] = measure_edit(root, target, deps, reps, args.jobs, env)
            save(results, Path(args.out), started)
        if "scale" in parts:
            target = _stem(names, args.scale_notebook)
            if target is None or not (root / "data/processed/county_covariates.csv").is_file():
                results["scale"] = {
                    "skipped": f"no notebook {args.scale_notebook!r} or no county table"
                }
            else:
                results["scale"] = measure_scale(
                    root, target, args.scale, max(1, args.scale_repetitions), args.jobs
                )
            save(results, Path(args.out), started)
        if "env" in parts:
            say("env: python -m venv + pip install -r requirements.lock")
            results["env"] = environment.measure_environment(source, tmp)
            save(results, Path(args.out), started)
        if "setup" in parts:
            results["setup"] = measure_setup(source, tmp, args.jobs)
    finally:
        save(results, Path(args.out), started)
        say(
            f"results: {Path(args.out) / 'results.md'} "
            f"({results['meta']['bench_seconds'] / 60:.1f} min)"
        )
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
