"""The SMS backends against local fake providers that check signatures and answer like the real ones."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl

import pytest

from kefu.notifications.sms import SmsError, get_backend, send_sms
from kefu.notifications.sms.aliyun import AliyunBackend
from kefu.notifications.sms.base import SmsMessage
from kefu.notifications.sms.tencent import TencentBackend
from kefu.notifications.sms.tests.fakes import Answer, aliyun_check, http_check, serve, tencent_check


@pytest.fixture
def aliyun(settings):
    with serve(aliyun_check("LTAI-test-id", "test-secret")) as provider:
        settings.KEFU_SMS_BACKEND = "aliyun"
        settings.KEFU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-id"
        settings.KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
        settings.KEFU_SMS_ALIYUN_SIGN_NAME = "客服中心"
        settings.KEFU_SMS_ALIYUN_ENDPOINT = provider.url
        yield provider


@pytest.fixture
def tencent(settings):
    with serve(tencent_check("AKID-test", "tencent-secret")) as provider:
        settings.KEFU_SMS_BACKEND = "tencent"
        settings.KEFU_SMS_TENCENT_SECRET_ID = "AKID-test"
        settings.KEFU_SMS_TENCENT_SECRET_KEY = "tencent-secret"
        settings.KEFU_SMS_TENCENT_SDK_APP_ID = "1400006666"
        settings.KEFU_SMS_TENCENT_SIGN_NAME = "客服中心"
        settings.KEFU_SMS_TENCENT_ENDPOINT = provider.url
        yield provider


@pytest.fixture
def gateway(settings):
    with serve(http_check("gw-token")) as provider:
        settings.KEFU_SMS_BACKEND = "http"
        settings.KEFU_SMS_HTTP_URL = provider.url + "send"
        settings.KEFU_SMS_HTTP_TOKEN = "gw-token"
        yield provider


# Alibaba Cloud


def test_aliyun_sends_a_signed_template_message(aliyun):
    receipt = send_sms(
        "+86 138-0013-8000",
        "ignored",
        template_code="SMS_15305****",
        params={"number": "A-42", "name": "王芳"},
    )

    assert (receipt.backend, receipt.to, receipt.message_id) == (
        "aliyun",
        "+8613800138000",
        "900619746936498440^0",
    )
    (request,) = aliyun.received
    params = dict(parse_qsl(request.body.decode()))
    assert params["PhoneNumbers"] == "13800138000"
    assert params["SignName"] == "客服中心"
    assert params["TemplateCode"] == "SMS_15305****"
    assert json.loads(params["TemplateParam"]) == {"number": "A-42", "name": "王芳"}
    assert (params["Action"], params["Version"], params["Format"], params["RegionId"]) == (
        "SendSms",
        "2017-05-25",
        "JSON",
        "cn-hangzhou",
    )


def test_aliyun_nonce_differs_per_request(aliyun):
    send_sms("13800138000", "", template_code="SMS_1")
    send_sms("13800138000", "", template_code="SMS_1")

    nonces = {dict(parse_qsl(r.body.decode()))["SignatureNonce"] for r in aliyun.received}
    assert len(nonces) == 2


def test_aliyun_wrong_secret_is_refused_by_the_provider(aliyun, settings):
    settings.KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"

    with pytest.raises(SmsError) as caught:
        send_sms("13800138000", "", template_code="SMS_1")

    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.retryable is False
    assert caught.value.backend == "aliyun"


def test_aliyun_stale_clock_is_refused(aliyun):
    backend = AliyunBackend(
        access_key_id="LTAI-test-id",
        access_key_secret="test-secret",
        sign_name="客服中心",
        endpoint=aliyun.url,
        now=lambda: dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )

    with pytest.raises(SmsError) as caught:
        backend.send(SmsMessage(to="13800138000", text="", template_code="SMS_1"))

    assert caught.value.code == "SignatureDoesNotMatch"


def test_aliyun_business_errors(aliyun):
    aliyun.answers.append(
        Answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "r"})
    )
    aliyun.answers.append(
        Answer(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控", "RequestId": "r"})
    )

    with pytest.raises(SmsError) as illegal:
        send_sms("13800138000", "", template_code="SMS_1")
    with pytest.raises(SmsError) as throttled:
        send_sms("13800138000", "", template_code="SMS_1")

    assert (illegal.value.code, illegal.value.retryable) == ("isv.MOBILE_NUMBER_ILLEGAL", False)
    assert "非法手机号" in str(illegal.value)
    assert (throttled.value.code, throttled.value.retryable) == ("isv.BUSINESS_LIMIT_CONTROL", True)


def test_aliyun_server_error_is_retryable(aliyun):
    aliyun.answers.append(Answer(503, {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "r"}))

    with pytest.raises(SmsError) as caught:
        send_sms("13800138000", "", template_code="SMS_1")

    assert (caught.value.code, caught.value.retryable) == ("ServiceUnavailable", True)


def test_aliyun_needs_a_template(aliyun):
    with pytest.raises(SmsError) as caught:
        send_sms("13800138000", "plain text")

    assert (caught.value.code, caught.value.retryable) == ("template_required", False)
    assert aliyun.received == []


# Tencent Cloud


def test_tencent_sends_a_signed_template_message(tencent):
    receipt = send_sms("13800138000", "ignored", template_code="449739", params={"2": "5", "1": "A-42"})

    assert (receipt.backend, receipt.message_id) == ("tencent", "5000:1045710669157053657849499619")
    (request,) = tencent.received
    body = json.loads(request.body)
    assert body == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400006666",
        "SignName": "客服中心",
        "TemplateId": "449739",
        "TemplateParamSet": ["A-42", "5"],
    }
    assert request.headers["x-tc-region"] == "ap-guangzhou"
    assert request.headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID-test/")


def test_tencent_wrong_secret_is_refused_by_the_provider(tencent, settings):
    settings.KEFU_SMS_TENCENT_SECRET_KEY = "wrong"

    with pytest.raises(SmsError) as caught:
        send_sms("+8613800138000", "", template_code="449739")

    assert (caught.value.code, caught.value.retryable) == ("AuthFailure.SignatureFailure", False)


def test_tencent_signature_covers_the_body(tencent):
    """A body changed after signing no longer verifies: the signature hashes the payload."""
    backend = get_backend()
    assert isinstance(backend, TencentBackend)
    headers, body = backend.request(SmsMessage(to="+8613800138000", text="", template_code="449739"))
    tampered = body.replace(b"449739", b"449740")

    import httpx

    answer = httpx.post(tencent.url, content=tampered, headers=headers).json()

    assert answer["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_tencent_per_number_failure_and_throttling(tencent):
    status = {
        "SerialNo": "",
        "PhoneNumber": "+8613800138000",
        "Fee": 0,
        "SessionContext": "",
        "IsoCode": "CN",
    }
    tencent.answers.append(
        Answer(
            200,
            {
                "Response": {
                    "SendStatusSet": [
                        {**status, "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "bad"}
                    ],
                    "RequestId": "r",
                }
            },
        )
    )
    tencent.answers.append(
        Answer(
            200,
            {
                "Response": {
                    "SendStatusSet": [
                        {**status, "Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "limit"}
                    ],
                    "RequestId": "r",
                }
            },
        )
    )

    with pytest.raises(SmsError) as bad:
        send_sms("13800138000", "", template_code="449739")
    with pytest.raises(SmsError) as limited:
        send_sms("13800138000", "", template_code="449739")

    assert (bad.value.code, bad.value.retryable) == ("InvalidParameterValue.IncorrectPhoneNumber", False)
    assert (limited.value.code, limited.value.retryable) == ("LimitExceeded.PhoneNumberDailyLimit", True)


# Generic HTTP/JSON


def test_http_gateway_posts_json_with_the_token(gateway):
    receipt = send_sms("+44 20 7946 0000", "Ticket A-42 was answered", params={"n": "A-42"})

    assert (receipt.backend, receipt.message_id, receipt.to) == ("http", "msg-1", "+442079460000")
    (request,) = gateway.received
    assert request.path == "/send"
    assert json.loads(request.body) == {
        "to": "+442079460000",
        "text": "Ticket A-42 was answered",
        "template_code": None,
        "params": {"n": "A-42"},
    }


def test_http_gateway_errors(gateway, settings):
    gateway.answers.append(Answer(500, {"message": "down"}))
    with pytest.raises(SmsError) as down:
        send_sms("13800138000", "x")
    settings.KEFU_SMS_HTTP_TOKEN = "wrong"
    with pytest.raises(SmsError) as refused:
        send_sms("13800138000", "x")

    assert (down.value.code, down.value.retryable) == ("http_500", True)
    assert (refused.value.code, refused.value.retryable) == ("unauthorized", False)


def test_http_gateway_unreachable_is_retryable(settings):
    with serve(http_check("t")) as provider:
        url = provider.url
    settings.KEFU_SMS_BACKEND = "http"
    settings.KEFU_SMS_HTTP_URL = url

    with pytest.raises(SmsError) as caught:
        send_sms("13800138000", "x")

    assert (caught.value.code, caught.value.retryable) == ("network", True)


# File backend, numbers, configuration


def test_file_backend_appends_json_lines(settings, tmp_path):
    settings.KEFU_SMS_BACKEND = "file"
    settings.KEFU_SMS_FILE_PATH = tmp_path / "sms" / "outbox.jsonl"

    first = send_sms("13800138000", "你好 A-42", template_code="T1", params={"n": "A-42"})
    send_sms("13800138001", "second")

    lines = [
        json.loads(line) for line in settings.KEFU_SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()
    ]
    assert [(line["to"], line["text"]) for line in lines] == [
        ("13800138000", "你好 A-42"),
        ("13800138001", "second"),
    ]
    assert lines[0]["id"] == first.message_id
    assert (lines[0]["template_code"], lines[0]["params"]) == ("T1", {"n": "A-42"})


@pytest.mark.parametrize("number", ["", "abc", "12", "+86 138 0013 8000 1234 5678 9"])
def test_a_bad_number_is_refused_before_sending(number, settings, tmp_path):
    settings.KEFU_SMS_BACKEND = "file"
    settings.KEFU_SMS_FILE_PATH = tmp_path / "outbox.jsonl"

    with pytest.raises(SmsError) as caught:
        send_sms(number, "x")

    assert (caught.value.code, caught.value.retryable) == ("invalid_number", False)
    assert not settings.KEFU_SMS_FILE_PATH.exists()


def test_unknown_backend_or_missing_credentials(settings):
    settings.KEFU_SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(SmsError) as unknown:
        get_backend()
    settings.KEFU_SMS_BACKEND = "aliyun"
    settings.KEFU_SMS_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(SmsError) as missing:
        get_backend()

    assert unknown.value.code == missing.value.code == "not_configured"
    assert "KEFU_SMS_ALIYUN_ACCESS_KEY_ID" in str(missing.value)


def test_plain_text_goes_through_the_default_template(aliyun, settings):
    settings.KEFU_SMS_DEFAULT_TEMPLATE_CODE = "SMS_GENERAL"

    send_sms("13800138000", "工单 A-42 有新回复", params={"subject": "打印机"})

    params = dict(parse_qsl(aliyun.received[0].body.decode()))
    assert params["TemplateCode"] == "SMS_GENERAL"
    assert json.loads(params["TemplateParam"]) == {"subject": "打印机", "content": "工单 A-42 有新回复"}


def test_tencent_default_template_puts_the_text_last(tencent, settings):
    settings.KEFU_SMS_DEFAULT_TEMPLATE_CODE = "449700"

    send_sms("13800138000", "工单 A-42 有新回复", params={"subject": "打印机"})

    body = json.loads(tencent.received[0].body)
    assert (body["TemplateId"], body["TemplateParamSet"]) == ("449700", ["打印机", "工单 A-42 有新回复"])
