"""The benchmark code (bench/): its helpers with exact values, and one fast end-to-end run on a
tiny throwaway project (marked ``bench``; ``-m "not bench"`` leaves it out). No timing is
asserted anywhere: timings depend on the machine."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import core  # noqa: E402
from bench.report_md import render_markdown  # noqa: E402


# statistics ------------------------------------------------------------------------------
def test_summarise_median_and_spread() -> None:
    s = core.summarise([3.0, 1.0, 2.0])
    assert (s["n"], s["median"], s["min"], s["max"]) == (3, 2.0, 1.0, 3.0)
    assert "q1" not in s  # three values: no interquartile range
    s4 = core.summarise([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (s4["q1"], s4["median"], s4["q3"]) == (2.0, 3.0, 4.0)
    assert core.summarise([]) == {"n": 0, "values": []}


def test_fmt_s() -> None:
    assert core.fmt_s(core.summarise([1.0, 2.0, 4.0])) == "2.0 s (1.0–4.0, n=3)"
    assert core.fmt_s(core.summarise([0.25]), 2) == "0.25 s (n=1)"
    assert core.fmt_s(None) == "–"


def test_linear_fit_exact_line() -> None:
    fit = core.linear_fit([1, 2, 4], [7, 9, 13])
    assert fit == pytest.approx({"intercept": 5.0, "slope": 2.0, "r2": 1.0})
    assert core.linear_fit([3, 3], [1, 2]) is None


# the dependency bound ----------------------------------------------------------------------
DIAMOND = {"01": set(), "02": {"01"}, "03": {"01"}, "04": {"01", "03"}}
COST = {"01": 40.0, "02": 150.0, "03": 15.0, "04": 20.0}


def test_critical_path_of_the_diamond() -> None:
    assert core.critical_path(DIAMOND, COST) == (190.0, ["01", "02"])


def test_parallel_bound_two_cores() -> None:
    b = core.parallel_bound(DIAMOND, COST, cores=2)
    assert (b["work_s"], b["span_s"], b["best_wall_s"]) == (225.0, 190.0, 190.0)
    assert b["best_ratio"] == pytest.approx(190 / 225)
    assert b["max_speedup"] == pytest.approx(225 / 190)
    flat = core.parallel_bound({"a": set(), "b": set()}, {"a": 10.0, "b": 10.0}, cores=1)
    assert flat["best_wall_s"] == 20.0  # one core: the work, not the span, bounds it


def test_dependents_are_transitive() -> None:
    assert core.dependents(DIAMOND, "03") == ["03", "04"]
    assert core.dependents(DIAMOND, "01") == ["01", "02", "03", "04"]
    assert core.dependents(DIAMOND, "02") == ["02"]


# the runner's log --------------------------------------------------------------------------
LOG = """[skip] 01_ingest (up to date)
[run ] 03_innovation_ranking (changed: notebook)
[done] 03_innovation_ranking 12.4 s
[run ] 04_sti_indicators (never built)
[FAIL] 04_sti_indicators: cell 17 (In [11]): DataError: bad
       > line 1: x
