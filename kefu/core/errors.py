"""Domain errors raised by services and mapped to HTTP answers by the API and the views.

Services never return HTTP responses; they raise one of these, and the edge (``kefu.api`` for JSON,
the views for pages) turns it into the right status code with the field and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class ServiceError(Exception):
    """Base class: ``code`` is machine-readable, ``message`` is shown to people, ``fields`` name inputs."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str | Promise = "", *, fields: Mapping[str, str | Promise] | None = None):
        self.message = str(message or self.default_message())
        self.fields = {key: str(value) for key, value in (fields or {}).items()}
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} {self.fields}" if self.fields else self.message

    def default_message(self) -> str:
        return self.code


class ValidationFailed(ServiceError):
    status_code = 422
    code = "validation_failed"


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class PermissionDenied(ServiceError):
    status_code = 403
    code = "permission_denied"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(ServiceError):
    status_code = 413
    code = "payload_too_large"
