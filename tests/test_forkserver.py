"""Kernels forked from the build's fork server (analysis.build.forkserver, .forking): a forked
kernel is the server's child and holds the server's modules, and what its code sees — paths,
folder, environment, display defaults, warning filters, signals, session — is what an ordinary
kernel shows it. When the server cannot give an equal kernel it refuses, and the kernel starts
the ordinary way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis.build import forking, forkserver, kernels
from analysis.env.envsetup import KERNEL_NAME


# the request and the process object (no kernel) ---------------------------------------------
def test_launcher_args_are_those_after_the_servers_interpreter_and_launcher() -> None:
    python = ["/venv/bin/python", "-Xfrozen_modules=off"]
    cmd = [*python, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert forkserver.launcher_args(cmd, python) == ["-f", "/tmp/k.json"]
    for other in (
        ["/other/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"],
        ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "k.json"],  # a flag missing
        [*python, "-m", "another_kernel", "-f", "k.json"],
    ):
        with pytest.raises(forkserver.ForkRefused):
            forkserver.launcher_args(other, python)


def test_env_difference_ignores_per_kernel_variables_and_the_inline_backend_default() -> None:
    server = {"PATH": "/bin", "MPLBACKEND": forkserver.INLINE_BACKEND, "OPENBLAS_NUM_THREADS": "1"}
    wanted = {"PATH": "/bin", "OPENBLAS_NUM_THREADS": "1", "ANALYSIS_STAGING": "/tmp/s",
              "JPY_PARENT_PID": "42"}  # fmt: skip
    assert forkserver.env_difference(wanted, server) == []
    assert forkserver.env_difference({**wanted, "OPENBLAS_NUM_THREADS": "2"}, server) == [
        "OPENBLAS_NUM_THREADS"
    ]
    assert forkserver.env_difference({**wanted, "MPLBACKEND": "agg"}, server) == ["MPLBACKEND"]
    assert forkserver.env_difference({**wanted, "PYTHONHASHSEED": "0"}, server) == [
        "PYTHONHASHSEED"
    ]
    assert forkserver.env_difference({"OPENBLAS_NUM_THREADS": "1"}, server) == ["PATH"]


def test_stream_fd_inherits_passes_on_or_refuses(tmp_path: Path) -> None:
    assert forking._stream_fd(None, 2, devnull=9) == 2
    assert forking._stream_fd(7, 2, devnull=9) == 7
    assert forking._stream_fd(subprocess.DEVNULL, 2, devnull=9) == 9
    with open(tmp_path / "log", "ab") as fh:
        assert forking._stream_fd(fh, 2, devnull=9) == fh.fileno()
    with pytest.raises(forkserver.ForkRefused):
        forking._stream_fd(subprocess.PIPE, 1, devnull=9)


def test_forked_process_reads_liveness_from_proc_and_status_from_the_servers_file(
    tmp_path: Path,
) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        forked = forking.ForkedProcess(proc.pid, tmp_path)
        assert forked.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            forked.wait(timeout=0.1)
        forked.kill()
        deadline = time.monotonic() + 10
        while forking._start_time(proc.pid) is not None and time.monotonic() < deadline:
            time.sleep(0.02)  # a zombie counts as gone
        (tmp_path / f"exit-{proc.pid}").write_text("-9")  # as the server records it
        assert forked.wait(timeout=5) == -9
        assert forked.poll() == -9
        forked.kill()  # a kernel that is gone is not signalled again
    finally:
        proc.kill()
        proc.wait()


def test_modules_in_order_gives_each_notebook_what_the_ones_before_did_not(tmp_path: Path) -> None:
    import nbformat

    def notebook(name: str, source: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source)]
        nbformat.write(nb, tmp_path / name)
        return tmp_path / name

    a = notebook("a.ipynb", "import pandas\nimport colorsys")
    b = notebook("b.ipynb", "import colorsys\nimport fractions")
    assert kernels.modules_in_order([a, b]) == [["pandas", "colorsys"], ["fractions"]]


# a server and its kernels ---------------------------------------------------------------------
PRELOADED = "mailbox"  # imported by neither an ordinary kernel nor pandas or matplotlib


def _environ() -> dict[str, str]:
    """This process's environment without pytest's per-test variable (a server started for
    the module's tests would refuse the kernels of every later test for it)."""
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[forking.ForkServer]:
    folder = tmp_path_factory.mktemp("server")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PYTEST_CURRENT_TEST", raising=False)
        started = forking.ForkServer.start(
            KERNEL_NAME, str(folder), [[PRELOADED], ["pandas", "matplotlib.pyplot"]],
            folder / "server.log",
        )  # fmt: skip
    assert started is not None, "no fork server: is ANALYSIS_FORK_KERNELS=0 set?"
    yield started
    started.stop()
    assert started.process.poll() is not None
    assert not started.folder.exists()


class Kernel:
    """A started kernel with a blocking client."""

    def __init__(self, km: Any, cwd: Path, env: dict[str, str] | None = None) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        self.km = km
        run_sync(km.start_kernel)(cwd=str(cwd), env=env if env is not None else _environ())
        self.client = BlockingKernelClient()
        self.client.load_connection_info(km.get_connection_info())
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 60) -> tuple[str, dict]:
        text: list[str] = []

        def hook(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                text.append(msg["content"]["text"])

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=hook)
        return "".join(text), reply["content"]

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        self.client.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)


