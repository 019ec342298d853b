"""A generic HTTP/JSON provider (an in-house gateway or any service with a plain JSON API).

``POST <KEFU_SMS_HTTP_URL>`` with ``{"to", "text", "template_code", "params"}`` as JSON and, when a token is
set, ``Authorization: Bearer <token>``. Any 2xx answer is success; the message id is read from ``id``,
``message_id`` or ``messageId`` of a JSON answer. 408/425/429/5xx and network failures are retryable,
other answers are not; a JSON error answer's ``code`` or ``error`` names the error.
"""

from __future__ import annotations

from typing import Any

import httpx

from kefu.notifications.sms.base import SmsError, SmsMessage, SmsReceipt, retryable_status


class HttpJsonBackend:
    name = "http"

    def __init__(self, *, url: str, token: str = "", timeout: float = 10.0) -> None:
        if not url:
            raise SmsError(
                "KEFU_SMS_HTTP_URL is not set", code="not_configured", retryable=False, backend=self.name
            )
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, message: SmsMessage) -> SmsReceipt:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = {
            "to": message.to,
            "text": message.text,
            "template_code": message.template_code,
            "params": dict(message.params),
        }
        try:
            response = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SmsError(
                f"{type(exc).__name__}: {exc}", code="network", retryable=True, backend=self.name
            ) from exc
        data = _json(response)
        if not response.is_success:
            code = str(data.get("code") or data.get("error") or f"http_{response.status_code}")
            detail = str(data.get("message") or response.text[:200])
            raise SmsError(
                f"HTTP {response.status_code}: {detail}",
                code=code,
                retryable=retryable_status(response.status_code),
                backend=self.name,
            )
        message_id = data.get("id") or data.get("message_id") or data.get("messageId") or ""
        return SmsReceipt(backend=self.name, to=message.to, message_id=str(message_id), detail=data)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
