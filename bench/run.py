"""The HTTP benchmark: the REST API of a seeded help desk, one keep-alive client, several runs.

Every run starts a fresh web server (so runs are independent samples and memory is measured after a
known amount of work), warms it up, then measures each scenario for a bounded number of requests and a
bounded time. The report gives each scenario's p50/p95 per run and the median of those across runs,
checked against the targets of issue "Core".

Latencies are client-observed wall times (request sent → body read) over loopback, so they include
HTTP parsing, WSGI, authentication, the queries and JSON rendering: what an integration sees.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
import psutil
from django.db import connection

from bench import corpus
from bench.seed import BENCH_AGENT_EMAIL, DETAIL_TAG
from bench.server import WebServer
from kefu.contacts.models import Contact
from kefu.core.actors import Actor, Source
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.org.services import api_key_create, api_key_revoke
from kefu.search.segmentation import warm_up
from kefu.search.services import tickets_index
from kefu.tickets.models import Comment, Thread, Ticket, TicketEvent

TARGETS = {
    "create": {"tickets_per_s": (">=", 150.0), "p95_ms": ("<=", 25.0)},
    "list_open_page1": {"p95_ms": ("<=", 40.0)},
    "deep_page": {"p95_ms": ("<=", 40.0)},
    "detail_with_threads": {"p95_ms": ("<=", 30.0)},
    "search": {"p95_ms": ("<=", 200.0)},
    "memory": {"max_worker_rss_mb": ("<=", 250.0)},
}
SEARCH_TERMS = ["打印机", "发票", "无法", "退款 到账", "固件升级", "Wi-Fi", "refund", "firmware update"]


@dataclass(frozen=True)
class RunOptions:
    runs: int = 3
    warmup: int = 20
    creates: int = 300
    lists: int = 200
    deep_pages: int = 200
    deep_repeats: int = 100
    details: int = 100
    searches_per_term: int = 25
    scenario_seconds: float = 180.0
    quiet_pct: float = 25.0
    quiet_wait: float = 600.0
    analyze: bool = False
    workers: int = 2
    threads: int = 4
    seed: int = 7


@dataclass
class Samples:
    """The latencies of one scenario in one run."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    wall_s: float = 0.0
    truncated: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        values = self.latencies_ms
        result: dict[str, Any] = {
            "n": len(values),
            "errors": self.errors,
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "max_ms": round(max(values, default=math.nan), 2),
            "mean_ms": round(statistics.fmean(values), 2) if values else math.nan,
        }
        if self.truncated:
            result["truncated"] = True
        result.update(self.notes)
        return result


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least ``pct`` % of samples at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class Fixture:
    """What the scenarios need from the seeded database, read once before the runs."""

    department_ids: list[int]
    contact_ids: list[int]
    detail_ids: list[int]
    search_terms: list[str]


CpuProbe = Callable[[], tuple[float, float]]