def _ordinary() -> Any:
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=KERNEL_NAME)


PROBE = textwrap.dedent(
    """
    import json, os, signal, sys, warnings
    import pandas as pd
    import matplotlib
    fingerprint = {
        "pandas": {k: pd.get_option(k) for k in (
            "display.max_columns", "display.width", "display.max_rows", "display.max_colwidth")},
        "mpl_backend": dict.__getitem__(matplotlib.rcParams, "backend"),
        "path": sys.path,
        "argv": [os.path.basename(sys.argv[0])] + sys.argv[1:2],
        "cwd": os.getcwd(),
        "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
        "main_has_file": hasattr(sys.modules["__main__"], "__file__"),
        "main_name": sys.modules["__main__"].__name__,
        "warnings": [repr(f) for f in warnings.filters],
        "signals": {s: repr(signal.getsignal(getattr(signal, s)))
                    for s in ("SIGINT", "SIGTERM", "SIGCHLD", "SIGPIPE", "SIGHUP", "SIGQUIT")},
        "own_session": os.getsid(0) == os.getpid() == os.getpgid(0),
        "flags": list(sys.flags),
        "recursion_limit": sys.getrecursionlimit(),
        "in_kernel": type(get_ipython()).__name__,
        "display_formatters": sorted(get_ipython().display_formatter.active_types),
    }
    print(json.dumps(fingerprint, sort_keys=True))
    print(os.getppid(), "mailbox" in sys.modules)
    """
)


@pytest.mark.notebooks
def test_a_forked_kernel_sees_what_an_ordinary_kernel_sees(
    server: forking.ForkServer, tmp_path: Path
) -> None:
    env = {**_environ(), "ANALYSIS_STAGING": str(tmp_path / "staging")}
    shown = {}
    for kind, km in (("forked", kernels.kernel_manager(server.address)), ("ordinary", _ordinary())):
        kernel = Kernel(km, tmp_path, env)
        try:
            out, reply = kernel.run(PROBE)
            assert reply["status"] == "ok", reply
            fingerprint, parent = out.strip().splitlines()
            shown[kind] = (json.loads(fingerprint), parent.split())
            process = km.provisioner.process
            shown[kind] += (type(process).__name__, process.pid)
        finally:
            kernel.close()
    (forked, (forked_parent, forked_preloaded), forked_type, _) = shown["forked"]
    (ordinary, (_, ordinary_preloaded), ordinary_type, _) = shown["ordinary"]
    # it was forked: the server is its parent and the server's modules are loaded
    assert forked_type == "ForkedProcess" and ordinary_type == "Popen"
    assert int(forked_parent) == server.process.pid
    assert (forked_preloaded, ordinary_preloaded) == ("True", "False")
    # and it shows its code what an ordinary kernel shows
    assert forked["env"]["ANALYSIS_STAGING"] == str(tmp_path / "staging")
    assert forked["pandas"]["display.max_columns"] == 20  # a kernel's default, not a terminal's
    for key in ordinary:
        assert forked[key] == ordinary[key], key


