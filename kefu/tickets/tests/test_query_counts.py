"""The hot write paths cost a fixed, small number of queries once the catalogue is cached.

Creating a ticket (service and API) and adding a message are what the API and email intake do most; the
counts below are the budget. A change that adds a query here should say why.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.contacts.tests.factories import ContactFactory
from kefu.core import catalog_cache
from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create, ticket_receive


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The statements that reach the database, without the test's own savepoints."""
    return [
        query["sql"].split()[0] + " " + query["sql"].split('"')[1] if '"' in query["sql"] else query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.fixture
def contact(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn")


@pytest.fixture
def set_up(department, contact, agent):
    """The fixtures' rows count as committed: a transaction that changed the catalogue caches nothing."""
    catalog_cache.forget()


def _create(department, contact, **overrides) -> Ticket:
    values = {
        "subject": "打印机无法连接网络",
        "description": "按照说明书操作后仍然连不上。",
        "department_id": department.pk,
        "contact": ContactRef(contact_id=contact.pk),
        "priority": "高",
    }
    values.update(overrides)
    return ticket_create(actor=Actor.system(), source=Source.API, data=TicketCreateInput(**values))


@pytest.mark.django_db
def test_creating_a_ticket(department, contact, set_up):
    _create(department, contact)  # fills the catalogue cache
    with CaptureQueriesContext(connection) as captured:
        _create(department, contact)
    assert _statements(captured) == [
        "SELECT contacts_contact",
        "UPDATE tickets_ticketnumbersequence",
        "INSERT tickets_ticket",
        "INSERT tickets_thread",  # the customer's first message
        "INSERT tickets_ticketevent",  # one row: the created state
        "INSERT core_auditentry",
        "INSERT core_outboxevent",  # the published event, in the same transaction
    ]


@pytest.mark.django_db
def test_receiving_a_message(create_ticket, set_up):
    ticket = create_ticket()
    with CaptureQueriesContext(connection) as captured:
        ticket_receive(
            actor=Actor.contact(ticket.contact),
            source=Source.EMAIL,
            ticket=ticket,
            data=MessageInput(body="还是连不上", channel="email"),
        )
    lock = ["SELECT tickets_ticket"] if connection.vendor == "postgresql" else []  # FOR UPDATE, no joins
    assert _statements(captured) == [
        *lock,  # SQLite: the transaction itself holds the database's write lock
        "SELECT tickets_ticket",  # the current row: open or closed?
        "INSERT tickets_thread",
        "UPDATE tickets_ticket",
        "INSERT tickets_ticketevent",
        "INSERT core_auditentry",
        "INSERT core_outboxevent",
    ]


@pytest.mark.django_db
def test_creating_a_ticket_through_the_api(api, department, contact, set_up):
    payload = {
        "subject": "打印机无法连接网络",
        "description": "按照说明书操作后仍然连不上。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    assert (
        api.post_json("/api/v1/tickets", payload).status_code == 201
    )  # the key's first use; the cache fills
    with CaptureQueriesContext(connection) as captured:
        response = api.post_json("/api/v1/tickets", payload)
    assert response.status_code == 201
    assert response.json()["status"] == Ticket.objects.get(pk=response.json()["id"]).status.name
    assert _statements(captured) == [
        # The key, its user and their access come from the per-process cache: only its version is read.
        "SELECT core_catalogversion",  # once per request
        "SELECT contacts_contact",
        "UPDATE tickets_ticketnumbersequence",
        "INSERT tickets_ticket",
        "INSERT tickets_thread",
        "INSERT tickets_ticketevent",
        "INSERT core_auditentry",
        "INSERT core_outboxevent",
        "SELECT core_tag",  # the answer's tags; the ticket itself is answered from memory
    ]
