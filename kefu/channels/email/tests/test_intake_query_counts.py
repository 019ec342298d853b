"""How many SQL statements processing one message costs: the intake is the hot path of a busy mailbox.

The counts are pinned so that a change adding a query per message shows up here, not in production.
They cover ``message_process`` only (``message_store`` is one INSERT) and include the savepoints the
test's own transaction turns atomic blocks into; PostgreSQL adds the advisory lock on the Message-ID.
"""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.mails import raw_mail
from kefu.core import catalog_cache

pytestmark = pytest.mark.django_db

# Since the transactional outbox (issue 8): a new ticket writes two outbox rows (ticket.created and
# mail.ticket_opened); a reply writes one, and on PostgreSQL the tickets service locks the ticket's row
# (SELECT … FOR UPDATE) before reading it. The reply's ticket is found with the Message-ID lookup itself.
# Since automation (issue 9): the rule runners (workflow rules, assignment rules, SLA timers) cost no
# statement while none of them wants the change (their rules come from the per-process catalogue cache):
# a runner that wants one runs in a savepoint of its own. Since spam (issue 14): a new ticket asks whether
# the sender's earlier tickets were marked as spam.
NEW_TICKET = {"sqlite": 19, "postgresql": 20}
REPLY = {"sqlite": 13, "postgresql": 15}


def _process(raw: bytes, mailbox, capture) -> tuple[InboundMessage, list[str]]:
    inbound = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox)
    with capture(), CaptureQueriesContext(connection) as queries:
        processed = message_process(inbound.pk)
    return processed, [query["sql"] for query in queries.captured_queries]


def test_a_new_ticket_and_a_threaded_reply_cost_a_pinned_number_of_statements(
    mailbox, django_capture_on_commit_callbacks, monkeypatch
):
    # The fixtures changed the catalogue inside the test's transaction, which turns the per-process caches
    # off until it ends; nothing changes it from here on, so let them fill as they do in production.
    # The version is re-read every RECHECK_SECONDS: slow after-commit work must not add that read here.
    catalog_cache.forget()
    monkeypatch.setattr(catalog_cache, "RECHECK_SECONDS", math.inf)
    _process(
        raw_mail(sender="wang@example.cn", message_id="<w@example.cn>"),
        mailbox,
        django_capture_on_commit_callbacks,
    )
    opened, statements = _process(raw_mail(), mailbox, django_capture_on_commit_callbacks)
    assert opened.state == InboundMessage.State.IMPORTED
    assert len(statements) == NEW_TICKET[connection.vendor], "\n".join(statements)

    reply = raw_mail(
        message_id="<m2@example.cn>", in_reply_to="<m1@example.cn>", references="<m1@example.cn>"
    )
    answered, statements = _process(reply, mailbox, django_capture_on_commit_callbacks)
    assert answered.state == InboundMessage.State.IMPORTED
    assert answered.ticket_id == opened.ticket_id
    assert len(statements) == REPLY[connection.vendor], "\n".join(statements)
