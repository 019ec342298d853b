"""Bad input never crashes intake: every message is stored, then imported or quarantined with a reason."""

from __future__ import annotations

import base64
import random

import pytest

from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db

State = InboundMessage.State


def test_binary_garbage_is_stored_and_quarantined(ingest):
    garbage = random.Random(7).randbytes(4096)
    inbound = ingest(garbage)
    assert bytes(inbound.raw) == garbage
    assert inbound.state == State.QUARANTINED
    assert inbound.reason == "The message has no usable sender address."
    assert Ticket.objects.count() == 0


def test_a_truncated_message_is_imported_with_what_arrived(ingest):
    raw = raw_mail(
        html="<p>第一段</p><p>第二段</p>", attachments=[("a.pdf", "application/pdf", b"%PDF" * 500)]
    )
    inbound = ingest(raw[: len(raw) * 2 // 3])
    assert inbound.state == State.IMPORTED
    assert inbound.ticket.subject == "打印机无法连接网络"
    assert inbound.thread.body_text == "第一段\n第二段"


def test_an_empty_message_is_stored_and_quarantined(ingest):
    inbound = ingest(b"")
    assert inbound.size == 0
    assert inbound.state == State.QUARANTINED
    assert inbound.reason == "The message has no usable sender address."


def test_a_header_only_message_becomes_a_ticket_saying_it_has_no_text(ingest):
    raw = b"From: li.na@example.cn\r\nTo: support@kefu.test\r\nSubject: \r\nMessage-ID: <h@example.cn>\r\n"
    inbound = ingest(raw)
    assert inbound.state == State.IMPORTED
    assert inbound.ticket.subject == "(no subject)"
    assert inbound.thread.body_html == "<p>(This message has no text.)</p>"


def test_a_ten_thousand_character_header_is_cut_to_fit(ingest):
    subject = "很长的主题" * 2000
    inbound = ingest(raw_mail(subject=subject, headers={"X-Long": "x" * 10_000}))
    assert inbound.state == State.IMPORTED
    assert inbound.ticket.subject == subject[:255]
    assert inbound.subject == subject[:255]


def test_a_ten_thousand_character_message_id_is_cut_to_fit(ingest):
    raw = raw_mail(message_id="<placeholder@example.cn>")
    inbound = ingest(raw.replace(b"placeholder", ("标识" * 5_000).encode()))
    assert inbound.state == State.IMPORTED
    assert inbound.message_id == "标识" * 150
    assert inbound.thread.message_id == inbound.message_id


def test_five_hundred_attachments_are_all_kept(ingest):
    files = [(f"file{n}.txt", "text/plain", f"内容 {n}".encode()) for n in range(500)]
    inbound = ingest(raw_mail(attachments=files))
    assert inbound.state == State.IMPORTED
    assert Attachment.objects.filter(thread=inbound.thread).count() == 500
    assert sorted(Attachment.objects.values_list("filename", flat=True))[:2] == ["file0.txt", "file1.txt"]


def test_a_thirty_megabyte_message_is_stored_and_imported(ingest, settings):
    settings.KEFU_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
    blob = random.Random(3).randbytes(22 * 1024 * 1024)
    raw = raw_mail(attachments=[("disk.img", "application/octet-stream", blob)])
    assert len(raw) > 29 * 1024 * 1024
    inbound = ingest(raw)
    assert inbound.size == len(raw)
    assert inbound.state == State.IMPORTED
    attachment = Attachment.objects.get(thread=inbound.thread)
    assert attachment.size == len(blob)


def test_an_attachment_over_the_limit_is_skipped_with_a_note(ingest, settings):
    settings.KEFU_MAX_ATTACHMENT_BYTES = 1000
    inbound = ingest(raw_mail(attachments=[("big.bin", "application/octet-stream", b"\x01" * 2000)]))
    assert inbound.state == State.IMPORTED
    assert inbound.reason == "Attachment big.bin skipped: larger than 1000 bytes."
    assert Attachment.objects.count() == 0


def test_a_body_over_the_service_limit_is_cut(ingest):
    inbound = ingest(raw_mail(body="长" * 300_000))
    assert inbound.state == State.IMPORTED
    assert len(inbound.thread.body_html) < 200_000
    assert inbound.thread.body_html.endswith("<p>[The rest of this message is in its original source.]</p>")


def test_broken_base64_and_an_unknown_charset_still_import(ingest):
    raw = (
        b"From: li.na@example.cn\r\nTo: support@kefu.test\r\nSubject: =?x-unknown?B?5L2g5aW9?=\r\n"
        b"Message-ID: <b64@example.cn>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode("打印机坏了".encode())[:-3]
        + b"!!\r\n"
    )
    inbound = ingest(raw)
    assert inbound.state == State.IMPORTED
    assert inbound.ticket is not None
