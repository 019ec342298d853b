"""Buttons of the ticket page beyond the properties: spam / not spam, move to the trash, print.

Thin: each action calls its ticket service and comes back with a message saying what happened (or why
not). A trashed ticket is unknown everywhere but the list's "Trash" view, where it can be restored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.org.selectors import helpdesk_settings
from kefu.tickets import services
from kefu.tickets.selectors import conversation_comments, conversation_threads, merge_target_id
from kefu.tickets.views.detail import ConversationItem, visible_ticket_or_404


def _error(exc: ServiceError) -> str:
    details = "; ".join(value for value in exc.fields.values() if value != exc.message)
    return f"{exc.message} {details}".strip()


@login_required
@require_POST
def ticket_spam(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Mark as spam (``spam=1``) or as not spam (``spam=0``)."""
    ticket = visible_ticket_or_404(request, ticket_id)
    spam = request.POST.get("spam", "1") != "0"
    try:
        services.ticket_mark_spam(
            actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket, spam=spam
        )
    except ServiceError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("Marked as spam.") if spam else _("Marked as not spam."))
    return redirect("tickets:detail", ticket_id=ticket.pk)


@login_required
@require_POST
def ticket_trash(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request, ticket_id)
    try:
        services.ticket_delete(actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket)
    except ServiceError as exc:
        messages.error(request, _error(exc))
        return redirect("tickets:detail", ticket_id=ticket.pk)
    messages.success(
        request,
        _("Ticket %(number)s is in the trash. Restore it from the Trash view within %(days)d days.")
        % {
            "number": f"{helpdesk_settings().ticket_number_prefix}{ticket.shown_number}",
            "days": services.TRASH_RETENTION.days,
        },
    )
    return redirect(f"{reverse('tickets:list')}?view=trash")


@login_required
@require_GET
def ticket_print(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """A clean page of the ticket and its conversation, for paper or PDF; internal comments optional."""
    ticket = visible_ticket_or_404(request, ticket_id)
    if ticket.merged_into_id is not None:
        return redirect("tickets:print", ticket_id=merge_target_id(ticket))
    internal = request.GET.get("internal", "1") != "0"
    items = [ConversationItem.of("thread", thread) for thread in conversation_threads(ticket)]
    comments = conversation_comments(ticket)
    if not internal:
        comments = comments.filter(is_public=True)
    items += [ConversationItem.of("comment", comment) for comment in comments]
    items.sort(key=lambda item: (item.obj.created_at, item.kind == "comment", item.obj.pk))
    return render(
        request,
        "tickets/print.html",
        {
            "ticket": ticket,
            "items": items,
            "internal": internal,
            "number_prefix": helpdesk_settings().ticket_number_prefix,
            "show_description": bool(ticket.description) and not any(i.kind == "thread" for i in items),
        },
    )
