"""A spare kernel per worker, started and warmed before the notebook that will use it.

A notebook spends its first seconds starting a kernel and importing pandas, matplotlib and the
project's package. On the critical path (01 → 02 → 05) that wait is pure loss: while 01 runs on
one core, the other core can start 02's kernel. So each worker process keeps one spare kernel,
started in the notebooks' folder and already holding the modules *every* notebook of the
pipeline imports (never more: a module only some notebooks need would cost the others CPU time).

What the notebook sees is what a fresh kernel gives it: the warm-up runs silently without
history (the first cell is still ``In [1]``), binds no name in the user's namespace (modules are
imported with :func:`importlib.import_module`, whose only effect is ``sys.modules``), and the
run's staging folder is set in the kernel's environment just before the notebook starts, as it
would be inherited by a kernel started then. A spare that fails to start or warm up is dropped
and the notebook starts its own kernel as before.

With the build's fork server (:mod:`analysis.build.forkserver`) a spare is forked holding every
notebook's modules, and the warm-up finds them loaded; the spare then saves the kernel's start
(~0.3 s) instead of its imports.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.build.hygiene import cell_source, load_notebook
from analysis.env.envsetup import KERNEL_NAME
from analysis.paths import STAGING_ENV

WARM_UP_TIMEOUT = 120.0  # seconds; a spare not ready by then is dropped


def imported_modules(source: str) -> list[str]:
    """Modules a cell's import statements load (``from a.b import c`` loads ``a.b``; ``c`` may
    be a module too, which the warm-up tries as well)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics; such cells are not import cells
        return []
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
            out.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return out


def notebook_modules(notebook: Path) -> list[str]:
    """Every module the code cells of a notebook import (by name; see :func:`imported_modules`),
    once each, in the order the cells import them."""
    names: dict[str, None] = {}
    for cell in load_notebook(Path(notebook)).get("cells", []):
        if cell.get("cell_type") == "code":
            names.update(dict.fromkeys(imported_modules(cell_source(cell))))
    return list(names)


def common_modules(notebooks: Iterable[Path]) -> list[str]:
    """The modules every one of ``notebooks`` imports: what a spare kernel may load for any of
    them without costing one of them anything it would not spend itself."""
    sets = [set(notebook_modules(nb)) for nb in notebooks]
    return sorted(set.intersection(*sets)) if sets else []


def modules_in_order(notebooks: Iterable[Path]) -> list[list[str]]:
    """What each notebook imports that the ones before it do not, in pipeline order and in
    the order its cells import them: the fork server imports them group by group, so the
    first notebook's kernel can fork first, and in a notebook's own order, so that what
    imports leave behind in order (warning filters) comes out as in that notebook."""
    seen: set[str] = set()
    groups: list[list[str]] = []
    for nb in notebooks:
        groups.append([name for name in notebook_modules(nb) if name not in seen])
        seen.update(groups[-1])
    return groups


def warm_up_code(modules: Iterable[str]) -> str:
    """Code that imports ``modules`` and leaves no name behind. A name that is not a module
    (``from pathlib import Path`` → ``pathlib.Path``) or a module that fails to import is skipped:
    the notebook will import it itself and see the error where it belongs."""
    names = json.dumps(sorted(set(modules)))
    return (
        "def __analysis_warm_up(names):\n"
        "    import importlib\n"
        "    for name in names:\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except Exception:\n"
        "            pass\n"
        f"__analysis_warm_up({names})\n"
        "del __analysis_warm_up\n"
    )


def staging_code(staging: str | None) -> str:
    """Code that gives the kernel the run's staging folder (``$ANALYSIS_STAGING``) as a kernel
    started for this notebook would have inherited it."""
    if staging is None:
        return f"__import__('os').environ.pop({STAGING_ENV!r}, None)\n"
    return f"__import__('os').environ[{STAGING_ENV!r}] = {json.dumps(staging)}\n"


class SpareKernel:
    """A kernel started in ``cwd`` that imports ``modules`` as soon as it is up.

    It is started in a thread: a kernel forked from the build's fork server comes when the
    server is between imports (up to ~1 s later), and the worker asks for its next spare just
    before it runs a notebook, which must not wait for it."""

    def __init__(
        self, cwd: str, modules: list[str], log: Path | None = None, fork_server: str | None = None
    ) -> None:
        import threading

        self.cwd = cwd
        self.km = kernel_manager(fork_server)
        self.client: Any = None
        self._warming = ""
        # the kernel's start-up chatter goes to a log, as for a kernel papermill starts
        self._log = open(log, "ab") if log is not None else None  # noqa: SIM115 (kept open)
        self._starting = threading.Thread(
            target=self._start, args=(modules,), name="spare-kernel", daemon=True
        )
        self._starting.start()

    def _start(self, modules: list[str]) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        env = {k: v for k, v in os.environ.items() if k != STAGING_ENV}
        extra = {"stderr": self._log} if self._log is not None else {}
        with contextlib.suppress(Exception):  # a spare that did not start is not handed over
            run_sync(self.km.start_kernel)(cwd=self.cwd, env=env, **extra)
            client = BlockingKernelClient()
            client.load_connection_info(self.km.get_connection_info())
            client.start_channels()
            self._warming = client.execute(warm_up_code(modules), silent=True, store_history=False)
            self.client = client

    def _wait(self, msg_id: str, timeout: float) -> bool:
        """Whether the request ``msg_id`` succeeded; False at once when the kernel died (one
        that could not bind its ports, say), not after ``timeout``."""
        import queue
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_shell_msg(timeout=0.5)
            except queue.Empty:
                if not self._alive():
                    return False
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"].get("status") == "ok"
        return False

    def _alive(self) -> bool:
        process = getattr(self.km.provisioner, "process", None)
        return process is not None and process.poll() is None

    def handed_over(self, staging: str | None) -> Any:
        """The kernel manager for a notebook, once the warm-up is done and the staging folder
        set; None (the spare shut down) when it is not ready in time or failed."""
        self._starting.join(WARM_UP_TIMEOUT)
        if self.client is None:  # not started in time, or failed to
            self.shut_down()
            return None
        try:
            ok = self._wait(self._warming, WARM_UP_TIMEOUT)
            ok = ok and self._wait(
                self.client.execute(staging_code(staging), silent=True, store_history=False),
                WARM_UP_TIMEOUT,
            )
        except Exception:  # queue.Empty on a timeout, a kernel that died
            ok = False
        self.client.stop_channels()
        self.close_log()  # the kernel keeps its own copy of the file descriptor
        if not ok:
            self.shut_down()
            return None
        return self.km

    def shut_down(self) -> None:
        self._starting.join(WARM_UP_TIMEOUT)
        if self.client is not None and self.client.channels_running:
            self.client.stop_channels()
        shut_down(self.km)
        self.close_log()

    def close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def kernel_manager(fork_server: str | None = None) -> Any:
    """An unstarted kernel manager for the notebooks' kernel, forked from the build's fork
    server when there is one (:mod:`analysis.build.forking`)."""
    if fork_server:
        from analysis.build import forking

        return forking.kernel_manager(fork_server, KERNEL_NAME)
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=KERNEL_NAME)


def shut_down(km: Any) -> None:
    """Stop a kernel now (no polite request: nothing of its state is needed)."""
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)


def kill(km: Any) -> None:
    """In a signal handler: kill the kernel process without waiting (no event loop needed)."""
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None:
        with contextlib.suppress(Exception):
            process.kill()
