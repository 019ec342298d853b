"""A mailbox's own HTTP intake secret: generated on the admin page, shown once, only its digest kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.channels.email.intake import secret_digest
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.channels.email.tests.mails import raw_mail
from kefu.core.models import AuditEntry
from tests.email.test_admin_views import client_for

pytestmark = pytest.mark.django_db

INBOUND = "/api/v1/mail/inbound?mailbox=vip@kefu.test"


def _deliver(secret: str) -> int:
    response = Client().post(
        INBOUND,
        data=raw_mail(to="vip@kefu.test"),
        content_type="message/rfc822",
        headers={"X-Kefu-Mail-Secret": secret},
    )
    return response.status_code


def _shown_secret(page: str) -> str:
    return re.search(r'id="intake-secret" type="text" readonly value="([^"]+)"', page).group(1)


def test_generate_shows_the_secret_once_and_keeps_only_its_digest(
    admin_agent, department, settings, django_capture_on_commit_callbacks
):
    settings.KEFU_MAIL_INBOUND_SECRET = "global-secret"
    mailbox = MailboxFactory(department=department, address="vip@kefu.test")
    admin = client_for(admin_agent)
    edit = admin.get(reverse("mail:mailbox-edit", args=[mailbox.pk])).content.decode()
    assert "This mailbox has no secret of its own" in edit

    response = admin.post(reverse("mail:mailbox-intake-secret", args=[mailbox.pk]), {"action": "generate"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    secret = _shown_secret(page)
    assert len(secret) == 43
    assert "http://testserver/api/v1/mail/inbound?mailbox=vip%40kefu.test" in page
    mailbox.refresh_from_db()
    assert mailbox.intake_secret_digest == secret_digest(secret)
    entry = AuditEntry.objects.get(action="mailbox.intake_secret_generated")
    assert (entry.actor_id, entry.object_id) == (admin_agent.user.pk, mailbox.pk)
    assert entry.changes == {"intake_secret": "(changed)", "replaced": False}
    assert secret not in str(entry.changes)
    edit = admin.get(reverse("mail:mailbox-edit", args=[mailbox.pk])).content.decode()
    assert secret not in edit
    assert "This mailbox has its own secret" in edit

    with django_capture_on_commit_callbacks(execute=True):
        assert _deliver(secret) == 202
    assert _deliver("global-secret") == 403
    assert InboundMessage.objects.count() == 1


def test_a_new_secret_replaces_the_old_and_remove_restores_the_global_one(admin_agent, department, settings):
    settings.KEFU_MAIL_INBOUND_SECRET = "global-secret"
    mailbox = MailboxFactory(department=department, address="vip@kefu.test")
    admin = client_for(admin_agent)
    url = reverse("mail:mailbox-intake-secret", args=[mailbox.pk])
    first = _shown_secret(admin.post(url, {"action": "generate"}).content.decode())
    second = _shown_secret(admin.post(url, {"action": "generate"}).content.decode())

    assert first != second
    assert _deliver(first) == 403
    assert AuditEntry.objects.filter(action="mailbox.intake_secret_generated").last().changes["replaced"]

    response = admin.post(url, {"action": "remove"})

    assert response.status_code == 302
    assert response["Location"] == reverse("mail:mailbox-edit", args=[mailbox.pk])
    mailbox.refresh_from_db()
    assert mailbox.intake_secret_digest == ""
    assert _deliver(second) == 403
    assert _deliver("global-secret") == 202
    assert AuditEntry.objects.filter(action="mailbox.intake_secret_removed").count() == 1


def test_only_administrators_may_generate_and_only_by_post(agent, admin_agent, department):
    mailbox = MailboxFactory(department=department, address="vip@kefu.test")
    url = reverse("mail:mailbox-intake-secret", args=[mailbox.pk])

    assert Client().post(url, {"action": "generate"}).status_code == 302
    denied = client_for(agent).post(url, {"action": "generate"})
    assert denied.status_code == 403
    assert client_for(admin_agent).get(url).status_code == 405
    assert (
        client_for(admin_agent).post(reverse("mail:mailbox-intake-secret", args=[99999])).status_code == 404
    )
    assert Mailbox.objects.get(pk=mailbox.pk).intake_secret_digest == ""
    assert not AuditEntry.objects.filter(action__startswith="mailbox.intake_secret").exists()
