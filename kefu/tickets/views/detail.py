"""The ticket page: header, conversation, properties, history and contact card, and their HTMX partials.

One view serves the whole page and each region on its own (``?part=…`` with an HTMX request), on the
same selectors, so a live refresh re-renders exactly what a reload would show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kefu.core import moments
from kefu.core.actors import Actor, Source
from kefu.core.html import sanitize_html
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.customfields.selectors import field_specs
from kefu.org import permissions
from kefu.org.selectors import agent_access, department_list, helpdesk_settings, team_list
from kefu.tickets import services
from kefu.tickets.history_text import history_entries
from kefu.tickets.models import Channel, StatusType
from kefu.tickets.presence import HEARTBEAT_SECONDS
from kefu.tickets.selectors import (
    contact_other_tickets,
    conversation_comments,
    conversation_threads,
    event_list,
    merge_target_id,
    priority_list,
    status_list,
    thread_with_full_message,
    ticket_agents,
    ticket_attachment_get,
    ticket_custom_field_labels,
    ticket_neighbours,
    ticket_page_get,
    ticket_type_list,
)
from kefu.tickets.services.layout_check import layout_values
from kefu.tickets.views.family import family_context
from kefu.tickets.views.forms import CREATE_CHANNELS
from kefu.tickets.views.layout import layout_groups
from kefu.tickets.views.merge import merge_context
from kefu.tickets.views.scheduled import scheduled_context

PARTS = ("conversation", "history", "properties", "header", "full", "family")
PREVIEW_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PDF_TYPE = "application/pdf"
MAX_ASSIGNABLE = 200
TEXT_FIELD_LABELS = {
    "category": gettext_lazy("Category"),
    "sub_category": gettext_lazy("Sub-category"),
    "product": gettext_lazy("Product"),
}
# Shown, never edited: the SLA policies compute them.
DUE_FIELD_LABELS = {
    "first_response_due_at": gettext_lazy("First response due"),
    "next_response_due_at": gettext_lazy("Next response due"),
    "resolution_due_at": gettext_lazy("Resolution due"),
}


@dataclass(frozen=True)
class ConversationItem:
    """A thread or a comment, in the one time line the page shows, with its time already formatted.

    Times are formatted here rather than with the ``date`` filter: on a long conversation the filter's
    per-call cost was a large part of the page's rendering time.
    """

    kind: str
    obj: Any
    iso: str
    time: str
    """The absolute time, in the language's one format (shown on hover, and on paper)."""
    ago: str = ""
    """The relative phrase the page shows ("3 min ago")."""

    @classmethod
    def of(cls, kind: str, obj: Any, now: Any = None) -> ConversationItem:
        local = timezone.localtime(obj.created_at)
        return cls(kind, obj, local.isoformat(), moments.absolute(local), moments.relative(local, now))


def visible_ticket_or_404(request: HttpRequest, ticket_id: int) -> Any:
    ticket = ticket_page_get(request.user, ticket_id)
    if ticket is None:
        raise Http404
    return ticket


def header_context(ticket: Any) -> dict[str, Any]:
    return {"ticket": ticket, "number_prefix": helpdesk_settings().ticket_number_prefix}


def conversation_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    items = [ConversationItem.of("thread", thread) for thread in conversation_threads(ticket)]
    items += [ConversationItem.of("comment", comment) for comment in conversation_comments(ticket)]
    items.sort(key=lambda item: (item.obj.created_at, item.kind == "comment", item.obj.pk))
    return {
        "ticket": ticket,
        "items": items,
        # The customer's first message is the first thread; only a ticket without any shows the
        # description on its own.
        "show_description": bool(ticket.description) and not any(item.kind == "thread" for item in items),
        "preview_image_types": PREVIEW_IMAGE_TYPES,
        "pdf_type": PDF_TYPE,
        "can_view_source": agent_access(request.user).can(permissions.SETTINGS_MANAGE),
        "can_split": agent_access(request.user).can(permissions.TICKET_EDIT),
    }


def history_context(ticket: Any) -> dict[str, Any]:
    return {"ticket": ticket, "entries": history_entries(event_list(ticket))}


