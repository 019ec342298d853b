"""Which ticket an incoming message belongs to.

Rules, in order:

1. Headers: the In-Reply-To and References of the message against every Message-ID we know — the
   threads of tickets (inbound and outbound, ``Thread.message_id``) and every raw message we imported
   (``InboundMessage.message_id``). The most recent reference wins (In-Reply-To, then References from
   the last to the first).
2. The ticket tag ``[<prefix><number>]`` in the subject (the prefix is
   ``HelpdeskSettings.ticket_number_prefix``; ``[#<number>]`` is always understood). A subject is
   easy to forge, so the tag counts only when the sender is the ticket's contact or one of its CC
   contacts.
3. Otherwise the message starts a new ticket.

A trashed ticket is never a match. Message-IDs are stored without angle brackets; a stored value that
kept its brackets is matched too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Value

from kefu.channels.email.models import InboundMessage
from kefu.channels.email.parse.message import ParsedMessage
from kefu.contacts.models import Contact
from kefu.org.selectors import helpdesk_settings
from kefu.tickets.selectors import (
    ticket_after_merges,
    ticket_by_display_number,
    ticket_by_number,
    ticket_from_row,
    untrashed_threads_with_message_ids,
)

if TYPE_CHECKING:
    from kefu.tickets.models import Ticket

MAX_REFERENCES = 100
_TAG = re.compile(r"\[([^\[\]\d\s]{0,16})(\d{1,18})\]")
_DISPLAY_TAG = re.compile(r"\[([^\[\]\s]{1,80})\]")


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    by: str  # "headers" or "subject_tag"


def referenced_message_ids(parsed: ParsedMessage) -> list[str]:
    """The Message-IDs this message answers, most recent first, without duplicates."""
    ids = [*parsed.in_reply_to, *reversed(parsed.references)]
    cleaned = (value.strip().strip("<>").strip() for value in ids)
    return list(dict.fromkeys(value for value in cleaned if value))[:MAX_REFERENCES]


_MATCH_COLUMNS = ("id", "contact_id", "account_id", "deleted_at", "merged_into_id")


def _matched_ticket(values: tuple[object, ...]) -> Ticket:
    """The matched ticket with the columns the intake needs (who may write to it); the tickets service
    reads it again, locked, so reading it whole here would be a wasted statement. Any other column
    is loaded on first use, as with ``only()``."""
    return ticket_from_row(_MATCH_COLUMNS, values)


def ticket_by_message_ids(message_ids: list[str]) -> Ticket | None:
    if not message_ids:
        return None
    wanted = message_ids + [f"<{value}>" for value in message_ids]
    columns = [f"ticket__{column}" for column in _MATCH_COLUMNS]
    # One statement for both tables and their tickets; a thread's Message-ID wins over a raw
    # message's (kind 0 before 1). A trashed ticket is never a match.
    threads = (
        untrashed_threads_with_message_ids(wanted)
        .annotate(kind=Value(0))
        .values_list("kind", "message_id", *columns)
    )
    raw_messages = (
        InboundMessage.objects.filter(
            message_id__in=wanted, ticket__isnull=False, ticket__deleted_at__isnull=True
        )
        .annotate(kind=Value(1))
        .values_list("kind", "message_id", *columns)
    )
    owner: dict[str, tuple[object, ...]] = {}
    for row in sorted(threads.union(raw_messages, all=True), key=lambda row: row[0]):
        owner.setdefault(row[1].strip("<>"), row[2:])
    for message_id in message_ids:
        if message_id in owner:
            return _matched_ticket(owner[message_id])
    return None


def subject_ticket_numbers(subject: str, prefix: str) -> list[int]:
    prefixes = {prefix, "#"}
    return [int(number) for tag_prefix, number in _TAG.findall(subject) if tag_prefix in prefixes]


def subject_display_numbers(subject: str, prefix: str) -> list[str]:
    """The display numbers tagged in ``subject`` (``[#AS-20261122-00042]``), without the prefix or ``#``."""
    found = []
    for tag in _DISPLAY_TAG.findall(subject):
        for tag_prefix in sorted({prefix, "#"} - {""}, key=len, reverse=True):
            if tag.startswith(tag_prefix):
                found.append(tag[len(tag_prefix) :])
                break
    return [shown for shown in found if shown]


def ticket_by_subject_tag(subject: str, prefix: str, sender: Contact) -> Ticket | None:
    """The tagged ticket the sender may write to: by display number first (whatever the number format
    was when the ticket was created), then by the plain number of an older tag (``[#42]``)."""
    candidates = [ticket_by_display_number(shown) for shown in subject_display_numbers(subject, prefix)]
    candidates += [ticket_by_number(number) for number in subject_ticket_numbers(subject, prefix)]
    for ticket in candidates:
        if ticket is not None and (
            ticket.contact_id == sender.pk or ticket.cc_contacts.filter(pk=sender.pk).exists()
        ):
            return ticket
    return None


def find_ticket(parsed: ParsedMessage, *, sender: Contact) -> Match | None:
    """The ticket ``parsed`` continues, by headers first and the subject tag second, or ``None``.

    A merged ticket's message continues the ticket it was merged into.
    """
    ticket = ticket_by_message_ids(referenced_message_ids(parsed))
    if ticket is not None:
        return Match(ticket_after_merges(ticket), "headers")
    if "[" not in parsed.subject:
        return None
    ticket = ticket_by_subject_tag(parsed.subject, helpdesk_settings().ticket_number_prefix, sender)
    if ticket is not None:
        return Match(ticket_after_merges(ticket), "subject_tag")
    return None
