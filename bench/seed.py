"""Seeding a benchmark help desk with N tickets, fast.

This is fixture generation, not a write path: tickets, threads, comments, ticket events, tags and the
full-text index rows are written in bulk (``COPY`` on PostgreSQL, ``executemany`` on SQLite), bypassing
``kefu.tickets.services``. Going through the services costs a few milliseconds per ticket, i.e. hours for
a million, and would measure nothing the benchmark cares about. The small reference data (departments
and agents) does go through the services, so that roles, permissions and audit entries are real.

What the bulk path keeps consistent with the services, because the benchmark reads it back:

* the ticket number counter (``TicketNumberSequence`` row 1) equals the highest seeded number, updated
  in the same transaction as each batch, so ``ticket_create`` continues the series;
* every ticket has its ``created`` event, one event per thread, comment, assignment and status change;
* the search row of a ticket is exactly what ``kefu.search.services.tickets_index`` would store:
  ``index_row`` of the subject, the tags and the description, thread and comment texts. Analysis
  (~1 ms per ticket with jieba) would dominate a million-ticket seed, so each text template is analysed
  once with placeholder order/serial numbers and the real numbers are substituted into its terms; the
  first tickets are checked against a direct ``index_row`` call and the seed stops if they differ;
* the primary-key sequences on PostgreSQL are moved past the explicit ids written here.

The random generator is seeded, so two seeds of the same size produce the same help desk.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from bench import corpus
from kefu.contacts.models import Account, Contact, ContactEmail
from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.html import html_to_text, text_to_html
from kefu.core.models import Tag
from kefu.demo import content
from kefu.org import permissions
from kefu.org.models import Department, User
from kefu.org.services import agent_create, department_create
from kefu.search.analysis import Analysed, analyse
from kefu.search.backends import backend
from kefu.search.backends.base import IndexRow
from kefu.search.backends.postgresql import tsvector_literal
from kefu.search.indexing import index_row
from kefu.tickets.models import Comment, Priority, Status, Thread, Ticket, TicketEvent, TicketNumberSequence

BENCH_AGENT_EMAIL = "bench-agent@kefu-bench.example"
BENCH_DOMAIN = "kefu-bench.example"
DETAIL_TAG = "bench-20-threads"
DETAIL_THREADS = 20
ORDER_MARK = "KF00000000"
SERIAL_MARK = "000000"
VERIFY_FIRST = 300

STATUS_RECENT = [("新建", 25), ("处理中", 25), ("搁置", 10), ("已关闭", 40)]
STATUS_OLD = [("新建", 1), ("处理中", 1), ("搁置", 1), ("已关闭", 97)]
RECENT_DAYS = 14
THREAD_COUNTS = [(1, 30), (2, 28), (3, 18), (4, 12), (5, 6), (6, 3), (8, 2), (12, 1)]
DEPARTMENT_WEIGHTS = {"after-sales": 40, "tech-support": 35, "billing": 20, "vip": 5}
BENCH_AGENT_DEPARTMENTS = ("after-sales", "tech-support", "billing")


@dataclass(frozen=True)
class SeedOptions:
    tickets: int = 100_000
    batch_size: int = 5_000
    days: int = 730
    seed: int = 20261122
    detail_every: int = 500


@dataclass
class SeedReport:
    tickets: int = 0
    threads: int = 0
    comments: int = 0
    events: int = 0
    tags: int = 0
    documents: int = 0
    detail_tickets: int = 0
    contacts: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Reference:
    """Ids of the reference rows the generated tickets point at."""

    departments: dict[str, int]
    agents: dict[int, list[tuple[int, str]]]
    contacts: list[tuple[int, int | None, str, str, str]]
    statuses: dict[str, int]
    priorities: list[tuple[int, int]]
    tags: dict[str, int]


# -- writing rows --------------------------------------------------------------------------------------


class TableWriter:
    """Appends rows to one table in bulk: COPY on PostgreSQL, one ``executemany`` on SQLite.

    Rows are tuples in ``columns`` order. Columns of the model that the seeder does not set get their
    field default, so that a column added later with a default does not break the seeder; a new column
    without a default stops it with a message instead of failing inside the database.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        meta = model._meta
        self.table = meta.db_table
        by_column = {f.column: f for f in meta.concrete_fields}
        unknown = set(columns) - set(by_column)
        if unknown:
            raise RuntimeError(f"{self.table} has no columns {sorted(unknown)}")
        extra: list[str] = []
        defaults: list[Any] = []
        for column, model_field in by_column.items():
            if column in columns:
                continue
            value = model_field.get_default()
            if value is None and not model_field.null:
                raise RuntimeError(f"bench seeder: {self.table}.{column} needs a value; update bench/seed.py")
            if isinstance(model_field, models.JSONField):
                value = json.dumps(value)
            extra.append(column)
            defaults.append(value)
        self.columns = [*columns, *extra]
        self.defaults = tuple(defaults)
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        if connection.vendor == "postgresql":
            self.sql = f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
        else:
            marks = ", ".join("?" for _ in self.columns)
            self.sql = f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES ({marks})"

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        defaults = self.defaults
        full = [row + defaults for row in rows] if defaults else rows
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
                for row in full:
                    copy.write_row(row)
        else:
            connection.ensure_connection()
            connection.connection.executemany(self.sql, full)


