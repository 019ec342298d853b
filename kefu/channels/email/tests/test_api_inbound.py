"""POST /api/v1/mail/inbound: raw MIME over HTTP, authorised by a shared secret instead of an API key."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.channels.email.intake import secret_digest
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/api/v1/mail/inbound"


@pytest.fixture
def global_secret(settings) -> str:
    settings.KEFU_MAIL_INBOUND_SECRET = "s3cret-for-all-mailboxes"
    return settings.KEFU_MAIL_INBOUND_SECRET


def _post(raw: bytes, *, secret: str | None, query: str = "?mailbox=support@kefu.test", **extra):
    headers = {"X-Kefu-Mail-Secret": secret} if secret is not None else {}
    return Client().post(URL + query, data=raw, content_type="message/rfc822", headers=headers, **extra)


def test_a_message_with_the_global_secret_is_stored_and_imported(
    mailbox, global_secret, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(raw_mail(), secret=global_secret)
    inbound = InboundMessage.objects.get()
    assert response.status_code == 202
    assert response.json() == {"id": inbound.pk, "state": "imported"}
    assert inbound.source == "http"
    assert inbound.mailbox == mailbox
    assert bytes(inbound.raw) == raw_mail()
    assert Ticket.objects.get().subject == "打印机无法连接网络"


def test_a_mailbox_secret_is_checked_against_its_digest(department, global_secret):
    MailboxFactory(
        address="vip@kefu.test", department=department, intake_secret_digest=secret_digest("vip-only")
    )
    good = _post(raw_mail(to="vip@kefu.test"), secret="vip-only", query="?mailbox=vip@kefu.test")
    assert good.status_code == 202
    global_refused = _post(raw_mail(to="vip@kefu.test"), secret=global_secret, query="?mailbox=vip@kefu.test")
    assert global_refused.status_code == 403
    assert InboundMessage.objects.count() == 1


def test_without_a_mailbox_the_recipients_decide(mailbox, global_secret):
    response = _post(raw_mail(), secret=global_secret, query="")
    assert response.status_code == 202
    inbound = InboundMessage.objects.get()
    assert inbound.mailbox == mailbox  # recorded once the recipients chose it
    assert inbound.ticket.department == mailbox.department


def test_no_secret_is_401(mailbox, global_secret):
    response = _post(raw_mail(), secret=None)
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "Send the intake secret in the X-Kefu-Mail-Secret header.",
            "fields": {},
        }
    }
    assert InboundMessage.objects.count() == 0


def test_a_wrong_secret_is_403(mailbox, global_secret):
    response = _post(raw_mail(), secret="guess")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "The intake secret is not valid.",
        "fields": {},
    }
    assert InboundMessage.objects.count() == 0


def test_with_no_secret_configured_http_intake_is_off(mailbox, settings):
    settings.KEFU_MAIL_INBOUND_SECRET = ""
    assert _post(raw_mail(), secret="").status_code == 401
    assert _post(raw_mail(), secret="anything").status_code == 403
    assert InboundMessage.objects.count() == 0


def test_an_unknown_mailbox_is_404_for_a_valid_secret(mailbox, global_secret):
    response = _post(raw_mail(), secret=global_secret, query="?mailbox=nobody@kefu.test")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert InboundMessage.objects.count() == 0


def test_a_message_over_the_limit_is_413(mailbox, global_secret, settings):
    settings.KEFU_MAIL_MAX_MESSAGE_BYTES = 1000
    response = _post(raw_mail(body="长" * 1000), secret=global_secret)
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "payload_too_large",
        "message": "The message is larger than 1000 bytes.",
        "fields": {"body": "The message is too large."},
    }
    assert InboundMessage.objects.count() == 0


def test_a_body_larger_than_the_form_limit_is_accepted(mailbox, global_secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = raw_mail(attachments=[("a.bin", "application/octet-stream", b"\x02" * 5000)])
    response = _post(raw, secret=global_secret)
    assert response.status_code == 202
    assert InboundMessage.objects.get().size == len(raw)


def test_an_empty_body_is_stored_and_quarantined(mailbox, global_secret):
    response = _post(b"", secret=global_secret)
    assert response.status_code == 202
    assert response.json()["state"] == "quarantined"


def test_get_is_not_allowed(mailbox, global_secret):
    assert Client().get(URL).status_code == 405
