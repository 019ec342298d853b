"""The JSON shapes of tickets and their conversation in the REST API."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from kefu.core.api_types import Id, InputSchema, JsonValue, Moment, Text, text
from kefu.tickets.filters import SORTS
from kefu.tickets.models import Channel
from kefu.tickets.services.fields import READ_ONLY_REASON

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
Language = Literal["zh-hans", "en", ""]
Sort = Literal[SORTS]  # type: ignore[valid-type]
ListSort = Literal[(*SORTS, "relevance")]  # type: ignore[valid-type]
TagName = text(64)


def _refuse_read_only(value: Any) -> Any:
    # Translated when the request is validated, in the client's language.
    raise PydanticCustomError("read_only", str(READ_ONLY_REASON))


# A field a client may read but not write: any value sent for it (even null) is a 422 naming the field,
# rather than being silently ignored. Not part of the input's OpenAPI schema.
ReadOnly = SkipJsonSchema[Annotated[Any, BeforeValidator(_refuse_read_only)]]


def _base64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise PydanticCustomError("base64", str(_("Give the file's content as a base64 string.")))
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise PydanticCustomError("base64", str(_("This is not valid base64."))) from None


class FileIn(InputSchema):
    """A file sent inside the JSON body: its name and its bytes, base64-encoded (standard alphabet)."""

    filename: text(255, min_length=1) = Field(examples=["error.png"])  # type: ignore[valid-type]
    content_base64: Annotated[bytes, BeforeValidator(_base64)] = Field(
        json_schema_extra={"type": "string", "format": "byte"}, examples=["iVBORw0KGgo="]
    )


class ContactRefIn(InputSchema):
    email: text(254, min_length=3) = Field(examples=["wang.fang@example.com"])  # type: ignore[valid-type]
    name: text(200) = ""  # type: ignore[valid-type]


class TicketFieldsIn(InputSchema):
    """Fields shared by create and update; every one is optional on update."""

    description: text(200_000) | None = Field(None, examples=["打印机无法连接 Wi-Fi，重启后仍然不行。"])  # type: ignore[valid-type]
    department_id: Id | None = None
    contact_id: Id | None = None
    account_id: Id | None = None
    assignee_id: Id | None = None
    team_id: Id | None = None
    brand_id: Id | None = None
    parent_id: Id | None = None
    status: text(100) | None = Field(None, examples=["处理中"])  # type: ignore[valid-type]
    status_id: Id | None = None
    priority: text(100) | None = Field(None, examples=["高"])  # type: ignore[valid-type]
    priority_id: Id | None = None
    type: text(100) | None = Field(  # type: ignore[valid-type]
        None, description="A ticket type's name (中文 or English); null clears it.", examples=["问题"]
    )
    type_id: Id | None = None
    channel: ChannelName | None = None  # type: ignore[valid-type]
    category: text(100) | None = None  # type: ignore[valid-type]
    sub_category: text(100) | None = None  # type: ignore[valid-type]
    product: text(100) | None = None  # type: ignore[valid-type]
    language: Language | None = None
    tags: list[TagName] | None = Field(None, max_length=50, examples=[["打印机", "wifi"]])  # type: ignore[valid-type]
    custom_fields: dict[Text, JsonValue] | None = None
    # Computed by the SLA policies: shown in TicketOut, refused on input.
    first_response_due_at: ReadOnly = None
    next_response_due_at: ReadOnly = None
    resolution_due_at: ReadOnly = None


class TicketCreateIn(TicketFieldsIn):
    subject: text(255, min_length=1) = Field(examples=["打印机无法连接网络"])  # type: ignore[valid-type]
    description: text(200_000, min_length=1) = Field(  # type: ignore[valid-type]
        description=(
            "The customer's first message (plain text or HTML). It becomes the ticket's first thread, "
            "an inbound message from the contact, and the ticket's description."
        ),
        examples=["打印机无法连接 Wi-Fi，重启后仍然不行。"],
    )
    department_id: Id
    contact: ContactRefIn | None = None
    cc: list[text(254)] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=50,
        description="Addresses the customer's message was also sent to; they stay on the ticket in CC.",
    )
    attachments: list[FileIn] = Field(
        default_factory=list, max_length=10, description="Files that came with the customer's message."
    )


class TicketUpdateIn(TicketFieldsIn):
    subject: text(255, min_length=1) | None = None  # type: ignore[valid-type]


class SlaTargetOut(Schema):
    """One SLA target of a ticket: its due date (``null`` while on hold), met (``null`` while pending)."""

    due_at: dt.datetime | None
    met: bool | None
    breached: bool


class TicketOut(Schema):
    id: int
    number: int
    display_number: str
    subject: str
    description: str
    status: str
    status_id: int
    status_type: str
    priority: str
    priority_id: int
    type: str | None
    type_id: int | None
    department_id: int
    team_id: int | None
    assignee_id: int | None
    contact_id: int
    account_id: int | None
    brand_id: int | None
    parent_id: int | None
    merged_into_id: int | None
    split_from_id: int | None
    is_spam: bool = False
    channel: str
    category: str
    sub_category: str
    product: str
    language: str
    tags: list[str]
    custom_fields: dict[str, Any]
    first_response_due_at: dt.datetime | None
    next_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    first_responded_at: dt.datetime | None
    sla_policy_id: int | None
    sla_paused: bool
    sla: dict[str, SlaTargetOut] = Field(
        description="Per target (`first_response`, `next_response`, `resolution`) of the SLA policy."
    )
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class TicketListOut(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class TicketFiltersIn(Schema):
    status: text(100) | None = Field(None, description="A status name (中文 or English) or id.")  # type: ignore[valid-type]
    status_type: Literal["open", "on_hold", "closed"] | None = None
    priority: text(100) | None = Field(None, description="A priority name or id.")  # type: ignore[valid-type]
    type: text(100) | None = Field(None, description="A ticket type's name or id, or `none`.")  # type: ignore[valid-type]
    department_id: Id | None = None
    assignee_id: text(20) | None = Field(None, description="An agent's user id, `me` or `none`.")  # type: ignore[valid-type]
    contact_id: Id | None = None
    account_id: Id | None = None
    channel: ChannelName | None = None  # type: ignore[valid-type]
    tag: text(64) | None = None  # type: ignore[valid-type]
    created_after: Moment | None = None
    created_before: Moment | None = None
    updated_after: Moment | None = None
    updated_before: Moment | None = None
    q: text(500) | None = Field(
        None,
        description="Words in the subject, tags or conversation (any of them; Chinese is segmented).",
    )  # type: ignore[valid-type]
    sort: ListSort | None = Field(  # type: ignore[valid-type]
        None, description="`relevance` (the default when `q` is given) or a field; else `-created_at`."
    )
    custom_field: list[text(200)] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=20,
        description="`key:value` of a custom pick list (a multi-select: one of its values); repeat for more.",
    )
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str
    thread_id: int | None
    comment_id: int | None
    created_at: dt.datetime


class ReplyIn(InputSchema):
    body: text(200_000, min_length=1) = Field(examples=["您好，请尝试将路由器恢复出厂设置后重新连接。"])  # type: ignore[valid-type]
    to: list[text(254)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    cc: list[text(254)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    bcc: list[text(254)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    attachment_ids: list[Id] = Field(default_factory=list, max_length=100)
    send_at: Annotated[Moment, Field(examples=["2026-12-08T09:30:00+08:00"])] | None = Field(
        None,
        description=(
            "Schedule the reply for this moment (ISO 8601 with its offset, in the future, within 365 days) "
            "instead of sending it now. The answer then has `scheduled: true`."
        ),
    )


class ScheduledReplyIn(InputSchema):
    """What may change on a scheduled reply before it goes."""

    body: text(200_000, min_length=1) | None = None  # type: ignore[valid-type]
    send_at: Moment | None = None


class MessageIn(InputSchema):
    """A customer's message recorded by an integration (chat, phone, social) or an agent logging a call."""

    body: text(200_000, min_length=1) = Field(examples=["还是连不上，指示灯一直闪红灯。"])  # type: ignore[valid-type]
    channel: ChannelName | None = Field(None, description="Where the customer wrote; default the ticket's.")  # type: ignore[valid-type]
    cc: list[text(254)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    attachments: list[FileIn] = Field(default_factory=list, max_length=10)


class ThreadOut(Schema):
    id: int
    ticket_id: int
    direction: str
    channel: str
    author_user_id: int | None
    author_contact_id: int | None
    from_address: str
    to: list[str]
    cc: list[str]
    subject: str
    body_html: str
    body_text: str
    delivery_status: str
    delivery_error: str = Field(
        description="Why a reply was not sent (the mail server's answer, or why a scheduled reply failed)."
    )
    scheduled: bool = Field(description="A reply waiting for `send_at`: not sent, not seen by the customer.")
    send_at: dt.datetime | None = Field(description="When a scheduled reply goes (or went).")
    attachments: list[AttachmentOut]
    created_at: dt.datetime


class ThreadListOut(Schema):
    items: list[ThreadOut]
    next_cursor: str | None


class CommentIn(InputSchema):
    body: text(200_000, min_length=1) = Field(examples=["@张伟 这个客户是 VIP，请优先处理。"])  # type: ignore[valid-type]
    public: bool = False
    mention_ids: list[Id] = Field(default_factory=list, max_length=50)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=100)


