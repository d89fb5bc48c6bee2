"""``bench/results.md`` from the results dictionary (pure: tested on a hand-made result)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.core import fmt_s


def _f(x: float | None, digits: int = 1, unit: str = "") -> str:
    return "–" if x is None else f"{x:.{digits}f}{unit}"


def _cold(c: Mapping[str, Any]) -> list[str]:
    b, bound = c["bound"], c["bound"]
    lines = [
        "## 1. Cold report against plain nbconvert",
        "",
        "Outputs and the caches (`.cache/`: parsed releases, scaled charts, compiled templates) "
        "cleared before each contender, environment present, in a temporary copy. Baseline: "
        "each notebook "
        "with `jupyter nbconvert --to notebook --execute` (kernel county-sti, default "
        "parameters cell), then `jupyter nbconvert --to html --no-input`, one after another. "
        "Report: `python -m analysis report --jobs N` (staging, both pages, index). Baseline and "
        "report alternate within each repetition.",
        "",
        "| | wall: median (min–max, n) | CPU (user+sys) median |",
        "|---|---|---|",
        f"| baseline (serial nbconvert) | {fmt_s(c['baseline'])} | "
        f"{_f(c['baseline_cpu'].get('median'))} s |",
        f"| `make report` (cold) | {fmt_s(c['report'])} | {_f(c['report_cpu'].get('median'))} s |",
        "",
        f"**Ratio report / baseline: {_f(c['ratio'], 2)}** (per repetition: "
        f"{', '.join(f'{r:.2f}' for r in c['ratio_per_repetition'])}); goal ≤ {c['goal_ratio']}: "
        f"**{'met' if c['goal_met'] else 'missed'}**."
        + ("" if c["all_ok"] else " *A notebook failed in at least one run: see the JSON.*"),
        "",
        *_versus(c),
        f"Bound from `notebooks/pipeline.yaml` (costs = baseline execute + HTML per notebook): "
        f"work {_f(bound['work_s'])} s, critical path {_f(bound['span_s'])} s "
        f"({' → '.join(bound['critical_path'])}); on {bound['cores']} cores no schedule beats "
        f"max(span, work/{bound['cores']}) = {_f(bound['best_wall_s'])} s, i.e. a ratio of "
        f"**{_f(bound['best_ratio'], 2)}** at best (max speed-up with unlimited cores "
        f"{_f(b['max_speedup'], 2)}×).",
        "",
        "| notebook | waits for | baseline execute | baseline HTML |",
        "|---|---|---|---|",
    ]
    last = c["baseline_runs"][-1]["notebooks"]
    for name in c["baseline_notebook_cost_s"]:
        e = last.get(name, {})
        deps = ", ".join(c["dependencies"].get(name, [])) or "–"
        fail = "" if e.get("ok", True) else " (failed)"
        lines.append(
            f"| {name} | {deps} | {_f(e.get('execute_s'))} s{fail} | {_f(e.get('html_s'))} s |"
        )
    return [*lines, ""]


def _versus(c: Mapping[str, Any]) -> list[str]:
    """Every contender against the serial nbconvert baseline of the same run."""
    table = c.get("versus_baseline")
    if not table:
        return []
    inst = c.get("peer_install")
    lines = [
        "Every contender against the baseline of the same run (BLAS threads pinned to one per "
        "process for all; ploomber in its own temporary venv"
        + (f", version {inst['version']}" if inst and inst.get("ok") else "")
        + ", rendering each notebook to HTML without input like the baseline). Wall and CPU "
        "seconds side by side: on a loaded machine wall time stretches, CPU seconds much less.",
        "",
        "| | wall: median (min–max, n) | CPU median | wall / baseline | CPU / baseline "
        "| no-op after it |",
        "|---|---|---|---|---|---|",
        f"| serial `nbconvert --execute` (baseline) | {fmt_s(c['baseline'])} | "
        f"{_f(c['baseline_cpu'].get('median'))} s | 1.00 | 1.00 | – |",
    ]
    for label, v in table.items():
        runs = c.get("peers", {}).get(label.split(" ")[-1], []) if label != "report" else []
        noops = [r["noop_s"] for r in runs if "noop_s" in r]
        noop = f"{sorted(noops)[len(noops) // 2]:.2f} s" if noops else "–"
        name = "`python -m analysis report` (cold)" if label == "report" else label
        fail = f" ({v['failed']} failed)" if v["failed"] else ""
        lines.append(
            f"| {name}{fail} | {fmt_s(v['wall'])} | {_f(v['cpu'].get('median'))} s | "
            f"**{_f(v['ratio'], 2)}** | {_f(v['ratio_cpu'], 2)} | {noop} |"
        )
    if inst and not inst.get("ok"):
        lines += [
            "",
            f"Ploomber could not be installed, so it is not in the table: {inst['error']}.",
        ]
    return [*lines, ""]


def _noop_edit(results: Mapping[str, Any]) -> list[str]:
    lines = ["## 2. No-op and one notebook edited", ""]
    n = results.get("noop")
    if n:
        ran = sorted({x for r in n["runs"] for x in r["ran"]})
        failed = sorted({x for r in n["runs"] for x in r.get("failed", [])})
        lines += [
            f"No-op `python -m analysis report` (nothing changed): **{fmt_s(n['wall'], 2)}** "
            f"(CPU {_f((n.get('cpu') or {}).get('median'), 2)} s); goal "
            f"≤ {n['goal_s']} s: **{'met' if n['goal_met'] else 'missed'}**. "
            f"Rebuilt: {', '.join(ran) or 'nothing'}."
            + (
                f" **Not a no-op: {', '.join(failed)} failed in the cold build, so every build "
                "retries it.**"
                if failed
                else ""
            ),
            "",
        ]
    e = results.get("edit")
    if e and "skipped" not in e:
        secs = {k: v for r in e["runs"] for k, v in r["notebook_seconds"].items()}
        lines += [
            f"A markdown cell of {e['notebook']} edited (an HTML comment appended), then "
            f"`python -m analysis report`: **{fmt_s(e['wall'])}**. Rebuilt: "
            f"{', '.join(f'{k} ({_f(v)} s)' for k, v in sorted(secs.items())) or 'nothing'}; "
            f"declared dependents: {', '.join(e['declared_dependents'])} — "
            f"{'only those' if e['only_dependents'] else 'MORE than those'} rebuilt.",
            "",
        ]
    elif e:
        lines += [f"Edit: skipped ({e['skipped']}).", ""]
    return lines


def _notebooks(nbs: Mapping[str, Any]) -> list[str]:
    lines = [
        "## 3. Per-notebook cost",
        "",
        "From the last cold report: kernel start = papermill's first cell start − notebook start; "
        "cells = the sum of its cell times in that build; imports = the notebook's import "
        "statements timed in a fresh interpreter (median): what each kernel paid before the "
        "fork server, which now loads them once before the kernels are forked (in the build "
        "they cost next to nothing, so cells ≈ the notebook's own work); HTML = the runner's "
        "two pages (leadership, analyst) timed apart, and nbconvert's `--no-input` HTML in the "
        "baseline (process start included).",
        "",
        "| notebook | runner total | kernel start | cells | imports (fresh interpreter) "
        "| HTML pages (lead + code) | nbconvert HTML | heaviest cells |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, e in nbs.items():
        if e.get("missing"):
            lines.append(f"| {name} | not built | | | | | | |")
            continue
        heavy = "; ".join(f"`{h['id']}` {h['seconds']:.1f} s" for h in e["heaviest"])
        lead, code = e["html_leadership_s"].get("median"), e["html_code_s"].get("median")
        pages = None if lead is None or code is None else lead + code
        lines.append(
            f"| {name} | {_f(e['runner_s'])} s | {_f(e['kernel_start_s'])} s | "
            f"{_f(e['cells_s'])} s | {_f(e['imports_s'].get('median'))} s | {_f(pages)} s | "
            f"{_f((e.get('baseline_html_s') or {}).get('median'))} s | {heavy} |"
        )
    lines += ["", "Heaviest cells (first line):", ""]
    for name, e in nbs.items():
        for h in e.get("heaviest", []):
            lines.append(f"- {name} `{h['id']}` {h['seconds']:.1f} s: `{h['first_line']}`")
    return [*lines, ""]


def _scale(s: Mapping[str, Any]) -> list[str]:
    if "skipped" in s:
        return ["## 4. Scale", "", f"Skipped ({s['skipped']}).", ""]
    lines = [
        f"## 4. Scale: {s['notebook']} for N counties, {s['jobs']} at a time",
        "",
        f"One parameterised run per county (county, county_code, city), each into its own output "
        f"folder pre-filled with the cold build's processed tables, executed by the runner's "
        f"worker (`report.execute`: papermill + both pages), {s['jobs']} at a time. Counties: the "
        f"run's county, then the other units of {s['city']} ({s['n_city']} units in all), then "
        f"every other unit ({s['n_all']}). Peak memory: resident set of all worker and kernel "
        f"processes together, sampled every 0.2 s (shared pages counted twice).",
        "",
        "| N | wall (median, n) | per county | peak RSS all | peak RSS one process | CPU | "
        "per run: total / kernel start / cells / pages+overhead | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n in s["sizes"]:
        b = s["batches"][str(n)]
        pr = b["per_run_median"]
        lines.append(
            f"| {n} | {fmt_s(b['wall'])} | {_f(b['wall']['median'] / n)} s | "
            f"{_f(b['peak_rss_total_mb'], 0)} MB | {_f(b['peak_rss_process_mb'], 0)} MB | "
            f"{_f(b['cpu_s'].get('median'))} s | {_f(pr.get('seconds'))} / "
            f"{_f(pr.get('kernel_start_s'))} / {_f(pr.get('cells_s'))} / "
            f"{_f(pr.get('pages_and_overhead_s'))} s | {', '.join(b['failed']) or '–'} |"
        )
    fit = s.get("fit")
    if fit:
        lines += [
            "",
            f"Least squares: wall ≈ {fit['intercept']:.1f} s + {fit['slope']:.2f} s × N "
            f"(R² {fit['r2']:.3f}).",
        ]
    return [*lines, ""]


def _steps_table(steps: Mapping[str, Any], total_s: float) -> list[str]:
    """Timed steps (wall, CPU, exit code) and their total, as a table."""
    rows = [
        f"| {label} | {_f(x['seconds'])} s | {_f(x['cpu_seconds'])} s | {x['rc']} |"
        for label, x in steps.items()
    ]
    return ["| step | wall | CPU | rc |", "|---|---|---|---|", *rows,
            f"| **total** | **{_f(total_s)} s** | | |"]  # fmt: skip


def _setup(s: Mapping[str, Any]) -> list[str]:
    st = s["steps"]
    v = s.get("venv") or {}
    lines = [
        "## 5. Fresh set-up: clone to finished `make report`",
        "",
        *_steps_table(st, s["total_s"]),
        "",
        f"Commit {s['commit']}; pip's cache was used. Environment (.venv): "
        f"{_f(v.get('disk_bytes', 0) / 2**20, 0)} MB on disk, "
        f"{_f(v.get('apparent_bytes', 0) / 2**20, 0)} MB apparent, {v.get('files', 0)} files.",
        "",
    ]
    return lines


def _env(e: Mapping[str, Any]) -> list[str]:
    st, size = e["steps"], e.get("size") or {}
    lines = [
        "## 6. Environment: fresh `python -m venv` + `pip install -r requirements.lock`",
        "",
        f"{e['pinned']} pinned packages; pip's cache allowed (as for a user who installed "
        "before; without it the download adds minutes).",
        "",
        *_steps_table(st, e["total_s"]),
        "",
        f"Size: {_f(size.get('disk_bytes', 0) / 2**20, 0)} MB on disk (du), "
        f"{_f(size.get('apparent_bytes', 0) / 2**20, 0)} MB apparent, {size.get('files', 0)} "
        "files. Largest: "
        + ", ".join(f"{x['name']} {x['disk_bytes'] / 2**20:.0f} MB" for x in e.get("largest", []))
        + ".",
        "",
    ]
    return lines


def render_markdown(results: Mapping[str, Any]) -> str:
    m = results["meta"]
    mach = m["machine"]
    lines = ["# Benchmark results", ""]
    if m.get("provisional"):
        lines += [
            f"> **PROVISIONAL** — {m['provisional']}. Re-run `make bench` on a quiet "
            "machine for the numbers to quote.",
            "",
        ]
    load0 = ", ".join(f"{x:.1f}" for x in mach["loadavg"])
    load1 = ", ".join(f"{x:.1f}" for x in m.get("loadavg_end", []))
    lines += [
        f"Started {m['started']}, commit {m['commit']}, {mach['cpu_count']} cores, Python "
        f"{mach['python']}; load average at start {load0}, at end {load1}. Repetitions: "
        f"{m['repetitions']} (cold report and baseline {m['cold_repetitions']}, scale "
        f"{m['scale_repetitions']}); `--jobs {m['jobs']}`. Notebooks: "
        f"{', '.join(m.get('notebooks', []))}. Bench time "
        f"{m.get('bench_seconds', 0) / 60:.1f} min. Spread = min–max over the repetitions.",
        "",
    ]
    if "cold" in results:
        lines += _cold(results["cold"])
    if "noop" in results or "edit" in results:
        lines += _noop_edit(results)
    if "notebooks" in results:
        lines += _notebooks(results["notebooks"])
    if "scale" in results:
        lines += _scale(results["scale"])
    if "setup" in results:
        lines += _setup(results["setup"])
    if "env" in results:
        lines += _env(results["env"])
    return "\n".join(lines).rstrip() + "\n"
