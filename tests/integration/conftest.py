"""Helpers for tests that run Kefu's own processes (the CLI, the web server, Celery workers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

KEFU = [sys.executable, "-m", "kefu.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh embedded installation: its own SQLite file and file-system broker."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"KEFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "kefu.settings", **extra})
    return env


def kefu(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KEFU, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not become healthy in time")


@pytest.fixture
def installation(tmp_path) -> dict[str, str]:
    """A migrated embedded installation in a temporary folder."""
    env = embedded_env(tmp_path / "data")
    result = kefu("migrate", env=env)
    assert result.returncode == 0, result.stderr
    return env
