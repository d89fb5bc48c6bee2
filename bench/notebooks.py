"""Per-notebook cost: each notebook run alone, with the time of its kernel start and imports
separated from its own cells."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import core
from bench.measure import last_error, say, timed

# 3. per-notebook cost --------------------------------------------------------------------------
_IMPORT_PROBE = """
import time
t0 = time.perf_counter()
{imports}
print(time.perf_counter() - t0)
"""

_HTML_PROBE = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from analysis.build import pages
import nbconvert, nbformat
t1 = time.perf_counter()
src, out, lang = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
pages.render_notebook(src, out / "leadership.html", code=False, lang=lang)
t2 = time.perf_counter()
pages.render_notebook(src, out / "code.html", code=True, lang=lang)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _probe(code: str, args: Sequence[str], env: dict[str, str], cwd: Path) -> list[float] | None:
    t = timed([sys.executable, "-c", code, *args], env, cwd)
    if t.rc:
        say(f"probe failed: {last_error(t.output)}")
        return None
    return [float(x) for x in t.output.strip().splitlines()[-1].split()]


def measure_notebooks(
    root: Path, names: list[str], reps: int, env: dict[str, str], cold: dict[str, Any] | None
) -> dict[str, Any]:
    """Kernel start, imports, compute and HTML of each notebook of the last cold report.

    Kernel start and cell times come from papermill's metadata; imports are the notebook's own
    import statements timed in a fresh interpreter (what a kernel not forked from the build's
    fork server pays inside its cells; compute = cells − imports is that kernel's own work);
    HTML is both pages of the runner timed apart, and nbconvert's HTML of the baseline.
    """
    state_file = root / "reports" / ".build-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.is_file() else {}
    lang = "zh"
    out: dict[str, Any] = {}
    for name in names:
        executed = root / "reports" / f"{name}.ipynb"
        if not executed.is_file():
            out[name] = {"missing": True}
            continue
        nb = json.loads(executed.read_text(encoding="utf-8"))
        timing = core.papermill_timing(nb, top=3)
        imports = core.import_statements(nb)
        imp = [
            _probe(_IMPORT_PROBE.format(imports="\n".join(imports)), [], env, root / "notebooks")
            for _ in range(reps)
        ]
        imp_s = core.summarise([x[0] for x in imp if x])
        html = []
        with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
            for _ in range(reps):
                html.append(_probe(_HTML_PROBE, [str(executed), tmp, lang], env, root))
        html = [h for h in html if h]
        imports_med = imp_s.get("median") or 0.0
        entry = {
            "runner_s": state.get("steps", {}).get(name, {}).get("seconds"),
            "kernel_start_s": timing["kernel_start_s"],
            "imports_s": imp_s,
            "imports": imports,
            "cells_s": timing["cells_s"],
            "compute_s": max(0.0, timing["cells_s"] - imports_med),
            "html_import_s": core.summarise([h[0] for h in html]),
            "html_leadership_s": core.summarise([h[1] for h in html]),
            "html_code_s": core.summarise([h[2] for h in html]),
            "heaviest": timing["heaviest"],
        }
        if cold:
            b = [r["notebooks"].get(name, {}) for r in cold["baseline_runs"]]
            entry["baseline_execute_s"] = core.summarise(
                [x["execute_s"] for x in b if "execute_s" in x]
            )
            entry["baseline_html_s"] = core.summarise([x["html_s"] for x in b if "html_s" in x])
        out[name] = entry
        say(
            f"notebooks: {name} kernel {entry['kernel_start_s'] or 0:.1f} s, cells "
            f"{entry['cells_s']:.1f} s, imports in a fresh interpreter {imports_med:.1f} s"
        )
    return out
