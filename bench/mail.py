"""``python -m bench.mail``: email intake throughput, generated mail through store + process.

    .venv/bin/python -m bench.mail --count 10000                       # SQLite file in a temporary dir
    DATABASE_URL=postgres://postgres@127.0.0.1/kefu_mailbench .venv/bin/python -m bench.mail --count 10000

The mix is what a help desk's mailbox sees: new requests in English and Chinese (UTF-8, GB2312/GBK,
Big5 bodies and RFC 2047 subjects), customers' replies threaded by In-Reply-To to earlier messages with
quoted history, and messages with attachments or inline images. Senders are spread so that no one hits
the per-sender rate limit. Every message is generated before the clock starts; each one is timed from
``message_store`` to the end of ``message_process`` (two commits, parse, threading, ticket or thread,
attachments, after-commit events handed to the broker), one after another in one process, or with
``--workers N`` in N processes at once, as N intake workers (Celery's concurrency) would: each sender's
messages go to one of them, in order.

    DATABASE_URL=postgres://postgres@127.0.0.1/kefu_mailbench .venv/bin/python -m bench.mail --workers 2

``KEFU_DATA_DIR`` is a fresh temporary directory (removed at the end). A PostgreSQL database must exist
and hold no inbound messages yet (drop and create it between runs); it is migrated here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

SUBJECTS_ZH = [
    "打印机无法连接网络",
    "发票抬头需要修改",
    "订单 {order} 还没有发货",
    "退款什么时候到账",
    "账号登录不了",
]
SUBJECTS_EN = [
    "Printer offline again",
    "Invoice address is wrong",
    "Order {order} not shipped",
    "Refund status",
]
BODIES_ZH = [
    "您好，\n\n我们公司的打印机从昨天开始无法连接网络，重启后仍然不行。订单号 {order}。\n\n谢谢！\n李娜",
    "你好，发票抬头写错了，应该是「上海{order}贸易有限公司」，麻烦重新开具。",
    "请问订单 {order} 什么时候可以发货？已经等了一个星期了。",
]
BODIES_EN = [
    "Hello,\n\nour printer has been offline since yesterday. Order {order}.\n\nThanks,\nAlice",
    "Hi, the invoice for order {order} shows the old address. Could you reissue it?",
]
REPLY_ZH = (
    "还是不行，麻烦再看一下。\n\n在 2026年11月20日 09:30，客服中心 写道：\n"
    "> 请重启路由器后再试。\n> 订单 {order}"
)
REPLY_EN = (
    "Still broken, see the log attached.\n\n"
    "On Fri, 20 Nov 2026 at 09:30, Support wrote:\n> Please restart it.\n"
)
SENT_AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
CHARSETS_ZH = ["utf-8", "utf-8", "gb2312", "gbk", "gb18030"]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def generate(count: int, seed: int, mailbox: str) -> list[tuple[str, bytes]]:
    """``count`` (sender, raw) pairs: ~55 % new tickets, ~35 % replies by In-Reply-To, ~10 % with files."""
    rng = random.Random(seed)
    senders = [f"customer{n}@example{n % 7}.cn" for n in range(max(100, count // 3))]
    opened: list[tuple[str, str, str]] = []  # (message id, sender, subject) of earlier new requests
    messages = []
    for index in range(count):
        message = EmailMessage()
        order = str(rng.randint(10**7, 10**8 - 1))
        chinese = rng.random() < 0.6
        charset = rng.choice(CHARSETS_ZH) if chinese else "utf-8"
        if chinese and rng.random() < 0.1:
            charset = "big5"
        message_id = f"<bench.{seed}.{index}@mail.example.cn>"
        is_reply = bool(opened) and rng.random() < 0.35
        if is_reply:
            parent_id, sender, subject = rng.choice(opened)
            message["Subject"] = "回复：" + subject if chinese else "Re: " + subject
            message["In-Reply-To"] = parent_id
            message["References"] = parent_id
            body = (REPLY_ZH if chinese else REPLY_EN).format(order=order)
        else:
            sender = rng.choice(senders)
            subject = rng.choice(SUBJECTS_ZH if chinese else SUBJECTS_EN).format(order=order)
            message["Subject"] = subject
            body = rng.choice(BODIES_ZH if chinese else BODIES_EN).format(order=order)
        if charset == "big5":
            body = body.replace("发", "發").replace("号", "號").replace("请", "請")
        message["From"] = f"客户 {index} <{sender}>" if chinese else f"Customer {index} <{sender}>"
        message["To"] = mailbox
        message["Date"] = format_datetime(SENT_AT)
        message["Message-ID"] = message_id
        try:
            message.set_content(body, charset=charset)
        except (UnicodeEncodeError, LookupError):
            message.set_content(body, charset="utf-8")
        roll = rng.random()
        if roll < 0.05:
            message.add_alternative(f'<p>{body}</p><p><img src="cid:shot{index}@bench"></p>', subtype="html")
            message.get_payload()[1].add_related(PNG, "image", "png", cid=f"<shot{index}@bench>")
        elif roll < 0.10:
            data = rng.randbytes(rng.randint(2_000, 60_000))
            message.add_attachment(data, maintype="application", subtype="pdf", filename=f"发票-{order}.pdf")
        messages.append((sender, message.as_bytes()))
        if not is_reply:
            opened.append((message_id, sender, subject))
    return messages


def _configure(database_url: str | None, data_dir: Path) -> None:
    url = database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'mailbench.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "KEFU_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "kefu.settings",
            "KEFU_LOG_LEVEL": os.environ.get("KEFU_LOG_LEVEL", "WARNING"),
        }
    )
    import django

    django.setup()


def _mailbox(address: str) -> Any:
    from kefu.channels.email.models import Mailbox
    from kefu.org.models import Department

    department, _created = Department.objects.get_or_create(
        code="mailbench", defaults={"name": "邮件基准", "name_en": "Mail bench"}
    )
    mailbox, _created = Mailbox.objects.get_or_create(
        address=address, defaults={"name": "Bench", "department": department}
    )
    return mailbox


def _process_share(raws: list[bytes], mailbox_id: int) -> tuple[list[float], Counter[str]]:
    """Store and process ``raws`` one after another, as one intake worker does; the time of each."""
    from kefu.channels.email.intake import message_process, message_store
    from kefu.channels.email.models import InboundMessage, Mailbox

    mailbox = Mailbox.objects.get(pk=mailbox_id)
    durations = []
    states: Counter[str] = Counter()
    for raw in raws:
        begin = time.perf_counter()
        inbound = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox)
        states[message_process(inbound.pk).state] += 1
        durations.append((time.perf_counter() - begin) * 1000)
    return durations, states


def measure(count: int, seed: int, workers: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, connections

    from kefu.channels.email.models import InboundMessage
    from kefu.tickets.models import Thread, Ticket

    call_command("migrate", interactive=False, verbosity=0)
    if InboundMessage.objects.exists():
        raise SystemExit("bench.mail: the database already holds inbound messages; use an empty one")
    mailbox = _mailbox("support@bench.example")
    generated = generate(count, seed, mailbox.address)
    # One sender's messages stay with one worker, in order, so that a reply never overtakes its request.
    shares: list[list[bytes]] = [[] for _ in range(workers)]
    for sender, raw in generated:
        shares[zlib.crc32(sender.encode()) % workers].append(raw)
    if workers == 1:
        started = time.perf_counter()
        results = [_process_share(shares[0], mailbox.pk)]
        elapsed = time.perf_counter() - started
    else:
        connections.close_all()  # each forked worker opens its own connection
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            started = time.perf_counter()
            results = pool.starmap(_process_share, [(share, mailbox.pk) for share in shares])
            elapsed = time.perf_counter() - started
    durations = sorted(duration for share_durations, _states in results for duration in share_durations)
    states = sum((share_states for _durations, share_states in results), Counter())
    return {
        "database": connection.vendor,
        "workers": workers,
        "messages": count,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(durations), 2),
        "p95_ms": round(durations[int(len(durations) * 0.95) - 1], 2),
        "p99_ms": round(durations[int(len(durations) * 0.99) - 1], 2),
        "max_ms": round(durations[-1], 2),
        "states": dict(states),
        "tickets": Ticket.objects.count(),
        "threads": Thread.objects.count(),
        "megabytes": round(sum(len(raw) for _sender, raw in generated) / 1e6, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--workers", type=int, default=1, help="intake processes at once (default 1: one after another)"
    )
    parser.add_argument(
        "--database-url", default=None, help="default: $DATABASE_URL, else a temporary SQLite"
    )
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="kefu-mailbench-"))
    try:
        _configure(args.database_url, data_dir)
        print(json.dumps(measure(args.count, args.seed, max(1, args.workers)), ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
