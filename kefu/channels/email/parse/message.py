"""What the parser hands to intake: a framework-free picture of one email message."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Address:
    name: str
    address: str  # lower-cased; "" when the header held no usable address


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""  # without angle brackets; set for parts an HTML body shows inline (cid:)
    is_inline: bool = False


@dataclass(frozen=True)
class DeliveryReport:
    """A delivery-status notification (multipart/report): which of our messages failed, and why."""

    original_message_id: str  # without angle brackets; "" when the report does not say
    recipients: list[str]
    action: str  # "failed", "delayed", ...
    status: str  # "5.1.1", ...
    diagnostic: str


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without angle brackets; "" when the message has none
    in_reply_to: list[str]
    references: list[str]
    subject: str
    sender: Address  # From (falling back to Sender / Return-Path)
    reply_to: list[Address]
    to: list[Address]
    cc: list[Address]
    date: datetime.datetime | None  # aware
    text: str  # the whole body as plain text
    html: str  # the whole body as sanitised HTML ("" when the message had only text)
    new_text: str  # the new part only: quoted history and signature removed
    new_html: str  # the same for HTML ("" when no HTML)
    has_quoted_history: bool
    attachments: list[ParsedAttachment]
    # Auto-Submitted other than "no", X-Autoreply / X-Autorespond, Precedence bulk / list / junk:
    is_auto_submitted: bool
    is_from_daemon: bool  # mailer-daemon / postmaster senders
    is_spam: bool  # X-Spam-Flag: YES
    delivery_report: DeliveryReport | None
    # the decoded first value of every header, by lower-case name:
    headers: dict[str, str] = field(default_factory=dict)
    defects: list[str] = field(default_factory=list)  # what was wrong and recovered from
