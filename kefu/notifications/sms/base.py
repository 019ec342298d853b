"""What every SMS backend promises: one call sends one message, answers a receipt or raises ``SmsError``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

_NUMBER = re.compile(r"^\+?[0-9]{5,20}$")


@dataclass(frozen=True)
class SmsReceipt:
    """A message the provider accepted: which backend, its id for the message (if any), the number."""

    backend: str
    to: str
    message_id: str = ""
    detail: Mapping[str, object] = field(default_factory=dict)


class SmsError(Exception):
    """The message was not accepted.

    ``retryable`` says whether the same request may succeed later (the provider is down, throttles or
    timed out) or never will (bad number, unknown template, wrong credentials); ``code`` is the
    provider's error code or one of ours (``invalid_number``, ``template_required``, ``network``,
    ``http_<status>``, ``bad_response``, ``not_configured``).
    """

    def __init__(self, message: str, *, code: str, retryable: bool, backend: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable
        self.backend = backend

    def __repr__(self) -> str:
        return f"SmsError({str(self)!r}, code={self.code!r}, retryable={self.retryable})"


@dataclass(frozen=True)
class SmsMessage:
    """One message as the backends take it (``to`` already checked)."""

    to: str
    text: str
    template_code: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)


class SmsBackend(Protocol):
    name: str

    def send(self, message: SmsMessage) -> SmsReceipt: ...


def normalize_number(to: str) -> str:
    """``to`` without spaces, dashes or brackets; raises ``SmsError`` unless it is a phone number."""
    cleaned = re.sub(r"[\s\-()]", "", to or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not _NUMBER.match(cleaned):
        raise SmsError(f"not a phone number: {to!r}", code="invalid_number", retryable=False)
    return cleaned


def retryable_status(status: int) -> bool:
    """HTTP answers worth trying again: throttling, timeouts and the server's own failures."""
    return status in {408, 425, 429} or status >= 500


def require_settings(backend: str, settings: Mapping[str, str]) -> None:
    """Refuse to build a provider's backend while any of its settings (named by environment variable) is
    empty: a misconfiguration is told at start-up, never as a failed message later."""
    missing = [env for env, value in settings.items() if not value]
    if missing:
        raise SmsError(
            f"not set: {', '.join(missing)}", code="not_configured", retryable=False, backend=backend
        )
