"""``kefu bench search``: the search engine's latency over many articles and the seeded tickets.

    kefu bench search --articles 100000            # SQLite file under bench/results/
    DATABASE_URL=postgres://… kefu bench search --articles 100000

Articles are added until the documents index holds ``--articles`` of kind ``bench_article``: variations
of the quality test set's 72 help-center articles over the benchmark's products and cities, with a
visibility and a brand in their scope. They are written in bulk (``bulk_create`` and the backend's
``store`` per batch of 5,000), and each one's index row is what ``documents_index`` would store: a title
``"<product> · <title>"`` and a body ``"<body>\\n<reply>"`` are analysed part by part (the analyser never
joins terms across " · " or a line break), so each distinct part is segmented once; the first 200 rows
are compared with ``index_row`` of the whole text and the seeding stops if one differs.

Then, in process (no HTTP: this measures the engine, not the web stack), it times

* ``documents_search`` with a visibility and brand filter, for the quality set's 129 queries (Chinese,
  English, mixed, typos, rephrased questions);
* ``documents_suggest`` for the first three characters of those queries, and separately for one
  character (the first character of each Chinese query, 退 among them) — the widest prefixes there are;
* when the database holds tickets (``kefu bench seed``), ``relevance_page`` — what ``GET /api/v1/tickets?q=``
  runs with its default ``sort=relevance`` — for the bench agent, and the console's global search.

Every query runs once untimed; then each of ``--runs`` runs times every query ``--repeats`` times and
reports p50/p95/max over its calls; the summary is the median of the runs' p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

KIND = "bench_article"
ROOT = Path(__file__).resolve().parent.parent
QUALITY = ROOT / "kefu" / "search" / "tests" / "quality"
CHECKED = 200


def register(commands: Any, database_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``search`` to ``kefu bench``'s subcommands."""
    search = commands.add_parser("search", help="search latency over many articles and the seeded tickets")
    database_options(search)
    search.add_argument("--articles", type=int, default=100_000, help="articles in the documents index")
    search.add_argument("--runs", type=int, default=5, help="runs; the summary is the median of theirs")
    search.add_argument("--repeats", type=int, default=3, help="timed calls of each query in a run")
    search.add_argument("--batch-size", type=int, default=5_000)
    search.set_defaults(handler=_search)


