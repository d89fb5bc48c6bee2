"""Notebook 02 on a release that gives the total only (issue #16 item 2): a bureau may send no
enterprise groups, and the page must still be built from the total."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.io import read_csv, write_csv
from analysis.paths import Paths

from .conftest import at_project, copy_inputs

NOTEBOOK = "02_output_growth.ipynb"


@pytest.mark.notebooks
def test_notebook_02_runs_on_a_total_only_release(repo: Path, tmp_path: Path) -> None:
    import papermill

    from analysis.env.envsetup import KERNEL_NAME
    from analysis.ingest import bureau

    root = copy_inputs(repo, tmp_path)
    table, _ = bureau.ingest(repo / "data" / "internal" / "simulated", simulated=True)
    total_only = table[table["group"] == "合计"]
    with at_project(root):
        paths = Paths.for_run("runs/total")
        write_csv(total_only, paths.processed / "industry_monthly.csv")
        paths.reports.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(
            str(paths.notebooks / NOTEBOOK), str(paths.reports / NOTEBOOK),
            parameters={"output_dir": "runs/total"}, kernel_name=KERNEL_NAME,
            cwd=str(paths.notebooks), progress_bar=False,
        )  # fmt: skip
    executed = (paths.reports / NOTEBOOK).read_text(encoding="utf-8")
    assert "gives the total only (no enterprise groups)" in executed
    contrib = read_csv(paths.processed / "contributions.csv")
    assert set(contrib["group"]) == {"total"}
    assert contrib.loc[contrib["span"] == "cumulative", "level_wan"].iloc[0] == 964900.0
    projection = read_csv(paths.processed / "projection.csv")
    assert projection["headline"].astype(str).eq("True").sum() == 1
    seasonal = read_csv(paths.processed / "seasonal_model.csv")
    assert (seasonal["term"] == "festival").sum() == 1
    assert (paths.figures / "02_output_growth" / "02-contributions.png").exists()