class Client:
    """One keep-alive HTTP client with a per-scenario deadline."""

    def __init__(self, base_url: str, key: str, probe: CpuProbe | None = None) -> None:
        self.probe = probe
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30.0, http2=False
        )

    def close(self) -> None:
        self.http.close()

    def timed(self, samples: Samples, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.HTTPError:
            samples.errors += 1
            return None
        samples.latencies_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            samples.errors += 1
            samples.notes.setdefault("first_error", f"{response.status_code} {response.text[:300]}")
        return response


@contextmanager
def scenario(samples: Samples, seconds: float, probe: CpuProbe | None = None) -> Iterator[Callable[[], bool]]:
    """Yield a ``more()`` check that turns false once the scenario's time budget is spent.

    With a ``probe`` (CPU seconds of the web server and of its database backends), the scenario also
    reports the CPU time each request cost the server and the database. Unlike latency, that figure
    hardly changes when other programs compete for the CPU, so it shows what an idle machine would do.
    """
    started = time.monotonic()
    before = probe() if probe else None

    def more() -> bool:
        if time.monotonic() - started > seconds:
            samples.truncated = True
            return False
        return True

    yield more
    samples.wall_s = round(time.monotonic() - started, 3)
    if probe and before and samples.latencies_ms:
        after = probe()
        count = len(samples.latencies_ms)
        samples.notes["server_cpu_ms"] = round((after[0] - before[0]) / count * 1000, 2)
        samples.notes["db_cpu_ms"] = round((after[1] - before[1]) / count * 1000, 2)


def cpu_probe(server_pid: int) -> CpuProbe:
    """CPU seconds used so far by the gunicorn tree and by the PostgreSQL backends of this database."""

    def seconds(pids: set[int]) -> float:
        total = 0.0
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def probe() -> tuple[float, float]:
        try:
            tree = {server_pid} | {c.pid for c in psutil.Process(server_pid).children(recursive=True)}
        except psutil.Error:
            tree = set()
        return seconds(tree), seconds(_database_backend_pids())

    return probe


# -- the machine's other load ----------------------------------------------------------------------------


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def _database_backend_pids() -> set[int]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {row[0] for row in cursor.fetchall()}


class CpuMeter:
    """How busy the machine was during a run, and how much of that was not the benchmark.

    The benchmark machine may be shared (other test suites, other services). Its own processes are this
    process, the gunicorn tree and, on PostgreSQL, the backends connected to the bench database; the
    rest of the machine's busy CPU time (including hypervisor steal) is reported as ``foreign_pct`` so
    that a slow run on a busy machine can be told apart from a slow server.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.started = time.monotonic()
        self.busy = _busy_seconds()
        self.own = self._own()

    def _own(self) -> dict[int, float]:
        pids = {os.getpid(), self.server_pid} | _database_backend_pids()
        with suppress(psutil.Error):
            pids |= {child.pid for child in psutil.Process(self.server_pid).children(recursive=True)}
        result = {}
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            result[pid] = times.user + times.system
        return result

    def stop(self) -> dict[str, float]:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        capacity = elapsed * (os.cpu_count() or 1) / 100
        busy = _busy_seconds() - self.busy
        own_now = self._own()
        own = sum(max(0.0, seconds - self.own.get(pid, 0.0)) for pid, seconds in own_now.items())
        return {
            "machine_busy_pct": round(busy / capacity, 1),
            "bench_pct": round(own / capacity, 1),
            "foreign_pct": round(max(0.0, busy - own) / capacity, 1),
        }


def wait_for_quiet(options: RunOptions, out: TextIO) -> dict[str, float]:
    """Wait (bounded by ``quiet_wait`` seconds) until the machine's CPU use is under ``quiet_pct``."""
    started = time.monotonic()
    busy = psutil.cpu_percent(interval=2.0)
    while busy > options.quiet_pct and time.monotonic() - started < options.quiet_wait:
        out.write(f"    machine {busy:.0f} % busy; waiting for it to calm down\n")
        out.flush()
        busy = psutil.cpu_percent(interval=5.0)
    return {"waited_s": round(time.monotonic() - started, 1), "busy_pct_before": busy}


# -- scenarios -----------------------------------------------------------------------------------------


def run_list(client: Client, options: RunOptions, params: dict[str, Any]) -> Samples:
    """Page 1 of the ticket list, the request every agent's queue view makes most."""
    samples = Samples()
    with scenario(samples, options.scenario_seconds, client.probe) as more:
        for _ in range(options.lists):
            if not more():
                break
            client.timed(samples, "GET", "/api/v1/tickets", params=params)
    return samples


def run_deep(client: Client, options: RunOptions) -> tuple[Samples, Samples]:
    """Walk the open queue through ``next_cursor`` for ``deep_pages`` pages, then re-read the last page."""
    walk, deep = Samples(), Samples()
    params: dict[str, Any] = {"status_type": "open", "limit": 25}
    cursor: str | None = None
    depth = 0
    with scenario(walk, options.scenario_seconds, client.probe) as more:
        for _ in range(options.deep_pages):
            if not more():
                break
            response = client.timed(
                walk, "GET", "/api/v1/tickets", params={**params, "cursor": cursor} if cursor else params
            )
            if response is None or response.status_code != 200:
                break
            body = response.json()
            if not body["next_cursor"]:
                break
            cursor = body["next_cursor"]
            depth += len(body["items"])
    walk.notes["rows_deep"] = depth
    deep.notes["rows_deep"] = depth
    with scenario(deep, options.scenario_seconds, client.probe) as more:
        for _ in range(options.deep_repeats):
            if not more() or cursor is None:
                break
            client.timed(deep, "GET", "/api/v1/tickets", params={**params, "cursor": cursor})
    return walk, deep


def run_detail(client: Client, options: RunOptions, ids: list[int]) -> dict[str, Samples]:
    """Open a ticket as a client does: the ticket, then its 20 threads; timed apart and summed."""
    detail, threads, both = Samples(), Samples(), Samples()
    with scenario(both, options.scenario_seconds, client.probe) as more:
        for index in range(options.details):
            if not more() or not ids:
                break
            ticket_id = ids[index % len(ids)]
            before = len(detail.latencies_ms) + len(threads.latencies_ms)
            client.timed(detail, "GET", f"/api/v1/tickets/{ticket_id}")
            response = client.timed(threads, "GET", f"/api/v1/tickets/{ticket_id}/threads")
            if len(detail.latencies_ms) + len(threads.latencies_ms) == before + 2:
                both.latencies_ms.append(detail.latencies_ms[-1] + threads.latencies_ms[-1])
            if response is not None and response.status_code == 200 and index == 0:
                threads.notes["threads_per_ticket"] = len(response.json()["items"])
    both.errors = detail.errors + threads.errors
    return {"detail": detail, "threads": threads, "detail_with_threads": both}


def run_search(client: Client, options: RunOptions, terms: list[str]) -> tuple[Samples, dict[str, Any]]:
    """``q`` per term, from common to unique words; the target is checked on the pooled samples."""
    pooled = Samples()
    per_term: dict[str, Any] = {}
    with scenario(pooled, options.scenario_seconds, client.probe) as more:
        for term in terms:
            samples = Samples()
            hits = None
            for _ in range(options.searches_per_term):
                if not more():
                    break
                response = client.timed(samples, "GET", "/api/v1/tickets", params={"q": term, "limit": 25})
                if response is not None and response.status_code == 200 and hits is None:
                    hits = len(response.json()["items"])
            pooled.latencies_ms += samples.latencies_ms
            pooled.errors += samples.errors
            per_term[term] = {**samples.summary(), "page1_hits": hits}
    return pooled, per_term


def create_payloads(fixture: Fixture, count: int, seed: int) -> list[dict[str, Any]]:
    """Realistic ticket bodies (Chinese four times in five), made before timing starts."""
    rng = random.Random(seed)
    payloads = []
    for _ in range(count):
        _code, category, zh_subject, zh_body, en_subject, en_body = rng.choice(corpus.REQUESTS)
        english = rng.random() < 0.2
        values = {
            "product": rng.choice(corpus.PRODUCTS),
            "order": f"KF{rng.randint(10**7, 10**8 - 1)}",
            "city": rng.choice(corpus.CITIES_EN if english else corpus.CITIES),
        }
        payloads.append(
            {
                "subject": (en_subject if english else zh_subject).format(**values),
                "description": (en_body if english else zh_body).format(**values),
                "department_id": rng.choice(fixture.department_ids),
                "contact_id": rng.choice(fixture.contact_ids),
                "priority": rng.choice(["高", "中", "中", "低"]),
                "channel": "api",
                "category": category,
                "language": "en" if english else "zh-hans",
            }
        )
    return payloads


def run_create(
    client: Client, options: RunOptions, payloads: list[dict[str, Any]], created: list[int]
) -> Samples:
    """POST tickets one after another; the ids of the new tickets are appended to ``created``."""
    samples = Samples()
    with scenario(samples, options.scenario_seconds, client.probe) as more:
        for payload in payloads:
            if not more():
                break
            response = client.timed(samples, "POST", "/api/v1/tickets", json=payload)
            if response is not None and response.status_code == 201:
                created.append(response.json()["id"])
    samples.notes["tickets_per_s"] = round(len(created) / samples.wall_s, 1) if samples.wall_s else 0.0
    return samples


def warm(
    client: Client, fixture: Fixture, options: RunOptions, payloads: list[dict[str, Any]], created: list[int]
) -> None:
    """Untimed requests of every kind, so that lazy imports, jieba and connections are ready."""
    scratch = Samples()
    for index in range(options.warmup):
        client.timed(scratch, "GET", "/api/v1/tickets", params={"status_type": "open"})
        if fixture.detail_ids:
            ticket_id = fixture.detail_ids[-1 - index % len(fixture.detail_ids)]
            client.timed(scratch, "GET", f"/api/v1/tickets/{ticket_id}")
            client.timed(scratch, "GET", f"/api/v1/tickets/{ticket_id}/threads")
        client.timed(
            scratch,
            "GET",
            "/api/v1/tickets",
            params={"q": fixture.search_terms[index % len(fixture.search_terms)]},
        )
    for payload in payloads[:5]:
        response = client.timed(scratch, "POST", "/api/v1/tickets", json=payload)
        if response is not None and response.status_code == 201:
            created.append(response.json()["id"])


def one_run(
    server_env: dict[str, str],
    log_dir: Path,
    key: str,
    fixture: Fixture,
    options: RunOptions,
    run_index: int,
    out: TextIO,
) -> dict[str, Any]:
    """One run: wait for a quiet machine, start a fresh server, warm it, measure every scenario, stop it."""
    payloads = create_payloads(fixture, options.creates + 5, options.seed + run_index)
    quiet = wait_for_quiet(options, out)
    with WebServer(
        env=server_env, log_dir=log_dir, workers=options.workers, threads=options.threads
    ) as server:
        assert server.process is not None
        client = Client(server.base_url, key, cpu_probe(server.process.pid))
        warm_created: list[int] = []
        created: list[int] = []
        try:
            warm(client, fixture, options, payloads[options.creates :], warm_created)
            meter = CpuMeter(server.process.pid)
            results: dict[str, Any] = {}
            results["list_open_page1"] = run_list(
                client, options, {"status_type": "open", "limit": 25}
            ).summary()
            out.write(f"    list p95 {results['list_open_page1']['p95_ms']} ms\n")
            results["list_all_page1"] = run_list(client, options, {"limit": 25}).summary()
            walk, deep = run_deep(client, options)
            results["cursor_walk"] = walk.summary()
            results["deep_page"] = deep.summary()
            out.write(f"    deep p95 {results['deep_page']['p95_ms']} ms at {deep.notes['rows_deep']} rows\n")
            for name, samples in run_detail(client, options, fixture.detail_ids).items():
                results[name] = samples.summary()
            out.write(f"    detail+threads p95 {results['detail_with_threads']['p95_ms']} ms\n")
            pooled, per_term = run_search(client, options, fixture.search_terms)
            results["search"] = pooled.summary()
            results["search_terms"] = per_term
            out.write(f"    search p95 {results['search']['p95_ms']} ms\n")
            results["create"] = run_create(client, options, payloads[: options.creates], created).summary()
            out.write(
                f"    create {results['create']['tickets_per_s']}/s p95 {results['create']['p95_ms']} ms\n"
            )
            results["memory"] = server.memory()
            out.write(f"    worker RSS {results['memory']['worker_rss_mb']} MB\n")
            results["machine_load"] = {**quiet, **meter.stop()}
            out.write(f"    machine load {results['machine_load']}\n")
        finally:
            client.close()
    # What the Celery worker (not started: it would compete for the same cores) does after each
    # create: index the new tickets, so that repeated runs do not pile up unindexed tickets at the
    # top of every list and skew the ``q`` scenario.
    tickets_index([*warm_created, *created])
    return results


# -- set-up and report ---------------------------------------------------------------------------------


def load_fixture(terms: list[str] | None) -> tuple[User, Fixture]:
    user = User.objects.filter(email=BENCH_AGENT_EMAIL).first()
    if user is None:
        raise SystemExit(
            "kefu bench run: this database was not seeded by `kefu bench seed` (no bench agent)."
        )
    department_ids = sorted(agent_access(user).department_ids)
    detail_ids = list(
        Ticket.objects.filter(
            tags__name=DETAIL_TAG, department_id__in=department_ids, deleted_at__isnull=True
        )
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    rng = random.Random(11)
    rng.shuffle(detail_ids)
    contact_ids = list(Contact.objects.order_by("id").values_list("id", flat=True)[:5000])
    search_terms = list(terms or SEARCH_TERMS)
    if not terms:
        search_terms.append(_order_number(department_ids) or "KF12345678")
    return user, Fixture(department_ids, contact_ids, detail_ids[:200], search_terms)


def _order_number(department_ids: list[int]) -> str | None:
    """An order number that occurs in one seeded ticket: the rarest kind of search."""
    top = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for ticket_id in range(top // 2, top // 2 + 200):
        row = (
            Ticket.objects.filter(pk=ticket_id, department_id__in=department_ids)
            .values_list("description")
            .first()
        )
        match = re.search(r"KF\d{8}", row[0]) if row else None
        if match:
            return match.group(0)
    return None


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def code_version() -> dict[str, Any]:
    """The commit measured, and whether the working tree had uncommitted changes (read-only git calls)."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "kefu"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return {"commit": commit, "uncommitted_changes_in_kefu": bool(status.strip())}


def database_info() -> dict[str, Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
            settings = {}
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"):
                cursor.execute(f"SHOW {name}")
                settings[name] = cursor.fetchone()[0]
            extra: dict[str, Any] = {"settings": settings}
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
            name = str(connection.settings_dict["NAME"])
            size = sum(
                Path(name + suffix).stat().st_size for suffix in ("", "-wal") if Path(name + suffix).exists()
            )
            extra = {}
    return {
        "vendor": connection.vendor,
        "version": version,
        "size_mb": round(size / 1024 / 1024),
        "tickets": Ticket.objects.count(),
        "threads": Thread.objects.count(),
        "comments": Comment.objects.count(),
        "events": TicketEvent.objects.count(),
        **extra,
    }


def _median(values: list[float]) -> float:
    clean = [v for v in values if isinstance(v, int | float) and not math.isnan(v)]
    return round(statistics.median(clean), 2) if clean else math.nan


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over runs of every number a scenario reports (p50, p95, throughput, RSS …)."""
    result: dict[str, Any] = {}
    for name in runs[0]:
        if name == "search_terms":
            result[name] = {
                term: {
                    key: _median([run[name][term][key] for run in runs])
                    for key in ("p50_ms", "p95_ms", "page1_hits")
                    if runs[0][name][term].get(key) is not None
                }
                for term in runs[0][name]
            }
            continue
        # A run in which the scenario got error answers (say, the code changed under it) measured
        # something else; its numbers are left out and counted.
        clean = [run for run in runs if not run[name].get("errors")] or runs
        numbers = {key for key, value in clean[0][name].items() if isinstance(value, int | float)}
        result[name] = {
            key: _median([run[name].get(key, math.nan) for run in clean]) for key in sorted(numbers)
        }
        if len(clean) != len(runs):
            result[name]["runs_left_out_for_errors"] = len(runs) - len(clean)
        if name == "memory":
            result[name]["max_worker_rss_mb_any_run"] = max(run[name]["max_worker_rss_mb"] for run in runs)
    return result


def verdicts(summary: dict[str, Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for name, metrics in TARGETS.items():
        for metric, (op, limit) in metrics.items():
            value = summary.get(name, {}).get(metric, math.nan)
            met = value >= limit if op == ">=" else value <= limit
            checks[f"{name}.{metric}"] = {"value": value, "target": f"{op} {limit:g}", "met": bool(met)}
    return checks


def benchmark(
    options: RunOptions,
    *,
    server_env: dict[str, str],
    log_dir: Path,
    terms: list[str] | None = None,
    out: TextIO = sys.stderr,
) -> dict[str, Any]:
    """Run the scenarios ``options.runs`` times against fresh servers and return the report."""
    warm_up()
    if options.analyze:
        # Planner statistics: PostgreSQL's autovacuum keeps them, SQLite has none until ANALYZE runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, fixture = load_fixture(terms)
    if len(fixture.detail_ids) == 0:
        out.write("  warning: no ticket with 20 threads is visible to the bench agent; detail is skipped\n")
    api_key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=user, name="kefu bench")
    database = database_info()
    out.write(f"  {database['vendor']}: {database['tickets']:,} tickets, {database['size_mb']:,} MB\n")
    runs = []
    try:
        for index in range(options.runs):
            out.write(f"  run {index + 1}/{options.runs}\n")
            out.flush()
            runs.append(one_run(server_env, log_dir, secret, fixture, options, index, out))
    finally:
        api_key_revoke(actor=Actor.system(), source=Source.IMPORT, key_id=api_key.pk)
    summary = medians(runs)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "database": database,
        "options": asdict(options),
        "search_terms": fixture.search_terms,
        "median": summary,
        "targets": verdicts(summary),
        "runs": runs,
    }