class DocumentWriter:
    """Writes full-text documents: through the backend on SQLite, via a staging table on PostgreSQL.

    On PostgreSQL ``backend().store`` sends one INSERT per ticket; COPYing the segmented text into a
    temporary table and converting it with one ``INSERT … SELECT to_tsvector('simple', …)`` stores the
    same tsvector an order of magnitude faster.
    """

    STAGE = "kefu_bench_documents"

    def __init__(self) -> None:
        self.words: set[str] = set()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {self.STAGE} (id bigint, vector text) "
                    "ON COMMIT DELETE ROWS"
                )

    def write(self, documents: list[IndexRow]) -> None:
        if connection.vendor != "postgresql":
            backend().store("ticket", documents)
            return
        # The Latin words for typo correction, as the backend's store() records them.
        words = {
            word
            for row in documents
            for name in ("title", "tags", "body")
            for word in row.fields.get(name, "").split()
            if len(word) >= 4 and word.isascii() and word.isalpha()
        } - self.words
        self.words |= words
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {self.STAGE} (id, vector) FROM STDIN") as copy:
                for row in documents:
                    copy.write_row((row.id, tsvector_literal(row.fields)))
            cursor.execute(
                f"INSERT INTO search_ticket_vector (id, vector) SELECT id, vector::tsvector FROM {self.STAGE}"
            )
            if words:
                cursor.execute(
                    "INSERT INTO search_vocabulary (index_name, term) SELECT 'ticket', unnest(%s::text[]) "
                    "ON CONFLICT DO NOTHING",
                    [sorted(words)],
                )


# -- reference data ------------------------------------------------------------------------------------


