"""Replies whose sending task was lost are queued again by beat, and still sent only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from kefu.channels.email.models import OutboundEmail
from kefu.channels.email.outbound import outbound_requeue_stale
from kefu.channels.email.tasks import transport
from kefu.tickets.models import Thread
from tests.email.test_outbound import mailbox, opened, reply  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(transport.outbound_send_task, "delay", refuse)
    return monkeypatch


def _lost_reply(agent, ticket, capture, broker_down) -> Thread:
    thread = reply(agent, ticket, capture, body="消息队列宕机时写的回复")
    broker_down.undo()
    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.QUEUED
    return thread


def test_a_reply_queued_while_the_broker_was_down_is_sent_once_by_beat(
    agent,
    opened,  # noqa: F811  (the imported fixture)
    smtp_sink,
    broker_down,
    django_capture_on_commit_callbacks,
):
    thread = _lost_reply(agent, opened, django_capture_on_commit_callbacks, broker_down)
    queued_at = OutboundEmail.objects.get(thread=thread).queued_at
    assert smtp_sink.messages == []

    assert outbound_requeue_stale(now=queued_at + dt.timedelta(minutes=4)) == 0
    assert smtp_sink.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_requeue_stale(now=queued_at + dt.timedelta(minutes=6)) == 1

    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.SENT
    assert len(smtp_sink.messages) == 1
    assert transport.outbound_requeue_task.apply().get() == 0
    assert outbound_requeue_stale(now=queued_at + dt.timedelta(hours=1)) == 0
    assert len(smtp_sink.messages) == 1
    assert OutboundEmail.objects.get(thread=thread).attempts == 1


def test_a_second_beat_run_does_not_queue_the_same_delivery_again(
    agent,
    opened,  # noqa: F811  (the imported fixture)
    smtp_sink,
    broker_down,
    django_capture_on_commit_callbacks,
):
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="仍然宕机")
    outbound = OutboundEmail.objects.get(thread=thread)
    later = outbound.queued_at + dt.timedelta(minutes=6)

    assert outbound_requeue_stale(now=later) == 1  # taken, but the broker is still down
    assert outbound_requeue_stale(now=later) == 0
    outbound.refresh_from_db()
    assert outbound.queued_at == later
    assert smtp_sink.messages == []


def test_a_stale_claim_is_queued_again_but_a_fresh_one_is_left_alone(
    agent,
    opened,  # noqa: F811  (the imported fixture)
    smtp_sink,
    broker_down,
    django_capture_on_commit_callbacks,
):
    thread = _lost_reply(agent, opened, django_capture_on_commit_callbacks, broker_down)
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(delivery_status=Thread.Delivery.SENDING)
    OutboundEmail.objects.filter(thread=thread).update(
        claimed_at=now - dt.timedelta(minutes=2), queued_at=None
    )

    assert outbound_requeue_stale(now=now) == 0  # a worker is sending it right now
    assert smtp_sink.messages == []

    OutboundEmail.objects.filter(thread=thread).update(claimed_at=now - dt.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_requeue_stale(now=now) == 1

    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.SENT
    assert len(smtp_sink.messages) == 1


def test_a_delivery_waiting_for_its_retry_is_not_taken_for_lost(
    agent,
    opened,  # noqa: F811  (the imported fixture)
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="稍后重试")
    outbound = OutboundEmail.objects.get(thread=thread)
    assert outbound.last_error == "451 4.3.0 Try again later"
    smtp_sink.refuse_with = ""

    # The first retry is due a minute after the attempt: not lost until five minutes after that.
    assert outbound_requeue_stale(now=outbound.queued_at + dt.timedelta(minutes=4)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_requeue_stale(now=outbound.queued_at + dt.timedelta(minutes=6)) == 1
    assert len(smtp_sink.messages) == 1


def test_failed_and_sent_deliveries_are_never_queued_again(
    agent,
    opened,  # noqa: F811  (the imported fixture)
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    sent = reply(agent, opened, django_capture_on_commit_callbacks, body="已发送")
    smtp_sink.refuse_with = "550 5.7.1 Relaying denied"
    failed = reply(agent, opened, django_capture_on_commit_callbacks, body="被拒绝")
    failed.refresh_from_db()
    assert failed.delivery_status == Thread.Delivery.FAILED
    smtp_sink.refuse_with = ""

    assert outbound_requeue_stale(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert [m.message["Message-ID"] for m in smtp_sink.messages] == [
        f"<{Thread.objects.get(pk=sent.pk).message_id}>"
    ]


def test_beat_runs_the_requeue_task():
    assert settings.CELERY_BEAT_SCHEDULE["mail-outbound-requeue"] == {
        "task": "mail.outbound_requeue",
        "schedule": 120.0,
    }
