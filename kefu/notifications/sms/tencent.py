"""Tencent Cloud SMS (``SendSms``, API version 2021-01-11) with the TC3-HMAC-SHA256 request signature.

Signing, as Tencent Cloud documents it (signature v3), for a JSON ``POST /``:

1. ``CanonicalRequest = "POST\\n/\\n\\n" + CanonicalHeaders + "\\n" + SignedHeaders + "\\n"
   + hex(SHA256(body))``
   with ``CanonicalHeaders`` = ``content-type:application/json; charset=utf-8\\nhost:<host>\\n``
   ``x-tc-action:sendsms\\n`` and ``SignedHeaders`` = ``content-type;host;x-tc-action``;
2. ``StringToSign = "TC3-HMAC-SHA256\\n" + timestamp + "\\n" + date/service/tc3_request + "\\n" +
   hex(SHA256(CanonicalRequest))`` where ``date`` is the UTC date of ``timestamp``, ``service`` is ``sms``;
3. the key is derived ``HMAC("TC3" + SecretKey, date)`` → ``HMAC(·, service)`` → ``HMAC(·, "tc3_request")``
   and ``Signature = hex(HMAC-SHA256(key, StringToSign))``;
4. ``Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=…, Signature=…`` with
   ``X-TC-Action``, ``X-TC-Timestamp``, ``X-TC-Version`` and ``X-TC-Region`` headers.

The answer is ``{"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo", …}], "RequestId"}}`` or
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``. Templates are approved in advance, so
``template_code`` (the TemplateId) is required; ``params`` fill its ``{1}``, ``{2}``… in key order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from kefu.notifications.sms.base import SmsError, SmsMessage, SmsReceipt, require_settings, retryable_status

API_VERSION = "2021-01-11"
SERVICE = "sms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"
_RETRYABLE_CODES = ("LimitExceeded", "RequestLimitExceeded", "InternalError", "ResourceUnavailable")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def canonical_request(*, host: str, action: str, body: bytes) -> str:
    headers = f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    return "\n".join(["POST", "/", "", headers, SIGNED_HEADERS, hashlib.sha256(body).hexdigest()])


def credential_scope(timestamp: int) -> str:
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    return f"{date}/{SERVICE}/tc3_request"


def signature(*, secret_key: str, host: str, action: str, body: bytes, timestamp: int) -> str:
    scope = credential_scope(timestamp)
    to_sign = "\n".join(
        [
            ALGORITHM,
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request(host=host, action=action, body=body).encode()).hexdigest(),
        ]
    )
    key = _hmac(("TC3" + secret_key).encode(), scope.split("/")[0])
    key = _hmac(key, SERVICE)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def e164(to: str) -> str:
    """Tencent Cloud wants ``+<country><number>``; a bare 11-digit mainland mobile gets ``+86``."""
    if to.startswith("+"):
        return to
    if len(to) == 11 and to.startswith("1"):
        return "+86" + to
    return "+" + to


def template_params(params: Mapping[str, str]) -> list[str]:
    """``{1}``, ``{2}``…: numeric keys in numeric order, other keys in the order given."""
    keys = list(params)
    if keys and all(key.isdigit() for key in keys):
        keys.sort(key=int)
    return [str(params[key]) for key in keys]


class TencentBackend:
    name = "tencent"

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        sign_name: str,
        endpoint: str = "https://sms.tencentcloudapi.com/",
        region: str = "ap-guangzhou",
        timeout: float = 10.0,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        require_settings(
            self.name,
            {
                "KEFU_SMS_TENCENT_SECRET_ID": secret_id,
                "KEFU_SMS_TENCENT_SECRET_KEY": secret_key,
                "KEFU_SMS_TENCENT_SDK_APP_ID": sdk_app_id,
                "KEFU_SMS_TENCENT_SIGN_NAME": sign_name,
            },
        )
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.sdk_app_id = sdk_app_id
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.host = urlsplit(endpoint).netloc
        self.region = region
        self.timeout = timeout
        self.now = now or (lambda: dt.datetime.now(dt.UTC))

    def request(self, message: SmsMessage) -> tuple[dict[str, str], bytes]:
        """The headers and body of one signed ``SendSms`` call."""
        if not message.template_code:
            raise SmsError(
                "Tencent Cloud SMS sends approved templates only: give a template id",
                code="template_required",
                retryable=False,
                backend=self.name,
            )
        payload: dict[str, Any] = {
            "PhoneNumberSet": [e164(message.to)],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name,
            "TemplateId": message.template_code,
            "TemplateParamSet": template_params(message.params),
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(self.now().timestamp())
        action = "SendSms"
        sig = signature(
            secret_key=self.secret_key, host=self.host, action=action, body=body, timestamp=timestamp
        )
        headers = {
            "Authorization": (
                f"{ALGORITHM} Credential={self.secret_id}/{credential_scope(timestamp)}, "
                f"SignedHeaders={SIGNED_HEADERS}, Signature={sig}"
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": self.host,
            "X-TC-Action": action,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": API_VERSION,
            "X-TC-Region": self.region,
        }
        return headers, body

    def send(self, message: SmsMessage) -> SmsReceipt:
        headers, body = self.request(message)
        try:
            response = httpx.post(self.endpoint, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SmsError(
                f"{type(exc).__name__}: {exc}", code="network", retryable=True, backend=self.name
            ) from exc
        try:
            data = response.json().get("Response") or {}
        except (ValueError, AttributeError):
            data = {}
        if not isinstance(data, dict) or not data:
            raise SmsError(
                f"HTTP {response.status_code}: {response.text[:200]}",
                code=f"http_{response.status_code}",
                retryable=retryable_status(response.status_code),
                backend=self.name,
            )
        request_id = data.get("RequestId") or "-"
        error = data.get("Error")
        if isinstance(error, dict):
            self._raise(str(error.get("Code") or "Error"), str(error.get("Message") or ""), request_id)
        statuses = data.get("SendStatusSet") or []
        status = statuses[0] if statuses and isinstance(statuses[0], dict) else {}
        code = str(status.get("Code") or "")
        if code != "Ok":
            self._raise(code or "bad_response", str(status.get("Message") or response.text[:200]), request_id)
        return SmsReceipt(
            backend=self.name, to=message.to, message_id=str(status.get("SerialNo") or ""), detail=data
        )

    def _raise(self, code: str, message: str, request_id: str) -> None:
        raise SmsError(
            f"{code}: {message} (RequestId {request_id})",
            code=code,
            retryable=code.startswith(_RETRYABLE_CODES),
            backend=self.name,
        )