def _reference_data(rng: random.Random, options: SeedOptions, out: TextIO) -> Reference:
    """Departments and agents through the services; accounts, contacts and tags in bulk."""
    system = Actor.system()
    with events.suppressed(), transaction.atomic():
        for code, name, name_en, description in corpus.DEPARTMENTS:
            if not Department.objects.filter(code=code).exists():
                department_create(
                    actor=system,
                    source=Source.IMPORT,
                    name=name,
                    name_en=name_en,
                    code=code,
                    description=description,
                )
        departments = dict(Department.objects.values_list("code", "id"))
        for index in range(6 * len(departments)):
            code = list(departments)[index % len(departments)]
            surname = content.SURNAMES[index % len(content.SURNAMES)]
            email = f"agent{index + 1}@{BENCH_DOMAIN}"
            if not User.objects.filter(email=email).exists():
                agent_create(
                    actor=system,
                    source=Source.IMPORT,
                    email=email,
                    name=surname + content.GIVEN_NAMES[index % len(content.GIVEN_NAMES)],
                    department_ids=[departments[code]],
                )
        if not User.objects.filter(email=BENCH_AGENT_EMAIL).exists():
            agent_create(
                actor=system,
                source=Source.IMPORT,
                email=BENCH_AGENT_EMAIL,
                name="Bench Agent",
                role_key=permissions.ROLE_AGENT,
                department_ids=[departments[c] for c in BENCH_AGENT_DEPARTMENTS],
            )

    agents: dict[int, list[tuple[int, str]]] = {pk: [] for pk in departments.values()}
    for user_id, name, department_id in (
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}", agent__departments__isnull=False)
        .exclude(email=BENCH_AGENT_EMAIL)
        .values_list("id", "name", "agent__departments")
    ):
        agents[department_id].append((user_id, name))

    count_accounts = max(20, min(2_000, options.tickets // 500))
    count_contacts = max(200, min(50_000, options.tickets // 20))
    if not Account.objects.exists():
        Account.objects.bulk_create(
            (
                Account(
                    name=f"{corpus.CITIES[i % 20]}{content.ACCOUNT_NAMES[i % 8]}有限公司 {i + 1:04d}",
                    website=f"https://customer{i + 1}.example.com",
                    industry=content.INDUSTRIES[i % len(content.INDUSTRIES)],
                )
                for i in range(count_accounts)
            ),
            batch_size=1000,
        )
    account_ids = list(Account.objects.order_by("id").values_list("id", flat=True))
    if not Contact.objects.exists():
        contacts: list[Contact] = []
        for i in range(count_contacts):
            english = i % 5 == 0
            if english:
                name = content.ENGLISH_NAMES[i % len(content.ENGLISH_NAMES)]
                email = f"{name.lower().replace(' ', '.')}.{i}@example.com"
            else:
                name = rng.choice(content.SURNAMES) + rng.choice(content.GIVEN_NAMES)
                email = f"customer{i}@example.cn"
            contacts.append(
                Contact(
                    name=name,
                    email=email,
                    language="en" if english else "zh-hans",
                    account_id=account_ids[i % len(account_ids)] if i % 3 else None,
                    phone=f"+86 21 5{i:07d}",
                )
            )
        with transaction.atomic():
            Contact.objects.bulk_create(contacts, batch_size=2000)
            ContactEmail.objects.bulk_create(
                (
                    ContactEmail(contact_id=pk, address=email.lower(), is_primary=True)
                    for pk, email in Contact.objects.values_list("id", "email")
                ),
                batch_size=2000,
            )
    out.write(f"  reference data: {len(departments)} departments, {count_contacts} contacts\n")

    tag_names = sorted({request[1] for request in corpus.REQUESTS} | {DETAIL_TAG})
    Tag.objects.bulk_create([Tag(name=name) for name in tag_names], ignore_conflicts=True)
    return Reference(
        departments=departments,
        agents=agents,
        contacts=list(
            Contact.objects.order_by("id").values_list("id", "account_id", "language", "email", "name")
        ),
        statuses=dict(Status.objects.values_list("name", "id")),
        priorities=[
            (pk, weight)
            for pk, weight in zip(
                Priority.objects.order_by("order").values_list("id", flat=True), (5, 20, 55, 20), strict=False
            )
        ],
        tags=dict(Tag.objects.filter(name__in=tag_names).values_list("name", "id")),
    )


# -- generating tickets --------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Callable[[], Any]:
    values = [value for value, _weight in pairs]
    cumulative: list[int] = []
    total = 0
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)

    def pick() -> Any:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


class Segmenter:
    """``analyse`` per distinct template text, with the order/serial numbers substituted after.

    The marks analyse into known terms (``KF00000000`` → kf00000000, kf, 00000000; ``SN000000`` →
    sn000000, sn, 000000); each is swapped term by term for the real number's.
    """

    def __init__(self) -> None:
        self.cache: dict[str, Analysed] = {}
        self.tags: dict[str, Analysed] = {}

    def segments(self, template: str, values: dict[str, str]) -> tuple[str, Analysed]:
        """Return (text, its analysis) for ``template`` filled with ``values``."""
        text = template.format(**values)
        skeleton = template.format(**{**values, "order": ORDER_MARK, "serial": SERIAL_MARK})
        terms = self.cache.get(skeleton)
        if terms is None:
            terms = self.cache[skeleton] = analyse(skeleton)
        swap: dict[str, str] = {}
        if "{order}" in template:
            order = values["order"].lower()
            swap.update({ORDER_MARK.lower(): order, ORDER_MARK[2:]: order[2:]})
        if "{serial}" in template:
            swap.update({"sn" + SERIAL_MARK: "sn" + values["serial"], SERIAL_MARK: values["serial"]})
        if swap:
            terms = Analysed(
                words=" ".join(swap.get(word, word) for word in terms.words.split()), grams=terms.grams
            )
        return text, terms

    def tag_terms(self, names: list[str]) -> Analysed:
        key = "\n".join(names)
        if key not in self.tags:
            self.tags[key] = analyse(key)
        return self.tags[key]


class Generator:
    """Builds the rows of one batch of tickets; holds the running ids."""

    def __init__(self, rng: random.Random, ref: Reference, options: SeedOptions) -> None:
        self.rng = rng
        self.ref = ref
        self.options = options
        self.segmenter = Segmenter()
        self.now = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
        self.start = self.now - dt.timedelta(days=options.days)
        self.span = (self.now - self.start).total_seconds()
        self.recent_after = self.now - dt.timedelta(days=RECENT_DAYS)
        self.postgres = connection.vendor == "postgresql"
        self.status_recent = _weighted(rng, STATUS_RECENT)
        self.status_old = _weighted(rng, STATUS_OLD)
        self.threads_count = _weighted(rng, THREAD_COUNTS)
        self.priority = _weighted(rng, ref.priorities)
        self.channel = _weighted(rng, demo_channels())
        codes = [code for code in DEPARTMENT_WEIGHTS if code in ref.departments]
        self.requests = {code: [r for r in corpus.REQUESTS if r[0] == code] for code in codes}
        self.department = _weighted(rng, [(code, DEPARTMENT_WEIGHTS[code]) for code in codes])
        self.next_id = {name: _max_id(model) + 1 for name, model in MODELS.items()}
        self.first_number = (
            TicketNumberSequence.objects.filter(pk=1).values_list("last_value", flat=True).first() or 0
        )
        self.verified = 0

    def stamp(self, moment: dt.datetime) -> Any:
        """A datetime as the database column takes it (naive UTC text on SQLite, like Django writes it)."""
        return moment if self.postgres else str(moment.replace(tzinfo=None))

    def take(self, name: str) -> int:
        value = self.next_id[name]
        self.next_id[name] = value + 1
        return value

    def batch(self, start_index: int, count: int) -> dict[str, list[tuple[Any, ...]]]:
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in (*MODELS, "documents")}
        for index in range(start_index, start_index + count):
            self._ticket(index, rows)
        return rows

    def _ticket(self, index: int, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        rng = self.rng
        ticket_id = self.take("ticket")
        number = self.first_number + index + 1
        created = self.start + dt.timedelta(seconds=self.span * (index + rng.random()) / self.options.tickets)
        code = self.department()
        department_id = self.ref.departments[code]
        _code, category, zh_subject, zh_body, en_subject, en_body = rng.choice(self.requests[code])
        contact_id, account_id, language, email, contact_name = rng.choice(self.ref.contacts)
        english = language == "en"
        values = {
            "product": rng.choice(corpus.PRODUCTS),
            "order": f"KF{rng.randint(10**7, 10**8 - 1)}",
            "city": rng.choice(corpus.CITIES_EN if english else corpus.CITIES),
            "serial": str(rng.randint(100000, 999999)),
        }
        subject, subject_words = self.segmenter.segments(en_subject if english else zh_subject, values)
        description, description_words = self.segmenter.segments(en_body if english else zh_body, values)
        texts = [subject, html_to_text(description)] if self.verified < VERIFY_FIRST else []
        words = [description_words]

        detail = (
            self.options.detail_every > 0
            and index % self.options.detail_every == self.options.detail_every // 2
        )
        status = (self.status_recent if created >= self.recent_after else self.status_old)()
        if detail and status == "新建":
            status = "处理中"
        department_agents = self.ref.agents[department_id] or [a for v in self.ref.agents.values() for a in v]
        assignee = rng.choice(department_agents) if status != "新建" or rng.random() < 0.3 else None
        channel = self.channel()
        n_threads = DETAIL_THREADS if detail else (0 if status == "新建" else self.threads_count())

        events = rows["event"]
        system = ("system", None, "system")
        events.append(
            self._event(
                ticket_id,
                created,
                system,
                "created",
                "",
                None,
                json.dumps({"number": number, "subject": subject}),
            )
        )
        if assignee is not None:
            events.append(
                self._event(
                    ticket_id,
                    created,
                    system,
                    "assigned",
                    "assignee",
                    None,
                    json.dumps({"id": assignee[0], "name": assignee[1]}),
                )
            )
        at = created
        first_response: dt.datetime | None = None
        replies = corpus.AGENT_REPLIES_EN if english else corpus.AGENT_REPLIES_ZH
        follow_ups = corpus.FOLLOW_UPS_EN if english else corpus.FOLLOW_UPS_ZH
        for k in range(n_threads):
            at = min(self.now, at + dt.timedelta(minutes=rng.randint(10, 600)))
            thread_id = self.take("thread")
            outbound = k % 2 == 0
            template = rng.choice(replies) if outbound else rng.choice(follow_ups)
            body, body_words = self.segmenter.segments(template, values)
            words.append(body_words)
            if texts:
                texts.append(body)
            author = assignee or rng.choice(department_agents)
            email_channel = channel == "email"
            rows["thread"].append(
                (
                    thread_id,
                    ticket_id,
                    "out" if outbound else "in",
                    channel,
                    author[0] if outbound else None,
                    None if outbound else contact_id,
                    "" if outbound else email,
                    json.dumps([email] if outbound else []),
                    "[]",
                    "[]",
                    subject,
                    text_to_html(body),
                    body,
                    f"<t{ticket_id}.{k}@{BENCH_DOMAIN}>" if email_channel else "",
                    "sent" if outbound and email_channel else "",
                    self.stamp(at),
                )
            )
            actor = (
                ("agent", author[0], author[1])
                if outbound
                else ("contact", contact_id, contact_name or email)
            )
            events.append(
                self._event(
                    ticket_id,
                    at,
                    actor,
                    "replied" if outbound else "received",
                    "threads",
                    None,
                    json.dumps({"id": thread_id}),
                )
            )
            if outbound and first_response is None:
                first_response = at
        if status != "新建" and rng.random() < 0.2:
            comment_id = self.take("comment")
            author = assignee or rng.choice(department_agents)
            note, note_words = self.segmenter.segments(rng.choice(corpus.INTERNAL_NOTES), values)
            words.append(note_words)
            if texts:
                texts.append(note)
            rows["comment"].append(
                (comment_id, ticket_id, author[0], text_to_html(note), note, False, self.stamp(at))
            )
            events.append(
                self._event(
                    ticket_id,
                    at,
                    ("agent", author[0], author[1]),
                    "commented",
                    "comments",
                    None,
                    json.dumps({"id": comment_id, "public": False}),
                )
            )
        closed_at = None
        if status != "新建":
            at = min(self.now, at + dt.timedelta(minutes=rng.randint(1, 120)))
            new_status = {"id": self.ref.statuses[status], "name": status}
            old_status = {"id": self.ref.statuses["新建"], "name": "新建"}
            events.append(
                self._event(
                    ticket_id,
                    at,
                    system,
                    "status_changed",
                    "status",
                    json.dumps(old_status),
                    json.dumps(new_status),
                )
            )
            if status == "已关闭":
                closed_at = at
        tag_names = [category] if rng.random() < 0.5 else []
        if detail:
            tag_names.append(DETAIL_TAG)
        for name in tag_names:
            rows["tag"].append((self.take("tag"), ticket_id, self.ref.tags[name]))

        rows["ticket"].append(
            (
                ticket_id,
                number,
                subject,
                description,
                department_id,
                assignee[0] if assignee else None,
                contact_id,
                account_id,
                self.ref.statuses[status],
                self.priority(),
                channel,
                category,
                values["product"],
                "en" if english else "zh-hans",
                self.stamp(first_response) if first_response else None,
                self.stamp(closed_at) if closed_at else None,
                self.stamp(created),
                self.stamp(at),
            )
        )
        tag_words = self.segmenter.tag_terms(tag_names)
        document = IndexRow(
            id=ticket_id,
            fields={
                "title": subject_words.words,
                "tags": tag_words.words,
                "body": " ".join(part.words for part in words if part.words),
                "title_grams": f"{subject_words.grams} {tag_words.grams}".strip(),
                "body_grams": " ".join(part.grams for part in words if part.grams),
            },
        )
        rows["documents"].append(document)
        if texts:
            expected = index_row(ticket_id, title=texts[0], tags=tag_names, body="\n".join(texts[1:]))
            if expected != document:
                raise RuntimeError(
                    f"bench seeder: fast analysis differs for ticket {ticket_id}:\n{expected}\n{document}"
                )
            self.verified += 1

    def _event(
        self,
        ticket_id: int,
        at: dt.datetime,
        actor: tuple[str, int | None, str],
        action: str,
        field_name: str,
        old: str | None,
        new: str | None,
    ) -> tuple[Any, ...]:
        kind, actor_id, name = actor
        return (
            self.take("event"),
            ticket_id,
            self.stamp(at),
            kind,
            actor_id,
            name[:200],
            Source.IMPORT.value,
            action,
            field_name,
            old,
            new,
        )


def demo_channels() -> list[tuple[str, int]]:
    """The demo's channel mix: mostly email, then portal, phone, chat."""
    from kefu.demo.loader import CHANNEL_WEIGHTS

    return list(CHANNEL_WEIGHTS)


MODELS: dict[str, type[models.Model]] = {
    "ticket": Ticket,
    "thread": Thread,
    "comment": Comment,
    "event": TicketEvent,
    "tag": Ticket.tags.through,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "ticket": (
        "id",
        "number",
        "subject",
        "description",
        "department_id",
        "assignee_id",
        "contact_id",
        "account_id",
        "status_id",
        "priority_id",
        "channel",
        "category",
        "product",
        "language",
        "first_responded_at",
        "closed_at",
        "created_at",
        "updated_at",
    ),
    "thread": (
        "id",
        "ticket_id",
        "direction",
        "channel",
        "author_user_id",
        "author_contact_id",
        "from_address",
        "to",
        "cc",
        "bcc",
        "subject",
        "body_html",
        "body_text",
        "message_id",
        "delivery_status",
        "created_at",
    ),
    "comment": ("id", "ticket_id", "author_id", "body_html", "body_text", "is_public", "created_at"),
    "event": (
        "id",
        "ticket_id",
        "created_at",
        "actor_kind",
        "actor_id",
        "actor_name",
        "source",
        "action",
        "field",
        "old_value",
        "new_value",
    ),
    "tag": ("id", "ticket_id", "tag_id"),
}


def _max_id(model: type[models.Model]) -> int:
    return model.objects.aggregate(top=models.Max("id"))["top"] or 0


# -- the seed ------------------------------------------------------------------------------------------


def seed(options: SeedOptions, *, out: TextIO = sys.stderr) -> SeedReport:
    """Migrate, then fill an empty database with ``options.tickets`` tickets and their history."""
    began = time.monotonic()
    report = SeedReport()
    call_command("migrate", interactive=False, verbosity=0)
    if Ticket.objects.exists():
        raise SystemExit(
            "kefu bench seed: this database already has tickets. Seed a fresh database "
            "(a new PostgreSQL database or another --sqlite-path)."
        )
    rng = random.Random(options.seed)
    ref = _reference_data(rng, options, out)
    report.contacts = len(ref.contacts)
    report.phases["reference"] = round(time.monotonic() - began, 1)

    generator = Generator(rng, ref, options)
    writers = {name: TableWriter(model, COLUMNS[name]) for name, model in MODELS.items()}
    documents = DocumentWriter()
    generate_seconds = write_seconds = 0.0
    for start in range(0, options.tickets, options.batch_size):
        count = min(options.batch_size, options.tickets - start)
        t0 = time.monotonic()
        rows = generator.batch(start, count)
        t1 = time.monotonic()
        with transaction.atomic():
            for name, writer in writers.items():
                writer.write(rows[name])
            documents.write(rows["documents"])
            updated = TicketNumberSequence.objects.filter(pk=1).update(
                last_value=generator.first_number + start + count
            )
            if not updated:
                TicketNumberSequence.objects.create(pk=1, last_value=generator.first_number + start + count)
        generate_seconds += t1 - t0
        write_seconds += time.monotonic() - t1
        report.tickets += count
        report.threads += len(rows["thread"])
        report.comments += len(rows["comment"])
        report.events += len(rows["event"])
        report.tags += len(rows["tag"])
        report.documents += len(rows["documents"])
        done = start + count
        if done % max(options.batch_size, 50_000) < options.batch_size or done == options.tickets:
            elapsed = time.monotonic() - began
            out.write(f"  {done:>9,} tickets  {elapsed:7.0f} s  ({done / max(elapsed, 1e-9):,.0f}/s)\n")
            out.flush()
    report.detail_tickets = len(range(options.detail_every // 2, options.tickets, options.detail_every))
    report.phases["generate"] = round(generate_seconds, 1)
    report.phases["write"] = round(write_seconds, 1)

    t0 = time.monotonic()
    _finish(out)
    report.phases["finish"] = round(time.monotonic() - t0, 1)
    report.seconds = round(time.monotonic() - began, 1)
    return report


def _finish(out: TextIO) -> None:
    """Move the id sequences past the explicit ids; refresh PostgreSQL's statistics as autovacuum would."""
    if connection.vendor == "postgresql":
        statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS.values()))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            out.write("  VACUUM ANALYZE …\n")
            for model in (*MODELS.values(), Contact, ContactEmail, Account):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("VACUUM ANALYZE search_ticket_vector")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def report_json(report: SeedReport) -> dict[str, Any]:
    return asdict(report)
