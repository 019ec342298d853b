"""``Idempotency-Key`` support for creating endpoints.

A client that lost the answer to a POST retries it with the same key and gets the stored answer instead
of a second ticket. The stored answer is written in the same transaction as the object it describes,
so the two can never disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kefu.core.errors import Conflict, ValidationFailed
from kefu.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _printable_ascii(value: str) -> bool:
    """What an HTTP header can carry intact (and a database can store: no NUL)."""
    return all(" " <= ch <= "~" for ch in value)


def idempotent(
    request: HttpRequest, create: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any]]:
    """Run ``create`` (returning ``(status, json_body)``) at most once per user, key and endpoint."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not _printable_ascii(key):
        raise ValidationFailed(
            _("The Idempotency-Key header is not valid."),
            fields={HEADER: _("Use 1 to %(limit)d characters.") % {"limit": MAX_KEY_LENGTH}},
        )
    user = request.auth  # type: ignore[attr-defined]  # set by Django Ninja's authentication
    request_hash = hashlib.sha256(request.body).hexdigest()
    stored = IdempotentRequest.objects.filter(user=user, key=key, endpoint=request.path).first()
    if stored is not None:
        if stored.request_hash != request_hash:
            raise Conflict(
                _("This Idempotency-Key was used with a different request."),
                fields={HEADER: _("Already used for another request.")},
            )
        return stored.status_code, stored.response_body
    try:
        with transaction.atomic():
            status, body = create()
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                endpoint=request.path,
                request_hash=request_hash,
                status_code=status,
                response_body=body,
            )
    except IntegrityError:
        raise Conflict(
            _("A request with this Idempotency-Key is in progress; retry shortly."),
            fields={HEADER: _("In progress.")},
        ) from None
    return status, body
