"""``kefu bench console``: server time of the agent console's ticket list and ticket page.

    kefu bench console --runs 3             # prints JSON, saves bench/results/console-<…>.json

An empty database is first seeded with ``--tickets`` tickets by ``kefu bench seed``'s bulk seeder; a
database ``kefu bench seed`` already filled (the one ``kefu bench run`` uses) is measured as it is.

Issue "Agent console" asks for p95 ≤ 150 ms server time for the ticket list over 100,000 tickets and
for a ticket page with 50 threads. Server time is the time Django spends inside its request handler
(middleware, view, queries, template rendering), measured in-process with Django's test client as a
signed-in agent: no HTTP parsing and no network, so the number is the console's own cost and hardly
depends on the web server in front of it.

The first run adds, once, a ticket with 50 threads (25 customer messages, 25 replies) and 5 internal
comments through the services, assigned to the agent being measured and tagged ``bench-50-threads``;
later runs reuse it. The agent is the seeded one-department agent with the most open tickets assigned
(``--agent`` picks another), so "My open" has a real list behind it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any, TextIO

CONSOLE_DETAIL_TAG = "bench-50-threads"
CONSOLE_DETAIL_THREADS = 50
CONSOLE_DETAIL_COMMENTS = 5
TARGET_P95_MS = 150.0
# Each list page in the console: (name, query string). The deep page follows the "next" link this many
# pages into the view.
LIST_PAGES = [
    ("list_my_open_page1", {"view": "mine"}),
    ("list_all_open_page1", {"view": "open"}),
    ("list_closed_page1", {"view": "closed"}),
]
DEEP_VIEWS = [("list_all_open_deep", {"view": "open"}), ("list_closed_deep", {"view": "closed"})]
NEXT_LINK = re.compile(r"<a\b[^>]*\brel=\"next\"[^>]*>|<link\b[^>]*\brel=\"next\"[^>]*>", re.IGNORECASE)
HREF = re.compile(r"\bhref=\"([^\"]+)\"")


def register(commands: Any, database_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``console`` to ``kefu bench``'s subcommands."""
    console = commands.add_parser("console", help="server time of the console's ticket list and ticket page")
    database_options(console)
    console.add_argument("--tickets", type=int, default=100_000, help="seed this many into an empty database")
    console.add_argument("--runs", type=int, default=3)
    console.add_argument("--requests", type=int, default=200, help="timed requests per page and run")
    console.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    console.add_argument("--deep-pages", type=int, default=40, help="pages of the list the deep page is")
    console.add_argument("--agent", default=None, help="email of the agent to sign in as")
    console.add_argument("--analyze", action="store_true", help="run ANALYZE first (SQLite: statistics)")
    console.set_defaults(handler=_console)


