"""The full-text index table, in the form each database vendor needs.

Neither form references the tickets table: the index is derived data that ``kefu search reindex``
rebuilds, and a foreign key would stop Django's test flush from truncating tickets on PostgreSQL.
"""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE search_ticket_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_REVERSE = "DROP TABLE IF EXISTS search_ticket_fts"
POSTGRES_FORWARD = [
    "CREATE TABLE search_ticket_document ( ticket_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_ticket_document_gin ON search_ticket_document USING gin (document)",
]
POSTGRES_REVERSE = ["DROP TABLE IF EXISTS search_ticket_document"]


def create_index(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else [SQLITE_FORWARD]
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else [SQLITE_REVERSE]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
