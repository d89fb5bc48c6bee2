"""Kernels forked from one warm process instead of started from scratch: the server.

Every kernel a build starts pays for the same things before its notebook's first line: an
interpreter, ipykernel, pandas, matplotlib, pandera and the project's package — 1.3–2.8 s of
CPU each, five times per build, on a machine with two cores. The fork server pays once: it is
started at the beginning of a build with the kernels' own interpreter and folder, imports what
the notebooks import (notebook by notebook in pipeline order, so the first notebook's kernel
can be forked while the server goes on with the others' modules), and then forks a child for
each kernel a worker asks for (:mod:`analysis.build.forking`). The child becomes an ordinary
ipykernel — the kernelspec's ``ipykernel_launcher`` arguments, the requested folder,
environment and standard streams, its own session so that an interrupt reaches only it — and
shares the imported modules with the server, copy-on-write.

A notebook must see what a fresh kernel shows it, with its modules already in ``sys.modules``:

* the modules are imported as a cell would import them — with ``get_ipython`` among the
  builtins and a ``__main__`` without ``__file__`` (pandas picks its display defaults by that),
  with the start folder off ``sys.path`` as ``ipykernel_launcher`` has it, and with
  ``MPLBACKEND`` set as ipykernel sets it;
* what the imports leave behind is kept in the child: variables they set in the environment
  (pandera sets two) and the warning filters they added, put back in front of those the kernel
  adds as it starts, as if the notebook had imported the modules;
* NumPy's global generator is seeded afresh in each child (``random`` does so by itself);
* the server refuses — and the worker starts an ordinary kernel instead — whenever the result
  could differ: a command other than the server's own interpreter and flags with ``-m
  ipykernel_launcher``, an environment that differs from the server's (before its imports) in
  anything but :data:`PER_KERNEL_ENV`, a second thread in the server (BLAS threads not pinned),
  a stream it cannot pass on. ``ANALYSIS_FORK_KERNELS=0`` turns forking off; it is used on
  Linux only.

``tests/test_forkserver.py`` compares what code sees in a forked and in an ordinary kernel;
a cold build's executed notebooks have the same cells and outputs either way.

The server reaps its children and records each exit status in its folder, and it exits
(removing the folder) when the process that started it is gone; a kernel whose server is gone
exits too (ipykernel's parent poller watches the server). Run as ``python -m
analysis.build.forkserver ADDRESS MODULES_JSON`` (by :class:`analysis.build.forking.ForkServer`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ENABLE_ENV = "ANALYSIS_FORK_KERNELS"  # "0": every kernel is started from scratch
LAUNCHER = "ipykernel_launcher"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets if unset
# variables a kernel's environment may have and the server's not (or with another value):
# nothing reads them at interpreter start or while importing
PER_KERNEL_ENV = frozenset({"ANALYSIS_STAGING", "JPY_PARENT_PID", "JPY_SESSION_NAME"})
MAX_MESSAGE = 1 << 20
READY = b'{"ready": true}'  # the server's first word to a worker: ask now
REQUEST_TIMEOUT = 10.0  # seconds the server waits for a request once it said it is ready
_START_ENV: dict[str, str] = {}  # the server's environment before it imported anything
_START_FILTERS: list[Any] = []  # the warning filters then (ipykernel's own included)
POLL_SECONDS = 0.2  # how often the server looks for its parent and reaps its children
_FORKS: list[int] = []  # the kernels this server forked


class ForkRefused(RuntimeError):
    """The server would not (or could not) fork this kernel; start an ordinary one."""


def enabled() -> bool:
    """Forking is for Linux (``fork``, file descriptors passed over a Unix socket, liveness
    read from /proc); elsewhere, or with ``ANALYSIS_FORK_KERNELS=0``, kernels start as usual."""
    return sys.platform.startswith("linux") and os.environ.get(ENABLE_ENV, "1") != "0"


# the request: what the worker sends ---------------------------------------------------------
def launcher_args(cmd: Sequence[str], interpreter: Sequence[str]) -> list[str]:
    """The ipykernel arguments of a kernel command (``-f <connection file>`` …), or
    :class:`ForkRefused` when the command is not ``interpreter -m ipykernel_launcher …`` with
    the server's own interpreter and flags."""
    head = [*interpreter, "-m", LAUNCHER]
    if list(cmd[: len(head)]) != head:
        raise ForkRefused(f"not the kernelspec's interpreter and launcher: {list(cmd)}")
    return list(cmd[len(head) :])