class CommentOut(Schema):
    id: int
    author_id: int | None
    body_html: str
    body_text: str
    public: bool
    mention_ids: list[int]
    attachments: list[AttachmentOut]
    created_at: dt.datetime


class CommentListOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_kind: str
    actor_id: int | None
    actor_name: str
    source: str
    action: str
    field: str
    old_value: Any
    new_value: Any


class EventListOut(Schema):
    items: list[EventOut]
    next_cursor: str | None


class TagsIn(InputSchema):
    add: list[TagName] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    remove: list[TagName] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]


class FollowIn(InputSchema):
    user_id: Id | None = Field(None, description="Defaults to the caller.")


class StatusOut(Schema):
    id: int
    name: str
    name_en: str
    type: str
    order: int
    is_default: bool


class PriorityOut(Schema):
    id: int
    name: str
    name_en: str
    colour: str
    order: int
    is_default: bool


class TicketTypeOut(Schema):
    id: int
    name: str
    name_en: str
    order: int
    is_default: bool
    is_active: bool


class TicketTypeIn(InputSchema):
    name: text(100, min_length=1) = Field(examples=["退换货"])  # type: ignore[valid-type]
    name_en: text(100) = Field("", examples=["Return"])  # type: ignore[valid-type]
    order: int = 0
    is_default: bool = False
    is_active: bool = True


class RelativeOut(Schema):
    """A parent or child ticket. ``subject`` is null when the caller may not open that ticket (another
    department's): its number, status, department, team and assignee are still shown."""

    id: int
    number: int
    display_number: str
    subject: str | None
    status: str
    status_type: str
    department: str
    team: str | None
    assignee: str | None
    accessible: bool


class ChildrenOut(Schema):
    items: list[RelativeOut]


class MergeIn(InputSchema):
    ticket_ids: list[Id] = Field(max_length=20, examples=[[1043, 1051]])
