"""Personal bearer keys for the REST API."""

from __future__ import annotations

import copy
import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.catalog_cache import cached
from kefu.core.errors import NotFound, ValidationFailed
from kefu.org import permissions
from kefu.org.models import ApiKey, User
from kefu.org.services.common import require_permission

API_KEY_PREFIX = "kefu"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(*, actor: Actor, source: Source, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key for ``user``; returns the key and the secret, which is shown once and never stored."""
    if actor.is_agent and actor.id != user.pk:
        require_permission(actor, permissions.AGENT_MANAGE)
    if not user.is_active:
        raise ValidationFailed(_("The user is deactivated."), fields={"user": _("Deactivated.")})
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            user=user, name=name.strip()[:100] or "API", prefix=prefix, digest=_digest(secret)
        )
        audit_record(
            actor=actor, source=source, action="api_key.created", obj=key, changes={"user_id": user.pk}
        )
    return key, secret


def api_key_revoke(*, actor: Actor, source: Source, key_id: int) -> ApiKey:
    key = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound(_("No such API key."))
    if actor.is_agent and actor.id != key.user_id:
        require_permission(actor, permissions.AGENT_MANAGE)
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, source=source, action="api_key.revoked", obj=key)
    return key


@dataclass(frozen=True)
class _KnownKey:
    key_id: int
    digest: str
    user: User | None


# When this process last wrote each key's ``last_used_at``: a busy integration writes it once a minute.
_last_written: dict[int, float] = {}
LAST_USED_EVERY_SECONDS = 60


def _load_key(prefix: str) -> _KnownKey | None:
    # The agent too: without Accept-Language the API answers in the key owner's language.
    key = ApiKey.objects.select_related("user__agent").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None:
        return None
    return _KnownKey(key.pk, key.digest, key.user if key.user.is_active else None)


def api_key_authenticate(secret: str) -> User | None:
    """Return the active user owning ``secret``, or None. Compares digests in constant time.

    Keys and their users are kept per process with the catalogue (``core.catalog_cache``): revoking a key
    or deactivating its user bumps the catalogue version, so every process stops accepting it at its
    next request. The caller gets its own copy of the user.
    """
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    if not (parts[1].isascii() and parts[1].isalnum()):
        return None  # prefixes are hex; anything else (a NUL…) must not reach the database
    known = cached(("org.api_key", parts[1]), lambda: _load_key(parts[1]))
    if known is None or known.user is None or not hmac.compare_digest(known.digest, _digest(secret)):
        return None
    now = time.monotonic()
    if now - _last_written.get(known.key_id, -math.inf) > LAST_USED_EVERY_SECONDS:
        _last_written[known.key_id] = now
        ApiKey.objects.filter(pk=known.key_id).update(last_used_at=timezone.now())
    return copy.copy(known.user)