def env_difference(wanted: dict[str, str], server: dict[str, str]) -> list[str]:
    """Variables in which a kernel's environment differs from the server's, apart from those
    that may (:data:`PER_KERNEL_ENV`). ipykernel sets ``MPLBACKEND`` when it is unset, and the
    server did so before importing matplotlib; a kernel that leaves it unset gets the same."""
    wanted = dict(wanted)
    wanted.setdefault("MPLBACKEND", INLINE_BACKEND)
    keys = (set(wanted) | set(server)) - PER_KERNEL_ENV
    return sorted(k for k in keys if wanted.get(k) != server.get(k))


# the server ------------------------------------------------------------------------------------
class _ShellStandIn:
    """What a module being imported sees of IPython in a kernel: ``get_ipython()`` answers
    with a shell that has a kernel (pandas sets its display defaults by this at import: 20
    columns in a kernel, the terminal's width elsewhere)."""

    kernel = None


@contextlib.contextmanager
def _as_in_a_kernel() -> Iterator[None]:
    """Import modules as a notebook's cell would: ``get_ipython`` among the builtins and a
    ``__main__`` without ``__file__`` (the user's namespace); both undone afterwards."""
    import builtins
    import types

    stand_in = _ShellStandIn()
    saved_main = sys.modules.get("__main__")
    builtins.get_ipython = lambda: stand_in  # type: ignore[attr-defined]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]
        if saved_main is not None:
            sys.modules["__main__"] = saved_main


def _import_quietly(modules: Iterable[str]) -> None:
    import importlib

    with _as_in_a_kernel():
        for name in modules:
            # not a module (``pathlib.Path``) or failing: the notebook will say so itself
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def exit_file(folder: Path, pid: int) -> Path:
    return folder / f"exit-{pid}"


def _reap(folder: Path) -> None:
    """Collect finished children and record how each ended (the worker that polls the kernel
    is not its parent and cannot ask the system)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        with contextlib.suppress(OSError):
            exit_file(folder, pid).write_text(str(os.waitstatus_to_exitcode(status)))


class _Child:
    """What a forked child must do: become the kernel described by ``request``."""

    def __init__(self, request: dict[str, Any], fds: list[int]) -> None:
        self.request, self.fds = request, fds


def _answer(conn: socket.socket, folder: Path) -> _Child | None:
    """Answer one worker: say the server is ready, then read its request (sent once it has
    chosen the kernel's ports: the ports stay free only while nobody binds them, so they are
    chosen when the fork can follow at once, not before a wait for imports), fork, answer with
    the child's process id. In the child, return what it must become; in the server, None."""
    try:
        conn.settimeout(REQUEST_TIMEOUT)
        conn.sendall(READY)
        data, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 3)
    except OSError:
        return None
    if not data:  # the worker went away
        return None
    try:
        request = json.loads(data)
        args = launcher_args(request["cmd"], _interpreter())
        difference = env_difference(request["env"], _START_ENV)
        if difference:
            raise ForkRefused(f"environment differs in {', '.join(difference[:5])}")
        if len(fds) != 3:
            raise ForkRefused("three standard streams expected")
        if _threads() != 1:
            raise ForkRefused("the server runs more than one thread")
        if _peer_gone(conn):  # it gave up waiting (and started an ordinary kernel)
            raise ForkRefused("the worker stopped waiting")
        request["args"] = args
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        print(f"fork server: refused a kernel: {reason}", file=sys.stderr, flush=True)
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"error": reason}).encode())
        for fd in fds:
            os.close(fd)
        return None
    if pid == 0:
        return _Child(request, fds)
    _FORKS.append(pid)
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps({"pid": pid}).encode())
    for fd in fds:
        os.close(fd)
    return None


def _peer_gone(conn: socket.socket) -> bool:
    """Whether the worker closed its end: a kernel forked for it now would take the ports of
    the ordinary kernel it started instead."""
    if not select.select([conn], [], [], 0)[0]:
        return False
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _interpreter() -> list[str]:
    """This process's interpreter and its flags, as started (``python -Xfrozen_modules=off``)."""
    argv = list(sys.orig_argv)
    return argv[: argv.index("-m")] if "-m" in argv else argv[:1]


