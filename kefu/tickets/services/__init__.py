"""The one write path for tickets. Every channel, rule and job changes tickets through these functions."""

from kefu.tickets.models import Thread
from kefu.tickets.services.attachments import attachment_add
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.bulk import ticket_bulk_update
from kefu.tickets.services.catalog import (
    priority_create,
    priority_update,
    status_create,
    status_update,
    ticket_type_create,
    ticket_type_update,
)
from kefu.tickets.services.cc import MAX_CC_CONTACTS, ticket_cc_add
from kefu.tickets.services.contact_change import tickets_reassign_contact
from kefu.tickets.services.conversation import ticket_comment, ticket_receive, ticket_reply
from kefu.tickets.services.create import ticket_create
from kefu.tickets.services.delivery import thread_delivery_update, thread_message_id_assign
from kefu.tickets.services.fields import MAX_BODY, MAX_SUBJECT
from kefu.tickets.services.followers import ticket_follow
from kefu.tickets.services.merge import UNDO_WINDOW, ticket_merge, ticket_merge_undo, undoable_merges
from kefu.tickets.services.messages import MAX_RECIPIENTS
from kefu.tickets.services.presence import ticket_presence_beat, ticket_presence_leave
from kefu.tickets.services.reading import ticket_mark_read
from kefu.tickets.services.saved_views import saved_view_create, saved_view_delete, saved_view_update
from kefu.tickets.services.schedule import MAX_SCHEDULE_AHEAD
from kefu.tickets.services.scheduled_replies import (
    scheduled_replies_send_due,
    scheduled_reply_cancel,
    scheduled_reply_send,
    scheduled_reply_update,
)
from kefu.tickets.services.split import ticket_split
from kefu.tickets.services.tags import ticket_tag
from kefu.tickets.services.trash import (
    TRASH_RETENTION,
    purge_date,
    ticket_mark_spam,
    ticket_purge,
    ticket_restore,
    tickets_purge_trash,
)
from kefu.tickets.services.update import ticket_assign, ticket_delete, ticket_set_status, ticket_update

# Values channels compare and write: a thread's delivery state and its direction.
ThreadDelivery = Thread.Delivery
ThreadDirection = Thread.Direction

__all__ = [
    "MAX_BODY",
    "MAX_CC_CONTACTS",
    "MAX_RECIPIENTS",
    "MAX_SCHEDULE_AHEAD",
    "MAX_SUBJECT",
    "TRASH_RETENTION",
    "UNDO_WINDOW",
    "ThreadDelivery",
    "ThreadDirection",
    "attachment_add",
    "authorize",
    "priority_create",
    "priority_update",
    "purge_date",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_update",
    "scheduled_replies_send_due",
    "scheduled_reply_cancel",
    "scheduled_reply_send",
    "scheduled_reply_update",
    "status_create",
    "status_update",
    "thread_delivery_update",
    "thread_message_id_assign",
    "ticket_assign",
    "ticket_bulk_update",
    "ticket_cc_add",
    "ticket_comment",
    "ticket_create",
    "ticket_delete",
    "ticket_follow",
    "ticket_mark_read",
    "ticket_mark_spam",
    "ticket_merge",
    "ticket_merge_undo",
    "ticket_presence_beat",
    "ticket_presence_leave",
    "ticket_purge",
    "ticket_receive",
    "ticket_reply",
    "ticket_restore",
    "ticket_set_status",
    "ticket_split",
    "ticket_tag",
    "ticket_type_create",
    "ticket_type_update",
    "ticket_update",
    "tickets_purge_trash",
    "tickets_reassign_contact",
    "undoable_merges",
]
