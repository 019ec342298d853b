"""``kefu bench import`` and ``kefu bench export``: the import of tickets with their conversations and
the streaming export, as ``kefu import`` and the export job run them (issue 17; BENCHMARKS.md).

    kefu bench import --tickets 100000 --messages 3   # rate per slice of 10,000 tickets
    kefu bench export --tickets 1000000                # peak memory while streaming to CSV

``import`` writes a CSV of ``--tickets`` tickets, each with ``--messages`` further rows (a customer
message, an agent's reply, an internal note …) over 8 departments, 40 agents and contacts that come
back, then runs the import job on it in process (``import_run``, the path of ``kefu import tickets`` and
of ``POST /api/v1/imports``: every ticket and message through the ticket services, events suppressed,
one re-index at the end) and reports the rate of each slice of ``--slice`` tickets, so that a slow-down
towards the end shows. The database must be empty of tickets (a new SQLite file by default).

``export`` fills the database with ``--tickets`` tickets in bulk (``bench.seed``, unless it holds them
already) and streams the ticket export to CSV as the export job does (``export_run``), measuring with
``tracemalloc`` the peak of Python memory allocated during the export, and the process's peak RSS.
Run it for 100,000 and 1,000,000 tickets: constant memory means the two peaks are the same.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEPARTMENTS = 8
AGENTS = 40
HEADER = [
    "external_id", "subject", "description", "department", "contact_email", "contact_name", "priority",
    "status", "assignee_email", "tags", "created_at",
    "message_type", "message_body", "message_author", "message_created_at",
]  # fmt: skip
SUBJECTS = ["打印机无法连接网络", "发票抬头开错了", "退款未到账", "固件升级失败", "Order arrived damaged"]
STATUSES = ["已关闭", "处理中", "搁置", ""]


def register(commands: Any, database_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``import`` and ``export`` to ``kefu bench``'s subcommands."""
    command = commands.add_parser("import", help="import tickets with threads from CSV: rate per slice")
    database_options(command)
    command.add_argument("--tickets", type=int, default=100_000)
    command.add_argument("--messages", type=int, default=3, help="messages per ticket after its description")
    command.add_argument("--slice", type=int, default=10_000, help="report the rate of each slice")
    command.add_argument("--seed", type=int, default=20261122)
    command.set_defaults(handler=_import)
    command = commands.add_parser("export", help="stream the ticket export to CSV: peak memory")
    database_options(command)
    command.add_argument("--tickets", type=int, default=1_000_000)
    command.add_argument("--runs", type=int, default=1, help="exports measured; the summary is the median")
    command.set_defaults(handler=_export)


def _setup_desk() -> None:
    from kefu.core.actors import Actor, Source
    from kefu.org.models import Department, User
    from kefu.org.services import agent_create, department_create

    system = Actor.system()
    for number in range(DEPARTMENTS):
        code = f"d{number}"
        if not Department.objects.filter(code=code).exists():
            department_create(actor=system, source=Source.IMPORT, code=code, name=f"部门{number}")
    departments = list(Department.objects.filter(code__startswith="d").values_list("pk", flat=True))
    for number in range(AGENTS):
        email = f"agent{number}@bench.test"
        if not User.objects.filter(email=email).exists():
            agent_create(
                actor=system,
                source=Source.IMPORT,
                email=email,
                name=f"坐席{number}",
                department_ids=[departments[number % len(departments)]],
            )


def write_csv(path: Path, tickets: int, messages: int, seed: int) -> int:
    """The file ``import`` reads: one row per ticket and one per further message; returns the rows."""
    rng = random.Random(seed)
    rows = 0
    start = 1_700_000_000
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(tickets):
            department = number % DEPARTMENTS
            agent = f"agent{department + DEPARTMENTS * rng.randrange(AGENTS // DEPARTMENTS)}@bench.test"
            moment = start + number * 60
            key = f"T{number}"
            contact = f"customer{rng.randrange(tickets // 3 + 1)}@example.cn"
            subject = f"{rng.choice(SUBJECTS)} #{number}"
            description = "按照说明书操作后仍然不行，请帮忙看看。"
            priority, status = rng.choice(["高", "中", "低", ""]), rng.choice(STATUSES)
            ticket = [key, subject, description, f"d{department}", contact, f"客户{number % 997}"]
            writer.writerow([*ticket, priority, status, agent, "bench,import", _iso(moment), "", "", "", ""])
            rows += 1
            for index in range(messages):
                kind = ("reply", "customer", "note")[index % 3]
                author = contact if kind == "customer" else agent
                body = f"第 {index + 1} 条消息：已经重启过设备。"
                blank = [""] * 10
                writer.writerow([key, *blank, kind, body, author, _iso(moment + 60 * (index + 1))])
                rows += 1
    return rows


