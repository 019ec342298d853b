"""The one write path for tickets. Every channel, rule and job changes tickets through these functions."""

from kefu.tickets.services.attachments import attachment_add
from kefu.tickets.services.conversation import ticket_comment, ticket_receive, ticket_reply
from kefu.tickets.services.create import ticket_create
from kefu.tickets.services.followers import ticket_follow
from kefu.tickets.services.tags import ticket_tag
from kefu.tickets.services.update import ticket_assign, ticket_delete, ticket_set_status, ticket_update

__all__ = [
    "attachment_add",
    "ticket_assign",
    "ticket_comment",
    "ticket_create",
    "ticket_delete",
    "ticket_follow",
    "ticket_receive",
    "ticket_reply",
    "ticket_set_status",
    "ticket_tag",
    "ticket_update",
]
