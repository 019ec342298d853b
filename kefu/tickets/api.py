"""REST endpoints for tickets: parse, call a service or selector, serialise. Nothing else."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import File, Query, Router, Status, UploadedFile

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.org.selectors import helpdesk_settings
from kefu.tickets import services
from kefu.tickets.filters import TicketFilters, apply_ticket_filters
from kefu.tickets.inputs import (
    CommentInput,
    ContactRef,
    FileInput,
    MessageInput,
    ReplyInput,
    TicketCreateInput,
)
from kefu.tickets.models import Attachment, Comment, Thread, Ticket, TicketEvent
from kefu.tickets.schemas import (
    AttachmentOut,
    ChildrenOut,
    CommentIn,
    CommentListOut,
    CommentOut,
    EventListOut,
    FileIn,
    FollowIn,
    MergeIn,
    MessageIn,
    PageIn,
    PriorityOut,
    RelativeOut,
    ReplyIn,
    ScheduledReplyIn,
    StatusOut,
    TagsIn,
    ThreadListOut,
    ThreadOut,
    TicketCreateIn,
    TicketFiltersIn,
    TicketListOut,
    TicketOut,
    TicketTypeIn,
    TicketTypeOut,
    TicketUpdateIn,
)
from kefu.tickets.selectors import (
    FamilyMember,
    attachment_get,
    comment_list,
    event_list,
    merge_target_id,
    priority_list,
    relevance_page,
    status_list,
    thread_list,
    thread_visible,
    ticket_children,
    ticket_get,
    ticket_list_queryset,
    ticket_type_catalog,
    ticket_type_list,
    ticket_visible,
    trashed_tickets,
)
from kefu.tickets.sla import sla_targets

router = Router(tags=["tickets"])
catalog_router = Router(tags=["catalog"])


def _actor(request: HttpRequest) -> Actor:
    return Actor.agent(request.auth)


def ticket_out(ticket: Ticket, prefix: str) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "display_number": f"{prefix}{ticket.shown_number}",
        "subject": ticket.subject,
        "description": ticket.description,
        "status": ticket.status.name,
        "status_id": ticket.status_id,
        "status_type": ticket.status.status_type,
        "priority": ticket.priority.name,
        "priority_id": ticket.priority_id,
        "type": ticket.type.name if ticket.type else None,
        "type_id": ticket.type_id,
        "department_id": ticket.department_id,
        "team_id": ticket.team_id,
        "assignee_id": ticket.assignee_id,
        "contact_id": ticket.contact_id,
        "account_id": ticket.account_id,
        "brand_id": ticket.brand_id,
        "parent_id": ticket.parent_id,
        "merged_into_id": ticket.merged_into_id,
        "split_from_id": ticket.split_from_id,
        "is_spam": ticket.is_spam,
        "channel": ticket.channel,
        "category": ticket.category,
        "sub_category": ticket.sub_category,
        "product": ticket.product,
        "language": ticket.language,
        "tags": sorted(tag.name for tag in ticket.tags.all()),
        "custom_fields": ticket.custom_fields,
        "first_response_due_at": None if ticket.sla_paused else ticket.first_response_due_at,
        "next_response_due_at": None if ticket.sla_paused else ticket.next_response_due_at,
        "resolution_due_at": None if ticket.sla_paused else ticket.resolution_due_at,
        "first_responded_at": ticket.first_responded_at,
        "sla_policy_id": ticket.sla_policy_id,
        "sla_paused": ticket.sla_paused,
        "sla": sla_targets(ticket),
        "closed_at": ticket.closed_at,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
    }


def _ticket_json(ticket: Ticket, request: HttpRequest) -> dict[str, Any]:
    """The ticket a write returned, re-read so that its tags are current.

    An agent who just moved the ticket to a department they do not work in can no longer read it, but
    still gets the result of their own change.
    """
    current = ticket_get(request.auth, ticket.pk) or ticket
    return TicketOut.model_validate(ticket_out(current, helpdesk_settings().ticket_number_prefix)).model_dump(
        mode="json"
    )


class TicketMoved(Exception):
    """A merged ticket was asked for: the API answers 301 to the ticket it was merged into."""

    def __init__(self, ticket_id: int, target_id: int):
        super().__init__(f"ticket {ticket_id} was merged into {target_id}")
        self.ticket_id = ticket_id
        self.target_id = target_id

    def response(self, request: HttpRequest) -> HttpResponse:
        path = request.get_full_path().replace(f"/tickets/{self.ticket_id}", f"/tickets/{self.target_id}", 1)
        response = JsonResponse({"merged_into": self.target_id}, status=301)
        response["Location"] = path
        return response


def _not_merged(ticket: Ticket) -> Ticket:
    if ticket.merged_into_id is not None:
        raise TicketMoved(ticket.pk, merge_target_id(ticket))
    return ticket


def _visible_ticket(request: HttpRequest, ticket_id: Id) -> Ticket:
    ticket = ticket_get(request.auth, ticket_id)
    if ticket is None:
        raise Http404
    return _not_merged(ticket)


def _visible_ticket_row(request: HttpRequest, ticket_id: Id) -> Ticket:
    """``_visible_ticket`` without its relations, for the read-only lists under a ticket."""
    ticket = ticket_visible(request.auth, ticket_id)
    if ticket is None:
        raise Http404
    return _not_merged(ticket)


def attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "thread_id": attachment.thread_id,
        "comment_id": attachment.comment_id,
        "created_at": attachment.created_at,
    }


def thread_out(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "ticket_id": thread.ticket_id,
        "direction": thread.direction,
        "channel": thread.channel,
        "author_user_id": thread.author_user_id,
        "author_contact_id": thread.author_contact_id,
        "from_address": thread.from_address,
        "to": thread.to,
        "cc": thread.cc,
        "subject": thread.subject,
        "body_html": thread.body_html,
        "body_text": thread.body_text,
        "delivery_status": thread.delivery_status,
        # A scheduled reply's failure is stored as the catalogue's English key: said in the reader's language.
        "delivery_error": gettext(thread.delivery_error) if thread.delivery_error else "",
        "scheduled": thread.scheduled,
        "send_at": thread.send_at,
        "attachments": [attachment_out(attachment) for attachment in thread.attachments.all()],
        "created_at": thread.created_at,
    }


def comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author_id": comment.author_id,
        "body_html": comment.body_html,
        "body_text": comment.body_text,
        "public": comment.is_public,
        "mention_ids": sorted(user.pk for user in comment.mentions.all()),
        "attachments": [attachment_out(attachment) for attachment in comment.attachments.all()],
        "created_at": comment.created_at,
    }


def event_out(event: TicketEvent) -> dict[str, Any]:
    return {
        field: getattr(event, field)
        for field in (
            "id",
            "created_at",
            "actor_kind",
            "actor_id",
            "actor_name",
            "source",
            "action",
            "field",
            "old_value",
            "new_value",
        )
    }


def _field_changes(payload: TicketUpdateIn | TicketCreateIn) -> dict[str, Any]:
    """The fields the client sent, with ``status_id``/``priority_id`` folded into ``status``/``priority``."""
    changes = payload.model_dump(exclude_unset=True)
    for name in ("status", "priority", "type"):
        if f"{name}_id" in changes:
            changes[name] = changes.pop(f"{name}_id")
    changes.pop("contact", None)
    return changes


@router.get("", response={200: TicketListOut, **ERRORS}, summary="List tickets")
def list_tickets(request: HttpRequest, filters: Query[TicketFiltersIn]) -> dict[str, Any]:
    raw = filters.model_dump(exclude={"sort", "limit", "cursor"})
    queryset = apply_ticket_filters(
        ticket_list_queryset(request.auth), TicketFilters(**raw), user=request.auth
    )
    query = (filters.q or "").strip()
    sort = filters.sort or ("relevance" if query else "-created_at")
    if sort == "relevance" and query:
        page = relevance_page(queryset, query, limit=filters.limit, cursor=filters.cursor)
    else:
        sort = "-created_at" if sort == "relevance" else sort
        page = paginate(queryset, sort=sort, limit=filters.limit, cursor=filters.cursor)
    prefix = helpdesk_settings().ticket_number_prefix
    return {"items": [ticket_out(ticket, prefix) for ticket in page.items], "next_cursor": page.next_cursor}


@router.post("", response={201: TicketOut, **ERRORS}, summary="Create a ticket")
def create_ticket(request: HttpRequest, payload: TicketCreateIn) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        fields = _field_changes(payload)
        fields.pop("cc", None)
        fields.pop("attachments", None)
        contact = payload.contact
        data = TicketCreateInput(
            subject=fields.pop("subject"),
            department_id=fields.pop("department_id"),
            contact=ContactRef(
                contact_id=fields.pop("contact_id", None),
                email=contact.email if contact else "",
                name=contact.name if contact else "",
            ),
            channel=fields.pop("channel", None) or "api",
            message=MessageInput(
                body=fields.pop("description"), cc=payload.cc, files=_files(payload.attachments)
            ),
            **{name: value for name, value in fields.items() if value is not None},
        )
        ticket = services.ticket_create(actor=_actor(request), source=Source.API, data=data)
        # Answered from the ticket the service built: nothing else has changed it since, so no re-read.
        prefix = helpdesk_settings().ticket_number_prefix
        return 201, TicketOut.model_validate(ticket_out(ticket, prefix)).model_dump(mode="json")

    return Status(*idempotent(request, create))


def _files(files: list[FileIn]) -> list[FileInput]:
    return [FileInput(filename=file.filename, content=io.BytesIO(file.content_base64)) for file in files]


@router.post(
    "/{ticket_id}/messages",
    response={201: ThreadOut, **ERRORS},
    summary="Record a customer's message",
    description=(
        "What the customer said through a channel that talks to Kefu through the API (chat, phone, social), "
        "or an agent logging a call. It follows the customer-message policy of every channel: on a closed "
        "ticket it reopens the ticket within the department's reopen window, and after the window it opens "
        "a follow-up ticket — the answer's `ticket_id` then names the new ticket."
    ),
)
def add_message(request: HttpRequest, ticket_id: Id, payload: MessageIn) -> Status[dict[str, Any]]:
    ticket = _visible_ticket(request, ticket_id)

    def create() -> tuple[int, dict[str, Any]]:
        thread = services.ticket_receive(
            actor=_actor(request),
            source=Source.API,
            ticket=ticket,
            data=MessageInput(
                body=payload.body,
                channel=payload.channel or "",
                cc=payload.cc,
                files=_files(payload.attachments),
            ),
        )
        thread = thread_list(thread.ticket).get(pk=thread.pk)
        return 201, ThreadOut.model_validate(thread_out(thread)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get(
    "/trash",
    response={200: TicketListOut, **ERRORS},
    summary="List the tickets in the trash",
    description=(
        "Trashed tickets of the caller's departments, most recently trashed first (`updated_at` is when). "
        "Each is deleted for good 30 days after it was trashed; `POST /tickets/{id}/restore` brings it back."
    ),
)
def list_trash(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    queryset = (
        trashed_tickets(request.auth).select_related("status", "priority", "type").prefetch_related("tags")
    )
    found = paginate(queryset, sort="-updated_at", limit=page.limit, cursor=page.cursor)
    prefix = helpdesk_settings().ticket_number_prefix
    return {"items": [ticket_out(ticket, prefix) for ticket in found.items], "next_cursor": found.next_cursor}


@router.get("/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="Get a ticket")
def get_ticket(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    return ticket_out(_visible_ticket(request, ticket_id), helpdesk_settings().ticket_number_prefix)


@router.patch("/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="Change a ticket's fields")
def update_ticket(request: HttpRequest, ticket_id: Id, payload: TicketUpdateIn) -> dict[str, Any]:
    ticket = _visible_ticket(request, ticket_id)
    ticket = services.ticket_update(
        actor=_actor(request), source=Source.API, ticket=ticket, changes=_field_changes(payload)
    )
    return _ticket_json(ticket, request)


@router.delete("/{ticket_id}", response={204: None, **ERRORS}, summary="Move a ticket to the trash")
def delete_ticket(request: HttpRequest, ticket_id: Id) -> Status[None]:
    services.ticket_delete(
        actor=_actor(request), source=Source.API, ticket=_visible_ticket(request, ticket_id)
    )
    return Status(204, None)


@router.post(
    "/{ticket_id}/spam",
    response={200: TicketOut, **ERRORS},
    summary="Mark a ticket as spam",
    description="The ticket leaves every list but the spam view; new mail from its contact is filed as spam.",
)
def mark_spam(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    ticket = services.ticket_mark_spam(
        actor=_actor(request), source=Source.API, ticket=_visible_ticket(request, ticket_id), spam=True
    )
    return _ticket_json(ticket, request)


@router.post(
    "/{ticket_id}/not-spam", response={200: TicketOut, **ERRORS}, summary="Mark a ticket as not spam"
)
def mark_not_spam(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    ticket = services.ticket_mark_spam(
        actor=_actor(request), source=Source.API, ticket=_visible_ticket(request, ticket_id), spam=False
    )
    return _ticket_json(ticket, request)


@router.post(
    "/{ticket_id}/restore",
    response={200: TicketOut, **ERRORS},
    summary="Restore a ticket from the trash",
    description="Within 30 days of `DELETE /tickets/{id}`; needs the delete right. Anything else is a 404.",
)
def restore(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    ticket = trashed_tickets(request.auth).filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    restored = services.ticket_restore(actor=_actor(request), source=Source.API, ticket=ticket)
    return _ticket_json(restored, request)


def relative_out(member: FamilyMember, prefix: str) -> dict[str, Any]:
    return RelativeOut(
        id=member.id,
        number=member.number,
        display_number=f"{prefix}{member.shown_number}",
        subject=member.subject,
        status=member.status.name,
        status_type=member.status.status_type,
        department=member.department,
        team=member.team,
        assignee=member.assignee,
        accessible=member.visible,
    ).model_dump(mode="json")


@router.get(
    "/{ticket_id}/children",
    response={200: ChildrenOut, **ERRORS},
    summary="A parent ticket's children",
    description=(
        "Every child (trashed and spam ones left out), by number. A child in a department the caller "
        "does not work in shows its number, status, department, team and assignee, with `subject` null "
        "and `accessible` false."
    ),
)
def list_children(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    ticket = _visible_ticket_row(request, ticket_id)
    prefix = helpdesk_settings().ticket_number_prefix
    return {"items": [relative_out(member, prefix) for member in ticket_children(request.auth, ticket)]}


@router.post(
    "/{ticket_id}/merge",
    response={200: TicketOut, **ERRORS},
    summary="Merge tickets into this one",
    description=(
        "Moves the conversation, comments, attachments, CC contacts, followers, tags, child tickets and "
        "history of every ticket in `ticket_ids` into this one; they close and answer 301 to this ticket "
        "from then on. Undo within 10 minutes with `POST /tickets/{merged_id}/unmerge`."
    ),
)
def merge(request: HttpRequest, ticket_id: Id, payload: MergeIn) -> dict[str, Any]:
    ticket = _visible_ticket(request, ticket_id)
    target = services.ticket_merge(
        actor=_actor(request), source=Source.API, target=ticket, ticket_ids=payload.ticket_ids
    )
    return _ticket_json(target, request)


@router.post(
    "/{ticket_id}/unmerge",
    response={200: TicketOut, **ERRORS},
    summary="Undo a merge",
    description="Within 10 minutes of the merge, gives the merged ticket back what the merge moved.",
)
def unmerge(request: HttpRequest, ticket_id: Id) -> dict[str, Any]:
    ticket = ticket_get(request.auth, ticket_id)
    if ticket is None:
        raise Http404
    restored = services.ticket_merge_undo(actor=_actor(request), source=Source.API, merged=ticket)
    return _ticket_json(restored, request)


@router.post(
    "/{ticket_id}/threads/{thread_id}/split",
    response={201: TicketOut, **ERRORS},
    summary="Split a message off into a new ticket",
    description="The message and its files move to a new ticket linked to this one (`split_from_id`).",
)
def split(request: HttpRequest, ticket_id: Id, thread_id: Id) -> Status[dict[str, Any]]:
    ticket = _visible_ticket(request, ticket_id)
    new = services.ticket_split(actor=_actor(request), source=Source.API, ticket=ticket, thread_id=thread_id)
    return Status(201, _ticket_json(new, request))


@router.get(
    "/{ticket_id}/threads", response={200: ThreadListOut, **ERRORS}, summary="List replies and messages"
)
def list_threads(request: HttpRequest, ticket_id: Id, page: Query[PageIn]) -> dict[str, Any]:
    ticket = _visible_ticket_row(request, ticket_id)
    result = paginate(thread_list(ticket), sort="created_at", limit=page.limit, cursor=page.cursor)
    return {"items": [thread_out(thread) for thread in result.items], "next_cursor": result.next_cursor}


@router.post(
    "/{ticket_id}/threads",
    response={201: ThreadOut, **ERRORS},
    summary="Reply to the customer",
    description=(
        "Sends the reply now, or with `send_at` schedules it: the thread answers `scheduled: true` until "
        "it goes (change it with PATCH, cancel it with DELETE before then). A scheduled reply goes even "
        "if the ticket is closed in the meantime."
    ),
)
def reply(request: HttpRequest, ticket_id: Id, payload: ReplyIn) -> Status[dict[str, Any]]:
    ticket = _visible_ticket(request, ticket_id)

    def create() -> tuple[int, dict[str, Any]]:
        thread = services.ticket_reply(
            actor=_actor(request), source=Source.API, ticket=ticket, data=ReplyInput(**payload.model_dump())
        )
        thread = thread_list(ticket).get(pk=thread.pk)
        return 201, ThreadOut.model_validate(thread_out(thread)).model_dump(mode="json")

    return Status(*idempotent(request, create))


def _ticket_thread(request: HttpRequest, ticket_id: Id, thread_id: Id) -> Thread:
    ticket = _visible_ticket_row(request, ticket_id)
    thread = thread_visible(request.auth, thread_id)
    if thread is None or thread.ticket_id != ticket.pk:
        raise Http404
    return thread


@router.patch(
    "/{ticket_id}/threads/{thread_id}",
    response={200: ThreadOut, **ERRORS},
    summary="Change a scheduled reply",
    description="The text (`body`) and/or the time (`send_at`) of a reply that has not gone yet; 409 after.",
)
def update_scheduled_reply(
    request: HttpRequest, ticket_id: Id, thread_id: Id, payload: ScheduledReplyIn
) -> dict[str, Any]:
    thread = _ticket_thread(request, ticket_id, thread_id)
    services.scheduled_reply_update(
        actor=_actor(request), source=Source.API, thread=thread, body=payload.body, send_at=payload.send_at
    )
    thread = thread_list(thread.ticket).get(pk=thread.pk)
    return ThreadOut.model_validate(thread_out(thread)).model_dump(mode="json")


@router.delete(
    "/{ticket_id}/threads/{thread_id}",
    response={204: None, **ERRORS},
    summary="Cancel a scheduled reply",
    description="Deletes a reply that has not gone yet, with its files; 409 once it has gone.",
)
def cancel_scheduled_reply(request: HttpRequest, ticket_id: Id, thread_id: Id) -> Status[None]:
    thread = _ticket_thread(request, ticket_id, thread_id)
    services.scheduled_reply_cancel(actor=_actor(request), source=Source.API, thread=thread)
    return Status(204, None)


@router.get("/{ticket_id}/comments", response={200: CommentListOut, **ERRORS}, summary="List comments")
def list_comments(request: HttpRequest, ticket_id: Id, page: Query[PageIn]) -> dict[str, Any]:
    ticket = _visible_ticket_row(request, ticket_id)
    result = paginate(comment_list(ticket), sort="created_at", limit=page.limit, cursor=page.cursor)
    return {"items": [comment_out(comment) for comment in result.items], "next_cursor": result.next_cursor}


@router.post("/{ticket_id}/comments", response={201: CommentOut, **ERRORS}, summary="Add a comment")
def add_comment(request: HttpRequest, ticket_id: Id, payload: CommentIn) -> Status[dict[str, Any]]:
    ticket = _visible_ticket(request, ticket_id)

    def create() -> tuple[int, dict[str, Any]]:
        data = CommentInput(
            body=payload.body,
            is_public=payload.public,
            mention_ids=payload.mention_ids,
            attachment_ids=payload.attachment_ids,
        )
        comment = services.ticket_comment(actor=_actor(request), source=Source.API, ticket=ticket, data=data)
        comment = comment_list(ticket).get(pk=comment.pk)
        return 201, CommentOut.model_validate(comment_out(comment)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/{ticket_id}/history", response={200: EventListOut, **ERRORS}, summary="The ticket's event log")
def history(request: HttpRequest, ticket_id: Id, page: Query[PageIn]) -> dict[str, Any]:
    ticket = _visible_ticket_row(request, ticket_id)
    result = paginate(event_list(ticket), sort="created_at", limit=page.limit, cursor=page.cursor)
    return {"items": [event_out(event) for event in result.items], "next_cursor": result.next_cursor}


@router.get(
    "/{ticket_id}/attachments", response={200: list[AttachmentOut], **ERRORS}, summary="List attachments"
)
def list_attachments(request: HttpRequest, ticket_id: Id) -> list[dict[str, Any]]:
    ticket = _visible_ticket_row(request, ticket_id)
    return [attachment_out(attachment) for attachment in ticket.attachments.order_by("id")]


@router.post(
    "/{ticket_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Upload an attachment",
    description=(
        "Multipart upload (field `file`). Pass the returned id in `attachment_ids` of a reply or comment."
    ),
)
def upload_attachment(
    request: HttpRequest, ticket_id: Id, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    ticket = _visible_ticket(request, ticket_id)
    attachment = services.attachment_add(
        actor=_actor(request),
        source=Source.API,
        ticket=ticket,
        filename=file.name or "",
        content=file,
        size=file.size,
    )
    return Status(201, attachment_out(attachment))


@router.get(
    "/{ticket_id}/attachments/{attachment_id}/download",
    response={200: None, **ERRORS},
    summary="Download an attachment",
)
def download_attachment(request: HttpRequest, ticket_id: Id, attachment_id: Id) -> FileResponse:
    attachment = attachment_get(request.auth, attachment_id)
    if attachment is None or attachment.ticket_id != ticket_id:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@router.post("/{ticket_id}/tags", response={200: TicketOut, **ERRORS}, summary="Add or remove tags")
def change_tags(request: HttpRequest, ticket_id: Id, payload: TagsIn) -> dict[str, Any]:
    ticket = _visible_ticket(request, ticket_id)
    ticket = services.ticket_tag(
        actor=_actor(request), source=Source.API, ticket=ticket, add=payload.add, remove=payload.remove
    )
    return _ticket_json(ticket, request)


def _follower(request: HttpRequest, payload: FollowIn) -> Any:
    user_model = type(request.auth)
    return (
        get_object_or_404(user_model, pk=payload.user_id, is_active=True) if payload.user_id else request.auth
    )


@router.post("/{ticket_id}/followers", response={204: None, **ERRORS}, summary="Follow a ticket")
def follow(request: HttpRequest, ticket_id: Id, payload: FollowIn) -> Status[None]:
    ticket = _visible_ticket(request, ticket_id)
    services.ticket_follow(
        actor=_actor(request), source=Source.API, ticket=ticket, user=_follower(request, payload)
    )
    return Status(204, None)


@router.delete("/{ticket_id}/followers", response={204: None, **ERRORS}, summary="Stop following a ticket")
def unfollow(request: HttpRequest, ticket_id: Id, payload: FollowIn) -> Status[None]:
    ticket = _visible_ticket(request, ticket_id)
    services.ticket_follow(
        actor=_actor(request),
        source=Source.API,
        ticket=ticket,
        user=_follower(request, payload),
        follow=False,
    )
    return Status(204, None)


@catalog_router.get("/statuses", response={200: list[StatusOut], **ERRORS}, summary="Ticket statuses")
def statuses(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "name": s.name,
            "name_en": s.name_en,
            "type": s.status_type,
            "order": s.order,
            "is_default": s.is_default,
        }
        for s in status_list()
    ]


@catalog_router.get("/priorities", response={200: list[PriorityOut], **ERRORS}, summary="Ticket priorities")
def priorities(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "name_en": p.name_en,
            "colour": p.colour,
            "order": p.order,
            "is_default": p.is_default,
        }
        for p in priority_list()
    ]


def ticket_type_out(row: Any) -> dict[str, Any]:
    return {
        field: getattr(row, field) for field in ("id", "name", "name_en", "order", "is_default", "is_active")
    }


@catalog_router.get(
    "/ticket-types",
    response={200: list[TicketTypeOut], **ERRORS},
    summary="Ticket types",
    description="The active types agents may choose; `all=true` lists inactive ones too.",
)
def ticket_types(request: HttpRequest, all: bool = False) -> list[dict[str, Any]]:
    rows = ticket_type_catalog() if all else ticket_type_list()
    return [ticket_type_out(row) for row in rows]


@catalog_router.post(
    "/ticket-types", response={201: TicketTypeOut, **ERRORS}, summary="Add a ticket type (administrators)"
)
def create_ticket_type(request: HttpRequest, payload: TicketTypeIn) -> Status[dict[str, Any]]:
    row = services.ticket_type_create(actor=_actor(request), source=Source.API, **payload.model_dump())
    return Status(201, ticket_type_out(row))


@catalog_router.put(
    "/ticket-types/{type_id}",
    response={200: TicketTypeOut, **ERRORS},
    summary="Change a ticket type (administrators)",
)
def update_ticket_type(request: HttpRequest, type_id: Id, payload: TicketTypeIn) -> dict[str, Any]:
    row = services.ticket_type_update(
        actor=_actor(request), source=Source.API, type_id=type_id, **payload.model_dump()
    )
    return ticket_type_out(row)