def serve(listener: socket.socket, groups: Sequence[Sequence[str]], folder: Path) -> _Child | None:
    """Import ``groups`` of modules one after the other, answering the requests that arrived
    after each until the first kernel is forked (the first notebook's, which needs only the
    first group); the later ones wait for every group, so that each kernel forked while the
    first notebook runs holds every notebook's modules. Then answer requests until the
    parent process is gone. Returns in a forked child (what it must become), or None when the
    server should exit."""
    parent = os.getppid()
    listener.setblocking(False)
    for group in groups:
        _import_quietly(group)
        if not _FORKS:
            child = _answer_waiting(listener, folder, timeout=0.0)
            if child is not None:
                return child
    while os.getppid() == parent:
        _reap(folder)
        child = _answer_waiting(listener, folder, timeout=POLL_SECONDS)
        if child is not None:
            return child
    return None


def _answer_waiting(listener: socket.socket, folder: Path, timeout: float) -> _Child | None:
    while select.select([listener], [], [], timeout)[0]:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return None
        with conn:
            conn.setblocking(True)
            child = _answer(conn, folder)
            if child is not None:
                return child
        timeout = 0.0
    return None


def become_kernel(child: _Child, listener: socket.socket) -> None:
    """In the forked child: take the requested streams, folder, environment and session, and
    run ipykernel as ``python -m ipykernel_launcher`` would (this process's ``__main__`` is
    replaced by the user's namespace as in any kernel)."""
    listener.close()
    os.setsid()  # its own process group: an interrupt reaches the kernel only
    for target, fd in enumerate(child.fds):
        os.dup2(fd, target)
    for fd in child.fds:
        if fd > 2:
            os.close(fd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if "numpy" in sys.modules:  # a fresh process seeds NumPy's global generator afresh
        sys.modules["numpy"].random.seed()
    request = child.request
    now = dict(os.environ)
    import_effects = {k: v for k, v in now.items() if _START_ENV.get(k) != v}
    removed = set(_START_ENV) - set(now)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ.update(import_effects)  # what the imported modules set, as they would have
    for name in removed:
        os.environ.pop(name, None)
    import importlib.util

    from ipykernel import kernelapp

    spec = importlib.util.find_spec(LAUNCHER)
    sys.argv = [(spec.origin if spec else None) or LAUNCHER, *request["args"]]
    import warnings

    imported_filters = [f for f in warnings.filters if f not in _START_FILTERS]
    app = kernelapp.IPKernelApp.instance()
    # watch the server, this process's parent (JPY_PARENT_PID names the worker)
    app.initialize([*request["args"], f"--IPKernelApp.parent_handle={os.getppid()}"])
    # the filters the imports added go before those the kernel added as it started, as if the
    # modules were imported by the notebook (``warnings`` puts a new filter first)
    rest = [f for f in warnings.filters if f not in imported_filters]
    warnings.filters[:] = imported_filters + rest  # type: ignore[index]
    warnings._filters_mutated()  # type: ignore[attr-defined]
    app.start()


def main(argv: Sequence[str]) -> int:
    address, modules_file = argv
    # as ipykernel_launcher does: the start folder (put first by ``python -m``) is not on the
    # path while modules load; IPython puts ``""`` on it when the kernel starts
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's; it stops the server
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    _START_ENV.update(os.environ)  # some imports set variables (pandera: PYARROW_…, SPARK_…)
    groups = json.loads(Path(modules_file).read_text(encoding="utf-8"))
    import warnings

    import ipykernel.kernelapp  # noqa: F401  (every kernel needs it)

    _START_FILTERS.extend(warnings.filters)

    folder = Path(address).parent
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address + ".part")
    listener.listen(16)
    os.rename(address + ".part", address)  # a worker sees the socket only once it listens
    child = serve(listener, groups, folder)
    if child is None:  # the build that started it is gone (one that stops it removes the folder)
        listener.close()
        shutil.rmtree(folder, ignore_errors=True)
        return 0
    become_kernel(child, listener)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
