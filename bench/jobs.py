"""``python -m bench.jobs``: how fast the worker of ``kefu run`` takes jobs off its broker.

    .venv/bin/python -m bench.jobs --broker embedded            # SQLite + the file-system broker
    .venv/bin/python -m bench.jobs --broker redis --redis-db 14  # redis://127.0.0.1:6379/14 (flushed!)

The worker is started with the very command ``kefu run`` uses (``kefu.cli.worker_command``), on a fresh
``KEFU_DATA_DIR`` (removed at the end) and a SQLite database in it. The job is ``kefu.ping``, which does
nothing, so what is measured is the queue: publishing, the transport, prefetching, the pool, acks. Three
numbers per run:

- ``burst``: ``--jobs`` pings published at once from this process; jobs/s from the first publish until
  the worker has logged the last one as succeeded (it logs every task at INFO, as under ``kefu run``);
- ``pickup``: single pings published 0.3 s apart to an idle worker; how long until each one ran;
- ``idle_cpu``: the worker's process tree's CPU use over 5 s with nothing to do (the cost of polling).

Only 127.0.0.1 is contacted. The Redis database number given is flushed before and after the run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

from bench.server import stop_process_group

READY_SECONDS = 60.0


class Worker:
    """``kefu run``'s Celery worker, its log in a file; a context manager that always stops it."""

    def __init__(self, *, env: dict[str, str], log_path: Path, concurrency: int) -> None:
        self.env = env
        self.log_path = log_path
        self.concurrency = concurrency
        self.process: subprocess.Popen[bytes] | None = None
        self._offset = 0
        self._tail = b""

    def __enter__(self) -> Worker:
        from kefu.cli import worker_command

        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                worker_command(concurrency=self.concurrency),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_SECONDS
        while b" ready." not in self.log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the worker did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def count(self, *markers: bytes) -> int:
        """How many new complete log lines since the last call contain every one of ``markers``."""
        with self.log_path.open("rb") as log:
            log.seek(self._offset)
            data = log.read()
        self._offset += len(data)
        data = self._tail + data
        lines = data.split(b"\n")
        self._tail = lines.pop()
        return sum(1 for line in lines if all(marker in line for marker in markers))

    def cpu_seconds(self) -> float:
        assert self.process is not None
        root = psutil.Process(self.process.pid)
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            stop_process_group(process, timeout=30)


def _wait_for(worker: Worker, expected: int, timeout: float) -> tuple[int, float]:
    """Count succeeded pings until ``expected`` or ``timeout``; (count, time of the last increase)."""
    deadline = time.perf_counter() + timeout
    seen = 0
    last = time.perf_counter()
    while seen < expected and time.perf_counter() < deadline:
        new = worker.count(b"kefu.ping[", b"succeeded")
        if new:
            seen += new
            last = time.perf_counter()
        else:
            time.sleep(0.005)
    return seen, last


def measure(worker: Worker, jobs: int, pickups: int, timeout: float) -> dict[str, Any]:
    from kefu.celery import ping

    ping.delay()  # warm up: the publisher's connection and declarations, the pool's first task
    _wait_for(worker, 1, 30)

    latencies = []
    for _ in range(pickups):
        time.sleep(0.3)
        begin = time.perf_counter()
        ping.delay()
        count, last = _wait_for(worker, 1, 10)
        if count:
            latencies.append((last - begin) * 1000)
    cpu_before = worker.cpu_seconds()
    time.sleep(5)
    idle_cpu = (worker.cpu_seconds() - cpu_before) / 5 * 100

    begin = time.perf_counter()
    for _ in range(jobs):
        ping.delay()
    published = time.perf_counter()
    done, last = _wait_for(worker, jobs, timeout)
    return {
        "burst_jobs": jobs,
        "burst_done": done,
        "publish_per_second": round(jobs / (published - begin), 1),
        "burst_seconds": round(last - begin, 2),
        "burst_jobs_per_second": round(done / (last - begin), 1),
        "pickup_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "pickup_max_ms": round(max(latencies), 1) if latencies else None,
        "idle_cpu_percent": round(idle_cpu, 1),
    }


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", choices=["embedded", "redis"], default="embedded")
    parser.add_argument("--redis-db", type=int, default=14, help="flushed before and after (default 14)")
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--pickups", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=2, help="as kefu run's default")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for one burst at most")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="kefu-jobbench-"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}" if args.broker == "redis" else ""
    env = {
        **os.environ,
        "KEFU_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'kefu.sqlite3'}",
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
    }
    env.pop("KEFU_CELERY_BROKER_URL", None)
    os.environ.clear()
    os.environ.update(env)
    try:
        if redis_url:
            _flush_redis(redis_url)
        migrate = [sys.executable, "-m", "kefu.cli", "migrate"]
        subprocess.run(migrate, env=env, check=True, capture_output=True)
        import django

        django.setup()
        from django.conf import settings

        results = []
        for run in range(args.runs):
            with Worker(env=env, log_path=data_dir / f"worker-{run}.log", concurrency=args.concurrency) as w:
                results.append(measure(w, args.jobs, args.pickups, args.timeout))
            print(json.dumps(results[-1]), file=sys.stderr)
        summary = {
            "broker": args.broker,
            "broker_url": settings.CELERY_BROKER_URL,
            "transport_options": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            "prefetch_multiplier": settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
            "concurrency": args.concurrency,
            "runs": results,
            "median_burst_jobs_per_second": statistics.median(r["burst_jobs_per_second"] for r in results),
        }
        print(json.dumps(summary, indent=2, default=str))
    finally:
        if redis_url:
            with contextlib.suppress(Exception):
                _flush_redis(redis_url)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
