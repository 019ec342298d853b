"""dsn: a multipart/report bounce names the original Message-ID, the recipients and the reason."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from kefu.channels.email.parse.dsn import guess_bounce, parse_delivery_report
from kefu.channels.email.parse.message import DeliveryReport, ParsedAttachment


def _report(status_part: bytes, original_part: bytes) -> DeliveryReport | None:
    raw = (
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        b"--r\nContent-Type: text/plain\n\nBounced.\n--r\n"
        + status_part
        + b"\n--r\n"
        + original_part
        + b"\n--r--\n"
    )
    return parse_delivery_report(BytesParser(policy=policy.default).parsebytes(raw))


STATUS = (
    b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
    b"Final-Recipient: rfc822; A@Example.com\nAction: delayed\nStatus: 4.4.1 (timeout)\n"
    b"Diagnostic-Code: =?utf-8?Q?caf=C3=A9?= down\n"
)


def test_text_rfc822_headers():
    report = _report(
        STATUS, b"Content-Type: text/rfc822-headers\n\nMessage-ID: <orig@kefu.test>\nSubject: x\n"
    )
    assert report == DeliveryReport(
        original_message_id="orig@kefu.test",
        recipients=["a@example.com"],
        action="delayed",
        status="4.4.1",
        diagnostic="café down",
    )


def test_message_rfc822():
    report = _report(STATUS, b"Content-Type: message/rfc822\n\nMessage-ID: <orig2@kefu.test>\n\nbody\n")
    assert report is not None
    assert report.original_message_id == "orig2@kefu.test"


def test_base64_rfc822_headers():
    report = _report(
        STATUS,
        b"Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: base64\n\n"
        b"TWVzc2FnZS1JRDogPGI2NEBrZWZ1LnRlc3Q+Cg==\n",
    )
    assert report is not None
    assert report.original_message_id == "b64@kefu.test"


def test_report_without_original_keeps_recipients():
    report = _report(STATUS, b"Content-Type: text/plain\n\nnothing")
    assert report is not None
    assert (report.original_message_id, report.recipients) == ("", ["a@example.com"])


def test_not_a_report():
    message = BytesParser(policy=policy.default).parsebytes(b"Content-Type: text/plain\n\nhi\n")
    assert parse_delivery_report(message) is None


def test_empty_report_is_none():
    raw = b'Content-Type: multipart/report; boundary="r"\n\n--r\nContent-Type: text/plain\n\nx\n--r--\n'
    assert parse_delivery_report(BytesParser(policy=policy.default).parsebytes(raw)) is None


def test_guess_bounce_from_quoted_message_id_line():
    text = "Delivery delayed: 451 4.4.1 try again\n> Message-ID: <orig@kefu.test>\n"
    assert guess_bounce(text, []) == DeliveryReport(
        original_message_id="orig@kefu.test", recipients=[], action="delayed", status="4.4.1", diagnostic=""
    )


def test_guess_bounce_prefers_the_attached_original():
    attached = ParsedAttachment(
        filename="x.eml", content_type="message/rfc822", data=b"Message-ID: <attached@kefu.test>\n\nbody"
    )
    report = guess_bounce("Message-ID: <quoted@kefu.test>", [attached])
    assert report is not None
    assert report.original_message_id == "attached@kefu.test"


def test_guess_bounce_without_an_original_is_none():
    assert guess_bounce("Your message could not be delivered.", []) is None
