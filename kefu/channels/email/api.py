"""HTTP intake of raw mail: ``POST /api/v1/mail/inbound`` for mail services and gateways that post MIME.

Authentication is a shared secret in the ``X-Kefu-Mail-Secret`` header, not a user's API key: the
mailbox's own secret when an administrator set one (only its SHA-256 is stored, in
``Mailbox.intake_secret_digest``), otherwise ``KEFU_MAIL_INBOUND_SECRET`` from the environment. The
body is the message exactly as received (``Content-Type: message/rfc822``). The answer, 202, comes as
soon as the message is stored; a worker turns it into a ticket or thread.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kefu.channels.email.intake import intake_secret_matches, message_store
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.tasks.intake import process_message
from kefu.core.api_types import ERRORS
from kefu.core.errors import NotFound, PayloadTooLarge, PermissionDenied, ServiceError

logger = logging.getLogger(__name__)

router = Router(auth=None, tags=["mail"])

SECRET_HEADER = "X-Kefu-Mail-Secret"


class MissingSecret(ServiceError):
    status_code = 401
    code = "unauthenticated"


class InboundAccepted(Schema):
    id: int
    state: str


def _read_body(request: HttpRequest, limit: int) -> bytes:
    """The raw body, refusing one over ``limit`` without reading it all (Django's form limit is far lower)."""
    too_large = PayloadTooLarge(
        _("The message is larger than %(limit)d bytes.") % {"limit": limit},
        fields={"body": _("The message is too large.")},
    )
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return raw


@router.post(
    "/inbound",
    response={202: InboundAccepted, **ERRORS},
    summary="Deliver one raw email message",
    description=(
        f"Body: the raw RFC 5322 message (`Content-Type: message/rfc822`). Header `{SECRET_HEADER}`: the "
        "mailbox's intake secret or the installation's `KEFU_MAIL_INBOUND_SECRET`. Query `mailbox`: the "
        "address it was delivered to (optional: without it the recipients decide)."
    ),
    openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string"}}}}},
)
def inbound_message(request: HttpRequest, mailbox: str = "") -> Status[dict[str, object]]:
    secret = request.headers.get(SECRET_HEADER, "")
    if not secret:
        raise MissingSecret(_("Send the intake secret in the %(header)s header.") % {"header": SECRET_HEADER})
    target = Mailbox.objects.filter(address__iexact=mailbox.strip()).first() if mailbox else None
    if not intake_secret_matches(secret, target):
        raise PermissionDenied(_("The intake secret is not valid."))
    if mailbox and target is None:
        raise NotFound(_("No such mailbox."))
    raw = _read_body(request, settings.KEFU_MAIL_MAX_MESSAGE_BYTES)
    inbound = message_store(raw, source=InboundMessage.Source.HTTP, mailbox=target)
    try:
        process_message.delay(inbound.pk)
    except Exception:
        # The message is stored; the recovery pass processes it when the broker is back.
        logger.exception("could not queue inbound message %s", inbound.pk)
    inbound.refresh_from_db(fields=["state"])
    return Status(202, {"id": inbound.pk, "state": inbound.state})
