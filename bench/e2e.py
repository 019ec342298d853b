"""``python -m bench.e2e``: background work end to end, through ``kefu run`` as deployed.

    .venv/bin/python -m bench.e2e --broker embedded     # SQLite + the file-system broker (the default)
    .venv/bin/python -m bench.e2e --broker redis        # PostgreSQL + Redis

An installation is made the way an administrator makes one: a fresh ``KEFU_DATA_DIR`` (removed at the
end), ``kefu migrate``, ``kefu createadmin``, ``kefu apikey create``, one department with one mailbox
(``kefu manage shell``), then ``kefu run`` on a free loopback port (web, worker and beat, all as
deployed). With ``--broker redis`` the database is a PostgreSQL database created for the run and
dropped after it (``postgres://postgres@127.0.0.1:5432/kefu_e2e_<pid>``) and the broker is
``redis://127.0.0.1:6379/<--redis-db>``, flushed before and after. Nothing but 127.0.0.1 is contacted.

Two measurements:

- **create → found**: ``--rate`` tickets a second for ``--seconds`` through ``POST /api/v1/tickets``
  (open loop: ticket i is sent at start + i/rate, whatever the server's pace), each subject with a word of
  its own and a word shared by the tickets of its second. A poller asks ``GET /api/v1/tickets?q=<word of
  the second>`` every ``--poll`` seconds for each second that still has unfound tickets (one small query
  instead of one per ticket, so the poller adds little load) and records when each ticket is first
  returned. Latency is from sending the create request to receiving the search answer that contains the
  ticket. Afterwards a sample of tickets is searched by its own word, which must return that ticket.
- **mail**: ``--mail`` raw messages (new requests) piped through ``kefu mail ingest`` at once, at most
  ``--mail-concurrency`` processes at a time, as an MTA delivers a burst; the time until every one of
  them is a ticket (counted through the API, channel email) and until every one is found by ``q``.

The result is JSON on stdout (and in ``bench/results/e2e-<broker>-<time>.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import httpx

from bench.server import stop_process_group

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
KEFU = [sys.executable, "-m", "kefu.cli"]
MAILBOX = "support@e2e.example"
START_SECONDS = 90.0
SUCCEEDED = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([0-9.e-]+)s")


def _word(number: int, prefix: str) -> str:
    """A word of letters only, so that segmentation keeps it whole: ``prefix`` + ``number`` in base 26."""
    letters = ""
    number += 26 * 26  # at least three letters
    while number:
        number, digit = divmod(number, 26)
        letters = string.ascii_lowercase[digit] + letters
    return prefix + letters


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _summary_ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(_percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def _kefu(*args: str, env: dict[str, str], stdin: bytes | None = None, timeout: float = 300) -> str:
    result = subprocess.run([*KEFU, *args], env=env, input=stdin, capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"kefu {' '.join(args)} failed ({result.returncode}):\n{result.stderr.decode()[-3000:]}"
        )
    return result.stdout.decode()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Installation:
    """A fresh deployment: data directory, database (and Redis), admin, API key, department, mailbox."""

    def __init__(self, broker: str, redis_db: int) -> None:
        self.broker = broker
        self.data_dir = Path(tempfile.mkdtemp(prefix="kefu-e2e-"))
        self.pg_name = f"kefu_e2e_{os.getpid()}" if broker == "redis" else ""
        self.redis_url = f"redis://127.0.0.1:6379/{redis_db}" if broker == "redis" else ""
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "KEFU_"))
        }
        env.update({"KEFU_DATA_DIR": str(self.data_dir), "DJANGO_SETTINGS_MODULE": "kefu.settings"})
        if broker == "redis":
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
            env["REDIS_URL"] = self.redis_url
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""
        self.key = ""
        self.department_id = 0

    def _postgres(self, statement: str) -> None:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def _flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def set_up(self) -> None:
        if self.pg_name:
            self._postgres(f"DROP DATABASE IF EXISTS {self.pg_name}")
            self._postgres(f"CREATE DATABASE {self.pg_name}")
        if self.redis_url:
            self._flush_redis()
        _kefu("migrate", env=self.env)
        password = secrets.token_urlsafe(16)
        _kefu("createadmin", "--email", "admin@e2e.example", "--password", password, env=self.env)
        self.key = (
            _kefu("apikey", "create", "--email", "admin@e2e.example", env=self.env).strip().splitlines()[-1]
        )
        script = "\n".join(
            [
                "from kefu.org.models import Department",
                "from kefu.channels.email.models import Mailbox",
                "d, _ = Department.objects.get_or_create(code='e2e', defaults={'name': 'E2E'})",
                f"Mailbox.objects.get_or_create(address='{MAILBOX}', defaults={{'department': d}})",
                "print(d.pk)",
            ]
        )
        self.department_id = int(
            _kefu("manage", "shell", "-c", script, env=self.env).strip().splitlines()[-1]
        )

    def start(self) -> None:
        port = _free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        log = (self.data_dir / "kefu-run.log").open("ab")
        self.process = subprocess.Popen(
            [*KEFU, "run", "--port", str(port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kefu run exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (
                    httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
                    and b" ready." in (self.data_dir / "kefu-run.log").read_bytes()
                ):
                    return
            time.sleep(0.3)
        raise RuntimeError(f"kefu run did not become ready:\n{self.log_tail()}")

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.data_dir / "kefu-run.log").read_text(errors="replace")[-3000:]
        return ""

    def log_offset(self) -> int:
        with contextlib.suppress(OSError):
            return (self.data_dir / "kefu-run.log").stat().st_size
        return 0

    def jobs_since(self, offset: int) -> dict[str, dict[str, float]]:
        """Per task name: how many the worker finished since ``offset`` of its log, and how long each took."""
        with (self.data_dir / "kefu-run.log").open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        durations: dict[str, list[float]] = {}
        for name, seconds in SUCCEEDED.findall(text):
            durations.setdefault(name, []).append(float(seconds))
        return {
            task: {"count": len(spent), **_summary_ms(spent)} for task, spent in sorted(durations.items())
        }

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            stop_process_group(process, timeout=40)

    def tear_down(self) -> None:
        self.stop()
        if self.redis_url:
            with contextlib.suppress(Exception):
                self._flush_redis()
        if self.pg_name:
            with contextlib.suppress(Exception):
                self._postgres(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
        shutil.rmtree(self.data_dir, ignore_errors=True)


class Api:
    """One keep-alive HTTP client per thread."""

    def __init__(self, base_url: str, key: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {key}"}
        self.local = threading.local()

    @property
    def client(self) -> httpx.Client:
        client = getattr(self.local, "client", None)
        if client is None:
            client = self.local.client = httpx.Client(
                base_url=self.base_url, headers=self.headers, timeout=30
            )
        return client

    def ids(self, **params: Any) -> set[int]:
        """Every ticket id the list returns for ``params``, following the cursor."""
        found: set[int] = set()
        cursor = None
        while True:
            query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
            response = self.client.get("/api/v1/tickets", params=query)
            response.raise_for_status()
            body = response.json()
            found.update(item["id"] for item in body["items"])
            cursor = body.get("next_cursor")
            if not cursor:
                return found


def measure_create_to_found(
    api: Api, department_id: int, rate: float, seconds: float, poll: float, tag: str
) -> dict[str, Any]:
    total = int(rate * seconds)
    sent: dict[int, float] = {}  # index → when the create request was sent
    created: dict[int, int] = {}  # index → ticket id
    found: dict[int, float] = {}  # index → when a search answer containing it arrived
    create_seconds: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    slot_of = [int(index // rate) for index in range(total)]

    def create(index: int) -> None:
        body = {
            "subject": f"E2E {_word(index, 'u' + tag)} {_word(slot_of[index], 's' + tag)} printer offline",
            "description": "The printer has been offline since this morning. 打印机无法连接网络。",
            "department_id": department_id,
            "contact": {"email": f"customer{index % 200}@e2e.example", "name": f"Customer {index % 200}"},
        }
        # A keep-alive connection the server closed just as it was reused resets: send again, with the
        # same idempotency key, so that a create that did happen is answered, not repeated.
        headers = {"Idempotency-Key": f"e2e-{tag}-{index}"}
        begin = time.perf_counter()
        for attempt in range(2):
            try:
                response = api.client.post("/api/v1/tickets", json=body, headers=headers)
                break
            except httpx.TransportError as exc:
                if attempt:
                    with lock:
                        errors.append(repr(exc))
                    return
        end = time.perf_counter()
        with lock:
            sent[index] = begin
            create_seconds.append(end - begin)
            if response.status_code == 201:
                created[index] = response.json()["id"]
            else:
                errors.append(f"{response.status_code} {response.text[:200]}")

    creating = True

    def poller() -> None:
        while True:
            round_started = time.perf_counter()
            with lock:
                pending_slots = sorted({slot_of[i] for i in created if i not in found})
                done = not creating and not pending_slots
            if done:
                return
            for slot in pending_slots:
                try:
                    response = api.client.get(
                        "/api/v1/tickets", params={"q": _word(slot, "s" + tag), "limit": 100}
                    )
                    response.raise_for_status()
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"search: {exc!r}")
                    continue
                arrived = time.perf_counter()
                ids = {item["id"] for item in response.json()["items"]}
                with lock:
                    for index, ticket_id in created.items():
                        if ticket_id in ids and index not in found:
                            found[index] = arrived
            time.sleep(max(0.0, poll - (time.perf_counter() - round_started)))

    jobs_before = time.perf_counter()
    poll_thread = threading.Thread(target=poller, daemon=True)
    poll_thread.start()
    start = time.perf_counter()
    late = 0
    with ThreadPoolExecutor(max_workers=32) as pool:
        for index in range(total):
            target = start + index / rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                late += 1
            pool.submit(create, index)
    create_elapsed = time.perf_counter() - start
    creating = False
    poll_thread.join(timeout=120)  # bounded: what is not found two minutes after the last create is missing
    creating_done = time.perf_counter()

    latencies = [found[index] - sent[index] for index in found]
    sample = random.Random(7).sample(sorted(created), min(50, len(created)))
    by_own_word = sum(api.ids(q=_word(index, "u" + tag)) == {created[index]} for index in sample)
    return {
        "rate_asked": rate,
        "seconds": seconds,
        "tickets_asked": total,
        "tickets_created": len(created),
        "create_rate_achieved": round(len(created) / create_elapsed, 1),
        "sends_late_over_50ms": late,
        "create_request": _summary_ms(create_seconds),
        "found": len(found),
        "not_found": len(created) - len(found),
        "create_to_found": _summary_ms(latencies),
        "found_within_2s_percent": round(100 * sum(v <= 2 for v in latencies) / max(1, len(created)), 2),
        "sample_found_by_own_word": f"{by_own_word}/{len(sample)}",
        "errors": len(errors),
        "first_errors": errors[:5],
        "wall_seconds": round(creating_done - jobs_before, 1),
    }


def _mail_messages(count: int, tag: str) -> list[bytes]:
    """``count`` new requests to the bench mailbox, half in Chinese, each with a word of its own."""
    messages = []
    batch = "mail" + tag
    for index in range(count):
        message = EmailMessage()
        word = _word(index, "m" + tag)
        chinese = index % 2 == 0
        message["Subject"] = (
            f"打印机无法连接网络 {batch} {word}" if chinese else f"Printer offline {batch} {word}"
        )
        message["From"] = f"Customer {index} <mailer{index}@customers.example>"
        message["To"] = MAILBOX
        message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        message["Message-ID"] = make_msgid(domain="customers.example")
        body = (
            "您好，打印机从昨天开始无法连接网络。\n谢谢！"
            if chinese
            else "Hello,\nthe printer is offline.\nThanks"
        )
        message.set_content(f"{body}\n{word}\n")
        messages.append(message.as_bytes())
    return messages


def measure_mail(
    api: Api, env: dict[str, str], count: int, concurrency: int, tag: str, timeout: float, spool: bool
) -> dict[str, Any]:
    messages = _mail_messages(count, tag)
    before = len(api.ids(channel="email"))
    exits: list[int] = []
    lock = threading.Lock()

    durations: list[float] = []
    last_exit = [0.0]

    def ingest(raw: bytes) -> None:
        command = [*KEFU, "mail", "ingest", "--mailbox", MAILBOX, *(["--spool"] if spool else [])]
        begin = time.perf_counter()
        result = subprocess.run(
            command, env=env, input=raw, capture_output=True, timeout=timeout, check=False
        )
        with lock:
            exits.append(result.returncode)
            durations.append(time.perf_counter() - begin)
            last_exit[0] = time.perf_counter()

    marks: dict[str, float | None] = {"all_piped": None, "all_tickets": None, "all_searchable": None}
    tickets_at: dict[str, int] = {}
    tickets = searchable = 0
    pool = ThreadPoolExecutor(max_workers=concurrency)
    start = time.perf_counter()
    for raw in messages:
        pool.submit(ingest, raw)
    while time.perf_counter() - start < timeout and marks["all_searchable"] is None:
        now = time.perf_counter() - start
        tickets = len(api.ids(channel="email")) - before
        for checkpoint in (30, 60, 120, 300):
            if now >= checkpoint and f"{checkpoint}s" not in tickets_at:
                tickets_at[f"{checkpoint}s"] = tickets
        if marks["all_tickets"] is None and tickets >= count:
            marks["all_tickets"] = time.perf_counter() - start
        if marks["all_tickets"] is not None:
            searchable = len(api.ids(q="mail" + tag))
            if searchable >= count:
                marks["all_searchable"] = time.perf_counter() - start
        time.sleep(0.5)
    pool.shutdown(wait=True, cancel_futures=True)
    if len(exits) == count:
        marks["all_piped"] = last_exit[0] - start
    return {
        "messages": count,
        "concurrency": concurrency,
        "spool": spool,
        "exit_codes": {str(code): exits.count(code) for code in sorted(set(exits))},
        "ingest_process": _summary_ms(durations),
        "tickets_at": tickets_at,
        "tickets": tickets,
        "searchable": searchable,
        **{
            f"{name}_seconds": (round(value, 1) if value is not None else None)
            for name, value in marks.items()
        },
    }


def _machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "-C", str(BENCH_DIR.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    commit = commit or os.environ.get("BENCH_COMMIT", "")  # a checkout without .git says which commit it is
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(), "commit": commit}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", choices=["embedded", "redis"], default="embedded")
    parser.add_argument("--redis-db", type=int, default=15, help="flushed before and after (default 15)")
    parser.add_argument("--rate", type=float, default=50.0, help="tickets created a second")
    parser.add_argument("--seconds", type=float, default=120.0, help="of creating (0: skip)")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between search rounds")
    parser.add_argument("--mail", type=int, default=1000, help="messages piped at once (0: skip)")
    parser.add_argument("--mail-concurrency", type=int, default=16)
    parser.add_argument(
        "--no-spool", action="store_true", help="pipe without --spool (each process starts Django)"
    )
    parser.add_argument("--mail-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)

    tag = "".join(random.choices(string.ascii_lowercase, k=4))
    installation = Installation(args.broker, args.redis_db)
    result: dict[str, Any] = {
        "broker": args.broker,
        "machine": _machine(),
        "started": dt.datetime.now(dt.UTC).isoformat(),
    }
    try:
        installation.set_up()
        installation.start()
        api = Api(installation.base_url, installation.key)
        # Warm up: the first request of each web process, the worker's first jobs, jieba's dictionary.
        warm = measure_create_to_found(api, installation.department_id, 5, 2, args.poll, tag + "w")
        result["warm_up_found"] = warm["found"]
        if args.seconds > 0:
            result["load_average_before"] = os.getloadavg()
            offset, began = installation.log_offset(), time.perf_counter()
            result["create_to_found"] = measure_create_to_found(
                api, installation.department_id, args.rate, args.seconds, args.poll, tag
            )
            elapsed = time.perf_counter() - began
            jobs = installation.jobs_since(offset)
            done = sum(int(stats["count"]) for stats in jobs.values())
            result["worker_jobs"] = {"done": done, "per_second": round(done / elapsed, 1), "tasks": jobs}
            # Compare runs by it: a run that shared the machine with other work shows a higher one.
            result["load_average_after"] = os.getloadavg()
        if args.mail:
            result["mail"] = measure_mail(
                api,
                installation.env,
                args.mail,
                args.mail_concurrency,
                tag,
                args.mail_timeout,
                spool=not args.no_spool,
            )
    finally:
        installation.tear_down()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS_DIR / f"e2e-{args.broker}-{stamp}.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
