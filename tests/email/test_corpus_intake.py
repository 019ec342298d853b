"""Every corpus message with an "intake" section goes through message_store + message_process against
the real test database and ends as its JSON file expects: a new ticket, a thread on an existing ticket,
a reopened ticket, a follow-up, a bounce on our reply, a duplicate or a quarantine.

The "intake" section is a list of scenarios. Each may set up ``given`` state first:

- ``ticket``: an email ticket of the message's sender with an outbound reply carrying ``message_id``;
  ``closed_days_ago`` closes it that many days ago (the mailbox reopens within 14 days).

and then expects (every key optional):

- ``state``: the InboundMessage state; ``outcome``: new_ticket | threaded | reopened | follow_up | none;
- ``reason`` (exact), ``is_automated``, ``is_spam``, ``may_auto_reply`` (the mail.ticket_opened event);
- ``attachments``: how many files the thread holds; ``inline``: how many of them are shown inline;
- ``cc``: the ticket's CC contacts; ``delivery_failed``: the error recorded on our reply;
- ``again``: the state of the same bytes ingested a second time.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import MailboxFactory, OutboundThreadFactory
from kefu.contacts.tests.factories import ContactFactory
from kefu.core.event_types import EventType
from kefu.tickets.models import Attachment, Status, Thread, Ticket
from kefu.tickets.tests.factories import TicketFactory

CORPUS = Path(__file__).parent / "corpus"


def _scenarios() -> list[Any]:
    cases = []
    for path in sorted(CORPUS.glob("*.json")):
        for index, scenario in enumerate(json.loads(path.read_text()).get("intake", [])):
            cases.append(pytest.param(path.stem, scenario, id=f"{path.stem}-{index}"))
    return cases


def _given_ticket(spec: dict[str, Any], sender: str, department) -> Ticket:
    contact = ContactFactory(email=sender or "alice@example.com")
    ticket = TicketFactory(contact=contact, department=department, channel="email", subject="Printer offline")
    OutboundThreadFactory(ticket=ticket, message_id=spec["message_id"])
    if "closed_days_ago" in spec:
        closed_at = timezone.now() - dt.timedelta(days=spec["closed_days_ago"])
        Ticket.objects.filter(pk=ticket.pk).update(
            status=Status.objects.get(name="已关闭"), closed_at=closed_at
        )
    return ticket


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "scenario"), _scenarios())
def test_corpus_intake(name, scenario, department, published, django_capture_on_commit_callbacks):
    raw = (CORPUS / f"{name}.eml").read_bytes()
    mailbox = MailboxFactory(address="support@kefu.test", department=department)
    sender = scenario.get("sender", "alice@example.com")
    given = _given_ticket(scenario["given"]["ticket"], sender, department) if "given" in scenario else None
    tickets_before = Ticket.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        stored = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox)
        inbound = message_process(stored.pk)
    expect = scenario["expect"]

    assert bytes(inbound.raw) == raw
    assert inbound.state == expect["state"]
    if "reason" in expect:
        assert inbound.reason == expect["reason"]
    for flag in ("is_automated", "is_spam"):
        if flag in expect:
            assert getattr(inbound, flag) is expect[flag], flag
    outcome = expect.get("outcome")
    if outcome == "new_ticket":
        assert Ticket.objects.count() == tickets_before + 1
        assert inbound.ticket.follow_up_of is None
    elif outcome == "threaded":
        assert inbound.ticket == given
        assert inbound.ticket.status.status_type == "open"
    elif outcome == "reopened":
        assert inbound.ticket == given
        assert Ticket.objects.get(pk=given.pk).closed_at is None
    elif outcome == "follow_up":
        assert inbound.ticket.follow_up_of == given
    elif outcome == "none":
        assert Ticket.objects.count() == tickets_before
    if "may_auto_reply" in expect:
        assert published(EventType.MAIL_TICKET_OPENED) == [
            {
                "inbound_message_id": inbound.pk,
                "mailbox_id": mailbox.pk,
                "ticket_id": inbound.ticket.pk,
                "may_auto_reply": expect["may_auto_reply"],
            }
        ]
    if "attachments" in expect:
        files = Attachment.objects.filter(thread=inbound.thread)
        assert files.count() == expect["attachments"]
        if "inline" in expect:
            assert files.filter(is_inline=True).count() == expect["inline"]
    if "cc" in expect:
        assert sorted(inbound.ticket.cc_contacts.values_list("email", flat=True)) == expect["cc"]
    if "delivery_failed" in expect:
        reply = Thread.objects.get(ticket=given, direction=Thread.Direction.OUTBOUND)
        assert (reply.delivery_status, reply.delivery_error) == ("failed", expect["delivery_failed"])
        assert inbound.thread == reply
    if "again" in expect:
        with django_capture_on_commit_callbacks(execute=True):
            second = message_process(
                message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox).pk
            )
        assert second.state == expect["again"]
        assert second.ticket == inbound.ticket
