"""Alibaba Cloud SMS (Dysmsapi ``SendSms``, API version 2017-05-25) with its RPC request signature.

Signing, as Alibaba Cloud documents it for RPC APIs (signature version 1.0):

1. every parameter except ``Signature`` — the common ones (``AccessKeyId``, ``Action``, ``Format``,
   ``RegionId``, ``SignatureMethod=HMAC-SHA1``, ``SignatureNonce``, ``SignatureVersion=1.0``,
   ``Timestamp`` in UTC ``YYYY-MM-DDThh:mm:ssZ``, ``Version``) and the operation's — sorted by name;
2. names and values percent-encoded per RFC 3986 (unreserved ``A-Z a-z 0-9 - _ . ~`` kept, space as
   ``%20``, UTF-8) and joined as ``name=value`` with ``&`` — the canonicalized query string;
3. ``StringToSign = METHOD + "&" + enc("/") + "&" + enc(canonicalized query)``;
4. ``Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``, sent as one more parameter.

The answer is JSON with ``Code`` (``OK`` on success), ``Message``, ``RequestId`` and ``BizId``. A
Chinese provider sends only pre-approved templates: ``template_code`` is required, ``params`` fill it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from kefu.notifications.sms.base import SmsError, SmsMessage, SmsReceipt, require_settings, retryable_status

API_VERSION = "2017-05-25"
# Codes that say "later": throttling and the service's own trouble. Anything else will fail again.
_RETRYABLE_CODES = ("isv.BUSINESS_LIMIT_CONTROL", "Throttling", "ServiceUnavailable", "InternalError")


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def canonicalized_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def sign(method: str, params: Mapping[str, str], access_key_secret: str) -> str:
    digest = hmac.new(
        (access_key_secret + "&").encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def national_number(to: str) -> str:
    """Alibaba Cloud's form: mainland numbers without ``+86``, others with their country code, no ``+``."""
    if to.startswith("+86"):
        return to[3:]
    return to.lstrip("+")


class AliyunBackend:
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        endpoint: str = "https://dysmsapi.aliyuncs.com/",
        region: str = "cn-hangzhou",
        timeout: float = 10.0,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        require_settings(
            self.name,
            {
                "KEFU_SMS_ALIYUN_ACCESS_KEY_ID": access_key_id,
                "KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET": access_key_secret,
                "KEFU_SMS_ALIYUN_SIGN_NAME": sign_name,
            },
        )
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.region = region
        self.timeout = timeout
        self.now = now or (lambda: dt.datetime.now(dt.UTC))

    def request_params(self, message: SmsMessage) -> dict[str, str]:
        """The signed parameters of one ``SendSms`` call."""
        if not message.template_code:
            raise SmsError(
                "Alibaba Cloud SMS sends approved templates only: give a template code",
                code="template_required",
                retryable=False,
                backend=self.name,
            )
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": self.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            "PhoneNumbers": national_number(message.to),
            "SignName": self.sign_name,
            "TemplateCode": message.template_code,
        }
        if message.params:
            params["TemplateParam"] = json.dumps(
                dict(message.params), ensure_ascii=False, separators=(",", ":")
            )
        params["Signature"] = sign("POST", params, self.access_key_secret)
        return params

    def send(self, message: SmsMessage) -> SmsReceipt:
        params = self.request_params(message)
        body = canonicalized_query(params)
        try:
            response = httpx.post(
                self.endpoint,
                content=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SmsError(
                f"{type(exc).__name__}: {exc}", code="network", retryable=True, backend=self.name
            ) from exc
        data = _json(response)
        code = str(data.get("Code") or "")
        if response.is_success and code == "OK":
            return SmsReceipt(
                backend=self.name, to=message.to, message_id=str(data.get("BizId") or ""), detail=data
            )
        if not code:
            raise SmsError(
                f"HTTP {response.status_code}: {response.text[:200]}",
                code=f"http_{response.status_code}",
                retryable=retryable_status(response.status_code),
                backend=self.name,
            )
        raise SmsError(
            f"{code}: {data.get('Message') or ''} (RequestId {data.get('RequestId') or '-'})",
            code=code,
            retryable=code.startswith(_RETRYABLE_CODES) or retryable_status(response.status_code),
            backend=self.name,
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
