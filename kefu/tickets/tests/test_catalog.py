"""Statuses and priorities as administrators edit them: exactly one default, validation, audit."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.tickets.models import Priority, Status
from kefu.tickets.services import priority_create, priority_update, status_create, status_update

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