@pytest.mark.notebooks
def test_forked_kernels_draw_their_own_random_numbers(server: forking.ForkServer,
                                                      tmp_path: Path) -> None:  # fmt: skip
    draws = []
    for _ in range(2):
        kernel = Kernel(kernels.kernel_manager(server.address), tmp_path)
        try:
            out, _ = kernel.run("import numpy, random\nprint(numpy.random.rand(), random.random())")
            draws.append(out.split())
        finally:
            kernel.close()
    assert draws[0][0] != draws[1][0] and draws[0][1] != draws[1][1]


@pytest.mark.notebooks
def test_a_forked_kernel_is_interrupted_and_shut_down_alone(
    server: forking.ForkServer, tmp_path: Path
) -> None:
    from jupyter_core.utils import run_sync

    km = kernels.kernel_manager(server.address)
    kernel = Kernel(km, tmp_path)
    process = km.provisioner.process
    assert isinstance(process, forking.ForkedProcess)
    msg_id = kernel.client.execute("import time\nprint('asleep', flush=True)\ntime.sleep(60)")
    while True:  # interrupt the cell once it runs (not the kernel still handling the request)
        msg = kernel.client.get_iopub_msg(timeout=20)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            break
    run_sync(km.interrupt_kernel)()  # SIGINT to the kernel's own process group only
    while True:
        reply = kernel.client.get_shell_msg(timeout=20)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert server.process.poll() is None  # the server did not see the interrupt
    # still alive after it (answered on the shell channel: the reply names its request).
    # After an error ipykernel aborts the requests that reach it before it has wound down
    # (ipykernel.kernelbase: "aborted" replies, no user expressions), so ask until answered
    for _ in range(100):
        alive = kernel.client.execute_interactive(
            "x = 6 * 7", user_expressions={"x": "x"}, timeout=60, output_hook=lambda msg: None
        )
        if alive["content"]["status"] != "aborted":
            break
        time.sleep(0.05)
    assert alive["content"]["status"] == "ok", alive["content"]
    assert alive["content"]["user_expressions"]["x"]["data"]["text/plain"] == "42"
    kernel.close()
    assert run_sync(km.is_alive)() is False
    assert process.poll() is not None
    assert forking._start_time(process.pid) is None


@pytest.mark.notebooks
def test_the_server_refuses_a_different_environment_and_the_kernel_starts_ordinarily(
    server: forking.ForkServer, tmp_path: Path
) -> None:
    km = kernels.kernel_manager(server.address)
    env = {**_environ(), "PYTHONHASHSEED": "123"}  # read when an interpreter starts
    kernel = Kernel(km, tmp_path, env)
    try:
        assert type(km.provisioner.process).__name__ == "Popen"
        out, reply = kernel.run("import os, sys; print(os.getppid(), 'mailbox' in sys.modules)")
        assert reply["status"] == "ok"
        assert out.split() == [str(os.getpid()), "False"]
    finally:
        kernel.close()
    assert server.log is not None
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "refused a kernel: environment differs in PYTHONHASHSEED" in log


@pytest.mark.notebooks
def test_no_server_means_an_ordinary_kernel_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    km = kernels.kernel_manager(str(tmp_path / "no-such-socket"))  # and no server's pid file
    started = time.monotonic()
    kernel = Kernel(km, tmp_path)
    try:
        assert type(km.provisioner.process).__name__ == "Popen"
        assert time.monotonic() - started < forking.READY_TIMEOUT / 2  # no wait for a server
        assert kernel.run("print(1 + 1)")[0].strip() == "2"
    finally:
        kernel.close()
    monkeypatch.setenv(forkserver.ENABLE_ENV, "0")
    assert forking.ForkServer.start(KERNEL_NAME, str(tmp_path), [["json"]]) is None


