"""Sending SMS: one function, ``send_sms``, over the backend the settings choose.

``KEFU_SMS_BACKEND`` is ``file`` (development: JSON lines in ``<KEFU_DATA_DIR>/sms/outbox.jsonl``),
``http`` (a generic HTTP/JSON gateway), ``aliyun`` (Alibaba Cloud SMS) or ``tencent`` (Tencent Cloud SMS);
each reads its credentials from ``KEFU_SMS_*`` settings (docs/sms.md). The Chinese providers send only
templates approved in their consoles, so callers give ``template_code`` and ``params`` as well as the
plain ``text`` that the file and HTTP backends send.

Failures raise :class:`SmsError`; its ``retryable`` says whether a later attempt may succeed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from kefu.notifications.sms.base import SmsBackend, SmsError, SmsMessage, SmsReceipt, normalize_number

__all__ = ["BACKENDS", "SmsError", "SmsReceipt", "get_backend", "send_sms"]

BACKENDS = ("file", "http", "aliyun", "tencent")
TEMPLATE_ONLY = ("aliyun", "tencent")
"""Backends that send only templates approved in the provider's console."""


def get_backend(name: str | None = None) -> SmsBackend:
    """The backend named ``name`` (default ``settings.KEFU_SMS_BACKEND``), built from the settings."""
    name = (name or settings.KEFU_SMS_BACKEND).lower()
    timeout = float(settings.KEFU_SMS_TIMEOUT)
    if name == "file":
        from kefu.notifications.sms.file import FileBackend

        return FileBackend(settings.KEFU_SMS_FILE_PATH)
    if name == "http":
        from kefu.notifications.sms.http_json import HttpJsonBackend

        return HttpJsonBackend(
            url=settings.KEFU_SMS_HTTP_URL, token=settings.KEFU_SMS_HTTP_TOKEN, timeout=timeout
        )
    if name == "aliyun":
        from kefu.notifications.sms.aliyun import AliyunBackend

        return AliyunBackend(
            access_key_id=settings.KEFU_SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET,
            sign_name=settings.KEFU_SMS_ALIYUN_SIGN_NAME,
            endpoint=settings.KEFU_SMS_ALIYUN_ENDPOINT,
            region=settings.KEFU_SMS_ALIYUN_REGION,
            timeout=timeout,
        )
    if name == "tencent":
        from kefu.notifications.sms.tencent import TencentBackend

        return TencentBackend(
            secret_id=settings.KEFU_SMS_TENCENT_SECRET_ID,
            secret_key=settings.KEFU_SMS_TENCENT_SECRET_KEY,
            sdk_app_id=settings.KEFU_SMS_TENCENT_SDK_APP_ID,
            sign_name=settings.KEFU_SMS_TENCENT_SIGN_NAME,
            endpoint=settings.KEFU_SMS_TENCENT_ENDPOINT,
            region=settings.KEFU_SMS_TENCENT_REGION,
            timeout=timeout,
        )
    raise SmsError(
        f"KEFU_SMS_BACKEND must be one of {', '.join(BACKENDS)}, got {name!r}",
        code="not_configured",
        retryable=False,
    )


def send_sms(
    to: str,
    text: str,
    *,
    template_code: str | None = None,
    params: Mapping[str, str] | None = None,
    backend: SmsBackend | None = None,
) -> SmsReceipt:
    """Send one SMS to ``to`` (digits, optionally ``+`` and country code); raises :class:`SmsError`.

    ``text`` is what the file and HTTP backends send; ``template_code`` and ``params`` are what the
    Alibaba Cloud and Tencent Cloud backends send (their templates are approved in advance). Without a
    ``template_code`` those two use ``KEFU_SMS_DEFAULT_TEMPLATE_CODE`` (if set) with ``params`` and
    ``content`` = ``text``.
    """
    chosen = backend or get_backend()
    values = {str(k): str(v) for k, v in (params or {}).items()}
    if not template_code and chosen.name in TEMPLATE_ONLY and settings.KEFU_SMS_DEFAULT_TEMPLATE_CODE:
        # A caller with plain text only (a notification): the installation's general-purpose template, with
        # the text as its last parameter ``content``.
        template_code = settings.KEFU_SMS_DEFAULT_TEMPLATE_CODE
        values["content"] = text
    message = SmsMessage(
        to=normalize_number(to),
        text=text,
        template_code=template_code or None,
        params=values,
    )
    try:
        return chosen.send(message)
    except SmsError as exc:
        exc.backend = exc.backend or chosen.name
        raise