def _console(args: argparse.Namespace, data_dir: Path) -> int:
    import json

    from bench.main import _configure, _save

    _configure(args, data_dir)
    report = benchmark(
        tickets=args.tickets,
        runs=args.runs,
        requests=args.requests,
        warmup=args.warmup,
        deep_pages=args.deep_pages,
        agent_email=args.agent,
        analyze=args.analyze,
    )
    report["saved_to"] = str(_save("console", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


# -- the fixture -----------------------------------------------------------------------------------------


def pick_agent(email: str | None) -> Any:
    """The agent to measure as: ``email``, or the seeded agent with the most open tickets assigned."""
    from django.db.models import Count, Q

    from bench.seed import BENCH_AGENT_EMAIL, BENCH_DOMAIN
    from kefu.org.models import User

    if email:
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise SystemExit(f"kefu bench console: no active user {email}")
        return user
    user = (
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}", agent__isnull=False)
        .exclude(email=BENCH_AGENT_EMAIL)
        .annotate(
            open_assigned=Count(
                "assigned_tickets",
                filter=Q(
                    assigned_tickets__status__status_type="open",
                    assigned_tickets__deleted_at__isnull=True,
                ),
            )
        )
        .order_by("-open_assigned", "email")
        .first()
    )
    if user is None:
        raise SystemExit("kefu bench console: this database was not seeded by `kefu bench seed`.")
    return user


def detail_ticket(user: Any, out: TextIO) -> int:
    """The id of the 50-thread ticket assigned to ``user``; created through the services on first use."""
    from django.db import transaction

    from kefu.core import events
    from kefu.core.actors import Actor, Source
    from kefu.org.selectors import agent_access
    from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput, TicketCreateInput
    from kefu.tickets.models import Ticket
    from kefu.tickets.services import ticket_comment, ticket_create, ticket_receive, ticket_reply

    existing = (
        Ticket.objects.filter(tags__name=CONSOLE_DETAIL_TAG, assignee=user, deleted_at__isnull=True)
        .values_list("id", flat=True)
        .first()
    )
    if existing is not None:
        return int(existing)
    department_id = min(agent_access(user).department_ids)
    agent, system = Actor.agent(user), Actor.system()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    out.write(f"  adding a ticket with {CONSOLE_DETAIL_THREADS} threads for {user.email}\n")
    with events.suppressed(), transaction.atomic():
        ticket = ticket_create(
            actor=system,
            source=Source.IMPORT,
            data=TicketCreateInput(
                subject="门店收银机批量故障，需要逐台排查",
                description="<p>我们上海的二十家门店的 P7 收银机从周一开始陆续出现死机和断网。</p>",
                department_id=department_id,
                contact=ContactRef(email="bench-50-threads@example.cn", name="周敏"),
                assignee_id=user.pk,
                status="处理中",
                tags=[CONSOLE_DETAIL_TAG],
                created_at=start,
            ),
        )
        for index in range(CONSOLE_DETAIL_THREADS):
            at = start + dt.timedelta(minutes=30 * (index + 1))
            if index % 2 == 0:
                ticket_receive(
                    actor=system,
                    source=Source.IMPORT,
                    ticket=ticket,
                    data=MessageInput(
                        body=f"<p>第 {index // 2 + 1} 家门店的收银机仍然无法开机，"
                        f"序列号 SN{100000 + index}。</p><blockquote>之前的邮件内容……</blockquote>",
                        created_at=at,
                    ),
                )
            else:
                ticket_reply(
                    actor=agent,
                    source=Source.IMPORT,
                    ticket=ticket,
                    data=ReplyInput(
                        body=f"<p>您好，已安排工程师前往第 {index // 2 + 1} 家门店检测，请保持设备通电。</p>",
                        created_at=at,
                    ),
                )
        for index in range(CONSOLE_DETAIL_COMMENTS):
            ticket_comment(
                actor=agent,
                source=Source.IMPORT,
                ticket=ticket,
                data=CommentInput(body=f"<p>内部备注 {index + 1}：备件已申请。</p>"),
            )
    return int(ticket.pk)


# -- measuring ---------------------------------------------------------------------------------------------


class TimedClient:
    """Django's test client, signed in as ``user``, that records the time spent in the request handler.

    ``ClientHandler`` builds the request, then calls ``get_response`` (middleware, view, template
    rendering); only that call is timed, so building the fake request and reading the test response
    are left out.
    """

    def __init__(self, user: Any) -> None:
        from django.test import Client

        self.client = Client()
        self.client.force_login(user)
        self.last_ms = 0.0
        handler = self.client.handler
        get_response = handler.get_response

        def timed(request: Any) -> Any:
            began = time.perf_counter()
            try:
                return get_response(request)
            finally:
                self.last_ms = (time.perf_counter() - began) * 1000

        handler.get_response = timed

    def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, str, float]:
        response = self.client.get(path, params or {})
        return response.status_code, response.content.decode(), self.last_ms


def next_page(html: str) -> str | None:
    """The href of the list's "next page" link (``rel="next"``), or None on the last page."""
    for tag in NEXT_LINK.findall(html):
        href = HREF.search(tag)
        if href:
            return unescape(href.group(1))
    return None


