"""Writing tasks. Every change is audited and published as a ``task.*`` event (reminders and
notifications subscribe to those), so nothing else needs to know this app.

Who may: any agent creates tasks and changes the tasks they can see (a ticket's tasks whoever sees
the ticket; a task on its own its creator, its assignee and administrators); deleting is for the
creator, the assignee and administrators. The system actor (imports, the demo) may do everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.ids import is_storable_id
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import active_user_get, agent_access
from kefu.tasks.inputs import TaskInput
from kefu.tasks.models import Task, TaskPriority
from kefu.tickets.selectors import ticket_visible, ticket_with_contact

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 5000
FIELDS = ("title", "description", "ticket_id", "assignee_id", "due_at", "priority", "done")
_ALLOWED = frozenset({ActorKind.AGENT, ActorKind.SYSTEM})


def _check_actor(actor: Actor) -> None:
    if actor.kind not in _ALLOWED:
        raise PermissionDenied(_("Only agents can work with tasks."))


def _clean(actor: Actor, values: Mapping[str, Any], task: Task | None) -> dict[str, Any]:
    """Check every field given; a ValidationFailed names all the bad ones at once."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "title" in values:
        title = values["title"]
        if not isinstance(title, str) or not title.strip():
            errors["title"] = _("This field is required.")
        elif len(title.strip()) > TITLE_LIMIT:
            errors["title"] = _("Enter at most %(limit)d characters.") % {"limit": TITLE_LIMIT}
        else:
            cleaned["title"] = title.strip()
    if "description" in values:
        description = values["description"] if values["description"] is not None else ""
        if not isinstance(description, str):
            errors["description"] = _("Enter text.")
        elif len(description) > DESCRIPTION_LIMIT:
            errors["description"] = _("Enter at most %(limit)d characters.") % {"limit": DESCRIPTION_LIMIT}
        else:
            cleaned["description"] = description.strip()
    if "priority" in values:
        if values["priority"] not in TaskPriority.values:
            errors["priority"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(TaskPriority.values)
            }
        else:
            cleaned["priority"] = values["priority"]
    if "done" in values:
        if not isinstance(values["done"], bool):
            errors["done"] = _("Choose yes or no.")
        else:
            cleaned["done"] = values["done"]
    if "due_at" in values:
        due_at = values["due_at"]
        if due_at is None:
            cleaned["due_at"] = None
        elif not isinstance(due_at, dt.datetime):
            errors["due_at"] = _("Enter a date and time.")
        else:
            cleaned["due_at"] = due_at if timezone.is_aware(due_at) else timezone.make_aware(due_at)
    ticket_id = task.ticket_id if task is not None else None
    if "ticket_id" in values:
        ticket_id = values["ticket_id"]
        if ticket_id is not None:
            ticket = (
                None
                if not is_storable_id(ticket_id)
                else ticket_visible(actor.user, ticket_id)
                if actor.is_agent
                else ticket_with_contact(ticket_id)
            )
            if ticket is None:
                errors["ticket_id"] = _("No such ticket.")
                ticket_id = None
        cleaned["ticket_id"] = ticket_id
    if "assignee_id" in values:
        assignee_id = values["assignee_id"]
        assignee: User | None = None
        if assignee_id is not None:
            assignee = active_user_get(assignee_id) if is_storable_id(assignee_id) else None
            if assignee is None or not agent_access(assignee).is_agent:
                errors["assignee_id"] = _("Unknown agent.")
            elif ticket_id is not None and ticket_visible(assignee, ticket_id) is None:
                errors["assignee_id"] = _("This agent cannot see the ticket.")
        cleaned["assignee"] = assignee
    elif (
        cleaned.get("ticket_id") is not None
        and task is not None
        and task.assignee is not None
        and ticket_visible(task.assignee, cleaned["ticket_id"]) is None
    ):
        errors["assignee_id"] = _("This agent cannot see the ticket.")
    if errors:
        raise ValidationFailed(_("The task is not valid."), fields=errors)
    return cleaned


def _payload(task: Task, actor: Actor) -> dict[str, Any]:
    return {
        "task_id": task.pk,
        "ticket_id": task.ticket_id,
        "assignee_id": task.assignee_id,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "done": task.done,
        "actor": {"kind": actor.kind.value, "id": actor.id},
    }


def task_create(*, actor: Actor, source: Source, data: TaskInput) -> Task:
    _check_actor(actor)
    values = {name: getattr(data, name) for name in FIELDS}
    cleaned = _clean(actor, values, None)
    if cleaned.get("done"):
        cleaned["done_at"] = timezone.now()
    with transaction.atomic():
        task = Task.objects.create(created_by=actor.user if actor.is_agent else None, **cleaned)
        audit_record(
            actor=actor,
            source=source,
            action="task.created",
            obj=task,
            changes={"ticket_id": task.ticket_id, "assignee_id": task.assignee_id},
        )
        events.publish(EventType.TASK_CREATED, **_payload(task, actor))
    return task


def task_update(*, actor: Actor, source: Source, task: Task, changes: Mapping[str, Any]) -> Task:
    _check_actor(actor)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationFailed(
            _("The task is not valid."), fields={name: _("Unknown field.") for name in unknown}
        )
    cleaned = _clean(actor, changes, task)
    tracked = ("title", "description", "ticket_id", "assignee_id", "due_at", "priority", "done")
    old = {field: getattr(task, field) for field in tracked}
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(task, field, value)
        if "done" in cleaned and cleaned["done"] != old["done"]:
            task.done_at = timezone.now() if task.done else None
        new = {field: getattr(task, field) for field in tracked}
        changed = {field: [old[field], new[field]] for field in tracked if old[field] != new[field]}
        if not changed:
            return task
        task.save()
        audit_record(
            actor=actor,
            source=source,
            action="task.updated",
            obj=task,
            changes={field: [str(before), str(after)] for field, (before, after) in changed.items()},
        )
        payload = _payload(task, actor)
        events.publish(EventType.TASK_UPDATED, fields=sorted(changed), **payload)
        if "done" in changed:
            events.publish(EventType.TASK_COMPLETED if task.done else EventType.TASK_REOPENED, **payload)
    return task


def task_delete(*, actor: Actor, source: Source, task: Task) -> None:
    _check_actor(actor)
    if (
        actor.kind is ActorKind.AGENT
        and actor.id not in (task.created_by_id, task.assignee_id)
        and not agent_access(actor.user).can(permissions.SETTINGS_MANAGE)
    ):
        raise PermissionDenied(_("Only the task's creator, its assignee or an administrator can delete it."))
    with transaction.atomic():
        payload = _payload(task, actor)
        audit_record(
            actor=actor,
            source=source,
            action="task.deleted",
            obj=task,
            changes={"title": task.title, "ticket_id": task.ticket_id},
        )
        task.delete()
        events.publish(EventType.TASK_DELETED, **payload)
