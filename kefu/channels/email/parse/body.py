"""Walking the MIME tree: which parts are the body, which are files, and what is hidden inside winmail.dat."""

from __future__ import annotations

import email.policy
import re
from dataclasses import dataclass, field
from email.message import Message

from .charsets import decode_bytes
from .headers import decode_header_value, normalise_space, parse_message_ids, split_value_and_params
from .message import ParsedAttachment
from .tnef import MIME_TYPES, is_tnef, unpack_tnef

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_DEPTH = 20
MAX_PARTS = 2000
_TOO_BIG = "MIME tree too deep or too large; the rest was skipped"
# HTML without a MIME charset often names one in a <meta> tag, which browsers honour and so do we.
_META_CHARSET = re.compile(rb"<meta[^<>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_META_SCAN_BYTES = 4096
# A subject turned into a file name must be savable on any system.
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_AS_RECEIVED = email.policy.default.clone(refold_source="none")
# What a delivery report says is in ParsedMessage.delivery_report; these parts are not files for people.
_REPORT_PARTS = {"message/delivery-status", "message/global-delivery-status", "text/rfc822-headers"}


@dataclass
class Body:
    text_parts: list[str] = field(default_factory=list)
    html_parts: list[str] = field(default_factory=list)  # raw: sanitised after the quote split
    attachments: list[ParsedAttachment] = field(default_factory=list)
    parts_seen: int = 0


def first_raw_headers(part: Message) -> dict[str, str]:
    """The raw value of the first occurrence of each header, by lower-case name."""
    headers: dict[str, str] = {}
    for name, value in part.raw_items():
        headers.setdefault(str(name).lower().strip(), str(value))
    return headers


def _content_type(raw: dict[str, str], defects: list[str], default: str) -> tuple[str, dict[str, str]]:
    value, params = split_value_and_params(raw.get("content-type"), defects)
    if "/" not in value:
        if value:
            defects.append(f"invalid content type {value[:40]!r}")
        return default, params
    return value, params


def _payload_bytes(part: Message, defects: list[str]) -> bytes:
    """The decoded bytes of a leaf part; the stdlib already tolerates damaged base64 and records it."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding must not lose the rest of the message
        defects.append("undecodable part payload")
        return b""
    return payload if isinstance(payload, bytes) else b""


def message_bytes(part: Message) -> bytes:
    """A message serialised back to bytes with its headers as they came in; never raises."""
    try:
        return part.as_bytes(policy=_AS_RECEIVED)
    except Exception:  # serialising malformed headers can raise; fall back to the text form
        pass
    try:
        return part.as_string(policy=_AS_RECEIVED).encode("utf-8", "surrogateescape")
    except Exception:  # nothing left to try: the attachment is kept empty rather than lost with the rest
        return b""


def _filename(raw: dict[str, str], ct_params: dict[str, str], defects: list[str]) -> tuple[str, str]:
    """(disposition, filename) with the filename decoded and stripped of any path."""
    disposition, params = split_value_and_params(raw.get("content-disposition"), defects)
    name = params.get("filename") or ct_params.get("name") or ""
    name = normalise_space(name).replace("\\", "/").rsplit("/", 1)[-1].strip("\x00")
    return disposition, name


def _default_name(content_type: str, index: int) -> str:
    if content_type == "text/calendar":
        return "invite.ics"
    extension = MIME_TYPES.guess_extension(content_type) or ".bin"
    return f"attachment-{index}{extension}"


def _add_attachment(body: Body, attachment: ParsedAttachment, defects: list[str]) -> None:
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        defects.append(
            f"attachment {attachment.filename!r} dropped: {len(attachment.data)} bytes over the limit"
        )
        return
    body.attachments.append(attachment)


def _embedded_message(part: Message, filename: str, defects: list[str]) -> ParsedAttachment:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if isinstance(inner, Message):
        data = message_bytes(inner)
        subject = decode_header_value(first_raw_headers(inner).get("subject", ""), defects)
    else:
        data = _payload_bytes(part, defects)
        subject = ""
    if not filename:
        stem = _UNSAFE_IN_FILENAME.sub("_", normalise_space(subject))[:80] or "message"
        filename = f"{stem}.eml"
    return ParsedAttachment(filename=filename, content_type="message/rfc822", data=data)


def walk(part: Message, body: Body, defects: list[str], depth: int = 0, default: str = "text/plain") -> None:
    """Add ``part`` and its children to ``body``."""
    body.parts_seen += 1
    if depth > MAX_DEPTH or body.parts_seen > MAX_PARTS:
        if _TOO_BIG not in defects:
            defects.append(_TOO_BIG)
        return
    raw = first_raw_headers(part)
    content_type, ct_params = _content_type(raw, defects, default)
    maintype = content_type.split("/", 1)[0]
    if maintype == "multipart":
        children = part.get_payload()
        if not isinstance(children, list):
            defects.append(f"{content_type} without parts read as text")
            _text_part(part, body, ct_params, "text/plain", defects)
            return
        if content_type == "multipart/alternative":
            _alternative(children, body, defects, depth)
            return
        child_default = "message/rfc822" if content_type == "multipart/digest" else "text/plain"
        for child in children:
            if isinstance(child, Message):
                walk(child, body, defects, depth + 1, child_default)
        return
    if content_type in _REPORT_PARTS:
        return
    disposition, filename = _filename(raw, ct_params, defects)
    if content_type in ("message/rfc822", "message/global"):
        _add_attachment(body, _embedded_message(part, filename, defects), defects)
        return
    if content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        _text_part(part, body, ct_params, content_type, defects)
        return
    data = _payload_bytes(part, defects)
    if is_tnef(content_type, filename):
        unpacked = unpack_tnef(data, defects)
        if unpacked is not None:
            if unpacked.html:
                body.html_parts.append(unpacked.html)
            # Outlook usually sends the TNEF body as a MIME part as well; show it once.
            if unpacked.text.strip() and not any(unpacked.text.strip() in part for part in body.text_parts):
                body.text_parts.append(unpacked.text.replace("\r\n", "\n"))
            for attachment in unpacked.attachments:
                _add_attachment(body, attachment, defects)
            return
    content_ids = parse_message_ids([raw.get("content-id", "")])
    _add_attachment(
        body,
        ParsedAttachment(
            filename=filename or _default_name(content_type, len(body.attachments) + 1),
            content_type=content_type,
            data=data,
            content_id=content_ids[0] if content_ids else "",
            is_inline=False,
        ),
        defects,
    )


def _text_part(
    part: Message, body: Body, params: dict[str, str], content_type: str, defects: list[str]
) -> None:
    data = _payload_bytes(part, defects)
    if not data and part.is_multipart():
        return
    charset = params.get("charset")
    if not charset and content_type == "text/html":
        meta = _META_CHARSET.search(data[:_META_SCAN_BYTES])
        charset = meta.group(1).decode("ascii") if meta else None
    text = decode_bytes(data, charset, defects).replace("\r\n", "\n")
    (body.html_parts if content_type == "text/html" else body.text_parts).append(text)


def _alternative(children: list[object], body: Body, defects: list[str], depth: int) -> None:
    """Keep the last HTML rendering and the first plain one; files from every rendering."""
    text_done = False
    html: list[str] = []
    for child in children:
        if not isinstance(child, Message):
            continue
        sub = Body(parts_seen=body.parts_seen)
        walk(child, sub, defects, depth + 1)
        body.parts_seen = sub.parts_seen
        if sub.text_parts and not text_done:
            body.text_parts.extend(sub.text_parts)
            text_done = True
        if sub.html_parts:
            html = sub.html_parts
        body.attachments.extend(sub.attachments)
    body.html_parts.extend(html)
