"""REST endpoints for tasks: ``/tasks`` (list with filters, create) and ``/tasks/{id}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import ValidationFailed
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.org.api_access import api_agent
from kefu.tasks import services
from kefu.tasks.inputs import TaskInput
from kefu.tasks.schemas import TaskIn, TaskListIn, TaskListOut, TaskOut, TaskPatchIn
from kefu.tasks.selectors import task_get, task_list

router = Router(tags=["tasks"])

_NOT_NULL = ("title", "description", "priority", "done")


def task_out(task: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "description": task.description,
        "ticket_id": task.ticket_id,
        "assignee_id": task.assignee_id,
        "due_at": task.due_at,
        "priority": task.priority,
        "done": task.done,
    }


def _task(request: HttpRequest, task_id: int) -> Any:
    task = task_get(request.auth, task_id)
    if task is None:
        raise Http404
    return task


@router.get("", response={200: TaskListOut, **ERRORS}, summary="List tasks")
def list_tasks(request: HttpRequest, filters: Query[TaskListIn]) -> dict[str, Any]:
    api_agent(request)
    queryset = task_list(
        request.auth,
        assignee_id=filters.assignee_id,
        ticket_id=filters.ticket_id,
        done=filters.done,
        due=filters.due,
    )
    page = paginate(queryset, sort="-id", limit=filters.limit, cursor=filters.cursor)
    return {"items": [task_out(task) for task in page.items], "next_cursor": page.next_cursor}


@router.post("", response={201: TaskOut, **ERRORS}, summary="Create a task")
def create_task(request: HttpRequest, payload: TaskIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        task = services.task_create(actor=actor, source=Source.API, data=TaskInput(**payload.model_dump()))
        return 201, TaskOut.model_validate(task_out(task)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/{task_id}", response={200: TaskOut, **ERRORS}, summary="Get a task")
def get_task(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    api_agent(request)
    return task_out(_task(request, task_id))


@router.patch("/{task_id}", response={200: TaskOut, **ERRORS}, summary="Change a task")
def update_task(request: HttpRequest, task_id: Id, payload: TaskPatchIn) -> dict[str, Any]:
    actor = api_agent(request)
    task = _task(request, task_id)
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(name for name in _NOT_NULL if name in changes and changes[name] is None)
    if nulls:
        raise ValidationFailed(
            _("The task is not valid."), fields={name: _("This field cannot be empty.") for name in nulls}
        )
    return task_out(services.task_update(actor=actor, source=Source.API, task=task, changes=changes))


@router.delete("/{task_id}", response={204: None, **ERRORS}, summary="Delete a task")
def delete_task(request: HttpRequest, task_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.task_delete(actor=actor, source=Source.API, task=_task(request, task_id))
    return Status(204, None)
