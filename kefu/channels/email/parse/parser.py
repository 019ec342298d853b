"""parse_message: raw bytes in, a ParsedMessage out, whatever the bytes are."""

from __future__ import annotations

import dataclasses
import email.policy
import re
from email.message import Message
from email.parser import BytesParser

from kefu.core.html import html_to_text, sanitize_html

from .body import Body, first_raw_headers, walk
from .charsets import decode_bytes
from .dsn import guess_bounce, parse_delivery_report
from .headers import (
    decode_header_value,
    normalise_space,
    parse_addresses,
    parse_date,
    parse_message_ids,
)
from .message import Address, ParsedAttachment, ParsedMessage
from .noise import is_auto_submitted, is_from_daemon, is_spam
from .quotes import remove_head, split_html, split_text

_NO_ADDRESS = Address(name="", address="")
_FALLBACK_TEXT_BYTES = 1024 * 1024
_FIRST_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_HINT_SCAN_BYTES = 64 * 1024


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one raw RFC 5322 message. Never raises: what was wrong and recovered is listed in ``defects``."""
    defects: list[str] = []
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    elif not isinstance(raw, bytes | bytearray | memoryview):
        defects.append("input is not bytes")
        raw = b""
    raw = bytes(raw)
    if not raw.strip():
        defects.append("empty message")
    try:
        return _parse(raw, defects)
    except Exception as exc:  # the last line of defence: intake must always get a message
        defects.append(f"unparseable message ({type(exc).__name__})")
        return _unparseable(raw, defects)


def _all_raw(message: Message, name: str) -> list[str]:
    return [str(value) for key, value in message.raw_items() if str(key).lower() == name]


def _decoded_headers(message: Message, defects: list[str], hint: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        key = str(name).lower().strip()
        if key and key not in headers:
            headers[key] = normalise_space(decode_header_value(str(value), defects, hint))
    return headers


def _charset_hint(raw: bytes) -> str:
    """The first charset the message names: the likeliest charset of any unencoded 8-bit header."""
    found = _FIRST_CHARSET.search(raw, 0, _HINT_SCAN_BYTES)
    return found.group(1).decode("ascii") if found else ""


def _parse(raw: bytes, defects: list[str]) -> ParsedMessage:
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    for defect in message.defects[:20]:
        defects.append(type(defect).__name__)
    hint = _charset_hint(raw)
    headers = _decoded_headers(message, defects, hint)
    raw_headers = first_raw_headers(message)
    sender_list = (
        parse_addresses(_all_raw(message, "from"), defects, hint)
        or parse_addresses(_all_raw(message, "sender"), defects, hint)
        or parse_addresses(_all_raw(message, "return-path"), defects, hint)
    )
    sender = sender_list[0] if sender_list else _NO_ADDRESS
    body = Body()
    walk(message, body, defects)
    text = "\n\n".join(part.strip("\n") for part in body.text_parts if part.strip())
    raw_html = "\n".join(remove_head(part) for part in body.html_parts)
    safe_html = sanitize_html(raw_html) if raw_html.strip() else ""
    if not text and safe_html:
        text = html_to_text(safe_html)
    new_text, quoted_text = split_text(text)
    new_html = ""
    quoted_html = False
    if safe_html:
        new_raw_html, quoted_html = split_html(raw_html)
        new_html = sanitize_html(new_raw_html) if new_raw_html is not raw_html else safe_html
        if not body.text_parts:
            new_text = html_to_text(new_html)
            quoted_text = quoted_html
    attachments = _mark_inline(body, safe_html)
    report = parse_delivery_report(message)
    if report is None and is_from_daemon(sender):
        report = guess_bounce(text, attachments)
    message_ids = parse_message_ids([raw_headers.get("message-id", "")])
    return ParsedMessage(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=parse_message_ids(_all_raw(message, "in-reply-to")),
        references=parse_message_ids(_all_raw(message, "references")),
        subject=normalise_space(headers.get("subject", "")),
        sender=sender,
        reply_to=parse_addresses(_all_raw(message, "reply-to"), defects, hint),
        to=parse_addresses(_all_raw(message, "to"), defects, hint),
        cc=parse_addresses(_all_raw(message, "cc"), defects, hint),
        date=parse_date(headers.get("date")),
        text=text.strip(),
        html=safe_html,
        new_text=new_text,
        new_html=new_html,
        has_quoted_history=quoted_text or quoted_html,
        attachments=attachments,
        is_auto_submitted=is_auto_submitted(headers),
        is_from_daemon=is_from_daemon(sender),
        is_spam=is_spam(headers),
        delivery_report=report,
        headers=headers,
        defects=defects,
    )


def _mark_inline(body: Body, safe_html: str) -> list[ParsedAttachment]:
    """Parts the HTML shows through ``cid:`` display inline; the rest are ordinary files."""
    lowered = safe_html.lower()
    if "cid:" not in lowered:
        return body.attachments
    return [
        dataclasses.replace(attachment, is_inline=True)
        if attachment.content_id and f"cid:{attachment.content_id.lower()}" in lowered
        else attachment
        for attachment in body.attachments
    ]


def _unparseable(raw: bytes, defects: list[str]) -> ParsedMessage:
    text = decode_bytes(raw[:_FALLBACK_TEXT_BYTES], None, defects).strip()
    return ParsedMessage(
        message_id="",
        in_reply_to=[],
        references=[],
        subject="",
        sender=_NO_ADDRESS,
        reply_to=[],
        to=[],
        cc=[],
        date=None,
        text=text,
        html="",
        new_text=text,
        new_html="",
        has_quoted_history=False,
        attachments=[],
        is_auto_submitted=False,
        is_from_daemon=False,
        is_spam=False,
        delivery_report=None,
        headers={},
        defects=defects,
    )