@pytest.mark.notebooks
def test_the_server_and_its_kernels_end_when_the_build_that_started_them_is_gone(
    tmp_path: Path,
) -> None:
    """A runner killed with SIGKILL cannot stop its server: the server sees its parent gone,
    removes its folder and exits, and a kernel still running sees its server gone and exits
    too."""
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from analysis.build import forking, kernels
        from jupyter_core.utils import run_sync
        server = forking.ForkServer.start({KERNEL_NAME!r}, {str(tmp_path)!r}, [["json"]])
        km = kernels.kernel_manager(server.address)
        run_sync(km.start_kernel)(cwd={str(tmp_path)!r})
        print(server.process.pid, km.provisioner.process.pid, server.folder, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pids_and_folder = parent.stdout.readline().split()
        server_pid, kernel_pid = (int(x) for x in pids_and_folder[:2])
        folder = Path(pids_and_folder[2])
        assert folder.is_dir()
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (
            forking._start_time(server_pid) or forking._start_time(kernel_pid)
        ):
            time.sleep(0.1)
        assert forking._start_time(server_pid) is None, "the server outlived its build"
        assert forking._start_time(kernel_pid) is None, "the kernel outlived its server"
        assert not folder.exists(), "the server left its folder behind"
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.notebooks
def test_the_first_kernel_comes_after_the_first_group_the_later_ones_after_every_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first notebook's kernel does not wait for the other notebooks' modules; a kernel
    asked for while those are imported waits for them, and holds them."""
    modules = tmp_path / "modules"
    modules.mkdir()
    for name in ("slow_first", "slow_second", "slow_third"):  # requests come as they import
        (modules / f"{name}.py").write_text("import time\ntime.sleep(1.0)\n")
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(modules), os.environ.get("PYTHONPATH", "")])
    )
    started = forking.ForkServer.start(
        KERNEL_NAME, str(tmp_path), [["slow_first"], ["slow_second"], ["slow_third"]]
    )
    assert started is not None
    probe = "import sys\nprint(*(f'slow_{n}' in sys.modules for n in ('first', 'second', 'third')))"
    try:
        first = Kernel(kernels.kernel_manager(started.address), tmp_path)
        second = Kernel(kernels.kernel_manager(started.address), tmp_path)
        try:
            assert first.run(probe)[0].split() == ["True", "False", "False"]
            # asked for while the second group was imported: forked after the third
            assert second.run(probe)[0].split() == ["True", "True", "True"]
        finally:
            first.close()
            second.close()
    finally:
        started.stop()


@pytest.mark.notebooks
def test_the_server_says_it_is_ready_before_the_ports_are_chosen_and_forks_right_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker chooses its kernel's ports only once the server said it is ready (between two
    imports), and the fork follows at once: ports chosen before a wait for imports could be
    taken by another process meanwhile. The server does not go on importing while a worker it
    said "ready" to is choosing its ports."""
    modules = tmp_path / "modules"
    modules.mkdir()
    for name in ("slow_first", "slow_second"):
        (modules / f"{name}.py").write_text("import time\ntime.sleep(1.5)\n")
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(modules), os.environ.get("PYTHONPATH", "")])
    )
    server = forking.ForkServer.start(KERNEL_NAME, str(tmp_path), [["slow_first"], ["slow_second"]])
    assert server is not None
    interpreter = forking.kernel_interpreter(KERNEL_NAME)
    assert interpreter is not None
    cmd = [*interpreter, "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")]
    request = forking.ForkRequest(server.address)
    try:
        started = time.monotonic()
        request.open()
        ready = time.monotonic()
        assert ready - started >= 1.0  # it waited for the first group
        with open(os.devnull, "rb") as devnull:
            fd = devnull.fileno()
            pid = request.fork(cmd, dict(os.environ), str(tmp_path), [fd, fd, fd])
        assert time.monotonic() - ready < 1.0  # not after the second group
        kernel = forking.ForkedProcess(pid, server.folder)
        assert kernel.poll() is None
        kernel.kill()
        assert kernel.wait(timeout=10) == -signal.SIGKILL
        # a worker that goes away after "ready" gets nothing, and the server goes on
        gone = forking.ForkRequest(server.address)
        gone.open()
        gone.close()
        again = forking.ForkRequest(server.address)
        again.open()
        again.close()
    finally:
        request.close()
        server.stop()
