"""The task services: the actor allow-list, what changes publish, and the assignee's view of the ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.tasks import services
from kefu.tasks.inputs import TaskInput
from kefu.tasks.models import Task
from kefu.tasks.tests.factories import task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actor", [Actor(kind=ActorKind.CONTACT, id=1, name="王芳"), Actor.rule(1), Actor.blueprint(1)]
)
def test_only_agents_and_the_system_work_with_tasks(actor):
    existing = task()
    with pytest.raises(PermissionDenied):
        services.task_create(actor=actor, source=Source.API, data=TaskInput(title="回电话"))
    with pytest.raises(PermissionDenied):
        services.task_update(actor=actor, source=Source.API, task=existing, changes={"done": True})
    with pytest.raises(PermissionDenied):
        services.task_delete(actor=actor, source=Source.API, task=existing)
    assert Task.objects.count() == 1


def test_a_change_publishes_the_fields_it_changed(agent, published):
    existing = task(assignee_id=agent.user_id)
    due = timezone.now() + dt.timedelta(days=1)
    services.task_update(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        task=existing,
        changes={"due_at": due, "priority": "urgent", "title": existing.title},
    )
    assert [payload["fields"] for payload in published("task.updated")] == [["due_at", "priority"]]
    # Nothing changed: nothing published, nothing audited.
    services.task_update(
        actor=Actor.agent(agent.user), source=Source.WEB, task=existing, changes={"priority": "urgent"}
    )
    assert len(published("task.updated")) == 1
    assert published("task.completed") == []


def test_moving_a_task_to_a_ticket_its_assignee_cannot_see_is_refused(agent, other_agent, create_ticket):
    ticket = create_ticket()
    existing = task(assignee_id=other_agent.user_id)
    with pytest.raises(ValidationFailed) as raised:
        services.task_update(
            actor=Actor.agent(agent.user), source=Source.WEB, task=existing, changes={"ticket_id": ticket.pk}
        )
    assert raised.value.fields == {"assignee_id": "This agent cannot see the ticket."}
    existing.refresh_from_db()
    assert existing.ticket_id is None


def test_a_task_created_done_records_when(agent):
    created = services.task_create(
        actor=Actor.agent(agent.user), source=Source.WEB, data=TaskInput(title="已经做完", done=True)
    )
    assert created.done_at is not None
    assert created.created_by_id == agent.user_id
