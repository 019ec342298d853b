"""PostgreSQL: keep ten times more word statistics for the full-text documents.

With the default statistics target the planner knows only the ~1,000 most common words; any other word
(an order number, a name, most real search terms) is assumed to match half as often as the rarest word
it knows, 0.25 % of all tickets in the benchmark help desk. For a
``q`` search sorted by creation time it then walks the newest tickets one by one, expecting a match
soon, and on a million tickets a word that occurs once (or never) costs seconds. With the target at 1000
the assumed share of an unknown word falls below the cost crossover, and the planner takes the GIN index
first (milliseconds). Measured in BENCHMARKS.md. ANALYZE samples 300,000 documents instead of 30,000.
SQLite's FTS5 needs nothing.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_ticket_document ALTER COLUMN document SET STATISTICS 1000",
    "ANALYZE search_ticket_document",
]
REVERSE = ["ALTER TABLE search_ticket_document ALTER COLUMN document SET STATISTICS -1"]


def raise_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_ticket_full_text_index")]
    operations = [migrations.RunPython(raise_statistics, default_statistics)]
