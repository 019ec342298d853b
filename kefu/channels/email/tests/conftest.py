"""Fixtures for the email channel's tests: a mailbox, one-call intake, and a recorder of published events."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.tests.factories import MailboxFactory


@pytest.fixture
def mailbox(department) -> Mailbox:
    return MailboxFactory(address="support@kefu.test", name="售后支持", department=department)


@pytest.fixture
def ingest(mailbox, django_capture_on_commit_callbacks) -> Callable[..., InboundMessage]:
    """Store and process one raw message as the pipe does, running the after-commit side effects."""

    def run(raw: bytes, *, into: Mailbox | None = mailbox) -> InboundMessage:
        with django_capture_on_commit_callbacks(execute=True):
            inbound = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=into)
            return message_process(inbound.pk)

    return run
