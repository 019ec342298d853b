"""Storing files on tickets: size-limited, typed by their bytes, stored under a random name."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, NoReturn

import filetype
from django.conf import settings
from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import PayloadTooLarge, ValidationFailed
from kefu.core.event_types import EventType
from kefu.tickets.inputs import FileInput
from kefu.tickets.models import Attachment, Ticket
from kefu.tickets.services.authorization import TICKET_ATTACH, authorize
from kefu.tickets.services.changes import ticket_change

_SNIFF_BYTES = 8192
_CID = re.compile(r"""cid:([^"'\s>]+)""", re.IGNORECASE)


def clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[-255:] or "attachment"


def sniff_content_type(head: bytes) -> str:
    """The type the bytes say, never the type the sender claimed (which may be a lie or a typo)."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" in head:
        return "application/octet-stream"
    # A multi-byte character cut at the sniffing boundary is still text; only a file longer than the
    # sniffed head can have been cut there (an incremental decoder accepts an incomplete tail).
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the size checks, with what its bytes say about it."""

    file: FileInput
    name: str
    size: int
    content_type: str
    sha256: str


def check_file(file: FileInput) -> CheckedFile:
    """Refuse a file that is empty or over the limit; read its type and digest. Writes nothing."""
    content = file.content
    limit = settings.KEFU_MAX_ATTACHMENT_BYTES
    content.seek(0, os.SEEK_END)
    actual_size = content.tell() if file.size is None else file.size
    if actual_size > limit:
        raise PayloadTooLarge(
            _("The file is larger than %(limit)d bytes.") % {"limit": limit},
            fields={"file": _("The file is too large.")},
        )
    if actual_size == 0:
        raise ValidationFailed(_("The file is empty."), fields={"file": _("The file is empty.")})
    content.seek(0)
    head = content.read(_SNIFF_BYTES)
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: content.read(1 << 20), b""):
        digest.update(chunk)
    content.seek(0)
    return CheckedFile(
        file, clean_filename(file.filename), actual_size, sniff_content_type(head), digest.hexdigest()
    )


def store_file(ticket: Ticket, checked: CheckedFile, *, uploaded_by: Any = None) -> Attachment:
    """Write a checked file on ``ticket`` (inside the caller's transaction and change record)."""
    attachment = Attachment(
        ticket=ticket,
        filename=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        content_id=checked.file.content_id[:255],
        is_inline=checked.file.is_inline,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(uuid.uuid4().hex, File(checked.file.content), save=False)
    attachment.save()
    return attachment


def link_inline_images(html: str, ticket: Ticket, attachments: Iterable[Attachment]) -> str:
    """Point ``cid:`` images at the stored files, so the body shows them where the sender put them."""
    by_cid = {attachment.content_id: attachment for attachment in attachments if attachment.content_id}
    if not html or not by_cid:
        return html

    def url(match: re.Match[str]) -> str:
        attachment = by_cid.get(match.group(1))
        if attachment is None:
            return match.group(0)
        return reverse(
            "api-v1:download_attachment", kwargs={"ticket_id": ticket.pk, "attachment_id": attachment.pk}
        )

    return _CID.sub(url, html)


def attachment_add(
    *,
    actor: Actor,
    source: Source,
    ticket: Ticket,
    filename: str,
    content: IO[bytes],
    size: int | None = None,
    content_id: str = "",
    is_inline: bool = False,
) -> Attachment:
    """Store a file on ``ticket``; ``content_id``/``is_inline`` let an email body show it (``cid:``)."""
    authorize(actor, ticket, TICKET_ATTACH)
    checked = check_file(FileInput(filename, content, size, content_id, is_inline))
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_ATTACHMENT_ADDED
    ) as change:
        attachment = store_file(change.ticket, checked, uploaded_by=actor.user if actor.is_agent else None)
        change.add("attachments", None, {"id": attachment.pk, "name": attachment.filename})
    return attachment


def claim_attachments(ticket: Ticket, attachment_ids: Iterable[int]) -> list[Attachment]:
    """The ticket's not-yet-sent attachments with these ids, or a validation error naming the bad ones."""
    wanted = list(dict.fromkeys(attachment_ids))
    if not wanted:
        return []
    found = list(
        Attachment.objects.filter(
            pk__in=wanted, ticket=ticket, thread__isnull=True, comment__isnull=True
        ).order_by("id")
    )
    missing = set(wanted) - {attachment.pk for attachment in found}
    if missing:
        raise_unusable_attachments(missing)
    return found


def raise_unusable_attachments(attachment_ids: Iterable[int]) -> NoReturn:
    raise ValidationFailed(
        _("Some attachments cannot be used."),
        fields={
            "attachment_ids": _("Unknown or already used: %(ids)s.")
            % {"ids": ", ".join(map(str, sorted(attachment_ids)))}
        },
    )
