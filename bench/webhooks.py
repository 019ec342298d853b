"""``python -m bench.webhooks``: outgoing webhooks end to end, through ``kefu run`` as deployed.

    .venv/bin/python -m bench.webhooks --broker embedded    # SQLite + the file-system broker (the default)
    .venv/bin/python -m bench.webhooks --broker redis       # PostgreSQL + Redis

A fresh installation is made as in ``bench.e2e`` (its ``Installation``: migrate, admin, API key, a
department), with ``KEFU_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8`` so that a receiver on this machine may be
used. A receiver (a threaded HTTP server on 127.0.0.1) checks every request's signature and records when it
arrived. One webhook for ``ticket.created`` is made through ``POST /api/v1/webhooks``; then ``--rate``
tickets a second are created for ``--seconds`` through ``POST /api/v1/tickets`` (open loop, several
client threads).

Latency is from the change's time as the write path recorded it (``data.at`` of the payload, taken inside
the writing transaction, just before its commit) to the receiver getting the signed request: the outbox
relay, the webhooks consumer making the delivery, the task queue and the HTTP request together. Both
clocks are this machine's. Making deliveries adds nothing to the write itself: the write only adds its
outbox row (which every change has anyway); deliveries are made by the consumer after the commit.

The result is JSON on stdout (and in ``bench/results/webhooks-<broker>-<time>.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from bench.e2e import RESULTS_DIR, Api, Installation, _machine, _summary_ms


class Receiver:
    """Records (arrival time, change time, signature valid) per ticket id."""

    def __init__(self) -> None:
        self.secret = ""
        self.lock = threading.Lock()
        self.arrivals: dict[int, tuple[float, float, bool]] = {}
        self.duplicates = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.record(arrived, self.headers.get("X-Kefu-Signature", ""), body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def record(self, arrived: float, header: str, body: bytes) -> None:
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        expected = hmac.new(self.secret.encode(), f"{parts.get('t', '')}.".encode() + body, hashlib.sha256)
        valid = hmac.compare_digest(parts.get("v1", ""), expected.hexdigest())
        payload = json.loads(body)
        changed = dt.datetime.fromisoformat(payload["data"]["at"]).timestamp()
        with self.lock:
            ticket_id = payload["data"]["ticket_id"]
            if ticket_id in self.arrivals:
                self.duplicates += 1
            self.arrivals[ticket_id] = (arrived, changed, valid)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def measure(api: Api, receiver: Receiver, department_id: int, rate: float, seconds: float, tag: str) -> dict:
    total = int(rate * seconds)
    created: list[int] = []
    create_seconds: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def create(index: int) -> None:
        body = {
            "subject": f"Webhook bench {tag} {index}: printer offline",
            "description": "打印机无法连接网络。",
            "department_id": department_id,
            "contact": {"email": f"customer{index % 200}@bench.example", "name": f"Customer {index % 200}"},
        }
        begin = time.perf_counter()
        try:
            response = api.client.post(
                "/api/v1/tickets", json=body, headers={"Idempotency-Key": f"wh-{tag}-{index}"}
            )
        except httpx.TransportError as exc:
            with lock:
                errors.append(repr(exc))
            return
        with lock:
            create_seconds.append(time.perf_counter() - begin)
            if response.status_code == 201:
                created.append(response.json()["id"])
            else:
                errors.append(f"{response.status_code} {response.text[:200]}")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for index in range(total):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(create, index)
    sent_seconds = time.perf_counter() - start
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with receiver.lock:
            if all(ticket_id in receiver.arrivals for ticket_id in created):
                break
        time.sleep(0.2)
    with receiver.lock:
        got = {
            ticket_id: receiver.arrivals[ticket_id] for ticket_id in created if ticket_id in receiver.arrivals
        }
    latencies = [arrived - changed for arrived, changed, _valid in got.values()]
    drained = (
        (max(arrived for arrived, _, _ in got.values()) - min(changed for _, changed, _ in got.values()))
        if got
        else 0
    )
    return {
        "changes": total,
        "created": len(created),
        "delivered": len(got),
        "signatures_valid": sum(1 for *_, valid in got.values() if valid),
        "duplicates": receiver.duplicates,
        "errors": errors[:10],
        "offered_per_second": round(total / sent_seconds, 1),
        "delivered_per_second": round(len(got) / drained, 1) if drained else None,
        "create_request": _summary_ms(create_seconds),
        "change_to_webhook": _summary_ms(latencies),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", choices=["embedded", "redis"], default="embedded")
    parser.add_argument("--redis-db", type=int, default=14, help="flushed before and after (default 14)")
    parser.add_argument("--rate", type=float, default=20.0, help="ticket changes a second")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args(argv)

    installation = Installation(args.broker, args.redis_db)
    installation.env["KEFU_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8"
    receiver = Receiver()
    result: dict[str, Any] = {
        "broker": args.broker,
        "machine": _machine(),
        "started": dt.datetime.now(dt.UTC).isoformat(),
    }
    tag = os.urandom(3).hex()
    try:
        installation.set_up()
        installation.start()
        receiver.start()
        api = Api(installation.base_url, installation.key)
        response = api.client.post(
            "/api/v1/webhooks", json={"name": "bench", "url": receiver.url, "event_types": ["ticket.created"]}
        )
        response.raise_for_status()
        receiver.secret = response.json()["secret"]
        measure(api, receiver, installation.department_id, 5, 2, tag + "w")  # warm up
        result["load_average_before"] = os.getloadavg()
        result["webhooks"] = measure(api, receiver, installation.department_id, args.rate, args.seconds, tag)
        result["load_average_after"] = os.getloadavg()
    finally:
        receiver.stop()
        installation.tear_down()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS_DIR / f"webhooks-{args.broker}-{stamp}.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
