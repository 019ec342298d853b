"""Full-text tables with one column (SQLite) or weight label (PostgreSQL) per field, for documents and
tickets, and the ticket index rebuilt in that form.

Each index holds the terms of ``kefu.search.analysis`` in five fields (title, tags, body and the Chinese
bigrams of title and body), so that a subject word outranks a body word. The old single-column ticket
tables are dropped and the tickets re-indexed here, in batches; ``kefu search reindex`` does the same
whenever the analyser changes later. Like 0001, no table references tickets (derived data, and Django's
test flush must be able to truncate tickets on PostgreSQL).
"""

from django.db import migrations

FIELDS = "title, tags, body, title_grams, body_grams"
SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS search_ticket_fts",
    *(
        statement
        for index in ("ticket", "document")
        for statement in (
            f"CREATE VIRTUAL TABLE search_{index}_fts USING fts5({FIELDS}, "
            "tokenize = 'unicode61 remove_diacritics 0')",
            f"CREATE VIRTUAL TABLE search_{index}_fts_vocab USING fts5vocab(search_{index}_fts, 'col')",
        )
    ),
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS search_document_fts_vocab",
    "DROP TABLE IF EXISTS search_document_fts",
    "DROP TABLE IF EXISTS search_ticket_fts_vocab",
    "DROP TABLE IF EXISTS search_ticket_fts",
    "CREATE VIRTUAL TABLE search_ticket_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
]
POSTGRES_FORWARD = [
    "DROP TABLE IF EXISTS search_ticket_document",
    *(
        statement
        for index in ("ticket", "document")
        for statement in (
            f"CREATE TABLE search_{index}_vector (id bigint PRIMARY KEY, vector tsvector NOT NULL)",
            f"CREATE INDEX search_{index}_vector_gin ON search_{index}_vector USING gin (vector)",
            # See 0002: without a high statistics target, rare words make the planner walk the table.
            f"ALTER TABLE search_{index}_vector ALTER COLUMN vector SET STATISTICS 1000",
        )
    ),
    "CREATE TABLE search_vocabulary (index_name varchar(40), term text, PRIMARY KEY (index_name, term))",
]
POSTGRES_REVERSE = [
    "DROP TABLE IF EXISTS search_vocabulary",
    "DROP TABLE IF EXISTS search_document_vector",
    "DROP TABLE IF EXISTS search_ticket_vector",
    "CREATE TABLE search_ticket_document ( ticket_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_ticket_document_gin ON search_ticket_document USING gin (document)",
]
BATCH = 1000


def create_tables(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_FORWARD if postgres else SQLITE_FORWARD:
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_REVERSE if postgres else SQLITE_REVERSE:
        schema_editor.execute(statement)


def reindex_tickets(apps, schema_editor):
    from kefu.search.indexing import ticket_rows_from
    from kefu.search.backends import backend

    Ticket = apps.get_model("tickets", "Ticket")
    Thread = apps.get_model("tickets", "Thread")
    Comment = apps.get_model("tickets", "Comment")
    last = 0
    while True:
        tickets = list(
            Ticket.objects.filter(pk__gt=last, deleted_at__isnull=True)
            .order_by("pk")
            .prefetch_related("tags")[:BATCH]
        )
        if not tickets:
            return
        ids = [ticket.pk for ticket in tickets]
        bodies: dict[int, list[str]] = {pk: [] for pk in ids}
        for pk, body in Thread.objects.filter(ticket_id__in=ids).values_list("ticket_id", "body_text"):
            bodies[pk].append(body)
        for pk, body in Comment.objects.filter(ticket_id__in=ids).values_list("ticket_id", "body_text"):
            bodies[pk].append(body)
        backend().store("ticket", ticket_rows_from(tickets, bodies))
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_document"), ("tickets", "0007_ticket_types")]
    operations = [
        migrations.RunPython(create_tables, drop_tables),
        migrations.RunPython(reindex_tickets, migrations.RunPython.noop),
    ]