def _iso(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()


def _machine() -> dict[str, Any]:
    import os
    import platform
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        number = connection.pg_version
        version = f"{number // 10000}.{number % 10000}"
    else:
        version = sqlite3.sqlite_version
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "load_average": os.getloadavg(),
    }


def _import(args: argparse.Namespace, data_dir: Path) -> int:
    from bench.main import _configure, _save

    _configure(args, data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kefu.core.actors import Actor, Source
    from kefu.tickets.models import Thread, Ticket
    from kefu.transfer.models import ExternalKey
    from kefu.transfer.services import import_job_create, import_run

    if Ticket.objects.exists():
        raise SystemExit("kefu bench import: the database already has tickets; give an empty one")
    _setup_desk()
    path = data_dir / "tickets.csv"
    rows = write_csv(path, args.tickets, args.messages, args.seed)
    job = import_job_create(actor=Actor.system(), source=Source.IMPORT, kind="tickets", path=path, copy=False)
    marks: list[tuple[float, int]] = []
    started = time.perf_counter()

    def progress(current: Any) -> None:
        done = (
            ExternalKey.objects.filter(job=current, kind="ticket").count()
            if current.status != "done"
            else None
        )
        marks.append((time.perf_counter() - started, done if done is not None else args.tickets))

    job = import_run(job.pk, progress=progress)
    total = time.perf_counter() - started
    slices = _slices(marks, args.slice, args.tickets)
    report = {
        "kind": "import",
        "tickets": args.tickets,
        "rows": rows,
        "messages_per_ticket": args.messages,
        "imported": job.imported,
        "errors": job.errors,
        "threads": Thread.objects.count(),
        "seconds": round(total, 1),
        "tickets_per_second": round(args.tickets / total, 1),
        "slices": slices,
        "machine": _machine(),
    }
    report["saved_to"] = str(_save("import", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _slices(marks: list[tuple[float, int]], size: int, total: int) -> list[dict[str, Any]]:
    """The rate of each slice of ``size`` tickets, from the progress marks (one per committed batch):
    a slice's time is interpolated between the marks around its ends."""

    def at(count: int) -> float:
        previous = (0.0, 0)
        for seconds, done in marks:
            if done >= count:
                if done == previous[1]:
                    return seconds
                return previous[0] + (seconds - previous[0]) * (count - previous[1]) / (done - previous[1])
            previous = (seconds, done)
        return marks[-1][0] if marks else 0.0

    slices = []
    for start in range(0, total, size):
        end = min(start + size, total)
        seconds = at(end) - at(start)
        slices.append({"tickets": f"{start + 1}-{end}", "seconds": round(seconds, 2),
                       "per_second": round((end - start) / seconds, 1) if seconds else None})  # fmt: skip
    return slices


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from bench.main import _configure, _save

    _configure(args, data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import SeedOptions, seed
    from kefu.core.actors import Actor, Source
    from kefu.org.models import User
    from kefu.tickets.models import Ticket
    from kefu.transfer.models import ExportJob
    from kefu.transfer.services import export_job_create, export_run

    have = Ticket.objects.count()
    if have == 0:
        seed(SeedOptions(tickets=args.tickets))
        have = Ticket.objects.count()
    admin = User.objects.filter(email="export-admin@bench.test").first()
    if admin is None:  # an administrator sees every ticket, so the export holds them all
        from kefu.org.services import agent_create

        agent_create(
            actor=Actor.system(),
            source=Source.IMPORT,
            email="export-admin@bench.test",
            name="导出管理员",
            role_key="administrator",
        )
        admin = User.objects.get(email="export-admin@bench.test")
    runs = []
    for _run in range(args.runs):
        job = export_job_create(actor=Actor.agent(admin), source=Source.IMPORT, kind="tickets", fmt="csv")
        tracemalloc.start()
        started = time.perf_counter()
        export_run(job.pk)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        job = ExportJob.objects.get(pk=job.pk)
        runs.append({
            "seconds": round(seconds, 1),
            "rows": job.processed_rows,
            "tracemalloc_peak_mib": round(peak / 2**20, 2),
            "file_mib": round(Path(job.path).stat().st_size / 2**20, 1),
        })  # fmt: skip
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    report = {
        "kind": "export",
        "tickets": have,
        "runs": runs,
        "median_seconds": statistics.median(run["seconds"] for run in runs),
        "median_tracemalloc_peak_mib": statistics.median(run["tracemalloc_peak_mib"] for run in runs),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": _machine(),
    }
    report["saved_to"] = str(_save("export", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0
