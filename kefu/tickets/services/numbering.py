"""Allocating ticket numbers."""

from __future__ import annotations

from django.db import connection

from kefu.tickets.models import TicketNumberSequence


def next_ticket_number() -> int:
    """Take the next number inside the caller's transaction (see ``TicketNumberSequence``).

    One ``UPDATE … RETURNING`` both locks the counter row until commit and reads the new value, so the
    hot path of ticket creation pays a single round trip for it.
    """
    table = connection.ops.quote_name(TicketNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value")
        row = cursor.fetchone()
    if row is None:
        TicketNumberSequence.objects.create(pk=1, last_value=1)
        return 1
    return int(row[0])
