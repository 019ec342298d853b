"""Storing files on tickets: size-limited, typed by their bytes, stored under a random name."""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
import uuid
from collections.abc import Iterable
from typing import IO, NoReturn

import filetype
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import PayloadTooLarge, ValidationFailed
from kefu.org import permissions
from kefu.tickets.models import Attachment, Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import Change, record_changes

_SNIFF_BYTES = 8192


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
    authorize(actor, ticket, permissions.TICKET_COMMENT)
    limit = settings.KEFU_MAX_ATTACHMENT_BYTES
    content.seek(0, os.SEEK_END)
    actual_size = content.tell() if size is None else size
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
    name = clean_filename(filename)
    with transaction.atomic():
        attachment = Attachment(
            ticket=ticket,
            filename=name,
            size=actual_size,
            content_type=sniff_content_type(head),
            sha256=digest.hexdigest(),
            content_id=content_id[:255],
            is_inline=is_inline,
            uploaded_by=actor.user if actor.is_agent else None,
        )
        attachment.file.save(uuid.uuid4().hex, File(content), save=False)
        attachment.save()
        record_changes(
            ticket=ticket,
            actor=actor,
            source=source,
            changes=[Change("attachment_added", "attachments", None, {"id": attachment.pk, "name": name})],
            at=timezone.now(),
        )
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
