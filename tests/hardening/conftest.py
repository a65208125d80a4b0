"""Fixtures of the hardening tests: a socket guard, a capped ``ringkas`` subprocess, file snapshots."""

from __future__ import annotations

import ipaddress
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Address-space cap of a ``ringkas`` subprocess. torch maps a lot of virtual memory when it is
#: imported, so the cap is generous; it still stops a loader that inflates a zip bomb.
SUBPROCESS_MEMORY_CAP = 4 * 1024**3
#: Wall-clock cap of one ``ringkas`` subprocess.
SUBPROCESS_TIMEOUT_S = 60


class NetworkBlocked(AssertionError):
    """Raised when code under test tries to open a connection the test forbids."""


def _is_loopback(host) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class SocketGuard:
    """Replaces the socket entry points so that any forbidden connection raises and is recorded.

    Attributes:
        attempts: every forbidden (function, address) that was tried.
        allow_loopback: whether 127.0.0.0/8 and ::1 may be reached (fake-Hub tests only).
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, allow_loopback: bool) -> None:
        self.attempts: list[tuple[str, object]] = []
        self.allow_loopback = allow_loopback
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_getaddrinfo = socket.getaddrinfo
        real_create_connection = socket.create_connection
        guard = self

        def check(what: str, family, address) -> None:
            if family == getattr(socket, "AF_UNIX", object()):
                return  # local IPC (multiprocessing, D-Bus), not the network
            host = address[0] if isinstance(address, tuple) else address
            if guard.allow_loopback and _is_loopback(host):
                return
            guard.attempts.append((what, address))
            raise NetworkBlocked(f"network access attempted: {what}({address!r})")

        def connect(sock, address):
            check("connect", sock.family, address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            check("connect_ex", sock.family, address)
            return real_connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            check("getaddrinfo", None, (host,))
            return real_getaddrinfo(host, *args, **kwargs)

        def create_connection(address, *args, **kwargs):
            check("create_connection", None, address)
            return real_create_connection(address, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture
def no_network(monkeypatch) -> SocketGuard:
    """Forbid every network connection, loopback included; the test fails if one is tried."""
    guard = SocketGuard(monkeypatch, allow_loopback=False)
    yield guard
    assert not guard.attempts, f"code tried to reach the network: {guard.attempts}"


@pytest.fixture
def loopback_only(monkeypatch) -> SocketGuard:
    """Forbid every connection except to loopback (for tests that talk to the fake Hub)."""
    guard = SocketGuard(monkeypatch, allow_loopback=True)
    yield guard
    assert not guard.attempts, f"code tried to reach the network: {guard.attempts}"


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str
    #: peak resident memory of the child, in bytes (from getrusage; Linux reports KiB)
    peak_rss: int


def _limit_child(memory_cap: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return preexec


def run_ringkas(
    *args: str,
    env: dict[str, str] | None = None,
    memory_cap: int = SUBPROCESS_MEMORY_CAP,
    timeout: float = SUBPROCESS_TIMEOUT_S,
    extra_limits=None,
    cwd: Path | None = None,
) -> Completed:
    """Run ``python -m app ARGS`` in a child capped in memory and time; returns its output.

    The child inherits the test's environment (its isolated user folders and offline Hub), with
    one torch thread so parallel children do not fight over the two shared cores.
    """
    child_env = dict(os.environ)
    # Few threads: each one reserves address space (stacks, malloc arenas), and on a many-core
    # machine thread pools sized by core count alone would hit the address-space cap.
    child_env.update(
        {
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "RAYON_NUM_THREADS": "2",
            "MALLOC_ARENA_MAX": "2",
        }
    )
    child_env.pop("PYTEST_CURRENT_TEST", None)
    child_env.update(env or {})
    limit = _limit_child(memory_cap)

    def preexec() -> None:
        limit()
        if extra_limits:
            extra_limits()

    # Pipes, not files: a test may limit the size of files the child writes (RLIMIT_FSIZE).
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=cwd or ROOT,
        env=child_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,
    )
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        chunks[name] = stream.read()
        stream.close()

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        # wait4 gives this child's own peak memory (RUSAGE_CHILDREN mixes all children).
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout)
    stdout = chunks.get("out", b"").decode("utf-8", "replace")
    stderr = chunks.get("err", b"").decode("utf-8", "replace")
    timed_out = proc.returncode == -signal.SIGKILL
    assert not timed_out, (
        f"ringkas {' '.join(args)} was killed (ran past {timeout}s, or the system ran out of memory): {stderr[-2000:]}"
    )
    return Completed(proc.returncode, stdout, stderr, usage.ru_maxrss * 1024)


def assert_one_line_error(completed: Completed) -> None:
    """A failed command printed exactly one readable line on stderr, never a traceback."""
    assert "Traceback" not in completed.stderr, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("ringkas: "), lines[0]


def snapshot(path: Path) -> dict[str, tuple]:
    """Bytes, size and mtime of every file under ``path`` (or of ``path`` itself), links kept."""
    path = Path(path)
    files = [path] if not path.is_dir() or path.is_symlink() else sorted(path.rglob("*"))
    state = {}
    for item in files:
        try:
            st = item.lstat()
        except OSError:
            continue
        if item.is_symlink():
            state[str(item)] = ("link", os.readlink(item), st.st_mtime_ns)
        elif item.is_file():
            state[str(item)] = ("file", item.read_bytes(), st.st_mtime_ns, st.st_mode)
        else:
            state[str(item)] = ("other", st.st_mode, st.st_mtime_ns)
    return state


# --- the window ---------------------------------------------------------------------------------


@pytest.fixture
def hardening_window(qtbot, gui_settings, no_dangling_qthreads):
    """A shown main window over the real engine (errors go to its status line, no modal boxes)."""
    from app.gui.main_window import MainWindow

    window = MainWindow(gui_settings)
    window.quiet = True
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    yield window
    window.close()
    window.shutdown()


@pytest.fixture
def ringkas_here(capsys):
    """Run ``ringkas ARGS`` in this process (fast: libraries stay loaded); returns (code, out, err).

    For steps that only set the scene or check the outcome; what is under test runs in a child.
    """

    def run(*args: str) -> tuple[int, str, str]:
        from app.cli import main

        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
