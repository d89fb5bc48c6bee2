"""papermill's engine, saving the executed notebook only when it matters.

papermill writes the whole output notebook (serialised and schema-validated) when the notebook
starts and twice per cell, at its start and its end: for a notebook of 50 cells with figures
that is ~100 writes and 1–1.5 s of a worker's time. The runner needs the file when the notebook
starts (a sign it runs), when a cell fails and when the notebook ends, also when the kernel
dies or the run is stopped (the partly executed notebook is kept in ``reports/failed``). This
engine saves at exactly those moments; papermill's time-based autosave (every 30 s during a
long cell) stays.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

ENGINE_NAME = "analysis-sparing"


def register() -> str:
    """Register the engine with papermill (once per process); returns its name for
    ``papermill.execute_notebook(engine_name=...)``."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SparingManager(NotebookExecutionManager):
        """Skips the saves papermill makes at the start and end of every cell."""

        _quiet = False

        def save(self, **kwargs: Any) -> None:
            if not self._quiet:
                super().save(**kwargs)

        @contextlib.contextmanager
        def _unsaved(self) -> Iterator[None]:
            self._quiet = True
            try:
                yield
            finally:
                self._quiet = False

        def cell_start(self, cell: Any, cell_index: Any = None, **kwargs: Any) -> None:
            with self._unsaved():
                super().cell_start(cell, cell_index, **kwargs)

        def cell_complete(self, cell: Any, cell_index: Any = None, **kwargs: Any) -> None:
            with self._unsaved():
                super().cell_complete(cell, cell_index, **kwargs)

    class SparingEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: Any,
            output_path: Any = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            """papermill's own wrapper (:meth:`papermill.engines.Engine.execute_notebook`) with
            the sparing manager; the notebook is saved at the end whatever happened."""
            nb_man = SparingManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, SparingEngine)
    return ENGINE_NAME
