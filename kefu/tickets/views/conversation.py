"""Posting on the ticket page: replies to the customer and comments between agents, with their files.

The files and the message go through the services inside one transaction, so a reply that is refused
(empty body, a file too large, no right to reply) leaves no orphan attachment behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, ServiceError
from kefu.core.html import html_to_text, sanitize_html, text_to_html
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.tickets import services
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.selectors import scheduled_replies, ticket_agents
from kefu.tickets.views.detail import (
    composer_context,
    page_context,
    visible_ticket_or_404,
)
from kefu.tickets.views.forms import CREATE_CHANNELS, split_addresses, uploaded_files
from kefu.tickets.views.scheduled import customer_zone, parse_local

MAX_MENTION_RESULTS = 10
_COMPOSER_FIELDS = {"body", "cc", "to", "bcc", "file", "attachment_ids", "mention_ids", "send_at", "status"}


def _ids(values: list[str]) -> list[int]:
    """Ids from the form; what is not a number is dropped. One beyond the database's range cannot name
    anyone: it becomes 0, which never does either, so the service reports it like any unknown agent."""
    return [parse_id(value) or 0 for value in values if value.isascii() and value.isdigit()]


def _with_signature(body: str, signature: str) -> str:
    """The reply with the agent's signature under it; an empty reply stays empty for the service to refuse."""
    if not signature.strip() or not html_to_text(sanitize_html(body)).strip():
        return body
    return f"{body}<p>-- </p>{text_to_html(signature)}"


def _post(
    request: HttpRequest,
    ticket: Any,
    send: Callable[[Actor, list[int]], Any],
    *,
    store_files: bool = True,
) -> tuple[Any, dict[str, str], int]:
    """Store the uploaded files and call ``send`` with their ids, all or nothing.

    ``store_files=False`` leaves the files to ``send`` (a service that takes them with the message).

    Returns ``(result, errors, status)``; ``errors`` maps a form field to its message.
    """
    actor = Actor.agent(request.user)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            for upload in request.FILES.getlist("files") if store_files else []:
                stored.append(
                    services.attachment_add(
                        actor=actor,
                        source=Source.WEB,
                        ticket=ticket,
                        filename=upload.name or "",
                        content=upload,
                        size=upload.size,
                    )
                )
            return send(actor, [attachment.pk for attachment in stored]), {}, 200
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        for attachment in stored:
            attachment.file.delete(save=False)
        errors = {
            ("files" if key in {"file", "attachment_ids"} else key): value
            for key, value in exc.fields.items()
        }
        if not errors.keys() & (_COMPOSER_FIELDS | {"files"}):
            errors["form"] = exc.message
        return None, errors, exc.status_code


def _respond(
    request: HttpRequest,
    ticket: Any,
    *,
    anchor: str,
    errors: dict[str, str],
    status: int,
    values: dict[str, Any],
) -> HttpResponse:
    if not errors:
        if not is_partial(request):
            return redirect(reverse("tickets:detail", args=[ticket.pk]) + anchor)
        response = render(
            request,
            "tickets/partials/ticket_composer.html",
            composer_context(request, ticket, mode=values["mode"]),
        )
        response["HX-Trigger"] = "kefu-ticket-changed"
        return response
    if is_partial(request):
        return render(
            request,
            "tickets/partials/ticket_composer.html",
            composer_context(request, ticket, **values),
            status=status,
        )
    return render(request, "tickets/ticket.html", page_context(request, ticket, **values), status=status)


@login_required
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request, ticket_id)
    body = request.POST.get("body", "")
    cc = request.POST.get("cc", "")
    with_signature = request.POST.get("signature") == "on"
    agent = getattr(request.user, "agent", None)
    signature = getattr(agent, "signature", "") if with_signature else ""
    # "Send later": the time is picked in the customer's zone (the contact's, else the help desk's).
    later = request.POST.get("send_later") == "on"
    send_at_local = request.POST.get("send_at", "")
    # "Send and set status": the reply and the status change in one transaction, or neither.
    then_status = "" if later else request.POST.get("then_status", "").strip()

    def send(actor: Actor, attachment_ids: list[int]) -> Any:
        data = ReplyInput(
            body=_with_signature(body, signature),
            cc=split_addresses(cc),
            attachment_ids=attachment_ids,
            send_at=parse_local(send_at_local, customer_zone(ticket)) if later else None,
        )
        thread = services.ticket_reply(actor=actor, source=Source.WEB, ticket=ticket, data=data)
        if then_status:
            status = int(then_status) if then_status.isascii() and then_status.isdigit() else then_status
            services.ticket_set_status(actor=actor, source=Source.WEB, ticket=ticket, status=status)
        return thread

    thread, errors, status = _post(request, ticket, send)
    values = {
        "mode": "reply",
        "reply_errors": errors,
        "reply": {
            "body": body,
            "cc": cc,
            "signature": with_signature,
            "send_later": later,
            "send_at": send_at_local,
            "then_status": then_status,
        },
    }
    anchor = f"#thread-{thread.pk}" if thread and not thread.scheduled else ""
    return _respond(request, ticket, anchor=anchor, errors=errors, status=status, values=values)


