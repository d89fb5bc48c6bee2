"""Kernels forked from the fork server: the runner's and the workers' side.

The runner starts one :class:`ForkServer` per build (:class:`analysis.build.execute.Workers`)
and gives its address to the workers; a worker's kernel manager (:func:`kernel_manager`) then
launches through ``ForkedProvisioner``, jupyter_client's local provisioner asking the
server for a kernel (:class:`ForkRequest`: wait until the server is ready, choose the ports,
fork) instead of starting a process. Its process object
(:class:`ForkedProcess`) signals and polls the kernel by its process id, since the kernel is the
server's child, not the worker's: liveness from /proc (with the process's start time, so a later
process with the same id is not taken for it), the exit status from the file the server writes
when it reaps the kernel. When the server refuses, is gone or never started, the provisioner
launches an ordinary kernel; the notebook does not notice. What the server does and why a
forked kernel shows a notebook what a fresh one does: :mod:`analysis.build.forkserver`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.build.forkserver import (
    LAUNCHER,
    MAX_MESSAGE,
    PER_KERNEL_ENV,
    POLL_SECONDS,
    READY,
    REQUEST_TIMEOUT,
    ForkRefused,
    enabled,
    exit_file,
)

READY_TIMEOUT = 60.0  # seconds a worker waits for the server to answer a request


# a worker's request --------------------------------------------------------------------------
class ForkRequest:
    """One conversation with the server: :meth:`open` waits until the server is ready to fork
    (it answers between imports), :meth:`fork` sends the kernel's command, environment, folder
    and streams and returns the child's process id. The kernel's ports are chosen between the
    two, so the fork follows at once; chosen before a wait for the server's imports, they could
    be taken by another process in the meantime (``Address already in use`` in the kernel)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock: socket.socket | None = None

    def open(self, timeout: float | None = None) -> None:
        timeout = READY_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.address):  # the server binds once its interpreter is up
            if time.monotonic() > deadline or not _server_alive(self.address):
                raise ForkRefused(f"no fork server at {self.address}")
            time.sleep(0.02)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock.connect(self.address)
            greeting = sock.recv(MAX_MESSAGE)
        except OSError as exc:
            sock.close()
            raise ForkRefused(f"fork server: {exc}") from exc
        if greeting != READY:
            sock.close()
            raise ForkRefused("fork server closed the connection")
        self.sock = sock

    def fork(self, cmd: Sequence[str], env: dict[str, str], cwd: str, fds: Sequence[int]) -> int:
        if self.sock is None:
            raise ForkRefused("not connected to the fork server")
        message = json.dumps({"cmd": list(cmd), "env": env, "cwd": cwd}).encode()
        try:
            self.sock.settimeout(REQUEST_TIMEOUT)
            socket.send_fds(self.sock, [message], list(fds))
            reply = json.loads(self.sock.recv(MAX_MESSAGE) or b"{}")
        except (OSError, ValueError) as exc:
            raise ForkRefused(f"fork server: {exc}") from exc
        finally:
            self.close()
        if "pid" not in reply:
            raise ForkRefused(reply.get("error", "fork server closed the connection"))
        return int(reply["pid"])

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _server_alive(address: str) -> bool:
    """Whether the process named by the server's pid file (beside its socket) still runs."""
    try:
        pid = int((Path(address).parent / "pid").read_text())
    except (OSError, ValueError):
        return False
    return _start_time(pid) is not None


def _start_time(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/<pid>/stat), to tell it from a later process
    that got the same id; None when it is gone. A zombie counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return None if fields[0] in ("Z", "X") else fields[19]


