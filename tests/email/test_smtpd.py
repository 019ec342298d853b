"""The SMTP listener, spoken to with smtplib over a real socket."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import time

import pytest

from kefu.channels.email import smtpd
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.tickets.models import Ticket
from tests.email.dovecot import free_port

# serialized_rollback: an earlier transactional test flushed the statuses and priorities migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MESSAGE = (
    "From: 王芳 <wang.fang@example.cn>\r\n"
    "To: support@kefu.test, sales@kefu.test\r\n"
    "Subject: =?utf-8?b?5omT5Y2w5py65peg5rOV6L+e5o6l?=\r\n"
    "Message-ID: <smtp-1@example.cn>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "你好，打印机连不上网络。\r\n"
).encode()


@pytest.fixture
def listener(settings):
    settings.KEFU_SMTPD_MAX_BYTES = 20_000
    port = free_port()
    server = smtpd.controller(host="127.0.0.1", port=port)
    server.start()
    yield port
    server.stop()


def test_accepts_mail_for_active_mailboxes_and_stores_the_raw_bytes(listener):
    support = MailboxFactory(address="support@kefu.test")
    sales = MailboxFactory(address="sales@kefu.test")

    with smtplib.SMTP("127.0.0.1", listener) as client:
        refused = client.sendmail("wang.fang@example.cn", ["Support@kefu.test", "sales@kefu.test"], MESSAGE)

    assert refused == {}
    stored = list(InboundMessage.objects.order_by("mailbox_id"))
    assert [(m.mailbox_id, m.source) for m in stored] == [(support.pk, "smtp"), (sales.pk, "smtp")]
    assert all(bytes(m.raw) == MESSAGE for m in stored)
    assert Ticket.objects.filter(subject="打印机无法连接").exists()


def test_unknown_and_inactive_addresses_are_refused_at_rcpt(listener):
    MailboxFactory(address="old@kefu.test", is_active=False)

    with smtplib.SMTP("127.0.0.1", listener) as client:
        client.ehlo()
        client.mail("spammer@example.com")
        assert client.rcpt("someone@elsewhere.example")[0] == 550
        assert client.rcpt("old@kefu.test")[0] == 550
        client.rset()
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("spammer@example.com", ["old@kefu.test"], MESSAGE)

    assert InboundMessage.objects.count() == 0


def test_a_message_over_the_size_limit_gets_552_and_is_not_stored(listener):
    MailboxFactory(address="support@kefu.test")
    big = MESSAGE + (b"x" * 70 + b"\r\n") * 400

    with smtplib.SMTP("127.0.0.1", listener) as client:
        # A client that declares the size is refused at MAIL FROM …
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("wang.fang@example.cn", ["support@kefu.test"], big)
        assert refused.value.smtp_code == 552
        # … one that does not, after sending the data.
        client.rset()
        assert client.mail("wang.fang@example.cn")[0] == 250
        assert client.rcpt("support@kefu.test")[0] == 250
        assert client.data(big)[0] == 552

    assert InboundMessage.objects.count() == 0


def test_a_message_intake_refuses_as_too_large_gets_552(listener, settings):
    MailboxFactory(address="support@kefu.test")
    settings.KEFU_MAIL_MAX_MESSAGE_BYTES = 100

    with smtplib.SMTP("127.0.0.1", listener) as client, pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail("wang.fang@example.cn", ["support@kefu.test"], MESSAGE)

    assert refused.value.smtp_code == 552
    assert InboundMessage.objects.count() == 0


def test_serve_runs_until_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "KEFU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from kefu.channels.email.smtpd import serve; "
            f"serve(host='127.0.0.1', port={port})",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _attempt in range(300):
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
                    assert client.noop()[0] == 250
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.1)
        else:
            pytest.fail("the listener did not start")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP("127.0.0.1", port, timeout=2)
