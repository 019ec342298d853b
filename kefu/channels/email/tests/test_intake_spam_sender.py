"""A sender whose ticket an agent marked as spam: their new mail is filed as spam and never answered."""

from __future__ import annotations

import pytest

from kefu.channels.email.tests.mails import raw_mail
from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.tickets.services import ticket_mark_spam

pytestmark = pytest.mark.django_db


def test_new_mail_from_a_marked_spammer_goes_to_spam_until_marked_not_spam(ingest, agent, published):
    first = ingest(raw_mail(message_id="<s1@example.cn>", subject="限时优惠 全场一折"))
    assert first.ticket.is_spam is False
    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=first.ticket)

    second = ingest(raw_mail(message_id="<s2@example.cn>", subject="再次优惠 点击领取"))
    assert second.ticket.pk != first.ticket.pk
    assert second.ticket.is_spam is True
    assert [event["may_auto_reply"] for event in published(EventType.MAIL_TICKET_OPENED)] == [True, False]

    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=first.ticket, spam=False)
    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=second.ticket, spam=False)
    third = ingest(raw_mail(message_id="<s3@example.cn>", subject="打印机无法连接网络"))
    assert third.ticket.is_spam is False


def test_another_sender_is_not_affected(ingest, agent):
    first = ingest(raw_mail(message_id="<s1@example.cn>"))
    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=first.ticket)
    other = ingest(
        raw_mail(sender="王芳 <wang.fang@example.cn>", message_id="<o1@example.cn>", subject="发票")
    )
    assert other.ticket.is_spam is False
