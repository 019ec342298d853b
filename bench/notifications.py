"""``python -m bench.notifications``: notifications end to end, through ``kefu run`` as deployed.

    .venv/bin/python -m bench.notifications --broker redis --changes 10000 --rate 50   # PostgreSQL + Redis
    .venv/bin/python -m bench.notifications --broker embedded --changes 1000           # SQLite + file broker

A fresh installation is made as in ``bench.e2e`` (its ``Installation``), whose outgoing mail goes to an
SMTP server in this process (aiosmtpd) that records when each message arrived. ``--changes`` tickets are
opened through ``POST /api/v1/tickets`` (each for its own customer; an agent opening a ticket sends no
acknowledgement, so this part sends nothing), then closed through ``PATCH /api/v1/tickets/{id}`` at
``--rate`` a second (open loop, 16 client threads): each close is one ticket change whose "ticket closed"
notification goes to its customer by email.

Latency is from the moment the PATCH request was *sent* (before its commit, so the figure is an upper
bound of commit → SMTP) to the SMTP server accepting the email: the outbox relay, the notifications
consumer writing the delivery, the task queue, rendering and the SMTP conversation. ``kefu run`` starts
two web workers and a Celery worker with concurrency 2 (``KEFU_WORKER_CONCURRENCY``).

What producing notifications adds to a write: nothing inside the write's transaction (the outbox row is
written for every change anyway; the consumer works after the commit). ``--write-cost`` also times the
close requests themselves, and the JSON reports them with the latencies.

The result is JSON on stdout (and in ``bench/results/notifications-<broker>-<time>.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from bench.e2e import RESULTS_DIR, Api, Installation, _free_port, _machine, _summary_ms


class Sink:
    """An SMTP server that records, per ticket number (``X-Kefu-Ticket``), when its email arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrivals: dict[str, float] = {}
        self.duplicates = 0
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        arrived = time.time()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        number = str(message.get("X-Kefu-Ticket", ""))
        with self.lock:
            if number in self.arrivals:
                self.duplicates += 1
            else:
                self.arrivals[number] = arrived
        return "250 OK"


def _parallel(total: int, rate: float | None, work: Any) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for index in range(total):
            if rate:
                delay = start + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            pool.submit(work, index)
    return time.perf_counter() - start


def measure(api: Api, sink: Sink, department_id: int, changes: int, rate: float, tag: str) -> dict[str, Any]:
    tickets: dict[int, tuple[int, str]] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def open_ticket(index: int) -> None:
        body = {
            "subject": f"Notification bench {tag} {index}: printer offline",
            "description": "打印机无法连接网络。",
            "department_id": department_id,
            "contact": {"email": f"n{tag}{index}@bench.example", "name": f"Customer {index}"},
        }
        try:
            response = api.client.post(
                "/api/v1/tickets", json=body, headers={"Idempotency-Key": f"n-{tag}-{index}"}
            )
        except httpx.TransportError as exc:
            with lock:
                errors.append(repr(exc))
            return
        with lock:
            if response.status_code == 201:
                data = response.json()
                tickets[index] = (data["id"], str(data["number"]))
            else:
                errors.append(f"{response.status_code} {response.text[:200]}")

    _parallel(changes, None, open_ticket)
    sent_at: dict[str, float] = {}
    close_seconds: list[float] = []

    def close(index: int) -> None:
        if index not in tickets:
            return
        ticket_id, number = tickets[index]
        begin_wall, begin = time.time(), time.perf_counter()
        try:
            response = api.client.patch(f"/api/v1/tickets/{ticket_id}", json={"status": "closed"})
        except httpx.TransportError as exc:
            with lock:
                errors.append(repr(exc))
            return
        with lock:
            if response.status_code == 200:
                sent_at[number] = begin_wall
                close_seconds.append(time.perf_counter() - begin)
            else:
                errors.append(f"{response.status_code} {response.text[:200]}")

    offered = _parallel(changes, rate, close)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with sink.lock:
            if all(number in sink.arrivals for number in sent_at):
                break
        time.sleep(0.5)
    with sink.lock:
        got = {number: sink.arrivals[number] for number in sent_at if number in sink.arrivals}
    latencies = [got[number] - sent_at[number] for number in got]
    drained = max(got.values()) - min(sent_at[n] for n in got) if got else 0
    return {
        "changes": changes,
        "closed": len(sent_at),
        "emails": len(got),
        "duplicates": sink.duplicates,
        "errors": errors[:10],
        "offered_per_second": round(len(sent_at) / offered, 1) if offered else None,
        "delivered_per_second": round(len(got) / drained, 1) if drained else None,
        "close_request": _summary_ms(close_seconds),
        "change_to_smtp": _summary_ms(latencies),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.notifications", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--broker", choices=["embedded", "redis"], default="embedded")
    parser.add_argument("--redis-db", type=int, default=13, help="flushed before and after (default 13)")
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="ticket changes a second")
    args = parser.parse_args(argv)

    sink = Sink()
    installation = Installation(args.broker, args.redis_db)
    installation.env.update(
        {
            "KEFU_SMTP_HOST": "127.0.0.1",
            "KEFU_SMTP_PORT": str(sink.port),
            "KEFU_NOTIFICATION_RATE_PER_HOUR": "1000000",
            "KEFU_WORKER_CONCURRENCY": "2",
        }
    )
    result: dict[str, Any] = {
        "broker": args.broker,
        "machine": _machine(),
        "started": dt.datetime.now(dt.UTC).isoformat(),
    }
    tag = os.urandom(3).hex()
    try:
        sink.controller.start()
        installation.set_up()
        installation.start()
        api = Api(installation.base_url, installation.key)
        measure(api, sink, installation.department_id, 10, 5, tag + "w")  # warm up
        result["load_average_before"] = os.getloadavg()
        result["notifications"] = measure(api, sink, installation.department_id, args.changes, args.rate, tag)
        result["load_average_after"] = os.getloadavg()
    finally:
        sink.controller.stop()
        installation.tear_down()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS_DIR / f"notifications-{args.broker}-{stamp}.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
