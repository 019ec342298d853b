"""Delivery-status notifications (RFC 3464): which of our messages bounced, for whom, and why."""

from __future__ import annotations

import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

from .body import first_raw_headers
from .headers import decode_header_value, normalise_space, parse_message_ids, split_value_and_params
from .message import DeliveryReport, ParsedAttachment


def _content_type(part: Message) -> str:
    value, _ = split_value_and_params(first_raw_headers(part).get("content-type"))
    return value


def _text_payload(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken report part just yields nothing
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else ""


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The per-message and per-recipient field blocks of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [first_raw_headers(block) for block in payload if isinstance(block, Message)]
        if blocks:
            return blocks
    text = _text_payload(part).replace("\r\n", "\n")
    result = []
    for chunk in text.split("\n\n"):
        headers = first_raw_headers(BytesHeaderParser(policy=compat32).parsebytes(chunk.strip().encode()))
        if headers:
            result.append(headers)
    return result


def _original_message_id(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        headers = first_raw_headers(payload[0])
    elif isinstance(payload, str):
        text = _text_payload(part).lstrip()
        headers = first_raw_headers(BytesHeaderParser(policy=compat32).parsebytes(text.encode()))
    else:
        return ""
    ids = parse_message_ids([headers.get("message-id", "")])
    return ids[0] if ids else ""


def _address(value: str) -> str:
    """ "rfc822; user@example.com" → "user@example.com"."""
    return decode_header_value(value).split(";", 1)[-1].strip().strip("<>").lower()


def parse_delivery_report(message: Message) -> DeliveryReport | None:
    """The report in a multipart/report message, or None when the message is not one."""
    if _content_type(message) != "multipart/report":
        return None
    parts = message.get_payload()
    if not isinstance(parts, list):
        return None
    recipients: list[str] = []
    action = status = diagnostic = original = ""
    for part in parts:
        if not isinstance(part, Message):
            continue
        content_type = _content_type(part)
        if content_type in ("message/delivery-status", "message/global-delivery-status"):
            for block in _status_blocks(part):
                recipient = block.get("final-recipient") or block.get("original-recipient")
                if not recipient:
                    continue
                recipients.append(_address(recipient))
                if not action:
                    action = decode_header_value(block.get("action", "")).strip().lower()
                    status = decode_header_value(block.get("status", "")).strip().split(" ", 1)[0]
                    diagnostic = normalise_space(decode_header_value(block.get("diagnostic-code", "")))
        elif (
            content_type in ("text/rfc822-headers", "message/rfc822", "message/global-headers")
            and not original
        ):
            original = _original_message_id(part)
    if not recipients and not original:
        return None
    return DeliveryReport(
        original_message_id=original,
        recipients=recipients,
        action=action,
        status=status,
        diagnostic=diagnostic,
    )


_MESSAGE_ID_LINE = re.compile(r"^[ \t>]*Message-ID:[ \t]*<([^<>\s]+)>", re.IGNORECASE | re.MULTILINE)
_STATUS_CODE = re.compile(r"\b([45]\.\d{1,3}\.\d{1,3})\b")
_BOUNCE_SCAN_CHARS = 100_000
_HEADERS_SCAN_BYTES = 64 * 1024


def guess_bounce(text: str, attachments: list[ParsedAttachment]) -> DeliveryReport | None:
    """A report for a daemon's bounce that is not multipart/report (QQ, NetEase and old MTAs send those).

    The original Message-ID comes from an attached message or a quoted ``Message-ID:`` line; without one
    there is nothing to attach the bounce to, so None.
    """
    original = ""
    for attachment in attachments:
        if attachment.content_type == "message/rfc822":
            parsed = BytesHeaderParser(policy=compat32).parsebytes(attachment.data[:_HEADERS_SCAN_BYTES])
            ids = parse_message_ids([first_raw_headers(parsed).get("message-id", "")])
            if ids:
                original = ids[0]
                break
    scanned = text[:_BOUNCE_SCAN_CHARS]
    if not original:
        found = _MESSAGE_ID_LINE.search(scanned)
        original = found.group(1) if found else ""
    if not original:
        return None
    status = _STATUS_CODE.search(scanned)
    code = status.group(1) if status else ""
    return DeliveryReport(
        original_message_id=original,
        recipients=[],
        action="delayed" if code.startswith("4") else "failed",
        status=code,
        diagnostic="",
    )