@login_required
@require_POST
def scheduled_reply(request: HttpRequest, ticket_id: int, thread_id: int) -> HttpResponse:
    """Change (``action=update``: ``send_at``, ``body``) or cancel (``action=cancel``) a scheduled reply."""
    ticket = visible_ticket_or_404(request, ticket_id)
    thread = next((row for row in scheduled_replies(ticket) if row.pk == thread_id), None)
    errors: dict[str, str] = {}
    status = 200
    actor = Actor.agent(request.user)
    try:
        if thread is None:
            raise Conflict(_("This reply has already been sent; it can no longer be changed or cancelled."))
        if request.POST.get("action") == "cancel":
            services.scheduled_reply_cancel(actor=actor, source=Source.WEB, thread=thread)
        else:
            services.scheduled_reply_update(
                actor=actor,
                source=Source.WEB,
                thread=thread,
                body=request.POST.get("body", ""),
                send_at=parse_local(request.POST.get("send_at", ""), customer_zone(ticket)),
            )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        errors = {"scheduled_error": "; ".join(dict.fromkeys(exc.fields.values())) or exc.message}
        status = 422  # the page swaps 422 answers in; a 409 (already sent) is said the same way
    if not is_partial(request):
        if errors:
            messages.error(request, errors["scheduled_error"])
        return redirect(reverse("tickets:detail", args=[ticket.pk]))
    context = composer_context(request, ticket, **errors, scheduled_error_id=thread_id if errors else None)
    response = render(request, "tickets/partials/ticket_composer.html", context, status=status)
    if not errors:
        response["HX-Trigger"] = "kefu-ticket-changed"
    return response


@login_required
@require_POST
def ticket_message(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Log what the customer said on a call or in a chat: an inbound message from the contact.

    It follows the customer-message policy of every channel, so on a ticket closed long ago it opens a
    follow-up ticket, and the agent lands there.
    """
    ticket = visible_ticket_or_404(request, ticket_id)
    body = request.POST.get("body", "")
    cc = request.POST.get("cc", "")
    channel = request.POST.get("channel", "")
    channel = channel if channel in CREATE_CHANNELS else "phone"

    def send(actor: Actor, attachment_ids: list[int]) -> Any:
        data = MessageInput(body=body, channel=channel, cc=split_addresses(cc), files=uploaded_files(request))
        return services.ticket_receive(actor=actor, source=Source.WEB, ticket=ticket, data=data)

    thread, errors, status = _post(request, ticket, send, store_files=False)
    if thread is not None and thread.ticket_id != ticket.pk:
        return _to_ticket(request, thread.ticket_id)
    values = {
        "mode": "message",
        "message_errors": errors,
        "message": {"body": body, "cc": cc, "channel": channel},
    }
    anchor = f"#thread-{thread.pk}" if thread else ""
    return _respond(request, ticket, anchor=anchor, errors=errors, status=status, values=values)


def _to_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    url = reverse("tickets:detail", args=[ticket_id])
    if is_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def ticket_comment(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request, ticket_id)
    body = request.POST.get("body", "")
    public = request.POST.get("public") == "on"
    mention_ids = _ids(request.POST.getlist("mention_ids"))

    def send(actor: Actor, attachment_ids: list[int]) -> Any:
        data = CommentInput(
            body=body, is_public=public, mention_ids=mention_ids, attachment_ids=attachment_ids
        )
        return services.ticket_comment(actor=actor, source=Source.WEB, ticket=ticket, data=data)

    comment, errors, status = _post(request, ticket, send)
    mentioned = {user.pk: user for user in ticket_agents(ticket.department_id)} if errors else {}
    values = {
        "mode": "comment",
        "comment_errors": errors,
        "comment": {
            "body": body,
            "public": public,
            "mentions": [mentioned[pk] for pk in mention_ids if pk in mentioned],
        },
    }
    anchor = f"#comment-{comment.pk}" if comment else ""
    return _respond(request, ticket, anchor=anchor, errors=errors, status=status, values=values)


@login_required
@require_GET
def ticket_mentions(request: HttpRequest, ticket_id: int) -> JsonResponse:
    """Agents who can see the ticket and whose name or email contains ``q``: the @mention suggestions."""
    ticket = visible_ticket_or_404(request, ticket_id)
    query = request.GET.get("q", "").strip()[:100]
    users = ticket_agents(ticket.department_id, q=query, limit=MAX_MENTION_RESULTS)
    return JsonResponse(
        {"items": [{"id": user.pk, "name": user.name or user.email, "email": user.email} for user in users]}
    )
