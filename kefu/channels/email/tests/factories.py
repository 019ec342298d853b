"""Factories for the email channel: mailboxes and stored raw messages."""

from __future__ import annotations

import hashlib

import factory
from django.utils import timezone

from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.org.models import Brand
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.models import Channel, Thread
from kefu.tickets.tests.factories import TicketFactory


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"品牌{n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class MailboxFactory(factory.django.DjangoModelFactory):
    """A push mailbox (SMTP listener, pipe or HTTP) of a fresh department."""

    class Meta:
        model = Mailbox

    name = factory.Sequence(lambda n: f"支持邮箱 {n}")
    address = factory.Sequence(lambda n: f"support{n}@kefu.test")
    display_name = factory.Sequence(lambda n: f"客服 {n}")
    department = factory.SubFactory(DepartmentFactory)
    protocol = Mailbox.Protocol.PUSH


class InboundMessageFactory(factory.django.DjangoModelFactory):
    """A stored, not yet processed raw message (pass ``raw=b"..."``)."""

    class Meta:
        model = InboundMessage

    mailbox = factory.SubFactory(MailboxFactory)
    source = InboundMessage.Source.PIPE
    raw = b"From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n"
    size = factory.LazyAttribute(lambda message: len(message.raw))
    sha256 = factory.LazyAttribute(lambda message: hashlib.sha256(message.raw).hexdigest())
    received_at = factory.LazyFunction(timezone.now)


class OutboundThreadFactory(factory.django.DjangoModelFactory):
    """A reply we sent by email, with the Message-ID our outbound mail gave it."""

    class Meta:
        model = Thread

    ticket = factory.SubFactory(TicketFactory)
    direction = Thread.Direction.OUTBOUND
    channel = Channel.EMAIL
    to = factory.LazyAttribute(lambda thread: [thread.ticket.contact.email])
    subject = factory.LazyAttribute(lambda thread: thread.ticket.subject)
    body_html = "<p>请重启路由器后再试。</p>"
    body_text = "请重启路由器后再试。"
    message_id = factory.Sequence(lambda n: f"reply.{n}@kefu.test")
    delivery_status = Thread.Delivery.SENT
    created_at = factory.LazyFunction(timezone.now)
