"""Framework-free inputs for the ticket services; every channel builds one of these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kefu.contacts.models import Contact


@dataclass
class ContactRef:
    """Who the ticket is for: an existing contact by id, or an email address to find or create."""

    contact_id: int | None = None
    email: str = ""
    name: str = ""
    contact: Contact | None = None
    """The contact itself, when the caller has just found it (a channel's sender): spares reading it again."""


@dataclass
class TicketCreateInput:
    subject: str
    department_id: int
    contact: ContactRef
    description: str = ""
    status: int | str | None = None
    priority: int | str | None = None
    type: int | str | None = None
    """A ticket type by id or name; ``None`` gives the default type, if one is marked."""
    channel: str = "web"
    assignee_id: int | None = None
    team_id: int | None = None
    account_id: int | None = None
    brand_id: int | None = None
    parent_id: int | None = None
    category: str = ""
    sub_category: str = ""
    product: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    message: MessageInput | None = None
    """The customer's first message; without one, ``description`` is taken as its text."""
    created_at: dt.datetime | None = None
    """Only imports may backdate a ticket; every other source gets the current time."""
    follow_up_of_id: int | None = None
    """The closed ticket this one continues (a customer replied after the reopen window)."""
    is_spam: bool = False


@dataclass
class ReplyInput:
    body: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    created_at: dt.datetime | None = None
    send_at: dt.datetime | None = None
    """Schedule the reply for this moment (aware, in the future) instead of sending it now."""


@dataclass
class CommentInput:
    body: str
    is_public: bool = False
    mention_ids: list[int] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    created_at: dt.datetime | None = None


@dataclass
class FileInput:
    """A file that arrives with a message, stored together with it."""

    filename: str
    content: IO[bytes]
    size: int | None = None
    content_id: str = ""
    is_inline: bool = False


@dataclass
class MessageInput:
    """A message from the customer: the first of a new ticket, or one more on an existing ticket."""

    body: str
    from_address: str = ""
    subject: str = ""
    channel: str = ""
    cc: list[str] = field(default_factory=list)
    message_id: str = ""
    full_html: str = ""
    """The whole message (sanitised HTML) when ``body`` shows only its new text."""
    attachment_ids: list[int] = field(default_factory=list)
    files: list[FileInput] = field(default_factory=list)
    """Files stored with the message; ``cid:`` images in ``body`` are pointed at them."""
    keep_in_cc: list[str] | None = None
    """Addresses to keep on the ticket as CC contacts (``None``: the message's ``cc``)."""
    created_at: dt.datetime | None = None
