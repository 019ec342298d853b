"""Every kind of domain event, in one vocabulary.

The same values name the events services publish, the events consumers register for, and the
``action`` of each row in a ticket's event log, so that the timeline, the rules and the outbox can never
disagree about what happened. ``core`` owns the list because the outbox (a core concern) carries them;
the apps that publish them own their meaning.
"""

from __future__ import annotations

import enum


class EventType(enum.StrEnum):
    # One change-set to a ticket; the payload lists the fields changed with their old and new values.
    TICKET_CREATED = "ticket.created"
    TICKET_UPDATED = "ticket.updated"
    TICKET_REPLIED = "ticket.replied"
    TICKET_MESSAGE_RECEIVED = "ticket.message_received"
    TICKET_COMMENTED = "ticket.commented"
    TICKET_ATTACHMENT_ADDED = "ticket.attachment_added"
    TICKET_FOLLOWED = "ticket.followed"
    TICKET_DELIVERY_UPDATED = "ticket.delivery_updated"
    TICKET_DELETED = "ticket.deleted"
    # Spam / not spam, a trashed ticket restored, and one purged for good (30 days in the trash).
    TICKET_SPAM_MARKED = "ticket.spam_marked"
    TICKET_RESTORED = "ticket.restored"
    TICKET_PURGED = "ticket.purged"
    # Merging (on the merged ticket and on the target), its undo, and a message split into a new ticket.
    TICKET_MERGED = "ticket.merged"
    TICKET_MERGE_UNDONE = "ticket.merge_undone"
    TICKET_SPLIT = "ticket.split"
    # SLAs: a target's due date passed unmet; an escalation level of a policy fired.
    TICKET_SLA_BREACHED = "ticket.sla_breached"
    TICKET_SLA_ESCALATED = "ticket.sla_escalated"
    # Other domains.
    CONTACT_MERGED = "contact.merged"
    AGENT_INVITED = "agent.invited"
    MAIL_TICKET_OPENED = "mail.ticket_opened"
    # Knowledge base: an article's indexed content or visibility changed, or it was deleted.
    KB_ARTICLE_CHANGED = "kb.article_changed"
    KB_ARTICLE_DELETED = "kb.article_deleted"
    # Help center: an email to a customer (verify the address, set a password, reset it).
    PORTAL_CUSTOMER_EMAIL = "portal.customer_email"
    # Tasks (on a ticket or on their own): reminders subscribe to these once notifications exist.
    TASK_CREATED = "task.created"
    TASK_UPDATED = "task.updated"
    TASK_COMPLETED = "task.completed"
    TASK_REOPENED = "task.reopened"
    TASK_DELETED = "task.deleted"


TICKET_EVENTS = frozenset(member for member in EventType if member.value.startswith("ticket."))