def deep_path(client: TimedClient, path: str, params: dict[str, str], pages: int) -> tuple[str, int]:
    """Follow "next" ``pages`` times (or to the last page); return that page's URL and its depth."""
    from urllib.parse import urlencode

    url = f"{path}?{urlencode(params)}"
    depth = 0
    for _ in range(pages):
        status, html, _ms = client.get(url)
        if status != 200:
            raise SystemExit(f"kefu bench console: {url} answered {status}")
        following = next_page(html)
        if following is None:
            break
        url = following if following.startswith("/") else f"{path}{following}"
        depth += 1
    return url, depth


def percentile(values: list[float], pct: float) -> float:
    from bench.run import percentile as nearest_rank

    return nearest_rank(values, pct)


def measure(client: TimedClient, url: str, requests: int, warmup: int) -> dict[str, Any]:
    """``warmup`` untimed, then ``requests`` timed GETs of ``url``; every answer must be 200."""
    for _ in range(warmup):
        client.get(url)
    samples: list[float] = []
    errors = 0
    for _ in range(requests):
        status, _html, ms = client.get(url)
        if status == 200:
            samples.append(ms)
        else:
            errors += 1
    return {
        "n": len(samples),
        "errors": errors,
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples, default=float("nan")), 2),
    }


def query_count(client: TimedClient, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def benchmark(
    *,
    tickets: int,
    runs: int,
    requests: int,
    warmup: int,
    deep_pages: int,
    agent_email: str | None,
    analyze: bool,
    out: TextIO = sys.stderr,
) -> dict[str, Any]:
    from urllib.parse import urlencode

    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from bench.run import code_version, database_info, machine
    from bench.seed import SeedOptions, seed
    from kefu.tickets.models import Ticket

    # The console's migrations may be newer than the seed; ``seed`` itself migrated when it ran.
    call_command("migrate", interactive=False, verbosity=0)
    if not Ticket.objects.exists():
        out.write(f"  seeding {tickets:,} tickets\n")
        seed(SeedOptions(tickets=tickets), out=out)
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = pick_agent(agent_email)
    ticket_id = detail_ticket(user, out)
    client = TimedClient(user)
    list_path = reverse("tickets:list")
    pages: dict[str, str] = {name: f"{list_path}?{urlencode(params)}" for name, params in LIST_PAGES}
    depths: dict[str, int] = {}
    for name, params in DEEP_VIEWS:
        pages[name], depths[name] = deep_path(client, list_path, params, deep_pages)
    pages["ticket_50_threads"] = reverse("tickets:detail", args=[ticket_id])
    queries = {name: query_count(client, url) for name, url in pages.items()}
    _status, ticket_html, _ms = client.get(pages["ticket_50_threads"])
    rendered = {
        "threads": ticket_html.count('data-testid="thread"'),
        "comments": ticket_html.count('data-testid="comment"'),
    }
    database = database_info()
    out.write(f"  {database['vendor']}: {database['tickets']:,} tickets; agent {user.email}\n")

    results: list[dict[str, Any]] = []
    for index in range(runs):
        out.write(f"  run {index + 1}/{runs}\n")
        out.flush()
        results.append({name: measure(client, url, requests, warmup) for name, url in pages.items()})
    median = {
        name: {
            key: round(statistics.median(run[name][key] for run in results), 2)
            for key in ("p50_ms", "p95_ms", "max_ms")
        }
        for name in pages
    }
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "database": database,
        "agent": user.email,
        "pages": pages,
        "deep_page_depth": depths,
        "queries_per_request": queries,
        "ticket_page_rendered": rendered,
        "options": {"runs": runs, "requests": requests, "warmup": warmup, "deep_pages": deep_pages},
        "median": median,
        "targets": {
            name: {
                "p95_ms": value["p95_ms"],
                "target": f"<= {TARGET_P95_MS:g}",
                "met": value["p95_ms"] <= TARGET_P95_MS,
            }
            for name, value in median.items()
        },
        "runs": results,
    }
