"""Unpacking Outlook's TNEF (winmail.dat) so its files and body reach the ticket like any other part."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field

from tnefparse import TNEF

from .charsets import decode_bytes
from .message import ParsedAttachment

TNEF_CONTENT_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
# Python's built-in table only: the machine's /etc/mime.types must not change what a message parses to.
MIME_TYPES = mimetypes.MimeTypes()


@dataclass
class TnefContent:
    text: str = ""
    html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)


def is_tnef(content_type: str, filename: str) -> bool:
    return content_type in TNEF_CONTENT_TYPES or filename.lower() == "winmail.dat"


def _as_text(value: object, defects: list[str]) -> str:
    if isinstance(value, bytes):
        return decode_bytes(value.rstrip(b"\x00"), "cp1252", defects)
    if isinstance(value, str):
        return value.rstrip("\x00")
    return ""


def unpack_tnef(data: bytes, defects: list[str]) -> TnefContent | None:
    """The body and files inside a TNEF blob; None when it is not TNEF we can read (keep it as a file)."""
    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception:  # tnefparse raises anything from struct errors to ValueError on bad data
        defects.append("unreadable winmail.dat kept as a file")
        return None
    content = TnefContent(text=_as_text(tnef.body, defects), html=_as_text(tnef.htmlbody, defects))
    for index, attachment in enumerate(tnef.attachments, start=1):
        try:
            name = str(attachment.long_filename() or "").strip("\x00").strip()
        except Exception:  # a broken name must not lose the file
            name = ""
        payload = attachment.data if isinstance(attachment.data, bytes) else b""
        name = name or f"attachment-{index}"
        content_type = MIME_TYPES.guess_type(name)[0] or "application/octet-stream"
        content.attachments.append(ParsedAttachment(filename=name, content_type=content_type, data=payload))
    return content