def _local_input(value: Any) -> str:
    """A stored moment as a ``datetime-local`` input value in the active (viewer's) zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def custom_field_rows(department_id: int | None, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The custom fields of a department with the value each input shows."""
    rows = []
    names = ticket_custom_field_labels()
    for spec in field_specs("ticket", department_id=department_id):
        value = values.get(spec.key)
        shown: Any = value
        if spec.field_type == "datetime" and isinstance(value, str):
            moment = parse_datetime(value)
            # A value typed into the form and sent back after an error has no offset yet.
            shown = _local_input(moment) if moment and timezone.is_aware(moment) else value
        elif spec.field_type == "multi_select":
            shown = (
                value if isinstance(value, list) else ([value] if isinstance(value, str) and value else [])
            )
        elif value is None:
            shown = ""
        rows.append({"spec": spec, "label": names.get(spec.key, spec.key), "value": shown})
    return rows


def properties_context(
    request: HttpRequest, ticket: Any, *, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    access = agent_access(request.user)
    departments = department_list(active_only=True)
    if not access.sees_all_departments:
        departments = departments.filter(pk__in=access.department_ids)
    errors = errors or {}
    custom_fields = custom_field_rows(ticket.department_id, ticket.custom_fields or {})
    for row in custom_fields:
        row["error"] = errors.get(f"custom_fields.{row['spec'].key}", "")
        row["layout_name"] = f"custom_fields.{row['spec'].key}"
    tag_names = sorted(tag.name for tag in ticket.tags.all())
    # The department's layout arranges the layout-able properties; the marks are for closing.
    offered = ["priority", "type", "assignee_id", "tags", *(row["layout_name"] for row in custom_fields)]
    layout = layout_groups(
        ticket.department_id, phase="close", values=layout_values(ticket, tag_names), offered=offered
    )
    text_properties = [
        {"name": field, "label": label, "value": getattr(ticket, field), "input_type": "text"}
        for field, label in TEXT_FIELD_LABELS.items()
    ]
    due_times = [
        {"name": field, "label": label, "value": getattr(ticket, field)}
        for field, label in DUE_FIELD_LABELS.items()
    ]
    for prop in text_properties:
        prop["error"] = errors.get(prop["name"], "")
    return {
        "ticket": ticket,
        "statuses": status_list(),
        "priorities": priority_list(),
        "ticket_types": ticket_type_list(),
        "departments": departments,
        "teams": team_list(department_id=ticket.department_id),
        "agents": ticket_agents(ticket.department_id, limit=MAX_ASSIGNABLE),
        "tag_text": ", ".join(tag_names),
        "text_properties": text_properties,
        "due_times": due_times,
        "custom_fields": custom_fields,
        "can_edit": access.can(permissions.TICKET_EDIT),
        "read_only": not access.can(permissions.TICKET_EDIT),
        "can_assign": access.can(permissions.TICKET_ASSIGN),
        "errors": errors,
        "layout": layout,
        "layout_rules_json": json.dumps(layout["rules"], ensure_ascii=False),
    }


def _reopen_status(ticket: Any) -> str:
    """For a closed ticket, the open status offered with a reply (the first one); else nothing."""
    if ticket.status.status_type != StatusType.CLOSED:
        return ""
    status = next((row for row in status_list() if row.status_type == StatusType.OPEN), None)
    return str(status.pk) if status else ""


def actions_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    """The buttons beside the header: print, spam / not spam, move to the trash."""
    access = agent_access(request.user)
    return {
        "can_mark_spam": access.can(permissions.TICKET_EDIT),
        "can_trash": access.can(permissions.TICKET_DELETE),
        "retention_days": services.TRASH_RETENTION.days,
    }


def composer_context(request: HttpRequest, ticket: Any, **values: Any) -> dict[str, Any]:
    """The reply and comment editors; ``values`` carries what the agent typed back after an error."""
    access = agent_access(request.user)
    agent = getattr(request.user, "agent", None)
    context = {
        "ticket": ticket,
        "can_reply": access.can(permissions.TICKET_REPLY),
        "can_comment": access.can(permissions.TICKET_COMMENT),
        "can_comment_public": access.can(permissions.TICKET_COMMENT_PUBLIC),
        "signature": getattr(agent, "signature", ""),
        "mode": "reply" if access.can(permissions.TICKET_REPLY) else "comment",
        "reply_errors": {},
        "comment_errors": {},
        "reply": {
            "body": "",
            "cc": "",
            "signature": True,
            "send_later": False,
            "send_at": "",
            "then_status": _reopen_status(ticket),
        },
        # Replying to a closed ticket: the editor warns and offers an open status to set with the reply.
        "reply_closed": ticket.status.status_type == StatusType.CLOSED,
        "reply_statuses": status_list(),
        "comment": {"body": "", "public": False, "mentions": []},
        "message_errors": {},
        "message": {"body": "", "cc": "", "channel": "phone"},
        "message_channels": [(value, label) for value, label in Channel.choices if value in CREATE_CHANNELS],
        "max_attachment_bytes": settings.KEFU_MAX_ATTACHMENT_BYTES,
        # A reply goes to the requester's email address: without one it is kept but never delivered,
        # and the editor says so before the agent sends it.
        "reply_undeliverable": not ticket.contact.email,
        **scheduled_context(ticket),
    }
    context.update(values)
    if not context["can_reply"]:
        context["mode"] = "comment"
    return context


def page_context(request: HttpRequest, ticket: Any, **composer: Any) -> dict[str, Any]:
    previous, following = ticket_neighbours(request.user, ticket)
    context: dict[str, Any] = {
        **header_context(ticket),
        **conversation_context(request, ticket),
        **history_context(ticket),
        **properties_context(request, ticket),
        **composer_context(request, ticket, **composer),
        **family_context(request, ticket),
        **merge_context(request, ticket),
        **actions_context(request, ticket),
        "other_tickets": contact_other_tickets(request.user, ticket),
        "previous_ticket": previous,
        "next_ticket": following,
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }
    return context


def _full_message(request: HttpRequest, ticket: Any) -> HttpResponse:
    thread_id = parse_id(request.GET.get("thread"))
    thread = thread_with_full_message(ticket, thread_id) if thread_id else None
    if thread is None:
        raise Http404
    # Sanitised again on the way out: the whole message is shown rarely, so it costs nothing per page.
    return render(
        request, "tickets/partials/ticket_full_message.html", {"html": sanitize_html(thread.full_html)}
    )


def _merged_redirect(request: HttpRequest, ticket: Any) -> HttpResponse:
    """A merged ticket's page: its conversation is on the ticket it was merged into."""
    target_id = merge_target_id(ticket)
    messages.info(
        request,
        _("Ticket %(number)s was merged into this ticket.")
        % {"number": f"{helpdesk_settings().ticket_number_prefix}{ticket.number}"},
    )
    return redirect("tickets:detail", ticket_id=target_id)


@login_required
@require_GET
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request, ticket_id)
    if ticket.merged_into_id is not None:
        return _merged_redirect(request, ticket)
    part = request.GET.get("part", "")
    if part in PARTS and is_partial(request):
        if part == "full":
            return _full_message(request, ticket)
        builders = {
            "conversation": lambda: conversation_context(request, ticket),
            "history": lambda: history_context(ticket),
            "properties": lambda: properties_context(request, ticket),
            "header": lambda: header_context(ticket),
            "family": lambda: family_context(request, ticket),
        }
        if part == "conversation":
            # A live refresh shows the agent the new messages: they have read them as much as on a reload.
            services.ticket_mark_read(actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket)
        return render(request, f"tickets/partials/ticket_{part}.html", builders[part]())
    services.ticket_mark_read(actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket)
    return render(request, "tickets/ticket.html", page_context(request, ticket))


@login_required
@require_GET
def ticket_attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> FileResponse:
    """A file of a visible ticket; images and PDFs may be shown inline for previews."""
    attachment = ticket_attachment_get(request.user, ticket_id, attachment_id)
    if attachment is None:
        raise Http404
    inline = request.GET.get("inline") == "1" and (
        attachment.content_type in PREVIEW_IMAGE_TYPES or attachment.content_type == PDF_TYPE
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Browsers refuse to run their PDF viewer in a sandbox; every other file gets one.
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'"
        if attachment.content_type == PDF_TYPE and inline
        else "default-src 'none'; img-src 'self'; sandbox"
    )
    return response
