"""``kefu bench search``: the search engine's latency over many articles and the seeded tickets.

    kefu bench search --articles 100000            # SQLite file under bench/results/
    DATABASE_URL=postgres://… kefu bench search --articles 100000

Articles are indexed through ``kefu.search.services.documents_index`` (the real analyser, in batches)
until the documents index holds ``--articles`` of kind ``bench_article``: variations of the quality
test set's 72 help-center articles over the benchmark's products and cities, with a visibility and a
brand in their scope. Then, in process (no HTTP: this measures the engine, not the web stack), it times

* ``documents_search`` with a visibility and brand filter, for the quality set's queries (Chinese,
  English, mixed, typos, rephrased questions);
* ``documents_suggest`` for prefixes of those queries;
* when the database holds tickets (``kefu bench seed``), ``relevance_page`` — what ``GET /api/v1/tickets?q=``
  runs with its default ``sort=relevance`` — for the bench agent, and the console's global search.

Each query runs once untimed, then ``--runs`` times timed; p50/p95/max are over all timed calls.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KIND = "bench_article"
QUALITY = Path(__file__).resolve().parent.parent / "kefu" / "search" / "tests" / "quality"


def register(commands: Any, database_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``search`` to ``kefu bench``'s subcommands."""
    search = commands.add_parser("search", help="search latency over many articles and the seeded tickets")
    database_options(search)
    search.add_argument("--articles", type=int, default=100_000, help="articles in the documents index")
    search.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    search.add_argument("--batch-size", type=int, default=2_000)
    search.set_defaults(handler=_search)


def _search(args: argparse.Namespace, data_dir: Path) -> int:
    from bench.main import _configure, _save

    _configure(args, data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    report = benchmark(articles=args.articles, runs=args.runs, batch_size=args.batch_size)
    report["saved_to"] = str(_save("search", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _load(name: str) -> Any:
    return json.loads((QUALITY / name).read_text(encoding="utf-8"))


def seed_articles(total: int, batch_size: int) -> dict[str, float]:
    """Index articles until ``total`` of kind ``bench_article`` exist; return the seconds it took."""
    from bench import corpus
    from kefu.search.documents import Document
    from kefu.search.models import SearchDocument
    from kefu.search.services import documents_index

    bases = [("zh-hans", row) for row in _load("articles_zh.json")] + [
        ("en", row) for row in _load("articles_en.json")
    ]
    have = SearchDocument.objects.filter(kind=KIND).count()
    rng = random.Random(20261207 + have)
    began = time.monotonic()
    for start in range(have, total, batch_size):
        docs = []
        for object_id in range(start + 1, min(total, start + batch_size) + 1):
            language, base = rng.choice(bases)
            product = rng.choice(corpus.PRODUCTS)
            city = rng.choice(corpus.CITIES if language == "zh-hans" else corpus.CITIES_EN)
            reply = rng.choice(corpus.AGENT_REPLIES_ZH if language == "zh-hans" else corpus.AGENT_REPLIES_EN)
            values = {"product": product, "city": city, "order": f"KF{rng.randint(10**7, 10**8 - 1)}",
                      "serial": str(rng.randint(100000, 999999))}  # fmt: skip
            docs.append(
                Document(
                    kind=KIND,
                    object_id=object_id,
                    language=language,
                    title=f"{product} · {base['title']}",
                    body=f"{base['body']}\n{reply.format(**values)}",
                    tags=tuple(base["tags"]),
                    scope={
                        "visibility": rng.choice(["public", "public", "customers", "agents"]),
                        "brand_id": rng.randint(1, 3),
                        "language": language,
                    },
                )
            )
        documents_index(docs)
    return {"seconds": round(time.monotonic() - began, 1), "indexed": max(0, total - have)}


def _time(calls: list[Callable[[], Any]], runs: int) -> dict[str, float]:
    for call in calls:
        call()
    samples = []
    for _ in range(runs):
        for call in calls:
            t0 = time.perf_counter()
            call()
            samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "calls": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        "max_ms": round(samples[-1], 1),
    }


def benchmark(*, articles: int, runs: int, batch_size: int) -> dict[str, Any]:
    import datetime as dt
    import platform

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
    queries = [query["q"] for query in _load("queries.json")["queries"]]
    filters = {"visibility": ["public"], "brand_id": [1]}
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "articles": articles, "tickets": Ticket.objects.count()},
        "machine": {"python": platform.python_version(), "note": "shared 2-core machine: indicative"},
        "seed": seeded,
        "documents_search": _time(
            [lambda q=q: documents_search(KIND, q, filters=filters, limit=10) for q in queries], runs
        ),
        "documents_suggest": _time(
            [lambda p=q[:3]: documents_suggest(KIND, p, filters=filters) for q in queries], runs
        ),
    }
    agent = User.objects.filter(email="bench-agent@kefu-bench.example").first()
    if report["database"]["tickets"] and agent is not None:
        ticket_queries = queries[::2]
        report["tickets_relevance_page"] = _time(
            [lambda q=q: relevance_page(ticket_list_queryset(agent), q, limit=25, cursor=None)
             for q in ticket_queries], runs,
        )  # fmt: skip
        report["console_global_search"] = _time(
            [lambda q=q: search_everything(agent, q, prefix="", limit=20) for q in ticket_queries], runs
        )
    return report
