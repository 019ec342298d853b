"""Fixtures for the email channel's tests: a mailbox, one-call intake, and a recorder of published events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.core import events


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


@pytest.fixture
def published(monkeypatch) -> Callable[[str], list[dict[str, Any]]]:
    """``published("mail.ticket_opened")`` → the payloads delivered for that event during the test."""
    seen: dict[str, list[dict[str, Any]]] = {}

    def watch(event: str) -> list[dict[str, Any]]:
        if event not in seen:
            seen[event] = []
            recorder = lambda _event, payload: seen[event].append(payload)  # noqa: E731
            monkeypatch.setitem(events._subscribers, event, [*events.subscribers(event), recorder])
        return seen[event]

    return watch
