"""The runner behind ``make report``, one concern per module:

* :mod:`~analysis.build.plan` — the notebooks, what each reads and writes, their order;
* :mod:`~analysis.build.state` — content digests and the record of the last good build;
* :mod:`~analysis.build.stage` — staging folders, and which files a notebook wrote;
* :mod:`~analysis.build.execute` — one notebook in a worker process (papermill, pages);
* :mod:`~analysis.build.runner` — the build: order, process pool, signals, log;
* :mod:`~analysis.build.pages` — notebook pages (leadership and analysts' editions);
* :mod:`~analysis.build.index` — the landing page of a run;
* :mod:`~analysis.build.pdf` — the summary PDF through a browser the user has;
* :mod:`~analysis.build.hygiene` — notebooks stored without outputs, one parameters cell;
* :mod:`~analysis.build.kernels`, :mod:`~analysis.build.forkserver` — kernels that start warm.

``build`` is loaded on first use, so that a process needing one module of this package (the
fork server, which every kernel of a build is forked from) does not load the runner.
"""

from typing import Any

__all__ = ["build"]


def __getattr__(name: str) -> Any:
    if name == "build":
        from analysis.build.runner import build

        return build
    raise AttributeError(f"module 'analysis.build' has no attribute {name!r}")
