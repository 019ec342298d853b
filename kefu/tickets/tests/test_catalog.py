"""Statuses and priorities as administrators edit them: exactly one default, validation, audit."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.tickets.models import Priority, Status, Ticket
from kefu.tickets.services import (
    priority_create,
    priority_update,
    status_create,
    status_update,
    ticket_set_status,
)
from kefu.tickets.services.catalog import status_usage_count
from kefu.tickets.tests.factories import TicketEventFactory

WEB = Source.WEB


def defaults(model):
    return list(model.objects.filter(is_default=True).values_list("name", flat=True))


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


@pytest.mark.django_db
def test_status_create_is_audited(admin):
    status = status_create(
        actor=admin,
        source=WEB,
        name=" 待客户回复 ",
        name_en="Waiting on customer",
        status_type="on_hold",
        order=5,
    )
    assert (
        status.name,
        status.name_en,
        status.status_type,
        status.order,
        status.is_default,
        status.is_active,
    ) == (
        "待客户回复",
        "Waiting on customer",
        "on_hold",
        5,
        False,
        True,
    )
    entry = AuditEntry.objects.get(action="status.created")
    assert (entry.object_id, entry.changes["status_type"]) == (status.pk, "on_hold")
    assert defaults(Status) == ["新建"]


@pytest.mark.django_db
def test_making_a_status_the_default_takes_the_mark_from_the_old_one(admin):
    status_create(actor=admin, source=WEB, name="待处理", status_type="open", is_default=True)
    assert defaults(Status) == ["待处理"]
    in_progress = Status.objects.get(name="处理中")
    status_update(
        actor=admin,
        source=WEB,
        status_id=in_progress.pk,
        name="处理中",
        name_en="In progress",
        status_type="open",
        order=1,
        is_default=True,
    )
    assert defaults(Status) == ["处理中"]
    assert AuditEntry.objects.filter(action="status.updated").get().changes == {"is_default": [False, True]}


@pytest.mark.django_db
def test_the_default_cannot_be_unmarked_or_deactivated(admin):
    new = Status.objects.get(name="新建")
    with pytest.raises(ValidationFailed) as raised:
        status_update(
            actor=admin, source=WEB, status_id=new.pk, name="新建", status_type="open", is_default=False
        )
    assert set(raised.value.fields) == {"is_default"}
    with pytest.raises(ValidationFailed) as raised:
        status_update(
            actor=admin,
            source=WEB,
            status_id=new.pk,
            name="新建",
            status_type="open",
            is_default=True,
            is_active=False,
        )
    assert set(raised.value.fields) == {"is_active"}
    assert defaults(Status) == ["新建"]
    assert Status.objects.get(pk=new.pk).is_active is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"name": "", "status_type": "open"}, {"name"}),
        ({"name": "x", "status_type": "pending"}, {"status_type"}),
        ({"name": "x", "status_type": "open", "order": -1}, {"order"}),
        ({"name": "x" * 101, "name_en": "y" * 101, "status_type": "open"}, {"name", "name_en"}),
    ],
)
def test_status_validation(admin, values, fields):
    before = Status.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        status_create(actor=admin, source=WEB, **values)
    assert set(raised.value.fields) == fields
    assert Status.objects.count() == before


@pytest.mark.django_db
def test_status_names_are_unique_whatever_the_case(admin):
    status_create(actor=admin, source=WEB, name="Escalated", status_type="open")
    with pytest.raises(Conflict):
        status_create(actor=admin, source=WEB, name="escalated", status_type="open")
    with pytest.raises(NotFound):
        status_update(actor=admin, source=WEB, status_id=999, name="x", status_type="open")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "supervisor", "light_agent"])
def test_only_settings_managers_edit_the_catalogues(department, role):
    from kefu.org.tests.factories import AgentFactory

    actor = Actor.agent(AgentFactory(role_key=role, departments=[department]).user)
    with pytest.raises(PermissionDenied):
        status_create(actor=actor, source=WEB, name="x", status_type="open")
    with pytest.raises(PermissionDenied):
        priority_create(actor=actor, source=WEB, name="x", colour="#000000")
    assert not Status.objects.filter(name="x").exists()
    assert not Priority.objects.filter(name="x").exists()


@pytest.mark.django_db
def test_priority_create_and_update_with_colour_and_default(admin):
    priority = priority_create(
        actor=admin, source=WEB, name="极低", name_en="Lowest", colour="#AABBCC", order=9
    )
    assert (priority.colour, priority.is_default) == ("#aabbcc", False)
    priority_update(
        actor=admin,
        source=WEB,
        priority_id=priority.pk,
        name="极低",
        name_en="Lowest",
        colour="#112233",
        order=9,
        is_default=True,
    )
    assert defaults(Priority) == ["极低"]
    assert AuditEntry.objects.get(action="priority.updated").changes == {
        "colour": ["#aabbcc", "#112233"],
        "is_default": [False, True],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#ggghhh", ""])
def test_a_bad_colour_is_refused(admin, colour):
    with pytest.raises(ValidationFailed) as raised:
        priority_create(actor=admin, source=WEB, name="x", colour=colour)
    assert set(raised.value.fields) == {"colour"}
    assert not Priority.objects.filter(name="x").exists()


def _change_type(admin, status, status_type):
    return status_update(
        actor=admin,
        source=WEB,
        status_id=status.pk,
        name=status.name,
        name_en=status.name_en,
        status_type=status_type,
        order=status.order,
        is_default=status.is_default,
        is_active=status.is_active,
    )


@pytest.mark.django_db
def test_a_status_type_cannot_change_while_tickets_have_the_status(admin, create_ticket):
    new = Status.objects.get(name="新建")
    create_ticket()
    create_ticket()
    audited = AuditEntry.objects.count()
    with pytest.raises(Conflict) as raised:
        _change_type(admin, new, "on_hold")
    message = (
        "2 tickets have or had this status, so its type cannot change. "
        "Add a new status with the type you need instead."
    )
    assert (raised.value.status_code, raised.value.code, raised.value.message) == (409, "conflict", message)
    assert raised.value.fields == {"status_type": message}
    assert Status.objects.get(pk=new.pk).status_type == "open"
    assert AuditEntry.objects.count() == audited
    # The rest of the status stays editable while its type is kept.
    status_update(
        actor=admin,
        source=WEB,
        status_id=new.pk,
        name="新建",
        name_en="New!",
        status_type="open",
        is_default=True,
    )
    assert Status.objects.get(pk=new.pk).name_en == "New!"


@pytest.mark.django_db
def test_a_status_only_the_history_remembers_keeps_its_type(admin, create_ticket):
    waiting = status_create(actor=admin, source=WEB, name="待客户回复", status_type="on_hold")
    ticket = create_ticket(status=waiting.pk)
    ticket_set_status(actor=Actor.system(), source=WEB, ticket=ticket, status="处理中")
    assert not Ticket.objects.filter(status=waiting).exists()
    with pytest.raises(Conflict) as raised:
        _change_type(admin, waiting, "open")
    assert raised.value.message.startswith("1 ticket has or had this status, so its type cannot change.")
    with translation.override("zh-hans"), pytest.raises(Conflict) as raised:
        _change_type(admin, waiting, "open")
    assert raised.value.message.startswith("1 个工单")
    assert Status.objects.get(pk=waiting.pk).status_type == "on_hold"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        (
            "status",
            {"id": "self", "name": "升级", "type": "open"},
            {"id": 1, "name": "处理中", "type": "open"},
        ),
        ("status", {"id": 1, "name": "新建", "type": "open"}, {"id": "self", "name": "升级", "type": "open"}),
        ("", None, {"number": 1, "status": {"id": "self", "name": "升级", "type": "open"}}),
    ],
    ids=["left-it", "moved-to-it", "created-in-it"],
)
def test_every_shape_of_status_history_counts(admin, field, old, new):
    escalated = status_create(actor=admin, source=WEB, name="升级", status_type="open")
    other = status_create(actor=admin, source=WEB, name="其他", status_type="open")

    def own(value):
        if value and value.get("id") == "self":
            return {**value, "id": escalated.pk}
        if value and "status" in value:
            return {**value, "status": own(value["status"])}
        return value

    event = TicketEventFactory(field=field, old_value=own(old), new_value=own(new))
    TicketEventFactory(ticket=event.ticket, field="status", new_value={"id": escalated.pk, "name": "升级"})
    TicketEventFactory(field="subject", old_value={"id": escalated.pk}, new_value="打印机")
    assert status_usage_count(escalated.pk) == 1
    assert status_usage_count(other.pk) == 0
    with pytest.raises(Conflict):
        _change_type(admin, escalated, "closed")
    assert _change_type(admin, other, "closed").status_type == "closed"


@pytest.mark.django_db
def test_the_status_page_shows_the_refusal(client, admin_agent, create_ticket):
    client.force_login(admin_agent.user)
    new = Status.objects.get(name="新建")
    create_ticket()
    form = {
        "name": "新建",
        "status_type": "closed",
        "order": new.order,
        "is_default": "on",
        "is_active": "on",
    }
    response = client.post(f"/settings/statuses/{new.pk}/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    (error,) = response.context["form"].errors["status_type"]
    assert error.startswith("1 个工单")
    assert error in response.content.decode()
    assert Status.objects.get(pk=new.pk).status_type == "open"
