"""Ticket events get change-set ids and speak the one event vocabulary (``core.event_types.EventType``).

Rows written before this migration used per-field action words; they are renamed to the event type of
the change they belonged to, and tag changes become lists (before → after), as new rows record them.
"""

from django.db import migrations, models

_RENAMED = {
    "created": "ticket.created",
    "assigned": "ticket.updated",
    "status_changed": "ticket.updated",
    "updated": "ticket.updated",
    "cc_added": "ticket.updated",
    "cc_removed": "ticket.updated",
    "replied": "ticket.replied",
    "received": "ticket.message_received",
    "commented": "ticket.commented",
    "attachment_added": "ticket.attachment_added",
    "followed": "ticket.followed",
    "deleted": "ticket.deleted",
    "delivery_sent": "ticket.delivery_updated",
    "delivery_failed": "ticket.delivery_updated",
}
_BATCH = 2000


def _forward(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    for old, new in _RENAMED.items():
        TicketEvent.objects.filter(action=old).update(action=new)
    TicketEvent.objects.filter(action="follow_up").update(action="ticket.created", field="follow_up_of")
    for word, old_side in (("tagged", False), ("untagged", True)):
        while True:
            rows = list(TicketEvent.objects.filter(action=word)[:_BATCH])
            if not rows:
                break
            for row in rows:
                name = row.old_value if old_side else row.new_value
                row.action, row.field = "ticket.updated", "tags"
                row.old_value, row.new_value = ([name], []) if old_side else ([], [name])
            TicketEvent.objects.bulk_update(rows, ["action", "field", "old_value", "new_value"])
    while True:
        rows = list(TicketEvent.objects.filter(action="unfollowed")[:_BATCH])
        if not rows:
            break
        for row in rows:
            row.action, row.old_value, row.new_value = "ticket.followed", row.new_value, None
        TicketEvent.objects.bulk_update(rows, ["action", "old_value", "new_value"])


def _backward(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    TicketEvent.objects.filter(action="ticket.created", field="follow_up_of").update(action="follow_up")
    for new, old in (
        ("ticket.created", "created"),
        ("ticket.replied", "replied"),
        ("ticket.message_received", "received"),
        ("ticket.commented", "commented"),
        ("ticket.attachment_added", "attachment_added"),
        ("ticket.deleted", "deleted"),
        ("ticket.delivery_updated", "delivery_sent"),
        ("ticket.followed", "followed"),
        ("ticket.updated", "updated"),
    ):
        TicketEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_ticket_presence"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketevent",
            name="caused_by",
            field=models.CharField(
                blank=True, help_text="The change-set whose rules made this change.", max_length=32
            ),
        ),
        migrations.AddField(
            model_name="ticketevent",
            name="change_set",
            field=models.CharField(
                blank=True, help_text="The rows one service call wrote share this id.", max_length=32
            ),
        ),
        migrations.RunPython(_forward, _backward),
    ]
