"""Tasks in the console: the "My tasks" page and the task card (checklist) of the ticket page.

The ticket page includes ``tasks/partials/ticket_slot.html``, which loads the card with HTMX; the
tickets app knows nothing else of tasks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.core.ids import is_storable_id, parse_id
from kefu.org.decorators import agent_required
from kefu.tasks import services
from kefu.tasks.inputs import TaskInput
from kefu.tasks.models import TaskPriority
from kefu.tasks.selectors import my_tasks, task_get, ticket_tasks
from kefu.tickets.selectors import ticket_agents, ticket_visible


def _ticket(request: HttpRequest, ticket_id: int) -> Any:
    ticket = ticket_visible(request.user, ticket_id) if is_storable_id(ticket_id) else None
    if ticket is None:
        raise Http404
    return ticket


def _due(raw: str) -> object:
    """A ``datetime-local`` value, read in the agent's zone by the service; a bad one is passed on for
    the service to name."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        return raw


def _form_values(request: HttpRequest) -> dict[str, Any]:
    return {
        "title": request.POST.get("title", ""),
        "due_at": request.POST.get("due_at", ""),
        "priority": request.POST.get("priority", TaskPriority.NORMAL),
        "assignee_id": request.POST.get("assignee_id", ""),
        "description": request.POST.get("description", ""),
    }


def _input(values: dict[str, Any], *, ticket_id: int | None, default_assignee: int | None) -> TaskInput:
    raw_assignee = values["assignee_id"].strip()
    assignee_id: Any = default_assignee if not raw_assignee else (parse_id(raw_assignee) or -1)
    return TaskInput(
        title=values["title"],
        description=values["description"],
        ticket_id=ticket_id,
        assignee_id=assignee_id,
        due_at=_due(values["due_at"]),  # type: ignore[arg-type]  # the service names a bad value
        priority=values["priority"],
    )


def _card(
    request: HttpRequest,
    ticket: Any,
    *,
    error: str = "",
    field_errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    edit_errors: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "tasks/partials/ticket_card.html",
        {
            "ticket_id": ticket.pk,
            "tasks": list(ticket_tasks(ticket.pk)),
            "agents": ticket_agents(ticket.department_id, limit=200),
            "priorities": TaskPriority.choices,
            "error": error,
            "field_errors": field_errors or {},
            "values": values or {},
            "edit": edit_errors or {},
        },
        status=status,
    )


@agent_required()
def ticket_card(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _card(request, _ticket(request, ticket_id))


@require_POST
@agent_required()
def ticket_task_add(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    values = _form_values(request)
    try:
        services.task_create(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            data=_input(values, ticket_id=ticket.pk, default_assignee=None),
        )
    except ServiceError as exc:
        return _card(
            request, ticket, error=exc.message, field_errors=exc.fields, values=values, status=exc.status_code
        )
    return _card(request, ticket)


def _my_tasks_page(
    request: HttpRequest,
    *,
    error: str = "",
    field_errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    edit_errors: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    groups = my_tasks(request.user)
    template = "tasks/partials/my_tasks_groups.html" if is_partial(request) else "tasks/my_tasks.html"
    return render(
        request,
        template,
        {
            "groups": [
                ("overdue", _("Overdue"), groups.overdue),
                ("today", _("Today"), groups.today),
                ("upcoming", _("Upcoming"), groups.upcoming),
                ("done", _("Done"), groups.done),
            ],
            "priorities": TaskPriority.choices,
            "error": error,
            "field_errors": field_errors or {},
            "values": values or {},
            "edit": edit_errors or {},
        },
        status=status,
    )


@agent_required()
def my_tasks_page(request: HttpRequest) -> HttpResponse:
    return _my_tasks_page(request)


@require_POST
@agent_required()
def my_task_add(request: HttpRequest) -> HttpResponse:
    values = _form_values(request)
    try:
        services.task_create(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            data=_input(values, ticket_id=None, default_assignee=request.user.pk),
        )
    except ServiceError as exc:
        return _my_tasks_page(
            request, error=exc.message, field_errors=exc.fields, values=values, status=exc.status_code
        )
    messages.success(request, _("The task was added."))
    return redirect("tasks:mine")


def _task(request: HttpRequest, task_id: int) -> Any:
    task = task_get(request.user, task_id) if is_storable_id(task_id) else None
    if task is None:
        raise Http404
    return task


def _card_ticket_id(request: HttpRequest, task: Any) -> int:
    """The ticket whose card sent the change (it may show a merged ticket's task), else the task's."""
    return parse_id(request.POST.get("ticket")) or task.ticket_id


def _after_change(request: HttpRequest, task: Any, error: str = "", status: int = 200) -> HttpResponse:
    """Answer where the change was made: the ticket's card, or the "My tasks" page."""
    if request.POST.get("from") == "ticket" and task.ticket_id:
        return _card(request, _ticket(request, _card_ticket_id(request, task)), error=error, status=status)
    if is_partial(request):
        return _my_tasks_page(request, error=error, status=status)
    if error:
        messages.error(request, error)
    return redirect("tasks:mine")


@require_POST
@agent_required()
def task_toggle(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_update(
            actor=Actor.agent(request.user), source=Source.WEB, task=task, changes={"done": not task.done}
        )
    except ServiceError as exc:
        return _after_change(request, task, exc.message, exc.status_code)
    return _after_change(request, task)


@require_POST
@agent_required()
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    """Change a task's title, description, due time, priority and (on a ticket) assignee."""
    task = _task(request, task_id)
    values = _form_values(request)
    changes: dict[str, Any] = {
        "title": values["title"],
        "description": values["description"],
        "due_at": _due(values["due_at"]),
        "priority": values["priority"],
    }
    if "assignee_id" in request.POST:
        raw = values["assignee_id"].strip()
        changes["assignee_id"] = (parse_id(raw) or -1) if raw else None
    try:
        services.task_update(actor=Actor.agent(request.user), source=Source.WEB, task=task, changes=changes)
    except ServiceError as exc:
        task.refresh_from_db()
        errors = {"editing": task.pk, "fields": exc.fields, "values": values}
        if request.POST.get("from") == "ticket" and task.ticket_id:
            return _card(
                request,
                _ticket(request, _card_ticket_id(request, task)),
                error=exc.message,
                edit_errors=errors,
                status=exc.status_code,
            )
        return _my_tasks_page(request, error=exc.message, edit_errors=errors, status=exc.status_code)
    return _after_change(request, task)


@require_POST
@agent_required()
def task_delete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    ticket_id = task.ticket_id
    try:
        services.task_delete(actor=Actor.agent(request.user), source=Source.WEB, task=task)
    except ServiceError as exc:
        return _after_change(request, task, exc.message, exc.status_code)
    task.ticket_id = ticket_id
    return _after_change(request, task)
