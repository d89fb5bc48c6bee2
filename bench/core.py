"""Pure helpers of the benchmarks: statistics, the dependency bound, log and notebook parsing,
project copies. No timing happens here, so every function is unit-tested with exact values.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# what a fresh clone holds that the notebooks read (outputs are never copied)
INPUTS = ("data/raw", "data/internal", "notebooks", "params")
INPUT_FILES = ("pyproject.toml", "requirements.lock")
OUTPUT_FOLDERS = ("data/processed", "figures")
OUTPUT_TREES = ("reports", "runs", "baseline", ".cache")  # .cache: a cold build parses all


# statistics ---------------------------------------------------------------------------------
def summarise(values: Sequence[float]) -> dict[str, Any]:
    """Median and spread of repeated measurements: min–max always, the quartiles when there are
    at least 4 values (fewer make an interquartile range meaningless)."""
    vals = sorted(float(v) for v in values)
    if not vals:
        return {"n": 0, "values": []}
    out: dict[str, Any] = {
        "n": len(vals),
        "median": statistics.median(vals),
        "min": vals[0],
        "max": vals[-1],
        "values": [round(v, 4) for v in values],
    }
    if len(vals) >= 4:
        q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")
        out["q1"], out["q3"] = q1, q3
    return out


def fmt_s(summary: Mapping[str, Any] | None, digits: int = 1) -> str:
    """``12.3 s (11.9–13.0, n=3)``; ``–`` when nothing was measured."""
    if not summary or not summary.get("n"):
        return "–"
    med, lo, hi, n = summary["median"], summary["min"], summary["max"], summary["n"]
    if n == 1:
        return f"{med:.{digits}f} s (n=1)"
    return f"{med:.{digits}f} s ({lo:.{digits}f}–{hi:.{digits}f}, n={n})"


def versus_baseline(
    runs: Sequence[Mapping[str, Any]], base: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """A contender's cold runs against the baseline runs of the same repetitions: wall and CPU
    (median, spread), the ratio of the medians and the ratio per repetition (run i against
    baseline i: the two shared the machine's load at that moment). Failed runs (rc != 0) count
    in ``failed`` and in no ratio."""
    ok = [(r, b) for r, b in zip(runs, base) if r.get("rc", 0) == 0]
    wall = summarise([r["seconds"] for r, _ in ok])
    cpu = summarise([r["cpu_seconds"] for r, _ in ok])
    b_wall = summarise([b["seconds"] for b in base]).get("median")
    b_cpu = summarise([b["cpu_seconds"] for b in base]).get("median")
    return {
        "wall": wall,
        "cpu": cpu,
        "ratio": wall["median"] / b_wall if ok and b_wall else None,
        "ratio_cpu": cpu["median"] / b_cpu if ok and b_cpu else None,
        "ratio_per_repetition": [r["seconds"] / b["seconds"] for r, b in ok],
        "failed": len(runs) - len(ok),
    }


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> dict[str, float] | None:
    """Least squares ``y = a + b·x`` with R²; None with fewer than two distinct x."""
    if len(xs) < 2 or len(set(xs)) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return {"intercept": a, "slope": b, "r2": 1.0 - ss_res / ss_tot if ss_tot else 1.0}


# the dependency bound -----------------------------------------------------------------------
def critical_path(
    deps: Mapping[str, Iterable[str]], cost: Mapping[str, float]
) -> tuple[float, list[str]]:
    """Longest cost-weighted chain through the notebooks (the span): no schedule, on any number
    of cores, finishes before it."""
    memo: dict[str, tuple[float, list[str]]] = {}

    def longest(node: str) -> tuple[float, list[str]]:
        if node not in memo:
            best: tuple[float, list[str]] = (0.0, [])
            for d in sorted(deps.get(node, ())):
                cand = longest(d)
                if cand[0] > best[0]:
                    best = cand
            memo[node] = (best[0] + cost.get(node, 0.0), [*best[1], node])
        return memo[node]

    return max((longest(n) for n in sorted(cost)), key=lambda t: t[0], default=(0.0, []))


def parallel_bound(
    deps: Mapping[str, Iterable[str]], cost: Mapping[str, float], cores: int
) -> dict[str, Any]:
    """Best possible wall time of the notebooks run side by side, relative to one after another.

    Work W = sum of the costs, span S = the critical path; on p cores no schedule beats
    max(S, W/p) (the work–span form of Amdahl's law), so the ratio to the serial run is at least
    max(S, W/p) / W.
    """
    work = float(sum(cost.values()))
    span, path = critical_path(deps, cost)
    best = max(span, work / max(1, cores))
    return {
        "work_s": work,
        "span_s": span,
        "critical_path": path,
        "cores": cores,
        "best_wall_s": best,
        "best_ratio": best / work if work else None,
        "max_speedup": work / span if span else None,
    }


def dependents(deps: Mapping[str, Iterable[str]], start: str) -> list[str]:
    """``start`` and every notebook that (transitively) reads what it writes."""
    out = {start}
    changed = True
    while changed:
        changed = False
        for node, ds in deps.items():
            if node not in out and out & set(ds):
                out.add(node)
                changed = True
    return sorted(out)


# the runner's log ----------------------------------------------------------------------------
_LINE = re.compile(r"^\[(run |done|skip|FAIL)\] (\d\d_\S+?):?(?: (.*))?$")  # notebooks only


def parse_report_log(text: str) -> dict[str, dict[str, Any]]:
    """Per notebook what ``python -m analysis report`` printed: ran (with the reason and its
    seconds), skipped (up to date) or failed."""
    out: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m:
            continue
        tag, name, rest = m.group(1), m.group(2), (m.group(3) or "").strip()
        entry = out.setdefault(name, {"status": "unknown"})
        if tag == "run ":
            entry.update(status="ran", reason=rest.strip("()"))
        elif tag == "done":
            entry["status"] = "ran"
            sec = re.match(r"([0-9.]+) s", rest)
            if sec:
                entry["seconds"] = float(sec.group(1))
        elif tag == "skip":
            entry["status"] = "skipped" if "up to date" in rest else "blocked"
        else:
            entry.update(status="failed", error=rest[:300])
    return out


# executed notebooks --------------------------------------------------------------------------
def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _when(stamp: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(stamp) if stamp else None


def papermill_timing(nb: Mapping[str, Any], top: int = 3) -> dict[str, Any]:
    """Split of an executed notebook from papermill's metadata.

    Papermill stamps the notebook's start before it launches the kernel and each cell's start
    and end, so kernel start = first cell's start − notebook start; ``cells_s`` sums the cells'
    durations; the heaviest ``top`` code cells are listed with their id and first line.
    """
    meta = nb.get("metadata", {}).get("papermill", {})
    cells = nb.get("cells", [])
    started = _when(meta.get("start_time"))
    first = next(
        (c for c in cells if c.get("metadata", {}).get("papermill", {}).get("start_time")), None
    )
    first_start = _when(first["metadata"]["papermill"]["start_time"]) if first else None
    rows = []
    for i, c in enumerate(cells):
        pm = c.get("metadata", {}).get("papermill", {})
        if c.get("cell_type") != "code" or pm.get("duration") is None:
            continue
        line = next((ln.strip() for ln in _source(c).splitlines() if ln.strip()), "")
        rows.append({"index": i, "id": c.get("id", ""), "seconds": float(pm["duration"]),
                     "first_line": line[:80]})  # fmt: skip
    heaviest = sorted(rows, key=lambda r: -r["seconds"])[:top]
    return {
        "kernel_start_s": (first_start - started).total_seconds()
        if started and first_start
        else None,
        "cells_s": sum(r["seconds"] for r in rows),
        "papermill_s": meta.get("duration"),
        "heaviest": heaviest,
    }


def import_statements(nb: Mapping[str, Any]) -> list[str]:
    """Every top-level ``import``/``from … import`` of the notebook's code cells, in order and
    without repeats (the parameters cells, stored or injected, hold none)."""
    seen: list[str] = []
    for c in nb.get("cells", []):
        if c.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_source(c))
        except SyntaxError:  # IPython magics: no imports counted from that cell
            continue
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                stmt = ast.unparse(node)
                if stmt not in seen:
                    seen.append(stmt)
    return seen


def edit_markdown(path: Path, marker: str) -> str:
    """Append an invisible HTML comment to the notebook's last markdown cell (a prose edit: the
    notebook's file hash changes, its code does not); return that cell's id."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next((c for c in reversed(nb["cells"]) if c.get("cell_type") == "markdown"), None)
    if cell is None:
        raise ValueError(f"{path.name} has no markdown cell to edit")
    src = _source(cell)
    cell["source"] = src + f"\n\n<!-- {marker} -->"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(cell.get("id", ""))


# project copies -------------------------------------------------------------------------------
def copy_project(src: Path, dst: Path) -> Path:
    """A project with the inputs only, as a fresh clone has them (the kernel runs the installed
    ``analysis`` package; ``src/analysis`` marks the folder as a project root)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in INPUT_FILES:
        shutil.copy2(src / name, dst / name)
    for folder in INPUTS:
        if (src / folder).exists():
            shutil.copytree(src / folder, dst / folder, dirs_exist_ok=True)
    (dst / "src" / "analysis").mkdir(parents=True, exist_ok=True)
    (dst / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (dst / "figures").mkdir(parents=True, exist_ok=True)
    return dst


def clear_outputs(root: Path) -> None:
    """What ``make clean`` removes, for a project copy (the CLI's clean acts on the checkout the
    package lives in, never on ``ANALYSIS_ROOT``)."""
    for folder in OUTPUT_FOLDERS:
        base = root / folder
        for child in base.glob("*") if base.is_dir() else ():
            if child.name == "README.md":
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for tree in OUTPUT_TREES:
        shutil.rmtree(root / tree, ignore_errors=True)


def tree_bytes(folder: Path) -> dict[str, int]:
    """Apparent size and disk usage (allocated blocks, what ``du`` shows) of a folder."""
    apparent = disk = files = 0
    for p in folder.rglob("*"):
        if p.is_symlink() or not p.is_file():
            continue
        st = p.stat()
        apparent += st.st_size
        disk += st.st_blocks * 512
        files += 1
    return {"apparent_bytes": apparent, "disk_bytes": disk, "files": files}


# counties for the scale run ----------------------------------------------------------------
def county_order(
    units: Sequence[Mapping[str, str]], county_code: str, city: str
) -> list[dict[str, str]]:
    """The run's county first, then the other units of its city, then every other unit (by
    code): the first N of this list are the counties of a scale run with N counties."""

    def key(u: Mapping[str, str]) -> tuple[int, str]:
        rank = 0 if u["code"] == county_code else 1 if u["city"] == city else 2
        return rank, u["code"]

    return [dict(u) for u in sorted(units, key=key)]


def scale_sizes(spec: str, n_city: int, n_all: int) -> list[int]:
    """``"1,2,city,all"`` -> sizes; ``city`` = the units of the run's city, ``all`` = every unit."""
    sizes: list[int] = []
    for tok in (t.strip().lower() for t in spec.split(",") if t.strip()):
        n = n_city if tok == "city" else n_all if tok == "all" else int(tok)
        if not 1 <= n <= n_all:
            raise ValueError(f"scale size {tok!r} must lie in 1..{n_all}")
        if n not in sizes:
            sizes.append(n)
    return sorted(sizes)


def portable_argv(argv: Sequence[str], root: Path) -> list[str]:
    """The command line as recorded in results.json: a path inside the project relative to it, a
    path elsewhere (a temporary folder, another venv) by its last part only, so the committed
    results name no machine's folders."""
    out = []
    for arg in argv:
        path = Path(arg)
        if not path.is_absolute():
            out.append(arg)
        elif path.resolve().is_relative_to(root.resolve()):
            out.append(path.resolve().relative_to(root.resolve()).as_posix() or ".")
        else:
            out.append(f"…/{path.name}")
    return out
