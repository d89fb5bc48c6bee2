"""Spare kernels and the sparing papermill engine (analysis.build.kernels, .engine): a notebook
run by a warmed spare kernel sees what a fresh kernel shows it, and the output notebook is
written at the start and the end, not at every cell."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from analysis.build import engine, kernels
from analysis.env.envsetup import KERNEL_NAME
from analysis.paths import STAGING_ENV

pytestmark = pytest.mark.notebooks  # starts kernels


def test_imported_modules_reads_import_statements() -> None:
    source = "import pandas as pd, numpy\nfrom analysis.review import display\nfrom . import x\n"
    assert kernels.imported_modules(source) == [
        "pandas",
        "numpy",
        "analysis.review",
        "analysis.review.display",
    ]
    assert kernels.imported_modules("%matplotlib inline\nimport os") == []  # a magic: not parsed


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME}
    nbformat.write(nb, path)
    return path


def test_common_modules_are_those_every_notebook_imports(tmp_path: Path) -> None:
    a = _notebook(tmp_path / "a.ipynb", "import pandas\nimport colorsys", "from json import dumps")
    b = _notebook(tmp_path / "b.ipynb", "import colorsys\nfrom json import loads")
    assert kernels.common_modules([a, b]) == ["colorsys", "json"]
    assert kernels.common_modules([]) == []


def test_warm_up_code_imports_and_binds_no_name() -> None:
    namespace: dict[str, object] = {}
    exec(kernels.warm_up_code(["colorsys", "json.dumps", "no_such_module_here"]), namespace)
    assert [k for k in namespace if k != "__builtins__"] == []


# what the notebook sees ------------------------------------------------------------------------
PROBE = (
    "import os, sys\n"
    "names = sorted(n for n in globals() if not n.startswith('_'))\n"
    "print(names)\n"
    "print(os.getcwd())\n"
    f"print(os.environ.get({STAGING_ENV!r}))\n"
    "print('colorsys' in sys.modules)"
)


def _run(notebook: Path, out: Path, **kwargs: object) -> dict:
    papermill.execute_notebook(
        str(notebook),
        str(out),
        kernel_name=KERNEL_NAME,
        cwd=str(notebook.parent),
        progress_bar=False,
        engine_name=engine.register(),
        **kwargs,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _lines(nb: dict) -> list[str]:
    return "".join(nb["cells"][0]["outputs"][0]["text"]).splitlines()


def test_a_spare_kernel_shows_the_notebook_what_a_fresh_kernel_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = _notebook(tmp_path / "probe.ipynb", PROBE, "1 + 1")
    staging = str(tmp_path / "staging")
    monkeypatch.setenv(STAGING_ENV, staging)  # as the worker does for a kernel papermill starts
    fresh = _run(nb, tmp_path / "fresh.ipynb")
    monkeypatch.delenv(STAGING_ENV)

    spare = kernels.SpareKernel(str(tmp_path), ["colorsys"], tmp_path / "kernel.log")
    km = spare.handed_over(staging)
    assert km is not None
    try:
        warm = _run(nb, tmp_path / "warm.ipynb", km=km)
    finally:
        kernels.shut_down(km)

    f, w = _lines(fresh), _lines(warm)
    assert f[:3] == w[:3]  # the same names, folder and staging folder
    assert f[2] == w[2] == staging
    assert (f[3], w[3]) == ("False", "True")  # only the warm-up's import differs
    counts = [[c.get("execution_count") for c in n["cells"]] for n in (fresh, warm)]
    assert counts[0] == counts[1] == [1, 2]  # the warm-up left no history
    assert warm["cells"][1]["outputs"] == fresh["cells"][1]["outputs"]


def test_a_spare_whose_warm_up_fails_is_dropped(tmp_path: Path) -> None:
    spare = kernels.SpareKernel(str(tmp_path), [], None)
    spare._starting.join()
    spare._warming = spare.client.execute("raise SystemExit(3)", silent=True)  # kernel exits
    assert spare.handed_over(None) is None


def test_a_spare_whose_kernel_died_is_dropped_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kernel that died before its warm-up answered (one that could not bind its ports) is
    noticed by its process, not by waiting out the warm-up's timeout."""
    import time

    monkeypatch.setattr(kernels, "WARM_UP_TIMEOUT", 60.0)
    spare = kernels.SpareKernel(str(tmp_path), [], None)
    spare._starting.join()
    spare.km.provisioner.process.kill()
    spare._warming = spare.client.execute("import time; time.sleep(30)", silent=True)
    started = time.monotonic()
    assert spare.handed_over(None) is None
    assert time.monotonic() - started < 15


def test_a_spare_starts_in_the_background_and_the_worker_does_not_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fork server that takes the request and never answers (one busy importing): the
    spare's start waits for it in its thread, the worker goes on at once; given up after the
    timeout, the spare is an ordinary kernel."""
    import os
    import socket
    import time

    from analysis.build import forking

    monkeypatch.setattr(forking, "READY_TIMEOUT", 2.0)
    folder = tmp_path / "server"
    folder.mkdir()
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as busy:
        busy.bind(str(folder / "socket"))
        busy.listen(1)
        (folder / "pid").write_text(str(os.getpid()))  # a live process
        started = time.monotonic()
        spare = kernels.SpareKernel(str(tmp_path), ["colorsys"], None, str(folder / "socket"))
        assert time.monotonic() - started < 1.0
        assert spare._starting.is_alive()
        km = spare.handed_over(None)
    try:
        assert km is not None
        assert type(km.provisioner.process).__name__ == "Popen"
        assert time.monotonic() - started >= 2.0
    finally:
        kernels.shut_down(km)


# saving ------------------------------------------------------------------------------------
def test_the_engine_saves_at_the_start_and_the_end_not_per_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill.engines as engines

    saves: list[int] = []
    real = engines.write_ipynb

    def counting(nb: object, path: object) -> None:
        saves.append(1)
        real(nb, path)

    monkeypatch.setattr(engines, "write_ipynb", counting)
    nb = _notebook(tmp_path / "five.ipynb", *[f"x = {i}\nx" for i in range(5)])
    out = _run(nb, tmp_path / "out.ipynb")
    assert len(saves) == 2  # papermill's own manager: 2 + 2 per cell
    shown = ["".join(c["outputs"][0]["data"]["text/plain"]) for c in out["cells"]]
    assert shown == [str(i) for i in range(5)]


def test_a_failing_cell_leaves_the_executed_notebook_up_to_it(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "fails.ipynb", "print('before')", "1 / 0", "print('never')")
    with pytest.raises(papermill.PapermillExecutionError):
        _run(nb, tmp_path / "out.ipynb")
    out = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    code = [c for c in out["cells"] if c["cell_type"] == "code"]  # papermill adds a note cell
    assert "".join(code[0]["outputs"][0]["text"]) == "before\n"
    assert [o.get("ename") for o in code[1]["outputs"]] == ["ZeroDivisionError"]
    assert code[2]["outputs"] == []