[skip] 05_annual_review: not run, 04_sti_indicators failed
report: FAILED (04_sti_indicators); reports in reports/
"""


def test_parse_report_log() -> None:
    log = core.parse_report_log(LOG)
    assert log["01_ingest"] == {"status": "skipped"}
    assert log["03_innovation_ranking"] == {
        "status": "ran",
        "reason": "changed: notebook",
        "seconds": 12.4,
    }
    assert log["04_sti_indicators"]["status"] == "failed"
    assert log["04_sti_indicators"]["error"].startswith("cell 17 (In [11]): DataError")
    assert log["05_annual_review"]["status"] == "blocked"


# executed notebooks ------------------------------------------------------------------------
def _pm(start: str, end: str, duration: float) -> dict:
    return {"papermill": {"start_time": start, "end_time": end, "duration": duration}}


def test_papermill_timing_splits_kernel_start_and_cells() -> None:
    nb = {
        "metadata": {"papermill": {"start_time": "2026-01-01T00:00:00+00:00", "duration": 9.0}},
        "cells": [
            {
                "cell_type": "markdown",
                "source": "# t",
                "metadata": _pm(
                    "2026-01-01T00:00:01.500000+00:00", "2026-01-01T00:00:01.5+00:00", 0.0
                ),
            },
            {
                "cell_type": "code",
                "id": "a",
                "source": ["import pandas\n", "x = 1"],
                "metadata": _pm("2026-01-01T00:00:01.5+00:00", "2026-01-01T00:00:03.5+00:00", 2.0),
            },
            {
                "cell_type": "code",
                "id": "b",
                "source": "\nfit()  # heavy",
                "metadata": _pm("2026-01-01T00:00:03.5+00:00", "2026-01-01T00:00:08.5+00:00", 5.0),
            },
        ],
    }
    t = core.papermill_timing(nb, top=1)
    assert t["kernel_start_s"] == 1.5
    assert t["cells_s"] == 7.0
    assert t["papermill_s"] == 9.0
    assert t["heaviest"] == [
        {"index": 2, "id": "b", "seconds": 5.0, "first_line": "fit()  # heavy"}
    ]


def test_import_statements_in_order_without_repeats() -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": "import pandas as pd\nfrom analysis import ranking\nx = 1",
            },
            {"cell_type": "markdown", "source": "import nothing"},
            {"cell_type": "code", "source": "%matplotlib inline"},
            {"cell_type": "code", "source": "import pandas as pd\nimport numpy"},
        ]
    }
    assert core.import_statements(nb) == [
        "import pandas as pd",
        "from analysis import ranking",
        "import numpy",
    ]


def _tiny_notebook(path: Path, body: str, title: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "county-sti",
        "display_name": "County",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('output_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        params,
        nbformat.v4.new_code_cell(body),
        nbformat.v4.new_markdown_cell("Done."),
    ]
    nbformat.write(nb, path)


def test_edit_markdown_changes_only_the_last_markdown_cell(tmp_path: Path) -> None:
    path = tmp_path / "01_x.ipynb"
    _tiny_notebook(path, "y = 2", "X")
    before = nbformat.read(path, as_version=4)
    cell_id = core.edit_markdown(path, "bench edit 1")
    after = nbformat.read(path, as_version=4)
    assert cell_id == before.cells[3].id
    assert after.cells[3].source == "Done.\n\n<!-- bench edit 1 -->"
    assert [c.source for c in after.cells[:3]] == [c.source for c in before.cells[:3]]
    assert [c.id for c in after.cells] == [c.id for c in before.cells]


# copies, counties ------------------------------------------------------------------------------
def test_clear_outputs_keeps_inputs(tmp_path: Path) -> None:
    root = tmp_path
    for rel in (
        "data/raw/a.csv",
        "data/processed/t.csv",
        "data/processed/README.md",
        "figures/01/f.png",
        "reports/x.html",
        "runs/en/y",
        ".cache/bureau/ab/abc.pickle",  # parsed releases: a cold build parses every file
        "notebooks/01_a.ipynb",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    core.clear_outputs(root)
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert left == ["data/processed/README.md", "data/raw/a.csv", "notebooks/01_a.ipynb"]


def test_county_order_and_scale_sizes() -> None:
    units = [
        {"code": "130402", "name": "A", "city": "C1"},
        {"code": "130102", "name": "B", "city": "C0"},
        {"code": "130435", "name": "Q", "city": "C1"},
        {"code": "130481", "name": "W", "city": "C1"},
    ]
    order = [u["code"] for u in core.county_order(units, "130435", "C1")]
    assert order == ["130435", "130402", "130481", "130102"]
    assert core.scale_sizes("city, 1, all, 3", n_city=3, n_all=4) == [1, 3, 4]
    with pytest.raises(ValueError, match=r"1\.\.4"):
        core.scale_sizes("5", n_city=3, n_all=4)


# the markdown -------------------------------------------------------------------------------------
def test_render_markdown_names_a_missed_goal() -> None:
    s = core.summarise
    results = {
        "meta": {
            "started": "2026-01-01T00:00:00+00:00",
            "commit": "abc1234",
            "repetitions": 3,
            "cold_repetitions": 3,
            "scale_repetitions": 1,
            "jobs": 2,
            "provisional": "busy machine",
            "notebooks": ["01", "02"],
            "machine": {"cpu_count": 2, "python": "3.11.9", "loadavg": [1.0, 1.0, 1.0]},
            "loadavg_end": [2.0, 2.0, 2.0],
            "bench_seconds": 60.0,
        },
        "cold": {
            "baseline": s([10.0, 12.0, 11.0]),
            "report": s([8.0, 9.0, 8.5]),
            "baseline_cpu": s([10.0]),
            "report_cpu": s([10.0]),
            "ratio": 8.5 / 11.0,
            "ratio_per_repetition": [0.8, 0.75, 0.77],
            "goal_ratio": 0.6,
            "goal_met": False,
            "all_ok": True,
            "baseline_notebook_cost_s": {"01": 4.0, "02": 7.0},
            "bound": core.parallel_bound({"01": set(), "02": {"01"}}, {"01": 4.0, "02": 7.0}, 2),
            "dependencies": {"01": [], "02": ["01"]},
            "baseline_runs": [
                {
                    "notebooks": {
                        "01": {"execute_s": 3.0, "html_s": 1.0, "ok": True},
                        "02": {"execute_s": 6.0, "html_s": 1.0, "ok": True},
                    }
                }
            ],
        },
        "noop": {
            "wall": s([0.4, 0.5, 0.45]),
            "goal_s": 1.0,
            "goal_met": True,
            "runs": [{"ran": []}],
        },
    }
    md = render_markdown(results)
    assert "**PROVISIONAL** — busy machine" in md
    assert "**Ratio report / baseline: 0.77**" in md
    assert "goal ≤ 0.6: **missed**" in md
    assert "critical path 11.0 s (01 → 02)" in md
    assert "ratio of **1.00** at best" in md
    assert "**0.45 s (0.40–0.50, n=3)** (CPU – s); goal ≤ 1.0 s: **met**" in md


def test_versus_baseline_pairs_repetitions_and_leaves_failures_out() -> None:
    base = [{"seconds": 100.0, "cpu_seconds": 60.0}, {"seconds": 120.0, "cpu_seconds": 62.0}]
    runs = [{"seconds": 25.0, "cpu_seconds": 30.0, "rc": 0}, {"seconds": 5.0, "rc": 1}]
    v = core.versus_baseline(runs, base)
    assert v["failed"] == 1
    assert v["wall"]["n"] == 1 and v["wall"]["median"] == 25.0
    assert v["ratio"] == pytest.approx(25.0 / 110.0)  # against the baseline's median
    assert v["ratio_cpu"] == pytest.approx(30.0 / 61.0)
    assert v["ratio_per_repetition"] == [0.25]  # run 1 against baseline 1
    assert core.versus_baseline([{"seconds": 1.0, "rc": 2}], base)["ratio"] is None


def test_ploomber_spec_declares_the_dependencies_and_the_executor() -> None:
    import yaml

    from bench import peers

    deps = {"01_a": set(), "02_b": {"01_a"}, "03_c": {"01_a", "02_b"}}
    par = yaml.safe_load(peers.ploomber_spec(["01_a", "02_b", "03_c"], deps, "parallel", 2))
    assert par["executor"] == {"dotted_path": "ploomber.executors.Parallel", "processes": 2}
    assert par["meta"] == {"extract_upstream": False, "extract_product": False}
    tasks = {t["name"]: t for t in par["tasks"]}
    assert "upstream" not in tasks["01_a"]
    assert tasks["03_c"]["upstream"] == ["01_a", "02_b"]
    assert tasks["02_b"]["source"] == "../notebooks/02_b.ipynb"
    assert tasks["02_b"]["product"] == "parallel/02_b.html"
    assert tasks["02_b"]["nbconvert_export_kwargs"] == {"exclude_input": True}
    ser = yaml.safe_load(peers.ploomber_spec(["01_a"], deps, "serial", 2))
    assert ser["executor"] == "serial"
    with pytest.raises(ValueError, match="executor"):
        peers.ploomber_spec(["01_a"], deps, "dask", 2)


def test_render_markdown_tables_the_peers_and_the_environment() -> None:
    s = core.summarise
    base = [{"seconds": 100.0, "cpu_seconds": 60.0}]
    cold = {
        "baseline": s([100.0]),
        "report": s([20.0]),
        "baseline_cpu": s([60.0]),
        "report_cpu": s([40.0]),
        "ratio": 0.2,
        "ratio_per_repetition": [0.2],
        "goal_ratio": 0.25,
        "goal_met": True,
        "all_ok": True,
        "baseline_notebook_cost_s": {"01": 100.0},
        "bound": core.parallel_bound({"01": set()}, {"01": 100.0}, 2),
        "dependencies": {"01": []},
        "baseline_runs": [{"notebooks": {"01": {"execute_s": 90.0, "html_s": 10.0}}}],
        "peer_install": {"ok": True, "version": "0.23.3"},
        "peers": {"parallel": [{"seconds": 80.0, "cpu_seconds": 70.0, "rc": 0, "noop_s": 3.5}]},
        "versus_baseline": {
            "report": core.versus_baseline([{"seconds": 20.0, "cpu_seconds": 40.0}], base),
            "ploomber parallel": core.versus_baseline(
                [{"seconds": 80.0, "cpu_seconds": 70.0, "rc": 0}], base
            ),
        },
    }
    env = {
        "steps": {"venv": {"seconds": 3.0, "cpu_seconds": 2.0, "rc": 0}},
        "total_s": 3.0,
        "pinned": 136,
        "size": {"disk_bytes": 900 * 2**20, "apparent_bytes": 800 * 2**20, "files": 10},
        "largest": [{"name": "playwright", "disk_bytes": 120 * 2**20}],
    }
    meta = {
        "started": "2026-01-01T00:00:00+00:00",
        "commit": "abc1234",
        "repetitions": 1,
        "cold_repetitions": 1,
        "scale_repetitions": 1,
        "jobs": 2,
        "machine": {"cpu_count": 2, "python": "3.11.9", "loadavg": [1.0, 1.0, 1.0]},
    }
    md = render_markdown({"meta": meta, "cold": cold, "env": env})
    assert "version 0.23.3" in md
    assert (
        "| `python -m analysis report` (cold) | 20.0 s (n=1) | 40.0 s | **0.20** | 0.67 | – |" in md
    )
    assert "| ploomber parallel | 80.0 s (n=1) | 70.0 s | **0.80** | 1.17 | 3.50 s |" in md
    assert "136 pinned packages" in md
    assert "900 MB on disk (du), 800 MB apparent, 10 files. Largest: playwright 120 MB." in md


# end to end on a tiny project ------------------------------------------------------------------
@pytest.mark.bench
@pytest.mark.notebooks
def test_bench_runs_on_a_tiny_project(tmp_path: Path) -> None:
    """Two tiny notebooks (02 reads what 01 writes), one repetition: every part but scale and
    set-up runs and the results are well-formed. Takes a few kernel starts."""
    project = tmp_path / "tiny"
    (project / "notebooks").mkdir(parents=True)
    (project / "params").mkdir()
    (project / "data" / "raw").mkdir(parents=True)
    for name in ("pyproject.toml", "requirements.lock", "params/default.yaml"):
        shutil.copy2(REPO / name, project / name)
    # the runner checks the run's parameters against the code table and the internal-data
    # folder before the first notebook runs
    shutil.copytree(REPO / "data" / "raw" / "admin", project / "data" / "raw" / "admin")
    (project / "data" / "internal" / "simulated").mkdir(parents=True)
    write = (
        "from analysis.paths import Paths\np = Paths.for_run(output_dir)\n"
        "p.processed.mkdir(parents=True, exist_ok=True)\n"
    )
    _tiny_notebook(
        project / "notebooks" / "01_a.ipynb",
        write + "(p.processed / 'a.csv').write_text('x\\n1\\n')",
        "A",
    )
    _tiny_notebook(
        project / "notebooks" / "02_b.ipynb",
        write + "(p.processed / 'b.csv').write_text((p.processed / 'a.csv').read_text())",
        "B",
    )
    (project / "notebooks" / "pipeline.yaml").write_text(
        "01_a:\n  reads: []\n  writes: [data/processed/a.csv]\n"
        "02_b:\n  reads: [data/processed/a.csv]\n  writes: [data/processed/b.csv]\n"
    )
    from bench import run

    out = tmp_path / "out"
    rc = run.main(
        [
            "--repetitions",
            "1",
            "--skip",
            "scale,setup,peers,env",
            "--edit",
            "01",
            "--project",
            str(project),
            "--out",
            str(out),
            "--provisional",
            "test",
        ]
    )
    assert rc == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["meta"]["notebooks"] == ["01_a", "02_b"]
    cold = results["cold"]
    assert cold["all_ok"], cold
    assert cold["dependencies"] == {"01_a": [], "02_b": ["01_a"]}
    assert cold["bound"]["critical_path"] == ["01_a", "02_b"]
    assert [r["ran"] for r in results["noop"]["runs"]] == [[]]
    edit = results["edit"]
    assert edit["declared_dependents"] == ["01_a", "02_b"]
    # 01's outputs are byte-identical after a prose edit, so 02 is not re-run
    assert edit["rebuilt"] == ["01_a"] and edit["only_dependents"]
    nbs = results["notebooks"]
    assert set(nbs) == {"01_a", "02_b"}
    assert nbs["01_a"]["imports"] == ["from analysis.paths import Paths"]
    assert nbs["01_a"]["kernel_start_s"] > 0
    md = (out / "results.md").read_text(encoding="utf-8")
    assert md.startswith("# Benchmark results") and "## 3. Per-notebook cost" in md


def test_recorded_command_lines_name_no_machine_folders(tmp_path: Path) -> None:
    argv = ["--out", str(tmp_path / "project" / "bench"), "--ploomber-venv", "/tmp/pl", "-r", "2"]
    assert core.portable_argv(argv, tmp_path / "project") == [
        "--out", "bench", "--ploomber-venv", "…/pl", "-r", "2",
    ]  # fmt: skip
