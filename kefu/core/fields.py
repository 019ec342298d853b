"""Model fields shared by every app."""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

_PREFIX = "aesgcm:"


def _key() -> bytes:
    # Derived, not stored: rotating KEFU_SECRET_KEY makes old secrets unreadable, which the admin pages
    # report as an empty value to re-enter rather than as a crash.
    return hashlib.sha256(b"kefu.core.fields.EncryptedTextField" + settings.SECRET_KEY.encode()).digest()


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, value.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(_PREFIX):
        return stored
    try:
        raw = base64.b64decode(stored[len(_PREFIX) :])
        return AESGCM(_key()).decrypt(raw[:12], raw[12:], None).decode()
    except (InvalidTag, ValueError):
        return ""


class EncryptedTextField(models.TextField):
    """Text stored encrypted with AES-GCM (mailbox passwords, integration tokens); read back in clear."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return value if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
