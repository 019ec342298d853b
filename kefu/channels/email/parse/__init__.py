"""MIME → ParsedMessage: the email channel's pure parser (no ORM, no Django database)."""

from .body import MAX_ATTACHMENT_BYTES
from .message import Address, DeliveryReport, ParsedAttachment, ParsedMessage
from .parser import parse_message

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "Address",
    "DeliveryReport",
    "ParsedAttachment",
    "ParsedMessage",
    "parse_message",
]
