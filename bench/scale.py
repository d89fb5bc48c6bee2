"""Scale in counties: one notebook run for many counties at once, its time and peak memory,
and the fit of time against the number of counties."""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import core
from bench.measure import children_cpu, say


# 4. scale in counties ---------------------------------------------------------------------------
class MemorySampler:
    """Peak resident memory of this process's descendants (workers and kernels), sampled."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_total = 0
        self.peak_process = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_process = max(self.peak_process, rss)
            self.peak_total = max(self.peak_total, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def analysis_root(root: Path) -> Iterator[None]:
    old = os.environ.get("ANALYSIS_ROOT")
    os.environ["ANALYSIS_ROOT"] = str(root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("ANALYSIS_ROOT", None)
        else:
            os.environ["ANALYSIS_ROOT"] = old


def read_units(processed: Path) -> list[dict[str, str]]:
    import csv

    with open(processed / "county_covariates.csv", encoding="utf-8-sig", newline="") as fh:
        return [
            {"code": r["code"], "name": r["name"], "city": r["city"]} for r in csv.DictReader(fh)
        ]


def scale_batch(
    root: Path, notebook: str, counties: list[dict[str, str]], jobs: int, tag: str
) -> dict[str, Any]:
    """One parameterised run of the notebook per county, ``jobs`` at a time, each into its own
    output folder ``runs/bench/<tag>/<code>`` pre-filled with the processed tables of the cold
    build (what the notebook reads); executed by the runner's worker (papermill + both pages)."""
    from analysis.build import execute, plan
    from analysis.params import load_params

    nb_path = root / "notebooks" / f"{notebook}.ipynb"
    jobs_list = []
    for u in counties:
        rel = f"runs/bench/{tag}/{u['code']}"
        out = root / rel
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(root / "data" / "processed", out / "data" / "processed")
        with analysis_root(root):
            params = load_params(
                None, county=u["name"], county_code=u["code"], city=u["city"], output_dir=rel
            )
        parameters = plan.notebook_parameters(nb_path, params)
        jobs_list.append(
            execute.Job(notebook, str(nb_path), str(out), parameters, str(root / "notebooks"))
        )
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    with analysis_root(root), MemorySampler() as mem:
        pool = cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        try:
            outcomes = list(pool.map(execute.execute, jobs_list))
        finally:
            pool.shutdown()
    wall = time.perf_counter() - t0
    runs = []
    for u, o, j in zip(counties, outcomes, jobs_list):
        entry: dict[str, Any] = {
            "code": u["code"],
            "county": u["name"],
            "ok": o.ok,
            "seconds": o.seconds,
        }
        executed = Path(j.staging) / "reports" / f"{notebook}.ipynb"
        if o.ok and executed.is_file():
            t = core.papermill_timing(json.loads(executed.read_text(encoding="utf-8")), top=1)
            entry.update(
                kernel_start_s=t["kernel_start_s"],
                cells_s=t["cells_s"],
                papermill_s=t["papermill_s"],
                heaviest=t["heaviest"],
            )
            entry["pages_and_overhead_s"] = o.seconds - (t["papermill_s"] or 0)
        elif not o.ok:
            entry["error"] = f"{o.ename}: {o.evalue}"[:300]
        runs.append(entry)
    shutil.rmtree(root / "runs" / "bench" / tag, ignore_errors=True)
    good = [r for r in runs if r["ok"] and "cells_s" in r]

    def med(key: str) -> float | None:
        vals = [r[key] for r in good if r.get(key) is not None]
        return core.summarise(vals)["median"] if vals else None

    return {
        "n": len(counties),
        "wall_s": wall,
        "cpu_s": children_cpu() - cpu0,  # the workers and their kernels, once they exited
        "peak_rss_total_mb": mem.peak_total / 2**20,
        "peak_rss_process_mb": mem.peak_process / 2**20,
        "failed": [r["code"] for r in runs if not r["ok"]],
        "per_run_median": {
            k: med(k) for k in ("seconds", "kernel_start_s", "cells_s", "pages_and_overhead_s")
        },
        "runs": runs,
    }


def measure_scale(root: Path, notebook: str, spec: str, reps: int, jobs: int) -> dict[str, Any]:
    from analysis.params import load_params

    with analysis_root(root):
        params = load_params(None)
    units = core.county_order(
        read_units(root / "data" / "processed"), params.county_code, params.city
    )
    n_city = sum(u["city"] == params.city for u in units)
    sizes = core.scale_sizes(spec, n_city, len(units))
    batches: dict[str, Any] = {}
    for n in sizes:
        reps_n = []
        for r in range(reps):
            say(f"scale: {notebook} for {n} counties, {jobs} at a time ({r + 1}/{reps})")
            reps_n.append(scale_batch(root, notebook, units[:n], jobs, f"n{n}-r{r}"))
            say(
                f"scale: N={n} {reps_n[-1]['wall_s']:.1f} s, peak "
                f"{reps_n[-1]['peak_rss_total_mb']:.0f} MB"
            )
        batches[str(n)] = {
            "wall": core.summarise([b["wall_s"] for b in reps_n]),
            "peak_rss_total_mb": max(b["peak_rss_total_mb"] for b in reps_n),
            "peak_rss_process_mb": max(b["peak_rss_process_mb"] for b in reps_n),
            "cpu_s": core.summarise([b["cpu_s"] for b in reps_n]),
            "failed": sorted({c for b in reps_n for c in b["failed"]}),
            "per_run_median": reps_n[-1]["per_run_median"],
            "counties": [u["code"] for u in units[:n]],
            "repetitions": reps_n,
        }
    xs = [float(n) for n in sizes]
    fit = core.linear_fit(xs, [batches[str(n)]["wall"]["median"] for n in sizes])
    return {
        "notebook": notebook,
        "jobs": jobs,
        "city": params.city,
        "n_city": n_city,
        "n_all": len(units),
        "sizes": sizes,
        "batches": batches,
        "fit": fit,
    }