class ForkedProcess:
    """The part of :class:`subprocess.Popen` jupyter_client uses, for a kernel that is the fork
    server's child: signals by process id, liveness from /proc, the exit status from the file
    the server writes when it reaps the kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, folder: Path) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._folder = folder
        self._started = _start_time(pid)

    def poll(self) -> int | None:
        if self.returncode is None and (
            self._started is None or _start_time(self.pid) != self._started
        ):
            self.returncode = self._exit_status()
        return self.returncode

    def _exit_status(self) -> int:
        path = exit_file(self._folder, self.pid)
        deadline = time.monotonic() + 2 * POLL_SECONDS + 0.5
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        try:
            return int(path.read_text())
        except (OSError, ValueError):
            return -signal.SIGKILL  # the server is gone too: it ended without a status

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired([str(self.pid)], timeout or 0.0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _stream_fd(value: Any, default: int, devnull: int) -> int:
    """The file descriptor a kernel's stream gets: ``None`` inherits this process's (as
    :func:`subprocess.Popen` would), a file or descriptor is passed on, anything else (a pipe
    nobody reads) is refused."""
    if value is None:
        return default
    if isinstance(value, int) and value >= 0:
        return value
    if value == subprocess.DEVNULL:
        return devnull
    if hasattr(value, "fileno"):
        return int(value.fileno())
    raise ForkRefused(f"stream {value!r} cannot be passed to a forked kernel")


def _provisioner_class() -> type:
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        """jupyter_client's local provisioner, launching through the fork server at
        :attr:`address`; an ordinary launch when the server refuses. It waits for the server
        before the ports are chosen (:meth:`pre_launch`), so they are bound right after."""

        address: str = ""
        _request: ForkRequest | None = None

        async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
            request = ForkRequest(self.address)
            try:
                request.open()
            except ForkRefused as exc:
                self.log.info("kernel started without the fork server: %s", exc)
            else:
                self._request = request
            try:
                return await super().pre_launch(**kwargs)
            except BaseException:
                request.close()  # the server waits for this worker's request: let it go on
                self._request = None
                raise

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            request, self._request = self._request, None
            if request is None:  # the server was not there: started the ordinary way
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                with open(os.devnull, "rb") as devnull:
                    fds = [
                        devnull.fileno(),
                        _stream_fd(kwargs.get("stdout"), 1, devnull.fileno()),
                        _stream_fd(kwargs.get("stderr"), 2, devnull.fileno()),
                    ]
                    pid = request.fork(cmd, env, cwd, fds)
            except ForkRefused as exc:
                request.close()
                self.log.info("kernel started without the fork server: %s", exc)
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedProcess(pid, Path(self.address).parent)  # type: ignore[assignment]
            self.pid = self.pgid = pid  # the child leads its own session
            self.cwd = cwd
            return self.connection_info

    return ForkedProvisioner


def kernel_manager(address: str, kernel_name: str) -> Any:
    """An (unstarted) async kernel manager whose kernel comes from the fork server at
    ``address``; started by :class:`analysis.build.kernels.SpareKernel` or by nbclient."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=kernel_name)
    km.kernel_id = str(uuid.uuid4())
    provisioner = _provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec,
                                       parent=km)  # fmt: skip
    provisioner.address = address
    km.provisioner = provisioner
    return km


# the runner's handle --------------------------------------------------------------------------
def kernel_interpreter(kernel_name: str) -> list[str] | None:
    """The interpreter and flags of the kernelspec's command, when it is ``… -m
    ipykernel_launcher -f {connection_file}``; None otherwise (no fork server then)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = list(KernelSpecManager().get_kernel_spec(kernel_name).argv)
    except Exception:
        return None
    if "-m" not in argv:
        return None
    i = argv.index("-m")
    return argv[:i] if argv[i + 1 : i + 2] == [LAUNCHER] else None


class ForkServer:
    """The fork server of one build: started by :meth:`start`, stopped by :meth:`stop`."""

    def __init__(
        self, process: subprocess.Popen[bytes], folder: Path, log: Path | None = None
    ) -> None:
        self.process, self.folder, self.log = process, folder, log
        self.address = str(folder / "socket")

    @classmethod
    def start(cls, kernel_name: str, cwd: str, groups: Sequence[Sequence[str]],
              log: Path | None = None) -> ForkServer | None:  # fmt: skip
        """Start a server importing ``groups`` (lists of modules, the first notebook's first),
        in ``cwd`` (the notebooks' folder, where kernels start); None when it is turned off or
        the kernelspec is not a plain ipykernel."""
        interpreter = kernel_interpreter(kernel_name)
        if not enabled() or interpreter is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="analysis-forks-"))
        modules = folder / "modules.json"
        modules.write_text(json.dumps([list(g) for g in groups]), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in PER_KERNEL_ENV}
        out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
        try:
            process = subprocess.Popen(
                [*interpreter, "-m", "analysis.build.forkserver", str(folder / "socket"),
                 str(modules)],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            )  # fmt: skip
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        finally:
            if not isinstance(out, int):
                out.close()
        (folder / "pid").write_text(str(process.pid))
        return cls(process, folder, log)

    def stop(self) -> None:
        """Stop the server (kernels still running exit when they see it gone) and remove its
        folder."""
        with contextlib.suppress(OSError):
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