def _search(args: argparse.Namespace, data_dir: Path) -> int:
    from bench.main import _configure, _save

    _configure(args, data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    report = benchmark(
        articles=args.articles, runs=args.runs, repeats=args.repeats, batch_size=args.batch_size
    )
    report["saved_to"] = str(_save("search", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _load(name: str) -> Any:
    return json.loads((QUALITY / name).read_text(encoding="utf-8"))


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def seed_articles(total: int, batch_size: int) -> dict[str, float]:
    """Add articles until ``total`` of kind ``bench_article`` exist; return the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from bench import corpus
    from kefu.search.analysis import Analysed, analyse
    from kefu.search.backends import backend
    from kefu.search.backends.base import IndexRow
    from kefu.search.indexing import index_row
    from kefu.search.models import SearchDocument
    from kefu.search.segmentation import warm_up
    from kefu.search.services import DOCUMENTS

    warm_up()
    part = lru_cache(maxsize=None)(analyse)
    bases = [("zh-hans", row) for row in _load("articles_zh.json")] + [
        ("en", row) for row in _load("articles_en.json")
    ]
    have = SearchDocument.objects.filter(kind=KIND).count()
    rng = random.Random(20261207 + have)
    began = time.monotonic()
    now = timezone.now()
    for start in range(have, total, batch_size):
        documents, texts = [], []
        for object_id in range(start + 1, min(total, start + batch_size) + 1):
            language, base = rng.choice(bases)
            product = rng.choice(corpus.PRODUCTS)
            city = rng.choice(corpus.CITIES if language == "zh-hans" else corpus.CITIES_EN)
            reply = rng.choice(corpus.AGENT_REPLIES_ZH if language == "zh-hans" else corpus.AGENT_REPLIES_EN)
            values = {"product": product, "city": city, "order": f"KF{rng.randint(10**7, 10**8 - 1)}",
                      "serial": str(rng.randint(100000, 999999))}  # fmt: skip
            answer = reply.format(**values)
            title, body, tags = (
                f"{product} · {base['title']}",
                f"{base['body']}\n{answer}",
                list(base["tags"]),
            )
            documents.append(
                SearchDocument(
                    kind=KIND,
                    object_id=object_id,
                    language=language,
                    title=title,
                    body=body,
                    tags=tags,
                    scope={
                        "visibility": rng.choice(["public", "public", "customers", "agents"]),
                        "brand_id": rng.randint(1, 3),
                        "language": language,
                    },
                    updated_at=now,
                )
            )
            texts.append((part(product), part(base["title"]), part("\n".join(tags)), part(base["body"]),
                          analyse(answer), (title, tags, body)))  # fmt: skip
        with transaction.atomic():
            SearchDocument.objects.bulk_create(documents, batch_size=1_000)
            rows = []
            for document, (product_t, title_t, tags_t, body_t, answer_t, whole) in zip(
                documents, texts, strict=True
            ):
                title_terms = Analysed(
                    _join(product_t.words, title_t.words), _join(product_t.grams, title_t.grams)
                )
                row = IndexRow(
                    id=document.pk,
                    fields={
                        "title": title_terms.words,
                        "tags": tags_t.words,
                        "body": _join(body_t.words, answer_t.words),
                        "title_grams": _join(title_terms.grams, tags_t.grams),
                        "body_grams": _join(body_t.grams, answer_t.grams),
                    },
                )
                if document.object_id <= CHECKED:
                    expected = index_row(document.pk, title=whole[0], tags=whole[1], body=whole[2])
                    if expected != row:
                        raise RuntimeError(
                            f"bench article {document.object_id}: index row differs from index_row"
                        )
                rows.append(row)
            backend().store(DOCUMENTS, rows)
    return {"seconds": round(time.monotonic() - began, 1), "indexed": max(0, total - have)}


def _stats(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "calls": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
    }


def time_runs(calls: list[Callable[[], Any]], *, runs: int, repeats: int) -> dict[str, Any]:
    """Each call once untimed, then ``runs`` runs of every call ``repeats`` times: per-run figures and
    the median of the runs' p50 and p95."""
    for call in calls:
        call()
    per_run = []
    for _ in range(runs):
        samples = []
        cpu0 = time.process_time()
        for _ in range(repeats):
            for call in calls:
                t0 = time.perf_counter()
                call()
                samples.append((time.perf_counter() - t0) * 1000)
        stats = _stats(samples)
        # This process's CPU per call (with SQLite that includes the database; not PostgreSQL's backend):
        # unlike latency, it hardly depends on what else the machine is doing.
        stats["cpu_ms_mean"] = round((time.process_time() - cpu0) * 1000 / max(1, len(samples)), 2)
        per_run.append(stats)
    return {
        "queries": len(calls),
        "p50_ms": round(statistics.median(run["p50_ms"] for run in per_run), 1),
        "p95_ms": round(statistics.median(run["p95_ms"] for run in per_run), 1),
        "max_ms": max(run["max_ms"] for run in per_run),
        "cpu_ms_mean": round(statistics.median(run["cpu_ms_mean"] for run in per_run), 2),
        "runs": per_run,
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPU, cores, database and Python versions, the commit."""
    import os
    import platform

    from django.db import connection

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=False).stdout.strip()  # fmt: skip
    except OSError:
        commit = ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = str(cursor.fetchone()[0]).split(" on ")[0]
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "database": database,
        "commit": commit,
    }


def one_character_prefixes(queries: list[dict[str, Any]]) -> list[str]:
    """The first character of each Chinese query (退, 发, 保 …), each once."""
    firsts = [query["q"].strip()[0] for query in queries if query.get("lang") == "zh" and query["q"].strip()]
    return list(dict.fromkeys(["退", *firsts]))


def benchmark(*, articles: int, runs: int, repeats: int, batch_size: int) -> dict[str, Any]:
    import datetime as dt

    from django.db import connection

    from kefu.org.models import User
    from kefu.search.segmentation import warm_up
    from kefu.search.selectors import documents_search, documents_suggest, relevance_page, search_everything
    from kefu.tickets.models import Ticket
    from kefu.tickets.selectors import ticket_list_queryset

    warm_up()
    seeded = seed_articles(articles, batch_size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document; ANALYZE search_document_vector")
    rows = _load("queries.json")["queries"]
    queries = [row["q"] for row in rows]
    filters = {"visibility": ["public"], "brand_id": [1]}
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "articles": articles, "tickets": Ticket.objects.count()},
        "machine": machine(),
        "settings": {"runs": runs, "repeats": repeats},
        "seed": seeded,
        "documents_search": time_runs(
            [lambda q=q: documents_search(KIND, q, filters=filters, limit=10) for q in queries],
            runs=runs, repeats=repeats,
        ),
        "documents_suggest": time_runs(
            [lambda p=q[:3]: documents_suggest(KIND, p, filters=filters) for q in queries],
            runs=runs, repeats=repeats,
        ),
        "documents_suggest_one_character": time_runs(
            [lambda p=p: documents_suggest(KIND, p, filters=filters) for p in one_character_prefixes(rows)],
            runs=runs, repeats=repeats,
        ),
    }  # fmt: skip
    agent = User.objects.filter(email="bench-agent@kefu-bench.example").first()
    if report["database"]["tickets"] and agent is not None:
        ticket_queries = queries[::2]
        report["tickets_relevance_page"] = time_runs(
            [lambda q=q: relevance_page(ticket_list_queryset(agent), q, limit=25, cursor=None)
             for q in ticket_queries], runs=runs, repeats=repeats,
        )  # fmt: skip
        report["console_global_search"] = time_runs(
            [lambda q=q: search_everything(agent, q, prefix="", limit=20) for q in ticket_queries],
            runs=runs, repeats=repeats,
        )  # fmt: skip
    return report
