"""The real web server, started the way ``kefu run`` starts it, on a free loopback port.

The benchmark measures what a deployment serves: gunicorn with the gthread worker, two workers of four
threads, talking to the seeded database. Starting it in-process (Django's test client) would skip
WSGI, HTTP parsing and keep-alive, and would share the measuring process's memory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import psutil

START_SECONDS = 60.0
STOP_SECONDS = 30.0


def stop_process_group(process: subprocess.Popen[Any], *, timeout: float) -> None:
    """SIGTERM a process started in its own session, wait, then SIGKILL whatever is left of its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(timeout=timeout)


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebServer:
    """A gunicorn process group serving ``kefu.wsgi`` on 127.0.0.1; a context manager that always stops it."""

    def __init__(self, *, env: dict[str, str], log_dir: Path, workers: int = 2, threads: int = 4) -> None:
        self.env = env
        self.log_path = log_dir / "gunicorn.log"
        self.workers = workers
        self.threads = threads
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> WebServer:
        self.port = free_loopback_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "kefu.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self._log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"gunicorn did not answer /healthz within {START_SECONDS:.0f} s:\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def memory(self) -> dict[str, Any]:
        """Resident memory of the master and of each worker, in MB."""
        if self.process is None:
            return {}
        master = psutil.Process(self.process.pid)
        workers = master.children(recursive=True)
        mb = 1024 * 1024
        worker_rss = sorted(round(child.memory_info().rss / mb, 1) for child in workers)
        return {
            "master_rss_mb": round(master.memory_info().rss / mb, 1),
            "worker_rss_mb": worker_rss,
            "max_worker_rss_mb": max(worker_rss, default=0.0),
        }

    def stop(self) -> None:
        """SIGTERM the master (it stops its workers), wait, then kill the process group if it lingers."""
        process, self.process = self.process, None
        if process is not None:
            stop_process_group(process, timeout=STOP_SECONDS)
