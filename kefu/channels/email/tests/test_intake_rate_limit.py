"""The per-sender rate limit follows KEFU_MAIL_RATE_LIMIT_COUNT and _MINUTES, read at processing time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db

State = InboundMessage.State


@override_settings(KEFU_MAIL_RATE_LIMIT_COUNT=3, KEFU_MAIL_RATE_LIMIT_MINUTES=5)
def test_the_limit_and_window_come_from_the_settings(ingest):
    results = [ingest(raw_mail(message_id=f"<r{n}@example.cn>", subject=f"自动回复 {n}")) for n in range(4)]
    assert [result.state for result in results] == [State.IMPORTED] * 3 + [State.QUARANTINED]
    assert results[3].reason == "More than 3 messages from li.na@example.cn within 5 minutes."
    assert results[3].ticket is None
    assert Ticket.objects.count() == 3


@override_settings(KEFU_MAIL_RATE_LIMIT_COUNT=2, KEFU_MAIL_RATE_LIMIT_MINUTES=5)
def test_messages_older_than_the_window_do_not_count(ingest):
    first = [ingest(raw_mail(message_id=f"<o{n}@example.cn>", subject=f"旧 {n}")) for n in range(2)]
    six_minutes_ago = first[1].received_at - dt.timedelta(minutes=6)
    InboundMessage.objects.filter(pk__in=[inbound.pk for inbound in first]).update(
        received_at=six_minutes_ago
    )
    later = ingest(raw_mail(message_id="<new@example.cn>", subject="新"))
    assert later.state == State.IMPORTED
    assert Ticket.objects.count() == 3


def test_a_changed_setting_applies_to_the_next_message(ingest, settings):
    settings.KEFU_MAIL_RATE_LIMIT_COUNT = 1
    ingest(raw_mail(message_id="<d1@example.cn>"))
    settings.KEFU_MAIL_RATE_LIMIT_MINUTES = 60
    over = ingest(raw_mail(message_id="<d2@example.cn>", subject="再来"))
    assert over.reason == "More than 1 messages from li.na@example.cn within 60 minutes."
