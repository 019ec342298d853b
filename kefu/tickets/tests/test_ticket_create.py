import datetime as dt

import pytest
from django.utils import timezone

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.services import ticket_create


def _input(department, **overrides):
    values = {
        "subject": "退款申请",
        "description": "订单已取消，请退款。",
        "department_id": department.pk,
        "contact": ContactRef(email="Li.Lei@Example.CN", name="李雷"),
    }
    values.update(overrides)
    return TicketCreateInput(**values)


@pytest.mark.django_db
def test_create_numbers_the_ticket_logs_it_and_publishes_after_commit(
    agent, department, django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks() as callbacks:
        ticket = ticket_create(actor=Actor.agent(agent.user), source=Source.API, data=_input(department))

    assert ticket.number == 1
    assert (ticket.status.name, ticket.priority.name, ticket.channel) == ("新建", "中", "web")
    assert ticket.contact.email == "li.lei@example.cn"
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.field, event.actor_kind, event.actor_id, event.source) == (
        "ticket.created",
        "",
        "agent",
        agent.user.pk,
        "api",
    )
    assert (event.new_value["number"], event.new_value["subject"]) == (1, "退款申请")
    assert event.new_value["first_message"] == ticket.threads.get().pk
    assert event.caused_by == ""
    audit = AuditEntry.objects.get(object_type="tickets.ticket", object_id=ticket.pk)
    assert audit.action == "ticket.created"
    [payload] = published(EventType.TICKET_CREATED)
    assert (payload["ticket_id"], payload["change_set"], payload["actor"]) == (
        ticket.pk,
        event.change_set,
        {"kind": "agent", "id": agent.user.pk},
    )
    # The same fields (PostgreSQL's jsonb keeps a dictionary's keys in an order of its own).
    assert sorted(change["field"] for change in payload["changes"]) == sorted(event.new_value)
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_numbers_are_sequential_and_not_reused_after_deletion(create_ticket):
    first, second = create_ticket(), create_ticket()
    Ticket.objects.filter(pk=second.pk).delete()
    third = create_ticket()
    assert [first.number, second.number, third.number] == [1, 2, 3]


@pytest.mark.django_db
def test_a_failed_creation_does_not_consume_a_number(create_ticket, department):
    create_ticket()
    with pytest.raises(ValidationFailed):
        create_ticket(priority="no-such-priority")
    assert create_ticket().number == 2


@pytest.mark.django_db
def test_a_known_address_is_matched_whatever_its_case(department, create_ticket):
    contact = ContactFactory(email="wang.fang@example.cn")
    ticket = create_ticket(contact=ContactRef(email="WANG.Fang@Example.CN"))
    assert ticket.contact == contact
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_the_ticket_inherits_the_contacts_account(create_ticket):
    account = AccountFactory()
    contact = ContactFactory(account=account)
    assert create_ticket(contact=ContactRef(contact_id=contact.pk)).account == account


@pytest.mark.django_db
def test_every_invalid_field_is_reported_at_once(agent, department):
    data = _input(department, subject="   ", channel="fax", priority="nope", status="nope", language="fr")
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_create(actor=Actor.agent(agent.user), source=Source.API, data=data)
    assert set(excinfo.value.fields) == {"subject", "channel", "priority", "status", "language"}
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_an_agent_cannot_create_in_a_department_he_does_not_work_in(agent, other_department):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_create(actor=Actor.agent(agent.user), source=Source.API, data=_input(other_department))
    assert set(excinfo.value.fields) == {"department_id"}
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_a_light_agent_cannot_create_tickets(light_agent, department):
    with pytest.raises(PermissionDenied):
        ticket_create(actor=Actor.agent(light_agent.user), source=Source.API, data=_input(department))
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_the_assignee_must_work_in_the_department(create_ticket, other_agent, agent):
    with pytest.raises(ValidationFailed) as excinfo:
        create_ticket(assignee_id=other_agent.user.pk)
    assert excinfo.value.fields == {"assignee_id": "The agent does not work in the ticket's department."}

    ticket = create_ticket(assignee_id=agent.user.pk)
    assert ticket.assignee == agent.user
    # The assignee is part of the created state: no separate assignment event.
    event = ticket.events.get()
    assert (event.action, event.new_value["assignee"]) == (
        "ticket.created",
        {"id": agent.user.pk, "name": agent.user.name},
    )


@pytest.mark.django_db
def test_creating_closed_sets_closed_at(create_ticket):
    ticket = create_ticket(status="Closed")
    assert ticket.status.status_type == "closed"
    assert ticket.closed_at == ticket.created_at


@pytest.mark.django_db
def test_only_imports_may_backdate(agent, department):
    past = timezone.now() - dt.timedelta(days=30)
    imported = ticket_create(
        actor=Actor.system(), source=Source.IMPORT, data=_input(department, created_at=past)
    )
    live = ticket_create(
        actor=Actor.agent(agent.user), source=Source.API, data=_input(department, created_at=past)
    )
    assert imported.created_at == past
    assert live.created_at > past + dt.timedelta(days=29)


@pytest.mark.django_db
def test_without_a_default_status_creation_explains_itself(department, create_ticket):
    from kefu.tickets.models import Status

    Status.objects.update(is_default=False)
    with pytest.raises(ValidationFailed) as excinfo:
        create_ticket()
    assert excinfo.value.fields == {"status": "No default status is configured."}


@pytest.mark.django_db
def test_html_descriptions_are_sanitised(create_ticket):
    ticket = create_ticket(description='<p onclick="x()">你好<script>alert(1)</script></p>')
    assert ticket.description == "<p>你好</p>"


@pytest.mark.django_db
def test_tags_are_deduplicated_case_insensitively(create_ticket):
    ticket = create_ticket(tags=["VIP", "vip", " 打印机 ", ""])
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["VIP", "打印机"]


@pytest.mark.django_db
def test_a_supervisor_of_two_departments_may_create_in_either(department, other_department):
    supervisor = AgentFactory(role_key="supervisor", departments=[department, other_department])
    ticket = ticket_create(
        actor=Actor.agent(supervisor.user), source=Source.WEB, data=_input(other_department)
    )
    assert ticket.department == other_department


@pytest.mark.django_db
@pytest.mark.parametrize("description", ["", "   ", "<p> </p>"])
def test_a_ticket_without_the_customers_message_is_refused_naming_description(agent, department, description):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_create(
            actor=Actor.agent(agent.user), source=Source.API, data=_input(department, description=description)
        )
    assert excinfo.value.fields == {"description": "Write the customer's message."}
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == (0, 0)
