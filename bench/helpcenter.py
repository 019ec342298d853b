"""``kefu bench helpcenter``: how fast the help center's public pages render, home and article.

    kefu bench helpcenter --articles 10000                 # SQLite file under bench/results/
    DATABASE_URL=postgres://… kefu bench helpcenter        # e.g. the database `kefu bench seed` filled

The first run adds a brand ``bench-hc`` with a help center (the default home-page modules: search, KB
categories, popular articles, submit a ticket, my tickets), 16 categories (8 per language) of 5 sections,
and ``--articles`` articles in bulk (published, 80 % public, the rest for signed-in customers or agents;
bodies of 1–3 kB HTML, view counts spread so that "popular" has something to sort). That is fixture
data, written with ``bulk_create``; the pages read it through the same selectors as always.

Then, in process with Django's test client (the whole middleware and template stack, no socket), as an
anonymous visitor it requests

* ``home``: ``/hc/bench-hc/`` in Chinese and in English;
* ``article``: the canonical page of published public articles (``/hc/bench-hc/articles/<id>-<slug>/``),
  a different one each time; each view also counts the view (one UPDATE), as it does for visitors;
* ``category``: a category's page (its sections with their articles).

Every page is requested once untimed; then each of ``--runs`` runs requests each page ``--requests``
times, and reports p50/p95/max; the summary is the median of the runs' p50 and p95. Any status other
than 200 stops the benchmark.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SLUG = "bench-hc"
CATEGORIES_PER_LANGUAGE = 8
SECTIONS_PER_CATEGORY = 5


def register(commands: Any, database_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``helpcenter`` to ``kefu bench``'s subcommands."""
    command = commands.add_parser("helpcenter", help="help-center home and article pages (test client)")
    database_options(command)
    command.add_argument("--articles", type=int, default=10_000, help="articles of the bench brand")
    command.add_argument("--runs", type=int, default=5, help="runs; the summary is the median of theirs")
    command.add_argument("--requests", type=int, default=100, help="requests of each page kind in a run")
    command.set_defaults(handler=_helpcenter)


def _helpcenter(args: argparse.Namespace, data_dir: Path) -> int:
    from bench.main import _configure, _save

    _configure(args, data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    report = benchmark(articles=args.articles, runs=args.runs, requests=args.requests)
    report["saved_to"] = str(_save("helpcenter", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _body(rng: random.Random, language: str, title: str) -> str:
    from bench import corpus

    replies = corpus.AGENT_REPLIES_ZH if language == "zh-hans" else corpus.AGENT_REPLIES_EN
    paragraphs = []
    for _ in range(rng.randint(4, 12)):
        values = {
            "product": rng.choice(corpus.PRODUCTS),
            "city": rng.choice(corpus.CITIES),
            "order": f"KF{rng.randint(10**7, 10**8 - 1)}",
            "serial": str(rng.randint(100000, 999999)),
        }
        paragraphs.append(f"<p>{rng.choice(replies).format(**values)}</p>")
    return f"<h2>{title}</h2>" + "".join(paragraphs) + "<ul><li>1</li><li>2</li><li>3</li></ul>"


def seed(articles: int) -> dict[str, Any]:
    """The bench brand, its help center, categories, sections and articles (once; later runs reuse them)."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.html import strip_tags

    from bench.search import _load
    from kefu.kb.models import Article, Category, Section
    from kefu.org.models import Brand
    from kefu.portal.models import HelpCenter

    began = time.monotonic()
    brand = Brand.objects.filter(slug=SLUG).first()
    if brand is not None:
        return {"seconds": 0.0, "articles": Article.objects.filter(section__category__brand=brand).count()}
    rng = random.Random(20261207)
    bases = {"zh-hans": _load("articles_zh.json"), "en": _load("articles_en.json")}
    now = timezone.now()
    with transaction.atomic():
        brand = Brand.objects.create(name="Bench 帮助中心", slug=SLUG, default_language="zh-hans")
        HelpCenter.objects.create(brand=brand, title="Bench 帮助中心", title_en="Bench help center")
        sections: dict[str, list[Section]] = {}
        for language in ("zh-hans", "en"):
            for c in range(CATEGORIES_PER_LANGUAGE):
                category = Category.objects.create(
                    brand=brand, name=f"{'分类' if language == 'zh-hans' else 'Category'} {c + 1}",
                    language=language, position=c,
                )  # fmt: skip
                Section.objects.bulk_create(
                    Section(category=category, name=f"{category.name}.{s + 1}", position=s)
                    for s in range(SECTIONS_PER_CATEGORY)
                )
            sections[language] = list(
                Section.objects.filter(category__brand=brand, category__language=language)
            )
        batch = []
        for number in range(articles):
            language = "zh-hans" if number % 5 else "en"
            base = rng.choice(bases[language])
            title = f"{base['title']} ({number + 1})"
            body = _body(rng, language, base["title"])
            batch.append(
                Article(
                    section=rng.choice(sections[language]),
                    title=title[:200],
                    slug=f"bench-{number + 1}",
                    summary=base["body"][:200],
                    body=body,
                    body_text=strip_tags(body),
                    tags=list(base["tags"]),
                    status="published",
                    visibility=rng.choice(["public"] * 8 + ["customers", "agents"]),
                    language=language,
                    view_count=int(rng.paretovariate(1.2) * 10),
                    published_at=now,
                )
            )
            if len(batch) == 5_000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
    return {"seconds": round(time.monotonic() - began, 1), "articles": articles}


def benchmark(*, articles: int, runs: int, requests: int) -> dict[str, Any]:
    import datetime as dt

    from django.db import connection
    from django.test import Client

    from bench.search import machine, time_runs
    from kefu.kb.models import Article, Category
    from kefu.search.segmentation import warm_up
    from kefu.tickets.models import Ticket

    warm_up()
    seeded = seed(articles)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE kb_article; ANALYZE kb_section; ANALYZE kb_category")
    public = list(
        Article.objects.filter(section__category__brand__slug=SLUG, visibility="public", status="published")
        .order_by("pk")
        .values_list("pk", "slug")
    )
    rng = random.Random(7)
    picked = rng.sample(public, min(len(public), requests))
    category = Category.objects.filter(brand__slug=SLUG, language="zh-hans").order_by("position").first()
    client = Client()

    def get(path: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")

        return call

    def cycle(paths: list[str]) -> list[Callable[[], None]]:
        return [get(path) for path in paths]

    homes = [f"/hc/{SLUG}/?lang=zh-hans", f"/hc/{SLUG}/?lang=en"]
    article_paths = [f"/hc/{SLUG}/articles/{pk}-{slug}/?lang=zh-hans" for pk, slug in picked]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": connection.vendor,
            "articles": Article.objects.count(),
            "tickets": Ticket.objects.count(),
        },
        "machine": machine(),
        "settings": {"runs": runs, "requests": requests, "client": "django.test.Client, anonymous"},
        "seed": seeded,
        "home": time_runs(cycle(homes), runs=runs, repeats=max(1, requests // len(homes))),
        "article": time_runs(cycle(article_paths), runs=runs, repeats=1),
        "category": time_runs(
            cycle([f"/hc/{SLUG}/categories/{category.pk}/"]) if category else [], runs=runs, repeats=requests
        )
        if category
        else {},
    }
